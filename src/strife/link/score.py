"""How alike two reports are: one score in [0, 1] and the parts it is made of.

A pair is first *blocked*: reports more than the date window apart, placed in
different countries (unless one knows only a country: "Russian strikes" can be
placed in Russia by mistake) or in different provinces by their own sentences
(a place borrowed from the lead or the headline is often another incident's), or
of incompatible kinds (a protest and an air strike) are never compared; the store
looks candidates up by date and country, which is what keeps linking far from
quadratic. Distance is scored, not blocked on, since a report placed wrongly must
still be able to join by its words. A pair that passes gets six parts, each in
[0, 1], weighted by :data:`WEIGHTS`:

- ``text``: the cosine of the reports' words (``terms.cosine``), saturating at
  :data:`TEXT_SATURATION` (two reports of one incident rarely share more);
- ``date``: 1 for overlapping dates, times :data:`DAY_DECAY` for each day
  between them (an incident is one day or night; reports a day off are common,
  more are rarer than a formulaic daily report of a new attack);
- ``place``: by distance between points (1 within :data:`SAME_PLACE_KM`, 0 at
  the radius) when both are placed finer than a province; else 0.5 for the
  same province, 0.2 for the same country only. A city that shares its
  province's name ("Syria's Idlib") counts as the province: the words cannot
  tell the two apart;
- ``category``: 1 for the same subtype, 0.6 the same category, 0.3 two kinds of
  political violence (typing often hesitates between an attack and a shelling);
- ``figures``: 1 when the death tolls are within a factor of 1.5 of each other,
  0.6 within 3, 0.2 beyond; 0.5 when either gives none (tolls rise over days);
- ``actors``: 1 when a perpetrator kind is shared, 0.2 when both name only
  others, 0.5 when either names none.

Each missing value scores the middle of its range: it neither joins nor parts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from strife.link.terms import cosine
from strife.locate.distance import km_between
from strife.locate.names import skeleton

#: Weight of each part in the total; they sum to 1.
WEIGHTS: Mapping[str, float] = {
    "text": 0.35,
    "date": 0.2,
    "place": 0.15,
    "category": 0.15,
    "figures": 0.1,
    "actors": 0.05,
}
TEXT_SATURATION = 0.5
#: The date part per day between two reports' dates: 1, 0.6, 0.36...
DAY_DECAY = 0.6
SAME_PLACE_KM = 2.0
#: Kinds of political violence: reports of one incident are often typed differently among these.
VIOLENT = frozenset({"battles", "explosions_remote_violence", "violence_against_civilians"})
#: Location precisions no finer than a province: a point there says little about the place.
COARSE = frozenset({"country", "admin1"})
#: Place bases (``locate.resolve``) that come from the report's own sentences; None: unknown.
OWN_PLACE = frozenset({"event", None})
#: What a missing value scores.
UNKNOWN = 0.5


@dataclass(frozen=True, slots=True)
class Report:
    """What linking knows of one report (one article's event)."""

    id: int
    article_id: int
    category: str
    subtype: str
    start: date | None = None
    end: date | None = None
    country: str | None = None
    admin1: str | None = None
    place: str | None = None
    precision: str | None = None
    #: Where the place came from (``locate.resolve``): ``event`` when the report's own
    #: sentences name it, else a fallback (``context``, ``headline``, ``lead``, ``country``).
    place_basis: str | None = None
    lat: float | None = None
    lon: float | None = None
    fatalities: int | None = None
    perpetrators: frozenset[str] = frozenset()
    terms: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LinkScore:
    """The weighted total and its parts, rounded: the reasons recorded with a link."""

    total: float
    parts: dict[str, float]

    def to_dict(self) -> dict[str, float]:
        return {"score": self.total, **self.parts}


@dataclass(frozen=True, slots=True)
class Limits:
    """Blocking limits: beyond them a pair is not compared at all."""

    window_days: int = 3
    radius_km: float = 25.0


def score_pair(
    a: Report, b: Report, *, idf: Callable[[str], float], limits: Limits
) -> LinkScore | None:
    """The score of two reports, or ``None`` when blocking keeps them apart."""
    if a.country != b.country and a.precision != "country" and b.precision != "country":
        return None
    if _other_provinces(a, b):
        return None
    category = _category(a, b)
    gap = _day_gap(a, b)
    if category is None or (gap is not None and gap > limits.window_days):
        return None
    distance = _distance_km(a, b)
    parts = {
        "text": min(1.0, cosine(a.terms, b.terms, idf) / TEXT_SATURATION),
        "date": UNKNOWN if gap is None else DAY_DECAY**gap,
        "place": _place(a, b, distance, limits.radius_km),
        "category": category,
        "figures": _figures(a.fatalities, b.fatalities),
        "actors": _actors(a.perpetrators, b.perpetrators),
    }
    total = sum(WEIGHTS[name] * value for name, value in parts.items())
    return LinkScore(round(total, 4), {name: round(value, 3) for name, value in parts.items()})


def _other_provinces(a: Report, b: Report) -> bool:
    """Placed in two provinces, each by its own sentences; a fallback place may be wrong."""
    if not (a.admin1 and b.admin1) or a.admin1 == b.admin1:
        return False
    return a.place_basis in OWN_PLACE and b.place_basis in OWN_PLACE


def _category(a: Report, b: Report) -> float | None:
    if a.category == b.category:
        return 1.0 if a.subtype == b.subtype else 0.6
    if a.category in VIOLENT and b.category in VIOLENT:
        return 0.3
    return None


def _day_gap(a: Report, b: Report) -> int | None:
    """Days between the two date ranges, 0 when they overlap; None when either is undated."""
    if a.start is None or b.start is None:
        return None
    a_end, b_end = a.end or a.start, b.end or b.start
    return max(0, (b.start - a_end).days, (a.start - b_end).days)


def _fine(report: Report) -> bool:
    """Placed finer than a province, and not by a name the province shares ("Idlib", "Aleppo")."""
    if report.precision in COARSE:
        return False
    named_as_province = (
        report.place and report.admin1 and skeleton(report.place) == skeleton(report.admin1)
    )
    return not named_as_province


def _distance_km(a: Report, b: Report) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return km_between(a.lat, a.lon, b.lat, b.lon)


def _place(a: Report, b: Report, distance: float | None, radius_km: float) -> float:
    if distance is not None and _fine(a) and _fine(b):
        if distance <= SAME_PLACE_KM:
            return 1.0
        return max(0.0, 1 - distance / radius_km)
    if a.admin1 and b.admin1:
        return 0.5 if a.admin1 == b.admin1 else 0.0
    if a.country and a.country == b.country:
        return 0.2
    return UNKNOWN if not (a.country and b.country) else 0.0


def _figures(a: int | None, b: int | None) -> float:
    if not a or not b:
        return UNKNOWN
    ratio = max(a, b) / min(a, b)
    return 1.0 if ratio <= 1.5 else 0.6 if ratio <= 3 else 0.2


def _actors(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return UNKNOWN
    return 1.0 if a & b else 0.2
