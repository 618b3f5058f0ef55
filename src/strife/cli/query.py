"""``strife events``, ``event``, ``changes`` and ``export``: reading the record."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from strife.cli import DbOption, SetOption, _open_db, app, stderr, stdout

if TYPE_CHECKING:
    from strife.store.records import RecordQuery


def _query(
    country: str | None,
    since: datetime | None,
    until: datetime | None,
    category: str | None,
    min_fatalities: int | None,
    place: str | None,
    near: str | None,
    radius: float,
    actor: str | None,
    source: str | None,
    corroborated: bool,
    limit: int | None,
) -> RecordQuery:
    from strife.store.records import RecordQuery

    if country is not None and not (len(country) == 2 and country.isalpha()):
        raise typer.BadParameter("expected a two-letter country code", param_hint="--country")
    return RecordQuery(
        country=country,
        since=since.date() if since else None,
        until=until.date() if until else None,
        category=category,
        min_fatalities=min_fatalities,
        place=place,
        near=_point(near) if near else None,
        radius_km=radius,
        actor=actor,
        source=source,
        corroborated=corroborated,
        limit=limit,
    )


def _point(text: str) -> tuple[float, float]:
    try:
        lat, lon = (float(part) for part in text.split(","))
    except ValueError:
        raise typer.BadParameter(
            "expected LAT,LON, e.g. 34.73,36.71", param_hint="--near"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise typer.BadParameter("latitude or longitude out of range", param_hint="--near")
    return lat, lon


# The filters `events` and `export` share, spelled once.
Country = Annotated[
    str | None, typer.Option("--country", metavar="CC", help="Only this country (ISO alpha-2).")
]
Since = Annotated[
    datetime | None,
    typer.Option("--since", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help="Only on or after."),
]
Until = Annotated[
    datetime | None,
    typer.Option("--until", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help="Only on or before."),
]
Category = Annotated[
    str | None,
    typer.Option("--category", metavar="C", help="Only this category (battles, protests...)."),
]
MinFatalities = Annotated[
    int | None,
    typer.Option("--min-fatalities", metavar="N", min=0, help="Only a best death toll of N+."),
]
Place = Annotated[
    str | None,
    typer.Option("--place", metavar="WORDS", help="Only places whose name or province has these."),
]
Near = Annotated[
    str | None,
    typer.Option("--near", metavar="LAT,LON", help="Only within --radius km of this point."),
]
Radius = Annotated[
    float, typer.Option("--radius", metavar="KM", min=0.0, help="The radius for --near.")
]
Actor = Annotated[
    str | None,
    typer.Option("--actor", metavar="WORDS", help="Only events naming such an actor (or kind)."),
]
Source = Annotated[
    str | None,
    typer.Option("--source", metavar="WORDS", help="Only events a source by this name backs."),
]
Corroborated = Annotated[
    bool,
    typer.Option("--corroborated", help="Only events backed by two or more independent sources."),
]
Limit = Annotated[int | None, typer.Option("--limit", metavar="N", min=0, help="At most N.")]


@app.command()
def events(
    db: DbOption = None,
    country: Country = None,
    since: Since = None,
    until: Until = None,
    category: Category = None,
    min_fatalities: MinFatalities = None,
    place: Place = None,
    near: Near = None,
    radius: Radius = 25.0,
    actor: Actor = None,
    source: Source = None,
    corroborated: Corroborated = False,
    limit: Limit = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON Lines (record events) instead of a table.")
    ] = False,
    assignments: SetOption = None,
) -> None:
    """Query the record: events linked across articles, oldest first.

    Each event has a stable id (ev-...), its figures reconciled across sources
    (with the rule), how many independent sources back it, and every report
    and claim it was built from (with --json).
    """
    from strife.store.records import find_records

    query = _query(
        country,
        since,
        until,
        category,
        min_fatalities,
        place,
        near,
        radius,
        actor,
        source,
        corroborated,
        limit,
    )
    with _open_db(db, assignments) as repository:
        found = find_records(repository, query)
    if as_json:
        for record in found:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    if not found:
        stderr.print("strife: no event in the record matches")
        return
    table = Table("event", "date", "category/subtype", "place", "killed", "sources", "reports")
    for record in found:
        table.add_row(
            escape(record["id"]),
            (record.get("date") or {}).get("start") or "",
            escape(f"{record['category']}/{record['subtype']}"),
            escape(_place(record.get("location"))),
            _killed(record.get("fatalities") or {}),
            f"{record['independent_sources']}" + (" ⚑" if record.get("disputed") else ""),
            str(len(record["reports"])),
        )
    stdout.print(table)
    if any(record.get("disputed") for record in found):
        stdout.print("⚑: sources disagree (see strife event ID)")


@app.command()
def event(
    identifier: Annotated[str, typer.Argument(metavar="ID", help="An event id (ev-...).")],
    db: DbOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the record event as JSON.")
    ] = False,
    assignments: SetOption = None,
) -> None:
    """Show one event: reconciled figures, every claim with its source, reports, history."""
    from strife.store.records import get_record

    with _open_db(db, assignments) as repository:
        record = get_record(repository, identifier)
    if as_json:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    _print_record(record)


@app.command()
def changes(
    since: Annotated[
        datetime,
        typer.Option(
            "--since",
            formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z"],
            metavar="TIME",
            help="ISO day or time (UTC unless it has an offset).",
        ),
    ],
    db: DbOption = None,
    assignments: SetOption = None,
) -> None:
    """The feed of events created or revised since TIME, as JSON Lines, each with its changes."""
    from strife.store.records import changes_since

    moment = since.astimezone(UTC).replace(tzinfo=None) if since.tzinfo else since
    with _open_db(db, assignments) as repository:
        for record in changes_since(repository, moment):
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


@app.command()
def export(
    output: Annotated[
        str,
        typer.Argument(metavar="OUTPUT", help="The file to write, or '-' for standard output."),
    ],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="csv (ACLED-like columns), jsonl (strife/1 record events), geojson or parquet. "
            "Default: from OUTPUT's extension.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    country: Country = None,
    since: Since = None,
    until: Until = None,
    category: Category = None,
    min_fatalities: MinFatalities = None,
    place: Place = None,
    near: Near = None,
    radius: Radius = 25.0,
    actor: Actor = None,
    source: Source = None,
    corroborated: Corroborated = False,
    limit: Limit = None,
    assignments: SetOption = None,
) -> None:
    """Write the record (or the events the filters keep) as CSV, JSON Lines, GeoJSON or Parquet.

    A file is written whole or not at all: an export that fails leaves no part
    of a file behind, and an older file at OUTPUT untouched.
    """
    from strife.export import FORMATS, write_export
    from strife.store.records import find_records

    chosen = format or _format_of(output)
    if chosen not in FORMATS:
        raise typer.BadParameter(
            f"expected one of {', '.join(FORMATS)} (or an OUTPUT ending in one)",
            param_hint="--format",
        )
    query = _query(
        country,
        since,
        until,
        category,
        min_fatalities,
        place,
        near,
        radius,
        actor,
        source,
        corroborated,
        limit,
    )
    with _open_db(db, assignments) as repository:
        found = find_records(repository, query)
    if output == "-":
        target: Any = sys.stdout.buffer if chosen == "parquet" else sys.stdout
        write_export(found, target, format=chosen)
        return
    written = write_export(found, Path(output), format=chosen)
    stderr.print(f"strife: {written:,} events written to {escape(output)} ({chosen})")


def _format_of(output: str) -> str | None:
    suffixes = {
        ".csv": "csv",
        ".jsonl": "jsonl",
        ".ndjson": "jsonl",
        ".geojson": "geojson",
        ".json": "geojson",
        ".parquet": "parquet",
    }
    return suffixes.get(Path(output).suffix.lower())


def _print_record(record: dict[str, Any]) -> None:
    when = record.get("date") or {}
    figures = record.get("fatalities") or {}
    kind = f"{record['category']}/{record['subtype']}"
    stdout.print(f"[bold]{escape(record['id'])}[/]  {escape(kind)}")
    if record.get("merged_from"):
        stdout.print(f"(merged from {escape(record['merged_from'])})")
    end = when.get("end")
    span = f" to {end}" if end and end != when.get("start") else ""
    stdout.print(f"when    {when.get('start') or '?'}{span}")
    stdout.print(f"where   {escape(_place(record.get('location')))}")
    stdout.print(f"killed  {_killed(figures)}  (rule: {escape(str(figures.get('rule')))})")
    backing = "  (corroborated)" if record.get("corroborated") else ""
    stdout.print(f"independent sources  {record['independent_sources']}{backing}")
    if record.get("disputed"):
        stdout.print(f"disputed: {escape(', '.join(record['disputed']))}")
    stdout.print(_claims_table(record["claims"]))
    stdout.print(_reports_table(record["reports"]))
    stdout.print(_history_table(record.get("history", [])))


def _claims_table(claims: list[dict[str, Any]]) -> Table:
    table = Table("source", "says", "words", "article", title="claims")
    for claim in claims:
        says = f"{claim['property']} {claim['value']}"
        table.add_row(
            escape(claim["source"]), escape(says), escape(claim["text"]), str(claim["article"])
        )
    return table


def _reports_table(reports: list[dict[str, Any]]) -> Table:
    table = Table("article", "title", "published", "linked", "score", title="reports")
    for report in reports:
        article = report["article"]
        score = report.get("score")
        table.add_row(
            str(article["id"]),
            escape(str(article.get("title") or article["location"])),
            escape(str(article.get("published") or "")),
            escape(str(report.get("method"))),
            "" if score is None else f"{score:.2f}",
        )
    return table


def _history_table(history: list[dict[str, Any]]) -> Table:
    table = Table("at", "action", "article", "by", "changed", title="history")
    for change in history:
        table.add_row(
            change["at"],
            change["action"],
            str(change["article"] or ""),
            escape(str(change["by"] or "")),
            escape(", ".join(change["changes"])),
        )
    return table


def _killed(figures: dict[str, Any]) -> str:
    if figures.get("best") is None:
        return ""
    text = str(figures["best"])
    if figures.get("low") != figures.get("high"):
        text += f" ({figures.get('low')}-{figures.get('high') or '?'})"
    return text


def _place(location: dict[str, Any] | None) -> str:
    if not location:
        return ""
    parts = (location.get("name"), location.get("admin1"), location.get("country"))
    return ", ".join(str(part) for part in dict.fromkeys(parts) if part)
