"""Parquet shards: the Ray engine's output, written by the driver and loaded into the store.

Takes the shard rows the workers return (:data:`~strife.scale._worker.SHARD_COLUMNS`),
drops any row whose page key was already written (a task Ray ran again after a fault
returns its pages a second time), and appends the rest to ``pages-NNNNN.parquet``
files of at most :data:`SHARD_ROWS` rows, on any filesystem pyarrow writes. Reading
them back gives each page as a :class:`~strife.pipeline.PageResult` (its raw bytes
restored, for the store), as a page the record held already, or as a record passed
over. The store is left to the engine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from strife._ingest_work import error_from_wire
from strife.document import Document, PageInput
from strife.pipeline import PageResult
from strife.scale._worker import SHARD_COLUMNS

#: Rows per shard file: a few thousand pages (tens of MB of HTML) per file.
SHARD_ROWS = 4_096
#: The name pattern of shard files, numbered from 0.
SHARD_NAME = "pages-{:05d}.parquet"


def shard_schema() -> Any:
    """The pyarrow schema of a shard file."""
    import pyarrow as pa

    types = {
        "is_url": pa.bool_(),
        "raw": pa.binary(),
        "events": pa.int32(),
        "already_stored": pa.bool_(),
    }
    return pa.schema([pa.field(name, types.get(name, pa.string())) for name in SHARD_COLUMNS])


@dataclass(slots=True)
class ShardTally:
    """What the rows written so far hold."""

    pages: int = 0
    failed: int = 0
    skipped: int = 0
    #: Pages not extracted: the record held their bytes already (counted in ``pages``).
    already_stored: int = 0
    #: Rows dropped because their page key was written already (a task run twice).
    repeated: int = 0


class ShardWriter:
    """Append shard rows to numbered Parquet files in a folder, each page key once."""

    def __init__(self, folder: str) -> None:
        from pyarrow import fs

        self.filesystem, self.folder = fs.FileSystem.from_uri(_as_uri(folder))
        self.filesystem.create_dir(self.folder, recursive=True)
        self.tally = ShardTally()
        self.files: list[str] = []
        self._written: set[str] = set()
        self._writer: Any = None
        self._rows = 0

    def write(self, table: Any) -> None:
        """Write a table of shard rows, less those whose key is written already."""
        import pyarrow as pa

        rows = [row for row in table.select(list(SHARD_COLUMNS)).to_pylist() if self._first(row)]
        if not rows:
            return
        if self._writer is None or self._rows >= SHARD_ROWS:
            self._open_next()
        self._writer.write_table(pa.Table.from_pylist(rows, schema=shard_schema()))
        self._rows += len(rows)
        for row in rows:
            if row["skipped"] is not None:
                self.tally.skipped += 1
            else:
                self.tally.pages += 1
                self.tally.failed += row["error_code"] is not None
                self.tally.already_stored += bool(row["already_stored"])

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def _first(self, row: dict[str, Any]) -> bool:
        if row["key"] in self._written:
            self.tally.repeated += 1
            return False
        self._written.add(row["key"])
        return True

    def _open_next(self) -> None:
        import pyarrow.parquet as pq

        self.close()
        path = f"{self.folder.rstrip('/')}/{SHARD_NAME.format(len(self.files))}"
        self.files.append(path)
        self._writer = pq.ParquetWriter(path, shard_schema(), filesystem=self.filesystem)
        self._rows = 0


@dataclass(slots=True)
class ShardPage:
    """One row of a shard read back: a page's result, a page stored already, or a record
    passed over."""

    result: PageResult | None = None
    skipped: str | None = None
    already_stored: bool = False


def read_shards(writer: ShardWriter, *, batch_size: int) -> Iterator[list[ShardPage]]:
    """The pages of the shards ``writer`` wrote, in order, ``batch_size`` at a time."""
    import pyarrow.parquet as pq

    for path in writer.files:
        with writer.filesystem.open_input_file(path) as stream:
            for batch in pq.ParquetFile(stream).iter_batches(batch_size=batch_size):
                yield [_shard_page(row) for row in batch.to_pylist()]


def _shard_page(row: dict[str, Any]) -> ShardPage:
    if row["skipped"] is not None:
        return ShardPage(skipped=row["skipped"])
    if row["already_stored"]:
        return ShardPage(already_stored=True)
    location = row["location"]
    if row["document"] is None:
        wire = {
            "code": row["error_code"],
            "message": row["error_message"],
            "source": location,
            "stage": row["error_stage"],
            "document_id": None,
        }
        return ShardPage(PageResult(location, error=error_from_wire(wire)))
    document = Document.from_dict(json.loads(row["document"]))
    # The store keeps the page's bytes: the shard carries them beside the document.
    document.input = PageInput(
        location,
        row["raw"],
        is_url=row["is_url"],
        content_type=row["content_type"],
        sha256=row["sha256"],
    )
    return ShardPage(PageResult(location, document))


def _as_uri(folder: str) -> str:
    """A local folder as a ``file://`` URI (absolute), anything else as given."""
    if "://" in folder:
        return folder
    from pathlib import Path

    return Path(folder).resolve().as_uri()
