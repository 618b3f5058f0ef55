"""Read one line of a page as metadata: a timestamp, a byline, a caption, a publisher.

Both cleaning paths use these: the plain-text path on the lines around the
body, the HTML path on what trafilatura and the page's meta tags give. Each
function takes a string and returns ``None`` when the string is not what it
reads, so callers can try them in turn.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from strife.document import Caption

MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|"
    "june|july|august|september|october|november|december"
)
_YEAR = r"(?:19|20)\d{2}"
#: A date written out or numeric, with a year.
DATE_IN_LINE = re.compile(
    rf"\b(\d{{1,2}}(st|nd|rd|th)?\s+({MONTHS})\.?,?\s+{_YEAR}"
    rf"|({MONTHS})\.?\s+\d{{1,2}}(st|nd|rd|th)?,?\s+{_YEAR}"
    rf"|{_YEAR}-\d{{2}}-\d{{2}}(T[\d:.]+(Z|[+-]\d{{2}}:?\d{{2}})?)?"
    rf"|\d{{1,2}}[/.]\d{{1,2}}[/.]{_YEAR})\b",
    re.I,
)
TIME_IN_LINE = re.compile(r"\b\d{1,2}[:.]\d{2}(\s*[ap]\.?m\.?)?\b|\b\d{1,2}\s*[ap]\.?m\.?\b", re.I)
#: Words that label a timestamp and carry no date themselves.
TIMESTAMP_LABELS = re.compile(
    r"\b(published|updated|last\s+updated|modified|posted|first\s+published|on|at|"
    r"date|time)\b:?|[|•·]",
    re.I,
)
#: A publication stamp run into the start of the body, as scraped text often has it
#: ("Published July 4 2015 An explosion...", "Date of publication 3 October 2017 The...",
#: "Tuesday 12 July 2016 Rebels..."): an optional label, an optional weekday, a date.
LEADING_STAMP = re.compile(
    r"^\s*(?:(?:first\s+)?(?:published|posted|updated|last\s+updated|date\s+of\s+publication)"
    r"(?:\s+(?:on|at))?\s*:?\s+)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?P<date>\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\.?,?\s+{_YEAR}"
    rf"|(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}"
    rf"|\d{{1,2}}\.\d{{1,2}}\.{_YEAR})\b[\s,:|\u2013\u2014-]*",
    re.I,
)
#: Zone abbreviations that name more than one offset; dateparser picks one reading.
AMBIGUOUS_ZONES = frozenset({"AST", "BST", "CST", "IST", "ET", "CT", "MT", "PT", "SST", "GST"})
#: A timestamp line is short: the date, a time, a zone and a label or two.
MAX_TIMESTAMP_WORDS = 14
#: "3 hours ago": how listings date their items.
RELATIVE_TIME = re.compile(
    r"\b\d+\s*(seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b", re.I
)

_NAME_WORD = r"(?:[A-Z][a-zà-ÿ'’]+(?:-[A-Z]?[a-zà-ÿ'’]+)*|[A-Z]\.)"
_PARTICLE = r"(?:de|da|del|der|van|von|al|el|bin|ibn|abu|la|le|du|di|dos)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}[\s-])?{_NAME_WORD}){{1,3}}"
#: "By Jane Doe", "Jane Doe and John Roe", "Jane Doe, Beirut": one to three names.
BYLINE = re.compile(
    rf"^(?P<prefix>by\s+|BY\s+|By\s+)?(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME}){{0,2}})"
    rf"(?:\s*(?:,|in|-|–|\|)\s*(?P<place>[A-Z][\w\s'-]{{0,30}}))?$"
)
#: Words that start capitalised lines but are never part of a person's name.
NOT_NAME_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "home",
        "news",
        "world",
        "sport",
        "sports",
        "business",
        "opinion",
        "comments",
        "comment",
        "share",
        "follow",
        "subscribe",
        "menu",
        "search",
        "login",
        "register",
        "related",
        "more",
        "latest",
        "video",
        "live",
        "photo",
        "photos",
        "image",
        "images",
        "watch",
        "read",
        "politics",
        "culture",
        "middle",
        "east",
        "africa",
        "europe",
        "asia",
        "americas",
        "uk",
        "us",
        "thank",
        "please",
        "join",
        "your",
        "our",
        "you",
        "we",
        "sign",
    ]
)

#: "... (EPA)", "... (AFP/Getty Images)" at the end of a caption line.
TRAILING_CREDIT = re.compile(r"^(?P<text>.+?)\s*\((?P<credit>[^()]{1,60})\)\s*$")
#: "... Photo: Jane Doe/Reuters", "Photograph: AP" at the end of a caption line.
_CREDIT_WORD = r"(?:photo(?:graph)?|picture|image|credit|pic)s?\s*(?:by|:)\s*"
LABELLED_CREDIT = re.compile(
    rf"^(?P<text>.*?)[\s.,;|–-]*\b{_CREDIT_WORD}(?P<credit>[^:]{{1,60}})$", re.I
)
#: "... in Jakarta, October 20, 2019. REUTERS/Willy Kurniawan/File Photo": an agency and
#: its photographer joined by slashes, the wire services' caption credit.
SLASHED_CREDIT = re.compile(
    r"^(?P<text>.+?)\s+(?P<credit>(?:REUTERS|AFP|AP|EPA|ANADOLU|XINHUA)/[^/\n]{2,40}"
    r"(?:/[^/\n]{2,30})?)\s*$"
)
#: "FILE PHOTO: " opening a wire caption.
_FILE_PHOTO = re.compile(r"^(?:FILE\s+)?PHOTO\s*:\s*", re.I)
#: The label alone, as it opens a credit ("Photo: ").
CREDIT_LABEL = re.compile(rf"^{_CREDIT_WORD}", re.I)
#: Names that mark a parenthesis as a photo credit rather than an aside.
AGENCY_WORDS = re.compile(
    r"\b(AFP|AP|EPA|Reuters|Getty|Images|Shutterstock|Alamy|PA|Xinhua|Anadolu|SANA|"
    r"handout|file|supplied|photo|pool)\b",
    re.I,
)

_PUBLISHER_PHRASE = re.compile(
    r"(?:\bThe\s+)?(?<![\w'’-])[A-Z][\w&'’-]*(?:\s+(?:of\s+|&\s+)?[A-Z][\w&'’-]*){0,3}"
)
_SENTENCE_START = re.compile(r"(^|[.!?:;]\s+|[\"“(]\s*)$")
_WORDS = re.compile(r"\w+")


def clean_credit(credit: str) -> str:
    """A credit without its label: "Photo: Jane Doe/AP" -> "Jane Doe/AP"."""
    return CREDIT_LABEL.sub("", " ".join(credit.split())).strip(" .,;|–-")


def parse_timestamp(line: str) -> tuple[datetime, str | None] | None:
    """Read a short line as a publication time.

    Returns:
        The time (with its UTC offset when the line gives a zone) and the zone
        abbreviation when that abbreviation is ambiguous; ``None`` when the
        line is not a timestamp.
    """
    if len(_WORDS.findall(line)) > MAX_TIMESTAMP_WORDS or not DATE_IN_LINE.search(line):
        return None
    import dateparser

    candidates = [TIMESTAMP_LABELS.sub(" ", line)]
    date_part = DATE_IN_LINE.search(line)
    time_part = TIME_IN_LINE.search(line)
    zone = re.search(r"\b([A-Z]{2,5}|UTC[+-]\d{1,2}|GMT[+-]\d{1,2})\s*$|\b([A-Z]{2,4})\b", line)
    if date_part:
        pieces = [date_part.group(0)]
        if time_part and not date_part.group(0).count(":"):
            pieces.append(time_part.group(0))
        if zone and time_part:
            pieces.append(zone.group(1) or zone.group(2))
        candidates.append(" ".join(pieces))
    for candidate in candidates:
        parsed = dateparser.parse(
            " ".join(candidate.split()),
            languages=["en"],
            settings={"PREFER_DATES_FROM": "past", "STRICT_PARSING": False},
        )
        if parsed is not None and parsed.year >= 1900:
            abbreviation = zone.group(1) or zone.group(2) if zone else None
            ambiguous = abbreviation if abbreviation in AMBIGUOUS_ZONES else None
            return parsed, ambiguous if parsed.tzinfo else None
    return None


def split_leading_stamp(text: str) -> tuple[datetime, str, str] | None:
    """A publication date run into the start of a body: the date, its words, the rest.

    A dotted date is read day first ("05.10.2017" is 5 October), as the countries
    that write dates with dots do. ``None`` when the text does not start so, or the
    rest is not a sentence (the date then belongs to it).
    """
    match = LEADING_STAMP.match(text)
    if match is None:
        return None
    rest = text[match.end() :]
    if not rest[:1].isupper():
        return None
    day = match.group("date")
    if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", day):
        d, m, y = day.split(".")
        day = f"{y}-{int(m):02d}-{int(d):02d}"
    stamp = parse_timestamp(day)
    return None if stamp is None else (stamp[0], match.group().strip(), rest)


def is_item_stamp(line: str) -> bool:
    """True for a short line dating something to the minute, or relatively ("2 hours ago").

    Comment sections and teaser lists date each item this way ("Jane on May 3,
    2019 at 6:34 am said:"); an article dates itself once, above its body.
    """
    if len(_WORDS.findall(line)) > MAX_TIMESTAMP_WORDS:
        return False
    dated = DATE_IN_LINE.search(line) and TIME_IN_LINE.search(line)
    return bool(dated or RELATIVE_TIME.search(line))


def parse_byline(line: str, *, require_prefix: bool = False) -> list[str] | None:
    """Read a line as a byline and return the author names, or ``None``.

    A bare name ("Jane Doe") reads as a byline only where the caller expects
    one (below a headline); ``require_prefix`` asks for "By Jane Doe".
    """
    text = " ".join(line.split()).strip(" .")
    if not text or len(text) > 120 or any(ch.isdigit() for ch in text):
        return None
    match = BYLINE.match(text)
    if not match or (require_prefix and not match.group("prefix")):
        return None
    names = match.group("names")
    authors = [n.strip() for n in re.split(r"\s*(?:,|\band\b|&)\s*", names) if n.strip()]
    for author in authors:
        words = author.split()
        if len(words) < 2 or any(w.lower().strip(".") in NOT_NAME_WORDS for w in words):
            return None
        if not all(w[0].isupper() or re.match(rf"{_PARTICLE}(-|$)", w) for w in words):
            return None
    return authors or None


def split_caption(line: str, *, neighbours: Iterable[str] = ()) -> Caption | None:
    """Read a line as a photo caption with its credit, or ``None``.

    A wire service's slashed credit at the end ("REUTERS/Jane Doe") makes a
    caption. A parenthesis at the end is a credit when it names an agency or a
    photographer's label, or when a neighbouring line repeats the caption
    without it (a scraped page often keeps the image's alt text too).
    """
    text = line.strip()
    if len(_WORDS.findall(text)) > 60:
        return None
    slashed = SLASHED_CREDIT.match(text)
    if slashed:
        body = _FILE_PHOTO.sub("", slashed.group("text")).strip()
        return Caption(body, clean_credit(slashed.group("credit")))
    labelled = LABELLED_CREDIT.match(text)
    if labelled and labelled.group("text").strip():
        return Caption(
            labelled.group("text").strip(" .,;|–-"), clean_credit(labelled.group("credit"))
        )
    trailing = TRAILING_CREDIT.match(text)
    if not trailing:
        return None
    body, credit = trailing.group("text").strip(), trailing.group("credit").strip()
    if body.endswith((".", "!", "?")) and not AGENCY_WORDS.search(credit):
        return None
    repeated = any(" ".join(n.split()) == " ".join(body.split()) for n in neighbours)
    credit_words = credit.replace("/", " ").split()
    looks_like_credit = len(credit_words) <= 5 and all(w[:1].isupper() for w in credit_words)
    if (repeated and looks_like_credit) or (AGENCY_WORDS.search(credit) and looks_like_credit):
        return Caption(body, credit)
    return None


def find_publisher(chrome_blocks: Iterable[str], *, exclude: Iterable[str] = ()) -> str | None:
    """The outlet's name: the proper name that recurs across the site's own chrome.

    A site names itself in its notification, donation and copyright lines; a
    name found in at least two chrome blocks (or after a copyright sign) wins.
    """
    excluded = " ".join(exclude).lower()
    counts: Counter[str] = Counter()
    for block in chrome_blocks:
        found: set[str] = set()
        for match in _PUBLISHER_PHRASE.finditer(block):
            phrase = match.group(0).strip()
            words = phrase.split()
            at_start = bool(_SENTENCE_START.search(block[: match.start()]))
            if len(words) == 1 and at_start:
                continue  # a capital that only starts a sentence
            if words[0].lower() in NOT_NAME_WORDS - {"the"}:
                continue
            if phrase.lower() in excluded:
                continue
            weight_phrase = phrase if words[0] != "The" or len(words) > 1 else ""
            if weight_phrase:
                found.add(weight_phrase)
        copyright_owner = re.search(
            r"(?:©|[Cc]opyright)\s*(?:\d{4}\s*)?([A-Z][A-Za-z&' -]{2,40}?)(?:\s*\d{4})?(?:[.,]|$)",
            block,
        )
        if copyright_owner:
            counts[copyright_owner.group(1).strip()] += 2
        counts.update(found)
    if not counts:
        return None
    name, count = max(counts.items(), key=lambda item: (item[1], len(item[0])))
    return name if count >= 2 else None


def unique_captions(captions: Iterable[Caption]) -> list[Caption]:
    """Captions in order, one per text; a credited copy wins over an uncredited one."""
    seen: dict[str, Caption] = {}
    for caption in captions:
        if caption.text and (caption.text not in seen or caption.credit):
            seen[caption.text] = caption
    return list(seen.values())
