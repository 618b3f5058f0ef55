"""The ``strife`` command: a thin layer over the library.

Each command parses its options, builds Settings, calls one library function
and renders the result: Rich for people, ``--json`` for machines. Errors are
caught once, in :func:`main`, and become a one-line message and an exit code
(see ``errors.py``).
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from strife import __version__
from strife.errors import EXIT_BUG, EXIT_OK, EXIT_SOME_FAILED, StrifeError
from strife.settings import load_settings

if TYPE_CHECKING:
    from strife.evaluate import EvalReport
    from strife.pipeline import Pipeline

app = typer.Typer(
    name="strife",
    help="Turn raw news pages into a sourced record of violent and political events.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help text: stable to embed in docs/cli.md and readable in any terminal.
    rich_markup_mode=None,
)
eval_app = typer.Typer(
    help="Measure strife against gold-labelled data sets.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(eval_app, name="eval")
gazetteer_app = typer.Typer(
    help="Build the gazetteer, add a GeoNames dump to it, or show what it holds.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(gazetteer_app, name="gazetteer")

#: Where `strife bench` records results and keeps floors: the project the command runs in.
BENCHMARKS_FILE = Path("BENCHMARKS.md")
FLOORS_FILE = Path("benchmarks") / "floors.json"

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)

SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="NAME=VALUE",
        help="Override a setting (repeatable); see docs/settings.md. STRIFE_NAME also works.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
LimitOption = Annotated[
    int | None, typer.Option("--limit", help="Score only the first N items (quick checks).")
]
PagesArgument = Annotated[
    list[str],
    typer.Argument(
        help="HTML files (.gz too), plain-text files, folders, '-' for standard input, "
        "or http(s) URLs.",
        metavar="PAGE",
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        stdout.print(f"strife {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback of an unexpected error.")
    ] = False,
) -> None:
    """Turn raw news pages into a sourced record of violent and political events."""
    _state["debug"] = debug


_state: dict[str, bool] = {"debug": False}


@app.command()
def clean(
    pages: PagesArgument,
    as_json: JsonOption = False,
    assignments: SetOption = None,
) -> None:
    """Clean pages: the article text and its metadata, with the site's chrome set aside.

    With --json, one strife/1 object per page, one per line (JSON Lines).
    """
    from strife.clean import CleanStage
    from strife.pipeline import Pipeline

    _run_pages(Pipeline([CleanStage()]), pages, as_json=as_json, assignments=assignments)


@app.command()
def extract(
    pages: PagesArgument,
    as_json: JsonOption = False,
    assignments: SetOption = None,
) -> None:
    """Extract events: what happened, to whom, by whom, how many, and who says so.

    Cleans each page first, and places and dates each event. With --json, one full
    strife/1 object per page, one per line.
    """
    from strife.locate.gazetteer import open_gazetteer
    from strife.pipeline import extract_pipeline

    settings = load_settings(assignments or [])
    with _gazetteer_status(settings):
        open_gazetteer(settings)
    _run_pages(extract_pipeline(), pages, as_json=as_json, assignments=assignments)


@app.command("date")
def date_command(
    text: Annotated[
        str,
        typer.Argument(
            help="A date phrase: 'last night', 'on Monday', 'March 3-5'.",
            metavar="TEXT",
            show_default=False,
        ),
    ],
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            metavar="ISO",
            help="Publication time, ISO-8601 with its offset (2012-03-12T21:00:00-04:00) "
            "or a date; relative phrases count from it.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Resolve one date phrase to the days it names, as events[].date gives them.

    Prints nothing but a note on stderr (exit 0) when the phrase names no date,
    or one after the publication date or before 1900.
    """
    from strife.dates import parse_published, resolve_date

    if published is not None:
        try:
            parse_published(published)
        except StrifeError as error:
            raise typer.BadParameter(error.message, param_hint="--published") from error
    result = resolve_date(text, published=published)
    if result is None:
        stderr.print(f"strife: no date in {escape(repr(text))}")
        if as_json:
            sys.stdout.write("null\n")
        return
    if as_json:
        sys.stdout.write(json.dumps(result) + "\n")
        return
    span = result["start"]
    if result["end"] != result["start"]:
        span += f" .. {result['end']}"
    stdout.print(f"{span} ({result['precision']}) from {escape(repr(result['text']))}")


@app.command("locate")
def locate_command(
    text: Annotated[
        str,
        typer.Argument(
            help="A phrase naming places: 'in Karm Zeitoun, a neighbourhood of Homs'.",
            metavar="TEXT",
            show_default=False,
        ),
    ],
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            metavar="CC",
            help="The article's focus country (ISO 3166-1 alpha-2), as an article would give it.",
        ),
    ] = None,
    as_json: JsonOption = False,
    assignments: SetOption = None,
) -> None:
    """Resolve the places one phrase names, as events[].location gives them.

    Each name is listed with its role (place, actor, origin, reference); names the
    gazetteer does not know are listed without coordinates.
    """
    from strife.locate import locate_text

    if country is not None and not (len(country) == 2 and country.isalpha()):
        raise typer.BadParameter("expected a two-letter country code", param_hint="--country")
    settings = load_settings(assignments or [])
    with _gazetteer_status(settings):
        found = locate_text(text, settings=settings, country=country)
    if as_json:
        sys.stdout.write(json.dumps(found, ensure_ascii=False) + "\n")
        return
    if not found:
        stderr.print(f"strife: no place named in {escape(repr(text))}")
        return
    table = Table("text", "role", "place", "admin-1", "country", "lat, lon", "precision")
    for place in found:
        where = f"{place['lat']}, {place['lon']}" if place.get("gazetteer_id") else "-"
        table.add_row(
            escape(place["text"]),
            place["basis"],
            escape(place.get("name") or "(unknown)"),
            escape(place.get("admin1") or ""),
            place.get("country") or "",
            where,
            place.get("precision") or "",
        )
    stdout.print(table)


@gazetteer_app.command("build")
def gazetteer_build(assignments: SetOption = None) -> None:
    """Build the gazetteer from the data in the installed packages (about 20 s, once).

    Other commands build it on first use; run this ahead, or again after deleting it.
    """
    from strife.locate.gazetteer import build_gazetteer, gazetteer_path

    settings = load_settings(assignments or [])
    path = gazetteer_path(settings)
    with stderr.status("building the gazetteer") as status:
        counts = build_gazetteer(path, progress=lambda step, done, total: status.update(step))
    stdout.print(f"{path}: {_counts(counts)}")


@gazetteer_app.command("load")
def gazetteer_load(
    file: Annotated[
        Path,
        typer.Argument(
            help="A GeoNames dump: allCountries.txt, citiesN.txt or a country file (.gz too).",
            metavar="FILE",
            show_default=False,
        ),
    ],
    assignments: SetOption = None,
) -> None:
    """Add a GeoNames dump to the gazetteer: neighbourhoods, districts, villages.

    Populated places, neighbourhoods (PPLX) and administrative areas are added;
    other features are skipped. Lines that are not GeoNames records are reported.
    """
    from strife.locate.gazetteer import load_geonames, open_gazetteer

    settings = load_settings(assignments or [])
    with _gazetteer_status(settings):
        gazetteer = open_gazetteer(settings)
    with stderr.status(f"loading {file}") as status:
        report = load_geonames(
            gazetteer.path, file, progress=lambda lines: status.update(f"{lines:,} lines read")
        )
    bad = report.bad_lines or []
    stdout.print(
        f"{file}: {report.loaded:,} places added, {report.skipped:,} other features skipped"
    )
    if bad:
        shown = ", ".join(str(n) for n in bad[:10]) + (" ..." if len(bad) > 10 else "")
        stderr.print(f"strife: {len(bad):,} lines were not GeoNames records (lines {shown})")


@gazetteer_app.command("info")
def gazetteer_info(as_json: JsonOption = False, assignments: SetOption = None) -> None:
    """Where the gazetteer is, what it was built from and what it holds."""
    from strife.locate.gazetteer import open_gazetteer

    settings = load_settings(assignments or [])
    with _gazetteer_status(settings):
        gazetteer = open_gazetteer(settings)
    info = {
        "path": str(gazetteer.path),
        "data": gazetteer.meta.get("data"),
        "places": gazetteer.counts(),
        "loaded": json.loads(gazetteer.meta.get("loaded") or "[]"),
    }
    if as_json:
        sys.stdout.write(json.dumps(info) + "\n")
        return
    stdout.print(f"{escape(info['path'])}\nbuilt from {info['data']}\n{_counts(info['places'])}")
    for loaded in info["loaded"]:
        stdout.print(f"loaded {escape(loaded['file'])}: {loaded['places']:,} places")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {kind}" for kind, n in sorted(counts.items()))


def _gazetteer_status(settings: Any) -> Any:
    """A spinner on stderr while the gazetteer is built on first use; nothing otherwise."""
    from contextlib import nullcontext

    from strife.locate.gazetteer import gazetteer_path

    if gazetteer_path(settings).exists():
        return nullcontext()
    return stderr.status("building the gazetteer once (about 20 s)")


def _run_pages(
    pipeline: Pipeline, pages: list[str], *, as_json: bool, assignments: list[str] | None
) -> None:
    """Run a pipeline over pages: warnings and failures on stderr, results on stdout."""
    from strife.load import expand_inputs

    settings = load_settings(assignments or [])
    locations = list(expand_inputs(pages))
    failures: list[StrifeError] = []
    for result in pipeline.run_many(locations, settings=settings):
        if result.error is not None:
            failures.append(result.error)
            _report_error(result.error, location=result.location)
            continue
        assert result.document is not None
        for problem in result.document.problems:
            stderr.print(
                f"strife: {escape(result.location)}: warning {problem.code}: "
                f"{escape(problem.message)}"
            )
        data = result.document.to_dict()
        if as_json:
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            _print_article(data)
            if "extract" in {entry["stage"] for entry in data["trace"]}:
                _print_events(data)
    _exit_for(failures, total=len(locations))


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


#: How the text view says where an event's place came from (``location.basis``).
BASIS_WORDS = {
    "event": "named in its sentences",
    "context": "named just before it",
    "headline": "from the headline",
    "lead": "from the article's lead",
    "country": "the article's country only",
}


def _where(location: dict[str, Any] | None) -> str:
    if not location:
        return "unknown"
    area = ", ".join(str(part) for part in (location["admin1"], location["country"]) if part)
    said = f' ("{location["text"]}")' if location["text"] not in {"", location["name"]} else ""
    basis = BASIS_WORDS.get(location["basis"], location["basis"])
    return (
        f"{location['name']}{said}, {area} ({location['precision']}, "
        f"{location['lat']}, {location['lon']}; {basis})"
    )


def _when(date: dict[str, Any] | None) -> str:
    if not date:
        return "unknown"
    days = date["start"] if date["end"] == date["start"] else f"{date['start']} .. {date['end']}"
    said = f' ("{date["text"]}")' if date["text"] else " (the dateline or publication date)"
    return f"{days} ({date['precision']}){said}"


def _print_events(document: dict[str, Any]) -> None:
    sources = {source["id"]: source for source in document["sources"]}
    if not document["events"]:
        stdout.print("[dim](no events found)[/dim]\n")
    for event in document["events"]:
        figures = event["fatalities"]
        killed = (
            f"killed best {figures['best']} (low {figures['low']}, high {figures['high']})"
            if figures["rule"]
            else "no fatality figure"
        )
        disputed = ", perpetrator disputed" if event["perpetrator_disputed"] else ""
        stdout.print(
            f"[bold]{escape(event['id'])}[/bold] {escape(event['category'])}/"
            f"{escape(event['subtype'])}: {escape(killed)}{disputed}"
        )
        stdout.print(f"  where: {escape(_where(event['location']))}")
        stdout.print(f"  when: {escape(_when(event['date']))}")
        for claim in event["claims"]:
            source = sources.get(claim["source"], {})
            name = source.get("name", claim["source"])
            stdout.print(
                f"  {escape(claim['property'])} = {escape(str(claim['value']))} "
                f"({escape(str(claim['qualifier'] or claim['hedge']))}) per "
                f"{escape(name)}: [italic]{escape(claim['text'])}[/italic]"
            )
        stdout.print()


#: Each ``strife eval NAME``: what PATH is, and what the command scores. The function is
#: ``strife.evaluate.NAME.evaluate_NAME``; every one returns the same report shape.
EVALUATIONS: dict[str, tuple[str, str]] = {
    "clean": (
        "A folder in the ScrapingHub format (ground-truth.json + html/) or in trafilatura's "
        "(evaldata.json + HTML files).",
        "Score article cleaning: strife, trafilatura, the plain-text path, keep-everything.",
    ),
    "claims": (
        "A folder with articles.jsonl and claims.jsonl (hand-annotated casualty claims; "
        "format in GUIDE.md there).",
        "Score casualty claims and who makes them: recall, precision, attribution, qualifier.",
    ),
    "case2021": (
        "CASE 2021 task 2: the folder or its case2021_task2.tsv (id, EventSnippet, SubType).",
        "Score event typing: sub-event type macro-F1 and accuracy on CASE 2021 snippets.",
    ),
    "isaf": (
        "The ISAF press releases: isaf.jsonl or its folder.",
        "Score event types and minimum killed and captured counts on ISAF press releases.",
    ),
    "fakes": (
        "The FA-KES set: fakes.csv or its folder (label-1 rows are scored).",
        "Score cause of death and civilian and non-civilian counts on FA-KES articles.",
    ),
    "wikievents": (
        "The WikiEvents set: dev.jsonl or its folder.",
        "Score attacker, victim, place and communicator arguments on WikiEvents.",
    ),
    "hrdsattack": (
        "The HRDsAttack set: its folder (dev.json and train.json) or one of those files.",
        "Score where and when: country, region, city, year, month and day of the event.",
    ),
}


def _eval_command(name: str, path_help: str, summary: str) -> None:
    """Register ``strife eval NAME`` (one body for every evaluation set)."""

    def command(
        path: Path,
        as_json: bool = False,
        limit: int | None = None,
        assignments: list[str] | None = None,
    ) -> None:
        module = import_module(f"strife.evaluate.{name}")
        evaluate = getattr(module, f"evaluate_{name}")
        _run_eval(evaluate, path, as_json=as_json, limit=limit, assignments=assignments)

    # Typer reads options from the annotations; they are built here, per command.
    command.__annotations__ = {
        "path": Annotated[Path, typer.Argument(help=path_help, metavar="PATH", show_default=False)],
        "as_json": JsonOption,
        "limit": LimitOption,
        "assignments": SetOption,
        "return": None,
    }
    command.__doc__ = summary
    command.__name__ = f"eval_{name}"
    eval_app.command(name)(command)


for _name, (_path_help, _summary) in EVALUATIONS.items():
    _eval_command(_name, _path_help, _summary)


def _run_eval(
    evaluate: Callable[..., EvalReport],
    path: Path,
    *,
    as_json: bool,
    limit: int | None,
    assignments: list[str] | None,
) -> None:
    """Run one evaluation with a progress bar on stderr, then print its report."""
    from rich.progress import Progress

    settings = load_settings(assignments or [])
    with Progress(console=stderr, transient=True, disable=as_json) as progress:
        task = progress.add_task("scoring", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        report = evaluate(path, settings=settings, limit=limit, progress=advance)
    _print_report(report.to_dict(), as_json=as_json)


@app.command()
def bench(
    shared: Annotated[
        Path,
        typer.Option(help="The shared folder with seed/ and eval/dev/ (never copied)."),
    ] = Path("../shared"),
    write: Annotated[
        bool, typer.Option("--write/--no-write", help="Record the results in BENCHMARKS.md.")
    ] = True,
    set_floors: Annotated[
        bool, typer.Option("--set-floors", help="Raise the floors to just under these results.")
    ] = False,
    allow_lower: Annotated[
        bool, typer.Option("--allow-lower", help="With --set-floors, let a floor go down.")
    ] = False,
    assignments: SetOption = None,
) -> None:
    """Run every benchmark whose data is present; record it; fail below a floor.

    Floors live in benchmarks/floors.json with the fingerprint of their data.
    """
    from strife.evaluate.bench import (
        check_floors,
        run_benchmarks,
        update_floors,
        write_benchmarks,
    )

    settings = load_settings(assignments or [])
    results = run_benchmarks(
        shared,
        settings=settings,
        progress=lambda name: stderr.print(f"strife: running {escape(name)}"),
    )
    if not results:
        stderr.print(f"strife: error: no benchmark data under {escape(str(shared))} [E100]")
        raise typer.Exit(3)
    for result in results:
        _print_report(result.report.to_dict(), as_json=False)
    if write:
        write_benchmarks(results, BENCHMARKS_FILE)
    if set_floors:
        for change in update_floors(results, FLOORS_FILE, allow_lower=allow_lower):
            stderr.print(f"strife: floor {escape(change)}")
    failed = [c for c in check_floors(results, FLOORS_FILE) if not c.passed]
    for check in failed:
        stderr.print(
            f"strife: {check.benchmark} {check.metric} = {check.value:.3f}, "
            f"below its floor {check.floor:.3f}"
        )
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


def _print_report(report: dict[str, Any], *, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(report) + "\n")
        return
    systems: dict[str, dict[str, float]] = report["systems"]
    metrics = sorted({metric for values in systems.values() for metric in values})
    table = Table(title=f"{report['dataset']}: {report['n']} items in {report['seconds']:.1f} s")
    table.add_column("system")
    for metric in metrics:
        table.add_column(metric, justify="right")
    for name, values in systems.items():
        table.add_row(name, *(f"{values[m]:.3f}" if m in values else "" for m in metrics))
    stdout.print(table)
    for system, messages in report.get("failures", {}).items():
        for message in messages:
            stderr.print(f"strife: {system}: {escape(message)}")


def _print_article(document: dict[str, Any]) -> None:
    article = document["article"]
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    source = document["input"].get("url") or document["input"].get("path")
    for label, value in (
        ("page", source),
        ("title", article["title"]),
        ("subtitle", article["subtitle"]),
        ("authors", ", ".join(article["authors"])),
        ("publisher", article["publisher"]),
        ("published", article["published"]),
        ("language", article["language"]),
        ("captions", "; ".join(_caption_line(c) for c in article["captions"])),
        ("boilerplate", f"{len(article['boilerplate'])} blocks set aside"),
    ):
        table.add_row(label, escape(str(value)) if value else "[dim]-[/dim]")
    stdout.print(table)
    stdout.print()
    stdout.print(escape(article["text"]) or "[dim](no body text)[/dim]")
    stdout.print()


def _caption_line(caption: dict[str, Any]) -> str:
    credit = f" ({caption['credit']})" if caption.get("credit") else ""
    return f"{caption['text']}{credit}"


def _report_error(
    error: StrifeError, *, location: str | None = None, console: Console | None = None
) -> None:
    where = error.source or location
    prefix = f"{where}: " if where else ""
    (console or stderr).print(f"strife: error: {escape(prefix + error.message)} [{error.code}]")


def _exit_for(failures: list[StrifeError], *, total: int) -> None:
    if not failures:
        raise typer.Exit(EXIT_OK)
    if total == 1:
        raise typer.Exit(failures[0].exit_code)
    stderr.print(f"strife: {len(failures)} of {total} pages failed")
    raise typer.Exit(EXIT_SOME_FAILED)


def main() -> None:
    """Entry point: run the app, turning any error into a message and an exit code.

    Usage errors are Click's (exit 2); a StrifeError exits with its own code;
    anything else is a bug (exit 70), with the traceback only under --debug.
    """
    try:
        app()
    except StrifeError as error:
        _report_error(error)
        sys.exit(error.exit_code)
    except Exception as exc:
        if _state["debug"]:
            traceback.print_exc()
        else:
            stderr.print(
                f"strife: unexpected error: {escape(type(exc).__name__)}: {escape(str(exc))}\n"
                "This is a bug. Run again with --debug for the traceback, and report it."
            )
        sys.exit(EXIT_BUG)
