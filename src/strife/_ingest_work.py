"""Where ingest's stages run: in this process, or in worker processes on the local cores.

Takes batches of loaded documents and yields each batch with its results
(:class:`~strife.pipeline.PageResult`), in the order the batches came. With one
worker the stages run here. With more, each worker is a process that builds the
pipeline (the spaCy model) once and takes whole batches: a page goes out as its raw
bytes (:class:`~strife.document.PageInput`) and is loaded again there; it comes back
as its strife/1 dict (``Document.to_dict``), or its error as code and message.
Storing is left to the caller, the only process that writes to the database.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain, islice
from typing import Any

from strife.document import Document, PageInput
from strife.errors import SetupError, StageError, StrifeError, error_classes
from strife.load import document_from_bytes
from strife.pipeline import PageResult, Pipeline, extract_pipeline
from strife.settings import Settings

#: Seconds between a worker's checks that its parent is still there.
PARENT_CHECK_SECONDS = 1.0
#: What a worker sends back for one page: {"document": strife/1} or {"error": {...}}.
WireResult = dict[str, Any]


@dataclass(slots=True)
class Batch:
    """Loaded documents processed and committed together."""

    documents: list[Document] = field(default_factory=list)
    #: Publication times the inputs give, by page digest, for pages that name none.
    published: dict[str, date | datetime] = field(default_factory=dict)

    def add(self, document: Document, published: date | datetime | None) -> None:
        self.documents.append(document)
        if published is not None:
            self.published[document.input.sha256] = published


class GivenPublished:
    """Fill ``article.published`` from the input when the page itself names none.

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


def ingest_pipeline() -> tuple[Pipeline, GivenPublished]:
    """The extraction stages with :class:`GivenPublished` after clean, and that stage."""
    given = GivenPublished()
    stages = extract_pipeline().stages
    return Pipeline([stages[0], given, *stages[1:]]), given


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def run_batches(
    batches: Iterator[Batch], *, settings: Settings, workers: int
) -> Generator[tuple[Batch, list[PageResult]]]:
    """Each batch with its results, in order, from ``workers`` processes (1: this one)."""
    if workers > 1:
        first = list(islice(batches, 2))
        # A single batch is done here sooner than a worker process could start.
        if len(first) == 2:
            yield from _run_in_workers(chain(first, batches), settings=settings, workers=workers)
            return
        batches = iter(first)
    yield from _run_here(batches, settings=settings)


def _run_here(
    batches: Iterator[Batch], *, settings: Settings
) -> Iterator[tuple[Batch, list[PageResult]]]:
    built: tuple[Pipeline, GivenPublished] | None = None
    for batch in batches:
        built = built or ingest_pipeline()
        pipeline, given = built
        given.given = batch.published
        yield batch, pipeline.run_batch(batch.documents, settings=settings)


def _run_in_workers(
    batches: Iterator[Batch], *, settings: Settings, workers: int
) -> Iterator[tuple[Batch, list[PageResult]]]:
    pool = _Workers(settings, workers)
    pending: deque[tuple[Batch, Future[list[WireResult]]]] = deque()
    try:
        for batch in batches:
            pending.append((batch, pool.submit(batch)))
            # One batch more than workers: a worker that finishes finds the next one waiting.
            while len(pending) > workers:
                yield pool.collect(*pending.popleft())
        while pending:
            yield pool.collect(*pending.popleft())
    finally:
        pool.close()


class _Workers:
    """A process pool, started afresh when a worker dies (its batches in flight fail)."""

    def __init__(self, settings: Settings, workers: int) -> None:
        self.settings, self.workers = settings, workers
        self.executor = self._start()
        #: Whether this pool has finished a batch: one that never has cannot start at all.
        self.answered = False

    def _start(self) -> ProcessPoolExecutor:
        # Spawned, not forked: a fork would copy this process's threads and open database.
        return ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(self.settings, os.getpid()),
        )

    def submit(self, batch: Batch) -> Future[list[WireResult]]:
        """Send a batch; raises SetupError when the workers died before finishing any."""
        pages = [document.input for document in batch.documents]
        try:
            return self.executor.submit(_work, pages, batch.published)
        except BrokenProcessPool as exc:
            if not self.answered:
                raise _never_started() from exc
            self.close()
            self.executor, self.answered = self._start(), False
            return self.executor.submit(_work, pages, batch.published)

    def collect(
        self, batch: Batch, future: Future[list[WireResult]]
    ) -> tuple[Batch, list[PageResult]]:
        """A batch's results as its worker sent them, or each page failed if the worker died."""
        try:
            wire = future.result()
        except BrokenProcessPool as exc:
            if not self.answered:
                raise _never_started() from exc
            return batch, _failed(batch, exc)
        except Exception as exc:  # the worker could not send its answer back
            return batch, _failed(batch, exc)
        self.answered = True
        results = zip(batch.documents, wire, strict=True)
        return batch, [_from_wire(document, item) for document, item in results]

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


def _never_started() -> SetupError:
    return SetupError(
        "the worker processes ended before finishing a batch; run with --workers 1 to see "
        "why (from Python, call ingest_pages under `if __name__ == '__main__':`)"
    )


def _failed(batch: Batch, exc: Exception) -> list[PageResult]:
    """Each page of a batch its worker did not finish, failed; a new run retries them."""
    message = (
        f"a worker process failed on this page's batch ({type(exc).__name__}: {exc}); "
        "run the command again to retry it"
    )
    return [
        PageResult(d.input.location, error=StageError(message, stage="ingest"))
        for d in batch.documents
    ]


def _from_wire(document: Document, item: WireResult) -> PageResult:
    location = document.input.location
    if "document" not in item:
        return PageResult(location, error=error_from_wire(item["error"]))
    done = Document.from_dict(item["document"])
    # A worker sends no raw bytes back: the parent's copy is the one stored.
    done.input = document.input
    done.page_text, done.page_kind = document.page_text, document.page_kind
    return PageResult(location, done)


def error_to_wire(error: StrifeError) -> dict[str, Any]:
    return {
        "code": error.code,
        "message": error.message,
        "source": error.source,
        "stage": getattr(error, "stage", None),
        "document_id": getattr(error, "document_id", None),
    }


def error_from_wire(data: dict[str, Any]) -> StrifeError:
    classes = {cls.code: cls for cls in error_classes()}
    cls = classes.get(data["code"], StageError)
    if issubclass(cls, StageError):
        stage = data["stage"] or "ingest"
        return cls(
            data["message"], stage=stage, source=data["source"], document_id=data["document_id"]
        )
    return cls(data["message"], source=data["source"])


# What a worker process builds once, in _start_worker: its settings and pipeline.
_WORKER: dict[str, Any] = {}


def _start_worker(settings: Settings, parent: int) -> None:
    # Ctrl-C reaches the whole process group; the parent handles it and stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _WORKER["settings"] = settings
    _WORKER["pipeline"], _WORKER["given"] = ingest_pipeline()


def _exit_with_parent(parent: int) -> None:
    """End this worker once its parent is gone (a parent killed with SIGKILL cannot stop
    it, and it would wait for work forever, holding its model in memory)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _work(pages: list[PageInput], published: dict[str, date | datetime]) -> list[WireResult]:
    """Load and process one batch in a worker process."""
    pipeline: Pipeline = _WORKER["pipeline"]
    _WORKER["given"].given = published
    documents = [document_from_bytes(page) for page in pages]
    results = pipeline.run_batch(documents, settings=_WORKER["settings"])
    wire: list[WireResult] = []
    for result in results:
        if result.document is not None:
            wire.append({"document": result.document.to_dict()})
        else:
            assert result.error is not None
            wire.append({"error": error_to_wire(result.error)})
    return wire
