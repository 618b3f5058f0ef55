"""Inputs of ``strife ingest``: whatever the command line names, read into pages.

Takes page files (``.gz`` too), ``-`` for standard input, folders (their pages and
WARC files), JSON Lines files of pages, WARC files, RSS/Atom feeds (local files or
URLs) and page URLs. Yields, as each is read (so a large input streams), a page
loaded by :mod:`strife.load` with any publication time its input gives, a failure
naming the input, or a record passed over (a WARC request, an image). Running the
stages and storing are left to :mod:`strife.ingest`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from strife.errors import InputError, StrifeError
from strife.inputs._items import InputItem, LoadedPage, SkippedRecord
from strife.inputs.feeds import Fetcher, is_feed_file, read_feed_file, read_url
from strife.inputs.jsonl import JSONL_SUFFIXES, count_lines, read_jsonl
from strife.inputs.warc import count_records, is_warc, read_warc
from strife.load import PAGE_SUFFIXES, is_url, load_page
from strife.settings import Settings

__all__ = [
    "InputItem",
    "LoadedPage",
    "SkippedRecord",
    "count_pages",
    "expand_inputs",
    "input_kind",
    "read_inputs",
]


def input_kind(location: str) -> str:
    """What an input is: ``url``, ``stdin``, ``jsonl``, ``warc``, ``feed`` or ``page``."""
    if is_url(location):
        return "url"
    if location == "-":
        return "stdin"
    if _bare_suffix(location) in JSONL_SUFFIXES:
        return "jsonl"
    if is_warc(location):
        return "warc"
    if is_feed_file(Path(location)):
        return "feed"
    return "page"


def expand_inputs(inputs: Sequence[str]) -> Iterator[str]:
    """Each input, with a folder replaced by the pages and WARC files inside it, sorted.

    JSON Lines files and feeds are taken only when named: a folder may hold strife's
    own output beside its pages. A folder with neither is yielded itself, so that
    reading it reports the folder instead of passing over it.
    """
    for location in inputs:
        path = Path(location)
        if is_url(location) or location == "-" or not path.is_dir():
            yield location
            continue
        found = [str(child) for child in sorted(path.rglob("*")) if _is_folder_input(child, path)]
        yield from found or [location]


def count_pages(inputs: Sequence[str]) -> int | None:
    """How many records ``inputs`` hold, for progress; None when a URL or a feed makes it unknown.

    A JSON Lines file counts its lines and a WARC file its records (all of them:
    those passed over count as done when they are).
    """
    total = 0
    for location in expand_inputs(inputs):
        kind = input_kind(location)
        if kind in {"url", "feed"}:
            return None
        if kind == "jsonl":
            total += count_lines(Path(location))
        elif kind == "warc":
            total += count_records(Path(location))
        else:
            total += 1
    return total


def read_inputs(inputs: Sequence[str], *, settings: Settings) -> Iterator[InputItem]:
    """Every page of every input, in order; a bad page or input is a failure, never raised."""
    fetcher = Fetcher(settings)
    try:
        for location in expand_inputs(inputs):
            try:
                yield from _read_input(location, fetcher=fetcher, settings=settings)
            except Exception as exc:  # a reader bug must not end the run: fail this input
                error = exc if isinstance(exc, StrifeError) else _bug(exc, location)
                yield LoadedPage(location, error=error)
    finally:
        fetcher.close()


def _read_input(location: str, *, fetcher: Fetcher, settings: Settings) -> Iterator[InputItem]:
    kind = input_kind(location)
    if kind == "url":
        yield from read_url(location, fetcher=fetcher)
    elif kind == "jsonl":
        yield from read_jsonl(Path(location), settings=settings)
    elif kind == "warc":
        yield from read_warc(Path(location), settings=settings)
    elif kind == "feed":
        yield from read_feed_file(Path(location), fetcher=fetcher, settings=settings)
    else:
        if kind == "page":
            # The same file reached by another relative path is the same location.
            location = str(Path(location).resolve())
        try:
            yield LoadedPage(location, load_page(location, settings=settings))
        except StrifeError as error:
            yield LoadedPage(location, error=error)


def _bug(exc: Exception, location: str) -> InputError:
    return InputError(f"{type(exc).__name__}: {exc}", source=location)


def _is_folder_input(child: Path, folder: Path) -> bool:
    hidden = any(part.startswith(".") for part in child.relative_to(folder).parts)
    if hidden or not child.is_file():
        return False
    return _bare_suffix(str(child)) in PAGE_SUFFIXES or is_warc(child.name)


def _bare_suffix(location: str) -> str:
    """The file's suffix, lower-cased, under any ``.gz``."""
    suffixes = [suffix.lower() for suffix in Path(location).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""
