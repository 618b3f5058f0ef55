"""The Ray engine's inputs: which files a run reads, and their records as rows of pages.

Takes the command line's inputs (WARC, JSON Lines and Parquet files or folders,
local or as URIs that pyarrow opens, such as ``s3://`` or ``gs://``) and plans
them in the driver, without reading them. The reading itself runs in Ray tasks:
:func:`read_records` turns one WARC or JSON Lines file into page rows, with the
same rules and locations as :mod:`strife.inputs` (it reuses their record readers),
and :func:`parquet_pages` does the same for rows read by ``ray.data.read_parquet``.
A page row carries the raw bytes, not a loaded document: loading is left to the
workers (:mod:`strife.scale._worker`).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from strife.errors import InputError, NotFoundError, StrifeError
from strife.inputs import InputItem, LoadedPage, SkippedRecord, expand_inputs
from strife.inputs.jsonl import JSONL_SUFFIXES, count_lines
from strife.settings import Settings

#: Page rows a reading task hands on at a time: a large file streams, never sits whole.
ROWS_PER_CHUNK = 256
#: Fields of a Parquet page row taken as JSON Lines fields (others are left alone).
PARQUET_FIELDS = ("html", "text", "url", "id", "published")
#: The columns of a page row, in order.
PAGE_COLUMNS = (
    "key",
    "location",
    "raw",
    "is_url",
    "content_type",
    "declared_encoding",
    "published",
    "error_code",
    "error_message",
    "skipped",
)


def page_schema() -> Any:
    """The pyarrow schema of page rows (explicit: a chunk of failures alone has no bytes)."""
    import pyarrow as pa

    types = {"raw": pa.binary(), "is_url": pa.bool_()}
    return pa.schema([pa.field(name, types.get(name, pa.string())) for name in PAGE_COLUMNS])


@dataclass(frozen=True, slots=True)
class PlannedInput:
    """One file (or Parquet folder) to read, with its kind and its place in the run."""

    index: int
    location: str
    kind: str  # "jsonl", "warc" or "parquet"


def plan_inputs(inputs: Sequence[str]) -> list[PlannedInput]:
    """The files a run reads, in order; a local folder gives its WARC and Parquet files.

    Raises:
        InputError: an input is a page file, a feed or a URL (read those without
            ``--engine ray``), or a local folder holds nothing to read.
        NotFoundError: a local input does not exist.
    """
    planned: list[PlannedInput] = []
    for location in inputs:
        if _is_uri(location):
            planned.append(PlannedInput(len(planned), location, _uri_kind(location)))
            continue
        path = Path(location)
        if not path.exists():
            raise NotFoundError("no such file or folder", source=location)
        files = [str(path.resolve())] if path.is_file() else _folder_files(path)
        for found in files:
            planned.append(PlannedInput(len(planned), found, _file_kind(found)))
    return planned


def count_planned(planned: Sequence[PlannedInput]) -> int | None:
    """How many records the inputs hold, for progress, when it is cheap to tell.

    Local JSON Lines files count their lines and Parquet inputs their rows (from the
    files' footers); a WARC file or a remote JSON Lines file makes the total unknown.
    """
    total = 0
    for item in planned:
        if item.kind == "parquet":
            import pyarrow.dataset as pads

            total += pads.dataset(item.location, format="parquet").count_rows()
        elif item.kind == "jsonl" and not _is_uri(item.location):
            total += count_lines(Path(item.location))
        else:
            return None
    return total


def read_records(batch: Any, *, settings: Settings) -> Iterator[Any]:
    """Each page of the planned WARC and JSON Lines files of ``batch``, in tables of rows.

    A Ray ``map_batches`` function (a generator, so a large file streams).
    """
    chunk = _Chunk()
    for index, location, kind in zip(batch["index"], batch["location"], batch["kind"], strict=True):
        for number, item in enumerate(_read_file(str(location), str(kind), settings=settings)):
            chunk.add(f"{int(index):06d}:{number:012d}", item)
            if chunk.size >= ROWS_PER_CHUNK:
                yield chunk.table()
                chunk = _Chunk()
    if chunk.size:
        yield chunk.table()


class ParquetNames:
    """The name of each file of one Parquet input, as the input gives it.

    ``ray.data.read_parquet`` gives a row's file as its path on the filesystem,
    without the URI's scheme and host (``bucket/day/part-0.parquet`` for
    ``s3://bucket/day/``): the input's own prefix is put back, so a page read by URI
    is named by URI (issue 7).
    """

    def __init__(self, location: str) -> None:
        self.location = location.rstrip("/")
        self.base = self.location
        if _is_uri(location):
            _, self.base = _open_filesystem(location)

    def name(self, path: str) -> str:
        """``path``, as Ray Data gives it, named after the input."""
        if path.startswith(self.base):
            return self.location + path[len(self.base) :]
        return path


def parquet_pages(batch: Any, *, settings: Settings, names: ParquetNames) -> Any:
    """Rows of Parquet page files (``html`` or ``text``, ``url``, ``id``, ``published``)
    as page rows, read as JSON Lines records are; a Ray ``map_batches`` function.

    A row with neither ``url`` nor ``id`` is named ``FILE#`` and a digest of its fields.
    """
    from strife.inputs.jsonl import jsonl_page  # the JSON Lines record rules, shared

    chunk = _Chunk()
    present = [name for name in PARQUET_FIELDS if name in batch.column_names]
    for row in batch.select([*present, "path"]).to_pylist():
        path = names.name(row.pop("path"))
        record = {name: _json_value(value) for name, value in row.items() if value is not None}
        line = json.dumps(record, sort_keys=True)
        digest = hashlib.sha256(line.encode("utf-8")).hexdigest()[:16]
        where = f"{path}#{digest}"
        try:
            item: InputItem = jsonl_page(line, where=where, path=path, settings=settings)
        except StrifeError as error:
            error.source = error.source or where
            item = LoadedPage(where, error=error)
        chunk.add(f"{path}#{digest}", item)
    return chunk.table()


def _read_file(location: str, kind: str, *, settings: Settings) -> Iterator[InputItem]:
    """The records of one WARC or JSON Lines file; a file that cannot be read is one failure."""
    from strife.inputs.jsonl import jsonl_page
    from strife.inputs.warc import warc_records

    try:
        filesystem, path = _open_filesystem(location)
        if kind == "warc":
            # Opened as a file, not a stream: pyarrow would gunzip it, and warcio reads
            # the gzip members itself.
            size = filesystem.get_file_info(path).size
            with filesystem.open_input_file(path) as raw:
                yield from warc_records(raw, size=size, location=location, settings=settings)
            return
        with filesystem.open_input_stream(path) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", errors="replace")
            for number, line in enumerate(text, start=1):
                if line.strip():
                    where = f"{location}:{number}"
                    try:
                        yield jsonl_page(line, where=where, path=location, settings=settings)
                    except StrifeError as error:
                        error.source = error.source or where
                        yield LoadedPage(where, error=error)
    except Exception as exc:  # a missing or unreadable file fails itself, not the run
        message = f"cannot be read ({type(exc).__name__}: {exc})"
        yield LoadedPage(location, error=InputError(message, source=location))


class _Chunk:
    """Page rows gathered column by column."""

    def __init__(self) -> None:
        self.data: dict[str, list[Any]] = {name: [] for name in PAGE_COLUMNS}

    @property
    def size(self) -> int:
        return len(self.data["key"])

    def add(self, key: str, item: InputItem) -> None:
        row: dict[str, Any] = dict.fromkeys(PAGE_COLUMNS)
        row.update(key=key, location=item.location, is_url=False)
        if isinstance(item, SkippedRecord):
            row["skipped"] = item.reason
        elif item.error is not None or item.document is None:
            error = item.error or InputError("no page was read", source=item.location)
            row.update(error_code=error.code, error_message=error.message)
        else:
            page = item.document.input
            published = item.published.isoformat() if item.published is not None else None
            row.update(
                raw=page.raw,
                is_url=page.is_url,
                content_type=page.content_type,
                declared_encoding=page.declared_encoding,
                published=published,
            )
        for name, value in row.items():
            self.data[name].append(value)

    def table(self) -> Any:
        import pyarrow as pa

        return pa.Table.from_pydict(self.data, schema=page_schema())


def _open_filesystem(location: str) -> tuple[Any, str]:
    from pyarrow import fs

    if _is_uri(location):
        return fs.FileSystem.from_uri(location)  # type: ignore[no-any-return]
    return fs.LocalFileSystem(), location


def _json_value(value: Any) -> Any:
    """A Parquet value as JSON takes it: a timestamp or date as ISO-8601."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def _is_uri(location: str) -> bool:
    return "://" in location and not location.startswith(("http://", "https://"))


def _uri_kind(location: str) -> str:
    kind = _suffix_kind(location)
    return kind or "parquet"  # a URI with no known suffix is a folder of Parquet files


def _file_kind(location: str) -> str:
    kind = _suffix_kind(location)
    if kind is None:
        raise InputError(
            "the Ray engine reads WARC, JSON Lines and Parquet files; "
            "ingest page files, feeds and URLs without --engine ray",
            source=location,
        )
    return kind


def _suffix_kind(location: str) -> str | None:
    name = location.lower().rstrip("/")
    if name.endswith((".warc", ".warc.gz")):
        return "warc"
    if name.endswith(".parquet"):
        return "parquet"
    bare = name.removesuffix(".gz")
    if any(bare.endswith(suffix) for suffix in JSONL_SUFFIXES):
        return "jsonl"
    if name.startswith(("http://", "https://")):
        raise InputError("the Ray engine does not fetch URLs; ingest them without --engine ray")
    return None


def _folder_files(folder: Path) -> list[str]:
    """A folder's WARC and Parquet files (JSON Lines only when named, as without Ray)."""
    found = [
        location
        for location in expand_inputs([str(folder)])
        if Path(location).is_file() and _suffix_kind(location) == "warc"
    ]
    found += [str(path.resolve()) for path in sorted(folder.rglob("*.parquet"))]
    if not found:
        raise InputError("holds no WARC or Parquet files", source=str(folder))
    return [str(Path(location).resolve()) for location in found]
