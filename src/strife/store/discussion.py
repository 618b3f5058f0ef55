"""Discussion: comments on events and articles, replies, @mentions, and follows.

Takes plain text from a signed-in analyst or admin and keeps it as written
(escaping is the web layer's job, on output). A reply notifies the author of
the comment it answers; ``@name`` notifies that user (see ``notifications.py``).
Follows (users, events, places, actors) are kept here; ``activity.py`` reads
them for the feed and ``watches.py`` for revisions of followed events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from strife.errors import PermissionDeniedError, RecordError, RecordNotFoundError
from strife.store.accounts import User
from strife.store.models import ArticleRow, CommentRow, FollowRow, IncidentRow, UserRow
from strife.store.repository import Repository, _now

#: What a comment can be about.
TARGET_KINDS = ("event", "article")
#: What a user can follow.
FOLLOW_KINDS = ("user", "event", "place", "actor")
#: A comment is a note, not an article; longer text belongs in a document of its own.
MAX_COMMENT_CHARS = 10_000
MAX_FOLLOW_CHARS = 200
#: ``@name`` with the characters account names allow, not inside an email address.
MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9][A-Za-z0-9._-]{0,63})")


@dataclass(frozen=True, slots=True)
class Comment:
    """One comment: who wrote what about which event or article, and its thread."""

    id: int
    kind: str
    target: str
    parent_id: int | None
    author: str
    body: str
    created: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "on": {"kind": self.kind, "id": self.target},
            "parent": self.parent_id,
            "author": self.author,
            "body": self.body,
            "created": self.created.isoformat(timespec="seconds"),
        }


def add_comment(
    repository: Repository,
    user: User,
    kind: str,
    target: str,
    body: str,
    *,
    parent_id: int | None = None,
) -> Comment:
    """Comment on an event (public id) or article (id), or reply to a comment there.

    A reply to a reply joins the first comment's thread (one level of replies).
    The parent's author is notified of a reply, and each ``@name`` of an existing
    user (not the writer) of a mention.

    Raises:
        PermissionDeniedError: the user is a viewer.
        RecordNotFoundError: no such event, article or parent comment.
        RecordError: an empty or too long comment, or an unknown kind.
    """
    from strife.store.notifications import notify

    if not user.can_edit:
        raise PermissionDeniedError(f"{user.name} is a {user.role}; only analysts may comment")
    body = body.strip()
    if not 1 <= len(body) <= MAX_COMMENT_CHARS:
        raise RecordError(f"a comment has 1 to {MAX_COMMENT_CHARS:,} characters")
    with repository._write() as session:
        target = _resolve(session, kind, target)
        parent = _parent(session, parent_id, kind, target)
        row = CommentRow(
            target_kind=kind,
            target=target,
            parent_id=parent[0] if parent else None,
            user_id=user.id,
            body=body,
            created_at=_now(),
        )
        session.add(row)
        session.flush()
        link = f"/{kind}s/{target}#comment-{row.id}"
        told = {user.id}
        if parent is not None and parent[1] not in told:
            told.add(parent[1])
            notify(
                session,
                parent[1],
                key=f"reply:{row.id}",
                kind="reply",
                message=f"{user.name} replied to your comment on {kind} {target}",
                link=link,
                data={"comment": row.id, "by": user.name},
            )
        for mentioned in _mentioned(session, body):
            if mentioned not in told:
                told.add(mentioned)
                notify(
                    session,
                    mentioned,
                    key=f"mention:{row.id}",
                    kind="mention",
                    message=f"{user.name} mentioned you on {kind} {target}",
                    link=link,
                    data={"comment": row.id, "by": user.name},
                )
        return Comment(row.id, kind, target, row.parent_id, user.name, body, row.created_at)


def list_comments(repository: Repository, kind: str, target: str) -> list[dict[str, Any]]:
    """The threads on an event or article, oldest first, each with its ``replies``.

    An event's threads include those on events merged into it.

    Raises:
        RecordNotFoundError: no such event or article.
    """
    with repository._read() as session:
        target = _resolve(session, kind, target)
        targets = [target]
        if kind == "event":
            merged = select(IncidentRow.public_id).where(
                IncidentRow.merged_into_id
                == select(IncidentRow.id).where(IncidentRow.public_id == target).scalar_subquery()
            )
            targets += list(session.scalars(merged))
        statement = (
            select(CommentRow, UserRow.name)
            .join(UserRow, CommentRow.user_id == UserRow.id)
            .where(CommentRow.target_kind == kind, CommentRow.target.in_(targets))
            .order_by(CommentRow.id)
        )
        rows = list(session.execute(statement))
    threads: dict[int, dict[str, Any]] = {}
    for row, author in rows:
        comment = Comment(
            row.id, kind, row.target, row.parent_id, author, row.body, row.created_at
        ).to_dict()
        if row.parent_id is None:
            threads[row.id] = {**comment, "replies": []}
        elif row.parent_id in threads:
            threads[row.parent_id]["replies"].append(comment)
    return list(threads.values())


def follow(repository: Repository, user_id: int, kind: str, value: str) -> dict[str, Any]:
    """Follow a user (by name), an event (public id), a place or an actor (words).

    A place of two letters is a country code (``SY``); other words match a place's
    name or province. Following twice is following once.

    Raises:
        RecordError: an unknown kind, or empty or too long words.
        RecordNotFoundError: no such user or event.
    """
    if kind not in FOLLOW_KINDS:
        raise RecordError(f"unknown kind {kind!r}; one follows: {', '.join(FOLLOW_KINDS)}")
    value = " ".join(value.split())
    if not 1 <= len(value) <= MAX_FOLLOW_CHARS:
        raise RecordError(f"what one follows has 1 to {MAX_FOLLOW_CHARS} characters")
    with repository._write() as session:
        known = select(UserRow.id).where(UserRow.name == value)
        if kind == "user" and session.scalar(known) is None:
            raise RecordNotFoundError(f"no user is named {value}")
        if kind == "event":
            value = _resolve(session, "event", value)
        if kind == "place" and len(value) == 2 and value.isalpha():
            value = value.upper()
        existing = session.scalar(
            select(FollowRow).where(
                FollowRow.user_id == user_id, FollowRow.kind == kind, FollowRow.value == value
            )
        )
        row = existing or FollowRow(user_id=user_id, kind=kind, value=value, created_at=_now())
        session.add(row)
        session.flush()
        return _follow(row)


def unfollow(repository: Repository, user_id: int, follow_id: int) -> None:
    """Stop following (someone else's follow is left alone)."""
    with repository._write() as session:
        row = session.get(FollowRow, follow_id)
        if row is not None and row.user_id == user_id:
            session.delete(row)


def list_follows(repository: Repository, user_id: int) -> list[dict[str, Any]]:
    """What a user follows, by kind, then oldest first."""
    statement = (
        select(FollowRow).where(FollowRow.user_id == user_id).order_by(FollowRow.kind, FollowRow.id)
    )
    with repository._read() as session:
        return [_follow(row) for row in session.scalars(statement)]


def followers_of(session: Session, kind: str, value: str) -> list[tuple[int, str]]:
    """The (id, name) of each user who follows this ``kind`` and ``value``."""
    statement = (
        select(UserRow.id, UserRow.name)
        .join(FollowRow, FollowRow.user_id == UserRow.id)
        .where(FollowRow.kind == kind, FollowRow.value == value)
    )
    return [(user_id, name) for user_id, name in session.execute(statement)]


def _resolve(session: Session, kind: str, target: str) -> str:
    """The target as stored: an event's live public id (after merges), an article's id."""
    from strife.store.linking import live_incident

    if kind == "event":
        row = session.scalar(select(IncidentRow).where(IncidentRow.public_id == target))
        if row is None:
            raise RecordNotFoundError(f"no incident has the id {target}")
        return live_incident(session, row).public_id
    if kind == "article":
        if not target.isdigit() or session.get(ArticleRow, int(target)) is None:
            raise RecordNotFoundError(f"no article has the id {target}")
        return str(int(target))
    raise RecordError(f"unknown kind {kind!r}; one comments on: {', '.join(TARGET_KINDS)}")


def _parent(
    session: Session, parent_id: int | None, kind: str, target: str
) -> tuple[int, int] | None:
    """The thread a reply joins and the user it answers, as (comment id, user id)."""
    if parent_id is None:
        return None
    parent = session.get(CommentRow, parent_id)
    if parent is None or parent.target_kind != kind or parent.target != target:
        raise RecordNotFoundError(f"no comment {parent_id} on {kind} {target} to reply to")
    # One level of replies: answering a reply answers its thread, and tells its writer.
    return (parent.parent_id or parent.id, parent.user_id)


def _mentioned(session: Session, body: str) -> list[int]:
    names = list(dict.fromkeys(MENTION.findall(body)))
    if not names:
        return []
    statement = select(UserRow.id).where(UserRow.name.in_(names)).order_by(UserRow.id)
    return list(session.scalars(statement))


def _follow(row: FollowRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "value": row.value,
        "created": row.created_at.isoformat(timespec="seconds"),
    }


__all__ = [
    "FOLLOW_KINDS",
    "TARGET_KINDS",
    "Comment",
    "add_comment",
    "follow",
    "followers_of",
    "list_comments",
    "list_follows",
    "unfollow",
]
