"""The date stage: every event gets an absolute date, with its precision and its words.

Takes the article (its text and publication time) and the events the extract stage
found, each with the sentences that tell of it (``Event.spans``), and fills
``Event.date`` with ``{"start", "end", "precision", "text"}`` (``strife/1``).

Where a date comes from, in order (the codebook's "Dates"):

1. a date expression in the event's sentences, the one nearest the trigger (a
   date the report was *made* on, "said on Monday", "Today, forces confirmed",
   and one counted from another event, "24 hours after", only when no other);
2. one in the sentence before the event's first sentence;
3. the day the story's lead sentence names, when it is the only day the story names;
4. the dateline ("KABUL, Afghanistan (Jan. 25, 2013)"), else the publication date,
   with ``text`` "" (a news report is of what happened on the day it is filed).

Relative expressions ("yesterday", "on Monday", "over the past three days") count
from the dateline's date, else the publication time in the publisher's own zone:
the local date and hour the page gives, never UTC. Dates after that day or before
1900 are ignored with a warning. Finding the expressions and the days each names
is ``_date_expressions.py``'s job (with ``_date_resolvers.py``), reading the
publication time and the dateline ``_date_reference.py``'s; this module chooses
among them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any

from strife._date_expressions import (
    DAY,
    EARLIEST_YEAR,
    DateSpan,
    Mention,
    Reference,
    find_mentions,
)
from strife._date_reference import (
    LINE_BREAK,
    Dateline,
    latest_day,
    parse_dateline,
    parse_published,
    reference_for,
)
from strife.document import Document, Event
from strife.errors import WARNINGS
from strife.settings import Settings

#: The date stage and the phrase and dateline readers (``strife date``, the tests).
__all__ = [
    "NAME",
    "VERSION",
    "DateStage",
    "Dateline",
    "date_article",
    "date_document",
    "parse_dateline",
    "parse_published",
    "resolve_date",
]

NAME = "date"
VERSION = "2"  # 2: the lead sentence's day; dates of a blamed deed (issue 4)
NO_DATE = "W604"
#: A dateline is looked for in this many of the first lines of the raw page, above
#: the body, when the body has none (``_date_reference.DATELINE_LINES`` of the body).
HEADER_LINES = 12
#: How much of the top of a page may give its year when it has no publication date.
HEADER_CHARS = 400
#: How far back the sentence before an event's first sentence may begin.
SENTENCE_LOOKBACK = 600
#: Added to a report date's distance from the trigger, so any other date comes first.
REPORT_PENALTY = 10_000
#: Added to a date counted from another event ("24 hours after"), so it comes last.
WEAK_PENALTY = 20_000

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
#: "Wednesday's bombing", "Saturdays blast": a weekday read with its possessive.
_WEEKDAY_POSSESSIVE = re.compile(r"\b[A-Z][a-z]+day['’]?s$")
#: "responsible for an attack Jan. 7", "linked to the murder of a local man in March":
#: a date in what a person is blamed for names that earlier deed, not the event.
_DEED = re.compile(
    r"\b(?:responsible\s+for|linked\s+to|involved\s+in|accused\s+of|blamed\s+for)"
    r"\s+(?:[\w'’-]+\s+){1,6}(?:(?i:on|in)\s+)?$",
    re.I,
)
#: How far back :data:`_DEED` may begin.
DEED_LOOKBACK = 80
_REPORTING_LEDE = re.compile(
    r"^\W*(?:[\w'’-]+\s+){0,10}?(confirmed|announced|said|reported|released|stated)\b", re.I
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_SENTENCE_END = re.compile(r"[.!?][\"'’”)]*\s+|\n")


@dataclass(frozen=True, slots=True)
class _Reference:
    """The days a page counts from: its dateline and the reference day relatives use."""

    dateline: Dateline | None
    reference: Reference | None


def _page_reference(document: Document) -> _Reference:
    assert document.article is not None
    article = document.article
    published = reference_for(article.published)
    year_end = article.published or _header_year(document)
    dateline = parse_dateline(article.text, published=year_end)
    filed = dateline.date if dateline else None
    if filed is None and document.page_kind == "text":
        # The cleaner may have taken the dateline line for a header and dropped it.
        above = parse_dateline(document.page_text, published=year_end, lines=HEADER_LINES)
        filed = above.date if above else None
    if filed is None and published is None:
        first_line = LINE_BREAK.split(document.page_text.strip(), maxsplit=1)[0]
        filed = _title_date(article.title or first_line[:HEADER_CHARS], year_end)
    reference = published
    if filed is not None:
        hour = published.hour if published and published.day == filed else None
        reference = Reference(filed, hour)
    return _Reference(dateline, reference)


def date_document(document: Document, *, settings: Settings) -> Document:
    """Fill ``date`` on every event of ``document``; warn about dates it ignored."""
    article = document.article
    if article is None or not document.events:
        return document
    text = article.text
    page = _page_reference(document)
    dateline, reference = page.dateline, page.reference
    fallback = reference.day if reference else None
    limit = latest_day(reference)
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

    @cache  # read once, when an event first needs it
    def lead() -> DateSpan | None:
        story = dateline.span[1] if dateline else 0
        return _lead_date(text, story, reference=reference, limit=limit)

    for event in document.events:
        span = _event_date(event, text, mentions) or lead()
        if span is None and fallback is not None:
            span = DateSpan(fallback, fallback, DAY, "")
        if span is None:
            document.warn(NO_DATE, NAME, WARNINGS[NO_DATE])
        event.date = span.to_dict() if span else None
    return document


def date_article(document: Document) -> dict[str, str] | None:
    """When the article as a whole is about, as an ``events[].date`` dict, or None.

    For an answer per article when no event is dated (an op-ed, a court story): the
    day the lead sentence names when it is the only day the story names, else the
    dateline's date, else the publication date (``text`` ``""``).
    """
    if document.article is None:
        return None
    page = _page_reference(document)
    text = document.article.text
    start = page.dateline.span[1] if page.dateline else 0
    limit = latest_day(page.reference)
    span = _lead_date(text, start, reference=page.reference, limit=limit)
    if span is None and page.reference is not None:
        span = DateSpan(page.reference.day, page.reference.day, DAY, "")
    return span.to_dict() if span else None


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


def _lead_date(
    text: str, start: int, *, reference: Reference | None, limit: date
) -> DateSpan | None:
    """The day the story's lead sentence names, when it is the only day the story names.

    "Forces conducted an operation in Khas Uruzgan district, Sept. 26, which ...",
    and no other date but the report's own ("confirmed yesterday"): a story that
    names one day is about that day, and an event whose sentences name none (the
    airstrike of that operation, told three sentences on) happened on it. A story
    that names another day, or a lead that names a range, week or month, gives none.
    """
    while start < len(text) and text[start].isspace():
        start += 1
    stop = _SENTENCE_END.search(text, start)
    lead_end = stop.start() + 1 if stop else len(text)
    days: list[DateSpan] = []
    for mention in find_mentions(text, reference=reference, limit=limit, start=start):
        if mention.span is None or mention.weak:
            continue
        before = _sentence_before(text, mention.start)
        sentence_start = max(start, before[0]) if before else start
        if _is_report_date(mention, text, sentence_start) or _is_other_event(
            mention, text, sentence_start
        ):
            continue
        if mention.start >= lead_end or mention.span.precision != DAY:
            return None
        days.append(mention.span)
    if not days or len({span.start for span in days}) > 1:
        return None
    return days[0]


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
    """ "the July 2 attack", "Wednesday's bombing", "responsible for an attack Jan. 7":
    a date naming another, earlier event."""
    before = text[max(sentence_start, mention.start - 5) : mention.start]
    possessive = text.startswith(("'s", "’s"), mention.end)  # "yesterday's attack"
    if _THE.search(before) or possessive or _WEEKDAY_POSSESSIVE.search(mention.text):
        return True
    return bool(
        _DEED.search(text, max(sentence_start, mention.start - DEED_LOOKBACK), mention.start)
    )


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
    reference = reference_for(year_end)
    for mention in find_mentions(title, reference=reference, limit=latest_day(reference)):
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
    reference = reference_for(published)
    limit = latest_day(reference)
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
