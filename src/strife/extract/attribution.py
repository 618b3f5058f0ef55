"""Attribution: who the text credits a fact to, and how firmly ("X said", "according to X").

Takes a parsed passage (a spaCy ``Doc`` of one paragraph) and the character span
of a fact in it; returns an :class:`Attribution` (the source's name as written,
its kind, the person speaking for it, the hedge), or ``None`` when the text
states the fact itself: the outlet is then the source, with the hedge
``asserted``. Finding facts and numbering an article's sources are left to
``claims.py`` and ``events.py``.

Rules, in the order they are tried:

1. Reporting clause. Walk up the parse from the fact; the first word on the way
   that reports it wins: a reporting verb whose content holds the fact ("X said
   (that) ...", "X told AFP ...", "X put the toll at 58", "X blamed the deaths on
   Y"), a reporting noun ("reports that ..."), "according to X" on a clause on
   the way, or a reporting verb set beside one with no content of its own
   ("45 died, the army said"; also when the parser joins it as a conjunct with no
   "and", as in text stripped of commas). A verb whose subject holds the fact, a
   fronted background clause ("After the blast killed 45, the army said ...") and
   a reporting verb in a clause joined by "and" do not report the fact.
2. Nested attribution: the innermost speaker wins, as the annotation guide
   credits "the speaker the sentence attributes the figure to" ("a medical source
   told AFP" is the medical source). The walk meets the innermost clause first
   ("state media said the army said 20 died" -> the army), and a source the
   clause cites ("citing a statement from X", "quoted X as saying") comes before
   the clause's own subject. "according to X" on the same clause as "Y said" is
   outer: Y wins.
3. Quotations. A fact inside double quotes with no reporting clause in its
   sentence belongs to the quote's speaker: the reporting verb just after the
   closing quote ('"...," an activist said') or just before the opening one.
4. Passives name no one ("45 were reported killed", "it was reported that"),
   unless "by X" follows. First person ("we counted 45 bodies") defers to the
   quote's speaker.
5. Pronouns ("he said", "it added") and descriptions that point back ("the
   monitor said", "the source added") take the nearest earlier speaker in the
   passage that fits, then ``previous``: "he"/"she" fit a person or a singular
   person noun ("an activist"), "it" an organisation, "they" an organisation or
   a group; a description fits a source whose name holds its noun, or a named
   organisation of its kind. "a monitor said" may also name an organisation the
   passage names later (news agencies lead with it). A person named again takes
   the organisation and kind first given. An unresolved pronoun is
   ``unnamed``. ``start``/``end`` point at the mention in this passage (the
   pronoun, the description), so ``doc.text[start:end] == name`` holds unless
   the source was resolved this way.
6. Names. The organisation is preferred: "Rami Abdul-Rahman, from the
   British-based Syrian Observatory for Human Rights (SOHR)" is the Syrian
   Observatory for Human Rights with person Rami Abdul-Rahman (also "head of X",
   "X's director", "SOHR head Rami ..."). A proper name drops "the" and
   descriptors ("British-based"); a common noun keeps them ("the army", "a
   medical source"). Appositions, relative clauses and descriptors are the
   context the kind is read from ("the LCC, a network of activists"); a
   descriptor with a proper name gives the name ("state news agency SANA").
   A person with no organisation is the source (``name == person``).

Hedges come from the reporting word: say, report, tell, add, state, announce,
estimate, put, ... -> reported; claim -> claimed; allege, accuse, blame ->
alleged; confirm, acknowledge, admit -> confirmed; deny, dispute, reject ->
denied; "according to" and quotations -> reported.

Kinds come from :func:`classify_source`, an ordered lexicon of general cues.
Police and other armed state security forces are ``military`` (ACLED counts them
among state forces), as is a defence ministry; a health ministry and health
officials count hospital figures and are ``medical``; a country speaking is its
``government``; a person with no cue to their kind is a ``witness``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from strife.extract._credits import (
    DATELINE_ENTITIES,
    PERSON_NOUNS,
    _according_to,
    _Credit,
    _credit_in_clause,
    _credit_of_quote,
    _credit_of_trailing_report,
    _verb_credit,
    _words,
)
from strife.extract._source_kinds import classify_source

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PERSONAL_PRONOUNS = frozenset({"he", "she", "it", "they"})
#: Roles a person holds for an organisation ("a spokesman for X", "X's head"); never its name.
ROLE_NOUNS = (
    PERSON_NOUNS
    | _words(
        "secretary president ambassador envoy chairman coordinator representative deputy colonel "
        "brigadier major captain lieutenant sergeant mayor prosecutor"
    )
) - {"resident", "witness", "eyewitness", "survivor", "man", "woman"}
#: Nouns that describe an organisation named elsewhere ("the monitor said").
BACK_NOUNS = _words(
    "group monitor observatory organisation organization agency ministry network committee "
    "committees body watchdog outlet channel movement charity office council centre center "
    "service station"
)
#: Of those, the ones that fit any named organisation.
GENERIC_BACK_NOUNS = frozenset({"group", "organisation", "organization", "body", "watchdog"})
#: Prepositions that tie a person or a role to an organisation.
ORG_PREPOSITIONS = frozenset({"from", "of", "for", "at", "with"})
#: Prepositions kept inside a source's name ("Committees of Syria", "Observatory for ...").
NAME_PREPOSITIONS = frozenset({"of", "for"})
#: Dependents that describe a source rather than name it.
DESCRIPTION_DEPS = frozenset({"appos", "relcl", "acl", "punct", "advmod", "parataxis", "case"})


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who the text credits a fact to; offsets are into the Doc's text."""

    name: str
    kind: str
    person: str | None
    hedge: str
    start: int
    end: int


def attribute(
    doc: Doc, start: int, end: int, *, previous: Attribution | None = None
) -> Attribution | None:
    """Who the text credits the fact at ``doc.text[start:end]`` to.

    Args:
        doc: the parsed passage (one paragraph).
        start: character offset of the fact in ``doc.text``.
        end: character offset just past the fact.
        previous: the attribution of the fact before this one, for "he said".

    Returns:
        The source and hedge, or ``None`` when the text states the fact itself.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    credit = (
        _credit_in_clause(span.root)
        or _credit_of_quote(doc, start, end)
        or _credit_of_trailing_report(span)
    )
    return None if credit is None else _attribution(credit, previous)


# --- Rules 5 and 6: from a speaker to a named source ----------------------------------------


def _attribution(credit: _Credit, previous: Attribution | None) -> Attribution:
    speaker = credit.speaker
    if speaker.lower_ in PERSONAL_PRONOUNS or _is_description(speaker):
        found = _antecedent(speaker, previous)
        if found is not None:
            return _relabel(found, credit.hedge, _mention(speaker))
    described = _describe(speaker, credit.hedge)
    if described.person is not None and described.person == described.name:
        for earlier in (*_speakers(speaker, later=False), previous):
            if earlier is not None and _same_person(described.person, earlier):
                return _relabel(earlier, credit.hedge, _mention(speaker))
    return described


def _relabel(source: Attribution, hedge: str, mention: Span) -> Attribution:
    return Attribution(
        source.name, source.kind, source.person, hedge, mention.start_char, mention.end_char
    )


def _mention(speaker: Token) -> Span:
    return speaker.doc[speaker.i : speaker.i + 1] if speaker.pos_ == "PRON" else _phrase(speaker)


def _describe(head: Token, hedge: str) -> Attribution:
    """Rule 6: name (organisation preferred), person and kind of the phrase at ``head``."""
    named = _apposed_name(head)
    if named is not None:
        name = _phrase(named)
        return _make(name, classify_source(name.text, _context(head, name)), None, hedge)
    phrase = _phrase(head)
    person = _person(head)
    organisation = _organisation(head, person)
    if organisation is not None:
        name = _phrase(organisation)
        kind = classify_source(name.text, _context(head, name))
        return _make(name, kind, person.text if person is not None else None, hedge)
    if person is not None:
        kind = classify_source(person.text, _context(head, person))
        return _make(person, "witness" if kind == "unnamed" else kind, person.text, hedge)
    kind = classify_source(phrase.text, _context(head, phrase))
    if kind == "unnamed" and head.ent_type_ == "GPE":
        kind = "government"  # "Russia said"
    return _make(phrase, kind, None, hedge)


def _make(name: Span, kind: str, person: str | None, hedge: str) -> Attribution:
    return Attribution(name.text, kind, person, hedge, name.start_char, name.end_char)


def _phrase(head: Token) -> Span:
    """The words that name the source: no descriptions, and a proper name without "the"."""
    kept = _name_tokens(head)
    if head.pos_ != "PROPN":  # "residents and rescue workers", but one organisation at a time
        kept.extend(t for conj in head.conjuncts if conj.i > head.i for t in _name_tokens(conj))
    left, right = min(t.i for t in kept), max(t.i for t in kept)
    doc = head.doc
    if head.pos_ == "PROPN":
        start = head.i
        while start > left and _in_name(doc[start - 1], head):
            start -= 1
        left = start
    dateline = [t.i for t in doc[left : head.i] if _is_date(t)]
    left = max(left, dateline[-1] + 1) if dateline else left
    while left < head.i and doc[left].is_punct:
        left += 1
    while right > head.i and doc[right].is_punct:
        right -= 1
    return doc[left : right + 1]


def _is_date(token: Token) -> bool:
    year = token.like_num and len(token.text) == 4 and token.text.isdigit()
    return year or (token.ent_type_ in DATELINE_ENTITIES and token.dep_ != "nummod")


def _name_tokens(token: Token) -> list[Token]:
    kept = [token]
    for child in token.children:
        if child.dep_ in DESCRIPTION_DEPS or child.dep_ in {"conj", "cc"}:
            continue
        if child.dep_ != "prep" or child.lower_ in NAME_PREPOSITIONS:
            kept.extend(_name_tokens(child))
    return kept


def _apposed_name(head: Token) -> Token | None:
    """The proper name apposed to a descriptor: "state news agency SANA" -> SANA."""
    if head.pos_ == "PROPN":
        return None
    descriptor = head.lower_ in BACK_NOUNS  # after "station", even a "PERSON" is a name
    for child in head.children:
        if (
            child.dep_ == "appos"
            and child.pos_ == "PROPN"
            and (descriptor or child.ent_type_ != "PERSON")
        ):
            return child
    following = head.doc[head.i + 1] if head.i + 1 < len(head.doc) else None
    if following is None or following.is_sent_start or not descriptor:
        return None
    acronym = following.is_alpha and following.is_upper and len(following) >= 2
    if not (acronym or following.pos_ == "PROPN"):
        return None
    # The parser often misses the apposition in "news agency SANA", "station Al-Manar".
    while following.dep_ == "compound" and following.head.i > following.i:
        following = following.head
    return following


def _in_name(token: Token, head: Token) -> bool:
    """Whether ``token`` belongs to the proper name ending at ``head`` ("Co-ordination" does)."""
    if token.dep_ in {"det", "poss", "nummod"}:
        return False
    hyphenated = not token.whitespace_ and token.i + 1 < head.i and token.nbor().tag_ == "HYPH"
    return (
        token.pos_ == "PROPN"
        or token.is_title
        or token.ent_type_ == "ORG"
        or (head.ent_type_ != "" and token.ent_type_ == head.ent_type_)
        or token.tag_ == "HYPH"
        or hyphenated
    )


def _context(head: Token, name: Span) -> str:
    """The words of the source's phrase around its name, which describe it."""
    text = head.doc.text
    left, right = head.left_edge.idx, head.right_edge.idx + len(head.right_edge.text)
    return f"{text[left : name.start_char]} {text[name.end_char : right]}"


def _person(head: Token) -> Span | None:
    """A person the phrase names: the head, an apposition or "calling himself X"."""
    candidates = [head]
    for child in head.children:
        if child.dep_ in {"appos", "acl"}:
            candidates.extend(child.subtree)
    for token in candidates:
        if token.ent_type_ == "PERSON":
            return next(ent for ent in token.doc.ents if ent.start <= token.i < ent.end)
    return None


def _organisation(head: Token, person: Span | None) -> Token | None:
    """The organisation a person or a role speaks for, when the phrase names one."""
    if person is None and head.lower_ not in ROLE_NOUNS:
        return None
    for candidate in _organisation_candidates(head):
        inside = person is not None and person.start <= candidate.i < person.end
        if not inside and _names_organisation(candidate):
            return candidate
    return None


def _names_organisation(token: Token) -> bool:
    """An organisation's name: "the Observatory", "SOHR"; not a title ("Secretary of State")."""
    if token.lower_ in ROLE_NOUNS or token.ent_type_ in {"GPE", "LOC", "PERSON", "DATE"}:
        return False
    if token.ent_type_ == "ORG":
        return True
    proper = token.pos_ == "PROPN" or token.ent_type_ == "NORP"
    return proper and classify_source(_phrase(token).text) != "unnamed"


def _organisation_candidates(head: Token) -> Iterator[Token]:
    title = head.pos_ == "PROPN" and head.lower_ in ROLE_NOUNS  # "Secretary of State"
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ORG_PREPOSITIONS and not title:
            yield from (t for t in child.children if t.dep_ == "pobj")
        elif child.dep_ == "poss":
            yield child
    for appos in (t for t in head.children if t.dep_ == "appos"):
        yield appos
        yield from _organisation_candidates(appos)
    for compound in (t for t in head.lefts if t.dep_ == "compound"):
        yield from compound.subtree  # "SOHR head Rami Abdul-Rahman"
    for clause in (t for t in head.children if t.dep_ == "relcl"):
        yield from (t for t in clause.children if t.dep_ == "dobj")  # "who heads X"


def _is_description(speaker: Token) -> bool:
    """A common noun that describes a source named elsewhere: "the monitor", "the source"."""
    determiner = next((t.lower_ for t in speaker.children if t.dep_ == "det"), None)
    if speaker.pos_ != "NOUN" or determiner not in {"the", "a", "an"}:
        return False
    if any(t.dep_ in {"prep", "appos", "relcl", "poss"} for t in speaker.children):
        return False
    if any(t.pos_ == "PROPN" for t in speaker.subtree):
        return False
    noun = speaker.lower_
    return noun in BACK_NOUNS or (determiner == "the" and noun in PERSON_NOUNS)


def _antecedent(speaker: Token, previous: Attribution | None) -> Attribution | None:
    """Rule 5: the nearest earlier speaker that fits, then ``previous``, then a later one."""
    candidates: list[Attribution | None] = [*_speakers(speaker, later=False), previous]
    if speaker.lower_ in BACK_NOUNS:
        candidates.extend(_speakers(speaker, later=True))
    for candidate in candidates:
        if candidate is not None and _fits(speaker, candidate):
            return candidate
    return None


def _speakers(speaker: Token, *, later: bool) -> Iterator[Attribution]:
    """Named speakers of reporting words before (or after) ``speaker``, nearest first."""
    doc = speaker.doc
    tokens = doc[speaker.i + 1 :] if later else reversed(doc[: speaker.left_edge.i])
    for token in tokens:
        credit = _verb_credit(token) or _according_to(token, token)
        if credit is None or credit.speaker.i == speaker.i:
            continue
        if credit.speaker.lower_ not in PERSONAL_PRONOUNS:
            yield _describe(credit.speaker, credit.hedge)


def _fits(speaker: Token, candidate: Attribution) -> bool:
    word = speaker.lower_
    last = candidate.name.split()[-1].lower() if candidate.name else ""
    is_person = candidate.person is not None or last in PERSON_NOUNS
    named = candidate.name[:1].isupper() and candidate.kind != "unnamed"
    if word in {"he", "she"}:
        return is_person
    if word in {"it", "they"}:
        return not is_person and (word == "they" or named or not last.endswith("s"))
    if word in candidate.name.lower():
        return True
    kind = classify_source(_phrase(speaker).text)
    if kind != "unnamed":
        # "a monitoring group" is a monitor: it may be the Observatory, not the hospital staff.
        return named and not is_person and kind == candidate.kind
    return named and not is_person and word in GENERIC_BACK_NOUNS


def _same_person(person: str, candidate: Attribution) -> bool:
    """Whether ``candidate`` is the same person, named before (maybe for an organisation)."""
    return candidate.person is not None and person.split()[-1] in candidate.person.split()
