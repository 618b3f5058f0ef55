"""The events at a glance: fatalities per day for the timeline, points or cells for the map.

Takes the same :class:`~strife.store.records.RecordQuery` as the list and sums
in SQL over every event it keeps, from the list's covering indexes, so the cost
does not grow with what a page embeds. A query with a filter only the record's
JSON can answer (place, actor, source words, or a radius) is summed over its
first :data:`JSON_FILTERED_EVENTS` events instead, and says so with ``capped``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Integer, cast, func, select

from strife.store.models import UNDATED, IncidentRow
from strife.store.records import (
    RecordQuery,
    _needs_json,
    find_records,
    listed_incidents,
    plot_records,
)
from strife.store.repository import Repository

#: Events summed at most when a filter is checked on the JSON (each is read and parsed).
JSON_FILTERED_EVENTS = 5_000
#: The map's grid cell, in degrees of latitude and longitude (about 110 km at the equator).
CELL_DEGREES = 1.0


def fatalities_per_day(repository: Repository, query: RecordQuery) -> tuple[dict[date, int], bool]:
    """The reconciled best toll summed per start day over the events ``query`` keeps.

    Returns:
        The sums by day (dated events only), and whether they cover only the first
        :data:`JSON_FILTERED_EVENTS` events (a filter read from the JSON).
    """
    if _needs_json(query):
        records = find_records(repository, replace(query, offset=0, limit=JSON_FILTERED_EVENTS))
        per_day: Counter[date] = Counter()
        for record in records:
            start = (record.get("date") or {}).get("start")
            if start:
                per_day[date.fromisoformat(start[:10])] += (record.get("fatalities") or {}).get(
                    "best"
                ) or 0
        return dict(per_day), len(records) >= JSON_FILTERED_EVENTS
    statement = _unordered(
        select(IncidentRow.sort_day, func.sum(IncidentRow.fatalities_best)), query
    ).where(IncidentRow.sort_day < UNDATED)
    with repository._read() as session:
        rows = session.execute(statement.group_by(IncidentRow.sort_day))
        return {day: int(total or 0) for day, total in rows}, False


def map_overview(repository: Repository, query: RecordQuery, *, points: int) -> dict[str, Any]:
    """What the map draws of the events ``query`` keeps: each event, or grid cells when many.

    Up to ``points`` placed events come one by one (``points``: ``id``, ``lat``,
    ``lon``, ``place``, ``date``, ``category``, ``fatalities``). More are summed into
    cells of :data:`CELL_DEGREES` (``cells``: ``lat``, ``lon`` as the events' mean
    position, ``events``, ``fatalities``), except under a filter read from the JSON,
    which gives the first ``points`` events and ``capped``.
    """
    placed = [IncidentRow.lat.is_not(None), IncidentRow.lon.is_not(None)]
    if _needs_json(query) or not _more_than(repository, query, placed, points):
        plotted = plot_records(repository, replace(query, offset=0), points + 1)
        drawn = [p for p in plotted if (p.get("location") or {}).get("lat") is not None]
        return {"points": [_point(p) for p in drawn[:points]], "capped": len(plotted) > points}
    lat_cell = cast(func.floor(IncidentRow.lat / CELL_DEGREES), Integer)
    lon_cell = cast(func.floor(IncidentRow.lon / CELL_DEGREES), Integer)
    statement = _unordered(
        select(
            func.avg(IncidentRow.lat),
            func.avg(IncidentRow.lon),
            func.count(),
            func.sum(IncidentRow.fatalities_best),
        ),
        query,
    ).where(*placed)
    with repository._read() as session:
        rows = session.execute(statement.group_by(lat_cell, lon_cell))
        cells = [
            {"lat": lat, "lon": lon, "events": events, "fatalities": int(killed or 0)}
            for lat, lon, events, killed in rows
        ]
    return {"cells": cells, "cell_degrees": CELL_DEGREES, "capped": False}


def _more_than(repository: Repository, query: RecordQuery, placed: list[Any], count: int) -> bool:
    """Whether more than ``count`` placed events match: one index step past the count."""
    statement = _unordered(select(IncidentRow.id), query).where(*placed)
    with repository._read() as session:
        return session.scalar(statement.offset(count).limit(1)) is not None


def _unordered(statement: Any, query: RecordQuery) -> Any:
    """The list's filters without its order, for a sum (the order would only cost)."""
    return listed_incidents(statement, query).order_by(None)


def _point(plotted: dict[str, Any]) -> dict[str, Any]:
    where = plotted["location"]
    return {
        "id": plotted["id"],
        "lat": where["lat"],
        "lon": where["lon"],
        "place": where.get("name") or where.get("text") or "",
        "date": (plotted.get("date") or {}).get("start") or "",
        "category": plotted.get("category") or "",
        "fatalities": (plotted.get("fatalities") or {}).get("best"),
    }


__all__ = ["CELL_DEGREES", "JSON_FILTERED_EVENTS", "fatalities_per_day", "map_overview"]
