"""Pages in: read a file, standard input or a URL into a :class:`Document`.

Takes a location; checks size, emptiness and binary formats; gunzips ``.gz``
files; decodes the bytes (declared charset, then UTF-8, then a guess, each
fallback recorded as a warning); decides whether the page is HTML or plain
text. Fetching URLs lives in ``_fetch.py``; cleaning is left to ``clean``.
"""

from __future__ import annotations

import codecs
import gzip
import re
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from strife.document import Document, PageInput
from strife.errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
    NotFoundError,
    TooLargeError,
)
from strife.settings import Settings

STAGE = "load"

#: Leading bytes of formats that are never a news page, with a name for the message.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF media file (WebP, WAV or AVI)"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)
#: File suffixes taken as pages when a folder is expanded (each may carry ``.gz``).
PAGE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml", ".txt", ".text"})
#: Share of control bytes above which undeclared bytes are taken as binary, not text.
BINARY_CONTROL_SHARE = 0.05
#: How far into the page to look for a <meta charset> and for HTML tags.
SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# The atomic group keeps a run of leading comments linear: without it a text page opening
# with 30 comments took minutes (each split of the run into groups was tried).
# Head elements count too, since HTML lets a page omit <html>, <head> and <body>.
_HTML_START = re.compile(
    r"^\s*(?>(?:<!--.*?-->\s*)*)<(!doctype\s+html|html|head|body|script|style|meta|title|link)\b",
    re.I | re.S,
)
_TAG = re.compile(r"<(p|div|a|span|br|script|meta|title|article|h[1-6])\b", re.I)


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def expand_inputs(locations: list[str]) -> Iterator[str]:
    """Yield each location, with folders replaced by the pages inside them, sorted.

    Inside a folder only files with a page suffix (:data:`PAGE_SUFFIXES`) are
    taken, so notes and expectation files beside the pages are left alone; a
    file named on its own is always taken. A folder without pages is yielded
    itself, so that loading it reports the folder instead of passing over it.
    """
    for location in locations:
        path = Path(location)
        if is_url(location) or location == "-" or not path.is_dir():
            yield location
            continue
        found = False
        for child in sorted(path.rglob("*")):
            hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
            if child.is_file() and not hidden and _is_page_name(child):
                found = True
                yield str(child)
        if not found:
            yield location


def _is_page_name(path: Path) -> bool:
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in PAGE_SUFFIXES


def load_page(location: str, *, settings: Settings, stdin: BinaryIO | None = None) -> Document:
    """Read one page into a new Document, decoded and classified.

    Args:
        location: a file path (``.gz`` is unpacked), ``-`` for standard input,
            or an ``http(s)`` URL.
        settings: size limits and fetch options.
        stdin: the stream read for ``-``; standard input by default.

    Raises:
        InputError: the page is missing, empty, too large or binary, or the URL
            could not be fetched (:class:`~strife.errors.FetchError`).
    """
    if is_url(location):
        from strife._fetch import fetch_url

        page = fetch_url(location, settings=settings)
    elif location == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        page = PageInput("-", _read_capped(stream, location, settings.max_page_bytes))
    else:
        page = PageInput(location, _read_file(Path(location), settings.max_page_bytes))
    return document_from_bytes(page)


def document_from_bytes(page: PageInput) -> Document:
    """Check, decode and classify bytes already read."""
    raw = page.raw
    if not raw.strip():
        what = "empty" if not raw else "only white space"
        raise EmptyInputError(f"the page is {what}; nothing to clean", source=page.location)
    _refuse_binary(raw, page)
    document = Document(input=page)
    document.page_text = _without_nul(_decode(raw, page, document), document)
    # Sniff the decoded text, not the bytes, so UTF-16 pages are read like any other.
    document.page_kind = _page_kind(document.page_text, page.content_type)
    tail = document.page_text[-SNIFF_BYTES:]
    if document.page_kind == "html" and not re.search(r"</html\s*>", tail, re.I):
        document.warn("W103", STAGE, "the HTML ends without </html>; it may be truncated")
    return document


def _read_file(path: Path, limit: int) -> bytes:
    if not path.exists():
        raise NotFoundError("no such file", source=str(path))
    if path.is_dir():
        suffixes = ", ".join(sorted(PAGE_SUFFIXES))
        raise InputError(
            f"is a folder with no pages in it (files ending {suffixes}, or .gz)",
            source=str(path),
        )
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as stream:
                return _read_capped(stream, str(path), limit)
        with path.open("rb") as stream:
            return _read_capped(stream, str(path), limit)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise InputError(f"not a valid gzip file ({exc})", source=str(path)) from exc
    except PermissionError as exc:
        raise InputError("permission denied", source=str(path)) from exc
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", source=str(path)) from exc


def _read_capped(stream: BinaryIO | gzip.GzipFile, location: str, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLargeError(
            f"the page is larger than the limit of {limit:,} bytes; raise it with "
            f"--set max_page_bytes=N if this page is genuine",
            source=location,
        )
    return data


def _refuse_binary(raw: bytes, page: PageInput) -> None:
    head = raw[:16]
    for signature, name in BINARY_SIGNATURES:
        if head.startswith(signature):
            raise BinaryInputError(f"this is {name}, not a news page", source=page.location)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return  # UTF-16 text is full of NUL bytes but is text
    sample = raw[:SNIFF_BYTES]
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    if controls / len(sample) > BINARY_CONTROL_SHARE:
        raise BinaryInputError(
            f"{controls} of the first {len(sample)} bytes are control characters; "
            "this looks like binary data, not a news page",
            source=page.location,
        )


def _without_nul(text: str, document: Document) -> str:
    """The text without NUL characters: never meant in a page, and refused by PostgreSQL."""
    count = text.count("\x00")
    if count:
        document.warn("W105", STAGE, f"{count} NUL character(s) removed")
        return text.replace("\x00", "")
    return text


def _decode(raw: bytes, page: PageInput, document: Document) -> str:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace")
    declared = page.declared_encoding or _meta_charset(raw)
    if declared:
        try:
            return raw.decode(_codec_name(declared))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall through to detection
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    valid = len(text) - len(text.encode("ascii", "ignore")) - damaged
    # More good multi-byte characters than broken ones means UTF-8 with a few bad bytes (a
    # download cut mid-character); a guessed single-byte encoding would garble all the rest.
    if valid > damaged:
        document.warn("W102", STAGE, f"{damaged} invalid UTF-8 sequence(s) replaced with U+FFFD")
        return text
    return _decode_guess(raw, document)


def _decode_guess(raw: bytes, document: Document) -> str:
    """Decode with charset_normalizer's best guess (W101), or UTF-8 with replacements (W102)."""
    from charset_normalizer import from_bytes

    matches = from_bytes(raw)
    best = matches.best()
    if best is not None:
        # Undeclared Western pages are windows-1252 far more often than its look-alikes (it
        # is the WHATWG default), so it wins a tie: "Peña" rather than cp1250's "Peńa".
        for match in matches:
            if (
                "cp1252" in match.could_be_from_charset
                and match.chaos <= best.chaos
                and match.coherence >= best.coherence
            ):
                best = match
                break
        # Name cp1252 when it gives the same text as the guess, so the warning is not puzzling.
        encoding = "cp1252" if "cp1252" in best.could_be_from_charset else best.encoding
        document.warn("W101", STAGE, f"not valid UTF-8; decoded as {encoding} (a guess)")
        return str(best)
    document.warn("W102", STAGE, "undecodable bytes were replaced with U+FFFD")
    return raw.decode("utf-8", errors="replace")


def _meta_charset(raw: bytes) -> str | None:
    match = _META_CHARSET.search(raw[:SNIFF_BYTES])
    if not match:
        return None
    label = match.group(1).decode("ascii", "ignore")
    # The <meta> was readable as ASCII, so the page cannot be UTF-16/32 whatever it says;
    # browsers take such a label as UTF-8 (WHATWG "prescan a byte stream").
    if label.lower().replace("-", "").replace("_", "").startswith(("utf16", "utf32")):
        return "utf-8"
    return label


def _codec_name(declared: str) -> str:
    name = codecs.lookup(declared.strip().strip("\"'")).name
    # Browsers read pages labelled Latin-1 as windows-1252 (WHATWG Encoding), so do we.
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


def _page_kind(text: str, content_type: str | None) -> str:
    if content_type:
        if "html" in content_type:
            return "html"
        if content_type.startswith("text/plain"):
            return "text"
    head = text[:SNIFF_BYTES].lstrip("\ufeff")
    if _HTML_START.match(head):
        return "html"
    return "html" if len(_TAG.findall(head)) >= 3 else "text"
