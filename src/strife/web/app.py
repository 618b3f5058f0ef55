"""The web application: :func:`create_app` builds it over one open database.

``strife serve`` hands the app to uvicorn; tests call :func:`create_app` and talk
to it with Starlette's TestClient, with no server. The app holds the repository
(closed when the app shuts down), the settings and the sign-in limiter, mounts
``static/`` and the routers of ``api.py``, ``pages.py`` and ``accounts.py``, adds
the security headers to every answer, and maps every error to one status, as JSON
under ``/api/`` and as a page elsewhere.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders

from strife import __version__
from strife.errors import (
    AccountError,
    InputError,
    NameTakenError,
    PermissionDeniedError,
    RecordEditError,
    RecordError,
    RecordNotFoundError,
    SetupError,
    SignInError,
    StorageError,
    StrifeError,
    TooManyAttemptsError,
)
from strife.settings import Settings, load_settings

if TYPE_CHECKING:
    from fastapi import FastAPI
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

STATIC = Path(__file__).resolve().parent / "static"
#: The HTTP status of each error family; a class takes its nearest ancestor's.
STATUS: dict[type[StrifeError], int] = {
    RecordNotFoundError: 404,
    RecordEditError: 409,
    NameTakenError: 409,
    SignInError: 401,
    PermissionDeniedError: 403,
    TooManyAttemptsError: 429,
    AccountError: 400,
    RecordError: 400,
    InputError: 400,
    SetupError: 500,
    # The database is locked, full or gone: the service, not the request, is at fault.
    StorageError: 503,
    StrifeError: 500,
}
SESSION_COOKIE = "strife_session"
#: A session lasts two weeks from its last answer (Starlette re-signs it each time).
SESSION_SECONDS = 14 * 24 * 3600


def create_app_from_environment() -> FastAPI:
    """The app the ``STRIFE_*`` variables describe: each ``serve --workers`` process's."""
    return create_app(load_settings())


def create_app(settings: Settings, *, db: str | None = None) -> FastAPI:
    """The strife web app over the database ``db`` (default: the ``db`` setting).

    The database is opened (and migrated) here, so a bad one fails before any
    request, with the StorageError the CLI reports.

    Raises:
        StorageError: the database cannot be opened.
    """
    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles
    from starlette.middleware.sessions import SessionMiddleware

    from strife.store.overview import OverviewCache
    from strife.store.repository import open_repository
    from strife.web import accounts, api, discussion, pages
    from strife.web._auth import SignInLimiter

    repository = open_repository(db or settings.db, busy_timeout=settings.db_busy_timeout)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        repository.close()

    # Swagger UI and ReDoc load their scripts from a CDN: off. /openapi.json stays.
    app = FastAPI(
        title="strife", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    app.state.repository = repository
    app.state.settings = settings
    app.state.overviews = OverviewCache()
    app.state.limiter = SignInLimiter(
        attempts=settings.login_attempts, window=settings.login_window
    )
    app.state.reset_limiter = SignInLimiter(
        attempts=settings.login_attempts,
        window=settings.login_window,
        what="password-reset requests",
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.web_secret or secrets.token_urlsafe(32),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_SECONDS,
        same_site="lax",
        https_only=settings.web_secure_cookies,
    )
    app.add_middleware(SecurityHeaders, headers=_security_headers(settings))
    _add_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(discussion.api)
    app.include_router(pages.router)
    app.include_router(accounts.router)
    app.include_router(discussion.pages)
    return app


class SecurityHeaders:
    """Sets ``headers`` on every HTTP answer, over any the route set.

    A plain ASGI middleware: Starlette's ``@app.middleware("http")`` runs every
    request in a task group of its own, which cost about 0.2 ms of CPU a request
    (docs/web.md, "Speed with a large record").
    """

    def __init__(self, app: ASGIApp, *, headers: dict[str, str]) -> None:
        self.app, self.headers = app, headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(self.headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def status_for(error: StrifeError) -> int:
    """The HTTP status of ``error``: its nearest ancestor's in :data:`STATUS`."""
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def _add_error_handlers(app: FastAPI) -> None:
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    async def strife_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StrifeError)
        return _error(request, status_for(error), error.message, error.code)

    async def invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        message = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}"
            for e in error.errors()
        )
        return _error(request, 422, message, None)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        return _error(request, error.status_code, str(error.detail), None)

    app.add_exception_handler(StrifeError, strife_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(HTTPException, http_error)


def _error(request: Request, status: int, message: str, code: str | None) -> Response:
    """The error as JSON for the API, as a page for a person."""
    from starlette.responses import JSONResponse

    from strife.web._templates import render

    if request.url.path.startswith("/api/"):
        # RFC 9110: a 401 names the scheme that would be accepted.
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(
            {"error": {"status": status, "code": code, "message": message}},
            status_code=status,
            headers=headers,
        )
    return render(
        request, "error.html", status_code=status, status=status, message=message, code=code
    )


def _security_headers(settings: Settings) -> dict[str, str]:
    """Headers for every answer: nothing runs but our own scripts, nothing frames us.

    Images may come from the tile server (``map_tiles``), and nowhere else outside.
    """
    tiles = _origin(settings.map_tiles)
    return {
        "Content-Security-Policy": (
            "default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src 'self' data:{' ' + tiles if tiles else ''}; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }


def _origin(template: str) -> str:
    """The tile server's origin for the CSP; ``{s}`` subdomains become a wildcard."""
    if not template:
        return ""
    parts = urlsplit(template.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
