"""What reading an input yields: a loaded page (or why it failed), or a record passed over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from strife.document import Document
from strife.errors import InputError, NotFoundError, StrifeError


@dataclass(slots=True)
class LoadedPage:
    """A page read from an input and ready for the stages, or the error that stopped it."""

    location: str
    document: Document | None = None
    error: StrifeError | None = None
    #: A publication time the input gives (a JSON Lines ``published``, a feed item's
    #: date), for a page that names none itself.
    published: date | datetime | None = None


@dataclass(slots=True)
class SkippedRecord:
    """A record of an input that is not a news page (a WARC request, an image): counted only."""

    location: str
    reason: str


InputItem = LoadedPage | SkippedRecord


def unreadable(location: str, exc: OSError) -> LoadedPage:
    """A file input that cannot be opened, as a failure: missing (E104) or unreadable."""
    if isinstance(exc, FileNotFoundError):
        return LoadedPage(location, error=NotFoundError("no such file", source=location))
    message = f"cannot be read ({exc.strerror or exc})"
    return LoadedPage(location, error=InputError(message, source=location))
