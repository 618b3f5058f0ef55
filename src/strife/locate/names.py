"""Place names as lookup keys: one spelling for the many a name is written in.

Two keys per name. The exact key drops accents, apostrophes, spaces and letter
case ("Dar‘ā", "Dar'a" and "DARA" give ``dara``; "Deir ez-Zor" and "Deir Ezzor" give
``deirezzor``). The *skeleton* key also drops the
Arabic article and the vowels, so transliteration variants meet ("Deraa",
"Daraa" and "Dar'a" all give ``dr``; "Karm el-Zeitoun" and "Karm az Zaytun" give
``krmztn``). The skeleton is loose by design: it is only tried when no folded
key matches, and its matches are scored lower (see ``resolve.py``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Apostrophes and the letters that transliterate ayn and hamza: dropped, not spaced.
_GLOTTAL = re.compile(r"['’‘`ʿʾʼ´]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
#: The Arabic article in its transliterations, as a word of its own after hyphens are spaces.
_ARTICLE = frozenset(
    {"al", "el", "ad", "adh", "ar", "as", "ash", "at", "ath", "az", "an", "ed", "es", "et", "ez"}
)
#: Vowels and the half-vowels that transliterations add or drop ("Khowst", "Khost").
_SOFT = re.compile(r"[aeiouyw]")
#: Common English names that neither package lists as a spelling of the country.
ENGLISH_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("US", "U.S.", "USA", "U.S.A.", "America", "United States"),
    "GB": (
        "UK",
        "U.K.",
        "Britain",
        "Great Britain",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
    ),
    "AE": ("UAE", "U.A.E."),
    "CD": ("DRC", "DR Congo", "Democratic Republic of Congo"),
    "CI": ("Ivory Coast",),
    "MM": ("Burma",),
    "PS": ("Palestinian territories", "Palestinian Territories"),
    "KR": ("South Korea",),
    "KP": ("North Korea",),
    "CZ": ("Czech Republic",),
    "TR": ("Turkey",),
}
#: Words that say which part of a place, not which place ("Eastern Ghouta", "rural Homs").
DIRECTIONS = frozenset(
    {"east", "west", "north", "south", "eastern", "western", "northern", "southern",
     "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
     "southeastern", "southwestern", "ne", "nw", "se", "sw", "central", "rural", "greater"}
)  # fmt: skip
#: Continents and world regions: wider than any country, so no place of the gazetteer
#: ("in Africa" is not the Mexican village of África).
WIDE_REGIONS = frozenset(
    {"africa", "asia", "europe", "america", "americas", "latin america", "south america",
     "north america", "central america", "middle east", "oceania", "antarctica", "caribbean",
     "sahel", "balkans", "west africa", "east africa", "north africa", "southern africa",
     "sub saharan africa", "horn of africa", "southeast asia", "south asia", "central asia",
     "east asia", "western europe", "eastern europe", "scandinavia", "arctic"}
)  # fmt: skip
#: Words that end the name of a natural feature: "Niger Delta" is not Niger, nor the
#: "Jordan Valley" Jordan.
FEATURE_WORDS = frozenset(
    {"delta", "river", "valley", "basin", "sea", "gulf", "coast", "lake", "mountains",
     "hills", "island", "islands", "peninsula", "desert", "strait", "plateau", "ocean"}
)  # fmt: skip
#: Words that say what kind of area a name is, not which one ("Helmand province").
AREA_WORDS = frozenset(
    {
        "province", "governorate", "state", "region", "district", "county", "oblast",
        "prefecture", "department", "municipality", "muhafazah", "wilayah", "velayat",
        "city", "town", "village", "neighbourhood", "neighborhood", "suburb", "quarter",
        "emirate", "territory", "division", "parish", "canton", "voivodeship", "raion",
    }
)  # fmt: skip


def fold(name: str) -> str:
    """Lower case, no accents, no apostrophes, words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = _GLOTTAL.sub("", plain.lower())
    return _NON_WORD.sub(" ", plain).strip()


def key(name: str) -> str:
    """The exact lookup key: the folded name without spaces ("Deir ez-Zor", "Deir Ezzor")."""
    return fold(name).replace(" ", "")


def skeleton(name: str) -> str:
    """The folded name without articles, vowels, doubled letters or spaces: a loose key."""
    words = [w[0] + _SOFT.sub("", w[1:]) for w in fold(name).split() if w not in _ARTICLE]
    return re.sub(r"(.)\1+", r"\1", "".join(words))


def strip_area_words(name: str) -> str:
    """ "Helmand Province" -> "Helmand"; a name that is only such a word stays."""
    words = fold(name).split()
    kept = [word for word in words if word not in AREA_WORDS and word != "of"]
    return " ".join(kept) if kept else " ".join(words)


def is_wide_region(name: str) -> bool:
    """A continent or world region ("Africa", "the Middle East"), wider than a country."""
    return fold(re.sub(r"^(?i:the)\s+", "", name.strip())) in WIDE_REGIONS


def is_latin(name: str) -> bool:
    """A name an English text could contain: Latin letters once accents are gone."""
    return bool(fold(name))


#: Endings that make a country's name an adjective ("Syrian", "Iraqi", "Lebanese").
_DEMONYM_ENDING = re.compile(r"(?:ian|ean|an|ese|i|ish|n)$")


def is_demonym(word: str) -> bool:
    """A country's adjective ("Syrian", "Iraqi", "Afghan", "Turkish"), not a place.

    The word, less its ending, begins a country's name; a country's own name ("Jordan",
    "Iran") is not a demonym.
    """
    folded = fold(word)
    if " " in folded or not _DEMONYM_ENDING.search(folded) or folded in _country_names():
        return False
    stems = {_DEMONYM_ENDING.sub("", folded), folded[:-1]}
    return any(
        len(stem) >= 4 and any(name.startswith(stem) for name in _country_names()) for stem in stems
    )


def is_country_name(name: str) -> bool:
    """A country's name as pycountry or common English gives it ("Saudi Arabia", "UK")."""
    return fold(name) in _country_names()


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    import pycountry

    names = {fold(n) for aliases in ENGLISH_NAMES.values() for n in aliases}
    for country in pycountry.countries:
        names |= {fold(getattr(country, k, "") or "") for k in ("name", "common_name")}
    return frozenset(name for name in names if name)
