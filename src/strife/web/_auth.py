"""Who is asking, and may they: sessions, API tokens, CSRF tokens, the sign-in limit.

The session is Starlette's signed cookie (itsdangerous; HttpOnly, SameSite=Lax),
holding only the user's id, the stamp of their password hash and the CSRF token,
never a password or a role: the user is read from the database on every
request, so a changed role counts at once, and a changed password (a reset)
ends every session that signed in with the old one. A script sends
``Authorization: Bearer TOKEN`` instead and needs no CSRF token, since browsers
never add that header by themselves.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from typing import TYPE_CHECKING

from strife.errors import PermissionDeniedError, SignInError, TooManyAttemptsError
from strife.store.accounts import User, get_user, user_for_token

if TYPE_CHECKING:
    from starlette.requests import Request

    from strife.store.repository import Repository

#: Name pairs the limiter remembers before it drops the stalest (bounds its memory).
LIMITER_KEYS = 10_000
#: The form field and header that carry the CSRF token.
CSRF_FIELD, CSRF_HEADER = "csrf", "x-csrf-token"


class SignInLimiter:
    """Failed sign-ins (or reset requests) per (name, address) in a sliding window; more refused.

    Kept in the server's memory: one ``strife serve`` process sees every attempt,
    and a restart forgets them, which costs an attacker a restart per window.
    """

    def __init__(self, *, attempts: int, window: float, what: str = "failed sign-ins") -> None:
        self.attempts, self.window, self.what = attempts, window, what
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, name: str, address: str) -> None:
        """Raise TooManyAttemptsError when this pair has used up its attempts."""
        with self._lock:
            failures = self._recent((name.lower(), address))
            if len(failures) >= self.attempts:
                wait = int(failures[0] + self.window - time.monotonic()) + 1
                raise TooManyAttemptsError(
                    f"too many {self.what} for {name}; try again in {wait} seconds"
                )

    def failed(self, name: str, address: str) -> None:
        with self._lock:
            if len(self._failures) >= LIMITER_KEYS:
                self._failures.pop(next(iter(self._failures)))
            self._recent((name.lower(), address)).append(time.monotonic())

    def succeeded(self, name: str, address: str) -> None:
        with self._lock:
            self._failures.pop((name.lower(), address), None)

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= time.monotonic() - self.window:
            failures.popleft()
        return failures


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def current_user(request: Request) -> User | None:
    """The signed-in user (by API token or session), or None; cached on the request.

    Raises:
        SignInError: an ``Authorization: Bearer`` token that is unknown or revoked.
    """
    if hasattr(request.state, "user"):
        user: User | None = request.state.user
        return user
    repository: Repository = request.app.state.repository
    token = bearer_token(request)
    if token is not None:
        user = user_for_token(repository, token)
    else:
        user_id = request.session.get("user")
        user = get_user(repository, user_id) if isinstance(user_id, int) else None
        if user is not None and request.session.get("stamp") != user.stamp:
            user = None  # the password changed since this session signed in
        if user is None and user_id is not None:
            request.session.clear()  # the account is gone, or its password changed
    request.state.user = user
    return user


def require_user(request: Request) -> User:
    """The signed-in user; raises SignInError for nobody."""
    user = current_user(request)
    if user is None:
        raise SignInError("sign in first")
    return user


def require_editor(request: Request) -> User:
    """The signed-in user, who must be an analyst or admin to change the record."""
    user = require_user(request)
    if not user.can_edit:
        raise PermissionDeniedError(f"{user.name} is a {user.role}; only analysts may edit")
    return user


def require_admin(request: Request) -> User:
    user = require_user(request)
    if user.role != "admin":
        raise PermissionDeniedError("only an admin may do this")
    return user


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (every page with a form asks)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf(request: Request, sent: str | None) -> None:
    """Refuse a cookie-authenticated post whose token is not the session's.

    A request with a bearer token passes: no other site can make a browser send it.
    """
    if bearer_token(request) is not None:
        return
    expected = request.session.get("csrf")
    sent = sent or request.headers.get(CSRF_HEADER)
    if not isinstance(expected, str) or not sent or not secrets.compare_digest(sent, expected):
        raise PermissionDeniedError(
            "the form came without a valid CSRF token; reload the page and send it again"
        )


def sign_in(request: Request, user: User) -> None:
    """Start a new session for ``user``: a fresh CSRF token, nothing kept from before."""
    request.session.clear()
    request.session["user"] = user.id
    request.session["stamp"] = user.stamp
    request.session["csrf"] = secrets.token_urlsafe(32)
    request.state.user = user
