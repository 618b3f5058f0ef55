"""Rules 1 to 4 of attribution: the words that credit a fact to a speaker.

Takes a token of a parsed passage and walks the parse for the word that reports
it (a reporting verb or noun, "according to", a quotation's speaker); returns a
:class:`_Credit`: the speaker's head token and the hedge of the reporting word.
Turning a speaker into a named source (rules 5 and 6) is ``attribution.py``'s;
the rules are described there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Reporting verbs by base form, with the hedge each gives.
VERB_HEDGES: dict[str, str] = {
    **dict.fromkeys(
        _words(
            "say tell report state add announce estimate put place give note explain write "
            "tweet post warn insist quote cite count document record tally publish release"
        ),
        "reported",
    ),
    "claim": "claimed",
    **dict.fromkeys(("allege", "accuse", "blame"), "alleged"),
    **dict.fromkeys(("confirm", "acknowledge", "admit"), "confirmed"),
    **dict.fromkeys(("deny", "dispute", "reject"), "denied"),
}
#: Forms the regular rules in _inflect get wrong.
IRREGULAR_FORMS: dict[str, str] = {
    "said": "say", "told": "tell", "putting": "put", "gave": "give", "given": "give",
    "wrote": "write", "written": "write", "admitted": "admit", "admitting": "admit",
}  # fmt: skip
#: Verbs that report only a figure ("put the toll at 58"), not any object ("put a bag").
FIGURE_VERBS = frozenset({"put", "place", "give", "publish", "release"})
FIGURE_NOUNS = frozenset({"toll", "tolls", "figure", "figures", "number", "count", "tally"})
#: Reporting nouns whose clause holds the fact ("reports that 73 were killed").
NOUN_HEDGES: dict[str, str] = {
    "report": "reported", "reports": "reported", "claim": "claimed", "claims": "claimed",
    "allegation": "alleged", "allegations": "alleged", "accusation": "alleged",
    "accusations": "alleged", "denial": "denied",
}  # fmt: skip
#: Documents that stand for whoever issued them ("a statement from X", "X's tally").
DOCUMENT_NOUNS = _words(
    "statement statements report reports tally figures data count toll estimate estimates "
    "communique bulletin release video"
)
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "agent", "expl"})
#: What a reporting verb's own content hangs on; set beside a clause, it has none.
CONTENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "oprd"})
#: Subordinators of a fronted background clause, which the reporting verb does not report.
BACKGROUND_MARKS = _words("after before when while since as because although though if")
FIRST_PERSON = frozenset({"i", "we"})
#: Nouns for one person, which "he"/"she" can point back to.
PERSON_NOUNS = _words(
    "activist resident witness eyewitness survivor doctor medic nurse official spokesman "
    "spokeswoman spokesperson source commander officer journalist director head chief minister "
    "governor man woman father mother villager farmer member leader founder general"
)
#: Entities that open a dateline rather than a name ("Monday 31 Oct 2016 Syria's army").
DATELINE_ENTITIES = frozenset({"DATE", "TIME", "CARDINAL"})
#: Double quotation marks: a fact between them belongs to the quote's speaker.
QUOTE_MARKS = frozenset('"“”„«»')
#: How many tokens past a closing quote (or before an opening one) the speaker may be.
QUOTE_REACH = 8


@dataclass(frozen=True, slots=True)
class _Credit:
    """A speaker found in the parse and the hedge of the word that reports."""

    speaker: Token
    hedge: str


# --- Rules 1, 2 and 4: the reporting word above the fact ------------------------------------


def _credit_in_clause(anchor: Token) -> _Credit | None:
    child, node = anchor, anchor
    while True:
        credit = _credit_at(node, child)
        if credit is not None or node.head.i == node.i:
            return credit
        child, node = node, node.head


def _credit_of_trailing_report(span: Span) -> _Credit | None:
    """ "... killed 12 people and wounded 50 state media reported": the sentence ends on
    "X reported" but the parser, with the comma missing, hung it below the fact's clause.
    The closing reporting verb of the fact's sentence, after the fact, credits it.
    """
    sentence = span.sent
    last = next((t for t in reversed(sentence) if not t.is_punct), None)
    if last is None or last.i < span.end or span.root in last.subtree:
        return None
    verb = last if last.pos_ in {"VERB", "AUX"} else None
    if verb is None or any(t.i >= span.start and t.i < span.end for t in verb.subtree):
        return None
    return _verb_credit(verb)


def _credit_at(node: Token, child: Token) -> _Credit | None:
    if node.i != child.i and _reports_content(node, child):
        credit = _verb_credit(node) or _noun_credit(node, child)
        if credit is not None:
            return credit
    return _according_to(node, child) or _beside(node, child)


def _reports_content(node: Token, child: Token) -> bool:
    """Whether the path from the fact reaches ``node`` through what it reports."""
    if child.dep_ in SUBJECT_DEPS or child.dep_ == "dative":
        return False
    if child.dep_ == "dobj" and _verb_base(node) == "tell":
        return False  # "told AFP": the addressee
    fronted = child.i < node.i and child.dep_ == "advcl"
    return not (fronted and any(t.lower_ in BACKGROUND_MARKS for t in child.children))


def _verb_credit(verb: Token) -> _Credit | None:
    base = _verb_base(verb)
    if base is None or (base in FIGURE_VERBS and not _has_figure_object(verb)):
        return None
    speaker = _cited(verb) or _subject(verb)
    if speaker is None or speaker.lower_ in FIRST_PERSON:
        return None
    return _Credit(speaker, VERB_HEDGES[base])


def _noun_credit(noun: Token, child: Token) -> _Credit | None:
    hedge = NOUN_HEDGES.get(noun.lower_)
    if hedge is None or noun.pos_ not in {"NOUN", "PROPN"} or child.dep_ not in {"acl", "ccomp"}:
        return None
    return _Credit(_issuer(noun) or noun, hedge)


def _according_to(node: Token, child: Token) -> _Credit | None:
    for according in node.children:
        if according.i == child.i or according.lower_ != "according":
            continue
        for to in according.children:
            for obj in to.children:
                if to.lower_ == "to" and obj.dep_ == "pobj":
                    return _Credit(_issuer(obj) or obj, "reported")
    return None


def _beside(node: Token, child: Token) -> _Credit | None:
    """A reporting verb with no content of its own set beside the clause: "45 died, X said"."""
    for verb in node.children:
        if verb.i != child.i and _set_beside(verb, child):
            credit = _verb_credit(verb)
            if credit is not None:
                return credit
    return None


def _set_beside(verb: Token, child: Token) -> bool:
    if verb.dep_ == "conj" and (verb.i < child.i or _joined_by_and(verb)):
        return False  # "45 were killed and the governor said ...": another clause
    if verb.dep_ not in {"parataxis", "conj"}:
        return False
    addressee = "dobj" if _verb_base(verb) == "tell" else ""
    return not any(t.dep_ in CONTENT_DEPS and t.dep_ != addressee for t in verb.children)


def _joined_by_and(verb: Token) -> bool:
    before = verb.doc[verb.left_edge.i - 1] if verb.left_edge.i > 0 else None
    return before is not None and (before.pos_ == "CCONJ" or before.dep_ == "cc")


def _subject(verb: Token) -> Token | None:
    """The speaker of a reporting verb, from its own clause or the clause it depends on."""
    if any(t.dep_ in {"nsubjpass", "auxpass"} for t in verb.children):
        return _passive_agent(verb)
    subjects = [t for t in verb.children if t.dep_ == "nsubj"] or [
        t  # the tagger's slip in "Airwars estimated": a name before the verb taken as a modifier
        for t in verb.lefts
        if t.dep_ == "npadvmod" and t.pos_ == "PROPN" and t.ent_type_ not in DATELINE_ENTITIES
    ]
    if subjects:
        return subjects[0]  # "The Aleppo Media Center an activist collective said": the name
    as_saying = verb.head.lower_ == "as"
    holder = verb.head.head if as_saying else verb.head
    if holder.i != verb.i and (as_saying or _verb_base(holder) == "quote"):
        obj = next((t for t in holder.children if t.dep_ == "dobj"), None)
        if obj is not None and _verb_base(holder) is not None:
            return obj  # "quoted X as saying", "reported X as saying"
    if verb.dep_ in {"conj", "advcl", "xcomp"} and verb.head.i != verb.i:
        return _subject(verb.head)  # "confirmed ... but blamed", "..., telling AFP"
    return None


def _passive_agent(verb: Token) -> Token | None:
    for agent in verb.children:
        if agent.dep_ == "agent":
            return next((t for t in agent.children if t.dep_ == "pobj"), None)
    return None


def _cited(verb: Token) -> Token | None:
    """A source the reporting clause cites, nested deeper than its subject: "citing X"."""
    for token in verb.subtree:
        if token.i == verb.i or _verb_base(token) != "cite" or token.dep_ == "ROOT":
            continue
        obj = next((t for t in token.children if t.dep_ == "dobj"), None)
        if obj is not None and _nearest_reporter(token.head) == verb.i:
            return _issuer(obj) or obj
    return None


def _nearest_reporter(token: Token) -> int:
    while _verb_base(token) is None and token.head.i != token.i:
        token = token.head
    return token.i


def _issuer(noun: Token) -> Token | None:
    """Who issued a document: "a statement from X", "X's tally", "a report by X"."""
    if noun.lower_ not in DOCUMENT_NOUNS:
        return None
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ != "PRON":
            return child
        if child.dep_ == "prep" and child.lower_ in {"from", "by", "of"}:
            obj = next((t for t in child.children if t.dep_ == "pobj"), None)
            if obj is not None and (obj.pos_ == "PROPN" or obj.ent_type_ == "ORG"):
                return obj
    return None


def _has_figure_object(verb: Token) -> bool:
    return any(t.dep_ == "dobj" and t.lower_ in FIGURE_NOUNS for t in verb.children)


def _verb_base(token: Token) -> str | None:
    if token.pos_ not in {"VERB", "AUX"}:
        return None
    base = IRREGULAR_FORMS.get(token.lower_) or _FORMS.get(token.lower_)
    return base if base in VERB_HEDGES else None


def _inflect(base: str) -> Iterator[str]:
    """Regular forms of a verb: base, -s, -ed, -ing."""
    yield base
    if base.endswith("y") and base[-2] not in "aeiou":
        yield from (base[:-1] + "ies", base[:-1] + "ied")
    else:
        yield base + ("es" if base.endswith(("s", "sh", "ch", "x")) else "s")
        yield base + ("d" if base.endswith("e") else "ed")
    yield (base[:-1] if base.endswith("e") else base) + "ing"


_FORMS: dict[str, str] = {form: base for base in VERB_HEDGES for form in _inflect(base)}


# --- Rule 3: quotations ---------------------------------------------------------------------


def _credit_of_quote(doc: Doc, start: int, end: int) -> _Credit | None:
    marks = [i for i, char in enumerate(doc.text) if char in QUOTE_MARKS]
    pairs = zip(marks[::2], marks[1::2], strict=False)
    quote = next(((o, c) for o, c in pairs if o < start and end <= c), None)
    if quote is None:
        return None
    opening, closing = quote
    after = [t for t in doc if t.idx > closing][:QUOTE_REACH]
    # A new sentence after the quote does not speak for it ('..." He said 12 more died.').
    after = after[: next((n for n, t in enumerate(after) if n and t.is_sent_start), len(after))]
    before = [t for t in doc if t.idx < opening][-QUOTE_REACH:]
    for token in (*after, *reversed(before)):
        credit = _verb_credit(token)
        if credit is not None and not opening <= credit.speaker.idx <= closing:
            return credit
    return None
