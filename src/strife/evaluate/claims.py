"""``strife eval claims``: casualty figures and who gives them, on a hand-annotated set.

The set (``articles.jsonl`` + ``claims.jsonl``, rules in its ``GUIDE.md``)
lists every fatality and injury figure of each article with the source the
text credits, the qualifier and the bounds. Each article page is its title, a
blank line and its content, run through clean, read and extract.

A gold claim is *found* when an extracted claim has the same property and
the same lower bound (for a figure with no lower bound, the same upper bound);
each extracted claim is used once. Metrics:

- ``claim_recall``: gold claims found / gold claims;
- ``claim_precision``: extracted fatality and injury claims that match a gold
  claim / extracted fatality and injury claims;
- ``attribution_accuracy``: found claims credited to the right source (the
  outlet for ``OUTLET``; otherwise the names share a content word, or the
  source kinds agree);
- ``qualifier_accuracy``: found claims with the gold qualifier;
- ``articles_per_second``.

The ``baseline`` system is a keyword rule: a number right before "killed",
"dead", "wounded" or "injured" (or after "killing"/"wounding"), credited to
the outlet, qualifier exact.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from strife.errors import InputError
from strife.evaluate import EvalReport
from strife.evaluate._systems import Item, run_systems
from strife.settings import Settings

PROPERTIES = ("fatalities", "injuries")
_BASELINE = re.compile(
    r"\b(?P<n1>\d[\d,]*)\s+(?:\w+\s+){0,3}?(?:were\s+|have\s+been\s+|had\s+been\s+)?"
    r"(?P<v1>killed|dead|wounded|injured)\b|\b(?P<v2>killing|wounding|injuring)\s+(?P<n2>\d[\d,]*)",
    re.I,
)
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "for",
        "and",
        "in",
        "on",
        "at",
        "to",
        "by",
        "from",
        "with",
        "said",
        "says",
    ]
)


@dataclass(frozen=True, slots=True)
class FoundClaim:
    """An extracted figure, reduced to what the gold can be compared with."""

    property: str
    low: int | None
    high: int | None
    qualifier: str | None
    source_name: str
    source_kind: str


def evaluate_claims(
    path: Path,
    *,
    settings: Settings,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    """Score strife and the keyword baseline on the annotated claims under ``path``."""
    articles, gold = _load(path)
    items = [Item(key, articles[key], gold[key]) for key in articles if key in gold][:limit]
    return run_systems(
        f"claims:{path.name}",
        items,
        settings=settings,
        strife_answer=_strife_claims,
        baseline_answer=baseline_claims,
        empty_answer=list,
        new_tally=_Tally,
        failures={},
        progress=progress,
    )


def baseline_claims(page: str) -> list[FoundClaim]:
    """The keyword baseline: "12 killed", "killing 12", credited to the outlet."""
    found = []
    for match in _BASELINE.finditer(page):
        number = match.group("n1") or match.group("n2")
        verb = (match.group("v1") or match.group("v2")).lower()
        prop = "fatalities" if verb.startswith(("kill", "dead")) else "injuries"
        value = int(number.replace(",", ""))
        found.append(FoundClaim(prop, value, value, "exact", "OUTLET", "outlet"))
    return found


def _strife_claims(document: Any) -> list[FoundClaim]:
    from strife.extract.events import OUTLET_ID

    names = {source.id: (source.name, source.kind) for source in document.sources}
    found = []
    for event in document.events:
        for claim in event.claims:
            if claim.property in PROPERTIES:
                name, kind = names.get(claim.source, ("", "unnamed"))
                if claim.source == OUTLET_ID:
                    name = "OUTLET"  # the article's own outlet, not another outlet it cites
                found.append(
                    FoundClaim(claim.property, claim.low, claim.high, claim.qualifier, name, kind)
                )
    return found


class _Tally:
    def __init__(self) -> None:
        self.gold = self.found = self.matched = self.attributed = self.qualified = 0
        self.extracted = 0
        self.seconds = 0.0
        self.articles = 0

    def add(self, gold: list[dict[str, Any]], found: list[FoundClaim], seconds: float) -> None:
        self.articles += 1
        self.seconds += seconds
        self.gold += len(gold)
        self.extracted += len(found)
        pool = list(found)
        for item in gold:
            match = _take_match(item, pool)
            if match is None:
                continue
            self.matched += 1
            self.attributed += _same_source(item, match)
            self.qualified += match.qualifier == item.get("qualifier")

    def metrics(self) -> dict[str, float]:
        def ratio(a: int, b: int) -> float:
            return a / b if b else 0.0

        return {
            "claim_recall": ratio(self.matched, self.gold),
            "claim_precision": ratio(self.matched, self.extracted),
            "attribution_accuracy": ratio(self.attributed, self.matched),
            "qualifier_accuracy": ratio(self.qualified, self.matched),
            "articles_per_second": ratio(self.articles, 1) / self.seconds if self.seconds else 0.0,
        }


def _take_match(item: dict[str, Any], pool: list[FoundClaim]) -> FoundClaim | None:
    for index, claim in enumerate(pool):
        if claim.property != item.get("property"):
            continue
        same = (
            claim.low == item.get("low")
            if item.get("low") is not None
            else claim.high == item.get("high")
        )
        if same:
            return pool.pop(index)
    return None


def _same_source(item: dict[str, Any], claim: FoundClaim) -> bool:
    gold_name = str(item.get("source", ""))
    if gold_name == "OUTLET" or claim.source_name == "OUTLET":
        return gold_name == claim.source_name
    if item.get("source_kind") == claim.source_kind:
        return True
    return bool(_content_words(gold_name) & _content_words(claim.source_name))


def _content_words(name: str) -> set[str]:
    return {w for w in re.findall(r"\w+", name.lower()) if w not in _STOP}


def _load(path: Path) -> tuple[dict[str, str], dict[str, list[dict[str, Any]]]]:
    folder = path if path.is_dir() else path.parent
    articles_file, claims_file = folder / "articles.jsonl", folder / "claims.jsonl"
    for file in (articles_file, claims_file):
        if not file.exists():
            raise InputError(
                "needs articles.jsonl and claims.jsonl (see GUIDE.md there)", source=str(folder)
            )
    articles = {}
    for row in _read_jsonl(articles_file):
        title, content = row.get("article_title") or "", row.get("article_content") or ""
        articles[str(row["unit_id"])] = f"{title}\n\n{content}"
    gold = {str(row["unit_id"]): list(row.get("claims") or []) for row in _read_jsonl(claims_file)}
    return articles, gold


def _read_jsonl(file: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise InputError(f"line {number} is not JSON ({exc})", source=str(file)) from exc
    return rows
