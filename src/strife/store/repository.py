"""Open the record, save processed documents into it, and query it.

Takes a database URL or a SQLite path and brings its schema up to date
(Alembic ``upgrade head``) on open. :meth:`Repository.save_documents` writes a
batch of processed documents in one transaction: each page is stored once by the
SHA-256 of its bytes, and a location seen before with new bytes becomes a new
revision of that article (the old version is kept, marked superseded). Queries
return plain dataclasses and strife/1 dicts; no ORM object and no SQLAlchemy
error leaves this module (errors become :class:`~strife.errors.StorageError`
subclasses). The engine's settings per database are in ``_engine.py``; linking
reports into incidents is ``linking.py``, reading the linked record ``records.py``.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from strife import __version__
from strife.document import Document
from strife.errors import NotAStrifeDatabaseError, SchemaVersionError
from strife.store._engine import (
    BUSY_TIMEOUT,
    WRITING,
    create,
    database_url,
    in_lists,
)
from strife.store._errors import shown_url, storage_error, translate_errors
from strife.store.models import ArticleRow, Base, ClaimRow, EventRow, IngestRun, SourceRow

#: What :meth:`Repository.save_documents` says became of each page.
NEW, UNCHANGED, REVISED = "new", "unchanged", "revised"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What became of one page: ``new``, ``unchanged`` or ``revised``, and its article id."""

    location: str
    sha256: str
    outcome: str
    article_id: int
    revision: int = 1


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One stored event: its strife/1 dict and the article version that reports it."""

    id: int
    article_id: int
    location: str
    title: str | None
    published: str | None
    event: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The event's strife/1 dict with the article it comes from."""
        return {
            **self.event,
            "article": {
                "id": self.article_id,
                "location": self.location,
                "title": self.title,
                "published": self.published,
            },
        }


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """One stored article version, without its raw bytes."""

    id: int
    sha256: str
    location: str
    title: str | None
    published: str | None
    revision: int
    previous_id: int | None
    superseded: bool
    ingested_at: datetime
    document: dict[str, Any] = field(repr=False)


@dataclass(frozen=True, slots=True)
class EventQuery:
    """Filters for :meth:`Repository.find_events`; ``None`` leaves a filter off."""

    country: str | None = None
    since: date | None = None
    until: date | None = None
    category: str | None = None
    min_fatalities: int | None = None
    limit: int | None = None
    #: Also return events of article versions a later revision replaced.
    superseded: bool = False


@dataclass(slots=True)
class RunCounts:
    """Pages by outcome in one ingest run."""

    new: int = 0
    unchanged: int = 0
    revised: int = 0
    failed: int = 0
    #: Of the ``unchanged``: pages found stored before any stage ran on them (not
    #: extracted again). Not kept in the run's row: ``unchanged`` holds them.
    already_stored: int = 0

    def add(self, outcome: str, n: int = 1) -> None:
        setattr(self, outcome, getattr(self, outcome) + n)

    def skip_stored(self) -> None:
        """Count a page whose bytes were stored already, passed over before extraction."""
        self.unchanged += 1
        self.already_stored += 1

    def to_dict(self) -> dict[str, int]:
        return {
            "new": self.new,
            "unchanged": self.unchanged,
            "already_stored": self.already_stored,
            "revised": self.revised,
            "failed": self.failed,
        }


def filter_events(statement: Any, table: Any, query: Any) -> Any:
    """``statement`` narrowed by the filters reports and incidents share (not ordered).

    ``table`` is ``EventRow`` or ``IncidentRow`` (same column names); ``query`` an
    ``EventQuery`` or a ``records.RecordQuery`` (same field names).
    """
    if query.country:
        statement = statement.where(table.country == query.country.upper())
    if query.category:
        statement = statement.where(table.category == query.category)
    if query.since:
        statement = statement.where(func.coalesce(table.date_end, table.date_start) >= query.since)
    if query.until:
        statement = statement.where(table.date_start <= query.until)
    if query.min_fatalities is not None:
        statement = statement.where(table.fatalities_best >= query.min_fatalities)
    return statement


def open_repository(target: str | Path, *, busy_timeout: float = BUSY_TIMEOUT) -> Repository:
    """Open (or create) a database and bring its schema up to date.

    Args:
        target: a SQLAlchemy URL (``sqlite:///...``, ``postgresql://user@host/db``)
            or a path to a SQLite file, created if missing. A PostgreSQL database
            must exist already; its tables are created on first open.
        busy_timeout: seconds a write waits for another process's lock.

    Raises:
        StorageError: the database cannot be opened, is locked, read-only, not a
            strife database, or newer than this strife (a subclass names which).
    """
    url = database_url(target)
    with translate_errors(url):
        engine = create(url, busy_timeout=busy_timeout)
        # The URL kept for messages and output has its password masked.
        repository = Repository(engine, url=shown_url(url))
        try:
            repository.upgrade()
        except BaseException:
            repository.close()  # a refused database leaves no connection open behind it
            raise
        return repository


class Repository:
    """An open database of articles, sources, events and claims."""

    def __init__(self, engine: Engine, *, url: str) -> None:
        self.engine = engine
        self.url = url
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def upgrade(self) -> None:
        """Run every migration the database lacks (``alembic upgrade head``)."""
        from alembic import command
        from alembic.config import Config
        from alembic.util import CommandError

        with translate_errors(self.url):
            _refuse_foreign(self.engine, self.url)
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            token = WRITING.set(True)
            try:
                with self.engine.begin() as connection:
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
            except CommandError as exc:
                raise SchemaVersionError(
                    f"the database's schema is unknown to strife {__version__} ({exc}); "
                    "it was probably written by a newer strife: upgrade strife",
                    source=self.url,
                ) from exc
            finally:
                WRITING.reset(token)

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        """The SHA-256 digests among ``hashes`` that are already stored."""
        wanted = list(dict.fromkeys(hashes))
        found: set[str] = set()
        with self._read() as session:
            for chunk in in_lists(wanted):
                found.update(
                    session.scalars(select(ArticleRow.sha256).where(ArticleRow.sha256.in_(chunk)))
                )
        return found

    def start_run(self, inputs: Sequence[str]) -> int:
        """Record the start of an ingest run; returns its id."""
        with self._write() as session:
            run = IngestRun(
                started_at=_now(),
                strife_version=__version__,
                inputs={"inputs": list(inputs)},
                new=0,
                unchanged=0,
                revised=0,
                failed=0,
            )
            session.add(run)
            session.flush()
            return run.id

    def finish_run(self, run_id: int, *, counts: RunCounts) -> None:
        """Mark a run finished with its final counts; a killed run keeps ``finished_at`` empty."""
        with self._write() as session:
            run = session.get_one(IngestRun, run_id)
            run.finished_at = _now()
            run.new, run.unchanged = counts.new, counts.unchanged
            run.revised, run.failed = counts.revised, counts.failed

    def save_document(self, document: Document, *, run_id: int | None = None) -> SaveResult:
        """Save one processed document (article, sources, events, claims) in one transaction."""
        return self.save_documents([document], run_id=run_id)[0]

    def save_documents(
        self, documents: Sequence[Document], *, run_id: int | None = None
    ) -> list[SaveResult]:
        """Save a batch of processed documents in one transaction, all or none.

        A page whose bytes are already stored is left alone (``unchanged``); a
        location stored before with other bytes gets a new revision, the old
        version marked superseded (``revised``); anything else is ``new``. The
        run's counts are updated in the same transaction, so they always agree
        with what is stored.

        Raises:
            StorageError: the write failed; nothing of the batch is stored.
        """
        results: list[SaveResult] = []
        with self._write() as session:
            for document in documents:
                results.append(_save(session, document, run_id=run_id))
            if run_id is not None:
                run = session.get_one(IngestRun, run_id)
                for result in results:
                    setattr(run, result.outcome, getattr(run, result.outcome) + 1)
        return results

    def find_events(self, query: EventQuery | None = None) -> list[StoredEvent]:
        """Stored events matching ``query``, oldest first (by date, then id).

        Events of superseded article versions are left out unless asked for.
        """
        query = query or EventQuery()
        statement = select(EventRow, ArticleRow).join(ArticleRow)
        if not query.superseded:
            statement = statement.where(ArticleRow.superseded.is_(False))
        statement = filter_events(statement, EventRow, query).order_by(
            EventRow.date_start.is_(None), EventRow.date_start, EventRow.id
        )
        if query.limit is not None:
            statement = statement.limit(query.limit)
        with self._read() as session:
            return [
                StoredEvent(
                    id=row.id,
                    article_id=article.id,
                    location=article.location,
                    title=article.title,
                    published=article.published,
                    event=row.data,
                )
                for row, article in session.execute(statement)
            ]

    def find_articles(self, *, location: str | None = None) -> list[StoredArticle]:
        """Every stored article version (of one location, if given), by id."""
        statement = select(ArticleRow).order_by(ArticleRow.id)
        if location is not None:
            statement = statement.where(ArticleRow.location == location)
        with self._read() as session:
            return [_stored_article(row) for row in session.scalars(statement)]

    def raw_page(self, article_id: int) -> bytes:
        """The page bytes as they were read, for one article version."""
        with self._read() as session:
            row = session.get_one(ArticleRow, article_id)
            return zlib.decompress(row.raw)

    def counts(self) -> dict[str, int]:
        """Rows per table: articles (and current ones), sources, events, claims, runs."""
        with self._read() as session:
            current = select(func.count()).where(ArticleRow.superseded.is_(False))
            return {
                "articles": session.scalar(select(func.count(ArticleRow.id))) or 0,
                "current_articles": session.scalar(current.select_from(ArticleRow)) or 0,
                "sources": session.scalar(select(func.count(SourceRow.id))) or 0,
                "events": session.scalar(select(func.count(EventRow.id))) or 0,
                "claims": session.scalar(select(func.count(ClaimRow.id))) or 0,
                "ingest_runs": session.scalar(select(func.count(IngestRun.id))) or 0,
            }

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with translate_errors(self.url), self._sessions() as session:
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        token = WRITING.set(True)
        try:
            with translate_errors(self.url), self._sessions.begin() as session:
                yield session
        finally:
            WRITING.reset(token)


def _save(session: Session, document: Document, *, run_id: int | None) -> SaveResult:
    page = document.input
    location = page.location
    existing = session.scalar(select(ArticleRow).where(ArticleRow.sha256 == page.sha256))
    if existing is not None:
        return SaveResult(location, page.sha256, UNCHANGED, existing.id, existing.revision)
    previous = session.scalar(
        select(ArticleRow)
        .where(ArticleRow.location == location, ArticleRow.superseded.is_(False))
        .order_by(ArticleRow.revision.desc())
        .limit(1)
    )
    data = document.to_dict()
    article = document.article
    row = ArticleRow(
        sha256=page.sha256,
        location=location,
        is_url=page.is_url,
        raw=zlib.compress(page.raw, 6),
        raw_size=len(page.raw),
        content_type=page.content_type,
        document=data,
        title=article.title if article else None,
        published=data["article"]["published"] if article else None,
        language=article.language if article else None,
        ingested_at=_now(),
        revision=previous.revision + 1 if previous else 1,
        previous_id=previous.id if previous else None,
        superseded=False,
        run_id=run_id,
    )
    if previous is not None:
        previous.superseded = True
    sources = {source.id: SourceRow(**_source_columns(source)) for source in document.sources}
    row.sources = list(sources.values())
    row.events = [_event_row(event_data, sources) for event_data in data["events"]]
    session.add(row)
    session.flush()
    outcome = REVISED if previous else NEW
    return SaveResult(location, page.sha256, outcome, row.id, row.revision)


def _source_columns(source: Any) -> dict[str, Any]:
    return {"key": source.id, "name": source.name, "kind": source.kind, "person": source.person}


def _event_row(data: dict[str, Any], sources: dict[str, SourceRow]) -> EventRow:
    when = data.get("date") or {}
    where = data.get("location") or {}
    fatalities = data.get("fatalities") or {}
    row = EventRow(
        key=data["id"],
        category=data["category"],
        subtype=data["subtype"],
        date_start=_day(when.get("start")),
        date_end=_day(when.get("end")),
        date_precision=when.get("precision"),
        country=where.get("country"),
        admin1=where.get("admin1"),
        place=where.get("name"),
        location_precision=where.get("precision"),
        lat=where.get("lat"),
        lon=where.get("lon"),
        fatalities_best=fatalities.get("best"),
        fatalities_low=fatalities.get("low"),
        fatalities_high=fatalities.get("high"),
        injuries_best=(data.get("injuries") or {}).get("best"),
        data=data,
    )
    row.claims = [_claim_row(claim, sources) for claim in data.get("claims", [])]
    return row


def _claim_row(data: dict[str, Any], sources: dict[str, SourceRow]) -> ClaimRow:
    value = data.get("value")
    claim = ClaimRow(
        source=data["source"],
        property=data["property"],
        value=None if value is None else str(value),
        number=value if isinstance(value, int) and not isinstance(value, bool) else None,
        low=data.get("low"),
        high=data.get("high"),
        qualifier=data.get("qualifier"),
        hedge=data.get("hedge") or "asserted",
        text=data["text"],
        start=data["start"],
        end=data["end"],
    )
    source = sources.get(data["source"])
    if source is not None:
        claim.source_row = source
    return claim


def _stored_article(row: ArticleRow) -> StoredArticle:
    return StoredArticle(
        id=row.id,
        sha256=row.sha256,
        location=row.location,
        title=row.title,
        published=row.published,
        revision=row.revision,
        previous_id=row.previous_id,
        superseded=row.superseded,
        ingested_at=row.ingested_at,
        document=row.document,
    )


def _day(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _now() -> datetime:
    """UTC now without tzinfo: SQLite's DateTime keeps no offset, so all stored times are UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def _refuse_foreign(engine: Engine, url: str) -> None:
    """Refuse a database that holds tables but is not strife's (no migration record)."""
    tables = set(inspect(engine).get_table_names())
    ours = set(Base.metadata.tables) | {"alembic_version"}
    if tables and "alembic_version" not in tables and not tables <= ours:
        found = ", ".join(sorted(tables)[:5])
        raise NotAStrifeDatabaseError(
            f"the database holds other tables ({found}) and no strife schema; choose another --db",
            source=url,
        )


__all__ = [
    "EventQuery",
    "Repository",
    "RunCounts",
    "SaveResult",
    "StoredArticle",
    "StoredEvent",
    "database_url",
    "filter_events",
    "open_repository",
    "storage_error",
    "translate_errors",
]
