"""The accounts of ``strife serve``: users with a role, argon2 password hashes, API tokens.

Takes names and passwords from the web layer and answers with :class:`User`
dataclasses; the web layer keeps sessions, CSRF tokens and the sign-in rate
limit. Passwords are kept only as argon2id hashes (argon2-cffi's defaults, RFC
9106's second recommended profile); API tokens and password-reset tokens only
as their SHA-256 digest, which is enough for 256 random bits and lets a token be
looked up by digest. A reset token is single-use and expires; using it sets the
password, which changes the user's :attr:`User.stamp` and so ends every session
signed in with the old one (API tokens stay: revoke them on the account page).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select

from strife.errors import AccountError, NameTakenError, ResetTokenError, SignInError
from strife.store.models import ApiTokenRow, EmailAddressRow, PasswordResetRow, UserRow
from strife.store.repository import Repository, _now

if TYPE_CHECKING:
    from argon2 import PasswordHasher

ROLES = ("admin", "analyst", "viewer")
#: Roles that may change the record (merge, split); viewers only read.
EDITORS = frozenset({"admin", "analyst"})
#: NIST SP 800-63B's floor for a password a person chooses.
MIN_PASSWORD_CHARS = 8
#: argon2 works on bytes; a longer "password" is a denial-of-service attempt, not a secret.
MAX_PASSWORD_CHARS = 1024
#: Names are shown in the history as who merged or split; keep them plain.
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
#: Prefix of API tokens, so a leaked one is recognisable (as GitHub's ``ghp_``).
TOKEN_PREFIX = "strife_"


@dataclass(frozen=True, slots=True)
class User:
    """A signed-in person: the id, name and role the web layer checks."""

    id: int
    name: str
    role: str
    created: datetime
    #: Changes with the password hash: a session keeps the stamp it began with,
    #: so a new password ends the sessions signed in with the old one.
    stamp: str = field(default="", repr=False, compare=False)

    @property
    def can_edit(self) -> bool:
        return self.role in EDITORS

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "created": self.created.isoformat(timespec="seconds"),
        }


def register_user(repository: Repository, name: str, password: str) -> User:
    """Make an account; the first one is an admin, later ones viewers.

    Raises:
        AccountError: the name or password breaks the rules above.
        NameTakenError: another account has this name.
    """
    _check_name(name)
    _check_password(password)
    digest = _hasher().hash(password)
    # Writes take turns (BEGIN IMMEDIATE, PostgreSQL's advisory lock), so checking the
    # name inside the transaction cannot race another registration.
    with repository._write() as session:
        if session.scalar(select(UserRow.id).where(UserRow.name == name)) is not None:
            raise NameTakenError(f"the name {name} is taken; choose another")
        first = not session.scalar(select(func.count(UserRow.id)))
        row = UserRow(
            name=name,
            password_hash=digest,
            role="admin" if first else "viewer",
            created_at=_now(),
        )
        session.add(row)
        session.flush()
        return _user(row)


def authenticate(repository: Repository, name: str, password: str) -> User:
    """The user with this name and password, rehashing it if argon2's parameters changed.

    Raises:
        SignInError: no such name, or a wrong password (one message for both).
    """
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    with repository._read() as session:
        row = session.scalar(select(UserRow).where(UserRow.name == name))
    if len(password) > MAX_PASSWORD_CHARS:
        row, password = None, ""
    try:
        # An unknown name still costs one hash, so timing does not tell which names exist.
        hasher.verify(row.password_hash if row else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        row = None
    if row is None:
        raise SignInError("wrong name or password")
    if hasher.check_needs_rehash(row.password_hash):
        with repository._write() as session:
            row = session.get_one(UserRow, row.id)
            row.password_hash = hasher.hash(password)
            return _user(row)  # with the new hash's stamp, which the session keeps
    return _user(row)


def get_user(repository: Repository, user_id: int) -> User | None:
    """The user with this id, or None (a deleted account's session ends)."""
    with repository._read() as session:
        row = session.get(UserRow, user_id)
        return _user(row) if row else None


def list_users(repository: Repository) -> list[User]:
    """Every account, oldest first."""
    with repository._read() as session:
        return [_user(row) for row in session.scalars(select(UserRow).order_by(UserRow.id))]


def set_role(repository: Repository, user_id: int, role: str) -> User:
    """Give an account another role.

    Raises:
        AccountError: an unknown role or account, or the last admin would lose the role.
    """
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    with repository._write() as session:
        row = session.get(UserRow, user_id)
        if row is None:
            raise AccountError(f"no account has the id {user_id}")
        admins = session.scalar(select(func.count(UserRow.id)).where(UserRow.role == "admin"))
        if row.role == "admin" and role != "admin" and admins == 1:
            raise AccountError("the last admin cannot lose the role; make another admin first")
        row.role = role
        return _user(row)


def create_token(repository: Repository, user_id: int, label: str) -> str:
    """A new API token for a user, returned once: only its digest is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with repository._write() as session:
        session.add(
            ApiTokenRow(
                user_id=user_id,
                digest=_digest(token),
                label=label.strip()[:200] or "token",
                created_at=_now(),
            )
        )
    return token


def list_tokens(repository: Repository, user_id: int) -> list[dict[str, Any]]:
    """A user's tokens (id, label, created), never the tokens themselves."""
    statement = select(ApiTokenRow).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.id)
    with repository._read() as session:
        return [
            {
                "id": row.id,
                "label": row.label,
                "created": row.created_at.isoformat(timespec="seconds"),
            }
            for row in session.scalars(statement)
        ]


def revoke_token(repository: Repository, user_id: int, token_id: int) -> None:
    """Delete one of the user's tokens (someone else's is left alone)."""
    with repository._write() as session:
        row = session.get(ApiTokenRow, token_id)
        if row is not None and row.user_id == user_id:
            session.delete(row)


def user_for_token(repository: Repository, token: str) -> User:
    """The user an API token belongs to.

    Raises:
        SignInError: the token is unknown or was revoked.
    """
    statement = (
        select(UserRow)
        .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
        .where(ApiTokenRow.digest == _digest(token))
    )
    with repository._read() as session:
        row = session.scalar(statement)
        if row is None:
            raise SignInError("unknown or revoked API token")
        return _user(row)


def request_password_reset(
    repository: Repository, name: str, *, lifetime: float
) -> tuple[str, str] | None:
    """A new reset token for the account ``name``, valid ``lifetime`` seconds, and where to mail it.

    Returns ``(email address, token)``, or None when no account has this name or
    it has no email address (the caller answers the same either way). Only the
    token's digest is stored.
    """
    token = secrets.token_urlsafe(32)
    now = _now()
    with repository._write() as session:
        found = session.execute(
            select(UserRow.id, EmailAddressRow.address)
            .join(EmailAddressRow, EmailAddressRow.user_id == UserRow.id)
            .where(UserRow.name == name)
        ).first()
        # Expired links are of no use to anyone: clear them while writing anyway.
        session.execute(delete(PasswordResetRow).where(PasswordResetRow.expires_at <= now))
        if found is None:
            return None
        user_id, address = found
        session.add(
            PasswordResetRow(
                user_id=user_id,
                digest=_digest(token),
                created_at=now,
                expires_at=now + timedelta(seconds=lifetime),
            )
        )
    return address, token


def reset_password(repository: Repository, token: str, password: str) -> User:
    """Set a new password with a reset token; the token and the user's others stop working.

    Raises:
        AccountError: the password breaks the rules (the token stays valid).
        ResetTokenError: the token is unknown, used or expired.
    """
    _check_password(password)
    digest = _hasher().hash(password)
    with repository._write() as session:
        reset = session.scalar(
            select(PasswordResetRow).where(PasswordResetRow.digest == _digest(token))
        )
        if reset is None or reset.expires_at <= _now():
            raise ResetTokenError(
                "this password-reset link is wrong, used or expired; ask for a new one"
            )
        row = session.get_one(UserRow, reset.user_id)
        row.password_hash = digest
        session.execute(delete(PasswordResetRow).where(PasswordResetRow.user_id == row.id))
        return _user(row)


def _check_name(name: str) -> None:
    if not NAME_PATTERN.fullmatch(name):
        raise AccountError(
            "a name is 1 to 64 letters, digits, dots, dashes or underscores, "
            "starting with a letter or digit"
        )


def _check_password(password: str) -> None:
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise AccountError(
            f"a password has {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters"
        )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@cache
def _dummy_hash() -> str:
    """A hash of a random password, verified against when the name is unknown."""
    return _hasher().hash(secrets.token_hex(16))


def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


def _user(row: UserRow) -> User:
    stamp = hashlib.sha256(row.password_hash.encode()).hexdigest()[:16]
    return User(id=row.id, name=row.name, role=row.role, created=row.created_at, stamp=stamp)


__all__ = [
    "EDITORS",
    "ROLES",
    "User",
    "authenticate",
    "create_token",
    "get_user",
    "list_tokens",
    "list_users",
    "register_user",
    "request_password_reset",
    "reset_password",
    "revoke_token",
    "set_role",
    "user_for_token",
]
