"""Tests for ``strife ingest`` and ``strife events``: the record built from pages we wrote.

Each page is a short report composed here from a template (a town, a day, a toll), so
every page has its own bytes and its own event. The full pipeline runs in-process
(the spaCy model loads once per session); the kill test runs ``strife ingest`` as a
subprocess and is marked slow.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from strife.cli import app, main
from strife.settings import Settings
from strife.store.repository import open_repository

#: Towns the gazetteer knows, each with its country, for pages that place their event.
TOWNS = [
    ("Homs", "SY"),
    ("Aleppo", "SY"),
    ("Idlib", "SY"),
    ("Hama", "SY"),
    ("Kandahar", "AF"),
    ("Kunduz", "AF"),
    ("Mosul", "IQ"),
    ("Kirkuk", "IQ"),
]
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Shelling kills {killed} in {town}</title>
<meta property="og:site_name" content="The Valley Courier">
<meta property="article:published_time" content="2024-03-{day:02d}T09:00:00+02:00">
</head><body><article>
<h1>Shelling kills {killed} in {town}</h1>
<p>At least {killed} people were killed when artillery shells struck a crowded market in
{town} on Monday morning, the local health department said.</p>
<p>Residents said the shelling began shortly after dawn and lasted for about an hour.
Rescue workers were still searching the rubble on Monday evening, a civil defence
official said, and hospitals in the city appealed for blood donors.</p>
</article></body></html>
"""


def _page(index: int) -> str:
    town, _ = TOWNS[index % len(TOWNS)]
    return PAGE.format(town=town, killed=3 + index, day=4 + index % 20)


def _write_pages(folder: Path, count: int, *, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + count):
        path = folder / f"report-{index:03d}.html"
        path.write_text(_page(index), encoding="utf-8")
        paths.append(path)
    return paths


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def _summary(result: Result) -> dict[str, Any]:
    summary: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return summary


def test_ingest_folder_then_rerun_is_unchanged(tmp_path: Path, db: str) -> None:
    _write_pages(tmp_path / "pages", 3)

    first = _invoke("ingest", str(tmp_path / "pages"), "--db", db, "--json")
    second = _invoke("ingest", str(tmp_path / "pages"), "--db", db, "--json")

    assert first.exit_code == 0, first.output
    assert _summary(first)["new"] == 3
    assert second.exit_code == 0, second.output
    assert {k: _summary(second)[k] for k in ("new", "unchanged", "revised", "failed")} == {
        "new": 0,
        "unchanged": 3,
        "revised": 0,
        "failed": 0,
    }
    with open_repository(db) as repository:
        counts = repository.counts()
    assert counts["articles"] == 3
    assert counts["events"] >= 3
    assert counts["ingest_runs"] == 2


def test_ingest_skips_stored_pages_before_processing(
    tmp_path: Path, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_pages(tmp_path / "pages", 2)
    assert _invoke("ingest", str(tmp_path / "pages"), "--db", db).exit_code == 0

    def refuse(*args: Any, **kwargs: Any) -> list[Any]:
        raise AssertionError("a stored page went through the stages again")

    monkeypatch.setattr("strife.pipeline.Pipeline.run_batch", refuse)
    result = _invoke("ingest", str(tmp_path / "pages"), "--db", db, "--json")

    assert result.exit_code == 0, result.output
    assert _summary(result)["unchanged"] == 2


def test_ingest_jsonl_with_a_bad_line_and_a_revision(tmp_path: Path, db: str) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"url": "https://example.org/homs", "html": _page(0)}),
        "{not json",
        json.dumps({"id": "kabul-1", "text": "Kabul\n\nA bomb killed nine people in Kabul."}),
        json.dumps({"id": "no-body"}),
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")

    first = _invoke("ingest", str(feed), "--db", db, "--json")

    assert first.exit_code == 1
    summary = _summary(first)
    assert (summary["new"], summary["failed"]) == (2, 2)
    assert "feed.jsonl:2" in first.stderr
    assert "not a JSON object" in first.stderr
    assert 'no "text" or "html"' in first.stderr

    lines[0] = json.dumps({"url": "https://example.org/homs", "html": _page(1)})
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    second = _summary(_invoke("ingest", str(feed), "--db", db, "--json"))

    assert (second["new"], second["unchanged"], second["revised"]) == (0, 1, 1)
    with open_repository(db) as repository:
        versions = repository.find_articles(location="https://example.org/homs")
    assert [(v.revision, v.superseded) for v in versions] == [(1, True), (2, False)]


def test_ingest_jsonl_published_fills_a_page_without_one(tmp_path: Path, db: str) -> None:
    feed = tmp_path / "feed.jsonl"
    text = (
        "Market shelling in Homs\n\nAt least seven people were killed when shells hit a "
        "market in Homs on Monday, the local health department said."
    )
    record = {"id": "homs-7", "published": "2012-03-14T10:00:00+02:00", "text": text}
    feed.write_text(json.dumps(record) + "\n", encoding="utf-8")

    assert _invoke("ingest", str(feed), "--db", db).exit_code == 0

    with open_repository(db) as repository:
        (article,) = repository.find_articles()
        events = repository.find_events()
    assert article.published == "2012-03-14T10:00:00+02:00"
    assert all(p["code"] != "W204" for p in article.document["problems"])
    assert events
    assert events[0].event["date"]["start"] == "2012-03-12"  # "on Monday" before the 14th


def test_ingest_commits_each_batch(
    tmp_path: Path, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from strife.errors import DiskFullError
    from strife.store.repository import Repository

    _write_pages(tmp_path / "pages", 5)
    real = Repository.save_documents
    calls: list[int] = []

    def second_batch_fails(self: Repository, documents: Any, **kwargs: Any) -> Any:
        calls.append(len(documents))
        if len(calls) == 2:
            raise DiskFullError("the disk is full", source=db)
        return real(self, documents, **kwargs)

    monkeypatch.setattr(Repository, "save_documents", second_batch_fails)
    result = _invoke("ingest", str(tmp_path / "pages"), "--db", db, "--set", "batch_size=2")

    assert isinstance(result.exception, DiskFullError)
    monkeypatch.setattr(Repository, "save_documents", real)
    with open_repository(db) as repository:
        assert repository.counts()["articles"] == 2  # the first batch stayed
    rerun = _invoke(
        "ingest", str(tmp_path / "pages"), "--db", db, "--json", "--set", "batch_size=2"
    )
    assert (_summary(rerun)["unchanged"], _summary(rerun)["new"]) == (2, 3)


def test_ingest_extracts_only_the_pages_not_stored_yet_issue_7(
    tmp_path: Path, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A half-done run, run again, extracts the rest; a run after that extracts nothing."""
    from strife.pipeline import Pipeline

    real = Pipeline.run_batch
    extracted: list[str] = []

    def counting(self: Pipeline, documents: list[Any], **kwargs: Any) -> Any:
        extracted.extend(Path(document.input.location).name for document in documents)
        return real(self, documents, **kwargs)

    _write_pages(tmp_path / "pages", 2)
    first = _invoke("ingest", str(tmp_path / "pages"), "--db", db, "--json", "--workers", "1")
    _write_pages(tmp_path / "pages", 3, start=2)
    monkeypatch.setattr(Pipeline, "run_batch", counting)
    options = ["--db", db, "--json", "--workers", "1", "--set", "batch_size=2"]

    rest = _summary(_invoke("ingest", str(tmp_path / "pages"), *options))
    rest_extracted, extracted[:] = list(extracted), []
    again = _summary(_invoke("ingest", str(tmp_path / "pages"), *options))

    assert _summary(first)["new"] == 2
    assert (rest["new"], rest["already_stored"], rest["unchanged"]) == (3, 2, 2)
    assert rest_extracted == [f"report-{index:03d}.html" for index in (2, 3, 4)]
    assert (again["new"], again["already_stored"]) == (0, 5)
    assert extracted == []


def test_events_command_filters_and_prints_json_lines(tmp_path: Path, db: str) -> None:
    _write_pages(tmp_path / "pages", 4)
    assert _invoke("ingest", str(tmp_path / "pages"), "--db", db).exit_code == 0

    everything = _invoke("events", "--db", db, "--json")
    syria = _invoke("events", "--db", db, "--json", "--country", "SY", "--min-fatalities", "4")
    table = _invoke("events", "--db", db, "--limit", "1")
    none = _invoke("events", "--db", db, "--since", "2030-01-01")

    rows = [json.loads(line) for line in everything.stdout.splitlines()]
    assert len(rows) >= 4
    assert all(row["id"].startswith("ev-") for row in rows)
    assert all(r["article"]["location"].endswith(".html") for row in rows for r in row["reports"])
    syrian = [json.loads(line) for line in syria.stdout.splitlines()]
    assert syrian
    assert all(row["location"]["country"] == "SY" for row in syrian)
    assert all(row["fatalities"]["best"] >= 4 for row in syrian)
    assert table.exit_code == 0
    assert "2024-03-04" in table.stdout
    assert none.exit_code == 0
    assert "no event in the record matches" in none.stderr


def test_events_command_rejects_a_bad_country_and_day(tmp_path: Path) -> None:
    db = str(tmp_path / "record.sqlite")

    assert _invoke("events", "--db", db, "--country", "Syria").exit_code == 2
    assert _invoke("events", "--db", db, "--since", "March 2012").exit_code == 2


def test_ingest_db_setting_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_pages(tmp_path / "pages", 1)
    monkeypatch.setenv("STRIFE_DB", str(tmp_path / "from-env.sqlite"))

    result = _invoke("ingest", str(tmp_path / "pages"))

    assert result.exit_code == 0, result.output
    assert (tmp_path / "from-env.sqlite").exists()
    assert Settings().db == "strife.sqlite"


def test_ingest_locked_database_exits_5_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_pages(tmp_path / "pages", 1)
    db = tmp_path / "record.sqlite"
    open_repository(db).close()
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    args = ["strife", "ingest", str(tmp_path / "pages"), "--db", str(db)]
    monkeypatch.setattr(sys, "argv", [*args, "--set", "db_busy_timeout=0.1"])
    try:
        with pytest.raises(SystemExit) as exit_info:
            main()
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert exit_info.value.code == 5
    err = capsys.readouterr().err
    assert "locked by another process" in err
    assert "[E501]" in err
    assert "Traceback" not in err


def test_ingest_locked_postgres_database_exits_5_with_a_message(
    tmp_path: Path,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import psycopg

    from strife.store._engine import WRITE_LOCK_KEY

    _write_pages(tmp_path / "pages", 1)
    open_repository(postgres_url).close()
    args = ["strife", "ingest", str(tmp_path / "pages"), "--db", postgres_url]
    monkeypatch.setattr(sys, "argv", [*args, "--set", "db_busy_timeout=0.1"])
    with psycopg.connect(postgres_url) as other:
        # Another ingest is in the middle of writing a batch.
        other.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        with pytest.raises(SystemExit) as exit_info:
            main()

    assert exit_info.value.code == 5
    err = capsys.readouterr().err
    assert "locked by another process" in err
    assert "[E501]" in err
    assert "Traceback" not in err


def test_events_on_a_file_that_is_not_a_database_exits_5(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database at all\n" * 100)
    monkeypatch.setattr(sys, "argv", ["strife", "events", "--db", str(path)])

    with pytest.raises(SystemExit) as exit_info:
        main()

    assert exit_info.value.code == 5
    assert "[E504]" in capsys.readouterr().err


def _stored_documents(db: str) -> dict[str, dict[str, Any]]:
    """Each stored page's strife/1 document by location, without the stage timings."""
    with open_repository(db) as repository:
        articles = repository.find_articles()
    return {a.location: {**a.document, "trace": None} for a in articles}


def test_ingest_workers_store_what_one_process_stores(tmp_path: Path) -> None:
    _write_pages(tmp_path / "pages", 6)
    (tmp_path / "pages" / "empty.html").write_text("", encoding="utf-8")
    alone, pooled = str(tmp_path / "alone.sqlite"), str(tmp_path / "pooled.sqlite")
    options = ["--json", "--set", "batch_size=2"]

    here = _invoke("ingest", str(tmp_path / "pages"), "--db", alone, "--workers", "1", *options)
    workers = _invoke("ingest", str(tmp_path / "pages"), "--db", pooled, "--workers", "2", *options)

    assert (here.exit_code, workers.exit_code) == (1, 1)  # the empty page, reported
    assert "empty.html" in workers.stderr
    assert "[E101]" in workers.stderr
    assert (_summary(workers)["new"], _summary(workers)["failed"]) == (6, 1)
    stored = _stored_documents(pooled)
    assert len(stored) == 6
    assert stored == _stored_documents(alone)
    assert all(document["events"] for document in stored.values())


def test_ingest_worker_errors_keep_their_class_across_processes() -> None:
    from strife._ingest_work import error_from_wire, error_to_wire
    from strife.errors import EmptyInputError, StageError

    stage = StageError("stage read failed", stage="read", source="a.html", document_id="ab12")
    empty = EmptyInputError("the page is empty", source="b.html")

    back, again = error_from_wire(error_to_wire(stage)), error_from_wire(error_to_wire(empty))

    assert isinstance(back, StageError)
    assert (back.stage, back.source, back.document_id) == ("read", "a.html", "ab12")
    assert isinstance(again, EmptyInputError)
    assert str(again) == str(empty)


def _articles(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as connection:
        articles = connection.execute("SELECT count(*), count(DISTINCT sha256) FROM articles")
        total, distinct = articles.fetchone()
        (doubled,) = connection.execute(
            "SELECT count(*) FROM (SELECT article_id, key FROM events "
            "GROUP BY article_id, key HAVING count(*) > 1)"
        ).fetchone()
    return total, distinct, doubled


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"], ids=["in-process", "two-workers"])
def test_ingest_killed_mid_run_resumes_with_nothing_lost_or_doubled(
    tmp_path: Path, workers: str
) -> None:
    _write_pages(tmp_path / "pages", 40)
    db = tmp_path / "record.sqlite"
    command = [sys.executable, "-m", "strife", "ingest", str(tmp_path / "pages")]
    command += ["--db", str(db), "--json", "--set", "batch_size=4", "--workers", workers]
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIFE_")}
    quiet = subprocess.DEVNULL
    process = subprocess.Popen(command, env=env, stdout=quiet, stderr=quiet)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if db.exists() and _stored(db) >= 4:  # the first batch is committed
                break
            time.sleep(0.02)
        assert process.poll() is None, "the run ended before it could be killed"
        children = _children(process.pid)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    killed_at = _stored(db)
    assert 4 <= killed_at < 40
    assert workers == "1" or len(children) >= 2, "the run started no worker processes"
    assert _all_ended(children, seconds=30), "worker processes outlived their parent"

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)

    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["unchanged"] == killed_at
    assert summary["new"] == 40 - killed_at
    assert _articles(db) == (40, 40, 0)
    with open_repository(db) as repository:
        events = repository.find_events()
    assert len({event.article_id for event in events}) == 40


def _children(parent: int) -> set[int]:
    """The processes whose parent is ``parent`` (from /proc; none where it is missing)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == parent:
            found.add(int(stat.parent.name))
    return found


def _all_ended(pids: set[int], *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(_running(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its reaping is left


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as connection:
            (count,) = connection.execute("SELECT count(*) FROM articles").fetchone()
    except sqlite3.OperationalError:  # the schema is being created
        return 0
    return int(count)
