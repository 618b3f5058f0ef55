"""How many people an ISAF press release says were detained in its operation.

Takes a release's events and its article text; gives one number, the count the
ISAF gold's ``min_captured`` asks for. strife's arrest claims are the input;
this module only decides which of them add up and which say the same again.

A release states its total in the lead and then tells the operation group by
group, often restating the lead ("detained several suspected insurgents ...
the force detained the commander and two of his associates"). Claims are read
sentence by sentence, in text order:

- the groups of one sentence add up ("a Taliban leader and one suspected
  insurgent": 2); where sources differ within a sentence, the lowest source's
  sum stands (ACLED's lowest figure);
- a later sentence says the same again, and the larger count stands, when it
  refers back ("the commander and three others", "the five suspects") or when
  its groups fit in those told so far: no more people than counted (any number
  fits a vague "several"), and people in general ("suspected insurgents",
  "associates") within people in general; a group of insurgents may hold the
  leader named later, but a lone leader never holds the insurgents;
- otherwise, or when it says "additional", "other", "another", "more" or
  "further" and nothing told so far was vague, it adds new people ("captured a
  Taliban leader ... also detained two suspected insurgents": 3);
- a sentence that sums several operations ("during three operations") gives
  way to the operation the release goes on to tell: the gold scores one event.

Releases in the gold read "a few" as 3 (the codebook's general figure is 2,
the smallest plural): :data:`ISAF_VAGUE` applies that reading here only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from strife.document import Claim, Event
from strife.evaluate.fakes import counted_phrase
from strife.read import SENTENCE_BREAK

#: Vague words the ISAF gold reads otherwise than the codebook ("a few": 3 there, 2 in general).
ISAF_VAGUE = {"a few": 3}
#: Nouns for people in general; any other counted noun names a role ("leader", "facilitator").
GENERIC_NOUNS = frozenset(
    re.findall(
        r"\w+",
        """insurgent insurgents militant militants suspect suspects man men individual
    individuals associate associates fighter fighters person persons people other others
    detainee detainees member members male males occupant occupants personnel""",
    )
)
GENERIC = "generic"
ROLE = "role"
#: Words that mark a group as more people than those counted before it.
MORE_PEOPLE = re.compile(r"\b(additional|other|others|another|more|further)\b", re.I)
#: Words right before a group that refer back to people already told of.
REFERS_BACK = re.compile(r"\b(the|these|those|both)\s*$", re.I)
#: A figure over several operations: the release's own operation is told after it.
SEVERAL_OPERATIONS = re.compile(
    r"\b(two|three|four|five|six|several|multiple|numerous|separate|\d+)\s+"
    r"(?:[\w-]+\s+){0,2}?operations\b",
    re.I,
)
#: How far before a group to look for the word that refers back.
BACK_WINDOW = 12
#: Words that end what a figure counts, beyond ``fakes.counted_phrase``'s own stops
#: ("two suspects detained for further questioning": the noun is "suspects").
PHRASE_STOP = re.compile(
    r"^(for|detain\w*|arrest\w*|captur\w*|apprehend\w*|taken|based|whom|without|following)$",
    re.I,
)


def count_detainees(events: Iterable[Event], text: str) -> int:
    """Everyone the release says was detained in its operation (see the module docstring).

    Args:
        events: the release's events; aggregate ones ("125 detained this month") are skipped.
        text: the article text the claims' offsets point into.

    Returns:
        The count; 0 when no arrest claim.
    """
    claims: dict[tuple[int, int], Claim] = {}
    for event in events:
        if event.aggregate:
            continue
        for claim in event.claims:
            if claim.property == "arrests" and claim.low is not None:
                claims.setdefault((claim.start, claim.end), claim)
    total, kinds, vague, summary = 0, set[str](), False, False
    for (start, end), group in _by_sentence(sorted(claims.values(), key=_start), text):
        count = _sentence_count(group)
        group_kinds = {_kind(claim, text) for claim in group}
        group_vague = any(claim.qualifier == "vague" for claim in group)
        if not total or summary:
            total, kinds, vague = count, group_kinds, group_vague
            summary = SEVERAL_OPERATIONS.search(text, start, end) is not None
            continue
        first = group[0]
        more = not vague and MORE_PEOPLE.search(" ".join(_group_words(first, text))) is not None
        fits = _refers_back(first, text, start) or (
            (count <= total or vague) and (GENERIC in kinds or group_kinds <= kinds)
        )
        if more or not fits:
            total += count
            vague = vague or group_vague
        else:
            total = max(total, count)
        kinds |= group_kinds
    return total


def _start(claim: Claim) -> int:
    return claim.start


def _by_sentence(claims: list[Claim], text: str) -> Iterator[tuple[tuple[int, int], list[Claim]]]:
    """The claims grouped by the sentence they are in, with that sentence's bounds."""
    bounds = _sentences(text)
    current: tuple[int, int] | None = None
    group: list[Claim] = []
    for claim in claims:
        sentence = next(((a, b) for a, b in bounds if a <= claim.start <= b), (claim.start,) * 2)
        if sentence != current and group:
            yield current or sentence, group
            group = []
        current = sentence
        group.append(claim)
    if group and current is not None:
        yield current, group


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence bounds: each line split where ``read`` splits sentences."""
    bounds = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for match in SENTENCE_BREAK.finditer(line.group()):
            bounds.append((start, line.start() + match.start()))
            start = line.start() + match.end()
        bounds.append((start, line.end()))
    return bounds


def _sentence_count(group: list[Claim]) -> int:
    """The sentence's groups added up per source; the lowest source's sum."""
    sums: dict[str, int] = {}
    for claim in group:
        sums[claim.source] = sums.get(claim.source, 0) + _low(claim)
    return min(sums.values())


def _low(claim: Claim) -> int:
    if claim.qualifier == "vague":
        return ISAF_VAGUE.get(" ".join(claim.text.lower().split()), claim.low or 0)
    return claim.low or 0


def _group_words(claim: Claim, text: str) -> list[str]:
    """The group's own words: "a Taliban leader", or a figure and what it counts."""
    if claim.value == 1 and claim.qualifier == "exact" and len(claim.text.split()) > 1:
        return claim.text.split()  # one person named without a number
    words = claim.text.split()
    for word in counted_phrase(text, claim.end):
        if PHRASE_STOP.match(word):
            break
        words.append(word)
    return words


def _kind(claim: Claim, text: str) -> str:
    """``generic`` for people in general ("two suspected insurgents"), else ``role``."""
    words = _group_words(claim, text)
    return GENERIC if words and words[-1].lower() in GENERIC_NOUNS else ROLE


def _refers_back(claim: Claim, text: str, sentence_start: int) -> bool:
    """ "the five suspects", "the commander and two others": people told of before."""
    if claim.text.lower().startswith(("the ", "these ", "those ", "both ")):
        return True
    before = text[max(sentence_start, claim.start - BACK_WINDOW) : claim.start]
    return REFERS_BACK.search(before) is not None
