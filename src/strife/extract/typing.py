"""Event typing: which kind of event a sentence or short snippet reports.

Takes a sentence (a spaCy ``Span``), a parsed passage (a ``Doc``) or plain
text; returns the taxonomy key of the event it reports, with the trigger
words and their character offsets, or ``None`` when it reports none of the
taxonomy's types. Finding the incident's actors, place and figures is left to
the other ``extract`` modules.

The classifier is a trigger lexicon with context rules, and it reads only the
text: the read stage loads spaCy without its lemmatizer, and the cues below
are phrases rather than single words, so the same rules serve a ``Doc`` and a
``str`` and the ``str`` path needs no model. A pattern matches a word stem
with its endings (``kidnap\\w*``: kidnap, kidnapped, kidnappers), which stands
in for lemmas.

Every match proposes a type with a weight: how specific the cue is ("suicide
bomber" 10 beats "explosion" 3). Words around a match can lower it: a
negation drops it ("no group claimed responsibility"), and a cause ("rallies
against the execution of", "sanctions over chemical weapons") or an intent
("plotting to launch attacks") costs it :data:`CONTEXT_PENALTY`. Three
families are resolved from their context:

- protests: the protest word, then what else the text says: protesters who
  clash or throw stones make a violent demonstration; killings, live fire or
  "violently dispersed" make excessive force; tear gas or arrests make a
  protest with intervention; otherwise it is a peaceful protest. The cue is
  a trigger of that type too, so "police detained 200 people as they tried
  to march" is a protest from its first verb;
- territory ("captured the town", "drove the militants out"): a withdrawal in
  the text makes a non-violent transfer (a withdrawal alone is a change to
  the group's activity); otherwise the actor of the verb (the first one named
  in its clause after any "said", or after "by"/"to" in a passive) decides
  between government forces and a non-state group;
- assaults ("attacked", "opened fire"): a military target makes an armed
  clash, a civilian one an attack on civilians.

The highest weight wins; a small penalty for lateness in the text breaks
near-ties in favour of the headline or first sentence, which is what a
snippet is about. Bare cues ("killed", "attacked") score below 0.3: callers
that want events, not mentions, can drop those. Unstable: the lexicon and weights change with each
evaluation round (``strife eval case2021``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from strife.extract._triggers import (
    ABDUCTION,
    ARRESTS,
    ASSAULT_FAMILY,
    ATTACK,
    CLASH,
    COMPILED,
    EXCESSIVE,
    GOV_REGAINS,
    INTERVENTION,
    NSA_OVERTAKES,
    PEACEFUL,
    PLACE,
    PROTEST_FAMILY,
    PROTEST_KEYS,
    PROTESTERS,
    TERRITORY_FAMILY,
    TRANSFER,
    VIOLENT_DEMO,
    gap,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


#: Weight lost by a trigger at the very end of the text: less than the gap
#: between two weights that should never swap (1.0), so it only orders near-ties.
LATENESS_PENALTY = 0.9
#: Weight lost by a trigger that names a cause or an intent, not the event.
CONTEXT_PENALTY = 3.0
#: A trigger that only says people died ("civilians were killed", "killing"): with
#: ``near``, it gives way to any trigger that says how.
GENERIC_CASUALTY = re.compile(
    r"(?:[\w'’-]+\s+){0,4}?(?:were\s+|was\s+|have\s+been\s+|had\s+been\s+)?"
    r"(?:kill(?:ed|ing|s)?|dead|died|deaths?|slain|lost their lives)(?:\s+[\w'’-]+){0,3}",
    re.I,
)
#: With ``near``, the rank a trigger loses across the whole sentence's length.
NEARNESS_PENALTY = 2.0
#: Weights are divided by this to give a score in 0..1.
MAX_WEIGHT = 11.0


@dataclass(frozen=True, slots=True)
class EventTyping:
    """The event type a text reports and the words that say so.

    ``start`` and ``end`` are character offsets of ``trigger`` in the text
    given: the string itself, or ``doc.text`` for a ``Doc`` or a ``Span``
    (so ``doc.text[start:end] == trigger``, as with ``Span.start_char``).
    """

    key: str
    trigger: str
    start: int
    end: int
    score: float


#: Protest context, strongest first: violence by the protesters, then severe force,
#: then any intervention, then an explicit "peaceful"; the first found decides.
# fmt: off
_PROTEST_CONTEXT: tuple[tuple[str, float, re.Pattern[str]], ...] = tuple(
    (key, weight, re.compile(pattern, re.I))
    for key, weight, pattern in (
        (VIOLENT_DEMO, 7.5, r"\briot(?:s|ed|ers|ing)?\b(?! (?:police|gear|squad|officers|"
         r"control|unit))|\bclash\w*|\bscuffl\w*|\b(?:hurl|thr[eo]w|pelt|lob)\w* " + gap(4)
         + r"(?:stones|rocks|bottles|petrol bombs|molotov\w*|projectiles|fireworks|objects|"
         r"eggs|bricks)|\bpelt\w*|\bstone-pelting|\bstone-throwing|\bset (?:fire|ablaze|"
         r"alight)|\btorch\w*|\bstorm(?:ed|ing)\b|\bsmash\w*|\bransack\w*|\bbarricad\w*|"
         r"\bpetrol bombs?|\bmolotov|\bvandali\w*|\bloot\w*|"
         r"\bviolent (?:protest|demonstration|clash)\w*|\bturned violent|\bviolence "
         r"(?:erupted|broke out)|\b(?:attack|assault)\w* (?:the )?police|\bburn\w* "
         r"(?:tyres|tires|cars|vehicles)|\bdeadly violence|\barmed with|\bblocked "
         r"(?:streets|roads)"),
        (EXCESSIVE, 7.5, r"\bexcessive (?:use of )?force|\bviolently (?:dispers|suppress|broke|"
         r"break|crack)\w*|\bbrutally|\b(?:violent|deadly|bloody|brutal) crackdown|\blethal|"
         r"\bfatal\b|\blive (?:ammunition|fire|rounds|bullets)|\bopened fire (?:on|at) "
         + gap(2) + PROTESTERS + r"|\b(?:killed|killing|shot dead|shot|beat|beaten|beating|"
         r"injured|injuring|wounded) " + gap(5) + PROTESTERS + r"|\b" + PROTESTERS
         + r" (?:were |have been |had been )?(?:killed|shot dead)|\brubber bullets|"
         r"\b(?:attack\w*|assault\w*) " + gap(2) + r"(?:a |the )?peaceful"),
        (INTERVENTION, 6.5, r"\btear ?gas|\bteargas|\bpepper[- ]spray\w*|\bwater cannons?|"
         r"\bstun grenades?|\bdispers(?:e|ed|es|ing|al)\b(?! peacefully)|\bbr(?:oke|eak) up|"
         r"\bcut short|\barrest(?:ed|ing)\b|"
         r"\bdetain(?:ed|ing)\b|\bsuppress\w*|\bprevent\w*|\bkettl\w*|\bbatons?|"
         r"\bcracked down|\bcrackdown"),
        (PEACEFUL, 5, r"\bpeaceful\w*"),
    )
)
# fmt: on
#: The weight of a protest with none of the context above.
PLAIN_PROTEST_WEIGHT = 4.5

_GOV_ACTORS = re.compile(
    r"\b(?:government|govt|pro-government|regime|army|armed forces|military|troops|"
    r"soldiers|security forces|police|national guard|SAA|FARDC|AMISOM|Peshmerga|"
    r"paramilitary|forces loyal to|coalition|loyalist\w*)\b",
    re.I,
)
#: Non-state actors; "IS" only in capitals, so the verb "is" is not one.
_NON_STATE_ACTORS = re.compile(
    r"\b(?:(?i:rebels?|rebel-held|militants?|insurgents?|jihadists?|terrorists?|"
    r"Islamic State|ISIS|ISIL|Daesh|al-Qaeda|al Qaeda|al-Shabaa?b|Shabaab|Boko Haram|"
    r"Taliban|Houthis?|militias?|militiamen|fighters|guerrillas?|opposition|separatists?|"
    r"YPG|SDF|PKK|Hezbollah|Hayat Tahrir|HTS|Nusra|Mai[- ]Mai|tribesmen|extremists?|"
    r"gunmen|armed groups?|mujahidin)|IS)\b"
)
_WITHDRAWAL = re.compile(
    r"\b(?:withdr(?:ew|awn|awal|awing)|pull(?:ed|s|ing)? out|handed over|hand(?:ing)? over|"
    r"handover|evacuat\w*|without (?:a )?(?:fight|fighting|resistance|clashes)|deserted|"
    r"vacated|abandon(?:ed|ing) (?:their|its|the) (?:positions?|bases?|posts?))\b",
    re.I,
)
_RECAPTURE = re.compile(r"re-?captur|re-?took|retak|regain|restor|liberat", re.I)
#: Verbs whose grammatical object is the side that loses ground.
_LOSER_OBJECT = re.compile(r"dr[oi]ve|driven|pushed\b(?! into)|expelled|flushed|cleared", re.I)
_PLACE_AFTER = re.compile(r"\W+(?:[\w'’-]+\W+){0,6}?" + PLACE, re.I)
_NAME_AFTER = re.compile(
    r"\s+(?:the\s+)?(?:(?:strategic|key|northern|southern|eastern|western|central)\s+)?"
    r"[A-Z][\w'’-]+"
)
#: People as the object of "seized", "captured": not a place changing hands.
_PEOPLE = re.compile(
    r"\b(?:people|persons?|civilians?|workers?|men|women|children|journalists?|hostages?|"
    r"commanders?|leaders?|members?|suspects?|officials?|soldiers?|fighters|militants|"
    r"weapons|arms|ammunition|vehicles?)\b",
    re.I,
)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+ly\s+)?$", re.I)
_INFINITIVE = re.compile(r"\bto\s+$", re.I)
_MILITARY_TARGET = re.compile(
    r"(?:military|army|troops|soldiers|police|security|checkpoints?|bases?|camps?(?! for)|"
    r"outposts?|posts?|positions?|convoys?|patrols?|barracks|garrisons?|forces|fighters|militants|"
    r"rebels|insurgents|militiamen|militia|peacekeepers|guards|officers|tanks?|vehicles)\b",
    re.I,
)
_CIVILIAN_TARGET = re.compile(
    r"(?:villages?|villagers|communit(?:y|ies)|civilians?|residents|farmers|worshippers|"
    r"church\w*|mosques?|schools?|college|campus|hospital|market|bus|passengers|homes?|"
    r"houses?|wedding|funeral|people|students|pilgrims|travell?ers|motorists|famil(?:y|ies)|"
    r"displaced|IDPs?|shop\w*|restaurant|hotel|journalists?|women|children|cent(?:er|re)s?|"
    r"offices?)\b",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?;]\s")
#: Where the clause that holds a verb's subject starts: a sentence end or a report
#: ("the army spokesman said rebels took ...": the rebels are the subject).
_CLAUSE_START = re.compile(
    r"[.!?;]\s|\b(?:said|says|say|told|reported|reports|according to|claimed|announced|"
    r"stated|confirmed|added)\b(?: that\b)?",
    re.I,
)
#: The few lower-case words that may follow a context word before the trigger: a noun
#: phrase, so no past-tense verb except after a determiner ("over the perceived").
_LOWER_WORDS = (
    r"\s+(?:(?:the|a|an|its|their|his|her)\s+[a-z]\w*ed\s+|(?![a-z]\w*ed\s)[a-z][\w'’-]*\s+)"
    r"{0,6}$"
)
#: Words that make what follows a cause, not the event ("rallies against the
#: execution of", "sanctions over chemical weapons", "accused of a chlorine attack").
_CAUSE = re.compile(
    r"(?i:\b(?:against|over(?!\s+(?:\d|a dozen|half|dozens|hundreds|thousands))|"
    r"about(?!\s+\d)|suspected\s+of|(?:anger|outrag)\w*\s+(?:by|over|at)|decry\w*|"
    r"mourn\w*|condemn\w*|denounc\w*|demand\w*|accus\w*(?:\s+\w+)?\s+of|"
    r"in (?:protest|response|reaction|retaliation) (?:at|to|for|against)|"
    r"to protest|related to|for (?:organi[sz]ing|participating|taking part)))" + _LOWER_WORDS
)
#: Verbs whose object, to the end of the sentence, is what protesters object to.
_GRIEVANCE = re.compile(
    r"\b(?:demand\w*|mourn\w*|decry\w*|condemn\w*|denounc\w*|"
    r"undeterred)\b",
    re.I,
)
#: Words that make what follows an intent, not an event ("plotting to launch attacks").
_INTENT = re.compile(
    r"(?i:\b(?:plott\w*|plann\w*|plans?|intend\w*|tr(?:y|ied|ying)|attempt\w*|bid|aim\w*|"
    r"fail\w*|refus\w*|unable|"
    r"sought|seek\w*|threaten\w*|vow\w*|ready|prepar\w*|order\w*|want\w*)\s+to|"
    r"\b(?:could|would|may|might|will)\b)" + _LOWER_WORDS
)
#: Words that end a captivity rather than start one ("freed the hostages").
_RELEASED = re.compile(r"\b(?:releas\w*|freed|free|rescu\w*|swap\w*)\s+(?:[\w'’-]+\s+){0,3}$", re.I)
#: Words that deny what follows ("no group claimed", "no arrests were made").
_NEGATED = re.compile(
    r"\b(?:no|not|nobody|never|none|without|(?:unclear|unknown) (?:who|whether|if))\b"
    r"(?:\s+[\w'’-]+){0,2}\s+$",
    re.I,
)


def classify_event(sentence: str | Span | Doc, *, near: int | None = None) -> EventTyping | None:
    """The event type a sentence or short snippet reports, if any.

    Args:
        sentence: plain text, a spaCy ``Span`` (a sentence) or a ``Doc``. No
            model is needed: the rules read the text only.
        near: a character offset (in the same coordinates as the result) of
            what the caller is typing, such as a casualty figure: of two
            triggers, the one closer to it wins ("as well as the massacre in
            Homs, a car bomb exploded in Deraa, killing three").

    Returns:
        The winning type with its trigger and a score in 0..1 (how specific the
        cue was), or ``None`` when no trigger of the taxonomy is present.
        Offsets are in the text given; for a ``Span``, in ``span.doc.text``.
    """
    if isinstance(sentence, str):
        text, offset = sentence, 0
    else:
        text = sentence.text
        offset = getattr(sentence, "start_char", 0)
    best: tuple[float, str, float, re.Match[str]] | None = None
    length = max(len(text), 1)
    candidates = _candidates(text)
    if near is not None:
        # The figure's own words ("killing three people") say someone died, not how, and
        # so does any bare casualty phrase when the sentence names a weapon or a method.
        apart = [c for c in candidates if not c[2].start() <= near - offset < c[2].end()]
        specific = [c for c in apart if not GENERIC_CASUALTY.fullmatch(c[2].group(0))]
        candidates = specific or apart or candidates
    for key, weight, match in candidates:
        if near is None:
            rank = weight - LATENESS_PENALTY * match.start() / length
        else:
            distance = abs(offset + (match.start() + match.end()) / 2 - near)
            rank = weight - NEARNESS_PENALTY * distance / length
        if best is None or rank > best[0]:
            best = (rank, key, weight, match)
    if best is None:
        return None
    _, key, weight, match = best
    return EventTyping(
        key=key,
        trigger=match.group(0),
        start=offset + match.start(),
        end=offset + match.end(),
        score=round(max(0.0, min(weight / MAX_WEIGHT, 1.0)), 3),
    )


def _candidates(text: str) -> list[tuple[str, float, re.Match[str]]]:
    """Every (key, weight, match) the rules propose: families resolved, context applied."""
    found: list[tuple[str, float, re.Match[str]]] = []
    protest: tuple[str, float, re.Match[str] | None] | None = None
    for rule_key, rule_weight, pattern in COMPILED:
        for match in pattern.finditer(text):
            key: str | None = rule_key
            weight = rule_weight
            if rule_key == PROTEST_FAMILY:
                if protest is None:
                    protest = _protest_key(text)
                    if protest[2] is not None:
                        # The cue is a trigger too: "police detained 200 people as
                        # they tried to march" is a protest from its first word.
                        found.append((protest[0], protest[1], protest[2]))
                key, weight = protest[0], protest[1]
            elif rule_key == TERRITORY_FAMILY:
                key = _territory_key(text, match)
            elif rule_key == ASSAULT_FAMILY:
                key, weight = _assault_key(text, match)
            before = text[max(match.start() - 80, 0) : match.start()]
            if key is None or _NEGATED.search(before):
                continue
            if key in (ABDUCTION, ARRESTS) and _RELEASED.search(before):
                weight -= CONTEXT_PENALTY  # "released 20 hostages": the end of one
            found.append((key, weight - _context_penalty(key, before), match))
    return found


def _context_penalty(key: str, before: str) -> float:
    """What a cause or an intent just before the trigger costs it."""
    if key in PROTEST_KEYS:
        return 0.0  # "protest against X": the protest is the event
    if _CAUSE.search(before) or _INTENT.search(before):
        return CONTEXT_PENALTY
    return 0.0


def _protest_key(text: str) -> tuple[str, float, re.Match[str] | None]:
    """The protest subtype the whole text supports, its weight and the cue that says so.

    A cue that is the protest's cause ("demanding the release of detained
    activists", "mourning protesters killed last month") does not count.
    """
    for key, weight, pattern in _PROTEST_CONTEXT:
        for match in pattern.finditer(text):
            near = text[max(match.start() - 45, 0) : match.start()]
            sentence = _SENTENCE_END.split(text[: match.start()])[-1]
            if not (_CAUSE.search(near) or _GRIEVANCE.search(sentence)):
                return key, weight, match
    return PEACEFUL, PLAIN_PROTEST_WEIGHT, None


def _territory_key(text: str, match: re.Match[str]) -> str | None:
    """Government regains, non-state overtakes, non-violent transfer, or not territory."""
    word = match.group(0).lower()
    before, after = text[: match.start()], text[match.end() :]
    if _INFINITIVE.search(before):
        return None  # "an attack to capture the base": not (yet) an event
    needs_place = re.match(
        r"(?:re-?)?captur|re-?took|retak|regain|seiz|liberat|occup|"
        r"entered|pushed into|advanced",
        word,
    )
    place = _PLACE_AFTER.match(after) or _NAME_AFTER.match(after)
    if needs_place and (place is None or _PEOPLE.search(after, 0, place.end())):
        return None  # "captured a commander", "seized aid workers on the road"
    if _LOSER_OBJECT.match(word) and not _is_armed_loser(match.group(0), before):
        return None  # "expelled diplomats from", "cleared the road of snow"
    if _WITHDRAWAL.search(text):
        return TRANSFER
    actor = _territory_actor(before, after, word)
    if actor is None:
        if "ground" in word:
            return None  # "firefighters gained ground": no armed actor, no territory
        return GOV_REGAINS if _RECAPTURE.match(word) else NSA_OVERTAKES
    return GOV_REGAINS if actor == "gov" else NSA_OVERTAKES


def _is_armed_loser(phrase: str, before: str) -> bool:
    """Whether the side driven out is armed: named in the phrase, or its passive subject."""
    if _PASSIVE.search(before):
        return _actor_before(before) is not None
    return bool(_GOV_ACTORS.search(phrase) or _NON_STATE_ACTORS.search(phrase))


def _territory_actor(before: str, after: str, word: str) -> str | None:
    """The side that gains: "gov" or "nsa", or ``None`` when no actor is named."""
    passive = _PASSIVE.search(before) is not None
    if passive or word.startswith(("fell", "fallen", "in the hands")):
        by = _actor_after(after)
        if by is not None:
            return by
    subject = _actor_before(before)
    if subject is not None and (passive and _LOSER_OBJECT.match(word)):
        # "the terrorists were pushed back": the other side gained.
        return "gov" if subject == "nsa" else "nsa"
    return subject


def _actor_before(before: str) -> str | None:
    """The kind of the first actor named in the clause before a verb: "gov" or "nsa"."""
    clause = _CLAUSE_START.split(before)[-1]
    gov = _GOV_ACTORS.search(clause)
    nsa = _NON_STATE_ACTORS.search(clause)
    if gov is None and nsa is None:
        return None
    # The first actor heads the subject: "Syrian troops and allied fighters captured".
    if gov is not None and (nsa is None or gov.start() < nsa.start()):
        return "gov"
    return "nsa"


def _actor_after(after: str) -> str | None:
    """The actor after "by" or "to" in a passive ("seized by militants", "fell to")."""
    passive = re.match(r"\W*(?:[\w'’-]+\W+){0,8}?(?:by|to|of)\s+(.{0,60})", after, re.S)
    if passive is None:
        return None
    return _actor_before(passive.group(1))


#: A speaker whose "attack" is usually in words, named just before the verb in its clause.
_VERBAL_ATTACKER = re.compile(
    r"\b(?:secretary|minister|president|spokes(?:man|woman|person)|ambassador|senator|"
    r"lawmakers?|envoy|chancellor|candidate|opposition leader)\b[^.;]{0,50}$",
    re.I,
)


def _assault_key(text: str, match: re.Match[str]) -> tuple[str | None, float]:
    """Armed clash when the target is armed, attack on civilians otherwise; none when a
    politician "attacked" a government in words."""
    target = text[match.end() : match.end() + 60]
    if _PASSIVE.search(text, 0, match.start()) or text[: match.start()].endswith("under "):
        # "the base was attacked", "the rebels came under attack": the target comes first.
        target = _CLAUSE_START.split(text[: match.start()])[-1]
    civilian = _CIVILIAN_TARGET.search(target)
    military = _MILITARY_TARGET.search(target)
    if military is not None and (civilian is None or military.start() < civilian.start()):
        return CLASH, 6
    if civilian is not None:
        return ATTACK, 6
    if _VERBAL_ATTACKER.search(text, 0, match.start()):
        return None, 0.0  # "the Foreign Secretary again attacked Damascus": words
    return ATTACK, 2.5
