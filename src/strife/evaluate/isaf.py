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
  incident told twice is not counted twice), summed over the release's
  events (separate incidents add up). Its captured count reads the release's
  arrest claims sentence by sentence: groups named together add up, a later
  group that restates the lead does not, new people do (``_isaf_detainees``).
  Both skip aggregate events; 0 when no claim;
- ``articles_per_second``: releases over the time spent inside each system.

The ``baseline`` system reads the facts from keywords ("detained" ->
``captured``, "killed" -> ``killed``, "air strike" -> ``air_strike``,
"civilians were killed" -> ``civilian_harm``, "firefight" -> ``clash``) and
takes the first number before "... killed" and before "... detained" as the
counts. Both systems share :data:`LABEL_RULES`.

Dates and places are read off the release's *dated event* (:func:`dated_event`:
the first event, in text order, that is violent or an arrest or has a fatality
or arrest claim, else the first event), the operation a release reports:

- ``start_date_exact``: share of releases whose dated event's ``date.start``
  equals the gold ``start_date`` (no event: a miss);
- ``province_accuracy``: share of releases, among those whose gold
  ``province`` names an admin-1 area the gazetteer knows, whose dated event's
  ``location.admin1`` is one of them (compared by ``locate.admin1_key`` in
  country ``AF``, so "Paktya" and "Paktiya" agree).

The baseline's date is the publication date as the page gives it (the first
date with its year in the top of the release: the dateline or the header), and
its province the first "X province" the page names.

A line that cannot be read is listed under
``failures["input"]`` and left out; a release strife fails on is scored as
an empty output and listed under ``failures["strife"]``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from strife._date_expressions import DAY, find_mentions
from strife.document import Document, Event
from strife.errors import InputError
from strife.evaluate import EvalReport
from strife.evaluate._isaf_detainees import count_detainees
from strife.evaluate._systems import Item, run_systems
from strife.evaluate.fakes import CIVILIANS, victim_kind
from strife.settings import Settings

DATA_FILE = "isaf.jsonl"
#: The gold's country, for comparing province names.
COUNTRY = "AF"
#: How much of the top of a release the baseline reads the publication date from.
BASELINE_HEADER_CHARS = 600
#: Event categories of the operation a release reports (with arrests).
DATED_CATEGORIES = frozenset(
    {"battles", "explosions_remote_violence", "violence_against_civilians", "riots"}
)
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
_BASELINE_PROVINCE = re.compile(r"\b([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?) [Pp]rovince\b")
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
    #: ``YYYY-MM-DD`` of the operation (the gold's ``start_date``), None when unknown.
    start_date: str | None = None
    #: Admin-1 keys (``locate.admin1_key``): the gold's provinces, or the system's one.
    provinces: frozenset[str] = frozenset()


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
        ``min_captured_exact``, ``start_date_exact``, ``province_accuracy`` and
        ``articles_per_second`` per system.

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
    killed = 0
    for event in document.events:
        if event.aggregate:
            continue  # "more than 125 insurgents detained this month": not this operation
        killed += event.fatalities.best or 0
    return Answer(
        labels_for(strife_facts(document)),
        killed,
        _detainees(document.events, text),
        *_date_and_province(dated_event(document.events)),
    )


def dated_event(events: list[Event]) -> Event | None:
    """The operation a release reports: the first violent or arrest event, else the first."""
    for event in events:
        if (
            event.category in DATED_CATEGORIES
            or event.subtype == "arrests"
            or any(claim.property in ("fatalities", "arrests") for claim in event.claims)
        ):
            return event
    return events[0] if events else None


def _date_and_province(event: Event | None) -> tuple[str | None, frozenset[str]]:
    start = event.date.get("start") if event and event.date else None
    admin1 = event.location.get("admin1") if event and event.location else None
    province = _province_key(admin1) if admin1 else None
    return start, frozenset({province}) if province else frozenset()


def _province_key(name: str) -> str | None:
    from strife.locate import admin1_key

    return admin1_key(name, COUNTRY)


def _detainees(events: list[Event], text: str) -> int:
    """Everyone a release says was detained in its operation (``_isaf_detainees``)."""
    return count_detainees(events, text)


def baseline_answer(page: str) -> Answer:
    """The keyword baseline: facts from keywords, the first number before each verb."""
    facts = {fact for fact, pattern in _BASELINE_FACTS if pattern.search(page)}
    killed = _first_count(_BASELINE_KILLED, page)
    province = _BASELINE_PROVINCE.search(page)
    key = _province_key(province.group(1)) if province else None
    return Answer(
        labels_for(facts),
        killed,
        _first_count(_BASELINE_CAPTURED, page),
        published_date(page),
        frozenset({key}) if key else frozenset(),
    )


def published_date(page: str) -> str | None:
    """The first date with its year in the top of a page (its dateline or header)."""
    for mention in find_mentions(page[:BASELINE_HEADER_CHARS], reference=None, limit=date.today()):
        if mention.span is not None and mention.span.precision == DAY:
            return mention.span.start.isoformat()
    return None


def _first_count(pattern: re.Pattern[str], page: str) -> int:
    match = pattern.search(page)
    if match is None:
        return 0
    word = (match.group("number") or match.group("number2")).lower()
    return int(word) if word.isdigit() else BASELINE_NUMBERS[word]


class _Tally:
    def __init__(self) -> None:
        self.articles = self.killed = self.captured = 0
        self.dated = self.provinces = self.province_items = 0
        self.true_positives = self.false_positives = self.false_negatives = 0
        self.seconds = 0.0

    def add(self, gold: Answer, answer: Answer, seconds: float) -> None:
        self.articles += 1
        self.seconds += seconds
        self.true_positives += len(answer.labels & gold.labels)
        self.false_positives += len(answer.labels - gold.labels)
        self.false_negatives += len(gold.labels - answer.labels)
        self.killed += answer.killed == gold.killed
        self.dated += answer.start_date is not None and answer.start_date == gold.start_date
        if gold.provinces:
            self.province_items += 1
            self.provinces += bool(answer.provinces & gold.provinces)
        self.captured += answer.captured == gold.captured

    def metrics(self) -> dict[str, float]:
        def share(count: int) -> float:
            return count / self.articles if self.articles else 0.0

        scored = 2 * self.true_positives + self.false_positives + self.false_negatives
        return {
            "event_type_f1": 2 * self.true_positives / scored if scored else 0.0,
            "min_killed_exact": share(self.killed),
            "min_captured_exact": share(self.captured),
            "start_date_exact": share(self.dated),
            "province_accuracy": (
                self.provinces / self.province_items if self.province_items else 0.0
            ),
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
    provinces = {_province_key(name) for name in gold.get("province") or [] if name.strip()}
    answer = Answer(
        frozenset(labels),
        int(gold["min_killed"]),
        int(gold["min_captured"]),
        str(gold.get("start_date") or "") or None,
        frozenset(key for key in provinces if key),
    )
    return Item(str(record.get("idx", f"line {number}")), text, answer)
