"""Exports of the record: CSV (ACLED-like), JSON Lines, GeoJSON and Parquet.

Takes record events (the events of the linked record, merged across articles,
as plain dicts; their shape is in ``docs/export.md``) and writes them in one of
:data:`FORMATS` to a path or an open stream, one event at a time. It adds
nothing to the record: the flat rows of CSV, GeoJSON and Parquet come from
:func:`flatten_event`, whose every mapping to ACLED's columns is written down in
``docs/export.md``. Choosing the events and parsing the command line are left to
the caller (``strife export``).

A path is written through a hidden ``.part`` file beside it that replaces the
path only once the export is complete, so a failed export (a full disk, a bad
record) leaves no truncated file behind and an older export intact.
"""

from __future__ import annotations

import errno
import io
import os
import secrets
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any, cast

from strife.errors import DiskFullError, ExportError, SettingsError
from strife.export._flat import ACLED_COLUMNS, COLUMNS, STRIFE_COLUMNS, flatten_event
from strife.export._parquet import parquet_schema, write_parquet
from strife.export._text import write_csv, write_geojson, write_jsonl

__all__ = [
    "ACLED_COLUMNS",
    "COLUMNS",
    "FORMATS",
    "STRIFE_COLUMNS",
    "flatten_event",
    "parquet_schema",
    "write_csv",
    "write_export",
    "write_geojson",
    "write_jsonl",
    "write_parquet",
]

#: The export formats, by the name ``strife export --format`` takes.
FORMATS = ("csv", "jsonl", "geojson", "parquet")

_TextWriter = Callable[[Iterable[Mapping[str, Any]], IO[str]], int]
_TEXT_WRITERS: dict[str, _TextWriter] = {
    "csv": write_csv,
    "jsonl": write_jsonl,
    "geojson": write_geojson,
}


def write_export(
    records: Iterable[Mapping[str, Any]],
    out: str | os.PathLike[str] | IO[str] | IO[bytes],
    *,
    format: str,
) -> int:
    """Write record events in one format to a file or a stream.

    Args:
        records: record events, read once, one at a time.
        out: a path (replaced only when the export is complete), or an open stream:
            text or binary for csv, jsonl and geojson (UTF-8 is written to a binary
            one), binary for parquet. A stream is flushed, never closed.
        format: one of :data:`FORMATS`.

    Returns:
        The number of events written.

    Raises:
        SettingsError: an unknown format, or parquet asked of a text stream.
        DiskFullError: the disk filled up while writing.
        ExportError: the output cannot be written (no such folder, no permission).
        InputError: a record event cannot be written (a bad date, a count too large
            for Parquet); the message names the event.
    """
    if format not in FORMATS:
        raise SettingsError(
            f"unknown export format {format!r}; use one of: {', '.join(FORMATS)}",
            source="export",
        )
    if isinstance(out, str | os.PathLike):
        return _write_file(records, Path(out), format)
    try:
        return _write_stream(records, out, format)
    except OSError as exc:
        raise _write_error(exc, str(getattr(out, "name", "the output stream"))) from exc


def _write_file(records: Iterable[Mapping[str, Any]], path: Path, format: str) -> int:
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        # "x": a new file with the usual permissions, never someone else's.
        with partial.open("xb") as stream:
            count = _write_stream(records, stream, format)
        partial.replace(path)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _write_error(exc, str(path)) from exc
        raise
    return count


def _write_stream(
    records: Iterable[Mapping[str, Any]], stream: IO[str] | IO[bytes], format: str
) -> int:
    text_stream = isinstance(stream, io.TextIOBase)
    if format == "parquet":
        if text_stream:
            raise SettingsError(
                "Parquet is binary: give a path or a binary stream (sys.stdout.buffer)",
                source="export",
            )
        count = write_parquet(records, cast(IO[bytes], stream))
    elif text_stream:
        count = _TEXT_WRITERS[format](records, cast(IO[str], stream))
    else:
        text = io.TextIOWrapper(cast(IO[bytes], stream), encoding="utf-8", newline="")
        count = _TEXT_WRITERS[format](records, text)
        # Detaching flushes the text layer and leaves the caller's stream open.
        text.detach()
    # Buffered bytes are where a full disk shows itself: fail here, not at close.
    stream.flush()
    return count


def _write_error(exc: OSError, target: str) -> ExportError | DiskFullError:
    if exc.errno == errno.ENOSPC:
        return DiskFullError(
            "no space left on the device while writing the export; "
            "free some space, or export to another disk",
            source=target,
        )
    if isinstance(exc, FileNotFoundError):
        return ExportError(
            f"the folder {os.path.dirname(target) or '.'} does not exist; "
            "create it or choose another output path",
            source=target,
        )
    if isinstance(exc, PermissionError):
        return ExportError("permission denied; choose a folder you can write to", source=target)
    if isinstance(exc, IsADirectoryError):
        return ExportError("this is a folder; give a file name to export to", source=target)
    return ExportError(
        f"the export cannot be written ({exc.strerror or exc}); check the output path",
        source=target,
    )
