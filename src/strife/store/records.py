"""The record as users see it: incidents, queried, followed over time, merged and split by hand.

An incident's summary (``IncidentRow.data``, written by ``linking``) is the
record event of the strife/1 record: the fields of an event, reconciled across
its reports, with every claim and every report. This module reads those, adds
the id and times, and carries out a person's merges and splits, each kept as a
decision that later linking honours, and a person's field corrections, kept
as rows that every later refresh lays over the automatic values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from strife.errors import CorrectionError, RecordNotFoundError
from strife.locate.distance import km_between
from strife.store.corrections import (
    FIELDS,
    check_consistent,
    check_note,
    field_value,
    parse_value,
)
from strife.store.linking import live_incident, new_incident, refresh_incident
from strife.store.models import (
    EventRow,
    FieldCorrectionRow,
    IncidentRevisionRow,
    IncidentRow,
    LinkDecisionRow,
    LinkSuggestionRow,
)
from strife.store.repository import Repository, _now, filter_events

#: Rows read at a time when records are filtered on their JSON.
CHUNK = 200
#: Kilometres per degree of latitude, for the bounding box of a radius query.
KM_PER_DEGREE = 111.32


@dataclass(frozen=True, slots=True)
class RecordQuery:
    """Filters for :func:`find_records`; ``None`` leaves a filter off.

    ``place``, ``actor`` and ``source`` match words case-insensitively: a place
    by its name, province or words as written; an actor by its words or kind;
    a source by its name or kind. ``near`` is ``(lat, lon)`` and keeps the
    incidents placed within ``radius_km`` of it.
    """

    country: str | None = None
    since: date | None = None
    until: date | None = None
    category: str | None = None
    min_fatalities: int | None = None
    place: str | None = None
    near: tuple[float, float] | None = None
    radius_km: float = 25.0
    actor: str | None = None
    source: str | None = None
    #: Only incidents backed by two or more independent sources.
    corroborated: bool = False
    #: Matching events skipped before the first one returned.
    offset: int = 0
    limit: int | None = None


def find_records(repository: Repository, query: RecordQuery | None = None) -> list[dict[str, Any]]:
    """Record events matching ``query``, oldest first (by start date, then id; undated last)."""
    query = query or RecordQuery()
    # The four columns a record is made of, not ORM objects: a page of 50 costs a quarter
    # less (1.0 ms instead of 1.3 on the load benchmark's record).
    columns = (
        IncidentRow.public_id,
        IncidentRow.data,
        IncidentRow.created_at,
        IncidentRow.updated_at,
    )
    statement = listed_incidents(select(*columns), query)
    if not _needs_json(query):
        statement = statement.offset(query.offset).limit(query.limit)
    skip = 0 if not _needs_json(query) else query.offset
    found: list[dict[str, Any]] = []
    with repository._read() as session:
        # In chunks: a filter read from the JSON stops as soon as the limit is reached.
        for row in session.execute(statement.execution_options(yield_per=CHUNK)):
            record = _record(row)
            if not _matches(record, query):
                continue
            if skip:
                skip -= 1
                continue
            found.append(record)
            if query.limit is not None and len(found) >= query.limit:
                break
    return found


def listed_incidents(statement: Any, query: RecordQuery) -> Any:
    """``statement`` (over ``incidents``) kept to the listed incidents ``query``'s SQL filters keep.

    Ordered as the list is, by ``sort_day`` then id, which indexes serve alone and
    after a country or a category. The JSON filters are left to :func:`_matches`.
    """
    statement = statement.where(IncidentRow.merged_into_id.is_(None), IncidentRow.reports > 0)
    if query.corroborated:
        statement = statement.where(IncidentRow.independent_sources >= 2)
    if query.near:
        statement = statement.where(*_bounding_box(*query.near, query.radius_km))
    if query.until:
        # The same rows as ``date_start <= until``, said on the indexed column.
        statement = statement.where(IncidentRow.sort_day <= query.until)
    statement = filter_events(statement, IncidentRow, query)
    return statement.order_by(IncidentRow.sort_day, IncidentRow.id)


def plot_records(repository: Repository, query: RecordQuery, limit: int) -> list[dict[str, Any]]:
    """What a map needs of the first events ``query`` keeps, from the summary columns.

    Reads no JSON, so tens of thousands of events plot quickly; a query with a
    filter only the JSON can answer (place, actor, source words) is read whole.
    Each item has ``id``, ``category``, ``date.start``, ``location`` (``lat``,
    ``lon``, ``name``) and ``fatalities.best``, as a record event has them.
    """
    if query.place or query.actor or query.source:
        return find_records(repository, replace(query, limit=limit))
    columns = (
        IncidentRow.public_id,
        IncidentRow.category,
        IncidentRow.date_start,
        IncidentRow.lat,
        IncidentRow.lon,
        IncidentRow.place,
        IncidentRow.fatalities_best,
    )
    statement = listed_incidents(select(*columns), query)
    if not query.near:  # the exact distance is checked below, so a radius cannot cut in SQL
        statement = statement.limit(limit)
    plotted = []
    with repository._read() as session:
        rows = session.execute(statement.execution_options(yield_per=CHUNK))
        for public, category, start, lat, lon, place, best in rows:
            location = {"lat": lat, "lon": lon, "name": place}
            if query.near and not within_radius(location, *query.near, query.radius_km):
                continue
            plotted.append(
                {
                    "id": public,
                    "category": category,
                    "date": {"start": start.isoformat() if start else None},
                    "location": location,
                    "fatalities": {"best": best},
                }
            )
            if len(plotted) >= limit:
                break
    return plotted


def get_record(repository: Repository, public: str) -> dict[str, Any]:
    """One record event by id, with its ``history`` and open ``suggestions``.

    An id merged into another incident answers with that incident, and says so
    under ``merged_from``.

    Raises:
        RecordNotFoundError: no incident has this id.
    """
    with repository._read() as session:
        row = _by_public_id(session, public)
        live = live_incident(session, row)
        record = _record(live)
        if live.id != row.id:
            record["merged_from"] = row.public_id
        record["history"] = [_revision(r) for r in _revisions(session, live.id)]
        record["suggestions"] = _suggestions(session, live.id)
        return record


def changes_since(repository: Repository, since: datetime) -> list[dict[str, Any]]:
    """Incidents created or revised at or after ``since`` (UTC), each with those revisions."""
    statement = (
        select(IncidentRevisionRow, IncidentRow)
        .join(IncidentRow, IncidentRevisionRow.incident_id == IncidentRow.id)
        .where(IncidentRevisionRow.at >= since)
        .order_by(IncidentRevisionRow.at, IncidentRevisionRow.id)
    )
    changed: dict[int, dict[str, Any]] = {}
    with repository._read() as session:
        for revision, incident in session.execute(statement):
            entry = changed.get(incident.id)
            if entry is None:
                entry = changed[incident.id] = {**_record(incident), "changes": []}
            entry["changes"].append(_revision(revision))
    return list(changed.values())


def merge_incidents(
    repository: Repository, source: str, target: str, *, actor: str | None, note: str | None = None
) -> dict[str, Any]:
    """Move every report of incident ``source`` into ``target``; ``source`` then points there.

    Each moved report gets an ``attach`` decision, so no later linking moves it back.

    Raises:
        RecordNotFoundError: either id is unknown.
        RecordEditError: the two are one incident.
    """
    from strife.errors import RecordEditError

    with repository._write() as session:
        moving = live_incident(session, _by_public_id(session, source))
        into = live_incident(session, _by_public_id(session, target))
        if moving.id == into.id:
            raise RecordEditError(f"{source} and {target} are already one incident")
        reports = _reports(session, moving.id)
        for report in reports:
            _decide(session, report.key, "attach", into.public_id, actor, note)
            report.incident_id, report.link_method = into.id, "manual"
            report.link_score = report.link_reasons = None
        moving.merged_into_id = into.id
        session.flush()
        refresh_incident(session, moving, action="merged", actor=actor, note=note)
        refresh_incident(session, into, action="merged", actor=actor, note=note)
        target_id = into.public_id
    return get_record(repository, target_id)


def split_reports(
    repository: Repository,
    incident: str,
    event_keys: Sequence[str],
    *,
    actor: str | None,
    note: str | None = None,
) -> dict[str, Any]:
    """Take reports (by event key) out of an incident into a new incident of their own.

    Each gets a ``detach`` decision for the old incident and an ``attach`` one
    for the new, so later linking keeps them apart.

    Raises:
        RecordNotFoundError: the incident is unknown.
        RecordEditError: a key is not one of its reports, or every report would leave.
    """
    from strife.errors import RecordEditError

    with repository._write() as session:
        source = live_incident(session, _by_public_id(session, incident))
        reports = {report.key: report for report in _reports(session, source.id)}
        unknown = [key for key in event_keys if key not in reports]
        if unknown:
            raise RecordEditError(
                f"{', '.join(unknown)}: not a report of {source.public_id} "
                f"(its reports: {', '.join(reports)})"
            )
        if len(set(event_keys)) == len(reports):
            raise RecordEditError("a split must leave at least one report in the incident")
        first = reports[event_keys[0]]
        new = new_incident(session, first, seed=f"{first.key}:split:{source.public_id}")
        for key in dict.fromkeys(event_keys):
            _decide(session, key, "detach", source.public_id, actor, note)
            _decide(session, key, "attach", new.public_id, actor, note)
            reports[key].incident_id, reports[key].link_method = new.id, "manual"
            reports[key].link_score = reports[key].link_reasons = None
        session.flush()
        refresh_incident(session, source, action="split", actor=actor, note=note)
        refresh_incident(session, new, action="split", actor=actor, note=note)
        new_id = new.public_id
    return get_record(repository, new_id)


def review_field(
    repository: Repository,
    public: str,
    field: str,
    value: str | None,
    *,
    actor: str | None,
    note: str | None = None,
) -> dict[str, Any]:
    """Correct one field of an incident to ``value``, or confirm what it shows (``value`` None).

    The correction is kept as a row (who, when, field, old and new value, note)
    that every later refresh of the incident lays over the automatic value, and
    the incident gets a ``corrected`` or ``confirmed`` revision.

    Raises:
        RecordNotFoundError: no incident has this id.
        CorrectionError: an unknown field, a value out of range, figures or dates out of order.
    """
    note = check_note(note)
    with repository._write() as session:
        incident = live_incident(session, _by_public_id(session, public))
        if not incident.reports:
            raise CorrectionError(f"{incident.public_id} has no reports left to correct")
        shown = field_value(incident.data, field)
        new = shown if value is None else parse_value(field, value)
        if value is None and shown is None:
            raise CorrectionError(f"{field} of {incident.public_id} is empty: correct it instead")
        check_consistent(_with_value(incident.data, field, new))
        session.add(
            FieldCorrectionRow(
                incident_public_id=incident.public_id,
                field=field,
                action="confirm" if value is None else "correct",
                old_value=shown,
                new_value=new,
                actor=actor,
                at=_now(),
                note=note,
            )
        )
        session.flush()
        action = "confirmed" if value is None else "corrected"
        refresh_incident(
            session, incident, action=action, actor=actor, note=note, changes={field: [shown, new]}
        )
        live = incident.public_id
    return get_record(repository, live)


def _with_value(record: dict[str, Any], field: str, value: Any) -> dict[str, Any]:
    """A copy of ``record`` with ``field`` set to ``value`` (to check it before storing it)."""
    changed = deepcopy(record)
    FIELDS[field].write(changed, value)
    return changed


class _RecordColumns(Protocol):
    """What a record is made of: an incident row, or a row of those columns alone."""

    public_id: str
    data: dict[str, Any]
    created_at: datetime
    updated_at: datetime


def _record(row: _RecordColumns) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "corrections": {},  # a summary written before corrections existed has none
        **row.data,
        "created": row.created_at.isoformat(timespec="seconds"),
        "updated": row.updated_at.isoformat(timespec="seconds"),
    }


def _needs_json(query: RecordQuery) -> bool:
    """Whether a filter is checked on the record's JSON (or its exact distance), not in SQL."""
    return bool(query.place or query.actor or query.source or query.near)


def _matches(record: dict[str, Any], query: RecordQuery) -> bool:
    if query.near and not within_radius(record.get("location"), *query.near, query.radius_km):
        return False
    if query.place:
        where = record.get("location") or {}
        words = " ".join(str(where.get(k) or "") for k in ("name", "admin1", "text"))
        if query.place.lower() not in words.lower():
            return False
    if query.actor:
        words = " ".join(f"{a.get('text', '')} {a.get('kind') or ''}" for a in record["actors"])
        if query.actor.lower() not in words.lower():
            return False
    if query.source:
        words = " ".join(f"{s['name']} {s['kind']}" for s in record["sources"])
        if query.source.lower() not in words.lower():
            return False
    return True


def _bounding_box(lat: float, lon: float, radius_km: float) -> list[Any]:
    dlat = radius_km / KM_PER_DEGREE
    dlon = radius_km / max(KM_PER_DEGREE * math.cos(math.radians(lat)), 1e-6)
    return [
        IncidentRow.lat.between(lat - dlat, lat + dlat),
        IncidentRow.lon.between(lon - dlon, lon + dlon),
    ]


def within_radius(
    location: dict[str, Any] | None, lat: float, lon: float, radius_km: float
) -> bool:
    if not location or location.get("lat") is None or location.get("lon") is None:
        return False
    return km_between(lat, lon, location["lat"], location["lon"]) <= radius_km


def _by_public_id(session: Session, public: str) -> IncidentRow:
    row = session.scalar(select(IncidentRow).where(IncidentRow.public_id == public))
    if row is None:
        raise RecordNotFoundError(f"no incident has the id {public}")
    return row


def _reports(session: Session, incident_id: int) -> list[EventRow]:
    statement = select(EventRow).where(EventRow.incident_id == incident_id).order_by(EventRow.id)
    return list(session.scalars(statement))


def _revisions(session: Session, incident_id: int) -> list[IncidentRevisionRow]:
    statement = select(IncidentRevisionRow).where(IncidentRevisionRow.incident_id == incident_id)
    return list(session.scalars(statement.order_by(IncidentRevisionRow.id)))


def _revision(row: IncidentRevisionRow) -> dict[str, Any]:
    return {
        "at": row.at.isoformat(timespec="seconds"),
        "action": row.action,
        "article": row.article_id,
        "by": row.actor,
        "changes": row.changes,
        "note": row.note,
    }


def _suggestions(session: Session, incident_id: int) -> list[dict[str, Any]]:
    statement = (
        select(LinkSuggestionRow, EventRow)
        .join(EventRow, LinkSuggestionRow.event_id == EventRow.id)
        .where(LinkSuggestionRow.incident_id == incident_id)
        .order_by(LinkSuggestionRow.score.desc())
    )
    return [
        {"event": event.key, "article": event.article_id, "score": s.score, "reasons": s.reasons}
        for s, event in session.execute(statement)
        if event.incident_id != incident_id
    ]


def _decide(
    session: Session, key: str, action: str, incident: str, actor: str | None, note: str | None
) -> None:
    session.add(
        LinkDecisionRow(
            event_key=key,
            action=action,
            incident_public_id=incident,
            actor=actor,
            at=_now(),
            note=note,
        )
    )


__all__ = [
    "RecordQuery",
    "changes_since",
    "find_records",
    "get_record",
    "merge_incidents",
    "plot_records",
    "review_field",
    "split_reports",
]
