"""Account pages: register, sign in and out, API tokens, and the admin's list of users.

Every form carries the session's CSRF token and every post checks it before
anything else. Sign-ins are limited per name and address (``login_attempts``
in ``login_window`` seconds); a success starts a new session, so a session id
planted before sign-in is worth nothing after it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from strife.errors import AccountError, SignInError
from strife.store.accounts import (
    ROLES,
    authenticate,
    create_token,
    list_tokens,
    list_users,
    register_user,
    revoke_token,
    set_role,
)
from strife.web._auth import (
    SignInLimiter,
    check_csrf,
    client_address,
    require_admin,
    require_user,
    sign_in,
)
from strife.web._templates import render
from strife.web.api import Store

router = APIRouter(include_in_schema=False)

Csrf = Annotated[str, Form()]


@router.get("/register", response_class=HTMLResponse)
def register_page(request: Request) -> HTMLResponse:
    return render(request, "register.html", error=None, name="")


@router.post("/register", response_class=HTMLResponse, response_model=None)
def register(
    request: Request,
    store: Store,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    check_csrf(request, csrf)
    try:
        user = register_user(store, name.strip(), password)
    except AccountError as error:  # the form again, with the reason
        return render(request, "register.html", status_code=400, error=error.message, name=name)
    sign_in(request, user)
    return RedirectResponse("/account", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return render(request, "login.html", error=None, name="")


@router.post("/login", response_class=HTMLResponse, response_model=None)
def login(
    request: Request,
    store: Store,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Csrf = "",
) -> HTMLResponse | RedirectResponse:
    check_csrf(request, csrf)
    limiter: SignInLimiter = request.app.state.limiter
    address = client_address(request)
    limiter.check(name, address)
    try:
        user = authenticate(store, name.strip(), password)
    except SignInError as error:
        limiter.failed(name, address)
        return render(request, "login.html", status_code=401, error=error.message, name=name)
    limiter.succeeded(name, address)
    sign_in(request, user)
    return RedirectResponse("/events", status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: Csrf = "") -> RedirectResponse:
    check_csrf(request, csrf)
    request.session.clear()
    return RedirectResponse("/events", status_code=303)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, store: Store) -> HTMLResponse:
    user = require_user(request)
    return render(request, "account.html", tokens=list_tokens(store, user.id), new_token=None)


@router.post("/account/tokens", response_class=HTMLResponse)
def new_token(
    request: Request, store: Store, label: Annotated[str, Form()] = "", csrf: Csrf = ""
) -> HTMLResponse:
    check_csrf(request, csrf)
    user = require_user(request)
    token = create_token(store, user.id, label)
    # Shown this once: only its digest is kept.
    return render(request, "account.html", tokens=list_tokens(store, user.id), new_token=token)


@router.post("/account/tokens/{token_id}/revoke")
def revoke(request: Request, token_id: int, store: Store, csrf: Csrf = "") -> RedirectResponse:
    check_csrf(request, csrf)
    revoke_token(store, require_user(request).id, token_id)
    return RedirectResponse("/account", status_code=303)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, store: Store) -> HTMLResponse:
    require_admin(request)
    return render(request, "users.html", users=list_users(store), roles=ROLES)


@router.post("/admin/users/{user_id}/role")
def change_role(
    request: Request,
    user_id: int,
    store: Store,
    role: Annotated[str, Form()],
    csrf: Csrf = "",
) -> RedirectResponse:
    check_csrf(request, csrf)
    require_admin(request)
    set_role(store, user_id, role)
    return RedirectResponse("/admin/users", status_code=303)
