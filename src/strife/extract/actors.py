"""Actors: who did it and to whom, normalised to the contract's kinds.

Takes the words a text uses for an actor ("regime militias", "Shia Alawi
paramilitaries loyal to President Bashar al-Assad", "gunmen") and returns its
kind (``pro_government_militia``, ``unidentified_armed_group``...). The table is
ordered: the first matching cue wins, so specific cues ("militias loyal to the
president") come before general ones ("militias"). Victims' composition
("women and children", "civilians") is read the same way.
"""

from __future__ import annotations

import re

#: (cue, kind), most specific first. Cues are matched case-insensitively on word boundaries.
ACTOR_CUES: tuple[tuple[str, str], ...] = (
    # Militias fighting for a government (ACLED: pro-government militias).
    (
        r"(regime|loyalist|pro-?government|pro-?regime|government-?backed|state-?backed)"
        r"[\w\s-]{0,30}(militia|militiamen|paramilitar|gangs?|thugs|fighters)",
        "pro_government_militia",
    ),
    (
        r"(militia|militiamen|paramilitar\w*|gangs?)[\w\s,-]{0,40}"
        r"\b(loyal to|backing|backed by)[\w\s-]{0,15}\b(president|regime|government|assad)",
        "pro_government_militia",
    ),
    (
        r"shabiha|janjaweed|popular mobilisation|popular mobilization|hashd",
        "pro_government_militia",
    ),
    # Foreign forces.
    (
        r"coalition|nato|isaf|foreign (troops|forces)|peacekeep\w*|(us|u\.s\.|american|russian|"
        r"turkish|israeli|iranian|french|british|saudi)(-led)?[\w\s-]{0,12}(forces|troops|jets|"
        r"warplanes|aircraft|drones?|military|army|soldiers)",
        "external_forces",
    ),
    # Rebels, insurgents and jihadist groups.
    (
        r"rebels?|insurgents?|opposition (fighters|forces|groups?)|free syrian army|\bfsa\b|"
        r"taliban|islamic state|\bisis\b|\bisil\b|daesh|al-?qaeda|al-?shabaa?b|boko haram|"
        r"jihadists?|militants?|hezbollah|houthis?|nusra|guerrillas?|separatists?|haqqani",
        "rebel_group",
    ),
    # Communal militias.
    (
        r"(tribal|ethnic|clan|communal|vigilante|self-defen[cs]e)[\w\s-]{0,10}(militia|fighters|"
        r"groups?|gunmen)|herders|cattle raiders",
        "identity_militia",
    ),
    (r"(party|political)[\w\s-]{0,10}(militia|supporters|thugs)", "political_militia"),
    # State forces.
    (
        r"army|troops|soldiers|military|security forces|government forces|regime forces|"
        r"police|policemen|officers|gendarm\w*|air force|warplanes|jets|helicopters|"
        r"national guard|special forces|border guards|intelligence (services|agents)",
        "state_forces",
    ),
    # Armed men nobody names.
    (
        r"gunmen|armed men|assailants|attackers|unknown|unidentified|terrorists?|bombers?|"
        r"kidnappers|abductors|militias?|militiamen|paramilitar\w*|gangs?",
        "unidentified_armed_group",
    ),
    (r"protesters|demonstrators|marchers|activists", "protesters"),
    (r"rioters|mobs?", "rioters"),
    (
        r"united nations|\bun\b|unicef|ocha|who\b|red cross|red crescent|african union|"
        r"european union",
        "international_organization",
    ),
    (r"government|ministry|minister|president|officials", "government"),
    (
        r"civilians?|residents|villagers|families|famil(y|ies)|women|children|men\b|people|"
        r"worshippers|students|farmers|passengers|shoppers|patients|refugees|journalists|"
        r"aid workers|teachers|doctors|pupils|girls|boys|mothers|infants|babies|elderly",
        "civilians",
    ),
)
_COMPILED = tuple((re.compile(rf"\b(?:{cue})", re.I), kind) for cue, kind in ACTOR_CUES)
#: Words for victims' composition, as reported (ACLED and UCDP report women and children).
VICTIM_GROUPS = {
    "women": re.compile(r"\b(women|woman|mothers|girls)\b", re.I),
    "children": re.compile(r"\b(children|child|kids|boys|girls|infants|babies|minors)\b", re.I),
    "civilians": re.compile(
        r"\b(civilians?|residents|villagers|families|worshippers|shoppers|passengers|"
        r"students|pupils|patients|farmers|women|children|mothers|infants|babies)\b",
        re.I,
    ),
    "men": re.compile(r"\b(men)\b", re.I),
}


#: Actor kinds that are one side of a conflict: sources that blame "the army" and "the
#: government" do not disagree about who did it.
SIDES = {"state_forces": "state", "government": "state"}


def side(kind: str) -> str:
    """The side an actor kind is on (the kind itself, but for the state's several kinds)."""
    return SIDES.get(kind, kind)


def classify_actor(text: str) -> str | None:
    """The kind of actor these words name, or ``None`` when no cue matches."""
    for pattern, kind in _COMPILED:
        if pattern.search(text):
            return kind
    return None


def victim_groups(text: str) -> list[str]:
    """The victim groups these words name ("women", "children", "civilians", "men")."""
    return [group for group, pattern in VICTIM_GROUPS.items() if pattern.search(text)]
