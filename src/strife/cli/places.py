"""``strife date``, ``strife locate`` and ``strife gazetteer``: one phrase, and the gazetteer."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from strife.cli import (
    JsonOption,
    SetOption,
    _gazetteer_status,
    app,
    gazetteer_app,
    stderr,
    stdout,
)
from strife.errors import StrifeError
from strife.settings import load_settings

if TYPE_CHECKING:
    pass


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

    Each name is listed with its role (place, actor, origin, reference, destination);
    names the gazetteer does not know are listed without coordinates.
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
