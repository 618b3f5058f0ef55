"""The Document that flows through every stage, and its parts.

The loader creates a Document from a page (its bytes and where they came from);
each stage fills its own fields and returns the same object. ``to_dict`` and
``from_dict`` are the ``strife/1`` contract (see ``docs/contract.md``) and the
wire format between processes: dates travel as ISO-8601 strings and come back
as ``date``/``datetime`` objects with their offset.
"""

from __future__ import annotations

import hashlib
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
        document.problems = [Problem.from_dict(p) for p in data.get("problems", [])]
        document.trace = [TraceEntry(**entry) for entry in data.get("trace", [])]
        return document


def _parse_iso(value: str | None) -> datetime | date | None:
    if not value:
        return None
    if "T" in value:
        return datetime.fromisoformat(value)
    return date.fromisoformat(value)
