"""Notifications: what users are told in the app, and where else it is sent (email, webhooks).

Takes what ``discussion.py`` (replies, mentions) and ``watches.py`` (watch rules,
revisions of followed events) find, and keeps it: one row per notification,
unique per user and ``key``, so the same news is never told twice, and one
*delivery* row per way it leaves the app (the user's email address, each of
their webhooks), which ``delivery.py`` sends. This module also keeps each user's
email address and webhooks.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from strife.errors import RecordError
from strife.store.models import (
    DeliveryRow,
    EmailAddressRow,
    NotificationRow,
    WebhookRow,
)
from strife.store.repository import Repository, _now

#: Notifications a list shows at most (newest first).
LIST_LIMIT = 200
#: A plain check: something@domain.tld, no spaces. The SMTP server has the last word.
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_EMAIL_CHARS = 320
#: Prefix of webhook secrets, so a leaked one is recognisable.
SECRET_PREFIX = "whsec_"


@dataclass(frozen=True, slots=True)
class Notification:
    """One notification as its user sees it."""

    id: int
    user_id: int
    kind: str
    message: str
    link: str
    created: datetime
    read: bool
    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "message": self.message,
            "link": self.link,
            "created": self.created.isoformat(timespec="seconds"),
            "read": self.read,
            "data": self.data,
        }


def notify(
    session: Session,
    user_id: int,
    *,
    key: str,
    kind: str,
    message: str,
    link: str,
    data: dict[str, Any] | None = None,
) -> Notification | None:
    """Tell a user something inside an open write session, and queue its deliveries.

    Returns None when the user was told this ``key`` before (nothing is written).
    """
    seen = select(NotificationRow.id).where(
        NotificationRow.user_id == user_id, NotificationRow.key == key
    )
    if session.scalar(seen) is not None:
        return None
    now = _now()
    row = NotificationRow(
        user_id=user_id,
        key=key[:200],
        kind=kind,
        message=message,
        link=link,
        data=data or {},
        created_at=now,
    )
    session.add(row)
    session.flush()
    for target in _targets(session, user_id):
        session.add(
            DeliveryRow(
                notification_id=row.id,
                target=target,
                state="pending",
                attempts=0,
                created_at=now,
                updated_at=now,
            )
        )
    return _notification(row)


def list_notifications(
    repository: Repository, user_id: int, *, unread_only: bool = False
) -> list[Notification]:
    """A user's notifications, newest first (at most :data:`LIST_LIMIT`)."""
    statement = select(NotificationRow).where(NotificationRow.user_id == user_id)
    if unread_only:
        statement = statement.where(NotificationRow.read_at.is_(None))
    statement = statement.order_by(NotificationRow.id.desc()).limit(LIST_LIMIT)
    with repository._read() as session:
        return [_notification(row) for row in session.scalars(statement)]


def unread_count(repository: Repository, user_id: int) -> int:
    """How many of a user's notifications are unread: the counter in the page header."""
    statement = select(func.count(NotificationRow.id)).where(
        NotificationRow.user_id == user_id, NotificationRow.read_at.is_(None)
    )
    with repository._read() as session:
        return session.scalar(statement) or 0


def mark_read(repository: Repository, user_id: int, ids: list[int] | None = None) -> int:
    """Mark a user's notifications read: those in ``ids``, or all. Returns how many changed."""
    statement = (
        update(NotificationRow)
        .where(NotificationRow.user_id == user_id, NotificationRow.read_at.is_(None))
        .values(read_at=_now())
    )
    if ids is not None:
        statement = statement.where(NotificationRow.id.in_(ids))
    with repository._write() as session:
        return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def set_email(repository: Repository, user_id: int, address: str) -> None:
    """Mail this user's notifications to ``address``; an empty address stops the mail.

    Raises:
        RecordError: not an email address.
    """
    address = address.strip()
    if address and (len(address) > MAX_EMAIL_CHARS or not EMAIL_PATTERN.fullmatch(address)):
        raise RecordError(f"{address!r} is not an email address")
    with repository._write() as session:
        row = session.get(EmailAddressRow, user_id)
        if not address:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(EmailAddressRow(user_id=user_id, address=address, created_at=_now()))
        else:
            row.address = address


def get_email(repository: Repository, user_id: int) -> str | None:
    with repository._read() as session:
        row = session.get(EmailAddressRow, user_id)
        return row.address if row else None


def add_webhook(repository: Repository, user_id: int, url: str) -> dict[str, Any]:
    """Register a URL for a user's notifications; the answer holds its secret, shown once.

    Raises:
        RecordError: not an http(s) URL.
    """
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or len(url) > 2000:
        raise RecordError(f"{url!r} is not an http or https URL")
    secret = SECRET_PREFIX + secrets.token_hex(24)
    with repository._write() as session:
        row = WebhookRow(user_id=user_id, url=url, secret=secret, created_at=_now())
        session.add(row)
        session.flush()
        return {**_webhook(row), "secret": secret}


def list_webhooks(repository: Repository, user_id: int) -> list[dict[str, Any]]:
    """A user's webhooks (id, url, created), never their secrets."""
    statement = select(WebhookRow).where(WebhookRow.user_id == user_id).order_by(WebhookRow.id)
    with repository._read() as session:
        return [_webhook(row) for row in session.scalars(statement)]


def remove_webhook(repository: Repository, user_id: int, webhook_id: int) -> None:
    """Delete one of the user's webhooks (someone else's is left alone)."""
    with repository._write() as session:
        row = session.get(WebhookRow, webhook_id)
        if row is not None and row.user_id == user_id:
            session.delete(row)


def list_deliveries(repository: Repository, user_id: int) -> list[dict[str, Any]]:
    """A user's latest deliveries and their state, newest first (for the alerts page)."""
    statement = (
        select(DeliveryRow, NotificationRow)
        .join(NotificationRow, DeliveryRow.notification_id == NotificationRow.id)
        .where(NotificationRow.user_id == user_id)
        .order_by(DeliveryRow.id.desc())
        .limit(LIST_LIMIT)
    )
    with repository._read() as session:
        return [
            {
                "id": delivery.id,
                "notification": notification.id,
                "message": notification.message,
                "target": delivery.target,
                "state": delivery.state,
                "attempts": delivery.attempts,
                "error": delivery.last_error,
                "updated": delivery.updated_at.isoformat(timespec="seconds"),
            }
            for delivery, notification in session.execute(statement)
        ]


def _targets(session: Session, user_id: int) -> list[str]:
    """Where a user's notifications go besides the app: ``email``, ``webhook:ID``..."""
    targets = ["email"] if session.get(EmailAddressRow, user_id) is not None else []
    hooks = select(WebhookRow.id).where(WebhookRow.user_id == user_id).order_by(WebhookRow.id)
    return targets + [f"webhook:{hook}" for hook in session.scalars(hooks)]


def _notification(row: NotificationRow) -> Notification:
    return Notification(
        id=row.id,
        user_id=row.user_id,
        kind=row.kind,
        message=row.message,
        link=row.link,
        created=row.created_at,
        read=row.read_at is not None,
        data=row.data,
    )


def _webhook(row: WebhookRow) -> dict[str, Any]:
    return {"id": row.id, "url": row.url, "created": row.created_at.isoformat(timespec="seconds")}


__all__ = [
    "Notification",
    "add_webhook",
    "get_email",
    "list_deliveries",
    "list_notifications",
    "list_webhooks",
    "mark_read",
    "notify",
    "remove_webhook",
    "set_email",
    "unread_count",
]
