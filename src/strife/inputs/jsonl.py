"""JSON Lines files of pages: one JSON object a line, with ``text`` or ``html``.

Optional fields: ``url`` (names the page across runs), ``id`` (names it when there
is no URL, as ``FILE#ID``) and ``published`` (ISO-8601, for a page that names no
publication time). A bad line is a failure of its own; the other lines go on.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from strife.document import PageInput
from strife.errors import InputError, StrifeError
from strife.inputs._items import LoadedPage, unreadable
from strife.load import document_from_bytes
from strife.settings import Settings

#: Suffixes of JSON Lines files of pages (each may carry ``.gz``).
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})


def count_lines(path: Path) -> int:
    """The pages a JSON Lines file holds (its non-blank lines); 1 if it cannot be read."""
    try:
        with open_text(path) as stream:
            return sum(1 for line in stream if line.strip())
    except OSError:
        return 1  # reported as a failure when read


def read_jsonl(path: Path, *, settings: Settings) -> Iterator[LoadedPage]:
    """Each line of a JSON Lines file as a page; a bad line is a failure of its own."""
    resolved = path.resolve()
    try:
        stream = open_text(path)
    except OSError as exc:
        yield unreadable(str(path), exc)
        return
    with stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            where = f"{resolved}:{number}"
            try:
                yield jsonl_page(line, where=where, path=resolved, settings=settings)
            except StrifeError as error:
                if error.source is None:
                    error.source = where
                yield LoadedPage(where, error=error)


def jsonl_page(line: str, *, where: str, path: Path | str, settings: Settings) -> LoadedPage:
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
    return LoadedPage(location, document_from_bytes(page), published=published)


def open_text(path: Path) -> IO[str]:
    """Open a text file, gunzipping ``.gz``; undecodable bytes become U+FFFD."""
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open(encoding="utf-8", errors="replace")
