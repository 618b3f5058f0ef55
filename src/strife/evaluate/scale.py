"""What the Ray engine costs here: pages per second, scaling from 1 to 2 workers, memory.

The 420 FA-KES articles are written to a JSON Lines file as for the ingest benchmark
(:mod:`strife.evaluate.ingest`) and ingested, in one run, into a fresh SQLite database
each time, without linking: with the local worker processes (one per usable core),
then on a local Ray cluster with 1 worker and with 2 workers. The cluster is started
once (its start is timed on its own) and the engine joins it. Rates count the whole
ingest (extraction and storing); ``extract_pages_per_second`` counts the Ray
extraction alone. A worker's memory is the peak resident size (VmHWM) of the Ray map
actors' processes, read from /proc while they work.

Run it as ``python -m strife.evaluate.scale FAKES_CSV``; it prints one JSON object.
``strife bench --ray`` runs it too (:func:`benchmark_scale`). It needs the ``ray`` extra.
"""

from __future__ import annotations

import csv
import json
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from strife.errors import SetupError
from strife.evaluate import EvalReport
from strife.settings import Settings, load_settings
from strife.store.repository import RunCounts


def benchmark_scale(fakes_csv: Path, *, settings: Settings) -> EvalReport:
    """:func:`measure_scale` in a fresh process, as a bench report (one system per engine).

    The process reads its settings as the CLI does, not from ``settings``: a benchmark
    measures the defaults.

    Raises:
        SetupError: Ray is not installed.
    """
    from importlib.util import find_spec

    if find_spec("ray") is None:
        raise SetupError("the Ray benchmark needs Ray: pip install 'strife[ray]'", source="--ray")
    started = time.perf_counter()
    probe = subprocess.run(
        [sys.executable, "-m", "strife.evaluate.scale", str(fakes_csv)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(probe.stdout)
    systems: dict[str, dict[str, float]] = {
        "local_processes": {
            "pages_per_second": result["local_processes_pages_per_second"],
            "workers": result["cores"],
        }
    }
    for workers, run in result["ray"].items():
        systems[f"ray_{workers}_workers"] = {
            "pages_per_second": run["pages_per_second"],
            "extract_pages_per_second": run["extract_pages_per_second"],
            "worker_peak_rss_mb": run["worker_peak_rss_mb"],
            "workers": int(workers),
        }
    systems[f"ray_{result['cores']}_workers"]["scaling_efficiency"] = result[
        "ray_scaling_efficiency"
    ]
    return EvalReport("ray", result["pages"], time.perf_counter() - started, systems)


def measure_scale(fakes_csv: Path, *, settings: Settings) -> dict[str, Any]:
    """The local and Ray ingest rates, and the Ray workers' memory, on the same input."""
    import ray

    from strife.ingest import ingest_pages, usable_cores
    from strife.scale import ingest_with_ray
    from strife.scale.engine import LOCAL_OBJECT_STORE_BYTES, RESERVED_CPUS
    from strife.store.repository import open_repository

    cores = usable_cores()
    with tempfile.TemporaryDirectory() as folder:
        pages = _write_pages(fakes_csv, Path(folder) / "pages.jsonl")
        with open_repository(Path(folder) / "local.sqlite") as repository:
            local = ingest_pages(
                [str(pages)], repository=repository, settings=settings, workers=cores
            )
        clock = time.perf_counter()
        ray.init(
            num_cpus=cores + RESERVED_CPUS,
            object_store_memory=LOCAL_OBJECT_STORE_BYTES,
            include_dashboard=False,
            logging_level=logging.ERROR,
            log_to_driver=False,
        )
        start_seconds = time.perf_counter() - clock
        runs: dict[str, Any] = {}
        try:
            for workers in range(1, cores + 1):
                memory = _WorkerMemory()
                with open_repository(Path(folder) / f"ray-{workers}.sqlite") as repository:
                    report = ingest_with_ray(
                        [str(pages)],
                        repository=repository,
                        settings=settings,
                        workers=workers,
                        progress=memory.sample,
                    )
                runs[str(workers)] = {
                    "pages": report.ingest.pages,
                    "pages_per_second": _rate(report.ingest.pages, report.ingest.seconds),
                    "extract_pages_per_second": _rate(report.ingest.pages, report.extract_seconds),
                    "worker_peak_rss_mb": memory.peak_mb,
                    "failed": report.ingest.counts.failed,
                }
        finally:
            ray.shutdown()
    one, most = runs["1"], runs[str(cores)]
    return {
        "pages": local.pages,
        "cores": cores,
        "local_processes_pages_per_second": _rate(local.pages, local.seconds),
        "ray_cluster_start_seconds": round(start_seconds, 2),
        "ray": runs,
        "ray_scaling_efficiency": most["pages_per_second"] / one["pages_per_second"] / cores,
    }


class _WorkerMemory:
    """The largest peak resident size of any Ray map actor seen while they work."""

    def __init__(self) -> None:
        self.peak_mb = 0.0

    def sample(self, phase: str, counts: RunCounts, done: int, total: int | None) -> None:
        if phase == "extracting":
            self.peak_mb = max([self.peak_mb, *_map_worker_peaks_mb()])


def _map_worker_peaks_mb() -> list[float]:
    """VmHWM of each process on this machine whose title names a Ray Data map actor."""
    peaks = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "cmdline").read_bytes().startswith(b"ray::Map"):
                status = (entry / "status").read_text(encoding="ascii")
                line = next(item for item in status.splitlines() if item.startswith("VmHWM:"))
                peaks.append(int(line.split()[1]) / 1024)
        except (OSError, StopIteration):
            continue  # the process ended while it was read
    return peaks


def _write_pages(fakes_csv: Path, pages: Path) -> Path:
    with fakes_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with pages.open("w", encoding="utf-8") as out:
        for row in rows:
            text = f"{row['article_title']}\n\n{row['article_content']}"
            out.write(json.dumps({"id": row["unit_id"], "text": text}) + "\n")
    return pages


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 2) if seconds else 0.0


if __name__ == "__main__":
    print(json.dumps(measure_scale(Path(sys.argv[1]), settings=load_settings()), indent=2))
