"""``strife ingest``: the durable record, filled from pages."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

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


class Engine(StrEnum):
    """Where `strife ingest` runs the stages."""

    local = "local"
    ray = "ray"


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
    notify: Annotated[
        bool,
        typer.Option(
            "--notify/--no-notify",
            help="After linking, tell followers and watch rules what changed, in the app, by "
            "mail and by webhook (`strife notify` does it later).",
        ),
    ] = True,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help="local: this machine's processes. ray: a Ray cluster, for WARC, JSON "
            "Lines and Parquet inputs (pip install 'strife[ray]'; see docs/scale.md).",
        ),
    ] = Engine.local,
    address: Annotated[
        str | None,
        typer.Option(
            "--address",
            metavar="ADDRESS",
            help="With --engine ray: the cluster to join (ray://host:10001, auto). "
            "Default: start a local one.",
            show_default=False,
        ),
    ] = None,
    shards: Annotated[
        str | None,
        typer.Option(
            "--shards",
            metavar="DIR",
            help="With --engine ray: keep the Parquet shards of extracted pages in this "
            "folder or URI. Default: a temporary folder.",
            show_default=False,
        ),
    ] = None,
    errors: Annotated[
        Path | None,
        typer.Option(
            "--errors",
            metavar="FILE",
            help="Also list the pages that failed in this JSON Lines file (location, "
            "code, message).",
            show_default=False,
        ),
    ] = None,
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
    from strife.store.watches import evaluate_watches

    if engine is Engine.local and (address or shards):
        raise typer.BadParameter("--address and --shards need --engine ray", param_hint="--engine")
    settings = load_settings(assignments or [])
    started = datetime.now(UTC)  # what changes from here on is this run's to tell
    with _gazetteer_status(settings):
        open_gazetteer(settings)
    total = count_pages(inputs) if engine is Engine.local else None
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
        _errors_file(errors) as errors_out,
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
            if errors_out is not None:
                errors_out.write(json.dumps(failure.to_dict(), ensure_ascii=False) + "\n")

        def advance_phase(phase: str, counts: RunCounts, done: int, total: int | None) -> None:
            advance(counts, done, total)
            progress.update(task, description=f"{phase} · {_tally(counts)}")

        if engine is Engine.ray:
            from strife.scale import ingest_with_ray

            on_ray = ingest_with_ray(
                inputs,
                repository=repository,
                settings=settings,
                address=address,
                shards=shards,
                workers=workers,
                progress=advance_phase,
                on_failure=report_failure,
            )
            report, extra = on_ray.ingest, on_ray.to_dict()
        else:
            report = ingest_pages(
                inputs,
                repository=repository,
                settings=settings,
                progress=advance,
                total=total,
                on_failure=report_failure,
                workers=workers or usable_cores(),
            )
            extra = {**report.to_dict(), "engine": "local"}
        linked = told = None
        if link:
            progress.update(task, description="linking", completed=0, total=None, rate="")
            linked = link_pending(
                repository,
                settings=settings,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
            if notify:
                progress.update(task, description="notifying", completed=0, total=None)
                told = evaluate_watches(repository, since=started, settings=settings)
    summary = extra
    if linked is not None:
        summary["link"] = linked.to_dict()
    if told is not None:
        summary["notify"] = {
            "notifications": len(told.notifications),
            "deliveries": told.deliveries.to_dict(),
        }
    summary["db"] = repository.url
    if as_json:
        sys.stdout.write(json.dumps(summary) + "\n")
    else:
        shown = ("pages", "new", "unchanged", "already_stored", "revised", "failed")
        table = Table(*(key.replace("_", " ") for key in shown), "seconds", "pages/s")
        table.add_row(
            *(f"{summary[key]:,}" for key in shown),
            f"{report.seconds:.1f}",
            f"{summary['pages_per_second'] or 0:.1f}",
        )
        stdout.print(table)
        if linked is not None:
            stdout.print(
                f"linked {linked.reports:,} reports: {linked.new_incidents:,} new events, "
                f"{linked.joined:,} joined an event"
            )
        if engine is Engine.ray:
            kept = f", shards in {summary['shards']}" if summary["shards"] else ""
            stdout.print(
                f"engine ray ({summary['address']}, {summary['workers']} workers){escape(kept)}"
            )
        stdout.print(f"stored in {escape(repository.url)}")
    _exit_for([failure.error for failure in report.failures], total=report.pages)


@contextmanager
def _errors_file(path: Path | None) -> Iterator[IO[str] | None]:
    """The --errors file, open for writing (one JSON object a line), or None."""
    if path is None:
        yield None
        return
    with path.open("w", encoding="utf-8") as stream:
        yield stream


def _tally(counts: Any) -> str:
    # Pages stored already are found before extraction, except a page that comes twice
    # in one run (its second copy is found unchanged only when stored): shown apart.
    repeated = counts.unchanged - counts.already_stored
    again = f"unchanged {repeated} · " if repeated else ""
    return (
        f"new {counts.new} · already stored {counts.already_stored} · {again}"
        f"revised {counts.revised} · failed {counts.failed}"
    )
