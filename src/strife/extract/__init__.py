"""The extract stage: parsed passages -> events, each fact a claim tied to a source and a span.

One small module per job:

- ``quantities.py``: numbers, number words, ranges and vague amounts with their
  qualifier and bounds ("more than 100" -> 101..None);
- ``typing.py``: which kind of event a sentence reports (the taxonomy's subtypes);
- ``attribution.py``: who says so ("X said", "according to X", quotes) and the hedge;
- ``actors.py``: perpetrators, victims and targets, normalised to their kind;
- ``events.py``: puts them together per incident, merges mentions of the same
  incident, reconciles the figures.
"""

from __future__ import annotations

from strife.document import Document
from strife.settings import Settings

NAME = "extract"
VERSION = "1"


def extract_document(document: Document, *, settings: Settings) -> Document:
    """Fill ``document.sources`` and ``document.events`` from the parsed passages."""
    from strife.extract.events import extract_events

    if document.article is not None and document.article.text:
        extract_events(document)
    return document


class ExtractStage:
    """The extract stage as a pipeline component."""

    name: str = NAME
    version: str = VERSION
    requires: tuple[str, ...] = ("article", "parsed")
    assigns: tuple[str, ...] = ("sources", "events")

    def __call__(self, document: Document, *, settings: Settings) -> Document:
        return extract_document(document, settings=settings)
