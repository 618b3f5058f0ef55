"""Database errors as :class:`~strife.errors.StorageError` subclasses, with what to do next.

SQLAlchemy wraps the driver's error. A PostgreSQL error carries a SQLSTATE code
(psycopg's ``sqlstate``), which says which fault it is; SQLite's errors carry no
code worth reading, so their message's words do. A failed connection to a server
has neither: its words say so, and its message is passed on (the password never
is). Used by ``repository.py`` around every database call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from strife.errors import (
    DatabaseLockedError,
    DatabaseOpenError,
    DiskFullError,
    NotAStrifeDatabaseError,
    ReadOnlyDatabaseError,
    StorageError,
)

_LOCKED = (
    "the database is locked by another process (another ingest?); wait for it to "
    "finish, or raise the busy timeout"
)
_READ_ONLY = (
    "the database cannot be written (a read-only file or folder); check its "
    "permissions or choose another --db"
)
_PG_READ_ONLY = (
    "the database cannot be written (the user lacks the right, or the server or "
    "transaction is read-only); grant the user write access or choose another --db"
)
_DISK_FULL = (
    "the disk is full; the current batch was rolled back and nothing is lost. "
    "Free some space and run the same command again to resume"
)
_NOT_SQLITE = "the file is not a SQLite database (or is damaged); choose another --db"
_CANNOT_OPEN = "the database cannot be opened; check the path or URL and its folder"

#: Words in SQLite's messages (and the OS's) and the error they mean.
_MESSAGES: tuple[tuple[tuple[str, ...], type[StorageError], str], ...] = (
    (("database is locked", "database table is locked"), DatabaseLockedError, _LOCKED),
    (("readonly database", "read-only", "read only"), ReadOnlyDatabaseError, _READ_ONLY),
    (("database or disk is full", "no space left", "disk full"), DiskFullError, _DISK_FULL),
    (
        ("file is not a database", "not a database", "malformed"),
        NotAStrifeDatabaseError,
        _NOT_SQLITE,
    ),
    (("unable to open database",), DatabaseOpenError, _CANNOT_OPEN),
)

#: PostgreSQL SQLSTATE codes (a full code, or a two-character class) and the error
#: they mean; the first match wins, so full codes come before their class.
_SQLSTATES: tuple[tuple[str, type[StorageError], str], ...] = (
    ("55P03", DatabaseLockedError, _LOCKED),  # lock_not_available: lock_timeout ran out
    ("40001", DatabaseLockedError, _LOCKED),  # serialization_failure
    ("40P01", DatabaseLockedError, _LOCKED),  # deadlock_detected
    ("25006", ReadOnlyDatabaseError, _PG_READ_ONLY),  # read_only_sql_transaction
    ("42501", ReadOnlyDatabaseError, _PG_READ_ONLY),  # insufficient_privilege
    ("53100", DiskFullError, _DISK_FULL),  # disk_full
)
#: SQLSTATEs of a refused connection: no such database or role, a bad password, a
#: server shutting down or starting up; the server's own words go into the message.
_CONNECT_SQLSTATES = ("08", "28", "3D000", "57P01", "57P02", "57P03")
#: Words of a connection libpq could not make (it has no SQLSTATE then).
_CONNECT_WORDS = (
    "connection failed",
    "could not connect",
    "connection refused",
    "connection to server",
    "timeout expired",
    "could not translate host name",
    "server closed the connection",
)


def storage_error(
    exc: BaseException, *, source: str | None = None, password: str | None = None
) -> StorageError:
    """The :class:`StorageError` subclass for a database driver's error.

    Args:
        exc: the error SQLAlchemy or the driver raised.
        source: the database as messages show it.
        password: a password to mask wherever the driver's words repeat it.
    """
    driver_error = getattr(exc, "orig", None) or exc
    text = " ".join(str(driver_error).split())  # libpq's messages span lines
    if password:
        text = text.replace(password, "***")
    sqlstate = getattr(driver_error, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate:
        for code, cls, message in _SQLSTATES:
            if sqlstate.startswith(code):
                return cls(message, source=source)
        if sqlstate.startswith(_CONNECT_SQLSTATES):
            return DatabaseOpenError(_cannot_connect(text), source=source)
        return StorageError(f"the database refused: {text}", source=source)
    lowered = text.lower()
    if any(word in lowered for word in _CONNECT_WORDS):
        return DatabaseOpenError(_cannot_connect(text), source=source)
    for words, cls, message in _MESSAGES:
        if any(word in lowered for word in words):
            return cls(message, source=source)
    first_line = str(driver_error).splitlines()[0] if str(driver_error) else text
    if password:
        first_line = first_line.replace(password, "***")
    return StorageError(f"the database refused: {first_line}", source=source)


def _cannot_connect(server_says: str) -> str:
    return (
        f"cannot connect to the database server ({server_says}); check the URL's host, "
        "port, user and database name, and that the server is running (a PostgreSQL "
        "database must exist: create it with createdb)"
    )


@contextmanager
def translate_errors(source: str | None = None) -> Iterator[None]:
    """Turn SQLAlchemy and driver errors into :class:`StorageError` subclasses.

    ``source`` is the database's URL or path; messages show it with its password
    masked, and a :class:`StorageError` raised inside gets the masked form too.
    """
    try:
        yield
    except StorageError as exc:
        if exc.source is not None:
            exc.source = shown_url(exc.source)
        raise
    except (DBAPIError, SQLAlchemyError) as exc:
        raise storage_error(exc, source=_shown(source), password=_password(source)) from exc
    except OSError as exc:  # a missing or unwritable folder, seen before SQLite
        raise storage_error(exc, source=_shown(source), password=_password(source)) from exc


def shown_url(url: str) -> str:
    """``url`` with its password masked (``***``); anything that is not a URL as it is."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    if parsed.password is None:
        return url
    return parsed.render_as_string(hide_password=True)


def _shown(url: str | None) -> str | None:
    """The database as a message shows it: a SQLite path, or a URL without its password."""
    if url is None:
        return None
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or url
    return parsed.render_as_string(hide_password=True)


def _password(url: str | None) -> str | None:
    if url is None:
        return None
    try:
        password = make_url(url).password
    except ArgumentError:
        return None
    return str(password) if password else None
