"""The day a page counts from: its publication time and its dateline.

Takes a publication time (ISO-8601 text, a date or a date-time) and the top of an
article, and gives the :class:`Reference` relative date expressions count from
(the publisher's local date and hour, never UTC) and the :class:`Dateline` a story
opens with ("KABUL, Afghanistan (Jan. 25, 2013)", "SAN SALVADOR, 13 JAN 90"). Which
of them dates an event is :mod:`strife.dates`' choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from strife._date_expressions import EARLIEST_YEAR, Reference, month_number
from strife.errors import InputError

#: A dateline is looked for at the start of this many of the first lines of the body.
DATELINE_LINES = 4

_MONTH = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|"
    r"April|June|July|August|September|October|November|December)\.?"
)
#: Before a dateline's year: a comma or nothing, or a full stop typed for the comma
#: ("(Nov. 1. 2011)"), only before four digits ("March 12. 20 people ..." is no year).
_YEAR_SEPARATOR = r"(?:,?\s+|\.\s*(?=\d{4}(?!\d)))"
_DATELINE_DATE = (
    rf"(?:(?i:(?:Mon|Tues?|Wed|Thu(?:rs)?|Fri|Sat|Sun)\w*\.?),?\s+)?"
    rf"(?:(?P<m1>(?i:{_MONTH}))\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:{_YEAR_SEPARATOR}(?P<y1>\d{{4}}|\d\d))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>(?i:{_MONTH}))"
    rf"(?:{_YEAR_SEPARATOR}(?P<y2>\d{{4}}|\d\d))?)"
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
LINE_BREAK = re.compile(r"[\n\u2028\u2029]")  # one character each: offsets stay right


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
    limit = latest_day(reference_for(published))
    offset = 0
    for line in LINE_BREAK.split(text)[:lines]:
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


def reference_for(published: date | datetime | str | None) -> Reference | None:
    """The publisher's local date (and hour, when the page gives a time)."""
    if published is None:
        return None
    if isinstance(published, str):
        published = parse_published(published)
    if isinstance(published, datetime):
        midnight = published.tzinfo is None and (published.hour, published.minute) == (0, 0)
        return Reference(published.date(), None if midnight else published.hour)
    return Reference(published)


def latest_day(reference: Reference | None) -> date:
    """The latest day an event can have: the reference day, else today."""
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
