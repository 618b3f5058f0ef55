"""The date stage: every event gets an absolute date, with its precision and its words.

Takes the article (its text and publication time) and the events the extract stage
found, each with the sentences that tell of it (``Event.spans``), and fills
``Event.date`` with ``{"start", "end", "precision", "text"}`` (``strife/1``).

Where a date comes from, in order (the codebook's "Dates"):

1. a date expression in the event's sentences, the one nearest the trigger (a
   date the report was *made* on, "said on Monday", "Today, forces confirmed",
   and one counted from another event, "24 hours after", only when no other);
2. one in the sentence before the event's first sentence;
3. the dateline ("KABUL, Afghanistan (Jan. 25, 2013)"), else the publication date,
   with ``text`` "" (a news report is of what happened on the day it is filed).

Relative expressions ("yesterday", "on Monday", "over the past three days") count
from the dateline's date, else the publication time in the publisher's own zone:
the local date and hour the page gives, never UTC. Dates after that day or before
1900 are ignored with a warning. Which days an expression names is
``_date_expressions.py``'s job; this module chooses among them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from strife._date_expressions import (
    DAY,
    EARLIEST_YEAR,
    DateSpan,
    Mention,
    Reference,
    find_mentions,
    month_number,
)
from strife.document import Document, Event
from strife.errors import WARNINGS, InputError
from strife.settings import Settings

NAME = "date"
VERSION = "1"
NO_DATE = "W604"
#: A dateline is looked for at the start of this many of the first lines of the body...
DATELINE_LINES = 4
#: ... and of the raw page, above the body, when the body has none.
HEADER_LINES = 12
#: How much of the top of a page may give its year when it has no publication date.
HEADER_CHARS = 400
#: How far back the sentence before an event's first sentence may begin.
SENTENCE_LOOKBACK = 600
#: Added to a report date's distance from the trigger, so any other date comes first.
REPORT_PENALTY = 10_000
#: Added to a date counted from another event ("24 hours after"), so it comes last.
WEAK_PENALTY = 20_000

_MONTH = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|"
    r"April|June|July|August|September|October|November|December)\.?"
)
_DATELINE_DATE = (
    rf"(?:(?i:(?:Mon|Tues?|Wed|Thu(?:rs)?|Fri|Sat|Sun)\w*\.?),?\s+)?"
    rf"(?:(?P<m1>(?i:{_MONTH}))\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}|\d\d))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>(?i:{_MONTH}))(?:,?\s+(?P<y2>\d{{4}}|\d\d))?)"
)
#: "KABUL, Afghanistan (Jan. 25, 2013)", "SAN SALVADOR, 13 JAN 90", "BEIRUT, March 12
#: (Reuters) -", "HOMS, Syria —": an upper-case place (a title-case one only before a
#: date in brackets), then a date, a news agency and a dash, or a bracketed date alone.
_DATELINE = re.compile(
    r"(?P<place>(?:[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+){0,3}|"
    r"(?P<titled>[A-Z][a-z'’.\-]+(?:\s+[A-Z][a-z'’.\-]+){0,2}))"
    r"(?:\s*,\s*[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,2})?)"
    rf"(?:\s*\(\s*(?P<bracketed>{_DATELINE_DATE.replace('?P<', '?P<b')})\s*\)|"
    rf"\s*,\s*(?P<plain>{_DATELINE_DATE}))?"
    r"\s*(?:\((?P<agency>[A-Za-z][\w .&/-]{1,30})\)\s*)?"
    r"(?P<sep>\s[-–—−]+\s?|\s?[–—−]\s?|--|$)",
    re.M,
)
#: Words that make a date the date a report was made or published, not the event's.
_REPORTING = re.compile(
    r"\b(said|says|told|announced|reported|confirmed|stated|added|claimed|denied|"
    r"warned|statement|released|published|updated)\s+(?:\w+\s+){0,2}(?:(?i:on)\s+)?$",
    re.I,
)
_REPORTING_AFTER = re.compile(
    r"\s+(?:\w+\s+)?(confirmed|announced|said|reported|released|stated)\b", re.I
)
_THE = re.compile(r"\bthe\s+$", re.I)
_REPORTING_LEDE = re.compile(
    r"^\W*(?:[\w'’-]+\s+){0,10}?(confirmed|announced|said|reported|released|stated)\b", re.I
)
_LINE_BREAK = re.compile(r"[\n\u2028\u2029]")  # one character each: offsets stay right
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_SENTENCE_END = re.compile(r"[.!?][\"'’”)]*\s+|\n")


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline at the start of a story: the place it was filed from and its date.

    ``date`` is None when the dateline gives none ("HOMS, Syria —") or its date
    cannot be placed (no year and no publication date); ``span`` is its offsets.
    """

    place: str
    date: date | None
    span: tuple[int, int]
    text: str = ""


def parse_dateline(
    text: str,
    *,
    published: date | datetime | str | None = None,
    lines: int = DATELINE_LINES,
) -> Dateline | None:
    """The dateline at the start of one of the first lines of ``text``, if any.

    Args:
        text: an article body (or a single dateline).
        published: the publication time; a dateline with no year takes its year
            (or the year before, when that would put the dateline after it).
        lines: how many of the first lines may hold it.

    Returns:
        The dateline, or None when none of the first lines opens with one.
    """
    limit = _limit(_reference(published))
    offset = 0
    for line in _LINE_BREAK.split(text)[:lines]:
        match = _DATELINE.match(line.strip())
        lead = len(line) - len(line.lstrip())
        if match and _is_dateline(match):
            day = _dateline_date(match, limit)
            start = offset + lead
            return Dateline(
                match.group("place").strip(),
                day,
                (start, start + match.end()),
                (match.group("bracketed") or match.group("plain") or "").strip(),
            )
        offset += len(line) + 1
    return None


def _is_dateline(match: re.Match[str]) -> bool:
    if match.group("bracketed"):
        return True
    if match.group("titled"):
        return False  # "Kabul - ..." is a sentence more often than a dateline
    # An upper-case heading alone on its line ("BREAKING NEWS") is no dateline.
    return bool(match.group("plain") or match.group("agency") or match.group("sep").strip())


def _dateline_date(match: re.Match[str], limit: date) -> date | None:
    groups = {key: value for key, value in match.groupdict().items() if value}
    for prefix in ("b", ""):
        for pair in ("1", "2"):
            month, day = groups.get(f"{prefix}m{pair}"), groups.get(f"{prefix}d{pair}")
            if month and day:
                return _full_date(month, int(day), groups.get(f"{prefix}y{pair}"), limit)
    return None


def _full_date(month: str, day: int, year: str | None, limit: date) -> date | None:
    """The date a dateline gives; a two-digit year is the latest century not after
    ``limit``; no year takes ``limit``'s year, or the one before."""
    number = month_number(month)
    if year is None:
        candidates = [limit.year, limit.year - 1]
    elif len(year) == 2:
        candidates = [2000 + int(year), 1900 + int(year)]
    else:
        candidates = [int(year)]
    for candidate in candidates:
        try:
            found = date(candidate, number, day)
        except ValueError:
            return None
        if found <= limit and found.year >= EARLIEST_YEAR:
            return found
    return None


def date_document(document: Document, *, settings: Settings) -> Document:
    """Fill ``date`` on every event of ``document``; warn about dates it ignored."""
    article = document.article
    if article is None or not document.events:
        return document
    text = article.text
    published = _reference(article.published)
    year_end = article.published or _header_year(document)
    dateline = parse_dateline(text, published=year_end)
    filed = dateline.date if dateline else None
    if filed is None and document.page_kind == "text":
        # The cleaner may have taken the dateline line for a header and dropped it.
        above = parse_dateline(document.page_text, published=year_end, lines=HEADER_LINES)
        filed = above.date if above else None
    if filed is None and published is None:
        first_line = _LINE_BREAK.split(document.page_text.strip(), maxsplit=1)[0]
        filed = _title_date(article.title or first_line[:HEADER_CHARS], year_end)
    reference = published
    if filed is not None:
        hour = published.hour if published and published.day == filed else None
        reference = Reference(filed, hour)
    fallback = reference.day if reference else None
    limit = _limit(reference)
    found: dict[tuple[int, int], list[Mention]] = {}

    def mentions(start: int, end: int) -> list[Mention]:
        if dateline is not None and start < dateline.span[1]:
            start = min(max(start, dateline.span[1]), end)  # the filing date, not the event's
        if (start, end) not in found:
            found[(start, end)] = find_mentions(
                text, reference=reference, limit=limit, start=start, end=end
            )
            for mention in found[(start, end)]:
                if mention.problem:
                    document.warn(mention.problem, NAME, WARNINGS[mention.problem])
        return found[(start, end)]

    for event in document.events:
        span = _event_date(event, text, mentions)
        if span is None and fallback is not None:
            span = DateSpan(fallback, fallback, DAY, "")
        if span is None:
            document.warn(NO_DATE, NAME, WARNINGS[NO_DATE])
        event.date = span.to_dict() if span else None
    return document


def _event_date(
    event: Event, text: str, mentions: Callable[[int, int], list[Mention]]
) -> DateSpan | None:
    """The date expression that dates the event: in its sentences, else the one before."""
    spans = event.spans or _claim_sentences(event, text)
    if not spans:
        return None
    first_start, first_end = spans[0]
    anchor = _trigger_at(event.trigger, text, first_start, first_end)
    scored: list[tuple[int, Mention]] = []
    for start, end in spans:
        for mention in mentions(start, end):
            if mention.span is not None:
                scored.append((_distance(mention, anchor, text, start), mention))
    if scored:
        return min(scored, key=lambda item: (item[0], item[1].start))[1].span
    before = _sentence_before(text, first_start)
    if before is not None:
        usable = [m for m in mentions(*before) if m.span is not None]
        if usable:
            best = min(usable, key=lambda m: (_distance(m, first_start, text, before[0]), -m.start))
            return best.span
    return None


def _distance(mention: Mention, anchor: int, text: str, sentence_start: int) -> int:
    distance = abs(mention.start - anchor)
    if _is_report_date(mention, text, sentence_start):
        distance += REPORT_PENALTY
    if _is_other_event(mention, text, sentence_start):
        distance += REPORT_PENALTY
    if mention.weak:
        distance += WEAK_PENALTY
    return distance


def _is_other_event(mention: Mention, text: str, sentence_start: int) -> bool:
    """ "the July 2 attack", "Wednesday's bombing": a date naming another, earlier event."""
    before = text[max(sentence_start, mention.start - 5) : mention.start]
    return bool(_THE.search(before)) or text.startswith(("'s", "’s"), mention.end)


def _is_report_date(mention: Mention, text: str, sentence_start: int) -> bool:
    """ "said on Monday", "Today, forces confirmed ...": the day of the report."""
    before = text[max(sentence_start, mention.start - 40) : mention.start]
    if _REPORTING.search(before) or _REPORTING_AFTER.match(text, mention.end):
        return True
    at_start = not text[sentence_start : mention.start].strip(" \t\"'“,")
    return at_start and bool(_REPORTING_LEDE.match(text[mention.end : mention.end + 120]))


def _trigger_at(trigger: str, text: str, start: int, end: int) -> int:
    """Where the event's trigger word is in its first sentence (its start when not found)."""
    if trigger:
        found = text.lower().find(trigger.lower(), start, end)
        if found >= 0:
            return found
    return start


def _claim_sentences(event: Event, text: str) -> list[tuple[int, int]]:
    """The sentences around the event's claims, for an event without spans."""
    sentences = []
    for claim in event.claims:
        before = _sentence_before(text, claim.start)  # the claim's sentence, up to it
        begin = before[0] if before else 0
        stop = _SENTENCE_END.search(text, claim.end)
        sentences.append((begin, stop.start() + 1 if stop else len(text)))
    return sorted(set(sentences))


def _sentence_before(text: str, start: int) -> tuple[int, int] | None:
    """The sentence that ends right before ``start`` (None at the start of the text)."""
    end = start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end == 0:
        return None
    window = max(0, end - SENTENCE_LOOKBACK)
    begin = window
    for match in _SENTENCE_END.finditer(text, window, end - 1):
        begin = match.end()
    return begin, end


def _title_date(title: str | None, year_end: date | datetime | None) -> date | None:
    """A day the title names ("May 11: Operations in ..."), for a page with no other date."""
    if not title:
        return None
    reference = _reference(year_end)
    for mention in find_mentions(title, reference=reference, limit=_limit(reference)):
        written = any(char.isdigit() for char in mention.text)  # not "today": whose today?
        if mention.span is not None and mention.span.precision == DAY and written:
            return mention.span.start
    return None


def _header_year(document: Document) -> date | None:
    """For a page with no publication date: the last day of the first year its title or
    the top of its page names ("2012-06-S-026", "Update, March 10, 2011"), so that a
    dateline without a year ("(June 14)") is placed in it rather than in this year."""
    article = document.article
    head = " ".join(
        part
        for part in (
            article.title if article else None,
            article.subtitle if article else None,
            document.page_text[:HEADER_CHARS] if document.page_kind == "text" else None,
            article.text[:HEADER_CHARS] if article else None,
        )
        if part
    )
    for match in _YEAR.finditer(head):
        year = int(match.group(0))
        if EARLIEST_YEAR <= year <= date.today().year:
            return date(year, 12, 31)
    return None


def _reference(published: date | datetime | str | None) -> Reference | None:
    """The publisher's local date (and hour, when the page gives a time)."""
    if published is None:
        return None
    if isinstance(published, str):
        published = parse_published(published)
    if isinstance(published, datetime):
        midnight = published.tzinfo is None and (published.hour, published.minute) == (0, 0)
        return Reference(published.date(), None if midnight else published.hour)
    return Reference(published)


def _limit(reference: Reference | None) -> date:
    return reference.day if reference else date.today()


def parse_published(value: str) -> date | datetime:
    """An ISO-8601 date or date-time ("2013-01-25", "2012-03-12T21:00:00-04:00").

    Raises:
        InputError: the value is not ISO-8601.
    """
    text = value.strip()
    try:
        if "T" in text or " " in text:
            return datetime.fromisoformat(text)
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(
            f"publication time {value!r} is not ISO-8601; give a date such as 2013-01-25 "
            "or a time such as 2012-03-12T21:00:00-04:00"
        ) from exc


def resolve_date(text: str, *, published: str | None) -> dict[str, str] | None:
    """The date one phrase names, as ``events[].date`` gives it.

    Args:
        text: a phrase ("last night", "on Monday", "March 3-5, 2011", a dateline).
        published: the publication time, ISO-8601 with its offset (or a date, or
            None: relative phrases then resolve to nothing).

    Returns:
        ``{"start", "end", "precision", "text"}``, or None when the phrase names no
        date, or one after the publication date or before 1900.

    Raises:
        InputError: ``published`` is not ISO-8601.
    """
    reference = _reference(published)
    limit = _limit(reference)
    mentions = find_mentions(text, reference=reference, limit=limit)
    found = [m for m in mentions if m.span is not None]
    if found:
        best = min(found, key=lambda m: (m.weak, m.start))
        assert best.span is not None
        return best.span.to_dict()
    if mentions:
        return None  # a date, but after the publication date, before 1900 or unplaceable
    dateline = parse_dateline(text, published=published)
    if dateline is not None and dateline.date is not None:
        return DateSpan(dateline.date, dateline.date, DAY, dateline.text).to_dict()
    parsed = _dateparser(text.strip(), reference.day.isoformat() if reference else None)
    if parsed is None or parsed > limit or parsed.year < EARLIEST_YEAR:
        return None
    return DateSpan(parsed, parsed, DAY, text.strip()).to_dict()


@lru_cache(maxsize=1024)
def _dateparser(text: str, reference: str | None) -> date | None:
    """dateparser's reading of a phrase the rules could not read (slow: cached)."""
    if not text or len(text) > 100:
        return None
    import dateparser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day"]}
    if reference is not None:
        settings["RELATIVE_BASE"] = datetime.fromisoformat(reference)
    found = dateparser.parse(text, languages=["en"], settings=settings)
    return found.date() if found is not None else None


class DateStage:
    """The date stage as a pipeline component."""

    name: str = NAME
    version: str = VERSION
    requires: tuple[str, ...] = ("article", "events")
    assigns: tuple[str, ...] = ("events",)

    def __call__(self, document: Document, *, settings: Settings) -> Document:
        return date_document(document, settings=settings)
