"""The locate stage: every event gets a place, with its admin-1 area, country and precision.

- ``names.py``: place names as lookup keys (accents, apostrophes, transliterations);
- ``gazetteer.py``: the SQLite gazetteer, built once from PyPI data, plus GeoNames dumps;
- ``toponyms.py``: place names in a parsed text, with the role the sentence gives them;
- ``resolve.py``: names -> places (focus country, enclosing areas, kinds), each event's place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from strife.document import Document, Problem
from strife.locate.gazetteer import Gazetteer, open_gazetteer
from strife.locate.names import is_country_name, strip_area_words
from strife.locate.resolve import (
    Context,
    Resolved,
    article_context,
    article_location,
    event_location,
    location_dict,
    resolve_all,
)
from strife.locate.toponyms import (
    DATELINE,
    LOCATIVE,
    Toponym,
    dateline_place,
    datelines,
    find_framed_toponyms,
    find_toponyms,
)
from strife.settings import Settings

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc

NAME = "locate"
#: spaCy components a headline is read without.
HEADLINE_SKIPS = ["parser"]
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

    def pipe(self, documents: list[Document], *, settings: Settings) -> Iterator[Document]:
        """The batch's headlines parsed in one ``nlp.pipe`` run, then each document."""
        from strife.read import load_nlp

        titles = [_title(document) for document in documents]
        # Names and their roles in a headline need no parse tree (a fifth of the time).
        parsed = iter(load_nlp().pipe([t for t in titles if t], disable=HEADLINE_SKIPS))
        for document, title in zip(documents, titles, strict=True):
            headline = next(parsed) if title else None
            yield locate_document(document, settings=settings, headline=headline)


def _unparsed(text: str, parsed: list[tuple[int, SpacyDoc]]) -> list[tuple[int, int]]:
    """The stretches of ``text`` no parsed passage covers."""
    gaps, position = [], 0
    for offset, doc in sorted(parsed, key=lambda item: item[0]):
        if offset > position:
            gaps.append((position, offset))
        position = max(position, offset + len(doc.text))
    if position < len(text):
        gaps.append((position, len(text)))
    return gaps


def _title(document: Document) -> str:
    """The headline worth parsing for places: none for a page without events."""
    article = document.article
    if article is None or not document.events or not article.title:
        return ""
    return "" if DATELINE.match(article.title) else article.title


@dataclass(slots=True)
class _ArticlePlaces:
    """What the whole article says about where it is, resolved once for all its events."""

    context: Context
    resolved: list[Resolved]
    unresolved: list[Toponym]
    #: The headline's places in a place role ("Clashes in Idlib").
    headline: list[Resolved]


def _article_places(
    document: Document, gazetteer: Gazetteer, headline: SpacyDoc | None
) -> _ArticlePlaces:
    assert document.article is not None
    text = document.article.text
    toponyms = [t for offset, doc in document.parsed for t in find_toponyms(doc, offset=offset)]
    # Paragraphs the read stage skipped (no word of violence) still say where: "an
    # operation in Tarin Kwot district, Uruzgan province". Their framed names are read
    # from the words alone.
    for start, end in _unparsed(text, document.parsed):
        toponyms += find_framed_toponyms(text[start:end], offset=start)
    for start, end in datelines(text):  # where the story was filed, not where it happened
        for toponym in toponyms:
            if start <= toponym.start < end:
                toponym.role = "dateline"
    # A dateline in capitals ("MBABANE (Reuters) -") is rarely an entity to spaCy; its
    # city still says which country the story is about.
    filed = [dateline_place(text[start:end]) for start, end in datelines(text)]
    toponyms += [Toponym(name, -1, -1, role="dateline", guessed=True) for name in filed if name]
    headline_names = _headline_toponyms(headline)
    context = article_context(gazetteer, toponyms + headline_names)
    resolved, unresolved = resolve_all(gazetteer, toponyms, context)
    headline_places = [
        r for r in resolve_all(gazetteer, headline_names, context)[0] if r.toponym.role == "place"
    ]
    return _ArticlePlaces(context, resolved, unresolved, headline_places)


def _parse_title(title: str) -> SpacyDoc | None:
    from strife.read import load_nlp

    return load_nlp()(title, disable=HEADLINE_SKIPS) if title else None


def locate_document(
    document: Document, *, settings: Settings, headline: SpacyDoc | None = None
) -> Document:
    """Fill ``location`` on every event of the document (``headline``: its title, parsed)."""
    if document.article is None or not document.events:
        return document
    gazetteer = open_gazetteer(settings)
    text = document.article.text
    if headline is None:
        headline = _parse_title(_title(document))
    found = _article_places(document, gazetteer, headline)
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]*)*", text)]
    for event in document.events:
        first = event.spans[0] if event.spans else (0, 0)
        anchor = text.find(event.trigger, *first) if event.trigger else first[0]
        event.location = event_location(
            gazetteer,
            text,
            event.spans,
            anchor if anchor >= 0 else first[0],
            found.resolved,
            found.unresolved,
            paragraphs=paragraphs,
            headline=found.headline,
            context=found.context,
        )
        if event.location is None:
            document.problems.append(
                Problem("W501", NAME, f"no place was found for event {event.id}", None)
            )
    return document


def locate_article(document: Document, *, settings: Settings) -> dict[str, Any] | None:
    """Where the article as a whole is about, as a ``location`` dict, or None.

    For an answer per article when no event says where (an op-ed, a court story,
    a statement): the headline's place, a locative one first ("... in Kenya";
    ``basis`` ``headline``), a country refined by the first finer place the
    article names "in", "near"... there (``lead``); without one in the headline,
    that first place in the focus country (``lead``), else the focus country
    (``country``). Not written on any event.
    """
    if document.article is None:
        return None
    gazetteer = open_gazetteer(settings)
    title = document.article.title or ""
    found = _article_places(
        document, gazetteer, _parse_title("" if DATELINE.match(title) else title)
    )
    return article_location(gazetteer, found.resolved, found.headline, found.context)


def _headline_toponyms(headline: SpacyDoc | None) -> list[Toponym]:
    if headline is None:
        return []
    title = headline.text
    # Offsets before any article offset: headline names never fall inside an event's spans.
    found = [replace(t, start=-1, end=-1) for t in find_toponyms(headline)]
    named = {t.text for t in found}
    # spaCy misses names in title-cased headlines ("Bahrain: Youngest Political Prisoner
    # Released"); a country's name there is taken whatever spaCy says.
    for match in re.finditer(r"[A-Z][\w.’'-]*(?:\s+(?:of\s+)?[A-Z][\w.’'-]*){0,3}", title):
        words = re.sub(r"['’]s$", "", match.group()).split()
        for size in range(len(words), 0, -1):
            name = " ".join(words[:size])
            if is_country_name(name) and name not in named:
                # "DR Congo", which spaCy split into "DR" and "Congo": the whole name only.
                found = [t for t in found if f" {t.text} " not in f" {name} "]
                before = title[: match.start()].split()
                locative = bool(before) and before[-1].lower() in LOCATIVE
                found.append(Toponym(name, -1, -1, locative=locative))
                break
    return found


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
    "locate_article",
    "locate_document",
    "locate_text",
]
