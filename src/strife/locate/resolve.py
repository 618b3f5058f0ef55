"""Place names -> gazetteer places, and each event's place.

A name is resolved among every place it can refer to by what the article says
around it: the article's focus country (the country its places point to), an
admin-1 area or a place the text says it lies in ("Andar district, Ghazni
province", "Karm Zeitoun, a neighbourhood of Homs"), the kind of area its
words ask for ("Homs province" is the governorate, "Homs" the city), and
population. A small place abroad is not taken for a name the article's own
country lacks: "Andar" in an Afghan release is not the French village.

An event's place is the place named, in a place role, in the first of its
sentences that names one: the one in the trigger's clause, else the nearest,
then refined by a finer place said to lie in it. When that sentence names a
place the gazetteer lacks but says where it lies, the event takes the enclosing
place, with that place's precision, and keeps the words (``text``). With no
place in its own sentences (or only a country), the event falls back, in order,
to the nearest place named "in", "near"... before it in the paragraph
(``basis`` ``context``), the headline's place (``headline``), the first such
place of the article (``lead``), all in the country its sentences named or
else the focus country, and last to that country itself (``country``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from strife.locate.gazetteer import Gazetteer, Match, Place
from strife.locate.names import DIRECTIONS, FEATURE_WORDS, is_wide_region, key
from strife.locate.toponyms import Toponym

#: How specific each kind of place is; an event takes the most specific one named.
SPECIFICITY = {"country": 0, "admin1": 1, "district": 2, "city": 3, "neighbourhood": 4, "point": 5}
#: A place outside the article's focus country needs this many people to be meant,
#: unless it is the kind of area the words name ("Kunar province").
FOREIGN_MIN_POPULATION = 100_000
#: A city this large is known abroad by its name alone: "London" in a story about
#: the United States is still London, not one of the towns named after it.
WORLD_CITY_POPULATION = 1_000_000
WORLD_CITY_BONUS = 3.0
#: A place whose own name this is, over one it is an old or local name of ("Islamabad",
#: not Chattogram, once called so).
NAMED_BONUS = 1.0
#: A city named like its admin-1 area stands for it when it holds this share of the
#: area's people ("Homs", "Ghazni"), not a village named after it ("California", Maryland).
CAPITAL_SHARE = 0.02
#: Below this score no candidate is taken: the name is left unresolved.
MIN_SCORE = 0.0
#: Marks that end a clause, for the place in the trigger's clause ("who" and "which"
#: open a clause about someone else: "a leader who controls insurgents in Jowzjan").
CLAUSE_MARKS = (",", ";", ":", " – ", " — ", ".", " who ", " which ")
#: A preceding place this close (characters) still frames an event that names none.
CONTEXT_CHARS = 600


@dataclass(slots=True)
class Context:
    """What the whole article says about where it is."""

    focus: str | None = None
    #: Admin-1 areas the article names, as (country, code).
    areas: set[tuple[str, str]] = field(default_factory=set)


def focus_country(gazetteer: Gazetteer, toponyms: list[Toponym]) -> str | None:
    """The country the article's place names point to.

    Each name in a place role votes for the country of its likeliest reading (the kind
    its words ask for, then a place of that very name over one it is an old or local
    name of, then population); a country named votes three times, an area named with
    its kind ("Kunar province") twice, a small place known only by an alternate name a
    quarter. A country standing for its government ("US-led", "Russia said") votes
    once, the dateline's city a half; where a speaker is based does not vote.
    """
    votes: dict[str, float] = defaultdict(float)
    for toponym in toponyms:
        if toponym.role == "origin":
            continue
        first = toponym.text.split()[0]
        if first.endswith("s") and first != toponym.text:
            for country in _countries(gazetteer, first[:-1]):
                votes[country] += 3  # "Syrias Raqa": a possessive that lost its apostrophe
        exact = [m.place for m in _candidates(gazetteer, toponym.text, None) if m.exact]
        if not exact:
            continue
        top = max(
            exact,
            key=lambda p: (
                _kind_fit(p.kind, toponym.kind),
                _is_named(p, toponym.text),
                p.population,
            ),
        )
        if toponym.role in {"actor", "dateline"}:
            # a government speaking; a city the story was filed from (Beirut for Syria)
            votes[top.country] += 0.5 if toponym.role == "dateline" else 1
        elif top.kind == "country":
            # "in Syria" places the story; "US officials", "joined the US" only name a state.
            votes[top.country] += 3 if toponym.locative else 1 if toponym.modifier else 2
        elif toponym.kind is not None and top.kind == toponym.kind:
            votes[top.country] += 2
        elif _is_named(top, toponym.text) or top.population >= FOREIGN_MIN_POPULATION:
            votes[top.country] += 1
        else:
            votes[top.country] += 0.25  # a hamlet that only an alternate name matches
    return max(votes, key=lambda country: votes[country]) if votes else None


def article_context(gazetteer: Gazetteer, toponyms: list[Toponym]) -> Context:
    context = Context(focus=focus_country(gazetteer, toponyms))
    for toponym in toponyms:
        place = resolve(gazetteer, toponym, context)
        if place is not None and place.kind == "admin1":
            context.areas.add((place.country, place.admin1))
    return context


def resolve(
    gazetteer: Gazetteer, toponym: Toponym, context: Context, *, within: Place | None = None
) -> Place | None:
    """The place a name refers to here, or None when no candidate is plausible."""
    best: tuple[float, Place] | None = None
    # "X district": X is the whole name, never cut short.
    candidates = _candidates(gazetteer, toponym.text, context.focus, cut=toponym.kind is None)
    for match in candidates:
        score = _score(match, toponym, context, within)
        if score is not None and (best is None or score > best[0]):
            best = (score, match.place)
    if best is None or best[0] < MIN_SCORE:
        return None
    place = best[1]
    if place.kind == "admin1" and toponym.kind is None:
        # "Homs" is the city, not the governorate named after it, unless the words say so.
        capital = [
            m.place
            for m in candidates
            if m.exact
            and m.place.kind == "city"
            and (m.place.country, m.place.admin1) == (place.country, place.admin1)
            and m.place.population >= CAPITAL_SHARE * place.population
        ]
        if capital:
            return max(capital, key=lambda p: p.population)
    return place


def _candidates(
    gazetteer: Gazetteer, name: str, focus: str | None, *, cut: bool = True
) -> list[Match]:
    """Every place the name can be.

    Scraped text loses punctuation, and spaCy then runs a name into what follows
    ("Aleppo Monitor AFP") or a possessive into it ("Syrias Aleppo"): when the whole
    name is unknown, the longest first words that name a country, an admin-1 area or a
    place in the focus country are taken, after a country's possessive.
    """
    if is_wide_region(name):
        return []
    found = gazetteer.lookup(name)
    if any(m.exact for m in found):
        return found
    words = name.split()
    while len(words) > 1 and words[0].lower() in DIRECTIONS:
        words = words[1:]  # "Eastern Ghouta", "rural Aleppo": the place is what follows
    if len(words) > 1 and words[0].endswith("s") and _is_country(gazetteer, words[0][:-1]):
        words = words[1:]
    for size in range(len(words), 0 if cut else len(words) - 1, -1):
        if words[size - 1].lower() in DIRECTIONS:
            continue  # "Eastern" alone is not the Saudi province
        # "Niger Delta", "Jordan Valley": a feature named after a country is not in it.
        feature = size < len(words) and words[size].lower() in FEATURE_WORDS
        shorter = [
            m
            for m in gazetteer.lookup(" ".join(words[:size]))
            if m.exact and not (feature and m.place.kind == "country")
        ]
        if any(m.place.kind in {"country", "admin1"} or m.place.country == focus for m in shorter):
            return shorter
    return found


def _is_named(place: Place, name: str) -> bool:
    """The place's own name is this one (not one of its alternate names)."""
    return key(place.name) == key(name)


def _countries(gazetteer: Gazetteer, name: str) -> list[str]:
    """The country the name is, as a one-item list, or nothing."""
    return [
        m.place.country for m in gazetteer.lookup(name) if m.exact and m.place.kind == "country"
    ]


def _is_country(gazetteer: Gazetteer, name: str) -> bool:
    return bool(_countries(gazetteer, name))


def _score(match: Match, toponym: Toponym, context: Context, within: Place | None) -> float | None:
    place = match.place
    home = context.focus is not None and place.country == context.focus
    if within is not None:
        if not _inside(place, within):
            return None
        home = True
    if not match.exact and (not home or toponym.guessed or not _framed(toponym)):
        return None  # a loose spelling only counts at home, for a name framed as a place
    initials = toponym.text.replace(".", "")
    if initials.isupper() and len(initials) <= 3 and place.kind != "country":
        return None  # "US", "U.K.": a country's initials, not a village called Us
    if toponym.kind in {"neighbourhood", "district"} and not home and context.focus:
        return None  # a neighbourhood named like a city abroad is a neighbourhood here
    fit = _kind_fit(place.kind, toponym.kind)
    named_area = place.kind == "admin1" and toponym.kind == "admin1"
    # A small place abroad is not meant, nor a small place for a capitalised word that
    # only its preposition made a candidate ("in Union address").
    unlikely = (context.focus or toponym.guessed) and not home and not named_area
    if unlikely and place.kind != "country" and place.population < FOREIGN_MIN_POPULATION:
        return None
    score = math.log10(place.population + 10)
    score += NAMED_BONUS if _is_named(place, toponym.text) else 0
    score += 4 if home else 0
    if not home and place.kind == "city" and place.population >= WORLD_CITY_POPULATION:
        score += WORLD_CITY_BONUS if _is_named(place, toponym.text) else 0
    score -= 0 if match.exact else 2
    if place.kind != "admin1" and (place.country, place.admin1) in context.areas:
        score += 3
    return score + fit


def _framed(toponym: Toponym) -> bool:
    return bool(toponym.kind or toponym.within or toponym.locative)


def _kind_fit(kind: str, wanted: str | None) -> float:
    """How well a candidate's kind fits what the words ask for ("province" -> admin1)."""
    if wanted is None:
        return 3.0 if kind == "country" else 0.0  # a bare name is a country when it can be
    if kind == wanted:
        return 5.0
    if wanted in {"district", "neighbourhood", "city"} and kind in {"city", "district"}:
        return 0.0
    return -4.0


def _inside(place: Place, area: Place) -> bool:
    if place.country != area.country or place.gazetteer_id == area.gazetteer_id:
        return False
    if area.kind == "country":
        return True
    return (
        bool(area.admin1)
        and place.admin1 == area.admin1
        and SPECIFICITY.get(place.kind, 3) > SPECIFICITY.get(area.kind, 3)
    )


@dataclass(slots=True)
class Resolved:
    toponym: Toponym
    place: Place


def resolve_all(
    gazetteer: Gazetteer, toponyms: list[Toponym], context: Context
) -> tuple[list[Resolved], list[Toponym]]:
    """Resolve each name (containers first, so "X, a neighbourhood of Homs" is looked up
    inside Homs); returns the resolved and the unresolved."""
    resolved: list[Resolved] = []
    unresolved: list[Toponym] = []
    by_text: dict[str, Place | None] = {}
    for toponym in toponyms:
        container = None
        if toponym.within:
            outer = next((t for t in toponyms if t.text == toponym.within), None)
            if outer is not None:
                container = resolve(gazetteer, outer, context)
        cache_key = f"{toponym.text}|{toponym.kind}|{container.gazetteer_id if container else ''}"
        if cache_key not in by_text:
            # The text says where it lies: nothing outside that place will do.
            by_text[cache_key] = resolve(gazetteer, toponym, context, within=container)
        place = by_text[cache_key]
        if place is None:
            if not toponym.guessed:
                unresolved.append(toponym)
        else:
            resolved.append(Resolved(toponym, place))
    return resolved, unresolved


def event_location(
    gazetteer: Gazetteer,
    text: str,
    spans: list[tuple[int, int]],
    anchor: int,
    resolved: list[Resolved],
    unresolved: list[Toponym],
    *,
    paragraphs: list[tuple[int, int]],
    headline: list[Resolved],
    context: Context,
) -> dict[str, Any] | None:
    """The event's place as the contract's ``location`` dict, or None when nothing is known."""
    places = [
        r
        for r in resolved
        if r.toponym.role == "place" and not (r.toponym.modifier and r.place.kind == "country")
    ]
    own: dict[str, Any] | None = None
    for start, end in spans:
        here = [r for r in places if start <= r.toponym.start < end]
        if here:
            best = _nearest(here, anchor if start <= anchor < end else start, text)
            words = _finer_words(best, unresolved, start, end)
            own = location_dict(gazetteer, best.place, words or best.toponym.text, "event")
            break
    if own is not None and own["precision"] != "country":
        return own
    # "attacks in Afghanistan": a finer place there, if the article says where; an event
    # with no place of its own: one in the article's focus country.
    country = own["country"] if own is not None else context.focus
    fallback = _fallback(
        gazetteer, spans, places, paragraphs=paragraphs, headline=headline, country=country
    )
    if fallback is not None or own is not None:
        return fallback or own
    if context.focus:
        country = gazetteer.country(context.focus)
        if country is not None:
            return location_dict(gazetteer, country, "", "country")
    return None


def _fallback(
    gazetteer: Gazetteer,
    spans: list[tuple[int, int]],
    places: list[Resolved],
    *,
    paragraphs: list[tuple[int, int]],
    headline: list[Resolved],
    country: str | None,
) -> dict[str, Any] | None:
    """A place for an event whose own sentences name none finer than a country: one in
    ``country`` when it is known."""
    if country is not None:
        places = [r for r in places if r.place.country == country]
        headline = [r for r in headline if r.place.country == country]
    finer = [r for r in places if r.toponym.locative and r.place.kind != "country"]
    if spans:
        first = spans[0][0]
        paragraph = next(((a, b) for a, b in paragraphs if a <= first < b), (first, first))
        before = [
            r
            for r in finer
            if paragraph[0] <= r.toponym.start < first and first - r.toponym.start <= CONTEXT_CHARS
        ]
        if before:
            best = _nearest(before, first)
            return location_dict(gazetteer, best.place, best.toponym.text, "context")
    named = [r for r in headline if r.place.kind != "country"]
    if named:
        best = _most_specific(named)
        return location_dict(gazetteer, best.place, best.toponym.text, "headline")
    if finer:
        # The lead's place: news tells where first, then what else happened there.
        best = _nearest(finer, finer[0].toponym.start)
        return location_dict(gazetteer, best.place, best.toponym.text, "lead")
    if headline:
        best = _most_specific(headline)
        return location_dict(gazetteer, best.place, best.toponym.text, "headline")
    return None


def article_location(
    gazetteer: Gazetteer, resolved: list[Resolved], headline: list[Resolved], context: Context
) -> dict[str, Any] | None:
    """Where the article as a whole is about: the headline's place, else its lead's, else
    its focus country (see ``locate.locate_article``)."""
    # "UK newspaper denounces arrests in US": a country naming whose paper it is, not where.
    titled = [r for r in headline if not (r.toponym.modifier and r.place.kind == "country")]
    if titled:
        best = max(
            titled,
            key=lambda r: (r.toponym.locative, SPECIFICITY.get(r.place.kind, 3), -r.toponym.start),
        )
        if best.place.kind != "country":
            return location_dict(gazetteer, best.place, best.toponym.text, "headline")
        # "Nigeria: journalist arrested": where in it, if the article says.
        lead = _lead_place(resolved, best.place.country)
        if lead is not None:
            return location_dict(gazetteer, lead.place, lead.toponym.text, "lead")
        return location_dict(gazetteer, best.place, best.toponym.text, "headline")
    lead = _lead_place(resolved, context.focus)
    if lead is not None:
        return location_dict(gazetteer, lead.place, lead.toponym.text, "lead")
    country = gazetteer.country(context.focus) if context.focus else None
    return location_dict(gazetteer, country, "", "country") if country is not None else None


def _lead_place(resolved: list[Resolved], country: str | None) -> Resolved | None:
    """The first place finer than a country the article names "in", "near"... (in
    ``country`` when it is known)."""
    named = [
        r
        for r in resolved
        if r.toponym.role == "place"
        and r.toponym.locative
        and r.place.kind != "country"
        and (country is None or r.place.country == country)
    ]
    return min(named, key=lambda r: r.toponym.start, default=None)


def _nearest(candidates: list[Resolved], anchor: int, text: str = "") -> Resolved:
    """The place named in the trigger's clause ("as well as the massacre in Homs, a car
    bomb exploded in Deraa": Deraa), else the nearest, a locative one first ("in X");
    refined by a finer place said to lie in it ("Karm Zeitoun ... in Homs")."""
    start, end = _clause(text, anchor)
    best = min(
        candidates,
        key=lambda r: (
            not start <= r.toponym.start < end,
            not r.toponym.locative,
            abs(r.toponym.start - anchor),
        ),
    )
    finer = [r for r in candidates if _inside(r.place, best.place)]
    return _most_specific(finer) if finer else best


def _clause(text: str, anchor: int) -> tuple[int, int]:
    """The stretch around ``anchor`` between commas, semicolons, colons or dashes."""
    if not text:
        return anchor, anchor
    start = max(text.rfind(mark, 0, anchor) for mark in CLAUSE_MARKS) + 1
    ends = [i for i in (text.find(mark, anchor) for mark in CLAUSE_MARKS) if i >= 0]
    return start, min(ends, default=len(text))


def _most_specific(candidates: list[Resolved]) -> Resolved:
    """The finest place named; between equals, a locative one ("in X"), then the first."""
    return max(
        candidates,
        key=lambda r: (
            SPECIFICITY.get(r.place.kind, 3),
            r.toponym.locative,
            -r.toponym.start,
        ),
    )


def _finer_words(best: Resolved, unresolved: list[Toponym], start: int, end: int) -> str | None:
    """A finer place the gazetteer lacks, said to lie in the chosen one ("Karm Zeitoun, a
    neighbourhood of Homs"; "Andar district, Ghazni province")."""
    coarse = SPECIFICITY.get(best.place.kind, 3) <= SPECIFICITY["admin1"]
    for toponym in unresolved:
        if not (start <= toponym.start < end and toponym.role == "place"):
            continue
        finer = toponym.kind in {"district", "neighbourhood", "city"}
        if toponym.within == best.toponym.text or (finer and coarse):
            return toponym.text
    return None


def location_dict(gazetteer: Gazetteer, place: Place, text: str, basis: str) -> dict[str, Any]:
    """A place as the contract's ``location``."""
    area = gazetteer.admin1(place.country, place.admin1) if place.kind != "country" else None
    return {
        "name": place.name,
        "admin1": area.name if area is not None else None,
        "country": place.country,
        "lat": round(place.lat, 5),
        "lon": round(place.lon, 5),
        "gazetteer_id": place.gazetteer_id,
        "precision": place.kind if place.kind in SPECIFICITY else "point",
        "text": text,
        "basis": basis,
    }
