"""The ``strife`` command: a thin layer over the library.

Each command parses its options, builds Settings, calls one library function
and renders the result: Rich for people, ``--json`` for machines. Errors are
caught once, in :func:`main`, and become a one-line message and an exit code
(see ``errors.py``).

This module holds the app, the options every command shares and the error
handling; the commands live beside it, one module per part of the flow:
``pages.py`` (clean, extract), ``places.py`` (date, locate, gazetteer),
``record.py`` (ingest), ``linking.py`` (link, merge, split), ``query.py`` (events,
event, changes, export) and ``measure.py`` (eval, bench).
"""

from __future__ import annotations

import sys
import traceback
from importlib import import_module
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from strife import __version__
from strife.errors import EXIT_BUG, EXIT_OK, EXIT_SOME_FAILED, StrifeError

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


def _gazetteer_status(settings: Any) -> Any:
    """A spinner on stderr while the gazetteer is built on first use; nothing otherwise."""
    from contextlib import nullcontext

    from strife.locate.gazetteer import gazetteer_path

    if gazetteer_path(settings).exists():
        return nullcontext()
    return stderr.status("building the gazetteer once (about 20 s)")


def _open_db(db: str | None, assignments: list[str] | None) -> Any:
    """The record's database: ``--db``, else the ``db`` setting (commands that read or edit it)."""
    from strife.settings import load_settings
    from strife.store.repository import open_repository

    settings = load_settings(assignments or [])
    return open_repository(db or settings.db, busy_timeout=settings.db_busy_timeout)


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


# Each command module registers its commands on ``app`` when imported; this order is
# the order ``strife --help`` lists them in.
for _module in ("pages", "places", "record", "linking", "query", "serve", "notify", "measure"):
    import_module(f"strife.cli.{_module}")
