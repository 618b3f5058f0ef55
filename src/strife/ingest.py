"""Ingest: pages in, through every extraction stage, into the durable record.

Takes what :mod:`strife.inputs` reads (page files and folders, JSON Lines, WARC
files, feeds, URLs); skips pages whose bytes are already stored before running any
stage on them; sends the rest in batches through the extraction stages, here or in
worker processes (:mod:`strife._ingest_work`); and commits each batch in one
transaction (:meth:`Repository.save_documents`), from this process only. A run
killed at any moment loses at most the batches it had not committed, which the next
run redoes: every page ends up stored exactly once. Rendering progress and the
summary is left to the CLI.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

from strife._ingest_work import Batch, run_batches, usable_cores
from strife.errors import StrifeError
from strife.inputs import InputItem, SkippedRecord, count_pages, read_inputs
from strife.pipeline import PageResult
from strife.settings import Settings
from strife.store.repository import Repository, RunCounts

__all__ = [
    "IngestReport",
    "PageFailure",
    "Progress",
    "count_pages",
    "ingest_pages",
    "usable_cores",
]

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
    #: Records of the inputs that are not news pages (WARC requests, images), by reason.
    skipped: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        return self.counts.new + self.counts.unchanged + self.counts.revised + self.counts.failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "run": self.run_id,
            "pages": self.pages,
            **self.counts.to_dict(),
            "skipped": self.skipped.total(),
            "skipped_by_reason": dict(sorted(self.skipped.items())),
            "seconds": round(self.seconds, 3),
            "pages_per_second": round(self.pages / self.seconds, 2) if self.seconds else None,
            "failures": [failure.to_dict() for failure in self.failures],
        }


def ingest_pages(
    inputs: Sequence[str],
    *,
    repository: Repository,
    settings: Settings,
    progress: Progress | None = None,
    total: int | None = None,
    on_failure: Callable[[PageFailure], None] | None = None,
    workers: int = 1,
) -> IngestReport:
    """Read, process and store pages; a bad page is recorded, never raised.

    Args:
        inputs: page files (``.gz`` too), folders, ``.jsonl`` files, WARC files,
            feeds and URLs (see :mod:`strife.inputs`).
        repository: the open record to store into.
        settings: stage settings; ``batch_size`` pages are processed and committed together.
        progress: called as records are done with the counts so far.
        total: the number of records, if counted ahead (:func:`count_pages`).
        on_failure: called with each page that fails, as it fails.
        workers: processes running the stages; 1 runs them in this process.

    Raises:
        StorageError: the database refused a write; batches already committed stay.
    """
    started = time.perf_counter()
    run = IngestRunState(
        IngestReport(repository.start_run(inputs)), repository, progress, total, on_failure
    )
    batches = run.batches(read_inputs(inputs, settings=settings), size=max(settings.batch_size, 1))
    with closing(run_batches(batches, settings=settings, workers=workers)) as done:
        for batch, results in done:
            run.save(batch, results)
    report = run.report
    report.seconds = time.perf_counter() - started
    repository.finish_run(report.run_id, counts=report.counts)
    return report


class IngestRunState:
    """One run's bookkeeping: counts, failures, progress, and the pages not yet stored."""

    def __init__(
        self,
        report: IngestReport,
        repository: Repository,
        progress: Progress | None,
        total: int | None,
        on_failure: Callable[[PageFailure], None] | None,
    ) -> None:
        self.report, self.repository = report, repository
        self.progress, self.total, self.on_failure = progress, total, on_failure
        #: Digests sent to the stages and not yet committed, so a repeat is not sent twice.
        self.queued: set[str] = set()

    def batches(self, items: Iterable[InputItem], *, size: int) -> Iterator[Batch]:
        """The pages to process, in batches; records passed over, failures and pages
        already stored are counted on the way."""
        batch = Batch()
        for item in items:
            if isinstance(item, SkippedRecord):
                self.report.skipped[item.reason] += 1
            elif item.document is None:
                assert item.error is not None
                self.fail(item.location, item.error)
            elif self._known(item.document.input.sha256):
                self.report.counts.skip_stored()  # no stage runs on it
            else:
                self.queued.add(item.document.input.sha256)
                batch.add(item.document, item.published)
                if len(batch.documents) >= size:
                    yield batch
                    batch = Batch()
                continue
            self.tick()
        if batch.documents:
            yield batch

    def save(self, batch: Batch, results: list[PageResult]) -> None:
        """Commit a processed batch in one transaction; a kill loses at most this batch."""
        done = []
        for result in results:
            if result.document is None:
                assert result.error is not None
                self.fail(result.location, result.error)
            else:
                result.document.parsed = []  # the spaCy Docs are not stored; free them now
                done.append(result.document)
        if done:
            for saved in self.repository.save_documents(done, run_id=self.report.run_id):
                self.report.counts.add(saved.outcome)
        self.queued.difference_update(document.input.sha256 for document in batch.documents)
        self.tick()

    def fail(self, location: str, error: StrifeError) -> None:
        failure = PageFailure(location, error)
        self.report.counts.failed += 1
        self.report.failures.append(failure)
        if self.on_failure is not None:
            self.on_failure(failure)

    def tick(self) -> None:
        if self.progress is not None:
            done = self.report.pages + self.report.skipped.total()
            self.progress(self.report.counts, done, self.total)

    def _known(self, sha256: str) -> bool:
        return sha256 in self.queued or bool(self.repository.known_hashes([sha256]))
