"""``strife eval`` and ``strife bench``: accuracy and speed against gold data."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from strife.cli import (
    JsonOption,
    LimitOption,
    SetOption,
    app,
    eval_app,
    stderr,
    stdout,
)
from strife.errors import EXIT_OK, EXIT_SOME_FAILED
from strife.settings import load_settings

if TYPE_CHECKING:
    from strife.evaluate import EvalReport


#: Where `strife bench` records results and keeps floors: the project the command runs in.
BENCHMARKS_FILE = Path("BENCHMARKS.md")


FLOORS_FILE = Path("benchmarks") / "floors.json"


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
    "linking": (
        "The same-incident groups: the folder with candidates.jsonl and groups.jsonl.",
        "Score linking: ingest and link the candidates, then pair and B-cubed precision/recall.",
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
    ray: Annotated[
        bool,
        typer.Option(
            "--ray",
            help="Also time ingest on a local Ray cluster (1 worker, then one per core) "
            "against the local processes: about a minute more; needs strife[ray].",
        ),
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
        ray=ray,
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
