"""The locate stage: every event gets a place, with its admin-1 area, country and precision.

- ``names.py``: place names as lookup keys (accents, apostrophes, transliterations);
- ``gazetteer.py``: the SQLite gazetteer, built once from PyPI data, plus GeoNames dumps;
- ``toponyms.py``: place names in a parsed text, with the role the sentence gives them;
- ``resolve.py``: names -> places (focus country, enclosing areas, kinds), each event's place.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from strife.document import Document, Problem
from strife.locate.gazetteer import Gazetteer, open_gazetteer
from strife.locate.names import strip_area_words
from strife.locate.resolve import (
    Context,
    article_context,
    event_location,
    location_dict,
    resolve_all,
)
from strife.locate.toponyms import DATELINE, Toponym, datelines, find_toponyms
from strife.settings import Settings

NAME = "locate"
#: ``admin1_key`` tries loose spellings ("Paktya") only for names this long.
LOOSE_MIN_CHARS = 4
VERSION = "1"


class LocateStage:
    """The locate stage as a pipeline component."""

    name: str = NAME
    version: str = VERSION
    requires: tuple[str, ...] = ("article", "parsed", "events")
    assigns: tuple[str, ...] = ("events",)

    def __call__(self, document: Document, *, settings: Settings) -> Document:
        return locate_document(document, settings=settings)


def locate_document(document: Document, *, settings: Settings) -> Document:
    """Fill ``location`` on every event of the document."""
    if document.article is None or not document.events:
        return document
    gazetteer = open_gazetteer(settings)
    text = document.article.text
    toponyms = [t for offset, doc in document.parsed for t in find_toponyms(doc, offset=offset)]
    for start, end in datelines(text):  # where the story was filed, not where it happened
        for toponym in toponyms:
            if start <= toponym.start < end:
                toponym.role = "dateline"
    headline = _headline_toponyms(document.article.title)
    context = article_context(gazetteer, toponyms + headline)
    resolved, unresolved = resolve_all(gazetteer, toponyms, context)
    headline_places = [
        r for r in resolve_all(gazetteer, headline, context)[0] if r.toponym.role == "place"
    ]
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]*)*", text)]
    for event in document.events:
        first = event.spans[0] if event.spans else (0, 0)
        anchor = text.find(event.trigger, *first) if event.trigger else first[0]
        event.location = event_location(
            gazetteer,
            text,
            event.spans,
            anchor if anchor >= 0 else first[0],
            resolved,
            unresolved,
            paragraphs=paragraphs,
            headline=headline_places,
            context=context,
        )
        if event.location is None:
            document.problems.append(
                Problem("W501", NAME, f"no place was found for event {event.id}", None)
            )
    return document


def _headline_toponyms(title: str | None) -> list[Toponym]:
    if not title or DATELINE.match(title):
        return []  # a dateline taken for a title names where the story was filed
    from strife.read import load_nlp

    # Offsets before any article offset: headline names never fall inside an event's spans.
    return [replace(t, start=-1, end=-1) for t in find_toponyms(load_nlp()(title))]


def locate_text(
    text: str, *, settings: Settings, country: str | None = None
) -> list[dict[str, Any]]:
    """Every place named in a short text, resolved, as ``location`` dicts in text order.

    ``country`` (ISO alpha-2) is the focus country; without it, the text's own names decide.
    """
    from strife.read import load_nlp

    gazetteer = open_gazetteer(settings)
    toponyms = find_toponyms(load_nlp()(text))
    context = article_context(gazetteer, toponyms)
    if country:
        context.focus = country.upper()
    resolved, unresolved = resolve_all(gazetteer, toponyms, context)
    found = [location_dict(gazetteer, r.place, r.toponym.text, r.toponym.role) for r in resolved]
    found += [{"text": t.text, "basis": t.role, "gazetteer_id": None} for t in unresolved]
    return found


def admin1_key(name: str, country: str, *, settings: Settings | None = None) -> str | None:
    """A stable id ("AF.36") for any known spelling of an admin-1 area of ``country``.

    "Paktia", "Paktya" and "Paktiya province" give the same id; a governorate named by
    its capital city ("Deir ezzor", "Hasakeh") gives that city's area.
    """
    gazetteer = open_gazetteer(settings or Settings())
    wanted = strip_area_words(name)
    matches = [m for m in gazetteer.lookup(wanted) if m.place.country == country]
    if any(m.exact for m in matches) or len(wanted) < LOOSE_MIN_CHARS:
        matches = [m for m in matches if m.exact]  # a loose spelling only for a real name
    for wanted in ("admin1", "city"):
        for match in matches:
            if match.place.kind == wanted and match.place.admin1:
                return f"{country}.{match.place.admin1}"
    return None


def country_code(name: str, *, settings: Settings | None = None) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country name ("Syria", "People's Republic of China")."""
    import pycountry

    gazetteer: Gazetteer = open_gazetteer(settings or Settings())
    for match in gazetteer.lookup(name):
        if match.exact and match.place.kind == "country":
            return match.place.country
    try:
        record = pycountry.countries.lookup(name.strip())
    except LookupError:
        return None
    return str(record.alpha_2)


__all__ = [
    "Context",
    "LocateStage",
    "admin1_key",
    "country_code",
    "locate_document",
    "locate_text",
]
