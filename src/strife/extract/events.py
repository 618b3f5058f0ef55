"""Events of one article: sentences -> incidents, each with all its claims, reconciled.

Each sentence is read once: its event type (``typing.py``), its casualty
figures and perpetrators (``claims.py``), its places (spaCy's entities) and
its victims (``actors.py``). A sentence of a type already seen joins that
incident when nothing sets them apart (no other place, or a place the text
calls a neighbourhood or district of it): "the massacre", "the killings" and
each source's own figure then land on one event. A count over a stretch of
time ("over the past three days") is an aggregate report and stays an event
of its own. A figure in a sentence of no type belongs to the incident the
article is talking about.

Per event, the figures are reconciled (see ``docs/codebook.md``) and a
perpetrator named differently by different sources is marked as disputed,
each version with its sources.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from strife.document import Actor, Claim, Document, Event, Figures, Source
from strife.extract.actors import side, victim_groups
from strife.extract.attribution import Attribution
from strife.extract.claims import (
    LISTED_PROPERTIES,
    SentenceClaim,
    figure_claims,
    perpetrator_claims,
    singular_claims,
)
from strife.extract.typing import GENERIC_CASUALTY, classify_event
from strife.taxonomy import EVENT_TYPES, codes

if TYPE_CHECKING:
    from spacy.tokens import Span

STAGE = "extract"
#: The outlet's own source id: the source of whatever the article states unattributed.
OUTLET_ID = "s0"
#: Counts above this are not a single incident's toll; the claim is dropped with W401.
MAX_PLAUSIBLE_COUNT = 2_000_000
#: A place named this way lies inside the incident's city rather than apart from it.
SUB_PLACE = re.compile(
    r"\b(neighbou?rhood|district|suburb|quarter|area|village|outskirts|camp)\b", re.I
)
#: A count over a stretch of time is a report of its own, not one incident's toll.
AGGREGATE = re.compile(
    r"\b(over|in|during) the (past|last|previous) (\w+ )?(days?|weeks?|months?|hours)\b|"
    r"\bsince (monday|tuesday|wednesday|thursday|friday|saturday|sunday|last)\b",
    re.I,
)
#: A title shorter than this is too generic to spot where the body repeats it.
HEADLINE_MIN_CHARS = 20
#: Entity labels that name where something happened.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Types outside ACLED's taxonomy (diplomacy, disasters, crime, attribution).
OTHER_PREFIX = "other/"
#: The type of figures that no trigger types and no incident is in view for: someone
#: was killed or hurt, by someone (ACLED's residual category for one-sided violence).
UNTYPED_KEY = "violence_against_civilians/attack"
#: Categories whose incidents have dead and wounded.
VIOLENT_CATEGORIES = frozenset(
    {"battles", "explosions_remote_violence", "violence_against_civilians", "riots", "protests"}
)
CASUALTY_PROPERTIES = frozenset({"fatalities", "injuries"})
#: Strategic developments are named with common words ("agreement", "talks"): one with
#: no claim needs a trigger at least this specific to be an event.
WEAK_CATEGORIES = frozenset({"strategic_developments"})
WEAK_MIN_SCORE = 0.6
#: Claims that are counts, as opposed to actors.
FIGURE_PROPERTIES = frozenset({"fatalities", "injuries", "arrests", "abductions"})
REMOTE_CATEGORY = "explosions_remote_violence"
#: The reconciliation rule, named as the codebook names it.
RECONCILE_RULE = "acled_lowest_specific"


@dataclass(slots=True)
class _Mention:
    """What one sentence says about an incident."""

    key: str | None
    trigger: str
    score: float
    places: set[str]
    sub_place: bool
    aggregate: bool
    claims: list[SentenceClaim]
    victims: list[str]
    #: The sentence, as offsets into its passage.
    span: tuple[int, int] = (0, 0)


@dataclass(slots=True)
class _Incident:
    key: str
    trigger: str
    score: float = 0.0
    #: Where its last mention was: the offset of that passage in the article.
    passage: int = -1
    places: set[str] = field(default_factory=set)
    aggregate: bool = False
    claims: list[SentenceClaim] = field(default_factory=list)
    victims: list[str] = field(default_factory=list)
    typed: bool = True
    #: The sentences that tell of it, as offsets into the article text.
    spans: list[tuple[int, int]] = field(default_factory=list)


def extract_events(document: Document) -> None:
    """Fill ``document.sources`` and ``document.events`` from ``document.parsed``."""
    assert document.article is not None
    incidents: list[_Incident] = []
    current: _Incident | None = None
    repeats = _headline_repeats(document.article.text, document.article.title)
    for offset, doc in document.parsed:
        previous: Attribution | None = None
        for sentence in doc.sents:
            mention = _read_sentence(sentence, previous=previous)
            previous = _last_attribution(mention, previous)
            mention.claims = [c for c in mention.claims if not _inside(c, offset, repeats)]
            if mention.key is None and not mention.claims:
                continue
            current = _place(mention, incidents, current, offset=offset)
    registry = _Sources(document.article.publisher)
    events: list[Event] = []
    seen: set[tuple[object, ...]] = set()
    for incident in incidents:
        event = _to_event(incident, registry, document, seen)
        if event is not None:
            event.id = f"{document.id}-e{len(events) + 1}"
            events.append(event)
    document.sources = registry.sources
    document.events = events


def _headline_repeats(text: str, title: str | None) -> list[tuple[int, int]]:
    """Where the body repeats the headline: its figures are the headline's, said again.

    Words are matched, not characters: a scraped body often repeats the headline with
    its punctuation lost ("kills 12, wounds 50:" as "kills 12 wounds 50").
    """
    words = re.findall(r"\w+", title or "")
    if len(" ".join(words)) < HEADLINE_MIN_CHARS:
        return []
    pattern = re.compile(r"\W+".join(re.escape(word) for word in words), re.I)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _inside(claim: SentenceClaim, offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= claim.start + offset < end for start, end in spans)


def _read_sentence(sentence: Span, *, previous: Attribution | None) -> _Mention:
    claims = _distinct_within(
        figure_claims(sentence, previous=previous) + singular_claims(sentence, previous=previous)
    )
    # The trigger nearest the first figure types it ("the massacre in Homs ... a car bomb
    # exploded in Deraa, killing three" gives the three to the car bomb).
    typing = classify_event(sentence, near=claims[0].start if claims else None)
    claims += perpetrator_claims(sentence, previous=previous)
    casualties = any(c.property in CASUALTY_PROPERTIES for c in claims)
    if typing is not None and GENERIC_CASUALTY.fullmatch(typing.trigger):
        # "civilians were killed" says people died, not how: the incident takes its type
        # from the first sentence that says how (an untyped incident is re-typed then).
        typing = None
    if typing is not None and claims and _cannot_carry(typing.key, casualties=casualties):
        # "blamed the deaths on ...", "put the toll at 15 and said shops were destroyed":
        # claims about the incident in view, not a new incident of that type.
        typing = None
    anchor = typing.start if typing else (claims[0].start if claims else sentence.start_char)
    places = _nearest_place(sentence, anchor)
    victims: list[str] = []
    for claim in claims:
        if claim.quantity is not None:
            victims += victim_groups(_noun_phrase(sentence, claim))
    return _Mention(
        key=typing.key if typing else None,
        trigger=typing.trigger if typing else "",
        score=typing.score if typing else 0.0,
        places=places,
        sub_place=bool(SUB_PLACE.search(sentence.text)),
        aggregate=bool(AGGREGATE.search(sentence.text)),
        claims=claims,
        victims=victims,
        span=(sentence.start_char, sentence.end_char),
    )


def _distinct_within(claims: list[SentenceClaim]) -> list[SentenceClaim]:
    """A sentence that counts two groups of arrests or abductions lists other people.

    "captured a leader and detained one suspect", "detained the commander along
    with several of his associates": one sentence does not repeat itself, so the
    groups of such a list are marked distinct and survive the repeat check, and a
    list said again later ("the leader and one of his associates") stays whole.
    """
    counts = Counter(c.property for c in claims if c.property in LISTED_PROPERTIES)
    return [replace(c, distinct=True) if counts[c.property] > 1 else c for c in claims]


def _nearest_place(sentence: Span, anchor: int) -> set[str]:
    """The place named nearest the trigger: "as well as the massacre in Homs, a car bomb
    exploded in Deraa" places the car bomb in Deraa, not in both cities."""
    places = [ent for ent in sentence.ents if ent.label_ in PLACE_LABELS]
    if not places:
        return set()
    nearest = min(places, key=lambda ent: abs((ent.start_char + ent.end_char) / 2 - anchor))
    return {nearest.text}


def _cannot_carry(key: str, *, casualties: bool) -> bool:
    if key.startswith(OTHER_PREFIX):
        return True
    return casualties and EVENT_TYPES[key].category not in VIOLENT_CATEGORIES


def _noun_phrase(sentence: Span, claim: SentenceClaim) -> str:
    span = sentence.doc.char_span(claim.start, claim.end, alignment_mode="expand")
    if span is None:
        return ""
    noun = span.root.head if span.root.dep_ in {"nummod", "quantmod"} else span.root
    return sentence.doc[noun.left_edge.i : noun.right_edge.i + 1].text


def _last_attribution(mention: _Mention, previous: Attribution | None) -> Attribution | None:
    for claim in reversed(mention.claims):
        if claim.attribution is not None:
            return claim.attribution
    return previous


def _place(
    mention: _Mention,
    incidents: list[_Incident],
    current: _Incident | None,
    *,
    offset: int,
) -> _Incident:
    """Join the mention to its incident, or open a new one; returns that incident."""
    shifted = [_shift(claim, offset) for claim in mention.claims]
    target = None
    if not mention.aggregate:
        if mention.key is None:
            target = _incident_in_view(mention, incidents, current)
        else:
            target = _matching_incident(mention, incidents, passage=offset)
    if target is None:
        fallback = current.key if current is not None else UNTYPED_KEY
        target = _Incident(
            mention.key or fallback, mention.trigger, mention.score, aggregate=mention.aggregate
        )
        target.typed = mention.key is not None
        incidents.append(target)
    target.passage = offset
    target.places |= mention.places
    target.claims += shifted
    target.victims += mention.victims
    target.spans.append((mention.span[0] + offset, mention.span[1] + offset))
    return target


def _incident_in_view(
    mention: _Mention, incidents: list[_Incident], current: _Incident | None
) -> _Incident | None:
    """An untyped figure belongs to the incident in view, if that kind of incident has such
    figures (the dead of "shops were destroyed. Hospitals received nine bodies." belong to
    the attack before, not to the destruction)."""
    ordered = ([current] if current is not None else []) + list(reversed(incidents))
    needs_violence = any(c.property in CASUALTY_PROPERTIES for c in mention.claims)
    for incident in ordered:
        if incident.aggregate:
            continue
        if not needs_violence or EVENT_TYPES[incident.key].category in VIOLENT_CATEGORIES:
            return incident
    return None


def _matching_incident(
    mention: _Mention, incidents: list[_Incident], *, passage: int
) -> _Incident | None:
    assert mention.key is not None
    for incident in reversed(incidents):
        if incident.aggregate:
            continue
        refines = incident.passage == passage and _refines(incident, mention.key)
        same_kind = (
            EVENT_TYPES[incident.key].category == EVENT_TYPES[mention.key].category
            or not incident.typed
            or refines
        )
        apart = bool(mention.places and incident.places and not mention.places & incident.places)
        if same_kind and (not apart or mention.sub_place):
            if not incident.typed or refines:
                incident.key, incident.trigger, incident.typed = mention.key, mention.trigger, True
            return incident
    return None


def _refines(incident: _Incident, key: str) -> bool:
    """An attack on civilians said, further on in the same passage, to be by air, shells
    or explosives is remote violence: ACLED codes the weapon once one is named."""
    return incident.key == UNTYPED_KEY and EVENT_TYPES[key].category == REMOTE_CATEGORY


def _shift(claim: SentenceClaim, offset: int) -> SentenceClaim:
    quantity = claim.quantity
    if quantity is not None:
        quantity = type(quantity)(
            quantity.text,
            quantity.start + offset,
            quantity.end + offset,
            quantity.value,
            quantity.low,
            quantity.high,
            quantity.qualifier,
        )
    return SentenceClaim(
        claim.property,
        claim.start + offset,
        claim.end + offset,
        claim.attribution,
        quantity=quantity,
        actor_kind=claim.actor_kind,
        hedge=claim.hedge,
        distinct=claim.distinct,
    )


class _Sources:
    """One Source per speaker, the outlet first."""

    def __init__(self, publisher: str | None) -> None:
        self.sources = [Source(OUTLET_ID, publisher or "the outlet", "outlet")]
        self._by_name: dict[str, str] = {}

    def id_for(self, attribution: Attribution | None) -> str:
        if attribution is None:
            return OUTLET_ID
        key = Source.name_key(attribution.name)
        if key not in self._by_name:
            source_id = f"s{len(self.sources)}"
            self.sources.append(
                Source(source_id, attribution.name, attribution.kind, attribution.person)
            )
            self._by_name[key] = source_id
        return self._by_name[key]


def _to_event(
    incident: _Incident, registry: _Sources, document: Document, seen: set[tuple[object, ...]]
) -> Event | None:
    """The incident as an Event; ``None`` when it only repeated figures already given.

    A source that repeats a figure (the lead sentence echoing the headline, a
    summary paragraph) gives one claim, at its first mention, as the guide for
    hand annotation asks; ``seen`` holds the figures given so far.
    """
    assert document.article is not None
    text = document.article.text
    claims: list[Claim] = []
    repeated = 0
    for found in sorted(incident.claims, key=lambda found: found.start):
        claim = _claim(found, registry, text, document)
        if claim is None:
            continue
        key = (claim.source, claim.property, claim.low, claim.high, claim.value)
        if claim.property in FIGURE_PROPERTIES and key in seen and not found.distinct:
            repeated += 1
            continue
        seen.add(key)
        if claim not in claims:
            claims.append(claim)
    if repeated and not claims:
        return None
    event_type = EVENT_TYPES[incident.key]
    if not claims and event_type.category in WEAK_CATEGORIES and incident.score < WEAK_MIN_SCORE:
        return None  # "under an agreement with lenders": a word, not an event
    if not claims and incident.key.startswith(OTHER_PREFIX):
        return None  # outside the taxonomy (a disaster, talks) and nothing claimed: no event
    event = Event(
        id="",
        category=event_type.category,
        subtype=event_type.subtype,
        codes=codes(incident.key),
        claims=claims,
        trigger=incident.trigger,
        victims=sorted(set(incident.victims)),
        aggregate=incident.aggregate,
        spans=list(incident.spans),
    )
    event.actors = _actors(claims, event.victims)
    perpetrators = {
        side(str(c.value)) for c in claims if c.property == "perpetrator" and c.hedge != "denied"
    }
    event.perpetrator_disputed = len(perpetrators) > 1
    event.fatalities = reconcile([c for c in claims if c.property == "fatalities"])
    event.injuries = reconcile([c for c in claims if c.property == "injuries"])
    event.confidence = _confidence(incident, claims)
    return event


def _claim(found: SentenceClaim, registry: _Sources, text: str, document: Document) -> Claim | None:
    source = registry.id_for(found.attribution)
    hedge = found.hedge or (found.attribution.hedge if found.attribution else "asserted")
    quantity = found.quantity
    if quantity is None:
        return Claim(
            source,
            found.property,
            found.actor_kind,
            text[found.start : found.end],
            found.start,
            found.end,
            hedge=hedge,
        )
    if quantity.low is not None and quantity.low > MAX_PLAUSIBLE_COUNT:
        document.warn("W401", STAGE, f"dropped an implausible count: {quantity.text!r}")
        return None
    return Claim(
        source,
        found.property,
        quantity.value,
        text[quantity.start : quantity.end],
        quantity.start,
        quantity.end,
        low=quantity.low,
        high=quantity.high,
        qualifier=quantity.qualifier,
        hedge=hedge,
    )


def _actors(claims: list[Claim], victims: list[str]) -> list[Actor]:
    actors: dict[str, Actor] = {}
    for claim in claims:
        if claim.property != "perpetrator" or not isinstance(claim.value, str):
            continue
        actor = actors.setdefault(claim.value, Actor("perpetrator", claim.text, claim.value))
        if claim.source not in actor.sources:
            actor.sources.append(claim.source)
    found = list(actors.values())
    if "civilians" in victims or {"women", "children"} & set(victims):
        sources = sorted({c.source for c in claims if c.property == "fatalities"})
        found.append(Actor("victim", ", ".join(victims), "civilians", sources=sources))
    return found


def reconcile(claims: list[Claim]) -> Figures:
    """Low, best and high of one property over all its claims.

    ``best`` follows ACLED's conservative rule: the lowest specific figure
    (a vague word counts only when no source gives a number); ``low`` and
    ``high`` span every claim (``high`` stays open when any claim is open).
    """
    if not claims:
        return Figures()
    lows = [c.low for c in claims if c.low is not None]
    specific = [c.low for c in claims if c.low is not None and c.qualifier != "vague"]
    highs = [c.high for c in claims]
    return Figures(
        low=min(lows) if lows else None,
        best=min(specific) if specific else (min(lows) if lows else None),
        high=None if any(h is None for h in highs) else max(h for h in highs if h is not None),
        rule=RECONCILE_RULE,
    )


def _confidence(incident: _Incident, claims: list[Claim]) -> float:
    score = 0.4 if incident.typed else 0.2
    score += 0.2 * min(len({c.source for c in claims}), 2) / 2
    score += 0.2 if any(c.property == "fatalities" for c in claims) else 0.0
    score += 0.2 if incident.places else 0.0
    return min(score, 1.0)
