"""``strife ingest`` and ``strife events``: the durable record, filled and queried."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from strife.cli import (
    JsonOption,
    SetOption,
    _exit_for,
    _gazetteer_status,
    _report_error,
    app,
    stderr,
    stdout,
)
from strife.settings import load_settings

if TYPE_CHECKING:
    pass


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH",
        help="The database: a SQLite file (created if missing) or a SQLAlchemy URL. "
        "Default: the db setting (STRIFE_DB), strife.sqlite in the current folder.",
        show_default=False,
    ),
]


@app.command()
def ingest(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Page files (.gz too), folders of pages, or .jsonl files of pages "
            "(one JSON object a line; see docs/cli.md).",
            metavar="INPUT",
            show_default=False,
        ),
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
    assignments: SetOption = None,
) -> None:
    """Extract events from pages and store them, with the pages, in the database.

    Pages already stored (the same bytes) are skipped before any work; a page seen
    before at the same path, URL or id with new bytes is stored as a revision. Each
    batch is committed as it finishes, so a run stopped at any point resumes where
    it stopped when started again. Bad pages are reported on stderr and skipped
    (exit 1 at the end).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from strife.ingest import PageFailure, count_pages, ingest_pages
    from strife.locate.gazetteer import open_gazetteer
    from strife.store.repository import RunCounts, open_repository

    settings = load_settings(assignments or [])
    with _gazetteer_status(settings):
        open_gazetteer(settings)
    total = count_pages(inputs)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
    )
    with (
        open_repository(db or settings.db, busy_timeout=settings.db_busy_timeout) as repository,
        Progress(*columns, console=stderr, transient=True) as progress,
    ):
        task = progress.add_task("ingesting", total=total, rate="")

        def advance(counts: RunCounts, done: int, total: int | None) -> None:
            elapsed = progress.tasks[task].elapsed or 0.0
            rate = f"{done / elapsed:.1f} pages/s" if elapsed > 0 else ""
            progress.update(
                task, completed=done, total=total, description=_tally(counts), rate=rate
            )

        def report_failure(failure: PageFailure) -> None:
            _report_error(failure.error, location=failure.location, console=progress.console)

        report = ingest_pages(
            inputs,
            repository=repository,
            settings=settings,
            progress=advance,
            total=total,
            on_failure=report_failure,
        )
    summary = report.to_dict()
    summary["db"] = repository.url
    if as_json:
        sys.stdout.write(json.dumps(summary) + "\n")
    else:
        table = Table("pages", "new", "unchanged", "revised", "failed", "seconds", "pages/s")
        table.add_row(
            *(f"{summary[key]:,}" for key in ("pages", "new", "unchanged", "revised", "failed")),
            f"{report.seconds:.1f}",
            f"{summary['pages_per_second'] or 0:.1f}",
        )
        stdout.print(table)
        stdout.print(f"stored in {escape(repository.url)}")
    _exit_for([failure.error for failure in report.failures], total=report.pages)


def _tally(counts: Any) -> str:
    return (
        f"new {counts.new} · unchanged {counts.unchanged} · revised {counts.revised} · "
        f"failed {counts.failed}"
    )


@app.command()
def events(
    db: DbOption = None,
    country: Annotated[
        str | None,
        typer.Option("--country", metavar="CC", help="Only events in this country (ISO alpha-2)."),
    ] = None,
    since: Annotated[
        datetime | None,
        typer.Option(
            "--since",
            formats=["%Y-%m-%d"],
            metavar="YYYY-MM-DD",
            help="Only events on or after this day.",
        ),
    ] = None,
    until: Annotated[
        datetime | None,
        typer.Option(
            "--until",
            formats=["%Y-%m-%d"],
            metavar="YYYY-MM-DD",
            help="Only events on or before this day.",
        ),
    ] = None,
    category: Annotated[
        str | None,
        typer.Option("--category", metavar="C", help="Only this category (battles, protests...)."),
    ] = None,
    min_fatalities: Annotated[
        int | None,
        typer.Option(
            "--min-fatalities", metavar="N", min=0, help="Only events with a best figure of N+."
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", metavar="N", min=0, help="At most N events.")
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print JSON Lines (strife/1 events) instead of a table."),
    ] = False,
    assignments: SetOption = None,
) -> None:
    """Query the stored events (of each article's latest version), oldest first.

    With --json, one strife/1 event a line, with the id, location, title and
    publication time of the article it comes from under "article".
    """
    from strife.store.repository import EventQuery, open_repository

    if country is not None and not (len(country) == 2 and country.isalpha()):
        raise typer.BadParameter("expected a two-letter country code", param_hint="--country")
    settings = load_settings(assignments or [])
    query = EventQuery(
        country=country,
        since=since.date() if since else None,
        until=until.date() if until else None,
        category=category,
        min_fatalities=min_fatalities,
        limit=limit,
    )
    with open_repository(db or settings.db, busy_timeout=settings.db_busy_timeout) as repository:
        found = repository.find_events(query)
    if as_json:
        for stored in found:
            sys.stdout.write(json.dumps(stored.to_dict(), ensure_ascii=False) + "\n")
        return
    if not found:
        stderr.print("strife: no stored event matches")
        return
    table = Table("event", "date", "category/subtype", "place", "killed", "article")
    for stored in found:
        event = stored.event
        when = event.get("date") or {}
        figures = event.get("fatalities") or {}
        killed = "" if figures.get("best") is None else str(figures["best"])
        if figures.get("low") != figures.get("high") and figures.get("best") is not None:
            killed += f" ({figures.get('low')}-{figures.get('high') or '?'})"
        table.add_row(
            escape(event["id"]),
            when.get("start") or "",
            escape(f"{event['category']}/{event['subtype']}"),
            escape(_place(event.get("location"))),
            killed,
            escape(stored.title or stored.location),
        )
    stdout.print(table)


def _place(location: dict[str, Any] | None) -> str:
    if not location:
        return ""
    parts = (location.get("name"), location.get("admin1"), location.get("country"))
    return ", ".join(str(part) for part in dict.fromkeys(parts) if part)
