"""Stages in order over documents, one at a time or as a stream.

A stage is any object with ``name``, ``version``, ``requires``, ``assigns``
and ``__call__(document, *, settings) -> Document``. :class:`Pipeline` refuses
an order in which a stage needs a field no earlier stage assigns, and checks
that every stage hands back a Document.

Error policy: :meth:`Pipeline.run` raises; :meth:`Pipeline.run_many` records
a failure on that page's :class:`PageResult` and carries on with the next.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from strife.document import Document
from strife.errors import SettingsError, StageError, StrifeError
from strife.load import load_page
from strife.settings import Settings

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
            document = result
        return document

    def run_many(
        self, locations: Iterable[str], *, settings: Settings, stdin: BinaryIO | None = None
    ) -> Iterator[PageResult]:
        """Load and run each page; a failure is recorded on its result, never raised."""
        for location in locations:
            try:
                document = load_page(location, settings=settings, stdin=stdin)
                yield PageResult(location, self.run(document, settings=settings))
            except StrifeError as exc:
                yield PageResult(location, error=exc)
            except Exception as exc:  # a loader bug must not end the batch
                error = StageError(f"{type(exc).__name__}: {exc}", stage="load", source=location)
                yield PageResult(location, error=error)


def extract_pipeline() -> Pipeline:
    """The stages from a loaded page to events: clean, read, extract."""
    from strife.clean import CleanStage
    from strife.extract import ExtractStage
    from strife.read import ReadStage

    return Pipeline([CleanStage(), ReadStage(), ExtractStage()])


def run_text(
    pipeline: Pipeline, text: str, *, settings: Settings, location: str = "inline"
) -> Document:
    """Run a pipeline on a page given as plain text (evaluation sets ship text, not files)."""
    from strife.document import PageInput
    from strife.load import document_from_bytes

    page = PageInput(location, text.encode("utf-8"), content_type="text/plain")
    return pipeline.run(document_from_bytes(page), settings=settings)
