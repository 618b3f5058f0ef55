"""What ingesting costs: pages per second, database size per 1,000 articles, memory.

All 420 FA-KES articles (both labels: the cost does not depend on the label) are
written to a JSON Lines file, one page a line (title, blank line, text; its
``unit_id`` as the page's id), and ingested into a fresh SQLite database in one
process (``workers=1``), then ingested again (every page already stored); then into
another fresh database with one worker process per usable core, as ``strife
ingest`` does by default. Each ingest is followed by linking, timed on its own.
The work runs in a fresh Python process, so its peak memory (VmHWM, spaCy's model
included) is the ingest's own; a worker's is about the same again.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from strife.evaluate import EvalReport
from strife.settings import Settings


def benchmark_ingest(fakes_csv: Path, *, settings: Settings) -> EvalReport:
    """Ingest the FA-KES articles twice into a fresh database, in a fresh process.

    The process reads its settings as the CLI does (``STRIFE_*`` variables), not
    from ``settings``: a benchmark measures the defaults.
    """
    probe = subprocess.run(
        [sys.executable, "-m", "strife.evaluate.ingest", str(fakes_csv)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(probe.stdout)
    return EvalReport("ingest", result["n"], result["seconds"], {"strife": result["metrics"]})


def measure_ingest(fakes_csv: Path, *, settings: Settings) -> dict[str, object]:
    """The ingest's costs, measured in this process (run by :func:`benchmark_ingest`)."""
    from strife.ingest import ingest_pages, usable_cores
    from strife.store.linking import link_pending
    from strife.store.repository import open_repository

    with fakes_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with tempfile.TemporaryDirectory() as folder:
        pages = Path(folder) / "pages.jsonl"
        with pages.open("w", encoding="utf-8") as out:
            for row in rows:
                text = f"{row['article_title']}\n\n{row['article_content']}"
                out.write(json.dumps({"id": row["unit_id"], "text": text}) + "\n")
        database = Path(folder) / "record.sqlite"
        with open_repository(database) as repository:
            first = ingest_pages([str(pages)], repository=repository, settings=settings)
            clock = time.perf_counter()
            linked = link_pending(repository, settings=settings)
            link_seconds = time.perf_counter() - clock
            again = ingest_pages([str(pages)], repository=repository, settings=settings)
        stored = first.counts.new + first.counts.revised
        size = sum(f.stat().st_size for f in Path(folder).glob("record.sqlite*"))
        cores = usable_cores()
        with open_repository(Path(folder) / "parallel.sqlite") as repository:
            parallel = ingest_pages(
                [str(pages)], repository=repository, settings=settings, workers=cores
            )
    metrics = {
        "pages_per_second": _rate(first.pages, first.seconds),
        "workers": float(cores),
        "pages_per_second_workers": _rate(parallel.pages, parallel.seconds),
        "link_reports_per_second": _rate(linked.reports, link_seconds),
        "rerun_pages_per_second": _rate(again.pages, again.seconds),
        "mb_per_1000_articles": size / 1e6 / stored * 1000 if stored else 0.0,
        "failed_pages": float(first.counts.failed),
        "peak_rss_mb": _peak_mb(),
    }
    seconds = first.seconds + link_seconds + again.seconds + parallel.seconds
    return {"n": len(rows), "seconds": seconds, "metrics": metrics}


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else 0.0


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB; 0 where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


if __name__ == "__main__":
    from strife.settings import load_settings

    print(json.dumps(measure_ingest(Path(sys.argv[1]), settings=load_settings())))
