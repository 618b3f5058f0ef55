"""The events at a glance: fatalities per day for the timeline, points or cells for the map.

Takes the same :class:`~strife.store.records.RecordQuery` as the list and sums
in SQL over every event it keeps, from the list's covering indexes, so the cost
does not grow with what a page embeds. A query with a filter only the record's
JSON can answer (place, actor, source words, or a radius) is summed over its
first :data:`JSON_FILTERED_EVENTS` events instead, and says so with ``capped``.

Both can keep their answers in an :class:`OverviewCache` until the record changes:
each request first reads the record's version (the newest ``updated_at`` and the
highest id of the incidents, two index look-ups), and an answer made at another
version is never given.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

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
#: Answers an :class:`OverviewCache` keeps (least recently used dropped first); each is
#: at most a few thousand days or map points.
CACHED_ANSWERS = 512

T = TypeVar("T")


class OverviewCache:
    """Answers of :func:`fatalities_per_day` and :func:`map_overview`, kept per query
    until the record changes (in any process: the version is read from the database).

    Every write strife makes to an incident sets its ``updated_at`` to now or adds a
    new incident, so the pair (newest ``updated_at``, highest id) changes with each.
    """

    def __init__(self, size: int = CACHED_ANSWERS) -> None:
        self._answers: OrderedDict[Hashable, tuple[Any, Any]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def answer(self, repository: Repository, key: Hashable, compute: Callable[[], T]) -> T:
        """The kept answer for ``key`` if the record has not changed since, else ``compute()``."""
        # The version is read before computing: a write in between leaves an answer
        # newer than its version, which the next version simply misses.
        version = _record_version(repository)
        with self._lock:
            kept = self._answers.get(key)
            if kept is not None and kept[0] == version:
                self._answers.move_to_end(key)
                found: T = kept[1]
                return found
        answer = compute()
        with self._lock:
            self._answers[key] = (version, answer)
            self._answers.move_to_end(key)
            while len(self._answers) > self._size:
                self._answers.popitem(last=False)
        return answer


def fatalities_per_day(
    repository: Repository, query: RecordQuery, *, cache: OverviewCache | None = None
) -> tuple[dict[date, int], bool]:
    """The reconciled best toll summed per start day over the events ``query`` keeps.

    Returns:
        The sums by day (dated events only), and whether they cover only the first
        :data:`JSON_FILTERED_EVENTS` events (a filter read from the JSON).
    """
    query = replace(query, offset=0, limit=None)
    if cache is not None:
        return cache.answer(
            repository, ("days", query), lambda: fatalities_per_day(repository, query)
        )
    if _needs_json(query):
        records = find_records(repository, replace(query, limit=JSON_FILTERED_EVENTS))
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


def map_overview(
    repository: Repository,
    query: RecordQuery,
    *,
    points: int,
    cache: OverviewCache | None = None,
) -> dict[str, Any]:
    """What the map draws of the events ``query`` keeps: each event, or grid cells when many.

    Up to ``points`` placed events come one by one (``points``: ``id``, ``lat``,
    ``lon``, ``place``, ``date``, ``category``, ``fatalities``). More are summed into
    cells of :data:`CELL_DEGREES` (``cells``: ``lat``, ``lon`` as the events' mean
    position, ``events``, ``fatalities``), except under a filter read from the JSON,
    which gives the first ``points`` events and ``capped``.
    """
    query = replace(query, offset=0, limit=None)
    if cache is not None:
        key = ("map", query, points)
        return cache.answer(repository, key, lambda: map_overview(repository, query, points=points))
    placed = [IncidentRow.lat.is_not(None), IncidentRow.lon.is_not(None)]
    if _needs_json(query) or not _more_than(repository, query, placed, points):
        plotted = plot_records(repository, query, points + 1)
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


def _record_version(repository: Repository) -> tuple[Any, Any]:
    """The newest ``updated_at`` and the highest id of the incidents: two index look-ups."""
    newest = select(func.max(IncidentRow.updated_at)).scalar_subquery()
    highest = select(func.max(IncidentRow.id)).scalar_subquery()
    with repository._read() as session:
        row = session.execute(select(newest, highest)).one()
        return row[0], row[1]


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


__all__ = [
    "CELL_DEGREES",
    "JSON_FILTERED_EVENTS",
    "OverviewCache",
    "fatalities_per_day",
    "map_overview",
]
