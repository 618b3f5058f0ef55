"""The gazetteer's costs: build time, open time and memory, and names resolved per second.

Open time and memory are measured in a fresh Python process (the gazetteer is
opened and queried there, and nothing else is loaded), so they are the
gazetteer's own. Names per second resolve the place names spaCy finds in a set
of articles (ISAF releases when present), after parsing: the locate stage's own
cost, without the parser's.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from strife.evaluate import EvalReport
from strife.settings import Settings

#: Articles whose place names are resolved for the speed figure.
SPEED_ARTICLES = 200
_PROBE = """
import json, sys, time
from pathlib import Path

def peak_mb():  # VmHWM: this process's own peak (ru_maxrss keeps the parent's across exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0

before = peak_mb()
started = time.perf_counter()
from strife.locate.gazetteer import Gazetteer
gazetteer = Gazetteer(Path(sys.argv[1]))
opened = time.perf_counter() - started
for name in ("Homs", "Deraa", "Helmand", "Kabul", "Mobile", "Victoria", "Paktya") * 50:
    gazetteer.lookup(name)
print(json.dumps({"open_seconds": opened, "python_mb": before, "peak_mb": peak_mb()}))
"""


def benchmark_gazetteer(articles: list[str], *, settings: Settings) -> EvalReport:
    """Build a gazetteer afresh, open it in a new process, resolve the articles' names."""
    from strife.locate.gazetteer import build_gazetteer

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gazetteer.sqlite"
        build_seconds = _timed(lambda: build_gazetteer(path))
        probe = subprocess.run(
            [sys.executable, "-c", _PROBE, str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        opened = json.loads(probe.stdout)
        size_mb = path.stat().st_size / 1e6
        names, seconds = _resolve_names(articles, path)
    metrics = {
        "build_seconds": build_seconds,
        "open_seconds": opened["open_seconds"],
        "python_alone_mb": opened["python_mb"],
        "peak_with_gazetteer_mb": opened["peak_mb"],
        "file_mb": size_mb,
        "names_per_second": names / seconds if seconds else 0.0,
    }
    elapsed = time.perf_counter() - started
    return EvalReport("gazetteer", len(articles), elapsed, {"strife": metrics})


def _timed(work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - started


def _resolve_names(articles: list[str], path: Path) -> tuple[int, float]:
    """How many names the articles hold, and the seconds their resolution took."""
    from strife.locate.gazetteer import Gazetteer
    from strife.locate.resolve import article_context, resolve_all
    from strife.locate.toponyms import find_toponyms
    from strife.read import load_nlp

    nlp = load_nlp()
    found = [find_toponyms(doc) for doc in nlp.pipe(articles[:SPEED_ARTICLES])]
    gazetteer = Gazetteer(path)  # a fresh one: nothing cached from the probe
    started = time.perf_counter()
    for toponyms in found:
        resolve_all(gazetteer, toponyms, article_context(gazetteer, toponyms))
    return sum(len(t) for t in found), time.perf_counter() - started
