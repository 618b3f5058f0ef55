"""``strife clean`` and ``strife extract``: pages in, articles and events out, as text or JSON."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

from strife.cli import (
    JsonOption,
    PagesArgument,
    SetOption,
    _exit_for,
    _gazetteer_status,
    _report_error,
    app,
    stderr,
    stdout,
)
from strife.errors import StrifeError
from strife.settings import load_settings

if TYPE_CHECKING:
    from strife.pipeline import Pipeline


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
