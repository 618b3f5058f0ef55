"""The activity feed: what happened lately to what a user follows, newest first.

Reads the follows of ``discussion.py`` and gathers, over the last
:data:`FEED_DAYS`: comments by followed users or on followed events, revisions
of followed events (``incident_revisions``), and new events in followed places
or with followed actors. Nothing is stored: the feed is a view of the record.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from strife.store.models import (
    CommentRow,
    FollowRow,
    IncidentRevisionRow,
    IncidentRow,
    UserRow,
)
from strife.store.records import _record, _revision
from strife.store.repository import Repository, _now

#: How far back the feed looks.
FEED_DAYS = 30
#: Items the feed shows at most.
FEED_LIMIT = 100
#: New incidents scanned for followed places and actors at most (newest first).
SCAN_LIMIT = 5_000


def activity_feed(repository: Repository, user_id: int) -> list[dict[str, Any]]:
    """What happened to what ``user_id`` follows, newest first.

    Each item has ``at``, ``kind`` (``comment``, ``revision``, ``event``), ``why``
    (the follow that brought it: ``{"kind", "value"}``), ``link`` and its details
    (``comment``; ``event`` and ``change``; or ``event``, a record event).
    """
    since = _now() - timedelta(days=FEED_DAYS)
    with repository._read() as session:
        follows: dict[str, list[str]] = {}
        for kind, value in session.execute(
            select(FollowRow.kind, FollowRow.value).where(FollowRow.user_id == user_id)
        ):
            follows.setdefault(kind, []).append(value)
        items = _comments(session, follows, since)
        items += _revisions(session, follows.get("event", []), since)
        items += _new_events(session, follows, since)
    items.sort(key=lambda item: item["at"], reverse=True)
    return items[:FEED_LIMIT]


def _comments(session: Session, follows: dict[str, list[str]], since: Any) -> list[dict[str, Any]]:
    users, events = follows.get("user", []), follows.get("event", [])
    if not users and not events:
        return []
    statement = (
        select(CommentRow, UserRow.name)
        .join(UserRow, CommentRow.user_id == UserRow.id)
        .where(
            CommentRow.created_at >= since,
            or_(
                UserRow.name.in_(users),
                (CommentRow.target_kind == "event") & CommentRow.target.in_(events),
            ),
        )
        .order_by(CommentRow.id.desc())
        .limit(FEED_LIMIT)
    )
    items = []
    for row, author in session.execute(statement):
        why = {"kind": "user", "value": author} if author in users else None
        items.append(
            {
                "at": row.created_at.isoformat(timespec="seconds"),
                "kind": "comment",
                "why": why or {"kind": "event", "value": row.target},
                "link": f"/{row.target_kind}s/{row.target}#comment-{row.id}",
                "comment": {
                    "id": row.id,
                    "author": author,
                    "on": {"kind": row.target_kind, "id": row.target},
                    "body": row.body,
                },
            }
        )
    return items


def _revisions(session: Session, events: list[str], since: Any) -> list[dict[str, Any]]:
    if not events:
        return []
    statement = (
        select(IncidentRevisionRow, IncidentRow.public_id)
        .join(IncidentRow, IncidentRevisionRow.incident_id == IncidentRow.id)
        .where(IncidentRow.public_id.in_(events), IncidentRevisionRow.at >= since)
        .order_by(IncidentRevisionRow.id.desc())
        .limit(FEED_LIMIT)
    )
    return [
        {
            "at": row.at.isoformat(timespec="seconds"),
            "kind": "revision",
            "why": {"kind": "event", "value": public},
            "link": f"/events/{public}",
            "event": public,
            "change": _revision(row),
        }
        for row, public in session.execute(statement)
    ]


def _new_events(
    session: Session, follows: dict[str, list[str]], since: Any
) -> list[dict[str, Any]]:
    places, actors = follows.get("place", []), follows.get("actor", [])
    if not places and not actors:
        return []
    statement = (
        select(IncidentRow)
        .where(
            IncidentRow.created_at >= since,
            IncidentRow.merged_into_id.is_(None),
            IncidentRow.reports > 0,
        )
        .order_by(IncidentRow.id.desc())
        .limit(SCAN_LIMIT)
    )
    items = []
    for row in session.scalars(statement):
        record = _record(row)
        why = _followed_place(record, places) or _followed_actor(record, actors)
        if why is not None:
            items.append(
                {
                    "at": record["created"],
                    "kind": "event",
                    "why": why,
                    "link": f"/events/{record['id']}",
                    "event": record,
                }
            )
    return items


def _followed_place(record: dict[str, Any], places: list[str]) -> dict[str, str] | None:
    """The first followed place the event is in: a country code, or words of its place."""
    where = record.get("location") or {}
    words = " ".join(str(where.get(k) or "") for k in ("name", "admin1", "text")).casefold()
    for place in places:
        if (len(place) == 2 and place == where.get("country")) or (
            len(place) > 2 and place.casefold() in words
        ):
            return {"kind": "place", "value": place}
    return None


def _followed_actor(record: dict[str, Any], actors: list[str]) -> dict[str, str] | None:
    words = " ".join(
        f"{a.get('text', '')} {a.get('kind') or ''}" for a in record.get("actors") or []
    ).casefold()
    for actor in actors:
        if actor.casefold() in words:
            return {"kind": "actor", "value": actor}
    return None


__all__ = ["FEED_DAYS", "FEED_LIMIT", "activity_feed"]
