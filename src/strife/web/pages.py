"""The HTML pages: events (list, map, timeline), an event and its review forms, an article, sources.

Each page calls the same store function as its JSON route in ``api.py`` and
renders the answer with a template from ``templates/`` (autoescaped). The only
script is the map's (``static/map.js``), which fetches its points from
``/api/events/map`` and builds popups from text, never from HTML.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from strife.errors import CorrectionError
from strife.store.corrections import FIELDS, field_value
from strife.store.discussion import list_comments
from strife.store.overview import JSON_FILTERED_EVENTS, fatalities_per_day
from strife.store.records import get_record, review_field
from strife.store.records import merge_incidents as merge_records
from strife.store.records import split_reports as split_records
from strife.store.web_queries import article_texts, get_article, get_source, list_sources
from strife.web._auth import check_csrf, require_editor
from strife.web._render import claim_quote, timeline_bars, timeline_rects
from strife.web._templates import render
from strife.web.api import Filters, Store, list_events

router = APIRouter(include_in_schema=False)


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/events", status_code=303)


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, filters: Filters, store: Store) -> HTMLResponse:
    page = list_events(store, filters)
    daily, capped = fatalities_per_day(store, filters.query, cache=request.app.state.overviews)
    bars = timeline_bars(daily)
    settings = request.app.state.settings
    return render(
        request,
        "events.html",
        page=page,
        filters=filters.values,
        bars=bars,
        timeline=timeline_rects(bars),
        capped=capped,
        capped_events=JSON_FILTERED_EVENTS,
        # The map's points are fetched by map.js: a page of HTML no longer carries thousands.
        map_source=f"/api/events/map?{urlencode(filters.values)}",
        tiles=settings.map_tiles,
        attribution=settings.map_attribution,
        next_query=_page_query(filters.values, page["offset"] + page["limit"], page["limit"]),
        previous_query=_page_query(
            filters.values, max(0, page["offset"] - page["limit"]), page["limit"]
        ),
    )


@router.get("/events/{identifier}", response_class=HTMLResponse)
def event_page(request: Request, identifier: str, store: Store) -> HTMLResponse:
    record = get_record(store, identifier)
    texts = article_texts(store, sorted({c["article"] for c in record["claims"]}))
    quotes = [claim_quote(texts.get(c["article"], ""), c) for c in record["claims"]]
    return render(
        request,
        "event.html",
        record=record,
        quotes=quotes,
        disputes=_disputes(record),
        review=[(name, field.help, field_value(record, name)) for name, field in FIELDS.items()],
        comments=list_comments(store, "event", record["id"]),
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: int, store: Store) -> HTMLResponse:
    article = get_article(store, article_id)
    claims = [claim for event in article["events"] for claim in event["claims"]]
    comments = list_comments(store, "article", str(article_id))
    return render(request, "article.html", article=article, claims=claims, comments=comments)


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, store: Store, name: str | None = None) -> HTMLResponse:
    if name and name.strip():
        return render(request, "source.html", source=get_source(store, name))
    return render(request, "sources.html", sources=list_sources(store))


@router.post("/events/{identifier}/merge")
def merge_form(
    request: Request,
    identifier: str,
    store: Store,
    into: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> RedirectResponse:
    check_csrf(request, csrf)
    user = require_editor(request)
    merged = merge_records(store, identifier, into.strip(), actor=user.name, note=note or None)
    return RedirectResponse(f"/events/{merged['id']}", status_code=303)


@router.post("/events/{identifier}/split")
def split_form(
    request: Request,
    identifier: str,
    store: Store,
    reports: Annotated[list[str], Form()],
    csrf: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> RedirectResponse:
    check_csrf(request, csrf)
    user = require_editor(request)
    new = split_records(store, identifier, reports, actor=user.name, note=note or None)
    return RedirectResponse(f"/events/{new['id']}", status_code=303)


@router.post("/events/{identifier}/review")
def review_form(
    request: Request,
    identifier: str,
    store: Store,
    field: Annotated[str, Form()],
    action: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """One field's form: ``action`` is ``correct`` (to ``value``) or ``confirm``."""
    check_csrf(request, csrf)
    user = require_editor(request)
    if action not in {"correct", "confirm"}:
        raise CorrectionError(f"unknown action {action!r}: correct or confirm")
    given = value if action == "correct" else None
    record = review_field(store, identifier, field, given, actor=user.name, note=note)
    return RedirectResponse(f"/events/{record['id']}#history", status_code=303)


def _disputes(record: dict[str, Any]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """For each disputed field, its claims grouped by what they say: the sides to show."""
    sides: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for what in record.get("disputed") or []:
        groups: dict[str, list[dict[str, Any]]] = {}
        for claim in record["claims"]:
            if claim["property"] == what:
                groups.setdefault(str(claim["value"]), []).append(claim)
        sides[what] = groups
    return sides


def _page_query(values: dict[str, str], offset: int, limit: int) -> str:
    return urlencode({**values, "offset": offset, "limit": limit})
