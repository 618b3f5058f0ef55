"""The spike rule: an area's rolling 30-day fatalities reaching a level not seen in a year.

After OCHA's HDX Signals for ACLED data: the series is the sum of fatalities
over the 30 days ending on each day; a day is a spike when that sum is at least
a minimum (``spike_min_fatalities``, HDX's 100) and higher than on every one of
the 365 days before it. Equal is not higher: a level seen before is not news.
Pure functions over ``{day: fatalities}``; ``watches.py`` builds the series.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

#: The rolling window, in days (HDX's "monthly" fatalities).
WINDOW_DAYS = 30
#: How far back a level counts as seen before.
LOOKBACK_DAYS = 365


@dataclass(frozen=True, slots=True)
class SpikeCheck:
    """One day's 30-day total, the highest of the year before it, and whether it is a spike."""

    day: date
    total: int
    previous_high: int
    spike: bool


def check_spike(daily: Mapping[date, int], day: date, *, minimum: int) -> SpikeCheck:
    """Whether ``day`` is a spike in the series ``daily`` (fatalities per day)."""
    first = day - timedelta(days=LOOKBACK_DAYS + WINDOW_DAYS - 1)
    span = (day - first).days + 1
    # cumulative[i] is the sum of the days before first + i, so a window is one subtraction.
    cumulative = [0]
    for offset in range(span):
        cumulative.append(cumulative[-1] + daily.get(first + timedelta(days=offset), 0))

    def total_ending(index: int) -> int:
        return cumulative[index + 1] - cumulative[max(0, index + 1 - WINDOW_DAYS)]

    today = span - 1
    total = total_ending(today)
    previous = max(total_ending(today - back) for back in range(1, LOOKBACK_DAYS + 1))
    return SpikeCheck(day, total, previous, total >= minimum and total > previous)


def candidate_days(changed: list[date], known: list[date]) -> list[date]:
    """The window ends a change can have lifted: each changed day, and known days 29 after it.

    A 30-day total only rises on a day with fatalities, so its highest point over
    the windows that hold a changed day is at that day or at a later known day.
    """
    days = set(changed)
    for day in changed:
        days.update(d for d in known if day < d < day + timedelta(days=WINDOW_DAYS))
    return sorted(days)


__all__ = ["LOOKBACK_DAYS", "WINDOW_DAYS", "SpikeCheck", "candidate_days", "check_spike"]
