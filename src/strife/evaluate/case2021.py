"""Evaluate event typing on CASE 2021 task 2: strife beside a keyword baseline.

Takes the task's labelled file, ``case2021_task2.tsv`` (columns ``id``,
``EventSnippet``, ``SubType``; one short news snippet a row), or the folder
that holds it, and returns an :class:`~strife.evaluate.EvalReport`.

The gold ``SubType`` is one of ACLED's 25 sub-event types in the task's
spelling (``AIR_STRIKE``, ``SUIC_BOMB``, ...) or one of the task's extra
types for news that is not political violence (``DIPLO``, ``ATTRIB``,
``ORG_CRIME``, ``MAN_MADE_DISASTER``, ``NATURAL_DISASTER``).
:data:`CASE_LABELS` maps each taxonomy key to that spelling; it is the only
place the task's names appear.

Two systems run on every snippet, one after the other, in this process:

- ``strife``: :func:`strife.extract.typing.classify_event` on the snippet's
  text (the plain-text path: no spaCy model is loaded);
- ``baseline``: the first keyword of :data:`BASELINE_KEYWORDS` found in the
  snippet, label by label in that order; a floor that shows what the context
  rules add.

A snippet a system gives no type (or crashes on) is scored as a wrong answer.
``macro_f1`` averages the F1 of each label present in the gold, as the shared
task did; ``accuracy`` is the share of snippets labelled right;
``articles_per_second`` counts snippets per second spent inside the system.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from strife.errors import InputError, NotFoundError
from strife.evaluate import EvalReport
from strife.settings import Settings

FILE_NAME = "case2021_task2.tsv"
COLUMNS = ("id", "EventSnippet", "SubType")
SYSTEMS = ("strife", "baseline")
#: What a system that found no event type is scored as: wrong for every gold label.
NO_LABEL = ""

#: Taxonomy key -> the CASE 2021 task 2 label for it.
CASE_LABELS: dict[str, str] = {
    "battles/armed_clash": "ARMED_CLASH",
    "battles/government_regains_territory": "GOV_REGAINS_TERIT",
    "battles/non_state_actor_overtakes_territory": "NON_STATE_ACTOR_OVERTAKES_TER",
    "violence_against_civilians/sexual_violence": "SEX_VIOL",
    "violence_against_civilians/attack": "ATTACK",
    "violence_against_civilians/abduction_forced_disappearance": "ABDUCT_DISSAP",
    "explosions_remote_violence/chemical_weapon": "CHEM_WEAP",
    "explosions_remote_violence/air_drone_strike": "AIR_STRIKE",
    "explosions_remote_violence/suicide_bomb": "SUIC_BOMB",
    "explosions_remote_violence/shelling_artillery_missile_attack": "ART_MISS_ATTACK",
    "explosions_remote_violence/remote_explosive_landmine_ied": "REM_EXPLOS",
    "explosions_remote_violence/grenade": "GRENADE",
    "protests/peaceful_protest": "PEACE_PROTEST",
    "protests/protest_with_intervention": "PROTEST_WITH_INTER",
    "protests/excessive_force_against_protesters": "FORCE_AGAINST_PROTEST",
    "riots/violent_demonstration": "VIOL_DEMONSTR",
    "riots/mob_violence": "MOB_VIOL",
    "strategic_developments/agreement": "AGREEMENT",
    "strategic_developments/arrests": "ARREST",
    "strategic_developments/change_to_group_activity": "CHANGE_TO_GROUP_ACT",
    "strategic_developments/disrupted_weapons_use": "DISR_WEAP",
    "strategic_developments/headquarters_or_base_established": "HQ_ESTABLISHED",
    "strategic_developments/looting_property_destruction": "PROPERTY_DISTRUCT",
    "strategic_developments/non_violent_transfer_of_territory": "NON_VIOL_TERRIT_TRANSFER",
    "strategic_developments/other": "OTHER",
    "other/diplomacy": "DIPLO",
    "other/attribution": "ATTRIB",
    "other/organized_crime": "ORG_CRIME",
    "other/man_made_disaster": "MAN_MADE_DISASTER",
    "other/natural_disaster": "NATURAL_DISASTER",
}

#: The baseline's keywords (lower case, matched as substrings), label by label;
#: the first label with a keyword in the snippet wins, so specific labels come first.
BASELINE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "ATTRIB": ("responsibility",),
    "SUIC_BOMB": ("suicide",),
    "CHEM_WEAP": ("chemical", "chlorine"),
    "GRENADE": ("grenade",),
    "SEX_VIOL": ("rape", "sexual"),
    "ABDUCT_DISSAP": ("abduct", "kidnap"),
    "AIR_STRIKE": ("airstrike", "air strike", "warplane"),
    "ART_MISS_ATTACK": ("shell", "rocket", "missile", "mortar"),
    "REM_EXPLOS": ("bomb", "explosive", "landmine"),
    "PROTEST_WITH_INTER": ("tear gas",),
    "FORCE_AGAINST_PROTEST": ("excessive force",),
    "VIOL_DEMONSTR": ("riot",),
    "MOB_VIOL": ("mob",),
    "PEACE_PROTEST": ("protest", "rally", "march"),
    "GOV_REGAINS_TERIT": ("recaptur", "regain"),
    "NON_STATE_ACTOR_OVERTAKES_TER": ("took control", "seized"),
    "NON_VIOL_TERRIT_TRANSFER": ("withdr",),
    "HQ_ESTABLISHED": ("base",),
    "CHANGE_TO_GROUP_ACT": ("defect", "deploy"),
    "DISR_WEAP": ("weapons", "ammunition"),
    "AGREEMENT": ("agreement", "ceasefire", "truce"),
    "ARREST": ("arrest", "detain"),
    "PROPERTY_DISTRUCT": ("loot", "burn"),
    "DIPLO": ("diplomat", "sanction"),
    "ORG_CRIME": ("smuggl", "drug"),
    "NATURAL_DISASTER": ("flood", "earthquake", "wildfire"),
    "MAN_MADE_DISASTER": ("accident", "spill", "fire"),
    "ARMED_CLASH": ("clash", "fighting"),
    "ATTACK": ("attack", "gunmen", "killed"),
}

Classify = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class _Snippet:
    """One row of the task file."""

    key: str
    text: str
    label: str


@dataclass(slots=True)
class _Tally:
    """What one system predicted, and the time it took."""

    seconds: float = 0.0
    predicted: list[str] = field(default_factory=list)


def evaluate_case2021(
    path: Path,
    *,
    settings: Settings,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    """Score strife's event typing and a keyword baseline on CASE 2021 task 2.

    Args:
        path: ``case2021_task2.tsv`` or the folder that holds it.
        settings: unused for now (event typing has no tunables); taken so that
            every evaluation has the same signature.
        limit: score only the first ``limit`` snippets, in file order.
        progress: called with (snippets done, snippets to do) after each snippet.

    Returns:
        One entry per system in ``systems``: ``macro_f1``, ``accuracy`` and
        ``articles_per_second``; ``dataset`` is ``"case2021:<folder name>"``.

    Raises:
        NotFoundError: there is no such file or folder, or the folder holds no
            ``case2021_task2.tsv``.
        InputError: the file cannot be read, or a row is not id, snippet, label.
    """
    del settings  # the signature is shared with the other evaluations
    started = time.perf_counter()
    file = _find_file(path)
    snippets = _read_snippets(file)
    if limit is not None:
        snippets = snippets[: max(limit, 0)]
    systems: dict[str, Classify] = {"strife": _load_strife(), "baseline": classify_baseline}
    tallies = {name: _Tally() for name in SYSTEMS}
    failures: dict[str, list[str]] = {}
    for done, snippet in enumerate(snippets, start=1):
        for name in SYSTEMS:
            _run_one(name, systems[name], snippet, tallies[name], failures)
        if progress is not None:
            progress(done, len(snippets))
    gold = [snippet.label for snippet in snippets]
    return EvalReport(
        dataset=f"case2021:{file.parent.resolve().name}",
        n=len(snippets),
        seconds=time.perf_counter() - started,
        systems={name: _metrics(gold, tallies[name]) for name in SYSTEMS},
        failures=failures,
    )


def classify_baseline(text: str) -> str:
    """The baseline's label: the first label with a keyword in the text, or ``NO_LABEL``."""
    lowered = text.lower()
    for label, keywords in BASELINE_KEYWORDS.items():
        if any(keyword in lowered for keyword in keywords):
            return label
    return NO_LABEL


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    """Mean F1 over the labels present in ``gold`` (a predicted-only label adds nothing)."""
    labels = sorted(set(gold))
    if not labels:
        return 0.0
    true_positives: Counter[str] = Counter()
    predicted_counts = Counter(predicted)
    gold_counts = Counter(gold)
    for expected, got in zip(gold, predicted, strict=True):
        if expected == got:
            true_positives[expected] += 1
    total = 0.0
    for label in labels:
        denominator = predicted_counts[label] + gold_counts[label]
        total += 2 * true_positives[label] / denominator if denominator else 0.0
    return total / len(labels)


def _load_strife() -> Classify:
    """strife's classifier as a system; imported when a run starts, not per snippet."""
    from strife.extract.typing import classify_event

    def classify(text: str) -> str:
        typing = classify_event(text)
        return CASE_LABELS[typing.key] if typing is not None else NO_LABEL

    return classify


def _run_one(
    name: str,
    classify: Classify,
    snippet: _Snippet,
    tally: _Tally,
    failures: dict[str, list[str]],
) -> None:
    """Classify one snippet with one system; a crash is no label and a failure."""
    start = time.perf_counter()
    try:
        label = classify(snippet.text)
    except Exception as exc:  # any crash is scored as a miss, as in the other evaluations
        label = NO_LABEL
        failures.setdefault(name, []).append(f"{snippet.key}: {type(exc).__name__}: {exc}")
    tally.seconds += time.perf_counter() - start
    tally.predicted.append(label)


def _metrics(gold: list[str], tally: _Tally) -> dict[str, float]:
    right = sum(1 for expected, got in zip(gold, tally.predicted, strict=True) if expected == got)
    return {
        "macro_f1": macro_f1(gold, tally.predicted),
        "accuracy": right / len(gold) if gold else 0.0,
        "articles_per_second": len(gold) / tally.seconds if tally.seconds > 0 else 0.0,
    }


def _find_file(path: Path) -> Path:
    """The task file: ``path`` itself, or ``case2021_task2.tsv`` inside it."""
    if path.is_dir():
        path = path / FILE_NAME
        if not path.is_file():
            raise NotFoundError(
                f"holds no {FILE_NAME}; give the CASE 2021 task 2 folder or the file itself",
                source=str(path.parent),
            )
    elif not path.is_file():
        raise NotFoundError(
            f"no such file or folder; give the folder that holds {FILE_NAME}", source=str(path)
        )
    return path


def _read_snippets(file: Path) -> list[_Snippet]:
    """The rows of the task file, in file order; an InputError names a bad row."""
    try:
        lines = file.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot be read as UTF-8 text ({exc})", source=str(file)) from exc
    expected = "\t".join(COLUMNS)
    if not lines or tuple(lines[0].split("\t")) != COLUMNS:
        raise InputError(
            f"the first line must be the header {expected!r} (tab-separated)", source=str(file)
        )
    snippets = []
    # Split on tabs only: snippets hold stray quotes that a CSV reader would pair up.
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(COLUMNS) or not cells[2].strip():
            raise InputError(
                f"line {number} is not {len(COLUMNS)} tab-separated cells ({expected})",
                source=str(file),
            )
        snippets.append(_Snippet(cells[0].strip(), cells[1], cells[2].strip()))
    return snippets
