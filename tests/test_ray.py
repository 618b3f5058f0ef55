"""Tests for ``strife ingest --engine ray``: the same record as a local ingest, on Ray.

One local Ray cluster serves the whole module (it takes seconds to start); each test
ingests a handful of short pages we wrote. The kill test SIGKILLs a worker process
partway through a run and is marked slow.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from strife.cli import app
from strife.settings import Settings
from strife.store.repository import RunCounts, open_repository

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'strife[ray]'")


pytestmark = [
    # Ray Data's own settings object warns of its deprecated fields when it copies
    # itself; not strife's doing.
    pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context"),
]

TOWNS = ["Homs", "Aleppo", "Kandahar", "Mosul", "Idlib", "Kirkuk", "Hama", "Kunduz"]
#: Short reports, each with its own town, day and toll, so each page has its own bytes.
REPORT = (
    "Shelling kills {killed} in {town}\n\n"
    "At least {killed} people were killed when mortar rounds landed on a bus station in "
    "{town} on Tuesday, the provincial health office said.\n\n"
    "Witnesses said the rounds fell a few minutes apart as commuters waited for the "
    "morning buses. Ambulances took the wounded to the city's two hospitals."
)


def _pages(count: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"report-{index}",
            "published": f"2024-04-{2 + index % 20:02d}T08:00:00+03:00",
            "text": REPORT.format(killed=2 + index, town=TOWNS[index % len(TOWNS)]),
        }
        for index in range(count)
    ]


def _write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    """One small local cluster for the module; the engine joins it instead of starting one."""
    ray.init(
        num_cpus=3,  # two workers, and one CPU for Ray Data's reading tasks
        object_store_memory=100 * 1024 * 1024,
        include_dashboard=False,
        logging_level="ERROR",
        log_to_driver=False,
    )
    try:
        yield
    finally:
        ray.shutdown()


def _stored(db: str) -> dict[str, dict[str, Any]]:
    """Each stored page's strife/1 document by location, without its timings."""
    with open_repository(db) as repository:
        articles = repository.find_articles()
    documents = {}
    for article in articles:
        document = dict(article.document)
        document.pop("trace")
        documents[article.location] = document
    return documents


def _ingest(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["ingest", *args, "--json", "--no-link"])
    assert result.exit_code in (0, 1), result.output
    assert result.stdout.strip(), result.stderr
    summary: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return summary


def test_ray_stores_the_same_documents_as_the_local_engine(cluster: None, tmp_path: Path) -> None:
    pages = _write_jsonl(tmp_path / "pages.jsonl", _pages(5))
    local_db, ray_db = str(tmp_path / "local.sqlite"), str(tmp_path / "ray.sqlite")

    local = _ingest(str(pages), "--db", local_db, "--workers", "1")
    on_ray = _ingest(str(pages), "--db", ray_db, "--engine", "ray", "--set", "batch_size=2")

    assert on_ray["engine"] == "ray"
    assert (on_ray["new"], on_ray["failed"]) == (local["new"], local["failed"]) == (5, 0)
    assert _stored(ray_db) == _stored(local_db)
    again = _ingest(str(pages), "--db", ray_db, "--engine", "ray")
    assert (again["new"], again["unchanged"], again["already_stored"]) == (0, 5, 5)


def test_ray_extracts_only_the_pages_not_stored_yet_issue_7(cluster: None, tmp_path: Path) -> None:
    """A run stopped halfway, run again, extracts the rest; a third run extracts nothing."""
    import pyarrow.parquet as pq

    records = _pages(6)
    pages = _write_jsonl(tmp_path / "pages.jsonl", records[:3])  # the half stored before
    db = str(tmp_path / "record.sqlite")
    _ingest(str(pages), "--db", db, "--engine", "ray")
    _write_jsonl(pages, records)

    def run(name: str) -> tuple[dict[str, Any], list[str]]:
        shards = tmp_path / name
        summary = _ingest(str(pages), "--db", db, "--engine", "ray", "--shards", str(shards))
        rows = pq.read_table(shards).to_pylist()
        extracted = sorted(row["location"] for row in rows if row["document"] is not None)
        assert all(row["raw"] is None for row in rows if row["already_stored"])
        return summary, extracted

    rest, rest_extracted = run("rest")
    again, again_extracted = run("again")

    assert rest["checked_stored"] is True
    assert (rest["new"], rest["already_stored"], rest["unchanged"]) == (3, 3, 3)
    assert rest_extracted == [f"{pages}#report-{index}" for index in (3, 4, 5)]
    assert (again["new"], again["already_stored"], again["failed"]) == (0, 6, 0)
    assert again_extracted == []
    assert len(_stored(db)) == 6


def test_ray_reads_parquet_pages(cluster: None, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = _pages(3)
    records[0]["url"] = "https://news.example/homs-station"
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "pages.parquet")
    db = str(tmp_path / "record.sqlite")

    summary = _ingest(str(tmp_path / "pages.parquet"), "--db", db, "--engine", "ray")

    assert (summary["new"], summary["failed"]) == (3, 0)
    locations = set(_stored(db))
    assert "https://news.example/homs-station" in locations
    assert f"{tmp_path / 'pages.parquet'}#report-1" in locations


def test_ray_names_parquet_pages_read_by_uri_with_their_uri_issue_7(
    cluster: None, tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "crawl"
    folder.mkdir()
    records = _pages(3)
    del records[2]["id"]  # named by its file and a digest of its fields
    pq.write_table(pa.Table.from_pylist(records[:2]), folder / "part-0.parquet")
    pq.write_table(pa.Table.from_pylist(records[2:]), tmp_path / "single.parquet")
    db = str(tmp_path / "record.sqlite")
    folder_uri = folder.as_uri() + "/"  # a folder by URI, as s3://bucket/day/ would be
    single_uri = (tmp_path / "single.parquet").as_uri()

    summary = _ingest(folder_uri, single_uri, "--db", db, "--engine", "ray")

    assert (summary["new"], summary["failed"]) == (3, 0)
    locations = sorted(_stored(db))
    assert locations[:2] == [f"{folder.as_uri()}/part-0.parquet#report-{i}" for i in (0, 1)]
    assert locations[2].startswith(f"{single_uri}#")
    assert all(location.startswith("file:///") for location in locations)


def test_ray_lists_a_bad_page_in_the_errors_file_and_goes_on(cluster: None, tmp_path: Path) -> None:
    records = [*_pages(2), {"id": "blank", "text": "   "}, {"id": "no-body", "title": "x"}]
    pages = _write_jsonl(tmp_path / "pages.jsonl", records)
    with pages.open("a", encoding="utf-8") as stream:
        stream.write("{not json\n")
    shards, errors = tmp_path / "shards", tmp_path / "errors.jsonl"
    db = str(tmp_path / "record.sqlite")

    options = ["--engine", "ray", "--shards", str(shards), "--errors", str(errors)]
    result = CliRunner().invoke(app, ["ingest", str(pages), "--db", db, *options, "--json"])

    assert result.exit_code == 1
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["new"], summary["failed"]) == (2, 3)
    listed = [json.loads(line) for line in errors.read_text().splitlines()]
    assert {item["code"] for item in listed} == {"E101", "E100"}
    # Named by line, as without Ray: a record that fails is not read as far as its id.
    assert {item["location"] for item in listed} == {f"{pages}:{line}" for line in (3, 4, 5)}
    assert all(item["message"] for item in listed)
    assert [path.name for path in shards.iterdir()] == ["pages-00000.parquet"]


@pytest.mark.slow
def test_ray_survives_a_killed_worker_and_keeps_each_page_once(
    cluster: None, tmp_path: Path
) -> None:
    import pyarrow.parquet as pq

    from strife.scale import ingest_with_ray

    pages = _write_jsonl(tmp_path / "pages.jsonl", _pages(40))
    settings = Settings().with_overrides({"batch_size": "2"})
    killed: list[int] = []
    # Defined here so Ray sends it by value: its workers cannot import this test module.
    find_workers = ray.remote(_map_worker_pids_on_this_node())

    def kill_a_worker(phase: str, counts: RunCounts, done: int, total: int | None) -> None:
        if phase == "extracting" and done >= 4 and not killed:
            pids = ray.get(find_workers.remote())
            assert pids, "no Ray Data worker process was found"
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])

    with open_repository(tmp_path / "record.sqlite") as repository:
        report = ingest_with_ray(
            [str(pages)],
            repository=repository,
            settings=settings,
            shards=str(tmp_path / "shards"),
            progress=kill_a_worker,
        )
        stored = repository.find_articles()

    assert killed
    assert (report.ingest.counts.new, report.ingest.counts.failed) == (40, 0)
    assert len({article.location for article in stored}) == len(stored) == 40
    keys = pq.read_table(tmp_path / "shards").column("key").to_pylist()
    assert len(keys) == len(set(keys)) == 40


def _map_worker_pids_on_this_node() -> Callable[[], list[int]]:
    def map_worker_pids() -> list[int]:
        """The processes of Ray Data's map actors on this node (their titles name them)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"ray::MapWorker"):
                pids.append(int(entry.name))
        return sorted(pids)

    return map_worker_pids
