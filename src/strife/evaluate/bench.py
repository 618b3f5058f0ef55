"""``strife bench``: run every benchmark whose data is present, record it, hold the floors.

Each benchmark gives an :class:`~strife.evaluate.EvalReport`. The results go
into ``BENCHMARKS.md`` (between generated markers, so the prose around them is
kept) with the command, the data and its fingerprint, and the anchors measured
in the same run. ``benchmarks/floors.json`` pins a floor for each accuracy
figure together with the fingerprint of the data it was measured on: a figure
below its floor fails the run, and lowering a floor takes an explicit flag.
Speeds are recorded but not floored: they depend on the machine.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path
from typing import Any

from strife.evaluate import EvalReport
from strife.evaluate.seed import Check
from strife.settings import Settings

#: Figures pinned by floors: accuracy only (speed depends on the machine).
FLOORED_METRICS = (
    "f1",
    "precision",
    "recall",
    "article_checks",
    "event_checks",
    "claim_recall",
    "claim_precision",
    "attribution_accuracy",
    "qualifier_accuracy",
    "macro_f1",
    "accuracy",
    "event_type_f1",
    "min_killed_exact",
    "min_captured_exact",
    "cause_accuracy",
    "civilians_exact",
    "noncivilians_exact",
    "arg_f1",
    "start_date_exact",
    "province_accuracy",
    "governorate_accuracy",
    "country_accuracy",
    "region_accuracy",
    "city_accuracy",
    "year_accuracy",
    "month_accuracy",
    "day_accuracy",
    "pair_precision",
    "pair_recall",
    "b3_precision",
    "b3_recall",
)
#: Systems held by floors: strife's own, not the anchors beside them.
FLOORED_SYSTEMS = ("strife",)
#: Metrics that count pages rather than measure a rate.
COUNT_METRICS = frozenset({"empty_pages", "workers"})
#: Floors are set this far under the measured figure, so run-to-run noise does not fail.
FLOOR_MARGIN = 0.005
SEED_NAME = "independent-2012-03-12-homs"
#: (evaluation, folder under eval/dev, the file its fingerprint is taken of, what it is).
EVAL_SETS = (
    ("clean", "scrapinghub", "ground-truth.json", "ScrapingHub article-extraction-benchmark"),
    ("claims", "attribution", "claims.jsonl", "hand-annotated casualty claims (FA-KES)"),
    ("case2021", "case2021", "case2021_task2.tsv", "CASE 2021 task 2 event snippets"),
    ("isaf", "isaf", "isaf.jsonl", "ISAF press releases"),
    ("fakes", "fakes", "fakes.csv", "FA-KES Syrian-war articles, label-1 rows"),
    ("wikievents", "wikievents", "dev.jsonl", "WikiEvents articles"),
    ("hrdsattack", "hrdsattack", "dev.json", "HRDsAttack articles (dev.json and train.json)"),
    ("linking", "linking", "groups.jsonl", "same-incident groups of FA-KES articles"),
)
#: Published figures the run is compared with, beside the anchors run in the same process.
PUBLISHED_ANCHORS = {
    "clean": "Published anchors: trafilatura 2.0 F1 0.958, newspaper4k 0.949, "
    "readability 0.922, jusText 0.804 (ScrapingHub article-extraction-benchmark)",
}


@dataclass(slots=True)
class Benchmark:
    """One benchmark's result and where it came from."""

    name: str
    command: str
    data: str
    fingerprint: str
    report: EvalReport
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FloorCheck:
    benchmark: str
    metric: str
    value: float
    floor: float

    @property
    def passed(self) -> bool:
        return self.value + 1e-9 >= self.floor


def run_benchmarks(
    shared: Path,
    *,
    settings: Settings,
    progress: Callable[[str], None] | None = None,
    ray: bool = False,
) -> list[Benchmark]:
    """Run each benchmark whose data is under ``shared``; skip the others.

    ``ray``: also time the Ray engine against the local processes (opt-in: it takes
    about a minute more and needs the ``ray`` extra).
    """
    results = []
    seed = shared / "seed" / f"{SEED_NAME}.txt"
    if seed.exists():
        if progress:
            progress("seed page")
        results.append(_seed_benchmark(seed, settings=settings))
    for name, folder, data_file, description in EVAL_SETS:
        path = shared / "eval" / "dev" / folder
        if not (path / data_file).exists():
            continue
        if progress:
            progress(f"{name}: {folder}")
        evaluate = getattr(import_module(f"strife.evaluate.{name}"), f"evaluate_{name}")
        report = evaluate(path, settings=settings)
        results.append(
            Benchmark(
                name,
                f"strife eval {name} ../shared/eval/dev/{folder}",
                f"{description}, development half ({report.n} items)",
                _fingerprint(path / data_file),
                report,
                [PUBLISHED_ANCHORS[name]] if name in PUBLISHED_ANCHORS else [],
            )
        )
    isaf = shared / "eval" / "dev" / "isaf" / "isaf.jsonl"
    if isaf.exists():
        if progress:
            progress("gazetteer")
        results.append(_gazetteer_benchmark(isaf, settings=settings))
    fakes = shared / "eval" / "dev" / "fakes" / "fakes.csv"
    if fakes.exists():
        if progress:
            progress("ingest")
        results.append(_ingest_benchmark(fakes, settings=settings))
        if ray:
            if progress:
                progress("ray")
            results.append(_ray_benchmark(fakes, settings=settings))
    return results


def _ray_benchmark(fakes: Path, *, settings: Settings) -> Benchmark:
    from strife.evaluate.scale import benchmark_scale

    report = benchmark_scale(fakes, settings=settings)
    return Benchmark(
        "ray",
        "strife bench --ray",
        f"all {report.n} FA-KES articles as one JSON Lines file, into fresh SQLite "
        "databases, the same input for every engine, without linking",
        _fingerprint(fakes),
        report,
        [
            "python -m strife.evaluate.scale, in a fresh process. "
            "pages_per_second: the whole ingest (extraction and storing); "
            "extract_pages_per_second: the Ray extraction alone; worker_peak_rss_mb: the "
            "largest peak RSS of a Ray map actor (model and gazetteer included); "
            "scaling_efficiency: the rate with every core's worker over the 1-worker rate "
            "times the workers; the local cluster is started once, not timed"
        ],
    )


def _ingest_benchmark(fakes: Path, *, settings: Settings) -> Benchmark:
    from strife.evaluate.ingest import benchmark_ingest

    report = benchmark_ingest(fakes, settings=settings)
    return Benchmark(
        "ingest",
        "strife bench (the ingest part)",
        f"all {report.n} FA-KES articles as a JSON Lines file, into fresh SQLite databases",
        _fingerprint(fakes),
        report,
        [
            "pages_per_second: one process, batches of 32; pages_per_second_workers: the "
            "same with `workers` worker processes (strife ingest's default, one per core); "
            "link_reports_per_second: linking the first run's reports; the rerun finds every "
            "page stored; peak RSS is the parent process's, spaCy's model included"
        ],
    )


def _gazetteer_benchmark(isaf: Path, *, settings: Settings) -> Benchmark:
    from strife.evaluate.gazetteer import SPEED_ARTICLES, benchmark_gazetteer

    lines = isaf.read_text(encoding="utf-8").splitlines()
    articles = [json.loads(line)["text"] for line in lines if line.strip()]
    report = benchmark_gazetteer(articles, settings=settings)
    return Benchmark(
        "gazetteer",
        "strife bench (the gazetteer part)",
        f"a fresh build of the default gazetteer; the place names of the first "
        f"{SPEED_ARTICLES} ISAF releases for the speed",
        _fingerprint(isaf),
        report,
        [
            "memory: peak RSS (VmHWM) of a fresh Python process before importing strife, and "
            "after opening the file and making 350 lookups; names per second exclude parsing"
        ],
    )


def check_floors(results: list[Benchmark], floors_file: Path) -> list[FloorCheck]:
    """Each floored figure beside its floor (figures of data with another fingerprint skip)."""
    floors = _read_floors(floors_file)
    checks = []
    for result in results:
        pinned = floors.get(result.name)
        if not pinned or pinned.get("fingerprint") != result.fingerprint:
            continue
        for key, floor in pinned["floors"].items():
            system, metric = key.split(".", 1)
            value = result.report.systems.get(system, {}).get(metric)
            if value is not None:
                checks.append(FloorCheck(result.name, key, value, float(floor)))
    return checks


def update_floors(results: list[Benchmark], floors_file: Path, *, allow_lower: bool) -> list[str]:
    """Pin floors just under the current figures; returns what changed.

    A floor only rises unless ``allow_lower`` is set (or the data changed).
    """
    floors = _read_floors(floors_file)
    changes = []
    for result in results:
        pinned = floors.get(result.name, {})
        same_data = pinned.get("fingerprint") == result.fingerprint
        old: dict[str, float] = pinned.get("floors", {}) if same_data else {}
        new: dict[str, float] = {}
        for system, metrics in result.report.systems.items():
            if not system.startswith(FLOORED_SYSTEMS):
                continue  # anchors and baselines are measured, not held
            for metric, value in metrics.items():
                if metric not in FLOORED_METRICS:
                    continue
                key = f"{system}.{metric}"
                proposed = math.floor((value - FLOOR_MARGIN) * 1000) / 1000
                current = old.get(key)
                if current is not None and proposed < current and not allow_lower:
                    proposed = current
                new[key] = proposed
                if proposed != current:
                    changes.append(f"{result.name} {key}: {current} -> {proposed}")
        floors[result.name] = {"fingerprint": result.fingerprint, "floors": new}
    floors_file.parent.mkdir(parents=True, exist_ok=True)
    floors_file.write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return changes


def write_benchmarks(results: list[Benchmark], benchmarks_file: Path) -> None:
    """Replace each benchmark's generated part of BENCHMARKS.md (appending new ones)."""
    text = benchmarks_file.read_text(encoding="utf-8") if benchmarks_file.exists() else ""
    for result in results:
        block = _render(result)
        pattern = re.compile(
            rf"<!-- generated: bench-{re.escape(result.name)} -->\n.*?<!-- /generated -->\n",
            re.S,
        )
        match = pattern.search(text)
        if match:
            text = text[: match.start()] + block + text[match.end() :]
        else:
            text = text.rstrip("\n") + "\n\n" + block
    benchmarks_file.write_text(text, encoding="utf-8")


def _render(result: Benchmark) -> str:
    report = result.report
    metrics = sorted({m for values in report.systems.values() for m in values})
    lines = [
        f"<!-- generated: bench-{result.name} -->",
        f"Command: `{result.command}` (part of `strife bench`)  ",
        f"Data: {result.data}; fingerprint `{result.fingerprint[:16]}`  ",
        f"Run: {datetime.now(UTC):%Y-%m-%d}, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()}, one process, "
        f"{report.seconds:.1f} s in all",
        "",
        "| system | " + " | ".join(metrics) + " |",
        "| --- |" + " ---: |" * len(metrics),
    ]
    for system, values in report.systems.items():
        cells = [_cell(metric, values.get(metric)) for metric in metrics]
        lines.append(f"| {system} | " + " | ".join(cells) + " |")
    lines.append("")
    lines += result.notes
    if result.notes:
        lines.append("")
    lines.append("<!-- /generated -->")
    return "\n".join(lines) + "\n"


def _cell(metric: str, value: float | None) -> str:
    if value is None:
        return ""
    if metric in COUNT_METRICS:
        return str(round(value))
    return f"{value:.1f}" if value >= 10 else f"{value:.3f}"


def _seed_benchmark(page: Path, *, settings: Settings) -> Benchmark:
    import time

    from strife.evaluate.seed import check_article, check_events, load_gold
    from strife.load import load_page
    from strife.pipeline import extract_pipeline

    gold_file = page.with_name(f"{SEED_NAME}.gold.json")
    gold = load_gold(gold_file)
    started = time.perf_counter()
    document = extract_pipeline().run(load_page(str(page), settings=settings), settings=settings)
    assert document.article is not None
    article_checks = check_article(document.article, gold)
    event_checks = check_events(document, gold)
    seconds = time.perf_counter() - started
    metrics = {
        "article_checks": _share(article_checks),
        "event_checks": _share(event_checks),
    }
    report = EvalReport("seed", 1, seconds, {"strife": metrics})
    notes = [
        f"{sum(c.passed for c in article_checks)} of {len(article_checks)} article checks and "
        f"{sum(c.passed for c in event_checks)} of {len(event_checks)} event checks pass "
        "(places within max_km and dates within the window included)"
    ]
    failed = [check.name for check in article_checks + event_checks if not check.passed]
    if failed:
        notes.append("failing: " + "; ".join(failed))
    return Benchmark(
        "seed",
        f"strife extract ../shared/seed/{SEED_NAME}.txt",
        "the canonical example page and its hand-made reference",
        _fingerprint(gold_file),
        report,
        notes,
    )


def _share(checks: list[Check]) -> float:
    return sum(check.passed for check in checks) / len(checks) if checks else 0.0


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_floors(floors_file: Path) -> dict[str, Any]:
    if not floors_file.exists():
        return {}
    data: dict[str, Any] = json.loads(floors_file.read_text(encoding="utf-8"))
    return data
