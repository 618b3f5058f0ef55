"""Regenerate the parts of the docs that come from the code.

Run ``python docs/generate.py`` after changing a command, a setting or an
error code; ``tests/test_docs.py`` fails while the docs are out of date. Each
generated part sits between ``<!-- generated: NAME -->`` and
``<!-- /generated -->`` markers, so the prose around it is kept.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from typer.testing import CliRunner

from strife.cli import app
from strife.errors import WARNINGS, error_classes
from strife.extract.quantities import VAGUE_WORDS
from strife.settings import setting_help
from strife.taxonomy import EVENT_TYPES

DOCS = Path(__file__).resolve().parent
#: Help is rendered at a fixed width so the docs do not depend on the terminal.
HELP_WIDTH = "88"
COMMANDS = (
    ["--help"],
    ["clean", "--help"],
    ["extract", "--help"],
    ["ingest", "--help"],
    ["events", "--help"],
    ["serve", "--help"],
    ["bench", "--help"],
    ["eval", "--help"],
    ["eval", "clean", "--help"],
    ["eval", "claims", "--help"],
    ["eval", "case2021", "--help"],
    ["eval", "isaf", "--help"],
    ["eval", "fakes", "--help"],
    ["eval", "wikievents", "--help"],
    ["eval", "hrdsattack", "--help"],
    ["date", "--help"],
    ["locate", "--help"],
    ["gazetteer", "--help"],
    ["gazetteer", "build", "--help"],
    ["gazetteer", "load", "--help"],
    ["gazetteer", "info", "--help"],
)
MARKER = re.compile(r"(<!-- generated: (?P<name>[\w-]+) -->\n).*?(<!-- /generated -->)", re.S)


def help_text(args: list[str]) -> str:
    result = CliRunner().invoke(app, args, env={"COLUMNS": HELP_WIDTH}, prog_name="strife")
    return result.output.rstrip() + "\n"


def generated_parts() -> dict[str, str]:
    """Each generated part by name."""
    parts = {}
    for args in COMMANDS:
        name = "help-" + "-".join(a for a in args if a != "--help") if len(args) > 1 else "help"
        parts[name] = f"```text\n$ strife {' '.join(args)}\n{help_text(args)}```\n"
    rows = ["| setting | default | what it does |", "| --- | --- | --- |"]
    for name, (default, text) in setting_help().items():
        rows.append(f"| `{name}` | `{default!r}` | {text} |")
    parts["settings"] = "\n".join(rows) + "\n"
    rows = ["| code | error | exit code | meaning |", "| --- | --- | --- | --- |"]
    for cls in error_classes():
        summary = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
        rows.append(f"| `{cls.code}` | `{cls.__name__}` | {cls.exit_code} | {summary} |")
    parts["errors"] = "\n".join(rows) + "\n"
    rows = ["| code | meaning |", "| --- | --- |"]
    rows += [f"| `{code}` | {text} |" for code, text in WARNINGS.items()]
    parts["warnings"] = "\n".join(rows) + "\n"
    parts["taxonomy"] = _taxonomy_table()
    rows = ["| word | low bound | why |", "| --- | ---: | --- |"]
    rows += [f"| {word} | {low:,} | {why} |" for word, (low, why) in VAGUE_WORDS.items()]
    parts["vague-words"] = "\n".join(rows) + "\n"
    return parts


def _taxonomy_table() -> str:
    rows = [
        "| key | ACLED sub-event type | PLOVER | CAMEO |",
        "| --- | --- | --- | --- |",
    ]
    for key, event_type in EVENT_TYPES.items():
        acled = event_type.acled_sub_event_type or "(not in ACLED)"
        rows.append(f"| `{key}` | {acled} | {event_type.plover or ''} | {event_type.cameo or ''} |")
    return "\n".join(rows) + "\n"


def render(text: str, parts: dict[str, str]) -> str:
    """``text`` with every generated part replaced by its current version."""

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in parts:
            raise KeyError(f"unknown generated part {name!r}")
        return match.group(1) + parts[name] + match.group(3)

    return MARKER.sub(replace, text)


def main() -> int:
    os.environ["COLUMNS"] = HELP_WIDTH
    parts = generated_parts()
    for path in sorted(DOCS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        updated = render(text, parts)
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            print(f"updated {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
