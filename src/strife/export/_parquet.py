"""The Parquet export: the flat row as typed columns, plus the nested record.

Takes record events and an open binary stream; writes them with pyarrow's
``ParquetWriter`` in batches of :data:`BATCH_ROWS` (one row group each), so a
large export never sits in memory whole. The schema is given explicitly, so an
export of no events still has every column with its type.

Besides the flat columns (see ``_flat.py``), four columns keep the record's
nested parts: ``actors``, ``sources``, ``reports`` and ``claims``, each a
``list<struct>``. pyarrow is imported here only, so ``import strife`` stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import IO, Any

from strife.errors import InputError
from strife.export._flat import COLUMNS, flatten_event

#: Rows per batch and row group: large enough to compress well, small enough that a
#: batch of events with many claims each stays a few tens of megabytes in memory.
BATCH_ROWS = 2_048

#: The type of each flat column that is not a string (strings are the default).
_FLAT_TYPES = {
    "event_date": "date32",
    "year": "int32",
    "time_precision": "int8",
    "iso": "int32",
    "latitude": "float64",
    "longitude": "float64",
    "geo_precision": "int8",
    "fatalities": "int64",
    "timestamp": "int64",
    "fatalities_low": "int64",
    "fatalities_high": "int64",
    "injuries": "int64",
    "independent_sources": "int32",
    "corroborated": "bool",
    "disputed": "list<string>",
    "articles": "int32",
    "date_start": "date32",
    "date_end": "date32",
}


def parquet_schema() -> Any:
    """The export's pyarrow schema: the flat columns in order, then the nested ones."""
    import pyarrow as pa

    simple = {
        "string": pa.string(),
        "date32": pa.date32(),
        "int8": pa.int8(),
        "int32": pa.int32(),
        "int64": pa.int64(),
        "float64": pa.float64(),
        "bool": pa.bool_(),
        "list<string>": pa.list_(pa.string()),
    }
    fields = [pa.field(c, simple[_FLAT_TYPES.get(c, "string")]) for c in COLUMNS]
    return pa.schema(fields + _nested_fields(pa))


def _nested_fields(pa: Any) -> list[Any]:
    text, count = pa.string(), pa.int64()
    actor = pa.struct(
        [
            ("role", text),
            ("text", text),
            ("kind", text),
            ("country", text),
            ("sources", pa.list_(text)),
        ]
    )
    source = pa.struct([("name", text), ("kind", text), ("articles", pa.list_(count))])
    article = pa.struct(
        [
            ("id", count),
            ("location", text),
            ("title", text),
            ("published", text),
            ("publisher", text),
        ]
    )
    report = pa.struct(
        [
            ("article", article),
            ("event", text),
            ("score", pa.float64()),
            ("reasons", pa.map_(text, pa.float64())),
            ("method", text),
        ]
    )
    claim = pa.struct(
        [
            ("source", text),
            ("source_kind", text),
            ("article", count),
            ("property", text),
            ("value_number", count),
            ("value_label", text),
            ("low", count),
            ("high", count),
            ("qualifier", text),
            ("hedge", text),
            ("text", text),
            ("start", count),
            ("end", count),
        ]
    )
    return [
        pa.field("actors", pa.list_(actor)),
        pa.field("sources", pa.list_(source)),
        pa.field("reports", pa.list_(report)),
        pa.field("claims", pa.list_(claim)),
    ]


def write_parquet(records: Iterable[Mapping[str, Any]], stream: IO[bytes]) -> int:
    """Write the record events as one Parquet file, a row group per batch.

    Args:
        records: record events.
        stream: a binary stream (a file opened ``"wb"``, ``sys.stdout.buffer``).

    Returns:
        The number of rows written.

    Raises:
        InputError: a value does not fit its column (a count beyond 64 bits, a
            string where a number belongs); the message names the batch's events.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    count = 0
    with pq.ParquetWriter(stream, schema) as writer:
        for rows in _batches((_parquet_row(event) for event in records), BATCH_ROWS):
            writer.write_batch(_record_batch(pa, rows, schema))
            count += len(rows)
    return count


def _record_batch(pa: Any, rows: list[dict[str, Any]], schema: Any) -> Any:
    try:
        return pa.RecordBatch.from_pylist(rows, schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as exc:
        first, last = rows[0]["event_id_cnty"], rows[-1]["event_id_cnty"]
        raise InputError(
            f"record events {first!r} to {last!r}: a value does not fit its Parquet "
            f"column ({exc}); fix the record before exporting it",
            source="export",
        ) from exc


def _batches(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    while batch := list(islice(rows, size)):
        yield batch


def _parquet_row(event: Mapping[str, Any]) -> dict[str, Any]:
    row = flatten_event(event)
    row["actors"] = [_actor(a) for a in event.get("actors") or []]
    row["sources"] = [_source(s) for s in event.get("sources") or []]
    row["reports"] = [_report(r) for r in event.get("reports") or []]
    row["claims"] = [_claim(c) for c in event.get("claims") or []]
    return row


def _actor(actor: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "role": actor.get("role"),
        "text": actor.get("text"),
        "kind": actor.get("kind"),
        "country": actor.get("country"),
        "sources": list(actor.get("sources") or []),
    }


def _source(source: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": source.get("name"),
        "kind": source.get("kind"),
        "articles": list(source.get("articles") or []),
    }


def _report(report: Mapping[str, Any]) -> dict[str, Any]:
    article = report.get("article") or {}
    return {
        "article": {
            "id": article.get("id"),
            "location": article.get("location"),
            "title": article.get("title"),
            # Kept as written: a UTC timestamp would lose the page's own offset.
            "published": article.get("published"),
            "publisher": article.get("publisher"),
        },
        "event": report.get("event"),
        "score": report.get("score"),
        "reasons": list((report.get("reasons") or {}).items()),
        "method": report.get("method"),
    }


def _claim(claim: Mapping[str, Any]) -> dict[str, Any]:
    value = claim.get("value")
    # A claim's value is a figure (fatalities) or an actor kind (perpetrator): one
    # column for each, since a Parquet column has one type.
    number = value if isinstance(value, int) and not isinstance(value, bool) else None
    return {
        "source": claim.get("source"),
        "source_kind": claim.get("source_kind"),
        "article": claim.get("article"),
        "property": claim.get("property"),
        "value_number": number,
        "value_label": value if isinstance(value, str) else None,
        "low": claim.get("low"),
        "high": claim.get("high"),
        "qualifier": claim.get("qualifier"),
        "hedge": claim.get("hedge"),
        "text": claim.get("text"),
        "start": claim.get("start"),
        "end": claim.get("end"),
    }
