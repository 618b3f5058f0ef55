"""The docs say what the code does: generated parts are current, nothing is left out."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from strife.errors import WARNINGS, error_classes
from strife.settings import setting_help

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("page", sorted(DOCS.glob("*.md")), ids=lambda p: p.name)
def test_docs_generated_parts_are_current(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generator = _generator()
    monkeypatch.setenv("COLUMNS", generator.HELP_WIDTH)
    text = page.read_text(encoding="utf-8")
    assert generator.render(text, generator.generated_parts()) == text, (
        f"{page.name} is out of date: run `python docs/generate.py`"
    )


def test_docs_name_every_setting_error_and_warning() -> None:
    settings = (DOCS / "settings.md").read_text(encoding="utf-8")
    errors = (DOCS / "errors.md").read_text(encoding="utf-8")
    for name in setting_help():
        assert f"`{name}`" in settings, name
    for cls in error_classes():
        assert f"`{cls.code}`" in errors, cls.__name__
    for code in WARNINGS:
        assert f"`{code}`" in errors, code


def test_docs_readme_starts_with_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:console|sh|bash)\n(.*?)```", readme, re.S)
    assert len(blocks) >= 2
    run, test = blocks[0].strip(), blocks[1].strip()
    assert "pip install" in run
    assert "strife extract" in run
    assert "pip install" in test
    assert "pytest" in test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test.removeprefix("$ ") in ci, ".ci/run must call the README's test command"
