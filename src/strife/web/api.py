"""The JSON API: the record's events, articles and sources; merges, splits and corrections.

Each route calls the same store function as its page in ``pages.py`` and
returns the store's dict as it is (record events are the strife/1 record
events of ``docs/contract.md``). Errors are answered by the one handler in
``app.py``. Reading is open; editing needs an analyst's API token (``Authorization:
Bearer``) or a signed-in session with its CSRF token in ``X-CSRF-Token``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

from strife.store.accounts import User
from strife.store.overview import map_overview
from strife.store.records import RecordQuery, find_records, get_record, review_field
from strife.store.records import merge_incidents as merge_records
from strife.store.records import split_reports as split_records
from strife.store.repository import Repository
from strife.store.web_queries import get_article, get_source, list_sources
from strife.web._auth import check_csrf, require_editor, require_user

#: Events per page when no limit is given, and the most one request may ask for.
DEFAULT_LIMIT, MAX_LIMIT = 50, 500
#: Events the map draws one by one; more are drawn as grid cells.
MAP_POINTS = 1_000
#: The radius of a ``near`` search when none is given (the CLI's default).
DEFAULT_RADIUS_KM = 25.0

router = APIRouter(prefix="/api", tags=["record"])


@dataclass(frozen=True, slots=True)
class EventFilters:
    """The events list's filters as given (to refill the form) and as a store query.

    ``query`` has no limit: the page of events is cut with ``offset`` and ``limit``.
    """

    values: dict[str, str]
    query: RecordQuery
    limit: int
    offset: int


class MergeBody(BaseModel):
    into: str = Field(description="The event (ev-...) that takes this one's reports.")
    note: str | None = Field(default=None, description="Why, for the history.")


class ReviewBody(BaseModel):
    field: str = Field(description="The field: fatalities.best, type, date.start... (docs/web.md).")
    value: str | int | None = Field(
        default=None, description="The corrected value; leave it out to confirm the value shown."
    )
    note: str | None = Field(default=None, description="Why, for the history.")


class SplitBody(BaseModel):
    reports: list[str] = Field(min_length=1, description="Event keys of the reports to move.")
    note: str | None = Field(default=None, description="Why, for the history.")


# The two dependencies are ``async def`` because they neither wait nor block: FastAPI
# runs a plain ``def`` one in a worker thread, a hand-over that under load cost more
# than their work (docs/web.md, "Speed with a large record").
async def repository(request: Request) -> Repository:
    """The database the app was created with."""
    opened: Repository = request.app.state.repository
    return opened


async def event_filters(
    country: Annotated[str | None, Query(description="ISO alpha-2 country code.")] = None,
    since: Annotated[str | None, Query(description="YYYY-MM-DD: on or after.")] = None,
    until: Annotated[str | None, Query(description="YYYY-MM-DD: on or before.")] = None,
    category: Annotated[str | None, Query(description="battles, protests...")] = None,
    min_fatalities: Annotated[str | None, Query(description="A best toll of N or more.")] = None,
    place: Annotated[str | None, Query(description="Words of the place or province.")] = None,
    near: Annotated[str | None, Query(description="LAT,LON: within radius km.")] = None,
    radius: Annotated[str | None, Query(description="Kilometres for near (25).")] = None,
    actor: Annotated[str | None, Query(description="Words of an actor or its kind.")] = None,
    source: Annotated[str | None, Query(description="Words of a source's name or kind.")] = None,
    corroborated: Annotated[str | None, Query(description="1: two or more sources.")] = None,
    limit: Annotated[str | None, Query(description=f"At most N (up to {MAX_LIMIT}).")] = None,
    offset: Annotated[str | None, Query(description="Skip the first N.")] = None,
) -> EventFilters:
    """The filters of ``GET /api/events`` and the events page, checked.

    Every value arrives as text, because the page's form sends empty fields as
    ``name=`` and those mean "no filter", not an error.
    """
    given = {
        "country": country,
        "since": since,
        "until": until,
        "category": category,
        "min_fatalities": min_fatalities,
        "place": place,
        "near": near,
        "radius": radius,
        "actor": actor,
        "source": source,
        "corroborated": corroborated,
    }
    values = {name: value.strip() for name, value in given.items() if value and value.strip()}
    query = RecordQuery(
        country=_country(values.get("country")),
        since=_day("since", values.get("since")),
        until=_day("until", values.get("until")),
        category=values.get("category"),
        min_fatalities=_whole("min_fatalities", values.get("min_fatalities")),
        place=values.get("place"),
        near=_point(values.get("near")),
        radius_km=_radius(values.get("radius")),
        actor=values.get("actor"),
        source=values.get("source"),
        corroborated=values.get("corroborated", "").lower() in {"1", "true", "yes", "on"},
    )
    wanted = _whole("limit", limit) if limit else None
    return EventFilters(
        values=values,
        query=query,
        limit=min(wanted if wanted is not None else DEFAULT_LIMIT, MAX_LIMIT),
        offset=(_whole("offset", offset) or 0) if offset else 0,
    )


def list_events(repository: Repository, filters: EventFilters) -> dict[str, Any]:
    """One page of matching events, and whether more follow (the list page uses it too)."""
    # One more than the page, to know whether a next page exists.
    wanted = replace(filters.query, offset=filters.offset, limit=filters.limit + 1)
    found = find_records(repository, wanted)
    return {
        "events": found[: filters.limit],
        "offset": filters.offset,
        "limit": filters.limit,
        "more": len(found) > filters.limit,
    }


Filters = Annotated[EventFilters, Depends(event_filters)]
Store = Annotated[Repository, Depends(repository)]


def writing_user(request: Request) -> User:
    """The signed-in user of a JSON write; a cookie session must send its CSRF header."""
    user = require_user(request)
    check_csrf(request, None)
    return user


def writing_editor(request: Request) -> User:
    """As :func:`writing_user`, for writes to the record: analysts and admins only."""
    user = require_editor(request)
    check_csrf(request, None)
    return user


Writer = Annotated[User, Depends(writing_user)]
EditorWriter = Annotated[User, Depends(writing_editor)]


@router.get("/events", summary="Events of the record, filtered, oldest first")
def events(filters: Filters, store: Store) -> dict[str, Any]:
    return list_events(store, filters)


@router.get("/events/map", summary="The events' map: each one, or grid cells when many")
def events_map(request: Request, filters: Filters, store: Store) -> dict[str, Any]:
    """The filters of the events list; ``offset`` and ``limit`` are ignored."""
    cache = request.app.state.overviews
    return map_overview(store, filters.query, points=MAP_POINTS, cache=cache)


@router.get("/events/{identifier}", summary="One event with its history and suggestions")
def event(identifier: str, store: Store) -> dict[str, Any]:
    """A merged id answers with the event it was merged into (``merged_from`` says so)."""
    return get_record(store, identifier)


@router.get("/articles/{article_id}", summary="One stored article: text, claims, boilerplate")
def article(article_id: int, store: Store) -> dict[str, Any]:
    return get_article(store, article_id)


@router.get("/sources", summary="One source's claims across the record, or every source")
def sources(
    store: Store,
    name: Annotated[str | None, Query(description="The source's name (any case).")] = None,
) -> dict[str, Any]:
    if name and name.strip():
        return get_source(store, name)
    return {"sources": list_sources(store)}


@router.get("/me", summary="The account a token or session belongs to")
def me(request: Request) -> dict[str, Any]:
    return require_user(request).to_dict()


@router.post("/events/{identifier}/merge", summary="Merge this event into another")
def merge(identifier: str, body: MergeBody, user: EditorWriter, store: Store) -> dict[str, Any]:
    return merge_records(store, identifier, body.into, actor=user.name, note=body.note)


@router.post("/events/{identifier}/split", summary="Move reports into a new event")
def split(identifier: str, body: SplitBody, user: EditorWriter, store: Store) -> dict[str, Any]:
    return split_records(store, identifier, body.reports, actor=user.name, note=body.note)


@router.post("/events/{identifier}/review", summary="Correct or confirm one field of this event")
def review(identifier: str, body: ReviewBody, user: EditorWriter, store: Store) -> dict[str, Any]:
    """The event as corrected; its ``corrections`` keep the automatic value beside the new one."""
    value = None if body.value is None else str(body.value)
    return review_field(store, identifier, body.field, value, actor=user.name, note=body.note)


def _invalid(name: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("query", name), "msg": message, "type": "value_error"}])


def _country(text: str | None) -> str | None:
    if text is not None and not (len(text) == 2 and text.isalpha()):
        raise _invalid("country", "expected a two-letter country code, e.g. SY")
    return text.upper() if text else None


def _day(name: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _invalid(name, "expected a date as YYYY-MM-DD") from None


def _whole(name: str, text: str | None) -> int | None:
    if text is None:
        return None
    if not text.isdigit():
        raise _invalid(name, "expected a whole number, 0 or more")
    return int(text)


def _point(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        lat, lon = (float(part) for part in text.split(","))
    except ValueError:
        raise _invalid("near", "expected LAT,LON, e.g. 34.73,36.71") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _invalid("near", "latitude or longitude out of range")
    return lat, lon


def _radius(text: str | None) -> float:
    if text is None:
        return DEFAULT_RADIUS_KM
    try:
        radius = float(text)
    except ValueError:
        raise _invalid("radius", "expected kilometres, e.g. 20") from None
    if not 0 <= radius <= 20_000:
        raise _invalid("radius", "expected kilometres between 0 and 20,000")
    return radius
