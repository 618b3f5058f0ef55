"""The HTML path: trafilatura and htmldate, then strife's own post-filter.

trafilatura finds the body and most metadata; htmldate (called through
trafilatura) the publication time, asked for with its offset. What they leave
in is filtered out here with the same block classifier as the plain-text path:
donation, newsletter, notification, comment-forum and login prompts, share
bars and "related" lists go to ``boilerplate``; photo captions go to
``captions`` with their credits, read from ``<figcaption>`` elements.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import lxml.html

from strife.clean.blocks import Block, classify_blocks
from strife.clean.chrome import word_count
from strife.clean.metadata import clean_credit, split_caption, unique_captions
from strife.document import Article, Caption, Document
from strife.errors import InputError
from strife.settings import Settings

STAGE = "clean"

#: htmldate keeps the time and offset when the page gives them.
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
DATE_PARAMS = {"outputformat": DATE_FORMAT, "original_date": True}
#: Above this share of a page's text, scripts and styles earn a warning (most pages have some).
ACTIVE_CONTENT_SHARE = 0.5
#: The post-filter may take at most this share of trafilatura's words; more means it misreads.
FILTER_MAX_SHARE = 0.5
#: A closing line this short is a label ("Comments", "More:"), not the article's last words.
CLOSING_LABEL_WORDS = 3
_CREDIT_CLASS = re.compile(r"credit|copyright|source|byline|attribution|author", re.I)
_CAPTION_XPATH = (
    "//figcaption | //*[contains(concat(' ', normalize-space(@class), ' '), ' caption ')]"
)
_AUTHOR_SPLIT = re.compile(r"\s*;\s*")


def clean_html(document: Document, *, settings: Settings) -> Article:
    """Clean an HTML page: trafilatura's extraction, post-filtered."""
    import trafilatura
    import trafilatura.settings

    tree = _parse(document)
    captions = _figure_captions(tree)
    url = document.input.location if document.input.is_url else None
    result = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        fast=not settings.html_fallback,
        include_comments=False,
        include_tables=True,
        date_extraction_params=DATE_PARAMS,
    )
    if not isinstance(result, trafilatura.settings.Document) or not result.text:
        return Article(captions=captions)
    paragraphs = [" ".join(line.split()) for line in result.text.split("\n")]
    blocks = classify_blocks(
        [p for p in paragraphs if p], prose_min_words=settings.text_prose_min_words
    )
    headline = " ".join((result.title or "").split())
    body, boilerplate, found = _split_body(blocks, headline, {c.text for c in captions})
    captions.extend(found)
    text = "\n\n".join(body)
    return Article(
        text=text,
        title=result.title,
        subtitle=result.description,
        authors=[a for a in _AUTHOR_SPLIT.split(result.author or "") if a],
        publisher=result.sitename,
        published=_published(result.date),
        captions=unique_captions(captions),
        boilerplate=boilerplate,
    )


def _split_body(
    blocks: list[Block], headline: str, caption_texts: set[str]
) -> tuple[list[str], list[str], list[Caption]]:
    """Body paragraphs, boilerplate and captions from trafilatura's paragraphs.

    The headline repeated as the first paragraph is dropped (a paragraph equal
    to the meta description stays: sites often reuse their lede as it). A run
    of chrome and short labels closing the body ("Comments", "More:") is
    boilerplate. If the filter would take most of the text, the page
    is one the filter misreads (a blog that speaks to its readers throughout)
    and only captions leave the body.
    """
    if blocks and blocks[0].text == headline:
        blocks = blocks[1:]
    end = len(blocks)
    while end > 0 and _is_closing_fragment(blocks[end - 1]):
        end -= 1
    body: list[str] = []
    boilerplate: list[str] = []
    captions: list[Caption] = []
    for index, block in enumerate(blocks):
        if block.kind == "caption" and block.caption:
            captions.append(block.caption)
        elif block.kind == "chrome" or block.text in caption_texts or index >= end:
            boilerplate.append(block.text)
        else:
            body.append(block.text)
    kept = sum(word_count(text) for text in body)
    removed = sum(word_count(text) for text in boilerplate)
    if removed > kept * FILTER_MAX_SHARE / (1 - FILTER_MAX_SHARE):
        body = [b.text for b in blocks if b.kind != "caption" and b.text not in caption_texts]
        boilerplate = []
    return body, boilerplate, captions


def _is_closing_fragment(block: Block) -> bool:
    """Chrome, or a label of a word or three ("Comments", "More:")."""
    if block.kind == "chrome":
        return True
    if block.kind != "other":
        return False
    return block.words <= CLOSING_LABEL_WORDS


def _parse(document: Document) -> lxml.html.HtmlElement:
    """Parse with trafilatura's own parser settings (comments dropped, tails kept)."""
    from trafilatura.utils import load_html

    tree = load_html(document.page_text)
    if tree is None:
        raise InputError("the HTML could not be parsed", source=document.input.location)
    active = tree.xpath("//script|//style|//object|//embed|//iframe|//noscript|//template")
    active_chars = sum(len(node.text_content()) for node in active)
    all_chars = len(tree.text_content())
    if active and active_chars > ACTIVE_CONTENT_SHARE * all_chars:
        document.warn(
            "W104",
            STAGE,
            f"{active_chars:,} of the page's {all_chars:,} characters of text are scripts, "
            "styles or embedded objects; they were dropped, never run",
        )
    return tree


def _figure_captions(tree: lxml.html.HtmlElement) -> list[Caption]:
    captions = []
    for node in tree.xpath(_CAPTION_XPATH):
        credit_nodes = [
            n
            for n in node.iterdescendants()
            if isinstance(n.tag, str) and _CREDIT_CLASS.search(n.get("class") or "")
        ]
        credit = " ".join(" ".join(n.text_content().split()) for n in credit_nodes) or None
        text = " ".join(node.text_content().split())
        if credit:
            text = text.replace(credit, "").strip(" |–-")
            captions.append(Caption(text, clean_credit(credit)))
        elif text:
            captions.append(split_caption(text) or Caption(text))
    return captions


def _published(value: str | None) -> datetime | date | None:
    if not value:
        return None
    try:
        parsed = datetime.strptime(value, DATE_FORMAT)
    except ValueError:
        try:
            parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            return None
        # htmldate pads a day with midnight when the page gives no time: keep just the day.
        return parsed.date() if parsed.time() == datetime.min.time() else parsed
    return parsed
