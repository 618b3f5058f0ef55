"""The Jinja2 environment (autoescape on, for every template) and the page renderer."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from strife import __version__
from strife.errors import SignInError, StorageError
from strife.store.notifications import unread_count
from strife.web._auth import csrf_token, current_user
from strife.web._render import highlight_claims

if TYPE_CHECKING:
    from jinja2 import Environment
    from starlette.requests import Request
    from starlette.responses import HTMLResponse

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        # Every template, whatever its name: escaping is never a per-file choice.
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["highlight"] = highlight_claims
    env.filters["place"] = place_name
    env.filters["figure"] = figure_text
    return env


def render(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """A page: ``template`` with the signed-in user, ``csrf()`` (the token) and ``context``."""
    from starlette.responses import HTMLResponse

    try:
        user = current_user(request)
        # The header's counter of unread notifications.
        unread = unread_count(request.app.state.repository, user.id) if user else 0
    except (SignInError, StorageError):  # a bad token, or the error page of a database error
        user, unread = None, 0
    html = (
        environment()
        .get_template(template)
        .render(
            user=user,
            unread=unread,
            # Called only by templates with a form, so a reader who never sees one gets
            # no session cookie.
            csrf=lambda: csrf_token(request),
            version=__version__,
            path=request.url.path,
            **context,
        )
    )
    return HTMLResponse(html, status_code=status_code)


def place_name(location: dict[str, Any] | None) -> str:
    """``Name, province, CC`` from a location, leaving out what is unknown."""
    if not location:
        return ""
    parts = [location.get("name") or location.get("text"), location.get("admin1")]
    parts.append(location.get("country"))
    return ", ".join(dict.fromkeys(str(p) for p in parts if p))


def figure_text(figure: dict[str, Any] | None) -> str:
    """``12 (12–20)``: the best figure and its span; an open high is ``12+``."""
    if not figure or figure.get("best") is None:
        return "–"
    best, low, high = figure["best"], figure.get("low"), figure.get("high")
    if low is None or low == high == best:
        return f"{best:,}"
    # An open high ("more than 100") has no upper figure.
    return f"{best:,} ({low:,} to {'…' if high is None else f'{high:,}'})"
