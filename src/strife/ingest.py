"""Ingest: pages in, through every extraction stage, into the durable record.

Takes files, folders of pages and ``.jsonl`` files of pages (one JSON object a
line with ``text`` or ``html``, and optionally ``url``, ``id`` and
``published``); skips pages whose bytes are already stored before running any
stage on them; runs the rest through :func:`~strife.pipeline.extract_pipeline`
in batches (:meth:`Pipeline.run_batch`) and commits each batch in one
transaction (:meth:`Repository.save_documents`). A run killed at any moment
loses at most its open batch, which the next run redoes: every page ends up
stored exactly once. Rendering progress and the summary is left to the CLI.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from strife.document import Document, PageInput
from strife.errors import InputError, StrifeError
from strife.load import document_from_bytes, expand_inputs, is_url, load_page
from strife.pipeline import Pipeline, extract_pipeline
from strife.settings import Settings
from strife.store.repository import Repository, RunCounts

#: Suffixes of JSON Lines files of pages (each may carry ``.gz``).
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
#: Calls ``progress(counts, done, total)``; ``total`` is None when it is not known.
Progress = Callable[[RunCounts, int, int | None], None]


@dataclass(slots=True)
class PageFailure:
    """A page that could not be read, processed or stored, and why."""

    location: str
    error: StrifeError

    def to_dict(self) -> dict[str, Any]:
        return {"location": self.location, "code": self.error.code, "message": self.error.message}


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did: counts by outcome, the failures, its time."""

    run_id: int
    counts: RunCounts = field(default_factory=RunCounts)
    failures: list[PageFailure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        return self.counts.new + self.counts.unchanged + self.counts.revised + self.counts.failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "run": self.run_id,
            "pages": self.pages,
            **self.counts.to_dict(),
            "seconds": round(self.seconds, 3),
            "pages_per_second": round(self.pages / self.seconds, 2) if self.seconds else None,
            "failures": [failure.to_dict() for failure in self.failures],
        }


@dataclass(slots=True)
class _Loaded:
    location: str
    document: Document | None = None
    error: StrifeError | None = None
    #: A publication time the JSON Lines record gives, for a page that names none.
    published: date | datetime | None = None


class _GivenPublished:
    """Fill ``article.published`` from the input record when the page itself names none.

    Runs after clean, before date, so relative dates count from it.
    """

    name = "given_published"
    version = "1"
    requires: tuple[str, ...] = ("article",)
    assigns: tuple[str, ...] = ("article",)

    def __init__(self) -> None:
        self.given: dict[str, date | datetime] = {}

    def __call__(self, document: Document, *, settings: Settings) -> Document:
        published = self.given.get(document.input.sha256)
        if published is not None and document.article and document.article.published is None:
            document.article.published = published
            document.problems = [p for p in document.problems if p.code != "W204"]
        return document


def count_pages(inputs: Sequence[str]) -> int:
    """How many pages ``inputs`` hold (lines of JSON Lines files counted), for progress."""
    total = 0
    for location in expand_inputs(list(inputs)):
        if _is_jsonl(location):
            try:
                with _open_text(Path(location)) as stream:
                    total += sum(1 for line in stream if line.strip())
            except OSError:
                total += 1  # reported as a failure when read
        else:
            total += 1
    return total


def ingest_pages(
    inputs: Sequence[str],
    *,
    repository: Repository,
    settings: Settings,
    progress: Progress | None = None,
    total: int | None = None,
    on_failure: Callable[[PageFailure], None] | None = None,
) -> IngestReport:
    """Read, process and store pages; a bad page is recorded, never raised.

    Args:
        inputs: page files (``.gz`` too), folders of pages, ``.jsonl`` files.
        repository: the open record to store into.
        settings: stage settings; ``batch_size`` pages are processed and committed together.
        progress: called after each page with the counts so far.
        total: the number of pages, if counted ahead (:func:`count_pages`).
        on_failure: called with each page that fails, as it fails.

    Raises:
        StorageError: the database refused a write; batches already committed stay.
    """
    started = time.perf_counter()
    report = IngestReport(repository.start_run(inputs))
    given = _GivenPublished()
    stages = extract_pipeline().stages
    pipeline = Pipeline([stages[0], given, *stages[1:]])
    batch: list[Document] = []
    queued: set[str] = set()

    def tick() -> None:
        if progress is not None:
            progress(report.counts, report.pages, total)

    def fail(location: str, error: StrifeError) -> None:
        failure = PageFailure(location, error)
        report.counts.failed += 1
        report.failures.append(failure)
        if on_failure is not None:
            on_failure(failure)

    def flush() -> None:
        done = _process(batch, pipeline=pipeline, settings=settings, fail=fail)
        # One transaction per batch: a kill loses at most this batch, redone on the next run.
        for saved in repository.save_documents(done, run_id=report.run_id):
            report.counts.add(saved.outcome)
        batch.clear()
        queued.clear()
        given.given.clear()
        tick()

    for loaded in _read_inputs(inputs, settings=settings):
        if loaded.document is None:
            assert loaded.error is not None
            fail(loaded.location, loaded.error)
            tick()
            continue
        sha256 = loaded.document.input.sha256
        if sha256 in queued or repository.known_hashes([sha256]):
            report.counts.unchanged += 1  # stored already: no stage runs on it
            tick()
            continue
        queued.add(sha256)
        if loaded.published is not None:
            given.given[sha256] = loaded.published
        batch.append(loaded.document)
        if len(batch) >= max(settings.batch_size, 1):
            flush()
    flush()
    report.seconds = time.perf_counter() - started
    repository.finish_run(report.run_id, counts=report.counts)
    return report


def _process(
    batch: list[Document],
    *,
    pipeline: Pipeline,
    settings: Settings,
    fail: Callable[[str, StrifeError], None],
) -> list[Document]:
    """Run one batch through the stages; the documents that came through, in order."""
    if not batch:
        return []
    done: list[Document] = []
    for result in pipeline.run_batch(batch, settings=settings):
        if result.document is None:
            assert result.error is not None
            fail(result.location, result.error)
        else:
            result.document.parsed = []  # the spaCy Docs are not stored; free them now
            done.append(result.document)
    return done


def _read_inputs(inputs: Sequence[str], *, settings: Settings) -> Iterator[_Loaded]:
    for location in expand_inputs(list(inputs)):
        if _is_jsonl(location):
            yield from _read_jsonl(Path(location), settings=settings)
            continue
        if not is_url(location) and location != "-":
            # The same file reached by another relative path is the same location.
            location = str(Path(location).resolve())
        try:
            yield _Loaded(location, load_page(location, settings=settings))
        except StrifeError as error:
            yield _Loaded(location, error=error)
        except Exception as exc:  # a loader bug must not end the run
            yield _Loaded(location, error=InputError(f"{type(exc).__name__}: {exc}"))


def _read_jsonl(path: Path, *, settings: Settings) -> Iterator[_Loaded]:
    """Each line of a JSON Lines file as a page; a bad line is a failure of its own."""
    resolved = path.resolve()
    try:
        stream = _open_text(path)
    except OSError as exc:
        error = InputError(f"cannot be read ({exc.strerror or exc})", source=str(path))
        yield _Loaded(str(path), error=error)
        return
    with stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            where = f"{resolved}:{number}"
            try:
                yield _jsonl_page(line, where=where, path=resolved, settings=settings)
            except StrifeError as error:
                if error.source is None:
                    error.source = where
                yield _Loaded(where, error=error)


def _jsonl_page(line: str, *, where: str, path: Path, settings: Settings) -> _Loaded:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"not a JSON object ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(record, dict):
        raise InputError("not a JSON object")
    html, text = record.get("html"), record.get("text")
    body = html if isinstance(html, str) and html.strip() else text
    if not isinstance(body, str):
        raise InputError('the record has no "text" or "html" string')
    url = record.get("url") if isinstance(record.get("url"), str) else None
    ident = record.get("id")
    # A url or id names the page across runs, so new content there is a revision of it.
    location = url or (f"{path}#{ident}" if ident not in (None, "") else where)
    raw = body.encode("utf-8")
    if len(raw) > settings.max_page_bytes:
        raise InputError(f"the page is larger than the limit of {settings.max_page_bytes:,} bytes")
    kind = "text/html" if body is html else "text/plain"
    page = PageInput(location, raw, is_url=url is not None, content_type=kind)
    published = None
    if isinstance(record.get("published"), str) and record["published"].strip():
        from strife.dates import parse_published

        published = parse_published(record["published"])
    return _Loaded(location, document_from_bytes(page), published=published)


def _is_jsonl(location: str) -> bool:
    suffixes = [suffix.lower() for suffix in Path(location).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in JSONL_SUFFIXES and not is_url(location)


def _open_text(path: Path) -> Any:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open(encoding="utf-8", errors="replace")
