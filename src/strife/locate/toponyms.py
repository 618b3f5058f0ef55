"""Place names in a text, each with what its words say about it.

A name is a candidate place when spaCy tags it as one (GPE, LOC, FAC), when a
locative preposition or an area word frames it ("in Karm Zeitoun", "Andar
district", "the village of Tall Tawil"), whatever spaCy's tag. Each candidate
records how the sentence uses it, because an event's place is where the
incident happened, not every place the sentence names:

- ``place``: where something is or happened ("in Homs", "Ghazni province");
- ``actor``: a country or city standing for its government or forces ("Syria
  said", "Russia's air force", "the Syrian government");
- ``origin``: where a speaker or an actor is from or based ("the British-based
  Syrian Observatory", "based in London", "told reporters in Geneva");
- ``reference``: a landmark the place is given by ("near the border with Turkey");
- ``destination``: where people were going or were taken ("their journey to Aleppo",
  "the wounded were taken to Damascus"), not where it happened.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from strife.locate.names import DIRECTIONS, fold, is_country_name, is_demonym

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: spaCy labels that are places whatever frames them.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Labels that are never places (nationalities, numbers, dates...).
NEVER_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})
#: Nouns after which "on X" names a place struck ("a strike on Aleppo", "the assault on Douma").
ATTACK_NOUNS = frozenset(
    {"strike", "strikes", "airstrike", "airstrikes", "attack", "attacks", "assault", "offensive",
     "raid", "raids", "shelling", "bombing", "bombardment", "fire", "march", "advance"}
)  # fmt: skip
#: Prepositions that put something at a place.
LOCATIVE = frozenset(
    {"in", "near", "at", "outside", "around", "inside", "across", "into", "on", "throughout",
     "toward", "towards", "between", "west", "east", "north", "south"}
)  # fmt: skip
#: Area words and the gazetteer kind they ask for.
AREA_KINDS = {
    "province": "admin1", "governorate": "admin1", "state": "admin1", "region": "admin1",
    "oblast": "admin1", "prefecture": "admin1", "emirate": "admin1", "territory": "admin1",
    "district": "district", "county": "district", "municipality": "district",
    "city": "city", "town": "city", "village": "city", "camp": "city",
    "neighbourhood": "neighbourhood", "neighborhood": "neighbourhood", "suburb": "neighbourhood",
    "quarter": "neighbourhood", "area": "neighbourhood",
}  # fmt: skip
#: Nouns after a place name that make it stand for a government or its forces.
ACTOR_NOUNS = frozenset(
    {"government", "regime", "army", "forces", "military", "officials", "authorities",
     "ministry", "president", "leader", "police", "troops", "embassy", "ambassador", "media",
     "tv", "television", "agency", "navy", "air", "jets", "warplanes", "intelligence",
     "soldiers", "service", "marines", "officers", "diplomats", "envoy", "delegation"}
)  # fmt: skip
#: Verbs whose subject is a speaker or an actor, not a place ("Jordan said").
ACTOR_VERBS = frozenset(
    {"said", "says", "say", "told", "tells", "announced", "claimed", "denied", "accused",
     "blamed", "warned", "urged", "called", "condemned", "demanded", "insisted", "stated",
     "reported", "confirmed", "added", "agreed", "rejected", "vetoed", "wants", "sent"}
)  # fmt: skip
#: Words of going somewhere: "to X" after one names where people went ("their journey
#: to Aleppo", "evacuated to Idlib", "taken to hospitals in Turkey").
MOTION_WORDS = frozenset(
    {"journey", "heading", "headed", "bound", "travel", "travelling", "traveling",
     "travelled", "traveled", "fled", "flee", "fleeing", "evacuated", "evacuation",
     "transferred", "taken", "brought", "rushed", "moved", "returned", "returning",
     "deported", "relocated"}
)  # fmt: skip
#: How many words back from a name :data:`MOTION_WORDS` and "to" may be, in one clause
#: ("their journey to regime-controlled Aleppo the coastal province of Latakia").
MOTION_LOOKBACK = 12
#: Speech verbs: a place attached to one is where the speaker was ("said in Damascus").
SPEECH_VERBS = frozenset(
    {"said", "says", "told", "announced", "stated", "declared", "added", "spoke", "speaking",
     "reported", "confirmed", "briefed", "quoted", "based", "headquartered"}
)  # fmt: skip
#: A capitalised name of up to four words, with the particles transliterations join them
#: by ("Salah al-Din", "Shahid-e Hasas", "Deir ez-Zor", "Nawah-ye Barakzai").
_NAME = (
    r"(?<![\w’'-])[A-Z][\w’'‘]*(?:[-\s](?:(?:al|el|ad|as|ar|az|an|ash|at|ez|ibn|bin|bani|abu|"
    r"e|ye|i|wa|de|del|la)[-\s])?[A-Z][\w’'‘]*){0,3}"
)
_AREAS = "|".join(sorted(AREA_KINDS))
#: Where a frame word precedes the name: "the village of X" (but not "X, a neighbourhood of
#: Y", where the words describe X and Y is its container).
_FRAMED = re.compile(rf"\bthe\s+(?:[\w-]+\s+)?(?P<area>{_AREAS})\s+of\s+(?P<name>{_NAME})")
#: Where an area word follows the name: "Andar district", "Helmand province".
_NAMED_AREA = re.compile(rf"(?P<name>{_NAME})\s+(?P<area>{_AREAS})\b")
#: A capitalised name after a locative preposition, which spaCy may not have tagged.
_AFTER_PREPOSITION = re.compile(
    r"\b(?:[Ii]n|near|outside|(?:north|south|east|west|outskirts|countryside|suburbs?)\s+of"
    r"|(?:strikes?|attacks?|assault|offensive|raids?|shelling|bombing|bombardment)\s+on)"
    r"\s+(?:the\s+)?(?P<name>[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){0,2})"
)
#: Capitalised words that follow "in" and are no place.
_CALENDAR = frozenset(
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
     "Sept", "Oct", "Nov", "Dec", "Monday", "Tuesday", "Wednesday", "Thursday",
     "Friday", "Saturday", "Sunday", "Parliament", "Congress", "Court", "Islam", "English"}
)  # fmt: skip
#: Capitalised words an area pattern may take by mistake.
_NOT_NAMES = frozenset({"The", "A", "An", "In", "On", "At", "This", "That", "Its", "Their", "His"})
#: A dateline at the start of a line ("HOMS, Syria -", "BEIRUT (Reuters) -", "KABUL,
#: Afghanistan (Jan. 25, 2013)"): where the story was filed, not where it happened.
DATELINE = re.compile(
    r"(?:^|(?<=[\u2028\u2029])|(?<=\S\s\s))[ \t]*[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}"
    r"(?:,\s*[A-Z][\w.]+(?: [A-Z][\w.]+){0,2})?\s*(?:\([^)\n]{0,40}\))?(?:\s*[-—–:]|\s*$)",
    re.M,
)
#: Datelines are looked for this far into the text.
DATELINE_CHARS = 600


@dataclass(slots=True)
class Toponym:
    """One place name in the text."""

    text: str
    start: int
    end: int
    #: place, actor or origin (see the module docstring).
    role: str = "place"
    #: The gazetteer kind an area word asks for ("province" -> admin1), or None.
    kind: str | None = None
    #: Framed by a locative preposition ("in", "near").
    locative: bool = False
    #: The name of the place the text says this one lies in ("X, a neighbourhood of Homs").
    within: str | None = None
    #: Found by its capital letters alone: dropped unless the gazetteer knows it.
    guessed: bool = False
    #: Used as a modifier of a noun ("US missiles", "the Homs hospital").
    modifier: bool = False


def find_toponyms(doc: Doc | Span, *, offset: int = 0) -> list[Toponym]:
    """Every place name of a parsed text, with offsets shifted by ``offset``."""
    from spacy.tokens import Span

    found: dict[tuple[int, int], Toponym] = {}
    for ent in doc.ents:
        if ent.label_ in NEVER_LABELS:
            continue
        if ent.label_ not in PLACE_LABELS and not _framed_as_place(ent):
            continue
        name = _trim(ent)
        if name is None:
            continue
        kind = None
        if len(name) > 1 and name[-1].lower_ in AREA_KINDS:  # "Ghazni province"
            kind = AREA_KINDS[name[-1].lower_]
            name = name[:-1]
        start, end = name.start_char, name.end_char
        found[(start, end)] = Toponym(
            name.text,
            start + offset,
            end + offset,
            role=_role(name),
            kind=kind,
            locative=_locative(name),
            modifier=_modifier(name),
        )
    base = doc.start_char if isinstance(doc, Span) else 0
    full_text = doc.doc.text if isinstance(doc, Span) else doc.text
    return _framed_names(full_text, found, start=base, end=base + len(doc.text), offset=offset)


def find_framed_toponyms(text: str, *, offset: int = 0) -> list[Toponym]:
    """The place names a text's own words frame ("in X", "X province", "the town of X"),
    without a parse: for the paragraphs the read stage did not parse."""
    return _framed_names(text, {}, start=0, end=len(text), offset=offset)


def _framed_names(
    text: str, found: dict[tuple[int, int], Toponym], *, start: int, end: int, offset: int
) -> list[Toponym]:
    """Add to ``found`` (entities, keyed by their offsets in ``text``) the names the words
    frame in ``text[start:end]``; then the demonyms go and containers are linked."""
    for match in _area_matches(text, start, end):
        _add_area_name(text, found, match, offset)
    for match in _AFTER_PREPOSITION.finditer(text, start, end):
        first, last = match.start("name"), match.end("name")
        words = match.group("name").split()
        if words[0] in _NOT_NAMES or words[0] in _CALENDAR:
            continue
        if not any(key[0] < last and first < key[1] for key in found):
            # Untagged ("In Logar last night"): kept only if the gazetteer knows it.
            found[(first, last)] = Toponym(
                text[first:last], first + offset, last + offset, locative=True, guessed=True
            )
    toponyms = [t for t in map(_without_demonym, found.values()) if t is not None]
    toponyms.sort(key=lambda t: t.start)
    _link_containers(toponyms, text, offset)
    return toponyms


def _add_area_name(
    text: str, found: dict[tuple[int, int], Toponym], match: re.Match[str], offset: int
) -> None:
    """A name an area word frames ("Andar district", "the town of X"), merged with the
    entities it overlaps."""
    start, end = match.start("name"), match.end("name")
    words = match.group("name").split()
    if words[0] in _NOT_NAMES:
        return
    kind = AREA_KINDS[match.group("area").lower()]
    if len(words) > 1 and words[-1].lower() in AREA_KINDS:
        # "the Jharai district of Kandahar Province": the name is "Kandahar"
        kind = AREA_KINDS[words[-1].lower()]
        end = start + match.group("name").rindex(words[-1]) - 1
    overlapping = [key for key in found if key[0] < end and start < key[1]]
    if any((s, e) == (start, end) for s, e in overlapping):
        for key in overlapping:
            found[key].kind = found[key].kind or kind
        return
    locative = _word_before(text, start) in LOCATIVE
    if any(s <= start and end <= e for s, e in overlapping):
        # spaCy ran the name into the words after it ("Aleppo the Syrian Observatory"):
        # the framed name alone.
        found.pop(next(k for k in overlapping if k[0] <= start and end <= k[1]))
        found[(start, end)] = Toponym(
            text[start:end], start + offset, end + offset, kind=kind, locative=locative
        )
        return
    # A name spaCy missed or split ("Shahid-e Hasas district"): the whole name, once.
    parts = [found.pop(key) for key in overlapping]
    start = min([start] + [s for s, _ in overlapping])
    end = max([end] + [e for _, e in overlapping])
    found[(start, end)] = Toponym(
        text[start:end],
        start + offset,
        end + offset,
        role=parts[0].role if parts else "place",
        kind=kind,
        locative=any(p.locative for p in parts) or _word_before(text, start) in LOCATIVE,
    )


def _without_demonym(toponym: Toponym) -> Toponym | None:
    """ "Aleppo Syrian" -> "Aleppo"; "Syrian" (state TV) and "South East" -> no place."""
    words = list(re.finditer(r"\S+", toponym.text))
    if all(word in DIRECTIONS for word in fold(toponym.text).split()):
        return None
    if is_country_name(toponym.text):
        return toponym  # "Saudi Arabia" is not "Arabia" after a demonym
    while words and is_demonym(words[-1].group()):
        words.pop()
    while words and is_demonym(words[0].group()):
        words.pop(0)
    if not words:
        return None
    start, end = words[0].start(), words[-1].end()
    if (start, end) != (0, len(toponym.text)):
        toponym.text = toponym.text[start:end]
        toponym.start, toponym.end = toponym.start + start, toponym.start + end
    return toponym


def dateline_place(dateline: str) -> str | None:
    """The city a dateline names ("TUCSON, Ariz. (Reuters) -" -> "Tucson")."""
    match = re.match(r"\s*([A-Z][A-Z.'’ -]*[A-Z])", dateline)
    return match.group(1).title() if match else None


def datelines(text: str) -> list[tuple[int, int]]:
    """Where the datelines near the top of the text are."""
    return [(m.start(), m.end()) for m in DATELINE.finditer(text, 0, DATELINE_CHARS)]


def _trim(ent: Span) -> Span | None:
    """The entity without a leading article ("the Karm Zeitoun" -> "Karm Zeitoun") or a
    trailing possessive."""
    start = ent.start
    while start < ent.end and ent.doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    end = ent.end
    while end > start and ent.doc[end - 1].lower_ in {"'s", "’s"}:
        end -= 1
    if start >= end:
        return None
    return ent.doc[start:end]


def _framed_as_place(ent: Span) -> bool:
    """A name of another label that its words frame as a place ("in Karm Zeitoun", "Andar
    district", "a neighbourhood of Homs")."""
    doc = ent.doc
    after = doc[ent.end] if ent.end < len(doc) else None
    if after is not None and after.lower_ in AREA_KINDS:
        return True
    framing = doc[ent.start - 2 : ent.start]
    if len(framing) == 2 and framing[0].lower_ in AREA_KINDS and framing[1].lower_ in {"of", "in"}:
        return True  # "a neighbourhood of Homs"
    if len(framing) == 2 and framing[0].lower_ in ATTACK_NOUNS and framing[1].lower_ == "on":
        return True  # "a strike on Aleppo"
    before = doc[ent.start - 1] if ent.start > 0 else None
    return before is not None and before.lower_ in {"in", "near", "outside"} and ent.label_ != "ORG"


def _modifier(ent: Span) -> bool:
    root = ent.root
    return root.dep_ in {"compound", "amod", "nmod"} and root.head.pos_ in {"NOUN", "PROPN"}


def _locative(ent: Span) -> bool:
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and before.lower_ in {"of", ","} and ent.start > 1:
        # "in the city of Deraa", "in Andar district, Ghazni province"
        before = _preposition_before(ent)
    return before is not None and before.lower_ in LOCATIVE


def _preposition_before(ent: Span) -> Token | None:
    for token in reversed(ent.doc[max(0, ent.start - 10) : ent.start]):
        if token.lower_ in LOCATIVE:
            return token
        if token.is_punct and token.text not in {",", "-"}:
            return None
    return None


def _role(ent: Span) -> str:
    doc = ent.doc
    after = doc[ent.end] if ent.end < len(doc) else None
    before = doc[ent.start - 1] if ent.start > 0 else None
    hyphenated = doc[ent.end + 1].lower_ if ent.end + 1 < len(doc) else ""
    if after is not None and after.lower_ in {"border", "frontier", "borders"}:
        return "reference"  # "at the Syria-Turkey border": on either side
    if after is not None and after.text in {"-", "–"}:
        if hyphenated == "based":
            return "origin"  # "the British-based Syrian Observatory"
        if hyphenated in {"led", "backed", "supported", "funded", "allied"}:
            return "actor"  # "US-led coalition"
    if after is not None and after.lower_ in {"'s", "’s"}:
        return "actor"  # "Russia's air force"
    if after is not None and after.lower_ in ACTOR_NOUNS | ACTOR_VERBS:
        return "actor"  # "the Syria government"; "Russia says" (no parse needed)
    root = ent.root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head  # "the US and Russia announced"
    if root.dep_ in {"nsubj", "nsubjpass"} and root.head.lower_ in ACTOR_VERBS:
        return "actor"  # "Jordan said"
    if root.dep_ == "nsubj" and root.head.tag_ != "VBG" and is_country_name(ent.text):
        return "actor"  # "what the US might do", "Russia disagreed": its government
    if before is None:
        return "place"
    if _gone_to(ent):
        return "destination"  # "their journey to Aleppo": where they went
    if before.lower_ in {"in", "from"} and before.head.lower_ in SPEECH_VERBS:
        return "origin"  # "said in Damascus", "based in London"
    two_before = doc[ent.start - 2] if ent.start > 1 else None
    if two_before is None:
        return "place"
    if before.lower_ in {"with", "of"} and two_before.lower_ in {"border", "borders", "frontier"}:
        return "reference"  # "near the border with Turkey": not in Turkey
    if before.lower_ == "from" and (two_before.ent_type_ == "PERSON" or two_before.is_punct):
        return "origin"  # "Rami Abdul-Rahman, from ..."
    return "place"


def _gone_to(ent: Span) -> bool:
    """ "a motion word, "to", then the name, with no "in", "near"... nor a clause's end
    between: a place people went to."""
    window = list(ent.doc[max(0, ent.start - MOTION_LOOKBACK) : ent.start])
    for index in range(len(window) - 1, 0, -1):
        token = window[index]
        if (token.is_punct and token.text not in {"-", "–"}) or token.lower_ in LOCATIVE:
            return False
        if token.lower_ == "to" and window[index - 1].lower_ in MOTION_WORDS:
            return True
    return False


def _word_before(text: str, position: int) -> str:
    words = re.findall(r"[\w']+", text[max(0, position - 30) : position].lower())
    return words[-1] if words else ""


def _area_matches(text: str, start: int, end: int) -> list[re.Match[str]]:
    return list(_FRAMED.finditer(text, start, end)) + list(_NAMED_AREA.finditer(text, start, end))


#: Words between a place and the place it lies in, at most ("the Sulaymaniyah
#: neighbourhood of the Syrian city of Aleppo").
CONTAINED_CHARS = 60
#: "X, a neighbourhood of Y", "X district of Y", "X in Y province", "X district, Y province".
_CONTAINED = re.compile(
    rf"^(?:,?\s*(?:a|an|the)?\s*(?:[\w-]+\s+){{0,4}}(?:{_AREAS})\s+(?:of|in)\s+(?:the\s+)?"
    rf"|(?:\s+(?:{_AREAS}))?,\s*|\s+in\s+)$"
)


def _link_containers(toponyms: list[Toponym], text: str, shift: int) -> None:
    """Note which named place each name lies in, where the words between them say so."""
    for inner, outer in itertools.pairwise(toponyms):
        if is_country_name(inner.text):
            continue  # "in Belarus, Ethiopia and Algeria": a list, no country lies in another
        between = text[inner.end - shift : outer.start - shift]
        if len(between) <= CONTAINED_CHARS and _CONTAINED.match(between):
            inner.within = outer.text
            outer.locative = outer.locative or inner.locative
            area = _area_word(between)
            if inner.kind is None and area is not None:
                inner.kind = AREA_KINDS[area]


def _area_word(words: str) -> str | None:
    return next((w for w in re.findall(r"[a-z]+", words.lower()) if w in AREA_KINDS), None)
