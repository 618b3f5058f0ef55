r"""Shingle matching of an extracted body against a gold body (the ScrapingHub metric).

Takes two texts and counts the 4-token shingles they share, following
``evaluate.py`` of scrapinghub/article-extraction-benchmark so that our numbers
compare with its published table:

- tokens are ``\w+`` matches, case kept; a text of 1 to 3 tokens is one short
  shingle, an empty text has none;
- shingles are compared as **multisets** (the reference counts them with a
  ``Counter``): a shingle twice in the gold and once in the extraction is one
  true positive and one false negative;
- a page's TP/FP/FN are divided by their sum, so long pages weigh no more than
  short ones;
- precision is averaged over the pages with something extracted (TP + FP > 0)
  and recall over the pages with a gold body (TP + FN > 0). An empty extraction
  therefore scores recall 0 and is left out of the precision mean, as in the
  reference; report the number of empty pages beside it.

Reading the data and running the systems is left to ``clean.py``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from statistics import fmean

#: Tokens per shingle, as in the reference benchmark.
SHINGLE_SIZE = 4
_TOKEN = re.compile(r"\w+")

#: One page's (TP, FP, FN), normalised to sum to 1 (all 0 when both texts are empty).
Counts = tuple[float, float, float]


def match_shingles(gold: str, extracted: str, *, size: int = SHINGLE_SIZE) -> Counts:
    """Count the shingles of ``extracted`` found in ``gold``, normalised per page.

    Args:
        gold: the reference article body.
        extracted: the body a system returned.
        size: tokens per shingle.

    Returns:
        (TP, FP, FN) as shares of their sum; (0, 0, 0) when both texts have no tokens.
    """
    gold_shingles = _shingles(gold, size)
    found_shingles = _shingles(extracted, size)
    shared = sum((gold_shingles & found_shingles).values())
    false_positives = sum((found_shingles - gold_shingles).values())
    false_negatives = sum((gold_shingles - found_shingles).values())
    total = shared + false_positives + false_negatives
    if total == 0:
        return (0.0, 0.0, 0.0)
    return (shared / total, false_positives / total, false_negatives / total)


def score_pages(counts: Sequence[Counts]) -> dict[str, float]:
    """Mean precision and recall over pages, and F1 from the two means.

    Args:
        counts: each page's normalised (TP, FP, FN) from :func:`match_shingles`.

    Returns:
        ``f1``, ``precision`` and ``recall``; 0.0 where no page qualifies.
    """
    precisions = [_precision(*page) for page in counts if page[0] + page[1] > 0]
    recalls = [_recall(*page) for page in counts if page[0] + page[2] > 0]
    precision = fmean(precisions) if precisions else 0.0
    recall = fmean(recalls) if recalls else 0.0
    total = precision + recall
    f1 = 2 * precision * recall / total if total else 0.0
    return {"f1": f1, "precision": precision, "recall": recall}


def _shingles(text: str, size: int) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    # A text shorter than one shingle still counts, as one short shingle (reference rule).
    starts = range(max(1, len(tokens) - size + 1))
    return Counter(tuple(tokens[start : start + size]) for start in starts)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0
