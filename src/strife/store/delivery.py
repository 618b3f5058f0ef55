"""Sending notifications out of the app: by email (SMTP) and to webhooks (signed JSON).

Takes the delivery rows ``notifications.notify`` queued and tries each once per
call. A delivery is *claimed* (``sending``, one more attempt counted) in a write
transaction before anything is sent, so two runs at once never send it twice;
then it becomes ``sent``, or ``failed`` (tried again by the next call) with the
error, or ``abandoned`` after ``notify_attempts`` tries. A server that is down,
slow (``notify_timeout``) or answers with an error is recorded, never raised. A
process killed between claim and outcome leaves the delivery ``sending``: it is
not sent again (at most once), and the alerts page shows it.

Webhook bodies are signed as GitHub signs its own: ``X-Strife-Signature-256:
sha256=<hex HMAC-SHA256 of the raw body with the webhook's secret>``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from strife.settings import Settings
from strife.store.models import (
    DeliveryRow,
    EmailAddressRow,
    NotificationRow,
    UserRow,
    WebhookRow,
)
from strife.store.repository import Repository, _now

#: The header that carries a webhook body's signature.
SIGNATURE_HEADER = "X-Strife-Signature-256"
#: Deliveries one call claims at most, so a long backlog cannot hold the write lock long.
BATCH = 500
#: Errors are stored for people to read; a whole HTML error page is not needed.
MAX_ERROR_CHARS = 500


class DeliveryFailed(Exception):  # noqa: N818 - a signal to the sender, never shown as an error
    """One try failed; the message is stored on the delivery (or logged, for a reset link)."""


@dataclass(slots=True)
class DeliveryReport:
    """How many deliveries one call sent, left to retry, and gave up on."""

    sent: int = 0
    failed: int = 0
    abandoned: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"sent": self.sent, "failed": self.failed, "abandoned": self.abandoned}


@dataclass(frozen=True, slots=True)
class _Claimed:
    """A claimed delivery with what sending it needs, read in the claiming transaction."""

    id: int
    target: str
    attempts: int
    user: str
    notification: dict[str, Any]
    address: str | None
    url: str | None
    secret: str | None


def sign(secret: str, body: bytes) -> str:
    """The signature header's value for ``body``: ``sha256=`` and the hex HMAC-SHA256."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver_pending(repository: Repository, *, settings: Settings) -> DeliveryReport:
    """Try every pending or failed delivery once (up to :data:`BATCH`); never raises for a send.

    Raises:
        StorageError: the database failed.
    """
    report = DeliveryReport()
    for item in _claim(repository, settings.notify_attempts):
        try:
            _send(item, settings)
        except DeliveryFailed as failure:
            abandon = item.attempts >= settings.notify_attempts
            _finish(repository, item.id, "abandoned" if abandon else "failed", str(failure))
            report.abandoned += abandon
            report.failed += not abandon
        else:
            _finish(repository, item.id, "sent", None)
            report.sent += 1
    return report


def _claim(repository: Repository, attempts: int) -> list[_Claimed]:
    statement = (
        select(DeliveryRow, NotificationRow, UserRow.name)
        .join(NotificationRow, DeliveryRow.notification_id == NotificationRow.id)
        .join(UserRow, NotificationRow.user_id == UserRow.id)
        .where(DeliveryRow.state.in_(("pending", "failed")), DeliveryRow.attempts < attempts)
        .order_by(DeliveryRow.id)
        .limit(BATCH)
    )
    claimed = []
    with repository._write() as session:
        for delivery, notification, name in session.execute(statement).all():
            delivery.state, delivery.updated_at = "sending", _now()
            delivery.attempts += 1
            address = url = secret = None
            if delivery.target == "email":
                row = session.get(EmailAddressRow, notification.user_id)
                address = row.address if row else None
            elif delivery.target.startswith("webhook:"):
                hook = session.get(WebhookRow, int(delivery.target.partition(":")[2]))
                url, secret = (hook.url, hook.secret) if hook else (None, None)
            claimed.append(
                _Claimed(
                    id=delivery.id,
                    target=delivery.target,
                    attempts=delivery.attempts,
                    user=name,
                    notification=_payload(notification),
                    address=address,
                    url=url,
                    secret=secret,
                )
            )
    return claimed


def _finish(repository: Repository, delivery_id: int, state: str, error: str | None) -> None:
    with repository._write() as session:
        row = session.get_one(DeliveryRow, delivery_id)
        row.state, row.updated_at = state, _now()
        row.last_error = error[:MAX_ERROR_CHARS] if error else None


def _send(item: _Claimed, settings: Settings) -> None:
    if item.target == "email":
        if item.address is None:
            raise DeliveryFailed("the user removed their email address")
        _send_email(item, settings)
    elif item.url is not None and item.secret is not None:
        _post_webhook(item, settings)
    else:
        raise DeliveryFailed("the webhook was removed")


def _send_email(item: _Claimed, settings: Settings) -> None:
    assert item.address is not None
    notification = item.notification
    send_mail(
        settings,
        to=item.address,
        subject=f"[strife] {notification['message']}",
        body=f"{notification['message']}\n\n{settings.public_url.rstrip('/')}{notification['link']}"
        f"\n\nYou get this because of your follows and watch rules in strife ({item.user}).\n",
    )


def send_mail(settings: Settings, *, to: str, subject: str, body: str) -> None:
    """Mail one plain-text message through the ``smtp_*`` settings (notifications, reset links).

    Raises:
        DeliveryFailed: no mail server is set, or it could not be reached or refused the mail.
    """
    import smtplib
    from email.message import EmailMessage

    if not settings.smtp_host:
        raise DeliveryFailed("no mail server: set smtp_host")
    message = EmailMessage()
    message["From"] = settings.smtp_sender
    message["To"] = to
    message["Subject"] = subject[:200]
    message.set_content(body)
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.notify_timeout
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password)
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        where = f"{settings.smtp_host}:{settings.smtp_port}"
        raise DeliveryFailed(f"mail server {where}: {type(exc).__name__}: {exc}") from exc


def _post_webhook(item: _Claimed, settings: Settings) -> None:
    import httpx

    assert item.url is not None
    assert item.secret is not None
    body = json.dumps(
        {"delivery": item.id, "user": item.user, "notification": item.notification},
        separators=(",", ":"),
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": settings.user_agent,
        "X-Strife-Delivery": str(item.id),
        SIGNATURE_HEADER: sign(item.secret, body),
    }
    try:
        # No redirects: the receiver is the URL the user gave, not wherever it points.
        answer = httpx.post(
            item.url, content=body, headers=headers, timeout=settings.notify_timeout
        )
    except httpx.HTTPError as exc:
        raise DeliveryFailed(f"{item.url}: {type(exc).__name__}: {exc}") from exc
    if not answer.is_success:
        raise DeliveryFailed(f"{item.url} answered {answer.status_code}")


def _payload(row: NotificationRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "message": row.message,
        "link": row.link,
        "created": row.created_at.isoformat(timespec="seconds"),
        "data": row.data,
    }


__all__ = [
    "SIGNATURE_HEADER",
    "DeliveryFailed",
    "DeliveryReport",
    "deliver_pending",
    "send_mail",
    "sign",
]
