"""Account pages: register, sign in and out, password reset, API tokens, the admin's users.

Every form carries the session's CSRF token and every post checks it before
anything else. Sign-ins are limited per name and address (``login_attempts``
in ``login_window`` seconds); a success starts a new session, so a session id
planted before sign-in is worth nothing after it. A password-reset request is
limited the same way and answered the same whether or not the account exists
or has an email address; the mail is sent after the answer (a background task),
so its time does not tell either, and a mail server's failure is logged.
"""

from __future__ import annotations

import logging
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from strife.errors import AccountError, SignInError
from strife.settings import Settings
from strife.store.accounts import (
    ROLES,
    authenticate,
    create_token,
    list_tokens,
    list_users,
    register_user,
    request_password_reset,
    reset_password,
    revoke_token,
    set_role,
)
from strife.store.delivery import DeliveryFailed, send_mail
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

logger = logging.getLogger(__name__)
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
    return render(request, "login.html", error=None, name="", notice=None)


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
        return render(
            request, "login.html", status_code=401, error=error.message, name=name, notice=None
        )
    limiter.succeeded(name, address)
    sign_in(request, user)
    return RedirectResponse("/events", status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: Csrf = "") -> RedirectResponse:
    check_csrf(request, csrf)
    request.session.clear()
    return RedirectResponse("/events", status_code=303)


@router.get("/password-reset", response_class=HTMLResponse)
def forgot_page(request: Request) -> HTMLResponse:
    return render(request, "forgot.html", sent=False)


@router.post("/password-reset", response_class=HTMLResponse)
def forgot(
    request: Request,
    store: Store,
    tasks: BackgroundTasks,
    name: Annotated[str, Form()],
    csrf: Csrf = "",
) -> HTMLResponse:
    check_csrf(request, csrf)
    name = name.strip()
    limiter: SignInLimiter = request.app.state.reset_limiter
    address = client_address(request)
    limiter.check(name, address)
    limiter.failed(name, address)  # every request counts: each may send a mail
    settings: Settings = request.app.state.settings
    found = request_password_reset(store, name, lifetime=settings.reset_lifetime)
    if found is not None:
        tasks.add_task(_mail_reset_link, settings, name, *found)
    return render(request, "forgot.html", sent=True)


@router.get("/password-reset/new", response_class=HTMLResponse)
def reset_page(request: Request, token: str = "") -> HTMLResponse:
    return render(request, "reset.html", token=token, error=None)


@router.post("/password-reset/new", response_class=HTMLResponse)
def reset(
    request: Request,
    store: Store,
    token: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Csrf = "",
) -> HTMLResponse:
    check_csrf(request, csrf)
    try:
        user = reset_password(store, token, password)
    except AccountError as error:  # a short password, or a wrong, used or expired link
        return render(request, "reset.html", status_code=400, token=token, error=str(error))
    request.session.clear()  # whoever was signed in here, the new password signs in anew
    notice = "Your password was changed; sign in with the new one."
    return render(request, "login.html", error=None, name=user.name, notice=notice)


def _mail_reset_link(settings: Settings, name: str, address: str, token: str) -> None:
    link = f"{settings.public_url.rstrip('/')}/password-reset/new?{urlencode({'token': token})}"
    minutes = round(settings.reset_lifetime / 60)
    body = (
        f"Someone asked to reset the password of the strife account {name}.\n\n"
        f"To choose a new password, open this link within {minutes} minutes:\n\n{link}\n\n"
        "It works once. If you did not ask, ignore this mail: the password stays as it is.\n"
    )
    try:
        send_mail(settings, to=address, subject="[strife] Reset your password", body=body)
    except DeliveryFailed as failure:
        # The answer has gone already, and must not differ anyway: tell the operator.
        logger.warning("password-reset mail for %s not sent: %s", name, failure)


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
