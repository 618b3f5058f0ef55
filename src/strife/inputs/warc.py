"""WARC files (Common Crawl News): each archived HTML page as a page, named by its URL.

Takes ``.warc`` and ``.warc.gz`` files (one gzip member per record, as crawlers write
them) through warcio. Each ``response`` record whose HTTP answer is a 2xx HTML page
becomes a page at its ``WARC-Target-URI``, so a later crawl of the same URL with other
bytes is stored as a revision; its payload (with any transfer or content encoding
undone) is decoded with the charset of its HTTP ``Content-Type``, as a fetched page
is. Other records (warcinfo, request, metadata, revisit) and other answers (images,
redirects, errors) are passed over and counted. A file cut short (a download stopped
mid-record or mid gzip member) yields every complete record, then one
:class:`~strife.errors.WarcError` naming the record and byte offset where it breaks.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator

from strife.document import PageInput
from strife.errors import StrifeError, TooLargeError, WarcError
from strife.inputs._items import InputItem, LoadedPage, SkippedRecord, unreadable
from strife.load import document_from_bytes
from strife.settings import Settings

#: Names of WARC files, compressed or not.
WARC_SUFFIXES = (".warc", ".warc.gz")
#: HTTP media types archived pages are taken from; answers of any other type are passed over.
PAGE_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def is_warc(location: str) -> bool:
    return location.lower().endswith(WARC_SUFFIXES)


def count_records(path: Path) -> int:
    """The records a WARC file holds, for progress; a damaged file counts one more."""
    count = 0
    try:
        with path.open("rb") as stream, _quiet():
            for _ in ArchiveIterator(stream, no_record_parse=True):
                count += 1
    except Exception:  # warcio raises assorted errors on damage; reading reports it
        count += 1
    return count


def read_warc(path: Path, *, settings: Settings) -> Iterator[InputItem]:
    """Each HTML response of a WARC file as a page, each other record as skipped.

    A record that is no usable page (empty, binary, too large) is a failure of its
    own and the file goes on; a break in the file ends it with one failure.
    """
    location = str(path.resolve())
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield unreadable(location, exc)
        return
    with stream:
        size = os.fstat(stream.fileno()).st_size
        yield from warc_records(stream, size=size, location=location, settings=settings)


def warc_records(
    stream: BinaryIO, *, size: int, location: str, settings: Settings
) -> Iterator[InputItem]:
    records = ArchiveIterator(stream)
    number, end = 0, 0  # records read whole; the byte where the last one ended
    while True:
        start = end
        try:
            # warcio writes its own warnings to stderr; the library never prints.
            with _quiet():
                record = next(records, None)
                if record is None:
                    break
                item = _record_item(record, start=start, location=location, settings=settings)
                records.read_to_end()
        except Exception as exc:  # warcio raises assorted errors on damaged input
            problem = f"record {number + 1:,} at byte {start:,} cannot be read ({_reason(exc)})"
            yield _broken(problem, number, location)
            return
        cut = _cut_short(record, number=number + 1, start=start)
        if cut is not None:
            yield _broken(cut, number, location)
            return
        number += 1
        end = records.offset
        yield item
        # warcio reads a gzip member only as far as it needs: a member without its end
        # held a whole record (yielded above) but the file stops there.
        if not _member_ended(records):
            problem = f"the file is cut off inside the gzip member of record {number:,} at "
            yield _broken(f"{problem}byte {start:,}, after its content", number, location)
            return
    if end < size:
        problem = f"the file is cut off inside record {number + 1:,} at byte {end:,} "
        problem += f"(its {size - end:,} bytes there are not a whole record)"
        yield _broken(problem, number, location)


def _cut_short(record: Any, *, number: int, start: int) -> str | None:
    """How a record read to its end falls short of its headers, or None when it is whole."""
    if not str(record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
        # warcio reads a header block cut short as a whole record of no length.
        return (
            f"record {number:,} at byte {start:,} has no Content-Length: "
            "the file is cut off in its headers, or damaged"
        )
    missing = record.raw_stream.limit  # bytes its Content-Length promised and the file lacks
    if missing > 0:
        what = _target(record) or f"a {record.rec_type} record"
        return (
            f"the file is cut off inside record {number:,} at byte {start:,} "
            f"({what}; {missing:,} of its bytes are missing)"
        )
    return None


def _record_item(record: Any, *, start: int, location: str, settings: Settings) -> InputItem:
    """One record as a page, a skipped record, or a failed page."""
    uri = _target(record) or f"{location}#{start}"
    if record.rec_type != "response":
        return SkippedRecord(uri, f"{record.rec_type} record")
    http = record.http_headers
    if http is None:
        return SkippedRecord(uri, "response without HTTP headers")
    status = http.get_statuscode() or "?"
    if not status.startswith("2"):  # a redirect or an error page is not the article
        return SkippedRecord(uri, f"HTTP {status}")
    content_type = (
        http.get_header("Content-Type")
        or record.rec_headers.get_header("WARC-Identified-Payload-Type")
        or ""
    )
    media = content_type.split(";")[0].strip().lower()
    if media and not media.startswith(PAGE_TYPES):
        return SkippedRecord(uri, media)
    limit = settings.max_page_bytes
    body = record.content_stream().read(limit + 1)
    if len(body) > limit:
        message = f"the page is larger than the limit of {limit:,} bytes"
        return LoadedPage(uri, error=TooLargeError(message, source=uri))
    charset = _CHARSET.search(content_type)
    page = PageInput(
        uri,
        body,
        is_url=True,
        content_type=media or None,
        declared_encoding=charset.group(1) if charset else None,
    )
    try:
        return LoadedPage(uri, document_from_bytes(page))
    except StrifeError as error:
        return LoadedPage(uri, error=error)


def _broken(problem: str, complete: int, location: str) -> LoadedPage:
    whole = f"{complete:,} whole record{' was' if complete == 1 else 's were'} read before it"
    return LoadedPage(location, error=WarcError(f"{problem}; {whole}", source=location))


def _reason(exc: Exception) -> str:
    """The exception's kind and the first line of its message (warcio's run to many)."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def _target(record: Any) -> str | None:
    uri: str | None = record.rec_headers.get_header("WARC-Target-URI")
    return uri.strip("<> ") if uri else None


def _member_ended(records: Any) -> bool:
    decompressor = records.reader.decompressor if records.reader else None
    return decompressor is None or bool(getattr(decompressor, "eof", True))


def _quiet() -> contextlib.AbstractContextManager[Any]:
    return contextlib.redirect_stderr(io.StringIO())
