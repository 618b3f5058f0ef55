"""The Document that flows through every stage, and its parts.

The loader creates a Document from a page (its bytes and where they came from);
each stage fills its own fields and returns the same object. ``to_dict`` and
``from_dict`` are the ``strife/1`` contract (see ``docs/contract.md``) and the
wire format between processes: dates travel as ISO-8601 strings and come back
as ``date``/``datetime`` objects with their offset.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

SCHEMA = "strife/1"


@dataclass(slots=True)
class Problem:
    """Something a stage noticed on one document and worked around."""

    code: str
    stage: str
    message: str
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "stage": self.stage,
            "message": self.message,
            "span": list(self.span) if self.span else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        span = data.get("span")
        return cls(data["code"], data["stage"], data["message"], tuple(span) if span else None)


@dataclass(slots=True)
class Caption:
    """A photo caption moved out of the body, with its credit."""

    text: str
    credit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "credit": self.credit}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Caption:
        return cls(data["text"], data.get("credit"))


@dataclass(slots=True)
class Article:
    """The clean article: body text and metadata, with the chrome kept aside."""

    text: str = ""
    title: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    published: datetime | date | None = None
    language: str | None = None
    captions: list[Caption] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "authors": list(self.authors),
            "publisher": self.publisher,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "text": self.text,
            "captions": [caption.to_dict() for caption in self.captions],
            "boilerplate": list(self.boilerplate),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(
            text=data.get("text", ""),
            title=data.get("title"),
            subtitle=data.get("subtitle"),
            authors=list(data.get("authors", [])),
            publisher=data.get("publisher"),
            published=_parse_iso(data.get("published")),
            language=data.get("language"),
            captions=[Caption.from_dict(c) for c in data.get("captions", [])],
            boilerplate=list(data.get("boilerplate", [])),
        )


@dataclass(slots=True)
class Source:
    """Who gives a fact: an organisation, a person speaking for one, or the outlet itself."""

    id: str
    name: str
    kind: str
    person: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "person": self.person}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        return cls(data["id"], data["name"], data["kind"], data.get("person"))

    @staticmethod
    def name_key(name: str) -> str:
        """What two spellings of one source share: "The  Observatory" is "observatory"."""
        return re.sub(r"\s+", " ", re.sub(r"^(the|a|an)\s+", "", name.strip().lower()))


@dataclass(slots=True)
class Claim:
    """One fact as one source states it, tied to the words that state it.

    ``start``/``end`` are character offsets into ``article.text`` and ``text``
    is that slice. For figures, ``value`` is the stated number (``None`` for a
    vague word) and ``low``/``high`` the bounds the wording allows; for a
    perpetrator or victims, ``value`` is the actor's normalised kind.
    """

    source: str
    property: str
    value: int | str | None
    text: str
    start: int
    end: int
    low: int | None = None
    high: int | None = None
    qualifier: str | None = None
    hedge: str = "asserted"

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "property": self.property,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "qualifier": self.qualifier,
            "hedge": self.hedge,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Claim:
        return cls(
            source=data["source"],
            property=data["property"],
            value=data.get("value"),
            text=data["text"],
            start=data["start"],
            end=data["end"],
            low=data.get("low"),
            high=data.get("high"),
            qualifier=data.get("qualifier"),
            hedge=data.get("hedge", "asserted"),
        )


@dataclass(slots=True)
class Actor:
    """A perpetrator, victim or target as the text names it, with its normalised kind."""

    role: str
    text: str
    kind: str | None
    country: str | None = None
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "text": self.text,
            "kind": self.kind,
            "country": self.country,
            "sources": list(self.sources),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Actor:
        return cls(
            data["role"],
            data["text"],
            data.get("kind"),
            data.get("country"),
            list(data.get("sources", [])),
        )


@dataclass(slots=True)
class Figures:
    """Reconciled figures for one property: the span of all claims and a best estimate."""

    low: int | None = None
    best: int | None = None
    high: int | None = None
    rule: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low, "best": self.best, "high": self.high, "rule": self.rule}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Figures:
        data = data or {}
        return cls(data.get("low"), data.get("best"), data.get("high"), data.get("rule"))


@dataclass(slots=True)
class Event:
    """One incident the article reports, with every claim about it."""

    id: str
    category: str
    subtype: str
    codes: dict[str, str | None] = field(default_factory=dict)
    actors: list[Actor] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    fatalities: Figures = field(default_factory=Figures)
    injuries: Figures = field(default_factory=Figures)
    #: Filled by the locate and date stages; ``None`` until then.
    date: dict[str, Any] | None = None
    location: dict[str, Any] | None = None
    #: What the victims were, where the text says (civilians, women, children...).
    victims: list[str] = field(default_factory=list)
    perpetrator_disputed: bool = False
    #: A count over a stretch of time ("over the past three days"), not one incident.
    aggregate: bool = False
    trigger: str = ""
    confidence: float = 0.0
    #: The sentences that tell of it, as ``(start, end)`` offsets into ``article.text``.
    spans: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "subtype": self.subtype,
            "codes": dict(self.codes),
            "date": self.date,
            "location": self.location,
            "actors": [actor.to_dict() for actor in self.actors],
            "victims": list(self.victims),
            "perpetrator_disputed": self.perpetrator_disputed,
            "aggregate": self.aggregate,
            "fatalities": self.fatalities.to_dict(),
            "injuries": self.injuries.to_dict(),
            "claims": [claim.to_dict() for claim in self.claims],
            "trigger": self.trigger,
            "confidence": round(self.confidence, 3),
            "spans": [[start, end] for start, end in self.spans],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        return cls(
            id=data["id"],
            category=data["category"],
            subtype=data["subtype"],
            codes=dict(data.get("codes", {})),
            actors=[Actor.from_dict(a) for a in data.get("actors", [])],
            claims=[Claim.from_dict(c) for c in data.get("claims", [])],
            fatalities=Figures.from_dict(data.get("fatalities")),
            injuries=Figures.from_dict(data.get("injuries")),
            date=data.get("date"),
            location=data.get("location"),
            victims=list(data.get("victims", [])),
            perpetrator_disputed=bool(data.get("perpetrator_disputed", False)),
            aggregate=bool(data.get("aggregate", False)),
            trigger=data.get("trigger", ""),
            confidence=float(data.get("confidence", 0.0)),
            spans=[(int(start), int(end)) for start, end in data.get("spans", [])],
        )


@dataclass(slots=True)
class PageInput:
    """Where a page came from and what its bytes were."""

    location: str
    raw: bytes = field(repr=False)
    is_url: bool = False
    content_type: str | None = None
    declared_encoding: str | None = None
    #: Digest of ``raw``; computed when not given (a rebuilt document has no raw bytes).
    sha256: str = ""

    def __post_init__(self) -> None:
        if not self.sha256:
            self.sha256 = hashlib.sha256(self.raw).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        key = "url" if self.is_url else "path"
        return {key: self.location, "sha256": self.sha256}


@dataclass(slots=True)
class TraceEntry:
    """Which stage ran, in which version, and for how long."""

    stage: str
    version: str
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "version": self.version, "seconds": round(self.seconds, 6)}


@dataclass(slots=True)
class Document:
    """One page on its way through the pipeline."""

    input: PageInput
    #: The page decoded to text; set by the loader.
    page_text: str = field(default="", repr=False)
    #: "html" or "text", decided by the loader from the content type and the bytes.
    page_kind: str = "text"
    article: Article | None = None
    #: spaCy Docs of the passages worth parsing, each with its offset into article.text.
    #: Rebuilt by the read stage, never serialised.
    parsed: list[tuple[int, Any]] = field(default_factory=list, repr=False)
    sources: list[Source] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    trace: list[TraceEntry] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.input.sha256[:16]

    def warn(self, code: str, stage: str, message: str) -> None:
        """Record a problem, once per code and stage."""
        if not any(p.code == code and p.stage == stage for p in self.problems):
            self.problems.append(Problem(code, stage, message))

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "input": self.input.to_dict(),
            "article": self.article.to_dict() if self.article else None,
            "sources": [source.to_dict() for source in self.sources],
            "events": [event.to_dict() for event in self.events],
            "problems": [problem.to_dict() for problem in self.problems],
            "trace": [entry.to_dict() for entry in self.trace],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """Rebuild a document from its ``strife/1`` form (the raw page is not carried)."""
        source = data["input"]
        is_url = "url" in source
        location = source["url"] if is_url else source["path"]
        page = PageInput(location, b"", is_url=is_url, sha256=source["sha256"])
        document = cls(input=page)
        if data.get("article"):
            document.article = Article.from_dict(data["article"])
        document.sources = [Source.from_dict(s) for s in data.get("sources", [])]
        document.events = [Event.from_dict(e) for e in data.get("events", [])]
        document.problems = [Problem.from_dict(p) for p in data.get("problems", [])]
        document.trace = [TraceEntry(**entry) for entry in data.get("trace", [])]
        return document


def _parse_iso(value: str | None) -> datetime | date | None:
    if not value:
        return None
    if "T" in value:
        return datetime.fromisoformat(value)
    return date.fromisoformat(value)
