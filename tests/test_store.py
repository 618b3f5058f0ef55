"""Tests for strife.store: the schema and its migration, saving, revisions, queries, errors.

Documents here are built by hand (no spaCy model): each is a short page we wrote, with
its events and claims filled in as the extract stages would. Tests that take ``db`` (or
``repository``) run on SQLite and on PostgreSQL when a server is given
(``TEST_POSTGRES_URL``, see ``conftest.py``); the file-level SQLite faults stay
SQLite-only, with PostgreSQL counterparts at the end.
"""

from __future__ import annotations

import secrets
import socket
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from strife.document import Article, Claim, Document, Event, Figures, PageInput, Source
from strife.errors import (
    DatabaseLockedError,
    DatabaseOpenError,
    DiskFullError,
    NotAStrifeDatabaseError,
    ReadOnlyDatabaseError,
    SchemaVersionError,
    StorageError,
)
from strife.store._engine import WRITE_LOCK_KEY
from strife.store.models import Base
from strife.store.repository import (
    NEW,
    REVISED,
    UNCHANGED,
    EventQuery,
    Repository,
    database_url,
    open_repository,
    storage_error,
)


def _document(
    location: str,
    body: str,
    *,
    country: str = "SY",
    day: str = "2012-03-11",
    category: str = "explosions_remote_violence",
    killed: int | None = 12,
) -> Document:
    page = PageInput(location, f"<html><body><p>{body}</p></body></html>".encode())
    document = Document(input=page, page_kind="html")
    document.article = Article(text=body, title=body[:30], published=date.fromisoformat(day))
    document.sources = [Source("s0", "The Valley Courier", "outlet"), Source("s1", "medics", "ngo")]
    claims = []
    if killed is not None:
        claims.append(Claim("s1", "fatalities", killed, f"{killed} people", 0, 9, low=killed))
    document.events = [
        Event(
            id=f"{document.id}-e1",
            category=category,
            subtype="shelling_artillery_missile_attack",
            claims=claims,
            fatalities=Figures(killed, killed, killed, "acled_lowest_specific"),
            date={"start": day, "end": day, "precision": "day", "text": "on Sunday"},
            location={
                "name": "Homs",
                "admin1": "Homs",
                "country": country,
                "lat": 34.7,
                "lon": 36.7,
                "precision": "city",
                "text": "Homs",
                "basis": "event",
            },
        )
    ]
    return document


@pytest.fixture
def repository(db: str) -> Iterator[Repository]:
    """An empty record on SQLite, then on PostgreSQL when a server is given (``db``)."""
    with open_repository(db, busy_timeout=0.1) as repository:
        yield repository


def test_store_migration_matches_the_models(repository: Repository) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with repository.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_revision() is not None


def test_store_page_with_a_very_long_url_is_stored_and_revised(repository: Repository) -> None:
    # A signed link or tracking parameters: random text no index compression can shrink.
    # PostgreSQL's btree refused such a location (over ~2.7 kB) and failed the whole batch.
    url = "https://news.example.org/story?sig=" + secrets.token_urlsafe(3_000)
    first = repository.save_document(_document(url, "Shelling killed 12 people in Homs."))
    later = repository.save_document(_document(url, "Shelling killed 14 people in Homs."))

    assert (first.outcome, later.outcome) == (NEW, REVISED)
    assert [a.revision for a in repository.find_articles(location=url)] == [1, 2]


def test_store_open_creates_the_file_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    with open_repository(path) as repository, repository.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
    assert path.exists()
    with open_repository(path) as again:  # an up-to-date database opens as it is
        assert again.counts()["articles"] == 0


def test_store_save_is_idempotent_by_content(repository: Repository) -> None:
    document = _document("/pages/homs.html", "Shelling killed 12 people in Homs.")

    first = repository.save_document(document)
    second = repository.save_document(document)
    moved = _document("/elsewhere/homs-copy.html", "Shelling killed 12 people in Homs.")
    third = repository.save_document(moved)  # the same bytes under another name

    assert (first.outcome, second.outcome, third.outcome) == (NEW, UNCHANGED, UNCHANGED)
    assert first.article_id == second.article_id == third.article_id
    counts = repository.counts()
    assert counts["articles"] == counts["events"] == counts["claims"] == 1
    assert counts["sources"] == 2
    assert repository.known_hashes([document.input.sha256, "0" * 64]) == {document.input.sha256}


def test_store_keeps_raw_bytes_and_the_strife1_document(repository: Repository) -> None:
    document = _document("/pages/homs.html", "Shelling killed 12 people in Homs.")
    saved = repository.save_document(document)

    assert repository.raw_page(saved.article_id) == document.input.raw
    (article,) = repository.find_articles()
    assert article.document == document.to_dict()
    assert article.published == "2012-03-11"
    assert Document.from_dict(article.document).events[0].fatalities.best == 12


def test_store_new_bytes_at_a_known_location_are_a_revision(repository: Repository) -> None:
    old = _document("/pages/homs.html", "Shelling killed 12 people in Homs.", killed=12)
    new = _document(
        "/pages/homs.html", "Shelling killed 15 people in Homs, medics said.", killed=15
    )

    first = repository.save_document(old)
    second = repository.save_document(new)

    assert second.outcome == REVISED
    assert second.revision == 2
    versions = repository.find_articles(location="/pages/homs.html")
    assert [(v.revision, v.superseded) for v in versions] == [(1, True), (2, False)]
    assert versions[1].previous_id == first.article_id
    current = repository.find_events()
    assert [event.event["fatalities"]["best"] for event in current] == [15]
    history = repository.find_events(EventQuery(superseded=True))
    assert len(history) == 2


def test_store_a_batch_is_one_transaction(repository: Repository) -> None:
    good = _document("/pages/a.html", "Shelling killed 12 people in Homs.")
    bad = _document("/pages/b.html", "Clashes in Hama left three dead.")
    bad.events[0].claims[0].text = None  # type: ignore[assignment]  # NOT NULL: the insert fails

    with pytest.raises(StorageError):
        repository.save_documents([good, bad])

    assert repository.counts()["articles"] == 0
    assert repository.save_documents([good])[0].outcome == NEW


def test_store_run_counts_follow_the_batches(repository: Repository) -> None:
    run_id = repository.start_run(["pages/"])
    repository.save_documents(
        [_document("/p/a.html", "One."), _document("/p/b.html", "Two.")], run_id=run_id
    )
    with repository.engine.connect() as connection:
        row = connection.execute(
            text("SELECT new, finished_at FROM ingest_runs WHERE id = :id"), {"id": run_id}
        ).one()
    assert tuple(row) == (2, None)  # a run killed now still says what it stored


@pytest.fixture
def filled(repository: Repository) -> Repository:
    repository.save_documents(
        [
            _document("/p/1.html", "Homs shelling.", country="SY", day="2012-03-11", killed=12),
            _document("/p/2.html", "Kabul blast.", country="AF", day="2013-01-25", killed=3),
            _document(
                "/p/3.html",
                "Protest in Aleppo.",
                country="SY",
                day="2012-04-02",
                category="protests",
                killed=None,
            ),
        ]
    )
    return repository


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (EventQuery(), ["Homs", "Protest", "Kabul"]),
        (EventQuery(country="sy"), ["Homs", "Protest"]),
        (EventQuery(since=date(2012, 4, 1)), ["Protest", "Kabul"]),
        (EventQuery(until=date(2012, 3, 31)), ["Homs"]),
        (EventQuery(since=date(2012, 3, 11), until=date(2012, 3, 11)), ["Homs"]),
        (EventQuery(category="protests"), ["Protest"]),
        (EventQuery(min_fatalities=5), ["Homs"]),
        (EventQuery(limit=1), ["Homs"]),
    ],
    ids=["all", "country", "since", "until", "one-day", "category", "min-fatalities", "limit"],
)
def test_store_find_events_filters(
    filled: Repository, query: EventQuery, expected: list[str]
) -> None:
    found = filled.find_events(query)

    assert [(event.title or "").split()[0] for event in found] == expected
    for event in found:
        data = event.to_dict()
        assert data["id"].endswith("-e1")
        assert data["article"]["location"].startswith("/p/")


def test_store_locked_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "record.sqlite"
    repository = open_repository(path, busy_timeout=0.1)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        with pytest.raises(DatabaseLockedError, match="locked by another process"):
            repository.save_document(_document("/p/a.html", "One."))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert repository.save_document(_document("/p/a.html", "One.")).outcome == NEW


def test_store_read_only_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "record.sqlite"
    open_repository(path).close()
    # Opened read-only (as a file without write permission is, for a user who is not root).
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    with (
        open_repository(url) as repository,
        pytest.raises(ReadOnlyDatabaseError, match="cannot be written"),
    ):
        repository.save_document(_document("/p/a.html", "One."))


def test_store_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("shopping list: bread, lentils, lamp oil\n" * 200)

    with pytest.raises(NotAStrifeDatabaseError, match="not a SQLite database"):
        open_repository(path)


def test_store_someone_elses_database_is_refused(db: str) -> None:
    engine = create_engine(database_url(db))
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    engine.dispose()

    with pytest.raises(NotAStrifeDatabaseError, match="invoices"):
        open_repository(db)


def test_store_database_of_a_newer_strife_is_refused(db: str) -> None:
    with open_repository(db) as repository, repository.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))

    with pytest.raises(SchemaVersionError, match="newer strife") as caught:
        open_repository(db)
    assert caught.value.code == "E506"


def test_store_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="does not exist"):
        open_repository(tmp_path / "no" / "such" / "record.sqlite")


@pytest.mark.parametrize(
    ("message", "cls"),
    [
        ("database is locked", DatabaseLockedError),
        ("attempt to write a readonly database", ReadOnlyDatabaseError),
        ("database or disk is full", DiskFullError),
        ("file is not a database", NotAStrifeDatabaseError),
        ("unable to open database file", DatabaseOpenError),
        ("something new", StorageError),
    ],
)
def test_store_driver_errors_map_to_storage_errors(message: str, cls: type[StorageError]) -> None:
    error = storage_error(OperationalError("INSERT", {}, Exception(message)), source="x.sqlite")

    assert type(error) is cls
    assert error.exit_code == 5
    assert str(error).startswith("x.sqlite: ")


class _PostgresError(Exception):
    """Stands for a psycopg error: a message and a SQLSTATE."""

    def __init__(self, message: str, sqlstate: str | None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("message", "sqlstate", "cls"),
    [
        ("canceling statement due to lock timeout", "55P03", DatabaseLockedError),
        ("could not serialize access due to concurrent update", "40001", DatabaseLockedError),
        ("deadlock detected", "40P01", DatabaseLockedError),
        ("cannot execute INSERT in a read-only transaction", "25006", ReadOnlyDatabaseError),
        ("permission denied for table articles", "42501", ReadOnlyDatabaseError),
        ('could not extend file "base/1/2": No space left on device', "53100", DiskFullError),
        ('database "record" does not exist', "3D000", DatabaseOpenError),
        ('password authentication failed for user "strife"', "28P01", DatabaseOpenError),
        ("the database system is starting up", "57P03", DatabaseOpenError),
        # SQLite's words mean nothing here: the SQLSTATE decides.
        ('malformed array literal: "x"', "22P02", StorageError),
        (
            'connection failed: connection to server at "127.0.0.1", port 9 failed: '
            "Connection refused\n\tIs the server running on that host?",
            None,
            DatabaseOpenError,
        ),
    ],
)
def test_store_postgres_errors_map_by_sqlstate(
    message: str, sqlstate: str | None, cls: type[StorageError]
) -> None:
    driver_error = _PostgresError(message, sqlstate)
    error = storage_error(OperationalError("INSERT", {}, driver_error), source="postgresql://h/db")

    assert type(error) is cls
    assert str(error).startswith("postgresql://h/db: ")
    if cls is DatabaseOpenError:  # the server's own words are kept, on one line
        assert " ".join(message.split()) in str(error)


def test_store_postgres_error_never_shows_the_password() -> None:
    driver_error = _PostgresError('connection to server failed: user "s" password "hunter2"', None)
    error = storage_error(OperationalError("", {}, driver_error), password="hunter2")

    assert isinstance(error, DatabaseOpenError)
    assert "hunter2" not in str(error)
    assert "***" in str(error)


# ---------------------------------------------------------------------------
# PostgreSQL: its URLs, its driver, and its own ways to fail
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("postgresql://strife@db.example/record", "postgresql+psycopg://strife@db.example/record"),
        (
            "postgres://u:p%40ss@h:5433/r?sslmode=require",
            "postgresql+psycopg://u:p%40ss@h:5433/r?sslmode=require",
        ),
        ("postgresql+psycopg2://u@h/r", "postgresql+psycopg2://u@h/r"),
        ("sqlite:///tmp/record.sqlite", "sqlite:///tmp/record.sqlite"),
    ],
)
def test_store_postgres_urls_get_psycopg(target: str, expected: str) -> None:
    assert database_url(target) == expected


def test_store_postgres_missing_driver_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed

    with pytest.raises(DatabaseOpenError, match=r"pip install 'strife\[postgres\]'") as caught:
        open_repository("postgresql://strife:hunter2@127.0.0.1:9/record")
    assert caught.value.code == "E505"
    assert "hunter2" not in str(caught.value)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_store_postgres_no_server_is_e505_with_its_words() -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql://strife:hunter2@127.0.0.1:{_free_port()}/record"

    with pytest.raises(DatabaseOpenError, match="cannot connect") as caught:
        open_repository(url)
    message = str(caught.value)
    assert "Connection refused" in message or "connection refused" in message
    assert "hunter2" not in message
    assert message.startswith("postgresql+psycopg://strife:***@127.0.0.1:")


def test_store_postgres_silent_server_is_e505_after_the_connect_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("psycopg")
    monkeypatch.setattr("strife.store._engine.CONNECT_TIMEOUT", 1)
    with socket.socket() as silent:  # accepts connections (the kernel does) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        port = silent.getsockname()[1]
        started = time.monotonic()

        with pytest.raises(DatabaseOpenError, match="cannot connect"):
            open_repository(f"postgresql://strife@127.0.0.1:{port}/record")

    assert time.monotonic() - started < 8


def test_store_postgres_missing_database_is_e505(postgres_server: str) -> None:
    url = make_url(postgres_server).set(database="strife_no_such_database")

    with pytest.raises(DatabaseOpenError, match="does not exist"):
        open_repository(url.render_as_string(hide_password=False))


def test_store_postgres_open_sets_the_lock_timeout(postgres_url: str) -> None:
    with open_repository(postgres_url, busy_timeout=0.25) as repository:
        with repository.engine.connect() as connection:
            assert connection.exec_driver_sql("SHOW lock_timeout").scalar() == "250ms"
        assert repository.url.startswith("postgresql+psycopg://")
    with open_repository(postgres_url) as again:  # an up-to-date database opens as it is
        assert again.counts()["articles"] == 0


def test_store_postgres_locked_database_is_a_clear_error(postgres_url: str) -> None:
    import psycopg

    with open_repository(postgres_url, busy_timeout=0.1) as repository:
        with psycopg.connect(postgres_url) as other:
            # Another strife writer holds the write lock in an open transaction.
            other.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
            with pytest.raises(DatabaseLockedError, match="locked by another process"):
                repository.save_document(_document("/p/a.html", "One."))
            other.rollback()
        assert repository.save_document(_document("/p/a.html", "One.")).outcome == NEW


def test_store_postgres_read_only_transactions_are_a_clear_error(postgres_url: str) -> None:
    open_repository(postgres_url).close()
    # As on a hot standby, or for a user whose transactions default to read-only.
    url = f"{postgres_url}?options=-c%20default_transaction_read_only%3Don"

    with open_repository(url) as repository:
        assert repository.counts()["articles"] == 0
        with pytest.raises(ReadOnlyDatabaseError, match="cannot be written"):
            repository.save_document(_document("/p/a.html", "One."))


def test_store_postgres_user_who_cannot_write_is_a_clear_error(postgres_url: str) -> None:
    import psycopg
    from psycopg import sql

    role = f"strife_reader_{uuid.uuid4().hex[:8]}"
    reader_url = make_url(postgres_url).set(username=role).render_as_string(hide_password=False)
    with psycopg.connect(postgres_url, autocommit=True) as owner:
        owner.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
    try:
        # PostgreSQL 15 lets only the owner create tables in "public": no schema.
        with pytest.raises(ReadOnlyDatabaseError, match="cannot be written"):
            open_repository(reader_url)
        open_repository(postgres_url).close()
        with psycopg.connect(postgres_url, autocommit=True) as owner:
            grant = sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}")
            owner.execute(grant.format(sql.Identifier(role)))

        with open_repository(reader_url) as repository:
            assert repository.counts()["articles"] == 0  # reading is allowed
            with pytest.raises(ReadOnlyDatabaseError, match="cannot be written"):
                repository.save_document(_document("/p/a.html", "One."))
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as owner:
            owner.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            owner.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
