"""Date expressions in English news text: where they are and which days they name.

Takes a piece of text and a :class:`Reference` (the publisher's local date) and
returns every date expression found in it, each with its offsets and either the
span of days it names (:class:`DateSpan`) or the code of the reason it names none
(in the future, before 1900, relative with no publication date). Choosing which
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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from strife.extract.quantities import SMALL_NUMBERS

DAY = "day"
RANGE = "range"
WEEK = "week"
MONTH = "month"
YEAR = "year"
#: Warning codes (see ``errors.WARNINGS``).
FUTURE = "W601"
TOO_EARLY = "W602"
NO_REFERENCE = "W603"
#: Dates before this year are not news events (a history aside, or a count read as a year).
EARLIEST_YEAR = 1900
#: From this local hour on, "last night" is the evening of the publication day: a page
#: published at 21:00 (a paper's next-morning edition) means tonight; a morning release
#: means the night before.
EVENING_HOUR = 18

MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Number words a duration may be written with; "few" and "several" as 3, ACLED's "several".
NUMBER_WORDS = {"a": 1, "an": 1, **SMALL_NUMBERS, "few": 3, "several": 3, "couple of": 2}


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
class Reference:
    """The day relative expressions count from: the publisher's local date.

    ``hour`` is the local hour of publication when the page gives a time (it
    decides what "last night" means), else ``None``.
    """

    day: date
    hour: int | None = None


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
_YEAR_PREFIX = r"(?i:in|during|since|throughout|until|of|early|late|mid-?|end\s+of)"


def _number(word: str) -> int:
    word = " ".join(word.lower().split())
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def month_number(word: str) -> int:
    """1..12 for a month name or abbreviation ("Sept.", "JAN", "March")."""
    return MONTH_NUMBERS[word[:3].lower()]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _minus_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, 1)


def _week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


# Each rule reads one kind of expression: (pattern, resolver). A resolver gets the
# match and the reference (None when the page has no date) and returns the days
# (start, end, precision), or a warning code. Year-less dates take the reference's
# year, or the one before when that would put them after the reference.
Resolved = tuple[date, date, str] | str | None
Resolver = Callable[[re.Match[str], Reference | None], Resolved]


def _absolute_day(match: re.Match[str], reference: Reference | None) -> Resolved:
    month = month_number(match.group("m"))
    day = int(match.group("d"))
    found = _place_year(match.group("y"), month, day, reference)
    return (found, found, DAY) if isinstance(found, date) else found


def _place_year(
    year: str | None, month: int, day: int, reference: Reference | None
) -> date | str | None:
    """The date of ``day month [year]``; without a year, the latest one on or before the
    reference (a code when there is none)."""
    if year is not None:
        return _safe_date(int(year), month, day)
    if reference is None:
        return NO_REFERENCE
    found = _safe_date(reference.day.year, month, day)
    if found is not None and found > reference.day:
        found = _safe_date(reference.day.year - 1, month, day)
    return found


def _range(match: re.Match[str], reference: Reference | None) -> Resolved:
    """Two days of one month ("March 3-5", "3-5 March") or of two ("March 30-April 2")."""
    first_name, second_name = match.group("m1"), match.group("m2")
    first = month_number(first_name or second_name)
    second = month_number(second_name or first_name)
    end = _place_year(match.group("y"), second, int(match.group("d2")), reference)
    if not isinstance(end, date):
        return end
    start = _safe_date(end.year - (first > second), first, int(match.group("d1")))
    if start is None or start > end:
        return None
    return start, end, RANGE


def _month_year(match: re.Match[str], reference: Reference | None) -> Resolved:
    month = month_number(match.group("m"))
    written = match.groupdict().get("y")
    if written:
        year = int(written)
    elif reference is None:
        return NO_REFERENCE
    else:
        year = reference.day.year - (month > reference.day.month)
    return date(year, month, 1), _month_end(year, month), MONTH


def _year_only(match: re.Match[str], reference: Reference | None) -> Resolved:
    year = int(match.group("y"))
    return date(year, 1, 1), date(year, 12, 31), YEAR


def _telex(match: re.Match[str], reference: Reference | None) -> Resolved:
    """ "13 JAN 90", as wire services write dates: the latest century not after the page."""
    limit = reference.day if reference else date.today()
    short = int(match.group("y"))
    year = 2000 + short if 2000 + short <= limit.year else 1900 + short
    found = _safe_date(year, month_number(match.group("m")), int(match.group("d")))
    return (found, found, DAY) if found else None


def _iso(match: re.Match[str], reference: Reference | None) -> Resolved:
    found = _safe_date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    return (found, found, DAY) if found else None


def _numeric(match: re.Match[str], reference: Reference | None) -> Resolved:
    """3/25/2013 or 25.03.2013: a part over 12 is the day; when both could be, the
    first is the month (the order of the US outlets that write dates this way)."""
    first, second = int(match.group("a")), int(match.group("b"))
    month, day = (second, first) if first > 12 else (first, second)
    found = _safe_date(int(match.group("y")), month, day)
    return (found, found, DAY) if found else None


def _relative(days: int) -> Resolver:
    def resolve(match: re.Match[str], reference: Reference | None) -> Resolved:
        if reference is None:
            return NO_REFERENCE
        found = reference.day - timedelta(days=days)
        return found, found, DAY

    return resolve


def _last_night(match: re.Match[str], reference: Reference | None) -> Resolved:
    if reference is None:
        return NO_REFERENCE
    evening = reference.hour is not None and reference.hour >= EVENING_HOUR
    found = reference.day if evening else reference.day - timedelta(days=1)
    return found, found, DAY


def _weekday(match: re.Match[str], reference: Reference | None) -> Resolved:
    """The latest such weekday on or before the reference ("on Monday" said on a Monday
    is that day); after "last" or "past", strictly before it."""
    if reference is None:
        return NO_REFERENCE
    wanted = WEEKDAYS.index(match.group("w").title())
    back = (reference.day.weekday() - wanted) % 7
    which = (match.group("which") or "").lower()
    if back == 0 and which in ("last", "past"):
        back = 7
    found = reference.day - timedelta(days=back)
    return found, found, DAY


def _this_week(match: re.Match[str], reference: Reference | None) -> Resolved:
    if reference is None:
        return NO_REFERENCE
    monday, _ = _week_of(reference.day)
    return monday, reference.day, WEEK


def _last_week(match: re.Match[str], reference: Reference | None) -> Resolved:
    if reference is None:
        return NO_REFERENCE
    monday, sunday = _week_of(reference.day - timedelta(days=7))
    return monday, sunday, WEEK


def _this_month(match: re.Match[str], reference: Reference | None) -> Resolved:
    if reference is None:
        return NO_REFERENCE
    return reference.day.replace(day=1), reference.day, MONTH


def _last_month(match: re.Match[str], reference: Reference | None) -> Resolved:
    if reference is None:
        return NO_REFERENCE
    first = _minus_months(reference.day, 1)
    return first, _month_end(first.year, first.month), MONTH


def _this_year(match: re.Match[str], reference: Reference | None) -> Resolved:
    if reference is None:
        return NO_REFERENCE
    return date(reference.day.year, 1, 1), reference.day, YEAR


def _last_year(match: re.Match[str], reference: Reference | None) -> Resolved:
    if reference is None:
        return NO_REFERENCE
    year = reference.day.year - 1
    return date(year, 1, 1), date(year, 12, 31), YEAR


def _days_back(count: int, unit: str, day: date) -> date:
    unit = unit.lower().rstrip("s")
    if unit == "hour":
        return day - timedelta(days=max(1, -(-count // 24)))
    if unit == "day":
        return day - timedelta(days=count)
    if unit == "week":
        return day - timedelta(days=7 * count)
    if unit == "month":
        back = _minus_months(day, count)
        return back.replace(day=min(day.day, calendar.monthrange(back.year, back.month)[1]))
    return day.replace(year=day.year - count, day=min(day.day, 28 if day.month == 2 else 31))


def _past(match: re.Match[str], reference: Reference | None) -> Resolved:
    """ "over the past three days": from that many days before the reference to it."""
    if reference is None:
        return NO_REFERENCE
    count = _number(match.group("n")) if match.group("n") else 1
    return _days_back(count, match.group("unit"), reference.day), reference.day, RANGE


def _ago(match: re.Match[str], reference: Reference | None) -> Resolved:
    if reference is None:
        return NO_REFERENCE
    count, unit = _number(match.group("n")), match.group("unit").lower().rstrip("s")
    back = _days_back(count, unit, reference.day)
    if unit == "day":
        return back, back, DAY
    if unit == "week":
        monday, sunday = _week_of(back)
        return monday, min(sunday, reference.day), WEEK
    if unit == "month":
        first = back.replace(day=1)
        return first, min(_month_end(first.year, first.month), reference.day), MONTH
    return date(back.year, 1, 1), min(date(back.year, 12, 31), reference.day), YEAR


def _future(match: re.Match[str], reference: Reference | None) -> Resolved:
    return FUTURE


#: (name, pattern, resolver, weak). Overlapping matches keep the longest.
RULES: tuple[tuple[str, str, Resolver, bool], ...] = (
    ("iso", r"\b(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)", _iso, False),
    ("numeric", r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})(?!\d)", _numeric, False),
    (
        "month_day_range",
        rf"\b{_month('m1')}\s+{_day('d1')}{_JOIN}(?:{_month('m2')}\s+)?{_day('d2')}"
        rf"(?:\s*,?\s+{_year('y')})?",
        _range,
        False,
    ),
    (
        "day_month_range",
        rf"\b{_day('d1')}(?:\s+{_month('m1')})?{_JOIN}{_day('d2')}\s+(?:(?i:of)\s+)?"
        rf"{_month('m2')}(?:\s*,?\s+{_year('y')})?",
        _range,
        False,
    ),
    (
        "month_day",
        rf"\b{_WEEKDAY}{_month('m')}\s+{_day('d')}(?:\s*,?\s+{_year('y')})?",
        _absolute_day,
        False,
    ),
    (
        "day_month",
        rf"\b{_WEEKDAY}(?:(?i:the)\s+)?{_day('d')}\s+(?:(?i:of)\s+)?{_month('m')}"
        rf"(?:\s*,?\s+{_year('y')})?",
        _absolute_day,
        False,
    ),
    ("month_year", rf"\b{_month('m')}\s*,?\s+(?:(?i:of)\s+)?{_year('y')}", _month_year, False),
    (
        "month",
        rf"\b(?:{_YEAR_PREFIX}|(?i:last|this))\s+{_month('m')}(?!\s*\d)",
        _month_year,
        False,
    ),
    ("year", rf"\b(?:{_YEAR_PREFIX}\s+|(?i:mid-))(?:{_year('y')})", _year_only, False),
    (
        "telex",
        rf"\b{_day('d')}\s+(?P<m>{_UPPER_MONTHS})\.?\s+(?P<y>\d\d)(?!\d)",
        _telex,
        False,
    ),
    ("day_before_yesterday", r"\b(?i:the\s+day\s+before\s+yesterday)\b", _relative(2), False),
    ("yesterday", rf"\b(?i:yesterday){_PART_OF_DAY}\b", _relative(1), False),
    (
        "last_night",
        # "overnight" alone, not "an overnight operation" (that one's day is named apart)
        r"\b(?i:(?:late\s+|early\s+)?last\s+night)\b|\b(?i:overnight)\b(?!\s+[a-z])",
        _last_night,
        False,
    ),
    (
        "today",
        r"\b(?i:(?:earlier\s+|later\s+)?today|tonight|this\s+(?:morning|afternoon|evening))\b",
        _relative(0),
        False,
    ),
    (
        "weekday",
        rf"\b(?:(?P<which>(?i:last|this|past|on|late\s+on|early\s+on|late|early))\s+)?"
        rf"(?P<w>{_WEEKDAY_ALTERNATION}){_PART_OF_DAY}\b",
        _weekday,
        False,
    ),
    (
        "this_week",
        r"\b(?i:(?:earlier|early|later|late)\s+this\s+week|this\s+week|"
        r"(?:earlier|early)\s+in\s+the\s+week)\b",
        _this_week,
        False,
    ),
    (
        "last_week",
        r"\b(?i:last\s+week|the\s+previous\s+week|the\s+week\s+before)\b",
        _last_week,
        False,
    ),
    ("this_month", r"\b(?i:(?:earlier|early)\s+this\s+month|this\s+month)\b", _this_month, False),
    ("last_month", r"\b(?i:last\s+month|the\s+previous\s+month)\b", _last_month, False),
    ("this_year", r"\b(?i:(?:earlier|early)\s+this\s+year|this\s+year)\b", _this_year, False),
    ("last_year", r"\b(?i:last\s+year|the\s+previous\s+year)\b", _last_year, False),
    (
        "past",
        rf"\b(?i:(?:over|in|during|for|within|throughout)\s+the\s+(?:past|last|previous)\s+"
        rf"(?:(?P<n>{_NUMBER})\s+)?(?P<unit>hours?|days?|weeks?|months?|years?))\b",
        _past,
        False,
    ),
    (
        "ago",
        rf"\b(?i:(?P<n>{_NUMBER})\s+(?P<unit>days?|weeks?|months?|years?)\s+ago)\b",
        _ago,
        False,
    ),
    (
        "after",
        rf"\b(?i:(?:just\s+|only\s+)?(?P<n>{_NUMBER})\s+(?P<unit>hours?|days?)\s+"
        r"(?:after|before|later|earlier)|within\s+(?P<n2>\d{1,3})\s+(?P<unit2>hours|days))\b",
        lambda match, reference: _past_weak(match, reference),
        True,
    ),
    (
        "future",
        rf"\b(?i:tomorrow|next\s+(?:week|month|year))\b|\b(?i:next)\s+(?:{_WEEKDAY_ALTERNATION})\b",
        _future,
        False,
    ),
)


def _past_weak(match: re.Match[str], reference: Reference | None) -> Resolved:
    """ "24 hours after ...": counted from another event; read as "within that many
    days before the page" only when nothing better dates the event."""
    if reference is None:
        return NO_REFERENCE
    count = _number(match.group("n") or match.group("n2"))
    unit = match.group("unit") or match.group("unit2")
    return _days_back(count, unit, reference.day), reference.day, RANGE


_COMPILED = tuple((re.compile(pattern), resolve, weak) for _, pattern, resolve, weak in RULES)


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
