"""Claims in one sentence: casualty figures and perpetrators, each with who says so.

Takes a parsed sentence (a spaCy ``Span``) and returns :class:`SentenceClaim`
objects: a quantity tied to what it counts (killed, injured, arrested,
abducted) by the words that govern it in the parse, or an actor named as the
one who did it ("by regime militias", "blamed the deaths on terrorists",
"gunmen opened fire"). Each carries the :class:`~strife.extract.attribution.Attribution`
the text gives it, or none when the outlet states it itself.

What is *not* a claim: negated or hypothetical statements ("no one was
killed", "could kill thousands"), cumulative tolls of a whole war ("since
2011"), numbers that are not people (years, ages, times: ``quantities.py``),
and implausible counts (the caller records a warning).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from strife.extract.actors import classify_actor
from strife.extract.attribution import Attribution, attribute
from strife.extract.quantities import Quantity, find_quantities

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

#: Words that make a count a count of the dead, the hurt, the detained or the abducted.
PROPERTY_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "fatalities",
        re.compile(
            r"^(kill\w*|dead|deaths?|died|dies|dying|die|murder\w*|massacr\w*|slaughter\w*|"
            r"butcher\w*|slain|slay\w*|execut\w*|bod(y|ies)|corpses|lives|toll|fatalit\w*|"
            r"perish\w*|behead\w*|lynch\w*|assassinat\w*)$",
            re.I,
        ),
    ),
    ("injuries", re.compile(r"^(wound\w*|injur\w*|hurt|maim\w*)$", re.I)),
    (
        "arrests",
        re.compile(r"^(arrest\w*|detain\w*|detention|captur\w*|apprehend\w*|rounded)$", re.I),
    ),
    ("abductions", re.compile(r"^(abduct\w*|kidnap\w*|hostages?)$", re.I)),
)
#: A count of part of a group already counted ("18 injured, two of them seriously").
PARTITIVE = re.compile(
    r"\s+of\s+(them|those|whom|these|the (dead|victims|wounded|injured|killed))\b", re.I
)
#: Nouns a count can count that are not people: places, buildings, weapons, spans of time.
NOT_PEOPLE = frozenset(
    re.findall(
        r"\w+",
        """districts villages towns cities provinces areas neighbourhoods neighborhoods regions
    homes houses buildings shops vehicles cars trucks tanks rockets missiles shells mortars
    bombs strikes airstrikes raids attacks operations days hours weeks months years times
    rounds sites schools hospitals mosques churches locations positions checkpoints bases
    points fronts aircraft helicopters jets drones weapons kilometres kilometers miles metres
    meters incidents cases occasions rifles pistols guns grenades ak-47s ieds explosives
    magazines materials caches ammunition""",
    )
)
#: A count introduced as part of another ("killed 21 people, including three children").
SUBSET = re.compile(r"\b(including|among them|among whom|of whom|of which)\s*$", re.I)
#: A "to" verb hanging here states an aim ("an operation to capture ..."), not a result.
PURPOSE_DEPS = frozenset({"acl", "advcl", "relcl"})
#: Verbs whose singular object is one person detained or abducted.
SINGULAR_CUES = tuple(
    (prop, cue) for prop, cue in PROPERTY_CUES if prop in {"arrests", "abductions"}
)
#: Properties a text tells group by group ("a leader and two of his associates"); a
#: repeated figure of these may be other people (``SentenceClaim.distinct``).
LISTED_PROPERTIES = frozenset({"arrests", "abductions"})
#: Determiners of one person not counted before ("a leader", "another associate").
ONE_PERSON = frozenset({"a", "an", "another"})
#: Words that mark a group as more people than those already counted ("two additional
#: suspects", "one other insurgent", "another militant", "also detained two").
MORE_PEOPLE = frozenset({"additional", "other", "another", "more", "further", "also"})
#: Forms of "take" that, with "into custody", say someone was detained.
TAKE_FORMS = frozenset({"take", "takes", "taken", "took", "taking"})
#: How far up the parse a count may be from the word that says what it counts.
MAX_HEAD_STEPS = 3
#: Modal verbs that make a statement hypothetical.
HYPOTHETICAL = frozenset({"could", "would", "might", "may", "should"})
#: A toll for a whole war or period, which the guide says to skip as an incident figure.
CUMULATIVE = re.compile(
    r"\bsince (the (start|beginning|outbreak|first)|(19|20)\d\d|(january|february|march|april|"
    r"may|june|july|august|september|october|november|december)\b)|"
    r"\bso far this year\b|\b(since|during|throughout) the (war|conflict|uprising|revolution|"
    r"crisis)\b|\b(war|conflict|uprising|crisis) (began|started|erupted|broke out)\b|"
    r"\bin total\b|\bdeath toll (of|in) the (war|conflict)\b",
    re.I,
)
#: A count this large in a sentence about a war is that war's toll, not an incident's.
WAR_TOLL_MIN = 10_000
WAR_WORDS = re.compile(r"\b(war|conflict|uprising|revolution|crisis|fighting)\b", re.I)
#: Verbs whose subject is the one who did it (active voice).
VIOLENT_VERBS = re.compile(
    r"^(kill\w*|attack\w*|shell\w*|bomb\w*|fir(e|ed|ing)|shoot\w*|shot|massacr\w*|butcher\w*|"
    r"murder\w*|storm\w*|raid\w*|ambush\w*|abduct\w*|kidnap\w*|execut\w*|slaughter\w*|"
    r"rap(e|ed|ing)|target\w*|strik\w*|struck|hit|open(ed)?|detain\w*|arrest\w*|torch\w*|"
    r"burn\w*|loot\w*|behead\w*|assassinat\w*)$",
    re.I,
)
#: Nouns of violence that take their perpetrator with "by" ("massacres by militias").
VIOLENT_NOUNS = re.compile(
    r"^(massacres?|killings?|attacks?|assaults?|shelling|bombings?|raids?|murders?|"
    r"executions?|abductions?|rapes?|violence|deaths|strikes?|airstrikes?|ambush(es)?)$",
    re.I,
)
#: Prepositions that belong to an actor's name ("militias of the regime", "fighters from").
ACTOR_PREPOSITIONS = frozenset({"of", "from", "with"})
#: The longest actor phrase kept (a subtree can swallow a whole clause).
MAX_ACTOR_TOKENS = 14


@dataclass(frozen=True, slots=True)
class SentenceClaim:
    """One claim found in a sentence; offsets are into the parsed Doc's text."""

    property: str
    start: int
    end: int
    attribution: Attribution | None
    quantity: Quantity | None = None
    actor_kind: str | None = None
    hedge: str | None = None
    #: Arrests and abductions only: the words say these are more people than any counted
    #: before ("two additional suspects", a group of a list): never a repeat of a figure.
    distinct: bool = False


def figure_claims(sentence: Span, *, previous: Attribution | None) -> list[SentenceClaim]:
    """Casualty figures in the sentence, each tied to what it counts and who says so."""
    if CUMULATIVE.search(sentence.text):
        return []
    claims = []
    base = sentence.start_char
    for quantity in find_quantities(sentence.text):
        start, end = base + quantity.start, base + quantity.end
        span = sentence.doc.char_span(start, end, alignment_mode="expand")
        if span is None or _is_negated_or_hypothetical(span) or _pronoun_one(span):
            continue
        if PARTITIVE.match(sentence.text, quantity.end) or SUBSET.search(
            sentence.text, 0, quantity.start
        ):
            continue  # "two of them", "including three children": part of a figure given
        prop = _counted_property(span)
        if prop is None or _counts_things(span):
            continue
        if (quantity.low or 0) >= WAR_TOLL_MIN and WAR_WORDS.search(sentence.text):
            continue
        shifted = Quantity(
            quantity.text,
            start,
            end,
            quantity.value,
            quantity.low,
            quantity.high,
            quantity.qualifier,
        )
        source = attribute(sentence.doc, start, end, previous=previous)
        distinct = prop in LISTED_PROPERTIES and _more_people(_counted_noun(span.root))
        claims.append(SentenceClaim(prop, start, end, source, quantity=shifted, distinct=distinct))
    return claims


def singular_claims(sentence: Span, *, previous: Attribution | None) -> list[SentenceClaim]:
    """One person detained or abducted, named without a number ("captured a Taliban leader").

    Counts of one matter where each detainee is listed (a press release names
    its leader first, then "also detained two"). A singular person is 1 when it
    is the object of an arrest or abduction verb ("arrested a Taliban leader",
    "arrested the senior leader Mawawi Akbar", "arrested Mawawi Akbar"), the
    subject of its passive with "a"/"an" ("a facilitator was detained"), or
    follows the verb's noun ("the capture of a senior leader"); so is each person
    of a list that is ("a leader and another associate", "the commander and three
    others were detained").
    """
    claims = []
    for token in sentence:
        prop = _singular_property(token)
        if prop is None or _is_negated_or_hypothetical(token.doc[token.i : token.i + 1]):
            continue
        phrase = _phrase(token)
        if SUBSET.search(sentence.doc.text, 0, phrase.start_char):
            continue  # "detained four men, including a commander": counted already
        if find_quantities(phrase.text):
            continue  # "a number of suspects", "a dozen men": a figure, read as one
        quantity = Quantity(phrase.text, phrase.start_char, phrase.end_char, 1, 1, 1, "exact")
        source = attribute(sentence.doc, phrase.start_char, phrase.end_char, previous=previous)
        claims.append(
            SentenceClaim(
                prop,
                phrase.start_char,
                phrase.end_char,
                source,
                quantity=quantity,
                distinct=_more_people(token),
            )
        )
    return claims


def _singular_property(token: Token) -> str | None:
    """The property a singular person counts toward, or None (see :func:`singular_claims`)."""
    determiners = {c.lower_ for c in token.children if c.dep_ == "det"}
    listed = any(c.dep_ == "conj" for c in token.children)  # "the leader and two others"
    if token.dep_ == "conj" and _singular_property(token.head) is None:
        # "a leader and another associate": one more person only when the list's
        # first member is one ("attacks and the acquisition of weapons" is not)
        return None
    anchor = token
    while anchor.dep_ == "conj" and anchor.head is not anchor:
        anchor = anchor.head  # the list's verb is its first member's
    dep = anchor.dep_
    person = token.ent_type_ == "PERSON" and dep == "dobj" and not determiners
    noun = token.tag_ in {"NN", "NNP"} and bool(determiners & ONE_PERSON)
    definite = token.tag_ == "NN" and determiners == {"the"} and (dep == "dobj" or listed)
    if dep == "pobj" and anchor.head.lower_ == "of" and noun:
        governor = anchor.head.head  # "the capture of a leader"
    elif dep in {"dobj", "nsubjpass"} and (noun or definite or person):
        governor = anchor.head
    else:
        return None
    if dep == "nsubjpass" and not (noun or definite):
        return None
    if _into_custody(governor):
        return "arrests"
    return next((p for p, cue in SINGULAR_CUES if cue.match(governor.text)), None)


def _into_custody(verb: Token) -> bool:
    """ "taken into custody", "took two men into custody": detained, in other words."""
    return verb.lower_ in TAKE_FORMS and any(
        prep.lower_ == "into" and any(obj.lower_ == "custody" for obj in prep.children)
        for prep in verb.children
    )


def _counted_noun(root: Token) -> Token:
    """The noun a count counts: "two" in "two suspected insurgents" -> "insurgents"."""
    return root.head if root.dep_ in {"nummod", "quantmod", "amod"} else root


def _more_people(noun: Token) -> bool:
    """Whether the words say the group is more people than any counted before.

    "two additional suspects", "one other insurgent", "another militant", "also
    detained two", or a second group of a list ("a leader and one suspect").
    """
    if any(child.lower_ in MORE_PEOPLE for child in noun.children):
        return True
    if noun.dep_ == "conj":
        return True
    verb = noun.head
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    return any(c.dep_ == "advmod" and c.lower_ == "also" for c in verb.children)


def perpetrator_claims(sentence: Span, *, previous: Attribution | None) -> list[SentenceClaim]:
    """Actors the sentence names as the ones who did it, each with who says so."""
    claims = []
    for phrase, hedge in _perpetrator_phrases(sentence):
        kind = classify_actor(phrase.text)
        if kind is None or kind in {"civilians", "protesters"}:
            continue
        source = attribute(sentence.doc, phrase.start_char, phrase.end_char, previous=previous)
        claims.append(
            SentenceClaim(
                "perpetrator",
                phrase.start_char,
                phrase.end_char,
                source,
                actor_kind=kind,
                hedge=hedge,
            )
        )
    return claims


def _pronoun_one(span: Span) -> bool:
    """ "the body of a loved one", "the wounded one": "one" as a pronoun, not a count."""
    first = span[0]
    if first.lower_ != "one" or first.i == 0:
        return False
    before = first.nbor(-1)
    return first.tag_ == "NN" or before.pos_ in {"DET", "ADJ", "PRON"} or before.dep_ == "amod"


def _counts_things(span: Span) -> bool:
    """ "killed in two other districts": the count's noun is not people."""
    root = span.root
    noun = root.head if root.dep_ in {"nummod", "quantmod", "amod"} else root
    if noun.lower_ in NOT_PEOPLE:
        return True
    # "in one of the bloodiest days": the count's group is named after "of".
    groups = [
        obj
        for prep in noun.children
        if prep.dep_ == "prep" and prep.lower_ == "of"
        for obj in prep.children
        if obj.dep_ == "pobj"
    ]
    return any(group.lower_ in NOT_PEOPLE for group in groups)


def _counted_property(span: Span) -> str | None:
    """What a count counts, from the words that govern it or that it governs.

    "killed or injured" counts both together, neither alone: no claim.
    """
    for token in _governing_tokens(span):
        if _into_custody(token):
            return "arrests"
        for prop, cue in PROPERTY_CUES:
            if cue.match(token.text):
                return None if _either_or(token) else prop
    return None


def _either_or(token: Token) -> bool:
    """ "killed or injured": a cue joined by "or" to another cue."""
    joined = [c for c in token.children if c.dep_ == "conj"]
    if token.dep_ == "conj":
        joined.append(token.head)
    has_or = any(c.lower_ == "or" for c in token.children) or any(
        c.lower_ == "or" for c in token.head.children
    )
    return has_or and any(cue.match(other.text) for other in joined for _, cue in PROPERTY_CUES)


def _governing_tokens(span: Span) -> list[Token]:
    """The count, its noun, the noun's modifiers, and its heads up to the first verb.

    Stopping at the verb keeps a count in one clause from being read by a cue in
    another ("hundreds fled the town where three were killed").
    """
    root = span.root
    tokens: list[Token] = [root]
    noun = root.head if root.dep_ in {"nummod", "quantmod", "amod"} else root
    tokens.append(noun)
    tokens.extend(child for child in noun.children if child.dep_ in {"acl", "amod", "relcl"})
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep":
        tokens.append(noun.head.head)  # "scores of men": men -> of -> scores
    head = noun
    for _ in range(MAX_HEAD_STEPS):
        if head.head is head or head.pos_ in {"VERB", "AUX"}:
            break
        head = head.head
        tokens.append(head)
        tokens.extend(child for child in head.children if child.dep_ in {"acl", "amod"})
    if head.pos_ in {"VERB", "AUX"} and noun.dep_ in {"pobj", "attr"}:
        # "the death toll rose to 45": the cue is the verb's subject;
        # "put the death toll at 15": its object. Only for a count in a phrase of the
        # verb: the subject of "One showed the bodies" is not a count of bodies.
        cues = {"nsubj", "nsubjpass", "attr", "dobj"}
        tokens.extend(c for c in head.children if c.dep_ in cues)
    return tokens


def _is_negated_or_hypothetical(span: Span) -> bool:
    head = span.root
    for _ in range(MAX_HEAD_STEPS + 1):
        for child in head.children:
            if child.dep_ == "neg" or (child.dep_ == "aux" and child.lower_ in HYPOTHETICAL):
                return True
            if child.dep_ == "mark" and child.lower_ == "if":
                return True
            if child.dep_ == "aux" and child.lower_ == "to" and head.dep_ in PURPOSE_DEPS:
                return True  # "an operation to capture a facilitator": the aim, not the result
        if head.head is head:
            break
        head = head.head
    return False


def _perpetrator_phrases(sentence: Span) -> list[tuple[Span, str | None]]:
    found: list[tuple[Span, str | None]] = []
    for token in sentence:
        if token.dep_ == "agent" or (
            token.lower_ == "by" and token.dep_ == "prep" and VIOLENT_NOUNS.match(token.head.text)
        ):
            if token.dep_ == "agent" and not _violent_head(token.head):
                continue
            found.extend((_phrase(obj), None) for obj in token.children if obj.dep_ == "pobj")
        elif token.dep_ in {"nsubj"} and VIOLENT_VERBS.match(token.head.text):
            found.append((_phrase(token), None))
        elif token.dep_ == "nsubj" and _denies_violence(token.head):
            found.append((_phrase(token), "denied"))  # "the army denied killing civilians"
        elif token.lower_ == "on" and _blame_verb(token):
            found.extend((_phrase(obj), "alleged") for obj in token.children if obj.dep_ == "pobj")
        elif token.dep_ == "dobj" and token.head.lower_.startswith(("accus", "blam")):
            found.append((_phrase(token), "alleged"))
    return found


def _denies_violence(verb: Token) -> bool:
    """ "denied killing", "denies carrying out the attack": a denial of a violent act."""
    if not verb.lower_.startswith("den"):
        return False
    return any(
        child.dep_ in {"xcomp", "ccomp", "dobj", "pcomp"}
        and (VIOLENT_VERBS.match(child.text) or VIOLENT_NOUNS.match(child.text))
        for child in verb.children
    )


def _blame_verb(preposition: Token) -> bool:
    """ "blamed X on Y": the "on" hangs from the verb or from its object."""
    head = preposition.head
    return head.lower_.startswith("blam") or (
        head.dep_ == "dobj" and head.head.lower_.startswith("blam")
    )


def _violent_head(token: Token) -> bool:
    return bool(
        VIOLENT_VERBS.match(token.text)
        or any(cue.match(token.text) for prop, cue in PROPERTY_CUES if prop == "fatalities")
    )


def _phrase(token: Token) -> Span:
    """The actor phrase: the token, its modifiers, and what qualifies it ("loyal to X")."""
    left, right = token.left_edge.i, token.i
    for child in token.rights:
        keeps = child.dep_ in {"amod", "compound", "nummod"} or (
            child.dep_ == "prep" and child.lower_ in ACTOR_PREPOSITIONS
        )
        if not keeps:
            break
        right = child.right_edge.i
    return token.doc[left : min(right + 1, left + MAX_ACTOR_TOKENS)]
