"""The Ray engine's workers: page rows in, shard rows out, the pipeline built once per actor.

:class:`ExtractPages` is the callable class handed to ``map_batches``: Ray Data
starts it as an actor, so its ``__init__`` (the spaCy model, the gazetteer) runs
once per worker, and each call takes a whole batch of page rows. A page is loaded
from its raw bytes here (:func:`strife.load.document_from_bytes`), runs through the
same stages as a local ingest (:func:`strife._ingest_work.ingest_pipeline`), and
leaves as one shard row: its strife/1 document as JSON, or its error. A page whose
bytes the record holds already (asked of :class:`~strife.scale._known.KnownPages`,
once per batch) is not loaded at all: its row says ``already_stored``. Storing is
left to the driver (:mod:`strife.scale._shards`).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from datetime import date, datetime
from typing import Any

from strife._ingest_work import ingest_pipeline
from strife.document import Document, PageInput
from strife.errors import StrifeError
from strife.load import document_from_bytes
from strife.pipeline import PageResult
from strife.settings import Settings

#: The columns of a shard row, in order (see docs/scale.md).
SHARD_COLUMNS = (
    "key",
    "location",
    "sha256",
    "is_url",
    "content_type",
    "raw",
    "document",
    "events",
    "error_code",
    "error_message",
    "error_stage",
    "skipped",
    "already_stored",
    "worker",
)


class ExtractPages:
    """Run the extraction stages over batches of page rows, in one Ray worker."""

    def __init__(self, *, settings: Settings, known: Any | None = None) -> None:
        """``known``: a :class:`~strife.scale._known.KnownPages` actor, or None (no check)."""
        self.settings = settings
        self.known = known
        self.pipeline, self.given = ingest_pipeline()
        #: Which process made a row: where to look when a page misbehaves.
        self.worker = f"{socket.gethostname()}:{os.getpid()}"

    def __call__(self, batch: Any) -> dict[str, list[Any]]:
        rows: list[dict[str, Any]] = batch.to_pylist()
        out: dict[str, list[Any]] = {name: [] for name in SHARD_COLUMNS}
        documents: list[Document] = []
        waiting: list[dict[str, Any]] = []  # rows whose document runs through the stages
        self.given.given = {}
        stored = self._stored(rows)
        for row in rows:
            if row["skipped"] is not None or row["error_code"] is not None:
                self._add(out, row, None)
                continue
            if row["sha256"] in stored:
                self._add(out, row, None, already_stored=True)
                continue
            try:
                document = document_from_bytes(_page_input(row))
            except StrifeError as error:
                self._add(out, row, PageResult(row["location"], error=error))
                continue
            if row["published"]:
                self.given.given[document.input.sha256] = _parse_published(row["published"])
            documents.append(document)
            waiting.append(row)
        results = self.pipeline.run_batch(documents, settings=self.settings)
        for row, result in zip(waiting, results, strict=True):
            self._add(out, row, result)
        return out

    def _stored(self, rows: list[dict[str, Any]]) -> set[str]:
        """Give each page row its digest; the digests the record holds already."""
        for row in rows:
            row["sha256"] = hashlib.sha256(row["raw"]).hexdigest() if row["raw"] else None
        if self.known is None:
            return set()
        import ray

        hashes = [row["sha256"] for row in rows if row["sha256"]]
        return set(ray.get(self.known.known.remote(hashes))) if hashes else set()

    def _add(
        self,
        out: dict[str, list[Any]],
        row: dict[str, Any],
        result: PageResult | None,
        *,
        already_stored: bool = False,
    ) -> None:
        shard: dict[str, Any] = dict.fromkeys(SHARD_COLUMNS)
        shard.update(
            key=row["key"],
            location=row["location"],
            is_url=row["is_url"],
            content_type=row["content_type"],
            skipped=row["skipped"],
            error_code=row["error_code"],
            error_message=row["error_message"],
            already_stored=already_stored,
            worker=self.worker,
        )
        if already_stored:  # its bytes are in the record: the shard keeps only their digest
            shard["sha256"] = row["sha256"]
        if result is not None and result.document is not None:
            data = result.document.to_dict()
            shard.update(
                sha256=result.document.input.sha256,
                raw=row["raw"],
                document=json.dumps(data, ensure_ascii=False),
                events=len(data["events"]),
            )
        elif result is not None and result.error is not None:
            shard.update(
                error_code=result.error.code,
                error_message=result.error.message,
                error_stage=getattr(result.error, "stage", None),
            )
        for name, value in shard.items():
            out[name].append(value)


def _page_input(row: dict[str, Any]) -> PageInput:
    return PageInput(
        row["location"],
        row["raw"],
        is_url=row["is_url"],
        content_type=row["content_type"],
        declared_encoding=row["declared_encoding"],
        sha256=row["sha256"] or "",
    )


def _parse_published(value: str) -> date | datetime:
    return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
