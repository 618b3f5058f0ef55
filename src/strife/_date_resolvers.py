"""Which days a date expression names: from a regular-expression match to days.

Takes a match of one of :mod:`strife._date_expressions`' rules, whose named groups
hold its parts (``m`` the month, ``d`` the day, ``y`` the year, ``w`` the weekday,
``n`` and ``unit`` a count), and the :class:`Reference` relative words count from,
and returns the days it names, ``(start, end, precision)``, or the warning code of
the reason it names none (in the future, or relative with no publication date).
Finding the expressions, and what to do with the days, is left to
:mod:`strife._date_expressions`.
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
NO_REFERENCE = "W603"
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
class Reference:
    """The day relative expressions count from: the publisher's local date.

    ``hour`` is the local hour of publication when the page gives a time (it
    decides what "last night" means), else ``None``.
    """

    day: date
    hour: int | None = None


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


# Each rule of ``_date_expressions.RULES`` pairs a pattern with a resolver. A resolver
# gets the match and the reference (None when the page has no date) and returns the
# days (start, end, precision), or a warning code (None: not a date, "February 30").
# Year-less dates take the reference's year, or the one before when that would put
# them after the reference.
Resolved = tuple[date, date, str] | str | None
Resolver = Callable[[re.Match[str], Reference | None], Resolved]


def absolute_day(match: re.Match[str], reference: Reference | None) -> Resolved:
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


def day_range(match: re.Match[str], reference: Reference | None) -> Resolved:
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


def month_year(match: re.Match[str], reference: Reference | None) -> Resolved:
    month = month_number(match.group("m"))
    written = match.groupdict().get("y")
    if written:
        year = int(written)
    elif reference is None:
        return NO_REFERENCE
    else:
        year = reference.day.year - (month > reference.day.month)
    return date(year, month, 1), _month_end(year, month), MONTH


def year_only(match: re.Match[str], reference: Reference | None) -> Resolved:
    year = int(match.group("y"))
    return date(year, 1, 1), date(year, 12, 31), YEAR


def telex(match: re.Match[str], reference: Reference | None) -> Resolved:
    """ "13 JAN 90", as wire services write dates: the latest century not after the page."""
    limit = reference.day if reference else date.today()
    short = int(match.group("y"))
    year = 2000 + short if 2000 + short <= limit.year else 1900 + short
    found = _safe_date(year, month_number(match.group("m")), int(match.group("d")))
    return (found, found, DAY) if found else None


def iso_day(match: re.Match[str], reference: Reference | None) -> Resolved:
    found = _safe_date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    return (found, found, DAY) if found else None


def numeric_day(match: re.Match[str], reference: Reference | None) -> Resolved:
    """3/25/2013 or 25.03.2013: a part over 12 is the day; when both could be, a
    dotted date is day first (the countries that write dates with dots put the day
    first) and a slashed one month first (the US outlets that write dates so)."""
    first, second = int(match.group("a")), int(match.group("b"))
    day_first = first > 12 or (second <= 12 and "." in match.group())
    month, day = (second, first) if day_first else (first, second)
    found = _safe_date(int(match.group("y")), month, day)
    return (found, found, DAY) if found else None


def days_before(days: int) -> Resolver:
    def resolve(match: re.Match[str], reference: Reference | None) -> Resolved:
        if reference is None:
            return NO_REFERENCE
        found = reference.day - timedelta(days=days)
        return found, found, DAY

    return resolve


def last_night(match: re.Match[str], reference: Reference | None) -> Resolved:
    if reference is None:
        return NO_REFERENCE
    evening = reference.hour is not None and reference.hour >= EVENING_HOUR
    found = reference.day if evening else reference.day - timedelta(days=1)
    return found, found, DAY


def weekday(match: re.Match[str], reference: Reference | None) -> Resolved:
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


def this_week(match: re.Match[str], reference: Reference | None) -> Resolved:
    if reference is None:
        return NO_REFERENCE
    monday, _ = _week_of(reference.day)
    return monday, reference.day, WEEK


def last_week(match: re.Match[str], reference: Reference | None) -> Resolved:
    if reference is None:
        return NO_REFERENCE
    monday, sunday = _week_of(reference.day - timedelta(days=7))
    return monday, sunday, WEEK


def this_month(match: re.Match[str], reference: Reference | None) -> Resolved:
    if reference is None:
        return NO_REFERENCE
    return reference.day.replace(day=1), reference.day, MONTH


def last_month(match: re.Match[str], reference: Reference | None) -> Resolved:
    if reference is None:
        return NO_REFERENCE
    first = _minus_months(reference.day, 1)
    return first, _month_end(first.year, first.month), MONTH


def this_year(match: re.Match[str], reference: Reference | None) -> Resolved:
    if reference is None:
        return NO_REFERENCE
    return date(reference.day.year, 1, 1), reference.day, YEAR


def last_year(match: re.Match[str], reference: Reference | None) -> Resolved:
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


def past(match: re.Match[str], reference: Reference | None) -> Resolved:
    """ "over the past three days": from that many days before the reference to it."""
    if reference is None:
        return NO_REFERENCE
    count = _number(match.group("n")) if match.group("n") else 1
    return _days_back(count, match.group("unit"), reference.day), reference.day, RANGE


def ago(match: re.Match[str], reference: Reference | None) -> Resolved:
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


def future(match: re.Match[str], reference: Reference | None) -> Resolved:
    return FUTURE


def past_weak(match: re.Match[str], reference: Reference | None) -> Resolved:
    """ "24 hours after ...": counted from another event; read as "within that many
    days before the page" only when nothing better dates the event."""
    if reference is None:
        return NO_REFERENCE
    count = _number(match.group("n") or match.group("n2"))
    unit = match.group("unit") or match.group("unit2")
    return _days_back(count, unit, reference.day), reference.day, RANGE
