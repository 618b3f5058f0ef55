"""The record read article by article and source by source, for ``strife serve``.

``records.py`` answers for events of the record; this module adds what the web
app shows beside them: one stored article with its clean text, the claims of each
of its events (with their offsets into that text) and the record event each
report was linked to; the sources the record knows; and one source's claims
across the record, each set beside the event's reconciled figure. Like the rest
of the store it returns plain dicts, never ORM objects.
"""

from __future__ import annotations

from statistics import median
from typing import Any

from sqlalchemy import func, select

from strife.errors import RecordNotFoundError
from strife.store.models import ArticleRow, EventRow, IncidentRow, SourceRow
from strife.store.records import RecordQuery, find_records
from strife.store.repository import Repository

#: The figures a source's claim can be compared with the event's reconciled one.
FIGURES = ("fatalities", "injuries")


def get_article(repository: Repository, article_id: int) -> dict[str, Any]:
    """One stored article version: metadata, clean text, captions, boilerplate, events.

    Each event carries its claims (``start``/``end`` index ``text``), each claim
    its source's name and kind, and ``record`` the id of the record event its
    report was linked to (null before linking).

    Raises:
        RecordNotFoundError: no article has this id.
    """
    with repository._read() as session:
        row = session.get(ArticleRow, article_id)
        if row is None:
            raise RecordNotFoundError(f"no article has the id {article_id}")
        statement = (
            select(EventRow.key, IncidentRow.public_id)
            .join(IncidentRow, EventRow.incident_id == IncidentRow.id)
            .where(EventRow.article_id == article_id)
        )
        linked: dict[str, str] = dict(session.execute(statement).all())
        later = session.scalar(select(ArticleRow.id).where(ArticleRow.previous_id == row.id))
        document = row.document
        meta = {
            "id": row.id,
            "location": row.location,
            "is_url": row.is_url,
            "sha256": row.sha256,
            "revision": row.revision,
            "previous": row.previous_id,
            "next": later,
            "superseded": row.superseded,
            "ingested": row.ingested_at.isoformat(timespec="seconds"),
        }
    article = document.get("article") or {}
    sources = {source["id"]: source for source in document.get("sources") or []}
    return {
        **meta,
        **{key: article.get(key) for key in _ARTICLE_FIELDS},
        "text": article.get("text") or "",
        "captions": article.get("captions") or [],
        "boilerplate": article.get("boilerplate") or [],
        "sources": list(sources.values()),
        "events": [_event(event, sources, linked) for event in document.get("events") or []],
        "problems": document.get("problems") or [],
    }


def article_texts(repository: Repository, article_ids: list[int]) -> dict[int, str]:
    """The clean text of each article, by id, for quoting claims in their context."""
    with repository._read() as session:
        rows = session.scalars(select(ArticleRow).where(ArticleRow.id.in_(article_ids)))
        return {row.id: (row.document.get("article") or {}).get("text") or "" for row in rows}


def list_sources(repository: Repository) -> list[dict[str, Any]]:
    """Every source the stored articles name: ``name``, ``kind``, how many articles, most first."""
    articles = func.count(func.distinct(SourceRow.article_id))
    statement = (
        select(SourceRow.name, SourceRow.kind, articles)
        .group_by(SourceRow.name, SourceRow.kind)
        .order_by(articles.desc(), SourceRow.name)
    )
    with repository._read() as session:
        return [
            {"name": name, "kind": kind, "articles": count}
            for name, kind, count in session.execute(statement)
        ]


def get_source(repository: Repository, name: str) -> dict[str, Any]:
    """One source's claims across the record, each beside the event's reconciled figure.

    ``name`` matches a source's name exactly, ignoring case. ``comparison`` says,
    per figure, how many of the source's claims are above, equal to or below the
    reconciled ``best``, and the median of their ratios to it.

    Raises:
        RecordNotFoundError: no event of the record has a claim by this source.
    """
    wanted = name.strip().lower()
    claims: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    kinds: set[str] = set()
    for record in find_records(repository, RecordQuery(source=name.strip())):
        own = [c for c in record["claims"] if str(c.get("source", "")).lower() == wanted]
        if not own:
            continue
        events.append(_event_summary(record))
        for claim in own:
            kinds.add(claim.get("source_kind") or "")
            claims.append(_compared(claim, record))
    if not claims:
        raise RecordNotFoundError(f"no event of the record has a claim by {name!r}")
    return {
        "name": claims[0]["source"],
        "kinds": sorted(kind for kind in kinds if kind),
        "events": events,
        "claims": claims,
        "comparison": {figure: _comparison(claims, figure) for figure in FIGURES},
    }


_ARTICLE_FIELDS = ("title", "subtitle", "authors", "publisher", "published", "language")


def _event(
    event: dict[str, Any], sources: dict[str, dict[str, Any]], linked: dict[str, str]
) -> dict[str, Any]:
    claims = []
    for claim in event.get("claims") or []:
        source = sources.get(claim.get("source", "")) or {}
        claims.append(
            {**claim, "source_name": source.get("name"), "source_kind": source.get("kind")}
        )
    return {
        "key": event["id"],
        "record": linked.get(event["id"]),
        "category": event.get("category"),
        "subtype": event.get("subtype"),
        "date": event.get("date"),
        "location": event.get("location"),
        "fatalities": event.get("fatalities"),
        "injuries": event.get("injuries"),
        "claims": claims,
    }


def _event_summary(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": record["id"],
        "category": record["category"],
        "subtype": record["subtype"],
        "date": record.get("date"),
        "location": record.get("location"),
        "fatalities": record.get("fatalities"),
    }


def _compared(claim: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    entry = {**claim, "event": record["id"]}
    figure = record.get(claim["property"]) if claim["property"] in FIGURES else None
    best = (figure or {}).get("best")
    entry["reconciled"] = best
    value = claim.get("value")
    if isinstance(value, int) and not isinstance(value, bool) and isinstance(best, int):
        entry["difference"] = value - best
    return entry


def _comparison(claims: list[dict[str, Any]], figure: str) -> dict[str, Any]:
    compared = [c for c in claims if c["property"] == figure and "difference" in c]
    ratios = [c["value"] / c["reconciled"] for c in compared if c["reconciled"]]
    return {
        "claims": len(compared),
        "above": sum(1 for c in compared if c["difference"] > 0),
        "same": sum(1 for c in compared if c["difference"] == 0),
        "below": sum(1 for c in compared if c["difference"] < 0),
        "median_ratio": round(median(ratios), 3) if ratios else None,
    }


__all__ = ["article_texts", "get_article", "get_source", "list_sources"]
