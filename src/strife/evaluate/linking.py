"""``strife eval linking``: are reports of the same incident merged, and only those?

The data (``candidates.jsonl`` and ``groups.jsonl``, format in its README) are
FA-KES articles grouped by hand into the real incidents they report. Every
candidate (each article once, however often its id repeats) is written as a
page (title, blank line, text; the data set's date as its publication date,
since the text names none) and ingested into a fresh database, then linked.
Each article answers with its *main event*: the first event with a fatality
claim, else the first (as ``strife eval fakes`` does); two articles are put
together when their main events are in one incident. An article with no event
stands alone. Two candidates with the very same text are one stored page, so
one answer.

Systems:

- ``strife``: the incidents ``strife link`` made;
- ``baseline``: main events with the same start day, the same place name and
  the same category are one incident.

Metrics, as the data's README prescribes (only pairs within a block count):
``pair_precision``, ``pair_recall`` (over article pairs of one block) and
``b3_precision``, ``b3_recall`` (B-cubed, per article over its block, singletons
included), with ``pair_f1`` and ``b3_f1``; and ``pages_per_second`` for strife's
ingest and linking together.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

from strife.document import Event
from strife.errors import InputError
from strife.evaluate import EvalReport
from strife.settings import Settings

CANDIDATES = "candidates.jsonl"
GROUPS = "groups.jsonl"


@dataclass(frozen=True, slots=True)
class Candidate:
    unit_id: str
    block: int
    text: str
    published: str | None


def evaluate_linking(
    path: Path,
    *,
    settings: Settings,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    """Ingest and link the candidates in a fresh database; score strife and the baseline."""
    candidates, gold = _load(path)
    if limit is not None:
        blocks = sorted({c.block for c in candidates})[:limit]
        candidates = [c for c in candidates if c.block in blocks]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        answers, seconds, failures = _run_strife(candidates, Path(folder), settings, progress)
    systems = {}
    for name, clusters in answers.items():
        metrics = score_clusters(candidates, gold, clusters)
        if name == "strife":
            metrics["pages_per_second"] = len(candidates) / seconds if seconds else 0.0
        systems[name] = metrics
    elapsed = time.perf_counter() - started
    return EvalReport("linking", len(candidates), elapsed, systems, failures)


def score_clusters(
    candidates: Sequence[Candidate], gold: Mapping[str, str], answer: Mapping[str, str]
) -> dict[str, float]:
    """Pairwise and B-cubed precision and recall within blocks (an id missing = a singleton)."""
    blocks: dict[int, list[str]] = defaultdict(list)
    for candidate in candidates:
        if candidate.unit_id not in blocks[candidate.block]:
            blocks[candidate.block].append(candidate.unit_id)
    true_pos = false_pos = false_neg = 0
    b3_precision: list[float] = []
    b3_recall: list[float] = []
    for ids in blocks.values():
        gold_of = {i: gold.get(i, f"gold:{i}") for i in ids}
        answer_of = {i: answer.get(i, f"answer:{i}") for i in ids}
        for a, b in combinations(ids, 2):
            same_gold, same_answer = gold_of[a] == gold_of[b], answer_of[a] == answer_of[b]
            true_pos += same_gold and same_answer
            false_pos += same_answer and not same_gold
            false_neg += same_gold and not same_answer
        for i in ids:
            mine = {j for j in ids if answer_of[j] == answer_of[i]}
            truth = {j for j in ids if gold_of[j] == gold_of[i]}
            b3_precision.append(len(mine & truth) / len(mine))
            b3_recall.append(len(mine & truth) / len(truth))
    metrics = {
        "pair_precision": _ratio(true_pos, true_pos + false_pos),
        "pair_recall": _ratio(true_pos, true_pos + false_neg),
        "b3_precision": sum(b3_precision) / len(b3_precision) if b3_precision else 0.0,
        "b3_recall": sum(b3_recall) / len(b3_recall) if b3_recall else 0.0,
    }
    metrics["pair_f1"] = _f1(metrics["pair_precision"], metrics["pair_recall"])
    metrics["b3_f1"] = _f1(metrics["b3_precision"], metrics["b3_recall"])
    return metrics


def _run_strife(
    candidates: Sequence[Candidate],
    folder: Path,
    settings: Settings,
    progress: Callable[[int, int], None] | None,
) -> tuple[dict[str, dict[str, str]], float, dict[str, list[str]]]:
    from strife.ingest import ingest_pages
    from strife.store.linking import link_pending, report_incidents
    from strife.store.repository import open_repository

    pages = folder / "pages.jsonl"
    with pages.open("w", encoding="utf-8") as out:
        for candidate in candidates:
            record = {"id": candidate.unit_id, "text": candidate.text}
            if candidate.published:
                record["published"] = candidate.published
            out.write(json.dumps(record) + "\n")
    failures: dict[str, list[str]] = {}
    with open_repository(folder / "record.sqlite") as repository:
        clock = time.perf_counter()
        ingested = ingest_pages([str(pages)], repository=repository, settings=settings)
        link_pending(repository, settings=settings, progress=progress)
        seconds = time.perf_counter() - clock
        if ingested.failures:
            failures["strife"] = [f"{f.location}: {f.error.message}" for f in ingested.failures]
        mains = _main_events(repository)
        incidents = report_incidents(repository)
    strife: dict[str, str] = {}
    baseline: dict[str, str] = {}
    for candidate in candidates:
        main = mains.get(_sha256(candidate.text))
        if main is None:
            continue
        article_id, event = main
        strife[candidate.unit_id] = incidents[(article_id, event.id)]
        key = _baseline_key(event)
        if key is not None:
            baseline[candidate.unit_id] = key
    return {"strife": strife, "baseline": baseline}, seconds, failures


def _main_events(repository: Any) -> dict[str, tuple[int, Event]]:
    """Each stored page's main event (as ``strife eval fakes`` chooses it), by its SHA-256."""
    from strife.evaluate.fakes import main_event

    mains = {}
    for article in repository.find_articles():
        main = main_event([Event.from_dict(e) for e in article.document.get("events", [])])
        if main is not None:
            mains[article.sha256] = (article.id, main)
    return mains


def _baseline_key(event: Event) -> str | None:
    start = (event.date or {}).get("start")
    place = (event.location or {}).get("name")
    if not start or not place:
        return None
    return f"{start}|{place}|{event.category}"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _load(path: Path) -> tuple[list[Candidate], dict[str, str]]:
    folder = path if path.is_dir() else path.parent
    candidates_file, groups_file = folder / CANDIDATES, folder / GROUPS
    for needed in (candidates_file, groups_file):
        if not needed.is_file():
            raise InputError(f"no {needed.name} in {folder}; give the linking data's folder")
    candidates: list[Candidate] = []
    seen: set[tuple[str, int]] = set()
    for number, line in enumerate(_lines(candidates_file), start=1):
        row = _json(line, candidates_file, number)
        unit = (str(row["unit_id"]), int(row["block"]))
        if unit in seen:
            continue
        seen.add(unit)
        text = f"{row.get('article_title') or ''}\n\n{row.get('article_content') or ''}"
        candidates.append(Candidate(unit[0], unit[1], text, _iso_date(row.get("date"))))
    gold: dict[str, str] = {}
    for number, line in enumerate(_lines(groups_file), start=1):
        group = _json(line, groups_file, number)
        for unit_id in group["unit_ids"]:
            gold[str(unit_id)] = f"group:{number}"
    return candidates, gold


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _json(line: str, path: Path, number: int) -> dict[str, Any]:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"line {number} is not JSON ({exc.msg})", source=str(path)) from exc
    if not isinstance(row, dict):
        raise InputError(f"line {number} is not a JSON object", source=str(path))
    return row


def _iso_date(value: Any) -> str | None:
    """The data set's ``M/D/YY`` date as ISO, or None when it is not one."""
    try:
        month, day, year = (int(part) for part in str(value).split("/"))
        return date(2000 + year if year < 100 else year, month, day).isoformat()
    except ValueError:
        return None


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
