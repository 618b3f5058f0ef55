"""``strife link``: incidents across articles; merges, splits and field corrections by hand."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.markup import escape

from strife.cli import DbOption, JsonOption, SetOption, _open_db, app, stderr, stdout
from strife.settings import load_settings

link_app = typer.Typer(
    help="Link stored reports into events across articles (the default), or merge, split "
    "and correct events by hand.",
    invoke_without_command=True,
    rich_markup_mode=None,
)
app.add_typer(link_app, name="link")

ByOption = Annotated[
    str | None,
    typer.Option("--by", metavar="NAME", help="Who made the change, for the history."),
]
NoteOption = Annotated[
    str | None, typer.Option("--note", metavar="TEXT", help="Why, for the history.")
]


@link_app.callback()
def link(
    context: typer.Context,
    db: DbOption = None,
    as_json: JsonOption = False,
    assignments: SetOption = None,
) -> None:
    """Link every report not yet linked: join the incident it scores best against, or start one.

    `strife ingest` links after storing; run this after changing the link_* settings
    for reports stored since, or to finish a run that was stopped. A report scoring
    between link_suggest_threshold and link_merge_threshold starts its own event and
    is kept as a suggestion (`strife event ID` lists them).
    """
    if context.invoked_subcommand is not None:
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from strife.store.linking import link_pending
    from strife.store.repository import open_repository

    settings = load_settings(assignments or [])
    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with (
        open_repository(db or settings.db, busy_timeout=settings.db_busy_timeout) as repository,
        Progress(*columns, console=stderr, transient=True, disable=as_json) as progress,
    ):
        task = progress.add_task("linking", total=None)
        report = link_pending(
            repository,
            settings=settings,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict()) + "\n")
        return
    stdout.print(
        f"{report.reports:,} reports linked: {report.new_incidents:,} new events, "
        f"{report.joined:,} joined an event, {report.suggestions:,} suggestions"
    )


@link_app.command()
def merge(
    source: Annotated[str, typer.Argument(metavar="FROM", help="The event to merge (ev-...).")],
    target: Annotated[str, typer.Argument(metavar="INTO", help="The event it joins (ev-...).")],
    db: DbOption = None,
    by: ByOption = None,
    note: NoteOption = None,
    assignments: SetOption = None,
) -> None:
    """Merge event FROM into INTO: its reports move, and FROM's id then leads to INTO.

    The decision is kept: later linking never moves those reports back.
    """
    from strife.store.records import merge_incidents

    with _open_db(db, assignments) as repository:
        record = merge_incidents(repository, source, target, actor=by, note=note)
    stdout.print(
        f"{escape(source)} merged into {escape(record['id'])}: {len(record['reports'])} reports"
    )


@link_app.command()
def split(
    identifier: Annotated[str, typer.Argument(metavar="ID", help="The event to split (ev-...).")],
    reports: Annotated[
        list[str],
        typer.Argument(
            metavar="REPORT...",
            help="The reports to take out (their event keys, as `strife event ID --json` "
            "lists under reports[].event).",
        ),
    ],
    db: DbOption = None,
    by: ByOption = None,
    note: NoteOption = None,
    assignments: SetOption = None,
) -> None:
    """Take reports out of event ID into a new event; later linking keeps them apart."""
    from strife.store.records import split_reports

    with _open_db(db, assignments) as repository:
        record = split_reports(repository, identifier, reports, actor=by, note=note)
    stdout.print(
        f"{len(record['reports'])} reports split from {escape(identifier)} into "
        f"{escape(record['id'])}"
    )


FieldArgument = Annotated[
    str,
    typer.Argument(
        metavar="FIELD",
        help="fatalities.best, fatalities.low, fatalities.high, injuries.best, injuries.low, "
        "injuries.high, type (category/subtype), date.start, date.end, location.name, "
        "location.coordinates (LAT,LON) or perpetrator.",
    ),
]


@link_app.command()
def correct(
    identifier: Annotated[str, typer.Argument(metavar="ID", help="The event (ev-...).")],
    field: FieldArgument,
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The right value.")],
    db: DbOption = None,
    by: ByOption = None,
    note: NoteOption = None,
    assignments: SetOption = None,
) -> None:
    """Correct one field of event ID; the correction outlives re-ingest and re-linking.

    The automatic value stays in the record beside it (`strife event ID --json`,
    under corrections), and the history says who changed what, when and why.
    """
    _review(identifier, field, value, db=db, by=by, note=note, assignments=assignments)


@link_app.command()
def confirm(
    identifier: Annotated[str, typer.Argument(metavar="ID", help="The event (ev-...).")],
    field: FieldArgument,
    db: DbOption = None,
    by: ByOption = None,
    note: NoteOption = None,
    assignments: SetOption = None,
) -> None:
    """Mark one field of event ID as checked by a person; its value then stays as it is."""
    _review(identifier, field, None, db=db, by=by, note=note, assignments=assignments)


def _review(
    identifier: str,
    field: str,
    value: str | None,
    *,
    db: str | None,
    by: str | None,
    note: str | None,
    assignments: list[str] | None,
) -> None:
    from strife.store.records import review_field

    with _open_db(db, assignments) as repository:
        record = review_field(repository, identifier, field, value, actor=by, note=note)
    review = record["corrections"][field]
    value_text, automatic = json.dumps(review["value"]), json.dumps(review["automatic"])
    stdout.print(
        f"{escape(record['id'])} {escape(field)} {review['action']}: "
        f"{escape(value_text)} (automatic: {escape(automatic)})"
    )
