"""The clean stage: a loaded page -> an Article (body, metadata, boilerplate aside).

HTML goes through ``html.py`` (trafilatura, htmldate, a post-filter), plain
text through ``text.py``; both share the block classifier. This module picks
the path, identifies the language and records what is missing as warnings.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from strife.document import Article, Document
from strife.settings import Settings

NAME = "clean"
VERSION = "1"
#: Characters of the body given to the language identifier; more adds time, not accuracy.
LANGUAGE_SAMPLE_CHARS = 3000
#: Normalised probability below which the language is reported as unknown.
LANGUAGE_MIN_PROBABILITY = 0.5


def clean_document(document: Document, *, settings: Settings) -> Document:
    """Fill ``document.article`` from the loaded page.

    Raises:
        InputError: the page cannot be parsed at all.
    """
    if document.page_kind == "html":
        from strife.clean.html import clean_html

        article = clean_html(document, settings=settings)
    else:
        from strife.clean.text import clean_text

        article = clean_text(document, settings=settings)
    _check_article(document, article, settings=settings)
    document.article = article
    return document


class CleanStage:
    """The clean stage as a pipeline component."""

    name: str = NAME
    version: str = VERSION
    requires: tuple[str, ...] = ("page_text", "page_kind")
    assigns: tuple[str, ...] = ("article",)

    def __call__(self, document: Document, *, settings: Settings) -> Document:
        return clean_document(document, settings=settings)


def _check_article(document: Document, article: Article, *, settings: Settings) -> None:
    if not article.text:
        document.warn("W201", NAME, "no article body was found")
    elif len(article.text) < settings.min_body_chars:
        document.warn(
            "W202", NAME, f"the body has only {len(article.text)} characters; a teaser or paywall?"
        )
    if not article.title:
        document.warn("W203", NAME, "no title was found")
    if article.published is None:
        document.warn("W204", NAME, "no publication time was found")
    elif isinstance(article.published, datetime) and article.published.tzinfo is None:
        document.warn("W205", NAME, "the publication time has no UTC offset")
    sample = article.text or " ".join(filter(None, [article.title, article.subtitle]))
    if len(sample) < settings.language_min_chars:
        document.warn("W302", NAME, "too little text to identify the language")
        return
    language, probability = _identifier().classify(sample[:LANGUAGE_SAMPLE_CHARS])
    if probability < LANGUAGE_MIN_PROBABILITY:
        document.warn("W302", NAME, "the language could not be identified with confidence")
        return
    article.language = language
    if language != "en":
        document.warn(
            "W301", NAME, f"the article is in '{language}'; events are extracted from English only"
        )


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
