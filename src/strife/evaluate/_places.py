"""Place names as the gold of an evaluation set writes them, and as a baseline finds them.

The evaluations that score places (isaf, fakes, hrdsattack) compare admin-1 areas by
``locate.admin1_key`` and countries by ``locate.country_code``, so that spellings
agree ("Paktya", "Paktiya province"; "USA", "People's Republic of China"). The
baselines beside strife take the first such name the page gives.
"""

from __future__ import annotations

import re

#: A baseline skips shorter names and these words: the gazetteer's alternate names
#: include letters and numerals ("A", "Nine") that open sentences.
MIN_NAME_CHARS = 4
NOT_PLACES = frozenset({"nine", "seven", "three", "four", "five", "eight", "some", "many"})
#: Capitalised runs of up to three words: the candidates a baseline looks a name up among.
_POSSESSIVE = re.compile(r"['’]s$")
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’-]*){0,2}")


def country_key(name: str) -> str | None:
    """ISO 3166-1 alpha-2 for a country name, or None when it names no single country."""
    from strife.locate import country_code

    cleaned = " ".join(name.replace("’", "'").split())
    if not cleaned:
        return None
    return country_code(cleaned)


def admin1_of(name: str, country: str) -> str | None:
    """The admin-1 key of a name in a country (``locate.admin1_key``), None if unknown."""
    from strife.locate import admin1_key

    cleaned = " ".join(name.split())
    return admin1_key(cleaned, country) if cleaned else None


def first_country(page: str) -> str | None:
    """The first country the page names (a capitalised run, or its first words)."""
    for match in _NAME.finditer(page):
        words = match.group(0).split()
        for size in range(len(words), 0, -1):
            code = country_key(_POSSESSIVE.sub("", " ".join(words[:size])))
            if code:
                return code
    return None


def first_admin1(page: str, country: str) -> str | None:
    """The first admin-1 area of ``country`` the page names."""
    for match in _NAME.finditer(page):
        words = match.group(0).split()
        for size in range(len(words), 0, -1):
            name = _POSSESSIVE.sub("", " ".join(words[:size]))
            if len(name) < MIN_NAME_CHARS or name.lower() in NOT_PLACES:
                continue
            key = admin1_of(name, country)
            if key:
                return key
    return None
