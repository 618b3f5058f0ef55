"""Run strife's extraction and a baseline over the same items, timed, failures kept.

Every extraction evaluation (claims, isaf, fakes, wikievents) does the same
thing per item: run the pipeline on the page and read strife's answer off the
document, read the baseline's answer off the page, hand both to a tally with
the time each took. Each module keeps what is its own: loading its data, its
answers, its tally and metrics.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from strife.document import Document
from strife.errors import StrifeError
from strife.evaluate import EvalReport
from strife.settings import Settings

Gold = TypeVar("Gold")


@dataclass(frozen=True, slots=True)
class Item(Generic[Gold]):
    """One scored page: its key, its text, its gold."""

    key: str
    page: str
    gold: Gold


class Tally(Protocol):
    def add(self, gold: Any, answer: Any, seconds: float) -> None: ...

    def metrics(self) -> dict[str, float]: ...


def run_systems(
    dataset: str,
    items: Sequence[Item[Any]],
    *,
    settings: Settings,
    strife_answer: Callable[[Document], Any],
    baseline_answer: Callable[[str], Any],
    empty_answer: Callable[[], Any],
    new_tally: Callable[[], Tally],
    failures: dict[str, list[str]],
    progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    """Score systems ``strife`` and ``baseline`` on every item.

    A page strife cannot process is scored as ``empty_answer()`` and listed
    under ``failures["strife"]``; the run goes on.
    """
    from strife.pipeline import extract_pipeline, run_text

    pipeline = extract_pipeline()
    tallies = {"strife": new_tally(), "baseline": new_tally()}
    started = time.perf_counter()
    for done, item in enumerate(items, 1):
        clock = time.perf_counter()
        try:
            document = run_text(pipeline, item.page, settings=settings, location=item.key)
            answer = strife_answer(document)
        except StrifeError as exc:
            failures.setdefault("strife", []).append(f"{item.key}: {exc}")
            answer = empty_answer()
        tallies["strife"].add(item.gold, answer, time.perf_counter() - clock)
        clock = time.perf_counter()
        answer = baseline_answer(item.page)
        tallies["baseline"].add(item.gold, answer, time.perf_counter() - clock)
        if progress:
            progress(done, len(items))
    systems = {name: tally.metrics() for name, tally in tallies.items()}
    return EvalReport(dataset, len(items), time.perf_counter() - started, systems, failures)
