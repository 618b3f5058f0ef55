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
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from strife.document import Document
from strife.errors import StrifeError
from strife.evaluate import EvalReport
from strife.settings import Settings

if TYPE_CHECKING:
    from strife.pipeline import Pipeline

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

    strife runs over batches of items (as ``strife extract`` does), and each item
    is charged an equal share of its batch's time. A page strife cannot process
    is scored as ``empty_answer()`` and listed under ``failures["strife"]``; the
    run goes on.
    """
    from strife.pipeline import BATCH_SIZE, extract_pipeline

    pipeline = extract_pipeline()
    tallies = {"strife": new_tally(), "baseline": new_tally()}
    started = time.perf_counter()
    for first in range(0, len(items), BATCH_SIZE):
        batch = items[first : first + BATCH_SIZE]
        clock = time.perf_counter()
        answers = _strife_answers(batch, pipeline, settings, strife_answer, empty_answer, failures)
        each = (time.perf_counter() - clock) / len(batch)  # the batch is parsed as one
        for item, answer in zip(batch, answers, strict=True):
            tallies["strife"].add(item.gold, answer, each)
            clock = time.perf_counter()
            baseline = baseline_answer(item.page)
            tallies["baseline"].add(item.gold, baseline, time.perf_counter() - clock)
        if progress:
            progress(first + len(batch), len(items))
    systems = {name: tally.metrics() for name, tally in tallies.items()}
    return EvalReport(dataset, len(items), time.perf_counter() - started, systems, failures)


def _strife_answers(
    batch: Sequence[Item[Any]],
    pipeline: Pipeline,
    settings: Settings,
    strife_answer: Callable[[Document], Any],
    empty_answer: Callable[[], Any],
    failures: dict[str, list[str]],
) -> list[Any]:
    """strife's answer for each item of a batch, run through the pipeline together."""
    from strife.document import PageInput
    from strife.load import document_from_bytes

    answers = [empty_answer() for _ in batch]
    loaded: list[Document] = []
    positions: list[int] = []
    for position, item in enumerate(batch):
        page = PageInput(item.key, item.page.encode("utf-8"), content_type="text/plain")
        try:
            loaded.append(document_from_bytes(page))
            positions.append(position)
        except StrifeError as exc:
            failures.setdefault("strife", []).append(f"{item.key}: {exc}")
    results = pipeline.run_batch(loaded, settings=settings)
    for position, result in zip(positions, results, strict=True):
        if result.document is not None:
            answers[position] = strife_answer(result.document)
        elif result.error is not None:
            failures.setdefault("strife", []).append(f"{batch[position].key}: {result.error}")
    return answers
