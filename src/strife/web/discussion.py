"""Discussion, follows, the activity feed, notifications and alerts: pages and JSON API.

Each route calls one store function (``store/discussion.py``, ``activity.py``,
``notifications.py``, ``watches.py``). Comments need an analyst or admin;
following, watching and reading one's notifications need only an account. Every
form post checks the session's CSRF token first, every JSON post takes a bearer
token or the ``X-CSRF-Token`` header, as in ``api.py``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from strife.errors import RecordError
from strife.store.activity import activity_feed
from strife.store.discussion import add_comment, follow, list_comments, list_follows, unfollow
from strife.store.notifications import (
    add_webhook,
    get_email,
    list_deliveries,
    list_notifications,
    list_webhooks,
    mark_read,
    remove_webhook,
    set_email,
)
from strife.store.watches import add_watch, list_watches, remove_watch
from strife.web._auth import check_csrf, require_editor, require_user
from strife.web._templates import render
from strife.web.api import EditorWriter, Store, Writer

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["discussion"])

Csrf = Annotated[str, Form()]


class CommentBody(BaseModel):
    body: str = Field(description="Plain text; @name mentions a user.")
    parent: int | None = Field(default=None, description="The comment this replies to.")


class FollowBody(BaseModel):
    kind: str = Field(description="user, event, place or actor.")
    value: str = Field(description="A user's name, an event id, a place's words, an actor's.")


class ReadBody(BaseModel):
    ids: list[int] | None = Field(default=None, description="These; none given: all.")


class WatchBody(BaseModel):
    label: str | None = None
    country: str | None = Field(default=None, description="ISO alpha-2 code.")
    admin1: str | None = Field(default=None, description="A province, as the record names it.")
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = Field(default=None, description="Around lat,lon (25).")
    actor: str | None = Field(default=None, description="Words of an actor or its kind.")
    category: str | None = None
    min_fatalities: int | None = Field(default=None, description="A best toll of N or more.")
    spike: bool = Field(default=False, description="The area's 30-day toll at a yearly high.")


class WebhookBody(BaseModel):
    url: str = Field(description="An http(s) URL that takes the signed JSON posts.")


# ---------------------------------------------------------------------------
# JSON API
# ---------------------------------------------------------------------------


@api.get("/events/{identifier}/comments", summary="The comment threads on an event")
def event_comments(identifier: str, store: Store) -> dict[str, Any]:
    return {"comments": list_comments(store, "event", identifier)}


@api.post("/events/{identifier}/comments", summary="Comment on an event, or reply")
def comment_event(
    identifier: str, body: CommentBody, user: EditorWriter, store: Store
) -> dict[str, Any]:
    return add_comment(store, user, "event", identifier, body.body, parent_id=body.parent).to_dict()


@api.get("/articles/{article_id}/comments", summary="The comment threads on an article")
def article_comments(article_id: int, store: Store) -> dict[str, Any]:
    return {"comments": list_comments(store, "article", str(article_id))}


@api.post("/articles/{article_id}/comments", summary="Comment on an article, or reply")
def comment_article(
    article_id: int, body: CommentBody, user: EditorWriter, store: Store
) -> dict[str, Any]:
    target = str(article_id)
    return add_comment(store, user, "article", target, body.body, parent_id=body.parent).to_dict()


@api.get("/activity", summary="What happened lately to what you follow")
def activity(request: Request, store: Store) -> dict[str, Any]:
    return {"activity": activity_feed(store, require_user(request).id)}


@api.get("/follows", summary="What you follow")
def follows(request: Request, store: Store) -> dict[str, Any]:
    return {"follows": list_follows(store, require_user(request).id)}


@api.post("/follows", summary="Follow a user, an event, a place or an actor")
def add_follow(body: FollowBody, user: Writer, store: Store) -> dict[str, Any]:
    return follow(store, user.id, body.kind, body.value)


@api.delete("/follows/{follow_id}", summary="Stop following")
def delete_follow(follow_id: int, user: Writer, store: Store) -> dict[str, Any]:
    unfollow(store, user.id, follow_id)
    return {"follows": list_follows(store, user.id)}


@api.get("/notifications", summary="Your notifications, newest first")
def notifications(request: Request, store: Store, unread: bool = False) -> dict[str, Any]:
    found = list_notifications(store, require_user(request).id, unread_only=unread)
    return {"notifications": [n.to_dict() for n in found]}


@api.post("/notifications/read", summary="Mark notifications read")
def read(body: ReadBody, user: Writer, store: Store) -> dict[str, Any]:
    return {"marked": mark_read(store, user.id, body.ids)}


@api.get("/watches", summary="Your watch rules")
def watches(request: Request, store: Store) -> dict[str, Any]:
    return {"watches": list_watches(store, require_user(request).id)}


@api.post("/watches", summary="Add a watch rule")
def add_watch_json(body: WatchBody, user: Writer, store: Store) -> dict[str, Any]:
    return add_watch(store, user.id, **body.model_dump())


@api.delete("/watches/{rule_id}", summary="Delete a watch rule")
def delete_watch(rule_id: int, user: Writer, store: Store) -> dict[str, Any]:
    remove_watch(store, user.id, rule_id)
    return {"watches": list_watches(store, user.id)}


@api.post("/webhooks", summary="Register a webhook; the answer holds its secret, once")
def add_webhook_json(body: WebhookBody, user: Writer, store: Store) -> dict[str, Any]:
    return add_webhook(store, user.id, body.url)


# ---------------------------------------------------------------------------
# Pages and forms
# ---------------------------------------------------------------------------


@pages.post("/events/{identifier}/comments")
def comment_event_form(
    request: Request,
    identifier: str,
    store: Store,
    body: Annotated[str, Form()] = "",
    parent: Annotated[str, Form()] = "",
    csrf: Csrf = "",
) -> RedirectResponse:
    return _comment_form(request, store, "event", identifier, body, parent, csrf)


@pages.post("/articles/{article_id}/comments")
def comment_article_form(
    request: Request,
    article_id: int,
    store: Store,
    body: Annotated[str, Form()] = "",
    parent: Annotated[str, Form()] = "",
    csrf: Csrf = "",
) -> RedirectResponse:
    return _comment_form(request, store, "article", str(article_id), body, parent, csrf)


@pages.get("/activity", response_class=HTMLResponse)
def activity_page(request: Request, store: Store) -> HTMLResponse:
    user = require_user(request)
    return render(
        request,
        "activity.html",
        items=activity_feed(store, user.id),
        follows=list_follows(store, user.id),
    )


@pages.post("/follows")
def follow_form(
    request: Request,
    store: Store,
    kind: Annotated[str, Form()],
    value: Annotated[str, Form()],
    csrf: Csrf = "",
    back: Annotated[str, Form()] = "/activity",
) -> RedirectResponse:
    check_csrf(request, csrf)
    follow(store, require_user(request).id, kind, value)
    return RedirectResponse(_local(back), status_code=303)


@pages.post("/follows/{follow_id}/delete")
def unfollow_form(
    request: Request,
    follow_id: int,
    store: Store,
    csrf: Csrf = "",
    back: Annotated[str, Form()] = "/activity",
) -> RedirectResponse:
    check_csrf(request, csrf)
    unfollow(store, require_user(request).id, follow_id)
    return RedirectResponse(_local(back), status_code=303)


@pages.get("/notifications", response_class=HTMLResponse)
def notifications_page(request: Request, store: Store) -> HTMLResponse:
    user = require_user(request)
    return render(request, "notifications.html", notifications=list_notifications(store, user.id))


@pages.post("/notifications/read")
def read_form(
    request: Request,
    store: Store,
    csrf: Csrf = "",
    ids: Annotated[list[int] | None, Form()] = None,
) -> RedirectResponse:
    check_csrf(request, csrf)
    mark_read(store, require_user(request).id, ids)
    return RedirectResponse("/notifications", status_code=303)


@pages.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, store: Store) -> HTMLResponse:
    return _alerts(request, store, new_secret=None)


@pages.post("/alerts/rules")
def add_rule_form(
    request: Request,
    store: Store,
    csrf: Csrf = "",
    label: Annotated[str, Form()] = "",
    country: Annotated[str, Form()] = "",
    admin1: Annotated[str, Form()] = "",
    near: Annotated[str, Form()] = "",
    radius_km: Annotated[str, Form()] = "",
    actor: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "",
    min_fatalities: Annotated[str, Form()] = "",
    spike: Annotated[str, Form()] = "",
) -> RedirectResponse:
    check_csrf(request, csrf)
    user = require_user(request)
    lat, lon = _point(near)
    add_watch(
        store,
        user.id,
        label=label,
        country=country,
        admin1=admin1,
        lat=lat,
        lon=lon,
        radius_km=_number(radius_km, "radius_km"),
        actor=actor,
        category=category,
        min_fatalities=_whole(min_fatalities),
        spike=bool(spike),
    )
    return RedirectResponse("/alerts", status_code=303)


@pages.post("/alerts/rules/{rule_id}/delete")
def delete_rule_form(
    request: Request, rule_id: int, store: Store, csrf: Csrf = ""
) -> RedirectResponse:
    check_csrf(request, csrf)
    remove_watch(store, require_user(request).id, rule_id)
    return RedirectResponse("/alerts", status_code=303)


@pages.post("/alerts/email")
def email_form(
    request: Request, store: Store, address: Annotated[str, Form()] = "", csrf: Csrf = ""
) -> RedirectResponse:
    check_csrf(request, csrf)
    set_email(store, require_user(request).id, address)
    return RedirectResponse("/alerts", status_code=303)


@pages.post("/alerts/webhooks", response_class=HTMLResponse)
def webhook_form(
    request: Request, store: Store, url: Annotated[str, Form()], csrf: Csrf = ""
) -> HTMLResponse:
    check_csrf(request, csrf)
    hook = add_webhook(store, require_user(request).id, url)
    # Shown this once: signing needs it kept, but no page shows it again.
    return _alerts(request, store, new_secret=hook["secret"])


@pages.post("/alerts/webhooks/{webhook_id}/delete")
def delete_webhook_form(
    request: Request, webhook_id: int, store: Store, csrf: Csrf = ""
) -> RedirectResponse:
    check_csrf(request, csrf)
    remove_webhook(store, require_user(request).id, webhook_id)
    return RedirectResponse("/alerts", status_code=303)


def _alerts(request: Request, store: Store, *, new_secret: str | None) -> HTMLResponse:
    user = require_user(request)
    return render(
        request,
        "alerts.html",
        rules=list_watches(store, user.id),
        email=get_email(store, user.id) or "",
        webhooks=list_webhooks(store, user.id),
        deliveries=list_deliveries(store, user.id),
        new_secret=new_secret,
        spike_min=request.app.state.settings.spike_min_fatalities,
    )


def _comment_form(
    request: Request, store: Store, kind: str, target: str, body: str, parent: str, csrf: str
) -> RedirectResponse:
    check_csrf(request, csrf)
    user = require_editor(request)
    comment = add_comment(store, user, kind, target, body, parent_id=_whole(parent))
    return RedirectResponse(f"/{kind}s/{comment.target}#comment-{comment.id}", status_code=303)


def _local(path: str) -> str:
    """A path of this app to return to; anything else (another site) goes to the feed."""
    return path if path.startswith("/") and not path.startswith("//") else "/activity"


def _whole(text: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise RecordError(f"expected a whole number, got {text!r}")
    return int(text)


def _number(text: str, name: str) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        raise RecordError(f"{name}: expected a number, got {text!r}") from None


def _point(text: str) -> tuple[float | None, float | None]:
    if not text.strip():
        return None, None
    try:
        lat, lon = (float(part) for part in text.split(","))
    except ValueError:
        raise RecordError(f"expected LAT,LON, e.g. 34.73,36.71, got {text!r}") from None
    return lat, lon
