"""Render an HTML page to its whole visible text, one line per block.

Takes a page's HTML and gives the text a reader would see in the body with
no filtering: menus, footers, navigation and share links included, as if the
page had been copied out of a browser. Scripts, styles, ``<noscript>``,
``<template>``, SVG drawings and comments are dropped, and so is the head
(the ``<title>`` is not part of the body). This builds the plain-text input of
the ``strife_text`` benchmark and the ``keep_everything`` baseline; it is not
an extractor and leaves choosing the article to ``strife.clean``.
"""

from __future__ import annotations

import re
from contextlib import suppress

import lxml.html
from lxml import etree

#: Elements whose content a reader never sees as text. ``noscript`` is dropped as
#: the evaluation brief asks, although a browser with scripts off would show it;
#: an SVG's ``<title>`` is a tooltip, not text.
DROPPED_TAGS = ("script", "style", "noscript", "template", "svg")
#: Elements that start and end a line (HTML's block, list-item, table-row and
#: table-cell elements, plus ``br``); everything else is inline.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "legend", "li", "main",
        "menu", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody",
        "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
#: An XML declaration, which lxml refuses at the start of a ``str``.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
#: Marks a line break between the text pieces of the walk.
_BREAK = None


def render_visible_text(html: str | bytes) -> str:
    """Return the visible text of a page's body, one line per block element.

    Inline text inside a block is kept as the page writes it (``T<b>he</b>``
    stays one word, as in a browser); runs of white space, non-breaking
    spaces included, become one space; empty lines are dropped.

    Args:
        html: the page, as text or as bytes (UTF-8, or the charset the page
            declares in a ``<meta>`` tag).

    Returns:
        The lines joined with ``\\n``; empty when the page has no body text.
    """
    root = _parse(html)
    body = root.find("body") if root is not None else None
    if body is None:
        return ""
    etree.strip_elements(
        body, etree.Comment, etree.ProcessingInstruction, *DROPPED_TAGS, with_tail=False
    )
    return "\n".join(_lines(_pieces(body)))


def _parse(html: str | bytes) -> lxml.html.HtmlElement | None:
    if isinstance(html, bytes):
        # Not UTF-8: hand lxml the bytes, and it reads the page's <meta charset>.
        with suppress(UnicodeDecodeError):
            html = html.decode("utf-8")
    if isinstance(html, str):
        html = _XML_DECLARATION.sub("", html, count=1)
    try:
        return lxml.html.document_fromstring(html)
    except etree.ParserError:  # "Document is empty": nothing but white space or comments
        return None


def _pieces(body: lxml.html.HtmlElement) -> list[str | None]:
    """Text pieces in reading order, with ``_BREAK`` around each block element."""
    pieces: list[str | None] = []
    for event, element in etree.iterwalk(body, events=("start", "end")):
        is_block = isinstance(element.tag, str) and element.tag.lower() in BLOCK_TAGS
        if event == "start":
            if is_block:
                pieces.append(_BREAK)
            if element.text:
                pieces.append(element.text)
        else:
            if is_block:
                pieces.append(_BREAK)
            if element.tail and element is not body:
                pieces.append(element.tail)
    return pieces


def _lines(pieces: list[str | None]) -> list[str]:
    """Join the pieces between breaks, collapse white space, drop empty lines."""
    lines: list[str] = []
    current: list[str] = []
    for piece in [*pieces, _BREAK]:
        if piece is not None:
            current.append(piece)
            continue
        line = " ".join("".join(current).split())
        if line:
            lines.append(line)
        current = []
    return lines
