"""A person's corrections and confirmations of an incident's fields, laid over the automatic record.

Takes a field name of :data:`FIELDS` and the value a person gives as text,
checks it (:func:`parse_value`), and, each time ``linking.refresh_incident``
rebuilds an incident's summary from its reports, lays the latest correction of
each field over the automatic value (:func:`apply_corrections`). The record
event then says, under ``corrections``, which fields a person set or checked,
who, when, why, and what the automatic value is now, so both stay visible.
Storing the rows and writing the revision is ``records.review_field``'s job.

A confirmation pins the value it confirmed, as a correction does: a person
checked it, so a later report does not silently replace it; the automatic
value is still shown beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from strife.errors import CorrectionError
from strife.extract.actors import classify_actor
from strife.extract.events import MAX_PLAUSIBLE_COUNT
from strife.store.models import FieldCorrectionRow
from strife.taxonomy import EVENT_TYPES, codes

#: Place and actor names longer than this are a paste gone wrong, not a name.
MAX_NAME_CHARS = 200
#: A note is a sentence or two for the history.
MAX_NOTE_CHARS = 2000
#: Dates before this are not news; extraction ignores them too (W602).
EARLIEST_DATE = date(1900, 1, 1)
#: Control characters have no place in a name shown on pages and in exports.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class _Field:
    """How one correctable field is read from a record event, checked, and written back."""

    help: str
    parse: Callable[[str], Any]
    read: Callable[[dict[str, Any]], Any]
    write: Callable[[dict[str, Any], Any], None]


def parse_value(field: str, text: str) -> Any:
    """The value ``text`` gives for ``field``, checked.

    Raises:
        CorrectionError: an unknown field, or a value that field cannot take.
    """
    return _field(field).parse(text.strip())


def field_value(record: dict[str, Any], field: str) -> Any:
    """The value a record event shows for ``field`` (as :func:`parse_value` returns it)."""
    return _field(field).read(record)


def check_note(note: str | None) -> str | None:
    """The note, stripped (None when empty); raises CorrectionError when it is too long."""
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise CorrectionError(f"a note has at most {MAX_NOTE_CHARS} characters")
    return note or None


def apply_corrections(session: Session, public_id: str, record: dict[str, Any]) -> None:
    """Lay the latest correction of each field over ``record``; list them under ``corrections``."""
    statement = (
        select(FieldCorrectionRow)
        .where(FieldCorrectionRow.incident_public_id == public_id)
        .order_by(FieldCorrectionRow.id)
    )
    latest = {row.field: row for row in session.scalars(statement) if row.field in FIELDS}
    corrections = {}
    for name in FIELDS:  # in the table's order, so the record's is stable
        row = latest.get(name)
        if row is None:
            continue
        corrections[name] = {
            "action": "confirmed" if row.action == "confirm" else "corrected",
            "value": row.new_value,
            "automatic": field_value(record, name),
            "by": row.actor,
            "at": row.at.isoformat(timespec="seconds"),
            "note": row.note,
        }
        FIELDS[name].write(record, row.new_value)
    record["corrections"] = corrections


def check_consistent(record: dict[str, Any]) -> None:
    """Refuse a record whose figures or dates a correction left out of order.

    Raises:
        CorrectionError: a low above its best, a best above its high, an end before its start.
    """
    for prop in ("fatalities", "injuries"):
        figure = record.get(prop) or {}
        low, best, high = figure.get("low"), figure.get("best"), figure.get("high")
        ordered = [v for v in (low, best, high) if v is not None]
        if ordered != sorted(ordered):
            raise CorrectionError(
                f"{prop} would read low {low}, best {best}, high {high}: low ≤ best ≤ high; "
                "correct the other figures first"
            )
    when = record.get("date") or {}
    if when.get("start") and when.get("end") and when["end"] < when["start"]:
        raise CorrectionError(
            f"the date would end ({when['end']}) before it starts ({when['start']})"
        )


def _field(name: str) -> _Field:
    try:
        return FIELDS[name]
    except KeyError:
        raise CorrectionError(
            f"no field {name!r} can be corrected; fields: {', '.join(FIELDS)}"
        ) from None


def _count(optional: bool) -> Callable[[str], int | None]:
    def parse(text: str) -> int | None:
        if not text and optional:
            return None  # an unknown low, an open high
        digits = text.replace(",", "").replace("_", "")
        if not digits.isdigit():
            raise CorrectionError(f"{text!r} is not a whole number of people (0 or more)")
        count = int(digits)
        if count > MAX_PLAUSIBLE_COUNT:
            raise CorrectionError(
                f"{count:,} is more people than one incident's toll can be "
                f"(at most {MAX_PLAUSIBLE_COUNT:,})"
            )
        return count

    return parse


def _read_figure(prop: str, part: str) -> Callable[[dict[str, Any]], Any]:
    return lambda record: (record.get(prop) or {}).get(part)


def _write_figure(prop: str, part: str) -> Callable[[dict[str, Any], Any], None]:
    def write(record: dict[str, Any], value: Any) -> None:
        empty = {"low": None, "best": None, "high": None, "rule": None}
        record[prop] = {**(record.get(prop) or empty), part: value}

    return write


def _parse_type(text: str) -> str:
    if text not in EVENT_TYPES:
        raise CorrectionError(
            f"unknown event type {text!r}; give category/subtype, e.g. battles/armed_clash "
            "(the list is in docs/codebook.md)"
        )
    return text


def _read_type(record: dict[str, Any]) -> str | None:
    return f"{record['category']}/{record['subtype']}" if record.get("category") else None


def _write_type(record: dict[str, Any], value: Any) -> None:
    record["category"], record["subtype"] = str(value).split("/")
    record["codes"] = codes(str(value))


def _parse_day(text: str) -> str:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise CorrectionError(f"{text!r} is not a date; give it as YYYY-MM-DD") from None
    today = datetime.now(UTC).date()
    if not EARLIEST_DATE <= day <= today:
        raise CorrectionError(f"{day} is not between {EARLIEST_DATE} and today ({today})")
    return day.isoformat()


def _read_day(part: str) -> Callable[[dict[str, Any]], Any]:
    return lambda record: (record.get("date") or {}).get(part)


def _write_day(part: str) -> Callable[[dict[str, Any], Any], None]:
    def write(record: dict[str, Any], value: Any) -> None:
        when = record.get("date") or {"start": value, "end": value, "precision": "day", "text": ""}
        record["date"] = {**when, part: value}

    return write


def _parse_name(text: str) -> str:
    if not text or len(text) > MAX_NAME_CHARS or CONTROL.search(text):
        raise CorrectionError(
            f"a name has 1 to {MAX_NAME_CHARS} characters, on one line, without control characters"
        )
    return text


def _write_place_name(record: dict[str, Any], value: Any) -> None:
    record["location"] = {**(record.get("location") or {}), "name": value}


def _parse_point(text: str) -> list[float]:
    try:
        lat, lon = (float(part) for part in text.split(","))
    except ValueError:
        raise CorrectionError(f"{text!r} is not LAT,LON, e.g. 34.73,36.71") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise CorrectionError(f"{text!r}: latitude or longitude out of range")
    return [lat, lon]


def _read_point(record: dict[str, Any]) -> list[float] | None:
    where = record.get("location") or {}
    return None if where.get("lat") is None else [where["lat"], where["lon"]]


def _write_point(record: dict[str, Any], value: Any) -> None:
    record["location"] = {**(record.get("location") or {}), "lat": value[0], "lon": value[1]}


def _read_perpetrator(record: dict[str, Any]) -> str | None:
    named = [a["text"] for a in record.get("actors") or [] if a.get("role") == "perpetrator"]
    return "; ".join(named) or None


def _write_perpetrator(record: dict[str, Any], value: Any) -> None:
    others = [a for a in record.get("actors") or [] if a.get("role") != "perpetrator"]
    corrected = {
        "role": "perpetrator",
        "text": value,
        "kind": classify_actor(str(value)),
        "country": None,
        "sources": [],
    }
    record["actors"] = [corrected, *others]


#: Every field a person may correct or confirm, by the name the web, API and CLI use.
FIELDS: dict[str, _Field] = {
    **{
        f"{prop}.{part}": _Field(
            help=f"the {part} {prop} figure (a whole number"
            + ("; empty: unknown)" if part != "best" else ")"),
            parse=_count(optional=part != "best"),
            read=_read_figure(prop, part),
            write=_write_figure(prop, part),
        )
        for prop in ("fatalities", "injuries")
        for part in ("best", "low", "high")
    },
    "type": _Field(
        "the event type, category/subtype (docs/codebook.md)", _parse_type, _read_type, _write_type
    ),
    "date.start": _Field(
        "the first day, YYYY-MM-DD", _parse_day, _read_day("start"), _write_day("start")
    ),
    "date.end": _Field("the last day, YYYY-MM-DD", _parse_day, _read_day("end"), _write_day("end")),
    "location.name": _Field(
        "the place's name",
        _parse_name,
        lambda record: (record.get("location") or {}).get("name"),
        _write_place_name,
    ),
    "location.coordinates": _Field("LAT,LON in degrees", _parse_point, _read_point, _write_point),
    "perpetrator": _Field(
        "who did it, in words", _parse_name, _read_perpetrator, _write_perpetrator
    ),
}


__all__ = [
    "FIELDS",
    "apply_corrections",
    "check_consistent",
    "check_note",
    "field_value",
    "parse_value",
]
