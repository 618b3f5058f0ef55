"""``strife eval fakes``: cause of death and the civilian/combatant toll on FA-KES.

FA-KES (``fakes.csv``) holds Syrian-war news articles with crowd labels. Only
rows with ``label`` 1 (credible) are scored. Each page is the article's title,
a blank line and its content, run through clean, read and extract.

strife's answer for an article comes from its *main event*: the first event
(in the order of the text, so the one the headline and lede report) that has
a fatality claim, else the first event. With no event the answer is cause
``unknown`` and no dead. Metrics, each over the scored articles:

- ``cause_accuracy``: the main event's cause equals the gold
  ``cause_of_death``. :data:`CAUSES` maps strife's event types to FA-KES's
  vocabulary for the types that name a weapon (air strikes count as
  ``shelling``, as the crowd labelled them). Any other type (an attack on
  civilians, a battle) names none, and the crowd gave a weapon only when the
  text named one: its cause comes from its trigger word (an ``execution``
  for "executed", "beheads", a ``shooting`` for "shot", "gunfire"), else
  ``unknown``;
- ``civilians_exact`` and ``noncivilians_exact``: the main event's fatality
  claims are split by victim kind (:func:`victim_kind`: the words that follow
  the figure, "20 opposition fighters", "58 people"); each side is
  reconciled with strife's own rule (``extract.events.reconcile``: the lowest
  specific figure) and compared with ``nb_civilians`` / ``nb_noncivilians``
  (0 when no claim). A figure whose words name no kind ("the toll rose to
  70") counts as civilians, as the crowd counted it;
- ``governorate_accuracy``: over the articles whose gold ``location`` is a
  governorate the gazetteer knows, the share whose main event's
  ``location.admin1`` is that governorate (compared by ``locate.admin1_key``
  in Syria, so "deir ezzor" and "Deir ez-Zor" agree; no event, a miss). FA-KES
  labels 11 of Syria's 14 governorates and has no Rif Dimashq: its "damascus"
  covers the capital's countryside (Douma, Eastern Ghouta), so Rif Dimashq
  counts as Damascus on both sides;
- ``articles_per_second``: articles over the time spent inside each system.

The ``baseline`` system is keyword rules on the page: the cause whose
keyword (:data:`BASELINE_CAUSES`) appears first, for each victim kind
the first "N ... killed/dead" figure of that kind, and the first Syrian
governorate the page names.

A row that cannot be read is listed under ``failures["input"]`` and left
out; a page strife fails on is scored as an empty answer (``unknown``, no
dead) and listed under ``failures["strife"]``. Neither stops the run.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from strife.document import Claim, Document, Event
from strife.errors import InputError
from strife.evaluate import EvalReport
from strife.evaluate._systems import Item, run_systems
from strife.settings import Settings

DATA_FILE = "fakes.csv"
#: The ``failures`` key for rows that could not be read.
INPUT_FAILURES = "input"
UNKNOWN = "unknown"
#: The gold's country, for comparing governorate names.
COUNTRY = "SY"
#: strife's event types -> FA-KES ``cause_of_death``; types not listed are ``unknown``.
CAUSES = {
    "explosions_remote_violence/chemical_weapon": "chemical and toxic gases",
    "explosions_remote_violence/air_drone_strike": "shelling",
    "explosions_remote_violence/shelling_artillery_missile_attack": "shelling",
    "explosions_remote_violence/suicide_bomb": "explosion",
    "explosions_remote_violence/remote_explosive_landmine_ied": "explosion",
    "explosions_remote_violence/grenade": "explosion",
}
#: Triggers that name the cause for a type that does not (attack, battle, ...), in order.
TRIGGER_CAUSES = (
    ("execution", re.compile(r"\b(execut|behead)", re.I)),
    ("shooting", re.compile(r"\b(shot|shoot|gun|sniper|opened fire)", re.I)),
)
#: Keyword rules of the baseline, in no order: the keyword found first in the page wins.
BASELINE_CAUSES = (
    ("chemical and toxic gases", r"chemical|toxic gas|poison gas|sarin|chlorine|nerve agent"),
    ("execution", r"execut\w*|behead\w*"),
    ("explosion", r"explosions?|suicide|car bomb\w*|bomb blast|blasts?|ied\b|explosive"),
    (
        "shelling",
        r"shell\w*|air ?strikes?|air raids?|warplanes?|barrel bombs?|rockets?|mortars?|"
        r"missiles?|bombard\w*",
    ),
    ("shooting", r"shot|shoot\w*|gunmen|gunfire|snipers?|opened fire"),
)
_BASELINE_CAUSES = tuple(
    (cause, re.compile(rf"\b(?:{pattern})", re.I)) for cause, pattern in BASELINE_CAUSES
)

# Victim kinds, read from the words that follow a figure ("20 opposition fighters").
CIVILIANS = "civilians"
COMBATANTS = "combatants"
#: Words naming the armed dead: soldiers, police, fighters of any side.
COMBATANT_WORDS = re.compile(
    r"^(soldiers?|troops|servicem[ae]n|personnel|officers?|policem[ae]n|police|guards?|"
    r"fighters?|militants?|insurgents?|rebels?|jihadists?|terrorists?|militiam[ae]n|militias?|"
    r"gunmen|combatants|mercenaries|recruits|commanders?|leaders?|attackers|bombers?|"
    r"extremists|members)$",
    re.I,
)
#: Words naming unarmed dead; "people" included, as the crowd counted people as civilians.
CIVILIAN_WORDS = re.compile(
    r"^(civilians?|people|persons|residents|villagers|inhabitants|famil(y|ies)|women|woman|"
    r"children|child|kids|infants|babies|girls|boys|m[ae]n|worshippers|shoppers|passengers|"
    r"students|pupils|patients|doctors|medics|nurses|journalists|activists|refugees|"
    r"displaced|farmers|workers|teachers|bystanders|pedestrians|elderly|relatives)$",
    re.I,
)
#: Words that end the phrase a figure counts ("58 people | were killed", "11 | children").
PHRASE_END = re.compile(
    r"^(were|was|are|is|have|has|had|been|be|being|killed|dead|died|wounded|injured|hurt|and|"
    r"or|but|in|on|at|by|from|with|during|after|before|when|while|including|among|who|which|"
    r"that|as|to|into|near|across|since)$",
    re.I,
)
#: The longest phrase read after a figure.
MAX_PHRASE_WORDS = 6
_WORD_OR_MARK = re.compile(r"[A-Za-z][\w'’-]*|[^\w\s]")

_BASELINE_TOLL = re.compile(
    r"\b(?P<number>\d[\d,]*)\b(?P<words>(?:\s+[A-Za-z-]+){0,5}?)\s+(?:were\s+|have\s+been\s+|"
    r"had\s+been\s+|was\s+)?(?:killed|dead)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Answer:
    """What a system says about one article, in FA-KES's terms."""

    cause: str = UNKNOWN
    civilians: int = 0
    noncivilians: int = 0
    #: Admin-1 key of the governorate (``locate.admin1_key``), None when unknown.
    governorate: str | None = None


def evaluate_fakes(
    path: Path,
    *,
    settings: Settings,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    """Score strife and the keyword baseline on the credible FA-KES articles under ``path``.

    Args:
        path: ``fakes.csv`` or the folder that holds it.
        settings: passed to every pipeline stage.
        limit: score only the first ``limit`` credible rows.
        progress: called with (done, total) after each article.

    Returns:
        The report, with ``cause_accuracy``, ``civilians_exact``,
        ``noncivilians_exact``, ``governorate_accuracy`` and ``articles_per_second``
        per system.

    Raises:
        InputError: the file is missing, unreadable or has no credible row.
    """
    failures: dict[str, list[str]] = {}
    return run_systems(
        f"fakes:{path.name}",
        _load(path, failures)[:limit],
        settings=settings,
        strife_answer=strife_answer,
        baseline_answer=baseline_answer,
        empty_answer=Answer,
        new_tally=_Tally,
        failures=failures,
        progress=progress,
    )


def strife_answer(document: Document) -> Answer:
    """strife's answer for one article: its main event's cause and split toll."""
    event = main_event(document.events)
    if event is None:
        return Answer()
    text = document.article.text if document.article else ""
    civilians, noncivilians = split_fatalities(event.claims, text, default=CIVILIANS)
    return Answer(event_cause(event), civilians, noncivilians, _governorate(event))


def _governorate(event: Event) -> str | None:
    from strife.evaluate._places import admin1_of

    location = event.location or {}
    admin1 = location.get("admin1")
    key = admin1_of(admin1, location.get("country") or COUNTRY) if admin1 else None
    return _as_labelled(key)


def _as_labelled(key: str | None) -> str | None:
    """A governorate as FA-KES labels it: Rif Dimashq is "damascus" (see the docstring)."""
    from strife.evaluate._places import admin1_of

    return admin1_of("Damascus", COUNTRY) if key == admin1_of("Rif Dimashq", COUNTRY) else key


def main_event(events: list[Event]) -> Event | None:
    """The first event with a fatality claim, else the first event."""
    for event in events:
        if any(claim.property == "fatalities" for claim in event.claims):
            return event
    return events[0] if events else None


def event_cause(event: Event) -> str:
    """FA-KES's cause of death for one of strife's events."""
    cause = CAUSES.get(f"{event.category}/{event.subtype}")
    if cause is not None:
        return cause
    for name, pattern in TRIGGER_CAUSES:
        if pattern.search(event.trigger):
            return name
    return UNKNOWN


def split_fatalities(claims: list[Claim], text: str, *, default: str) -> tuple[int, int]:
    """Reconciled fatalities of civilians and of combatants among ``claims``.

    Each fatality claim goes to the side :func:`victim_kind` reads after it
    in ``text`` (``default`` when the words name no kind); each side is
    reconciled with strife's rule and its ``best`` figure taken (0 when none).
    """
    from strife.extract.events import reconcile

    sides: dict[str, list[Claim]] = {CIVILIANS: [], COMBATANTS: []}
    for claim in claims:
        if claim.property == "fatalities":
            sides[victim_kind(text, claim.end) or default].append(claim)
    civilians = reconcile(sides[CIVILIANS]).best or 0
    combatants = reconcile(sides[COMBATANTS]).best or 0
    return civilians, combatants


def counted_phrase(text: str, end: int) -> list[str]:
    """The words right after a figure that say what it counts, up to a verb or a comma."""
    words: list[str] = []
    for match in _WORD_OR_MARK.finditer(text, end, min(len(text), end + 120)):
        word = match.group(0)
        if not word[0].isalpha() or PHRASE_END.match(word):
            break
        words.append(word)
        if len(words) == MAX_PHRASE_WORDS:
            break
    return words


def victim_kind(text: str, end: int) -> str | None:
    """``civilians`` or ``combatants`` from the last word after a figure that names one.

    "armed" anywhere in the words makes them combatants ("two armed men").
    """
    words = counted_phrase(text, end)
    if any(word.lower() == "armed" for word in words):
        return COMBATANTS
    for word in reversed(words):
        if COMBATANT_WORDS.match(word):
            return COMBATANTS
        if CIVILIAN_WORDS.match(word):
            return CIVILIANS
    return None


def baseline_answer(page: str) -> Answer:
    """The keyword baseline: the first cause keyword, the first toll of each kind."""
    cause, first = UNKNOWN, len(page) + 1
    for name, pattern in _BASELINE_CAUSES:
        match = pattern.search(page)
        if match and match.start() < first:
            cause, first = name, match.start()
    tolls: dict[str, int] = {}
    for match in _BASELINE_TOLL.finditer(page):
        kind = victim_kind(page, match.end("number")) or CIVILIANS
        tolls.setdefault(kind, int(match.group("number").replace(",", "")))
    from strife.evaluate._places import first_admin1

    governorate = _as_labelled(first_admin1(page, COUNTRY))
    return Answer(cause, tolls.get(CIVILIANS, 0), tolls.get(COMBATANTS, 0), governorate)


class _Tally:
    def __init__(self) -> None:
        self.articles = self.cause = self.civilians = self.noncivilians = 0
        self.placed = self.governorates = 0
        self.seconds = 0.0

    def add(self, gold: Answer, answer: Answer, seconds: float) -> None:
        self.articles += 1
        self.seconds += seconds
        self.cause += answer.cause == gold.cause
        self.civilians += answer.civilians == gold.civilians
        self.noncivilians += answer.noncivilians == gold.noncivilians
        if gold.governorate is not None:
            self.placed += 1
            self.governorates += answer.governorate == gold.governorate

    def metrics(self) -> dict[str, float]:
        def share(count: int) -> float:
            return count / self.articles if self.articles else 0.0

        return {
            "cause_accuracy": share(self.cause),
            "civilians_exact": share(self.civilians),
            "noncivilians_exact": share(self.noncivilians),
            "governorate_accuracy": self.governorates / self.placed if self.placed else 0.0,
            "articles_per_second": self.articles / self.seconds if self.seconds else 0.0,
        }


def _load(path: Path, failures: dict[str, list[str]]) -> list[Item[Answer]]:
    file = path / DATA_FILE if path.is_dir() else path
    try:
        with file.open(encoding="utf-8", newline="") as handle:
            records = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read the FA-KES file ({exc})", source=str(file)) from exc
    rows = []
    for number, record in enumerate(records, 2):  # line 1 is the header
        key = str(record.get("unit_id") or f"line {number}")
        if (record.get("label") or "").strip() != "1":
            continue
        try:
            gold = Answer(
                (record["cause_of_death"] or UNKNOWN).strip().lower(),
                _count(record["nb_civilians"]),
                _count(record["nb_noncivilians"]),
                _gold_governorate(record.get("location")),
            )
        except (KeyError, ValueError, AttributeError) as exc:
            failures.setdefault(INPUT_FAILURES, []).append(f"{key}: unreadable gold ({exc})")
            continue
        title, content = record.get("article_title") or "", record.get("article_content") or ""
        if not content.strip():
            failures.setdefault(INPUT_FAILURES, []).append(f"{key}: no article content")
            continue
        rows.append(Item(key, f"{title}\n\n{content}", gold))
    if not rows:
        raise InputError(
            "no credible (label 1) row with readable gold; expected FA-KES columns "
            "unit_id, article_title, article_content, cause_of_death, nb_civilians, "
            "nb_noncivilians, label",
            source=str(file),
        )
    return rows


def _gold_governorate(value: str | None) -> str | None:
    from strife.evaluate._places import admin1_of

    return _as_labelled(admin1_of(value, COUNTRY)) if value and value.strip() else None


def _count(value: str | None) -> int:
    text = (value or "").strip()
    return int(float(text)) if text else 0
