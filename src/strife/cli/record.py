"""``strife ingest``: the durable record, filled from pages."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from strife.cli import (
    DbOption,
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


@app.command()
def ingest(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Page files (.gz too), folders (of pages and WARC files), .jsonl files "
            "of pages (one JSON object a line), WARC files (.warc, .warc.gz), RSS/Atom "
            "feeds (.rss, .atom, .xml), or http(s) URLs of pages or feeds; see "
            "docs/inputs.md.",
            metavar="INPUT",
            show_default=False,
        ),
    ],
    db: DbOption = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            metavar="N",
            min=1,
            help="Processes running the stages, each loading the model once; 1 runs them "
            "in this process. Default: the usable cores.",
            show_default=False,
        ),
    ] = None,
    link: Annotated[
        bool,
        typer.Option(
            "--link/--no-link",
            help="Link the new reports into events across articles after storing them "
            "(`strife link` does it later).",
        ),
    ] = True,
    as_json: JsonOption = False,
    assignments: SetOption = None,
) -> None:
    """Extract events from pages, store them with the pages, and link them into the record.

    Pages already stored (the same bytes) are skipped before any work; a page seen
    before at the same path, URL or id with new bytes is stored as a revision. Each
    batch is committed as it finishes, so a run stopped at any point resumes where
    it stopped when started again. Bad pages are reported on stderr and skipped
    (exit 1 at the end).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from strife.ingest import PageFailure, count_pages, ingest_pages, usable_cores
    from strife.locate.gazetteer import open_gazetteer
    from strife.store.linking import link_pending
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
            workers=workers or usable_cores(),
        )
        linked = None
        if link:
            progress.update(task, description="linking", completed=0, total=None, rate="")
            linked = link_pending(
                repository,
                settings=settings,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
    summary = report.to_dict()
    if linked is not None:
        summary["link"] = linked.to_dict()
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
        if linked is not None:
            stdout.print(
                f"linked {linked.reports:,} reports: {linked.new_incidents:,} new events, "
                f"{linked.joined:,} joined an event"
            )
        stdout.print(f"stored in {escape(repository.url)}")
    _exit_for([failure.error for failure in report.failures], total=report.pages)


def _tally(counts: Any) -> str:
    return (
        f"new {counts.new} · unchanged {counts.unchanged} · revised {counts.revised} · "
        f"failed {counts.failed}"
    )
