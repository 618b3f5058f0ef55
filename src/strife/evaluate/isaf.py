"""``strife eval isaf``: event types and minimum counts on ISAF press releases.

``isaf.jsonl`` holds ISAF Joint Command press releases (Afghanistan,
2009-13), one JSON object a line: ``{"idx", "text", "gold"}``. The page is
``text`` as given (header lines, dateline and body), run through clean, read
and extract. The gold is one record per release: ``event_type`` (a set of
labels; a label may hold several joined by ``;`` or ``,``, and ``""`` means
none), ``min_killed`` and ``min_captured`` ("the minimum number of people
killed / captured during the event"; "several" read as 3, "numerous" as 4).

Each system's output for a release is first reduced to *facts*, then to
labels by :data:`LABEL_RULES` (the first rule whose facts all hold gives the
labels). strife's facts (:func:`strife_facts`):

- ``captured``: an arrest claim, or an event of a type in :data:`TYPE_FACTS`
  that says so (``strategic_developments/arrests``);
- ``killed``: a fatality claim whose victims are not civilians;
- ``civilian_harm``: a fatality or injury claim whose victims are civilians
  (``fakes.victim_kind``: the words after the figure name them);
- ``air_strike``: an ``explosions_remote_violence/air_drone_strike`` event;
- ``clash``: a ``battles/armed_clash`` event.

The rules follow the set's habit of one label a release: an air strike
outranks the kills it caused, a raid that both killed and detained is
``captureandkill``, and harm to civilians is ``civiliancasualty`` only when
no insurgent was killed or captured.

Metrics:

- ``event_type_f1``: micro-F1 of the label sets over all releases
  (2·TP / (2·TP + FP + FN), one TP per label in both sets);
- ``min_killed_exact`` / ``min_captured_exact``: share of releases whose count
  equals the gold. strife's killed count is, per event, the reconciled
  figure (strife's ``reconcile``: the lowest specific figure, so one
  incident told twice is not counted twice); its captured count adds up each
  source's arrest claims (a release names its detainees group by group) and
  keeps the lowest source total. Both are summed over the release's events
  (separate incidents add up); 0 when no claim;
- ``articles_per_second``: releases over the time spent inside each system.

The ``baseline`` system reads the facts from keywords ("detained" ->
``captured``, "killed" -> ``killed``, "air strike" -> ``air_strike``,
"civilians were killed" -> ``civilian_harm``, "firefight" -> ``clash``) and
takes the first number before "... killed" and before "... detained" as the
counts. Both systems share :data:`LABEL_RULES`.

The set's ``start_date`` and ``province`` are not scored here (dates and
places are later stages). A line that cannot be read is listed under
``failures["input"]`` and left out; a release strife fails on is scored as
an empty output and listed under ``failures["strife"]``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from strife.document import Claim, Document, Event
from strife.errors import InputError
from strife.evaluate import EvalReport
from strife.evaluate._systems import Item, run_systems
from strife.evaluate.fakes import CIVILIANS, counted_phrase, victim_kind
from strife.settings import Settings

DATA_FILE = "isaf.jsonl"
INPUT_FAILURES = "input"
LABELS = (
    "detention",
    "insurgentskilled",
    "captureandkill",
    "airstrike",
    "civiliancasualty",
    "exchangeoffire",
)
#: strife's event types that state a fact by themselves.
TYPE_FACTS = {
    "strategic_developments/arrests": "captured",
    "explosions_remote_violence/air_drone_strike": "air_strike",
    "battles/armed_clash": "clash",
}
#: Facts -> ISAF labels; the first rule whose facts all hold wins.
LABEL_RULES: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (frozenset({"air_strike", "captured"}), frozenset({"airstrike", "detention"})),
    (frozenset({"air_strike"}), frozenset({"airstrike"})),
    (frozenset({"killed", "captured"}), frozenset({"captureandkill"})),
    (frozenset({"killed"}), frozenset({"insurgentskilled"})),
    (frozenset({"captured"}), frozenset({"detention"})),
    (frozenset({"civilian_harm"}), frozenset({"civiliancasualty"})),
    (frozenset({"clash"}), frozenset({"exchangeoffire"})),
)

#: Number words the baseline reads; "several" and "numerous" as the gold reads them.
BASELINE_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "several": 3,
    "numerous": 4,
}
_NUMBER = r"(?P<number>\d+|" + "|".join(BASELINE_NUMBERS) + r")"
_NUMBER_AFTER = _NUMBER.replace("number", "number2")
#: Up to four words between a number and its verb, never across "and" ("one X and two Y").
_BETWEEN = r"(?:(?!and\b|or\b)[A-Za-z-]+\s+){0,4}?(?:were\s+|was\s+|have\s+been\s+|had\s+been\s+)?"
_BASELINE_KILLED = re.compile(
    rf"\b{_NUMBER}\s+{_BETWEEN}killed\b|\bkill(?:ed|ing)\s+{_NUMBER_AFTER}", re.I
)
_BASELINE_CAPTURED = re.compile(
    rf"\b{_NUMBER}\s+{_BETWEEN}(?:detained|arrested|captured)\b|"
    rf"\b(?:detain|arrest|captur)(?:ed|ing)\s+{_NUMBER_AFTER}",
    re.I,
)
_BASELINE_FACTS = (
    ("captured", re.compile(r"\b(detain\w*|arrest\w*|captur\w*)\b", re.I)),
    ("killed", re.compile(r"\bkill(ed|ing)\b", re.I)),
    ("air_strike", re.compile(r"\b(air ?strikes?|air-strikes?)\b", re.I)),
    (
        "civilian_harm",
        re.compile(
            r"(?<!\bno )\bcivilians? (?:were |was )?(?:killed|injured|wounded)\b|"
            r"\b(?:killed|injured|wounded) (?:\w+ )?civilians?\b",
            re.I,
        ),
    ),
    ("clash", re.compile(r"\b(firefight|exchange of fire|exchanged fire|gunfight)\b", re.I)),
)


@dataclass(frozen=True, slots=True)
class Answer:
    """One system's reading of a release: its labels and minimum counts."""

    labels: frozenset[str] = frozenset()
    killed: int = 0
    captured: int = 0


def evaluate_isaf(
    path: Path,
    *,
    settings: Settings,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    """Score strife and the keyword baseline on the ISAF press releases under ``path``.

    Args:
        path: ``isaf.jsonl`` or the folder that holds it.
        settings: passed to every pipeline stage.
        limit: score only the first ``limit`` releases.
        progress: called with (done, total) after each release.

    Returns:
        The report, with ``event_type_f1``, ``min_killed_exact``,
        ``min_captured_exact`` and ``articles_per_second`` per system.

    Raises:
        InputError: the file is missing, unreadable or has no readable line.
    """
    failures: dict[str, list[str]] = {}
    return run_systems(
        f"isaf:{path.name}",
        _load(path, failures)[:limit],
        settings=settings,
        strife_answer=strife_answer,
        baseline_answer=baseline_answer,
        empty_answer=Answer,
        new_tally=_Tally,
        failures=failures,
        progress=progress,
    )


def labels_for(facts: set[str]) -> frozenset[str]:
    """The ISAF labels for a set of facts (:data:`LABEL_RULES`, first match)."""
    for needed, labels in LABEL_RULES:
        if needed <= facts:
            return labels
    return frozenset()


def strife_facts(document: Document) -> set[str]:
    """The facts strife's events and claims state about one release."""
    text = document.article.text if document.article else ""
    facts: set[str] = set()
    for event in document.events:
        fact = TYPE_FACTS.get(f"{event.category}/{event.subtype}")
        if fact:
            facts.add(fact)
        for claim in event.claims:
            civilian = victim_kind(text, claim.end) == CIVILIANS
            if claim.property == "arrests":
                facts.add("captured")
            elif claim.property == "fatalities":
                facts.add("civilian_harm" if civilian else "killed")
            elif claim.property == "injuries" and civilian:
                facts.add("civilian_harm")
    return facts


def strife_answer(document: Document) -> Answer:
    """strife's labels and counts for one release."""
    text = document.article.text if document.article else ""
    killed = captured = 0
    for event in document.events:
        if event.aggregate:
            continue  # "more than 125 insurgents detained this month": not this operation
        killed += event.fatalities.best or 0
        captured += _detainees(event, text)
    return Answer(labels_for(strife_facts(document)), killed, captured)


def _detainees(event: Event, text: str) -> int:
    """Everyone a release says was detained in one operation.

    A release lists its detainees group by group ("captured a Taliban leader ...
    also detained two suspected insurgents"), so one source's groups are added
    up; a group named again by the same noun ("detained numerous suspected
    insurgents ... detained several suspected insurgents") is a restatement, and
    the larger figure stands for it. Across sources the lowest total is kept, as
    ACLED's rule keeps the lowest figure.
    """
    groups: dict[tuple[str, str], int] = {}
    for claim in event.claims:
        if claim.property == "arrests" and claim.low is not None:
            key = (claim.source, _counted_noun(claim, text))
            groups[key] = max(groups.get(key, 0), claim.low)
    totals: dict[str, int] = {}
    for (source, _), count in groups.items():
        totals[source] = totals.get(source, 0) + count
    return min(totals.values(), default=0)


def _counted_noun(claim: Claim, text: str) -> str:
    """The noun a figure counts: "two suspected insurgents" -> "insurgent"."""
    words = claim.text.split() if claim.text[:1].isalpha() else counted_phrase(text, claim.end)
    return words[-1].lower().removesuffix("s") if words else ""


def baseline_answer(page: str) -> Answer:
    """The keyword baseline: facts from keywords, the first number before each verb."""
    facts = {fact for fact, pattern in _BASELINE_FACTS if pattern.search(page)}
    killed = _first_count(_BASELINE_KILLED, page)
    return Answer(labels_for(facts), killed, _first_count(_BASELINE_CAPTURED, page))


def _first_count(pattern: re.Pattern[str], page: str) -> int:
    match = pattern.search(page)
    if match is None:
        return 0
    word = (match.group("number") or match.group("number2")).lower()
    return int(word) if word.isdigit() else BASELINE_NUMBERS[word]


class _Tally:
    def __init__(self) -> None:
        self.articles = self.killed = self.captured = 0
        self.true_positives = self.false_positives = self.false_negatives = 0
        self.seconds = 0.0

    def add(self, gold: Answer, answer: Answer, seconds: float) -> None:
        self.articles += 1
        self.seconds += seconds
        self.true_positives += len(answer.labels & gold.labels)
        self.false_positives += len(answer.labels - gold.labels)
        self.false_negatives += len(gold.labels - answer.labels)
        self.killed += answer.killed == gold.killed
        self.captured += answer.captured == gold.captured

    def metrics(self) -> dict[str, float]:
        def share(count: int) -> float:
            return count / self.articles if self.articles else 0.0

        scored = 2 * self.true_positives + self.false_positives + self.false_negatives
        return {
            "event_type_f1": 2 * self.true_positives / scored if scored else 0.0,
            "min_killed_exact": share(self.killed),
            "min_captured_exact": share(self.captured),
            "articles_per_second": self.articles / self.seconds if self.seconds else 0.0,
        }


def _load(path: Path, failures: dict[str, list[str]]) -> list[Item[Answer]]:
    file = path / DATA_FILE if path.is_dir() else path
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the ISAF file ({exc})", source=str(file)) from exc
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            rows.append(_row(record, number))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
            failures.setdefault(INPUT_FAILURES, []).append(
                f"line {number}: unreadable ({type(exc).__name__}: {exc})"
            )
    if not rows:
        raise InputError(
            'no readable line; expected {"idx", "text", "gold": {"event_type", '
            '"min_killed", "min_captured", ...}} on each line',
            source=str(file),
        )
    return rows


def _row(record: dict[str, Any], number: int) -> Item[Answer]:
    gold = record["gold"]
    text = record["text"]
    if not isinstance(text, str) or not text.strip():
        raise ValueError("no text")
    labels = {
        label.strip().lower()
        for joined in gold["event_type"]
        for label in re.split(r"[;,]", joined)
        if label.strip()
    }
    unknown = labels - set(LABELS)
    if unknown:
        raise ValueError(f"unknown event_type {', '.join(sorted(unknown))}")
    answer = Answer(frozenset(labels), int(gold["min_killed"]), int(gold["min_captured"]))
    return Item(str(record.get("idx", f"line {number}")), text, answer)
