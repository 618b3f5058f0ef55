"""Tests for the ``strife`` command: output, exit codes and the error paths through ``main()``.

Most tests call the Typer app in-process with ``CliRunner``. Errors that leave the
app (a ``StrifeError`` from settings or the evaluation, an unexpected exception)
are turned into exit codes by ``main()``, which ``CliRunner`` bypasses, so those
run ``python -m strife`` in a subprocess. Every page here is one we wrote.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner, Result

import strife
from strife.cli import app
from strife.errors import EXIT_BUG, EXIT_SOME_FAILED, EXIT_USAGE, StageError
from strife.evaluate.clean import SYSTEMS
from strife.settings import Settings

if TYPE_CHECKING:
    from conftest import WrittenPage

EXAMPLE_PAGES = Path(__file__).resolve().parents[1] / "examples" / "pages"
#: Exit codes of InputError and SetupError (errors.py).
EXIT_INPUT = 3
EXIT_SETUP = 4
#: Seconds a `python -m strife` run may take before the test gives up.
SUBPROCESS_TIMEOUT = 60
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"


def _invoke(*args: str, **kwargs: Any) -> Result:
    return CliRunner().invoke(app, list(args), **kwargs)


def _json_lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def _run_strife(
    *args: str, cwd: Path, extra_path: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m strife`` so that ``main()`` turns errors into exit codes."""
    env = dict(os.environ)
    if extra_path is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(extra_path), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "strife", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )


# --- strife clean: output ---------------------------------------------------------------------


def test_cli_clean_json_gives_one_strife1_line_per_page(
    article_page: WrittenPage, short_page: WrittenPage
) -> None:
    result = _invoke("clean", str(article_page.path), str(short_page.path), "--json")

    assert result.exit_code == 0, result.output
    documents = _json_lines(result.stdout)
    assert len(documents) == 2
    assert len(result.stdout.splitlines()) == 2  # JSON Lines: nothing else on stdout
    for document, page in zip(documents, (article_page, short_page), strict=True):
        assert document["schema"] == "strife/1"
        assert document["input"] == {
            "path": str(page.path),
            "sha256": hashlib.sha256(page.path.read_bytes()).hexdigest(),
        }
        assert document["article"]["title"] == page.title
        assert page.snippet in document["article"]["text"]
        assert [entry["stage"] for entry in document["trace"]] == ["clean"]
    article = documents[0]["article"]
    assert article["published"] == "2024-03-12T08:45:00+02:00"
    assert article["authors"] == ["Mira Castellan"]
    assert article["publisher"] == "The Coastal Post"
    assert article["language"] == "en"
    assert "Home" not in article["text"]
    assert documents[0]["problems"] == []


def test_cli_clean_human_output_shows_title_and_body(article_page: WrittenPage) -> None:
    result = _invoke("clean", str(article_page.path))

    assert result.exit_code == 0, result.output
    assert article_page.title in result.stdout
    assert article_page.snippet in result.stdout
    assert "Mira Castellan" in result.stdout
    assert not result.stdout.lstrip().startswith("{")


def test_cli_clean_human_output_keeps_square_brackets_in_title(tmp_path: Path) -> None:
    # Rich would read "[updated]" as markup and drop it unless the CLI escapes it.
    title = "Ceasefire talks resume in Varna [updated]"
    page = tmp_path / "varna.html"
    page.write_text(
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article>"
        f"<h1>{title}</h1><p>Delegations from both sides returned to the table in Varna on "
        "Wednesday, a week after the last round of talks collapsed over prisoner lists "
        "[corrected].</p></article></body></html>",
        encoding="utf-8",
    )

    result = _invoke("clean", str(page))

    assert result.exit_code == 0, result.output
    assert title in result.stdout
    assert "prisoner lists [corrected]." in result.stdout


def test_cli_clean_warnings_go_to_stderr_with_their_codes(short_page: WrittenPage) -> None:
    result = _invoke("clean", str(short_page.path), "--json")

    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if " warning " in line]
    assert any(f"{short_page.path}: warning W202:" in line for line in warnings), result.stderr
    assert any(f"{short_page.path}: warning W204:" in line for line in warnings), result.stderr
    # The same problems are in the JSON, and nothing but the JSON line is on stdout.
    assert len(result.stdout.splitlines()) == 1
    (document,) = _json_lines(result.stdout)
    assert {problem["code"] for problem in document["problems"]} == {"W202", "W204"}


def test_cli_clean_clean_page_prints_nothing_on_stderr(article_page: WrittenPage) -> None:
    result = _invoke("clean", str(article_page.path), "--json")

    assert result.exit_code == 0
    assert result.stderr == ""


def test_cli_clean_reads_stdin_for_dash(article_page: WrittenPage) -> None:
    raw = article_page.path.read_bytes()

    result = _invoke("clean", "-", "--json", input=raw)

    assert result.exit_code == 0, result.output
    (document,) = _json_lines(result.stdout)
    assert document["input"] == {"path": "-", "sha256": hashlib.sha256(raw).hexdigest()}
    assert document["article"]["title"] == article_page.title


def test_cli_clean_folder_expands_to_its_pages_and_skips_expectations() -> None:
    pages = sorted(
        str(path) for path in EXAMPLE_PAGES.iterdir() if path.suffix in {".html", ".txt"}
    )
    assert len(pages) == 3
    assert list(EXAMPLE_PAGES.glob("*.expect.toml"))  # there is something to skip

    result = _invoke("clean", str(EXAMPLE_PAGES), "--json")

    assert result.exit_code == 0, result.output
    paths = [document["input"]["path"] for document in _json_lines(result.stdout)]
    assert paths == pages
    assert "toml" not in result.stderr


# --- strife clean: failures and exit codes ----------------------------------------------------


def _bad_page(folder: Path, kind: str) -> Path:
    path = folder / f"{kind}.html"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(PNG_BYTES)
    return path  # "missing" is never written


BAD_PAGES = [("missing", "E104"), ("empty", "E101"), ("binary", "E102")]


@pytest.mark.parametrize(("kind", "code"), BAD_PAGES, ids=[kind for kind, _ in BAD_PAGES])
def test_cli_clean_batch_with_one_bad_page_prints_the_rest_and_exits_1(
    tmp_path: Path, article_page: WrittenPage, short_page: WrittenPage, kind: str, code: str
) -> None:
    bad = _bad_page(tmp_path, kind)

    result = _invoke("clean", str(article_page.path), str(bad), str(short_page.path), "--json")

    assert result.exit_code == EXIT_SOME_FAILED, result.output
    titles = [document["article"]["title"] for document in _json_lines(result.stdout)]
    assert titles == [article_page.title, short_page.title]
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1
    assert str(bad) in errors[0]
    assert errors[0].endswith(f"[{code}]")
    assert "1 of 3 pages failed" in result.stderr


@pytest.mark.parametrize(("kind", "code"), BAD_PAGES, ids=[kind for kind, _ in BAD_PAGES])
def test_cli_clean_single_bad_page_exits_with_input_error_code(
    tmp_path: Path, kind: str, code: str
) -> None:
    bad = _bad_page(tmp_path, kind)

    result = _invoke("clean", str(bad))

    assert result.exit_code == EXIT_INPUT
    assert result.stdout == ""
    assert f"strife: error: {bad}: " in result.stderr
    assert f"[{code}]" in result.stderr
    assert "pages failed" not in result.stderr


def test_cli_clean_stage_crash_is_reported_and_exits_70_for_one_page(
    article_page: WrittenPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(self: object, document: object, *, settings: Settings) -> object:
        raise ZeroDivisionError("simulated bug in the cleaner")

    monkeypatch.setattr("strife.clean.CleanStage.__call__", crash)

    result = _invoke("clean", str(article_page.path))

    assert result.exit_code == EXIT_BUG
    assert "ZeroDivisionError: simulated bug in the cleaner" in result.stderr
    assert f"[{StageError.code}]" in result.stderr


def test_cli_clean_env_variable_sets_page_size_limit(article_page: WrittenPage) -> None:
    size = article_page.path.stat().st_size

    refused = _invoke("clean", str(article_page.path), env={"STRIFE_MAX_PAGE_BYTES": "200"})
    # --set wins over the environment.
    allowed = _invoke(
        "clean",
        str(article_page.path),
        "--json",
        "--set",
        f"max_page_bytes={size}",
        env={"STRIFE_MAX_PAGE_BYTES": "200"},
    )

    assert refused.exit_code == EXIT_INPUT
    assert "[E103]" in refused.stderr
    assert "200 bytes" in refused.stderr
    assert allowed.exit_code == 0, allowed.output
    assert _json_lines(allowed.stdout)[0]["article"]["title"] == article_page.title


def test_cli_no_arguments_is_a_usage_error() -> None:
    result = _invoke()

    assert result.exit_code == EXIT_USAGE
    assert "Usage:" in result.output
    assert "clean" in result.output


def test_cli_clean_without_pages_is_a_usage_error() -> None:
    result = _invoke("clean")

    assert result.exit_code == EXIT_USAGE
    assert "Missing argument" in result.stderr


def test_cli_version() -> None:
    result = _invoke("--version")

    assert result.exit_code == 0
    assert result.stdout.strip() == f"strife {strife.__version__}"


# --- errors through main(): python -m strife --------------------------------------------------


def test_cli_main_unknown_setting_exits_4_listing_known_settings(
    tmp_path: Path, article_page: WrittenPage
) -> None:
    completed = _run_strife("clean", str(article_page.path), "--set", "unknown=1", cwd=tmp_path)

    assert completed.returncode == EXIT_SETUP
    assert completed.stdout == ""
    assert "unknown setting 'unknown'" in completed.stderr
    for field in fields(Settings):
        assert field.name in completed.stderr
    assert "[E201]" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_cli_main_setting_of_wrong_type_exits_4(tmp_path: Path, article_page: WrittenPage) -> None:
    completed = _run_strife(
        "clean", str(article_page.path), "--set", "max_page_bytes=abc", cwd=tmp_path
    )

    assert completed.returncode == EXIT_SETUP
    assert "max_page_bytes expects int, got 'abc'" in completed.stderr
    assert "[E201]" in completed.stderr
    assert "Traceback" not in completed.stderr


#: Loaded at start-up through PYTHONPATH: a stand-in for a bug the CLI does not expect.
BUG_HOOK = """
import strife.load


def _broken(locations):
    raise RuntimeError("simulated bug while listing pages")


strife.load.expand_inputs = _broken
"""


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_cli_main_unexpected_error_exits_70(
    tmp_path: Path, article_page: WrittenPage, debug: bool
) -> None:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(BUG_HOOK, encoding="utf-8")
    options = ["--debug"] if debug else []

    completed = _run_strife(
        *options, "clean", str(article_page.path), cwd=tmp_path, extra_path=hook
    )

    assert completed.returncode == EXIT_BUG
    assert completed.stdout == ""
    assert "simulated bug while listing pages" in completed.stderr
    if debug:
        assert "Traceback (most recent call last)" in completed.stderr
        assert "_broken" in completed.stderr
    else:
        assert "Traceback" not in completed.stderr
        assert "RuntimeError" in completed.stderr
        assert "--debug" in completed.stderr


# --- strife eval clean ------------------------------------------------------------------------

GOLD_BODIES = {
    "0001": (
        "Two people were hurt when a crowd tried to storm the town hall in Orvel on Saturday, "
        "police said. Officers used pepper spray to push the crowd back from the steps."
    ),
    "0002": (
        "Farmers blocked the ring road around Dunmore with tractors for six hours on Monday "
        "to protest against a cut in diesel subsidies. Traffic was diverted through the centre."
    ),
}


def _scrapinghub_folder(root: Path) -> Path:
    """A two-page data set in the ScrapingHub format: ground-truth.json and html/<id>.html.gz."""
    folder = root / "tiny-scrapinghub"
    (folder / "html").mkdir(parents=True)
    gold = {}
    for key, body in GOLD_BODIES.items():
        first, second = body.split(". ", 1)
        html = (
            "<!DOCTYPE html><html><head><title>Local news</title></head><body>"
            '<nav><a href="/">Home</a> <a href="/local">Local</a> <a href="/weather">Weather</a>'
            f"</nav><article><h1>Local news {key}</h1><p>{first}.</p><p>{second}</p></article>"
            "<footer>Sign up for our morning newsletter</footer></body></html>"
        )
        (folder / "html" / f"{key}.html.gz").write_bytes(gzip.compress(html.encode("utf-8")))
        gold[key] = {"articleBody": body, "url": f"https://news.example.org/local/{key}"}
    (folder / "ground-truth.json").write_text(json.dumps(gold), encoding="utf-8")
    return folder


def test_cli_eval_clean_json_reports_every_system(tmp_path: Path) -> None:
    folder = _scrapinghub_folder(tmp_path)

    result = _invoke("eval", "clean", str(folder), "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)  # one JSON object and nothing else
    assert {"dataset", "n", "seconds", "systems"} <= set(report)
    assert report["dataset"] == "scrapinghub:tiny-scrapinghub"
    assert report["n"] == 2
    assert report["seconds"] >= 0
    assert set(report["systems"]) == set(SYSTEMS)
    assert set(SYSTEMS) == {"strife", "trafilatura", "strife_text", "keep_everything"}
    for name, metrics in report["systems"].items():
        assert {"f1", "precision", "recall", "pages_per_second"} <= set(metrics), name
        for metric in ("f1", "precision", "recall"):
            assert 0.0 <= metrics[metric] <= 1.0, (name, metric)
        assert metrics["pages_per_second"] > 0, name
    # The whole visible text holds every gold word, so the baseline misses nothing.
    assert report["systems"]["keep_everything"]["recall"] == 1.0
    assert "failures" not in report


def test_cli_main_eval_clean_on_folder_without_gold_exits_3(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-dataset"
    folder.mkdir()
    (folder / "notes.txt").write_text("pages to score later\n", encoding="utf-8")

    completed = _run_strife("eval", "clean", str(folder), "--json", cwd=tmp_path)

    assert completed.returncode == EXIT_INPUT
    assert completed.stdout == ""
    assert f"{folder}: holds neither ground-truth.json" in completed.stderr
    assert "[E100]" in completed.stderr
    assert "Traceback" not in completed.stderr
