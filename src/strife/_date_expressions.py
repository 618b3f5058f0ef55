"""Date expressions in English news text: where they are and which days they name.

Takes a piece of text and a :class:`Reference` (the publisher's local date) and
returns every date expression found in it, each with its offsets and either the
span of days it names (:class:`DateSpan`) or the code of the reason it names none
(in the future, before 1900, relative with no publication date). This module holds
the patterns (:data:`RULES`) and the choice among overlapping matches; which days
one match names is :mod:`strife._date_resolvers`' job, and choosing which
expression dates an event is left to :mod:`strife.dates`.

These are regular expressions, not dateparser: the text of a news page is long,
dateparser is slow on it and guesses where the text is vague ("May" the verb,
"2,012 people"), and it cannot read ranges, weeks or "over the past three days".
Months and weekdays must be capitalised (or upper-case, as datelines write them),
so "may" and "a march" are not dates.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from strife._date_resolvers import (
    DAY,
    FUTURE,
    MONTH_NUMBERS,
    NUMBER_WORDS,
    WEEKDAYS,
    Reference,
    Resolved,
    Resolver,
    absolute_day,
    ago,
    day_range,
    days_before,
    future,
    iso_day,
    last_month,
    last_night,
    last_week,
    last_year,
    month_number,
    month_year,
    numeric_day,
    past,
    past_weak,
    telex,
    this_month,
    this_week,
    this_year,
    weekday,
    year_only,
)

#: What other modules read here; the vocabulary and ``Reference`` come from
#: ``_date_resolvers`` and are re-exported so callers need only this module.
__all__ = [
    "DAY",
    "EARLIEST_YEAR",
    "MONTH_NUMBERS",
    "RULES",
    "TOO_EARLY",
    "DateSpan",
    "Mention",
    "Reference",
    "find_mentions",
    "month_number",
]

#: Warning code (see ``errors.WARNINGS``); the others are ``_date_resolvers``'.
TOO_EARLY = "W602"
#: Dates before this year are not news events (a history aside, or a count read as a year).
EARLIEST_YEAR = 1900


@dataclass(frozen=True, slots=True)
class DateSpan:
    """The days an expression names: ``start`` to ``end`` inclusive, with its precision."""

    start: date
    end: date
    precision: str
    text: str = ""

    def to_dict(self) -> dict[str, str]:
        """The ``events[].date`` object of ``strife/1``."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "precision": self.precision,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Mention:
    """One date expression in a text: its offsets, and its days or why it has none."""

    start: int
    end: int
    text: str
    span: DateSpan | None
    #: The warning code when ``span`` is None.
    problem: str | None = None
    #: Counted from another event ("24 hours after ..."), not from the page: used last.
    weak: bool = False


def _cased(words: list[str]) -> str:
    """An alternation of the words in Title case and upper case, longest first."""
    forms = {form for word in words for form in (word.title(), word.upper())}
    return "|".join(sorted(forms, key=len, reverse=True))


_MONTH_WORDS = [calendar.month_name[n] for n in range(1, 13)] + [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
]
_MONTH_ALTERNATION = _cased(_MONTH_WORDS)
_UPPER_MONTHS = "|".join(sorted((w.upper() for w in _MONTH_WORDS), key=len, reverse=True))
_WEEKDAY_ALTERNATION = _cased(list(WEEKDAYS))
_NUMBER = r"\d{1,3}|" + "|".join(w.replace(" ", r"\s+") for w in NUMBER_WORDS)


def _month(name: str) -> str:
    return rf"(?P<{name}>{_MONTH_ALTERNATION})\b\.?"


def _day(name: str) -> str:
    return rf"(?P<{name}>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"


def _year(name: str) -> str:
    return rf"(?P<{name}>1\d{{3}}|20\d\d)(?!\d)"


_WEEKDAY = rf"(?:(?:{_WEEKDAY_ALTERNATION})\s*,?\s+)?"
_JOIN = r"\s*(?:-|–|—|(?i:to|through|until|and))\s*"
_PART_OF_DAY = r"(?:\s+(?i:morning|afternoon|evening|night))?"
#: "Saturday's blast", and "Saturdays blast" where a page lost its apostrophes (not
#: "on Saturdays and Sundays": a plural is followed by a capital, "and" or punctuation).
_POSSESSIVE = r"(?:['’]s|s(?=\s+(?!and\b|or\b)[a-z]))?"
_YEAR_PREFIX = r"(?i:in|during|since|throughout|until|of|early|late|mid-?|end\s+of)"


#: (name, pattern, resolver, weak). Overlapping matches keep the longest.
RULES: tuple[tuple[str, str, Resolver, bool], ...] = (
    ("iso", r"\b(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)", iso_day, False),
    ("numeric", r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})(?!\d)", numeric_day, False),
    (
        "month_day_range",
        rf"\b{_month('m1')}\s+{_day('d1')}{_JOIN}(?:{_month('m2')}\s+)?{_day('d2')}"
        rf"(?:\s*,?\s+{_year('y')})?",
        day_range,
        False,
    ),
    (
        "day_month_range",
        rf"\b{_day('d1')}(?:\s+{_month('m1')})?{_JOIN}{_day('d2')}\s+(?:(?i:of)\s+)?"
        rf"{_month('m2')}(?:\s*,?\s+{_year('y')})?",
        day_range,
        False,
    ),
    (
        "month_day",
        rf"\b{_WEEKDAY}{_month('m')}\s+{_day('d')}(?:\s*,?\s+{_year('y')})?",
        absolute_day,
        False,
    ),
    (
        "day_month",
        rf"\b{_WEEKDAY}(?:(?i:the)\s+)?{_day('d')}\s+(?:(?i:of)\s+)?{_month('m')}"
        rf"(?:\s*,?\s+{_year('y')})?",
        absolute_day,
        False,
    ),
    ("month_year", rf"\b{_month('m')}\s*,?\s+(?:(?i:of)\s+)?{_year('y')}", month_year, False),
    (
        "month",
        rf"\b(?:{_YEAR_PREFIX}|(?i:last|this))\s+{_month('m')}(?!\s*\d)",
        month_year,
        False,
    ),
    ("year", rf"\b(?:{_YEAR_PREFIX}\s+|(?i:mid-))(?:{_year('y')})", year_only, False),
    (
        "telex",
        rf"\b{_day('d')}\s+(?P<m>{_UPPER_MONTHS})\.?\s+(?P<y>\d\d)(?!\d)",
        telex,
        False,
    ),
    ("day_before_yesterday", r"\b(?i:the\s+day\s+before\s+yesterday)\b", days_before(2), False),
    ("yesterday", rf"\b(?i:yesterday){_PART_OF_DAY}\b", days_before(1), False),
    (
        "last_night",
        # "overnight" alone, not "an overnight operation" (that one's day is named apart)
        r"\b(?i:(?:late\s+|early\s+)?last\s+night)\b|\b(?i:overnight)\b(?!\s+[a-z])",
        last_night,
        False,
    ),
    (
        "today",
        r"\b(?i:(?:earlier\s+|later\s+)?today|tonight|this\s+(?:morning|afternoon|evening))\b",
        days_before(0),
        False,
    ),
    (
        "weekday",
        rf"\b(?:(?P<which>(?i:last|this|past|on|late\s+on|early\s+on|late|early))\s+)?"
        rf"(?P<w>{_WEEKDAY_ALTERNATION}){_POSSESSIVE}{_PART_OF_DAY}\b",
        weekday,
        False,
    ),
    (
        "this_week",
        r"\b(?i:(?:earlier|early|later|late)\s+this\s+week|this\s+week|"
        r"(?:earlier|early)\s+in\s+the\s+week)\b",
        this_week,
        False,
    ),
    (
        "last_week",
        r"\b(?i:last\s+week|the\s+previous\s+week|the\s+week\s+before)\b",
        last_week,
        False,
    ),
    ("this_month", r"\b(?i:(?:earlier|early)\s+this\s+month|this\s+month)\b", this_month, False),
    ("last_month", r"\b(?i:last\s+month|the\s+previous\s+month)\b", last_month, False),
    ("this_year", r"\b(?i:(?:earlier|early)\s+this\s+year|this\s+year)\b", this_year, False),
    ("last_year", r"\b(?i:last\s+year|the\s+previous\s+year)\b", last_year, False),
    (
        "past",
        rf"\b(?i:(?:over|in|during|for|within|throughout)\s+the\s+(?:past|last|previous)\s+"
        rf"(?:(?P<n>{_NUMBER})\s+)?(?P<unit>hours?|days?|weeks?|months?|years?))\b",
        past,
        False,
    ),
    (
        "ago",
        rf"\b(?i:(?P<n>{_NUMBER})\s+(?P<unit>days?|weeks?|months?|years?)\s+ago)\b",
        ago,
        False,
    ),
    (
        "after",
        rf"\b(?i:(?:just\s+|only\s+)?(?P<n>{_NUMBER})\s+(?P<unit>hours?|days?)\s+"
        r"(?:after|before|later|earlier)|within\s+(?P<n2>\d{1,3})\s+(?P<unit2>hours|days))\b",
        past_weak,
        True,
    ),
    (
        "future",
        rf"\b(?i:tomorrow|next\s+(?:week|month|year))\b|\b(?i:next)\s+(?:{_WEEKDAY_ALTERNATION})\b",
        future,
        False,
    ),
)


_COMPILED = tuple((re.compile(pattern), resolve, weak) for _, pattern, resolve, weak in RULES)
#: Every rule above needs one of these: a digit, a month, or a word of time (weekdays,
#: "today" and "yesterday" end in "day", "overnight" in "night"). A stretch with none is
#: passed over without running the rules.
_ANCHOR = re.compile(
    rf"\d|{_MONTH_ALTERNATION}|(?i:day|night|week|month|year|hour|morning|afternoon|"
    r"evening|tomorrow)"
)


def find_mentions(
    text: str,
    *,
    reference: Reference | None,
    limit: date,
    start: int = 0,
    end: int | None = None,
) -> list[Mention]:
    """Every date expression in ``text[start:end]``, in text order, offsets into ``text``.

    Args:
        text: the text to search.
        reference: the day relative expressions count from (None: they resolve to
            nothing, with ``NO_REFERENCE``).
        limit: the latest day an event can have (the publication day); a later
            date is a mention with ``FUTURE`` and no span.
        start: where to begin in ``text``.
        end: where to stop (the end of ``text`` when None).
    """
    stop = len(text) if end is None else end
    if not _ANCHOR.search(text, start, stop):
        return []
    found: list[tuple[re.Match[str], Resolver, bool]] = []
    for pattern, resolve, weak in _COMPILED:
        found.extend((match, resolve, weak) for match in pattern.finditer(text, start, stop))
    found.sort(key=lambda item: (item[0].start() - item[0].end(), item[0].start()))
    kept: list[tuple[re.Match[str], Resolver, bool]] = []
    for match, resolve, weak in found:
        if all(
            match.end() <= other.start() or match.start() >= other.end() for other, _, _ in kept
        ):
            kept.append((match, resolve, weak))
    kept.sort(key=lambda item: item[0].start())
    mentions = []
    for match, resolve, weak in kept:
        mention = _mention(match, resolve(match, reference), weak=weak, limit=limit)
        if mention is not None:
            mentions.append(mention)
    return mentions


def _mention(
    match: re.Match[str], resolved: Resolved, *, weak: bool, limit: date
) -> Mention | None:
    words = match.group(0)
    if resolved is None:
        return None  # not a date after all ("February 30")
    if isinstance(resolved, str):
        return Mention(match.start(), match.end(), words, None, resolved, weak)
    first, last, precision = resolved
    if first.year < EARLIEST_YEAR:
        return Mention(match.start(), match.end(), words, None, TOO_EARLY, weak)
    if first > limit:
        return Mention(match.start(), match.end(), words, None, FUTURE, weak)
    span = DateSpan(first, min(last, limit) if precision != DAY else last, precision, words)
    return Mention(match.start(), match.end(), words, span, None, weak)
