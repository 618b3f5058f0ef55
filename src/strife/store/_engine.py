"""The database engine: URLs, drivers and the per-connection settings of SQLite and PostgreSQL.

SQLite gets WAL, foreign keys, a busy timeout and ``BEGIN IMMEDIATE`` for writes;
PostgreSQL a lock timeout and one advisory lock per write transaction, so that on
both a second writer waits for the first at BEGIN (and fails after the busy
timeout with E501) instead of racing it. ``repository.py`` opens the record with
:func:`create`.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from strife.errors import DatabaseOpenError

#: Seconds a write waits for another writer's lock before giving up (SQLite busy
#: timeout, PostgreSQL lock_timeout).
BUSY_TIMEOUT = 10.0
#: Seconds to wait for a PostgreSQL server to answer, so a wrong host fails quickly
#: (libpq waits forever by default); ``?connect_timeout=N`` in the URL overrides it.
CONNECT_TIMEOUT = 10
#: Connections kept open to a SQLite file: one for each of the web server's 40 worker
#: threads (anyio's default), so that under load no request waits for a connection or
#: opens a new one (SQLAlchemy keeps 5, and closes the others it opens once returned).
#: An idle connection costs SQLite's page cache, 2 MB at most.
SQLITE_CONNECTIONS = 40
#: URL schemes that mean PostgreSQL with no driver named, and the driver they get.
POSTGRES_SCHEMES = ("postgresql", "postgres")
POSTGRES_DRIVER = "postgresql+psycopg"
#: The advisory lock every PostgreSQL write transaction takes first ("strife" in
#: ASCII), so writers queue one at a time, as SQLite's BEGIN IMMEDIATE makes them.
WRITE_LOCK_KEY = 0x737472696665
#: Values per ``IN (...)`` list: under the 999 bound parameters older SQLite allows.
IN_LIST_SIZE = 900

Value = TypeVar("Value")
#: Set while a write transaction is open, so SQLite takes the write lock at BEGIN
#: (BEGIN IMMEDIATE) and waits for it there, instead of failing midway through.
WRITING: contextvars.ContextVar[bool] = contextvars.ContextVar("WRITING", default=False)


def database_url(target: str | Path) -> str:
    """A database URL from ``target``: a URL as given, a path as a SQLite file.

    A PostgreSQL URL without a driver (``postgresql://``, or ``postgres://`` as
    many hosts print it) gets psycopg 3, the driver the ``postgres`` extra installs;
    SQLAlchemy would otherwise pick psycopg2 for the first and refuse the second.
    """
    text = str(target)
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    scheme, rest = text.split("://", 1)
    if scheme in POSTGRES_SCHEMES:
        return f"{POSTGRES_DRIVER}://{rest}"
    return text


def create(url: str, *, busy_timeout: float) -> Engine:
    """An engine for ``url``, configured for its database.

    Raises:
        DatabaseOpenError: a bad URL, a missing driver, or a SQLite file in a missing folder.
    """
    try:
        engine = create_engine(url, connect_args=_connect_args(url), **_pool_args(url))
    except (ArgumentError, NoSuchModuleError) as exc:
        raise DatabaseOpenError(f"not a usable database URL ({exc})", source=url) from exc
    except ImportError as exc:  # the dialect is known, its driver is not installed
        raise DatabaseOpenError(_missing_driver(url, exc), source=url) from exc
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, busy_timeout=busy_timeout)
        _check_folder(url)
    elif engine.dialect.name == "postgresql":
        _configure_postgresql(engine, busy_timeout=busy_timeout)
    return engine


def _pool_args(url: str) -> dict[str, Any]:
    """A pool of :data:`SQLITE_CONNECTIONS` for a SQLite file, SQLAlchemy's default otherwise."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return {}  # create_engine reports the bad URL
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return {"pool_size": SQLITE_CONNECTIONS}
    return {}


def _connect_args(url: str) -> dict[str, Any]:
    """Driver options: a bounded wait for a PostgreSQL server, unless the URL sets one."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return {}  # create_engine reports the bad URL
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        return {"connect_timeout": CONNECT_TIMEOUT}
    return {}


def _missing_driver(url: str, exc: ImportError) -> str:
    if make_url(url).get_backend_name() == "postgresql":
        return (
            f"the PostgreSQL driver is not installed ({exc}); install it with "
            "pip install 'strife[postgres]' (psycopg 3)"
        )
    return f"the database driver is not installed ({exc}); install it with pip"


def _configure_sqlite(engine: Engine, *, busy_timeout: float) -> None:
    """Pragmas on every new connection, and BEGIN IMMEDIATE for writes."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN, not the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()
        if mode and str(mode[0]).lower() != "wal" and not _read_only(dbapi_connection):
            # WAL: readers never wait for the writer, and a killed writer leaves a
            # consistent file (its uncommitted frames are ignored on the next open).
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if WRITING.get() else "BEGIN")


def _configure_postgresql(engine: Engine, *, busy_timeout: float) -> None:
    """A lock timeout on every new connection, and one writer at a time.

    A write transaction first takes :data:`WRITE_LOCK_KEY` (an advisory lock, held
    until commit or rollback): a second ingest waits for the first at BEGIN, as on
    SQLite, instead of racing it to the same revision or the same page's hash.
    Waiting longer than ``busy_timeout`` fails with SQLSTATE 55P03 (E501).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            milliseconds = str(max(1, int(busy_timeout * 1000)))
            cursor.execute("SELECT set_config('lock_timeout', %s, false)", (milliseconds,))
        # set_config ran in a transaction of its own; without this commit the pool's
        # reset (a rollback) would undo it.
        dbapi_connection.commit()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if WRITING.get():
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def _read_only(dbapi_connection: Any) -> bool:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA query_only")
        row = cursor.fetchone()
        return bool(row and row[0])
    finally:
        cursor.close()


def _check_folder(url: str) -> None:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    folder = Path(database).parent
    if not folder.is_dir():
        raise DatabaseOpenError(
            f"the folder {folder} does not exist; create it or choose another --db",
            source=database,
        )


def in_lists(values: Sequence[Value]) -> Iterator[Sequence[Value]]:
    """``values`` cut into pieces that one ``IN (...)`` list can take on any database."""
    for start in range(0, len(values), IN_LIST_SIZE):
        yield values[start : start + IN_LIST_SIZE]
