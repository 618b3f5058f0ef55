"""The text exports: CSV (ACLED-like), JSON Lines (``strife/1`` records) and GeoJSON.

Each writer takes record events and an open text stream, writes one event at a
time (nothing is held in memory but the event being written) and returns how
many it wrote. Opening, closing and error translation are left to
:func:`strife.export.write_export`.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import IO, Any

from strife.errors import InputError
from strife.export._flat import COLUMNS, JOINER, flatten_event

#: A cell starting with one of these is read as a formula by spreadsheets (OWASP's
#: CSV injection list); scraped text reaches the cells, so such cells are defused.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A plain number is left alone: a spreadsheet reads "-3.5" as a number, not a formula.
PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def write_csv(records: Iterable[Mapping[str, Any]], stream: IO[str]) -> int:
    """Write one CSV row per record event, ACLED's columns first, with a header row.

    Args:
        records: record events.
        stream: a text stream opened with ``newline=""`` (the csv module writes ``\\r\\n``).

    Returns:
        The number of rows written, the header not counted.
    """
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    count = 0
    for event in records:
        row = flatten_event(event)
        writer.writerow([csv_cell(row[column]) for column in COLUMNS])
        count += 1
    return count


def csv_cell(value: Any) -> str:
    """One value as CSV text: empty for null, lists joined ACLED's way, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        value = JOINER.join(str(item) for item in value)
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        # The apostrophe makes spreadsheets show the cell as text and run nothing.
        return "'" + text
    return text


def write_jsonl(records: Iterable[Mapping[str, Any]], stream: IO[str]) -> int:
    """Write each record event as one line of JSON, unchanged (the ``strife/1`` record).

    Returns:
        The number of lines written.
    """
    count = 0
    for event in records:
        stream.write(_json(dict(event), event.get("id")) + "\n")
        count += 1
    return count


def write_geojson(records: Iterable[Mapping[str, Any]], stream: IO[str]) -> int:
    """Write a GeoJSON FeatureCollection, one feature per record event, as it goes.

    The geometry is a Point ``[lon, lat]`` (RFC 7946 order) or ``null`` when the
    event has no coordinates; the properties are the flat row's columns.

    Returns:
        The number of features written.
    """
    stream.write('{"type": "FeatureCollection", "features": [')
    count = 0
    for event in records:
        stream.write(",\n" if count else "\n")
        stream.write(_json(_feature(flatten_event(event)), event.get("id")))
        count += 1
    stream.write("\n]}\n")
    return count


def _feature(row: Mapping[str, Any]) -> dict[str, Any]:
    lat, lon = row["latitude"], row["longitude"]
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None else None
    properties = {column: _plain(value) for column, value in row.items()}
    return {
        "type": "Feature",
        "id": row["event_id_cnty"],
        "geometry": geometry,
        "properties": properties,
    }


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _json(value: Any, event_id: Any) -> str:
    # ensure_ascii=False keeps place names readable; allow_nan=False refuses to write
    # NaN or Infinity, which are not JSON.
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, default=_json_default)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"record event {event_id!r} cannot be written as JSON: {exc}; "
            "fix the record before exporting it",
            source="export",
        ) from exc


def _json_default(value: Any) -> Any:
    """Dates that reach a record as objects (``date``/``datetime``) are written as ISO-8601."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
