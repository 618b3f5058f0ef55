"""Database errors as :class:`~strife.errors.StorageError` subclasses, with what to do next.

SQLAlchemy wraps the driver's error; its message (SQLite's or PostgreSQL's words) says
which fault it is. Used by ``repository.py`` around every database call.
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

#: Words in a driver's message and the error they mean (SQLite and PostgreSQL wording).
_MESSAGES: tuple[tuple[tuple[str, ...], type[StorageError], str], ...] = (
    (
        ("database is locked", "database table is locked", "lock timeout"),
        DatabaseLockedError,
        "the database is locked by another process (another ingest?); wait for it to "
        "finish, or raise the busy timeout",
    ),
    (
        ("readonly database", "read-only", "read only"),
        ReadOnlyDatabaseError,
        "the database cannot be written (a read-only file or folder); check its "
        "permissions or choose another --db",
    ),
    (
        ("database or disk is full", "no space left", "disk full"),
        DiskFullError,
        "the disk is full; the current batch was rolled back and nothing is lost. "
        "Free some space and run the same command again to resume",
    ),
    (
        ("file is not a database", "not a database", "malformed"),
        NotAStrifeDatabaseError,
        "the file is not a SQLite database (or is damaged); choose another --db",
    ),
    (
        ("unable to open database", "could not connect", "connection refused"),
        DatabaseOpenError,
        "the database cannot be opened; check the path or URL and its folder",
    ),
)


def storage_error(exc: BaseException, *, source: str | None = None) -> StorageError:
    """The :class:`StorageError` subclass for a database driver's error."""
    text = str(getattr(exc, "orig", None) or exc)
    lowered = text.lower()
    for words, cls, message in _MESSAGES:
        if any(word in lowered for word in words):
            return cls(message, source=source)
    return StorageError(f"the database refused: {text.splitlines()[0]}", source=source)


@contextmanager
def translate_errors(source: str | None = None) -> Iterator[None]:
    """Turn SQLAlchemy and driver errors into :class:`StorageError` subclasses."""
    try:
        yield
    except StorageError:
        raise
    except (DBAPIError, SQLAlchemyError) as exc:
        raise storage_error(exc, source=_shown(source)) from exc
    except OSError as exc:  # a missing or unwritable folder, seen before SQLite
        raise storage_error(exc, source=_shown(source)) from exc


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
