"""Stages in order over documents, one at a time or as a stream.

A stage is any object with ``name``, ``version``, ``requires``, ``assigns``
and ``__call__(document, *, settings) -> Document``. :class:`Pipeline` refuses
an order in which a stage needs a field no earlier stage assigns, checks
that every stage hands back a Document, and records each stage's name,
version and time in ``document.trace`` (stages do not time themselves).

Error policy: :meth:`Pipeline.run` raises; :meth:`Pipeline.run_many` and
:meth:`Pipeline.run_batch` record a failure on that page's :class:`PageResult`
and carry on with the next. A stage may offer ``pipe(documents, *, settings)``
to take a whole batch at once (the read stage does: spaCy's ``nlp.pipe``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from strife.document import Document, TraceEntry
from strife.errors import SettingsError, StageError, StrifeError
from strife.load import load_page
from strife.settings import Settings

#: Pages run through the stages together: spaCy parses a batch faster than its pages one
#: by one, and a batch this size keeps memory small and output flowing.
BATCH_SIZE = 32
#: Fields the loader fills before any stage runs.
LOADED_FIELDS = ("input", "page_text", "page_kind")


class Stage(Protocol):
    name: str
    version: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, document: Document, *, settings: Settings) -> Document: ...


@dataclass(slots=True)
class PageResult:
    """What became of one page in a batch: its document, or the error that stopped it."""

    location: str
    document: Document | None = None
    error: StrifeError | None = None


class Pipeline:
    """An ordered list of stages."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        available = set(LOADED_FIELDS)
        for stage in stages:
            missing = [name for name in stage.requires if name not in available]
            if missing:
                raise SettingsError(
                    f"stage {stage.name!r} needs {', '.join(missing)}, "
                    "which no earlier stage assigns"
                )
            available.update(stage.assigns)
        self.stages = list(stages)

    def run(self, document: Document, *, settings: Settings) -> Document:
        """Run every stage on one document.

        Raises:
            StrifeError: a stage refused the document (an ``InputError``), or
                failed unexpectedly (a ``StageError`` naming the stage).
        """
        for stage in self.stages:
            document = self._apply(stage, document, settings=settings)
        return document

    def run_batch(self, documents: list[Document], *, settings: Settings) -> list[PageResult]:
        """Run every stage over a batch of loaded documents, in order.

        A stage with a ``pipe(documents, *, settings)`` method gets the whole
        batch at once (spaCy parses faster in batches); if that fails, the
        batch goes through the stage one document at a time, so the failure
        lands on the document at fault. A failure is recorded on its result and
        the document leaves the batch; the others go on.
        """
        results = [PageResult(document.input.location, document) for document in documents]
        for stage in self.stages:
            alive = [result for result in results if result.document is not None]
            if not alive:
                break
            if len(alive) > 1 and self._pipe(stage, alive, settings=settings):
                continue
            for result in alive:
                assert result.document is not None
                try:
                    result.document = self._apply(stage, result.document, settings=settings)
                except StrifeError as exc:
                    result.document, result.error = None, exc
        return results

    def run_many(
        self,
        locations: Iterable[str],
        *,
        settings: Settings,
        stdin: BinaryIO | None = None,
        batch_size: int = BATCH_SIZE,
    ) -> Iterator[PageResult]:
        """Load and run each page, in batches; a failure is recorded on its result, never
        raised. Results come in the order of ``locations``."""
        batch: list[PageResult] = []
        for location in locations:
            batch.append(_load(location, settings=settings, stdin=stdin))
            if len(batch) == batch_size:
                yield from self._finish(batch, settings=settings)
                batch = []
        yield from self._finish(batch, settings=settings)

    def _finish(self, batch: list[PageResult], *, settings: Settings) -> Iterator[PageResult]:
        loaded = [result.document for result in batch if result.document is not None]
        done = iter(self.run_batch(loaded, settings=settings))
        for result in batch:
            yield next(done) if result.document is not None else result

    def _pipe(self, stage: Stage, alive: list[PageResult], *, settings: Settings) -> bool:
        """Give the batch to the stage's ``pipe``; False when it has none or it failed."""
        pipe = getattr(stage, "pipe", None)
        if pipe is None:
            return False
        started = time.perf_counter()
        try:
            outputs = list(pipe([result.document for result in alive], settings=settings))
        except Exception:  # one page at fault: the caller retries one by one to find it
            return False
        if len(outputs) != len(alive) or not all(isinstance(o, Document) for o in outputs):
            return False
        each = (time.perf_counter() - started) / len(alive)  # one parse for the batch
        for result, output in zip(alive, outputs, strict=True):
            output.trace.append(TraceEntry(stage.name, stage.version, each))
            result.document = output
        return True

    def _apply(self, stage: Stage, document: Document, *, settings: Settings) -> Document:
        """Run one stage on one document, record it in the trace, translate its errors."""
        started = time.perf_counter()
        try:
            result = stage(document, settings=settings)
        except StrifeError:
            raise
        except Exception as exc:
            raise StageError(
                f"stage {stage.name} failed: {type(exc).__name__}: {exc}",
                stage=stage.name,
                source=document.input.location,
                document_id=document.id,
            ) from exc
        if not isinstance(result, Document):
            raise StageError(
                f"stage {stage.name} returned {type(result).__name__}, not a Document",
                stage=stage.name,
                source=document.input.location,
                document_id=document.id,
            )
        result.trace.append(TraceEntry(stage.name, stage.version, time.perf_counter() - started))
        return result


def _load(location: str, *, settings: Settings, stdin: BinaryIO | None) -> PageResult:
    try:
        return PageResult(location, load_page(location, settings=settings, stdin=stdin))
    except StrifeError as exc:
        return PageResult(location, error=exc)
    except Exception as exc:  # a loader bug must not end the batch
        error = StageError(f"{type(exc).__name__}: {exc}", stage="load", source=location)
        return PageResult(location, error=error)


def extract_pipeline() -> Pipeline:
    """The stages from a loaded page to events: clean, read, extract, locate, date."""
    from strife.clean import CleanStage
    from strife.dates import DateStage
    from strife.extract import ExtractStage
    from strife.locate import LocateStage
    from strife.read import ReadStage

    return Pipeline([CleanStage(), ReadStage(), ExtractStage(), LocateStage(), DateStage()])


def run_text(
    pipeline: Pipeline, text: str, *, settings: Settings, location: str = "inline"
) -> Document:
    """Run a pipeline on a page given as plain text (evaluation sets ship text, not files)."""
    from strife.document import PageInput
    from strife.load import document_from_bytes

    page = PageInput(location, text.encode("utf-8"), content_type="text/plain")
    return pipeline.run(document_from_bytes(page), settings=settings)
