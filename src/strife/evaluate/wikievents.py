"""``strife eval wikievents``: who did it, to whom, where and who says so, on WikiEvents.

WikiEvents (``dev.jsonl``) holds news articles annotated in the KAIROS
ontology: event mentions with a trigger and arguments, each argument an
entity mention over the article's tokens. The page is the article's
sentences, each its own paragraph (the data's ``text`` runs sentences
together with no space), run through clean, read and extract.

Four roles are scored. Gold arguments map to them by :data:`GOLD_ROLES`
(``Attacker`` and ``Killer`` -> attacker, ``Victim`` -> victim,
``Communicator`` -> communicator, ``Place`` -> place); a ``Place`` counts only
on event types strife reports (:data:`PLACE_EVENT_TYPES`: attacks,
demonstrations, deaths and injuries), since every other event type has a
place too. strife's arguments come from its events (:func:`strife_arguments`):

- attacker: the text of each perpetrator claim and perpetrator actor;
- victim: each victim actor's text, and the words each fatality and injury
  figure counts ("three other Russian military personnel" after "three");
- place: the event's location text once the locate stage fills it; until
  then the spaCy GPE, LOC and FAC entities of the sentences that hold the
  event's claims (or, for an event with no claim, of the first sentence
  holding its trigger word);
- communicator: the source of each of the event's claims, except the outlet
  itself: the person speaking when the text names one, else the source's name.

Matching is by head word (:func:`head_word`: the phrase up to its first
preposition, relative pronoun, conjunction or punctuation, then its last word,
lower-cased, possessive dropped: "the Maracay Central Hospital" -> hospital,
"militias loyal to the regime" -> militias). Per document, gold and
prediction are each a set of (role, head) pairs; a predicted pair is correct
when the gold set holds it. Metrics: ``arg_precision``, ``arg_recall`` and
``arg_f1`` micro-averaged over all documents and roles, ``arg_f1_<role>`` the
same for one role, and ``articles_per_second``.

The ``baseline`` system parses the page with the same spaCy model and takes
the subject of a violent verb ("attacked", "killed", "bombed"...) as attacker,
its object or passive subject (and the subject of "died") as victim, the first
GPE of each such sentence as place, and the subject of "said", "told",
"reported"... as communicator.

A line that cannot be read is listed under ``failures["input"]`` and left
out; a page a system fails on is scored as an empty answer and listed under
that system's name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from strife.document import Document, Event
from strife.errors import InputError, StrifeError
from strife.evaluate import EvalReport
from strife.evaluate._systems import Item, run_systems
from strife.evaluate.fakes import counted_phrase
from strife.settings import Settings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span

DATA_FILE = "dev.jsonl"
INPUT_FAILURES = "input"
ROLES = ("attacker", "victim", "place", "communicator")
#: KAIROS argument roles -> the roles scored here.
GOLD_ROLES = {
    "Attacker": "attacker",
    "Killer": "attacker",
    "Victim": "victim",
    "Place": "place",
    "Communicator": "communicator",
}
#: Event types (prefixes) whose Place is scored: the kinds of event strife reports.
PLACE_EVENT_TYPES = ("Conflict.", "Life.Die.", "Life.Injure.")
#: strife's actor roles -> the roles scored here.
ACTOR_ROLES = {"perpetrator": "attacker", "victim": "victim"}
#: spaCy entity labels that name a place.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Words that end a phrase's head part ("militias | loyal to", "officials | who said").
HEAD_CUT = re.compile(
    r"^(of|from|in|at|on|with|by|to|for|near|who|which|that|whose|where|loyal|including|and|"
    r"or|but)$",
    re.I,
)
_TOKEN = re.compile(r"[\w][\w'’.-]*|[^\w\s]")
_POSSESSIVE = re.compile(r"['’]s?$")
#: Verbs whose subject did the violence and whose object suffered it (baseline).
BASELINE_VIOLENT = re.compile(
    r"^(attack|kill|bomb|shoot|shot|strik|struck|hit|detonat|explod|ambush|shell|target|"
    r"murder|execut|assassinat|stab|wound|injur|abduct|kidnap)",
    re.I,
)
#: Verbs whose subject is the one who died (baseline).
BASELINE_DIED = re.compile(r"^(die|died|dies|dying|perish\w*)$", re.I)
#: Reporting verbs whose subject is the communicator (baseline).
BASELINE_SAID = re.compile(
    r"^(say|says|said|tell|tells|told|report\w*|announc\w*|stat(e|ed|es)|claim\w*|"
    r"confirm\w*|add(s|ed)?|warn\w*)$",
    re.I,
)

Pairs = set[tuple[str, str]]


def evaluate_wikievents(
    path: Path,
    *,
    settings: Settings,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    """Score strife and the parse baseline on the WikiEvents documents under ``path``.

    Args:
        path: ``dev.jsonl`` or the folder that holds it.
        settings: passed to every pipeline stage.
        limit: score only the first ``limit`` documents.
        progress: called with (done, total) after each document.

    Returns:
        The report, with ``arg_f1``, ``arg_precision``, ``arg_recall``,
        ``arg_f1_<role>`` for each role and ``articles_per_second`` per system.

    Raises:
        InputError: the file is missing, unreadable or has no readable line.
    """
    from strife.read import load_nlp

    failures: dict[str, list[str]] = {}
    items = _load(path, failures)[:limit]
    nlp: Language | None = None
    try:
        nlp = load_nlp()
    except StrifeError as exc:
        failures.setdefault("baseline", []).append(f"all documents: {exc}")

    def baseline(page: str) -> Pairs:
        return baseline_arguments(page, nlp) if nlp is not None else set()

    return run_systems(
        f"wikievents:{path.name}",
        items,
        settings=settings,
        strife_answer=strife_arguments,
        baseline_answer=baseline,
        empty_answer=set,
        new_tally=_Tally,
        failures=failures,
        progress=progress,
    )


def head_word(text: str) -> str:
    """The head word of a phrase: its last word before the first cut, lower-cased."""
    kept: list[str] = []
    for token in _TOKEN.findall(text):
        if HEAD_CUT.match(token) or not token[0].isalnum():
            if kept:
                break
            continue
        kept.append(token)
    if not kept:
        return ""
    return _POSSESSIVE.sub("", kept[-1].rstrip(".")).lower()


def strife_arguments(document: Document) -> Pairs:
    """(role, head word) pairs of every event strife found in one document."""
    text = document.article.text if document.article else ""
    sources = {source.id: source for source in document.sources}
    found: list[tuple[str, str]] = []
    for event in document.events:
        for actor in event.actors:
            role = ACTOR_ROLES.get(actor.role)
            if role:
                found.append((role, actor.text))
        for claim in event.claims:
            if claim.property == "perpetrator":
                found.append(("attacker", claim.text))
            elif claim.property in {"fatalities", "injuries"}:
                found.append(("victim", " ".join(counted_phrase(text, claim.end))))
            source = sources.get(claim.source)
            if source is not None and source.kind != "outlet":
                found.append(("communicator", source.person or source.name))
        found += [("place", place) for place in event_places(document, event)]
    return {(role, head) for role, phrase in found if (head := head_word(phrase))}


def event_places(document: Document, event: Event) -> list[str]:
    """Where an event happened: its location's words when its own sentences name it, else
    the place entities of its sentences (an argument is scored in the event's sentence)."""
    if event.location and event.location.get("basis") == "event":
        name = event.location.get("text") or event.location.get("name")
        if name:
            return [str(name)]
    sentences = [
        sentence
        for start, sentence in _sentences(document)
        if any(start <= claim.start < start + len(sentence.text) for claim in event.claims)
    ]
    if not sentences and event.trigger:
        trigger = re.compile(rf"\b{re.escape(event.trigger)}\b", re.I)
        sentences = [s for _, s in _sentences(document) if trigger.search(s.text)][:1]
    return [
        ent.text for sentence in sentences for ent in sentence.ents if ent.label_ in PLACE_LABELS
    ]


def _sentences(document: Document) -> Iterator[tuple[int, Span]]:
    """Each parsed sentence with its start offset into ``article.text``."""
    for offset, doc in document.parsed:
        for sentence in doc.sents:
            yield offset + sentence.start_char, sentence


def baseline_arguments(page: str, nlp: Language) -> Pairs:
    """The parse baseline: subjects and objects of violent and reporting verbs, first GPE."""
    found: Pairs = set()
    for sentence in nlp(page).sents:
        violent = False
        for token in sentence:
            if token.pos_ not in {"VERB", "AUX"}:
                continue
            if BASELINE_VIOLENT.match(token.text):
                violent = True
                for child in token.children:
                    if child.dep_ == "nsubj":
                        found.add(("attacker", head_word(child.text)))
                    elif child.dep_ in {"dobj", "nsubjpass"}:
                        found.add(("victim", head_word(child.text)))
                    elif child.dep_ == "agent":
                        found |= {("attacker", head_word(g.text)) for g in child.children}
            elif BASELINE_DIED.match(token.text):
                found |= {
                    ("victim", head_word(c.text)) for c in token.children if c.dep_ == "nsubj"
                }
            elif BASELINE_SAID.match(token.text):
                found |= {
                    ("communicator", head_word(c.text)) for c in token.children if c.dep_ == "nsubj"
                }
        places = [ent for ent in sentence.ents if ent.label_ == "GPE"]
        if violent and places:
            found.add(("place", head_word(places[0].text)))
    return {(role, head) for role, head in found if head}


class _Tally:
    def __init__(self) -> None:
        self.counts = {role: [0, 0, 0] for role in ROLES}  # true pos., false pos., false neg.
        self.articles = 0
        self.seconds = 0.0

    def add(self, gold: Pairs, found: Pairs, seconds: float) -> None:
        self.articles += 1
        self.seconds += seconds
        for role, counts in self.counts.items():
            gold_heads = {head for r, head in gold if r == role}
            found_heads = {head for r, head in found if r == role}
            counts[0] += len(gold_heads & found_heads)
            counts[1] += len(found_heads - gold_heads)
            counts[2] += len(gold_heads - found_heads)

    def metrics(self) -> dict[str, float]:
        totals = [sum(counts[i] for counts in self.counts.values()) for i in range(3)]
        true_pos, false_pos, false_neg = totals
        metrics = {
            "arg_f1": _f1(*totals),
            "arg_precision": true_pos / (true_pos + false_pos) if true_pos + false_pos else 0.0,
            "arg_recall": true_pos / (true_pos + false_neg) if true_pos + false_neg else 0.0,
        }
        metrics |= {f"arg_f1_{role}": _f1(*counts) for role, counts in self.counts.items()}
        metrics["articles_per_second"] = self.articles / self.seconds if self.seconds else 0.0
        return metrics


def _f1(true_pos: int, false_pos: int, false_neg: int) -> float:
    scored = 2 * true_pos + false_pos + false_neg
    return 2 * true_pos / scored if scored else 0.0


def _load(path: Path, failures: dict[str, list[str]]) -> list[Item[Pairs]]:
    file = path / DATA_FILE if path.is_dir() else path
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the WikiEvents file ({exc})", source=str(file)) from exc
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            key = str(record.get("doc_id") or f"line {number}")
            rows.append(Item(key, _page(record), gold_arguments(record)))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
            failures.setdefault(INPUT_FAILURES, []).append(
                f"line {number}: unreadable ({type(exc).__name__}: {exc})"
            )
    if not rows:
        raise InputError(
            'no readable line; expected {"doc_id", "sentences", "entity_mentions", '
            '"event_mentions"} on each line (WikiEvents format)',
            source=str(file),
        )
    return rows


def _page(record: dict[str, Any]) -> str:
    sentences = [str(sentence[1]) for sentence in record.get("sentences") or []]
    page = "\n\n".join(sentence.strip() for sentence in sentences if sentence.strip())
    page = page or str(record.get("text") or "")
    if not page.strip():
        raise ValueError("no text")
    return page


def gold_arguments(record: dict[str, Any]) -> Pairs:
    """The (role, head word) pairs of one WikiEvents document's gold arguments."""
    mentions = {mention["id"]: mention for mention in record.get("entity_mentions") or []}
    pairs: Pairs = set()
    for event in record["event_mentions"]:
        for argument in event["arguments"]:
            role = GOLD_ROLES.get(argument["role"])
            if role is None:
                continue
            if role == "place" and not str(event["event_type"]).startswith(PLACE_EVENT_TYPES):
                continue
            mention = mentions.get(argument.get("entity_id"))
            head = head_word(str(mention["text"] if mention else argument["text"]))
            if head:
                pairs.add((role, head))
    return pairs
