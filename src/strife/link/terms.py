"""The words a report is compared by: its headline, its article's lead and its own sentences.

Text similarity is the strongest single sign that two reports tell of the same
incident (the target, the weapon and the village are named in both). A report's
words are counted once, when it is linked, and stored with it; their weights
(inverse document frequency over every linked report) come from the
``link_terms`` table, so a word every report uses ("killed", "Syria") counts for
little and a rare one ("wedding", "Ariha") for much.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

#: Characters of the article's opening read besides the report's own sentences: the lead
#: names the incident an article is about, whichever of its events this report is.
LEAD_CHARS = 600
_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]{3,}")
_POSSESSIVE = re.compile(r"['’]s?$")


def report_terms(title: str | None, text: str, spans: Sequence[Sequence[int]]) -> dict[str, int]:
    """Word counts of a report: its sentences, and the title and lead if it is told there."""
    from spacy.lang.en.stop_words import STOP_WORDS

    told_in_lead = not spans or any(start < LEAD_CHARS for start, _ in spans)
    # The headline and lead speak of the article's main incident: they are words of the
    # reports told there, not of every event a round-up goes on to list.
    parts = [title or "", text[:LEAD_CHARS]] if told_in_lead else []
    parts.extend(text[start:end] for start, end in spans if end > LEAD_CHARS or not told_in_lead)
    counts: Counter[str] = Counter()
    for match in _WORD.finditer(" ".join(parts)):
        word = _POSSESSIVE.sub("", match.group().lower())
        if len(word) >= 3 and word not in STOP_WORDS:
            counts[word[:64]] += 1
    return dict(counts)


def idf_weights(frequencies: Mapping[str, int], reports: int) -> Callable[[str], float]:
    """The inverse document frequency of a word among ``reports`` linked reports."""

    def idf(word: str) -> float:
        return math.log((reports + 1) / (frequencies.get(word, 0) + 1)) + 1.0

    return idf


def cosine(a: Mapping[str, int], b: Mapping[str, int], idf: Callable[[str], float]) -> float:
    """Cosine of two reports' word counts, each word weighted by (1 + log count) · idf."""
    if not a or not b:
        return 0.0
    va, vb = _weights(a, idf), _weights(b, idf)
    dot = sum(weight * vb.get(word, 0.0) for word, weight in va.items())
    norm = math.sqrt(sum(w * w for w in va.values())) * math.sqrt(sum(w * w for w in vb.values()))
    return dot / norm if norm else 0.0


def _weights(counts: Mapping[str, Any], idf: Callable[[str], float]) -> dict[str, float]:
    return {word: (1 + math.log(n)) * idf(word) for word, n in counts.items() if n > 0}
