"""The plain-text path: a scraped page saved as text -> an Article.

No library reads these pages, so strife does, from general evidence:

1. Each line is a block (hard-wrapped paragraphs are joined first). A block
   is *prose* (long enough, sentence-shaped), *chrome* (the scorer in
   ``chrome.py``, then smoothed by its neighbours), a *caption*, or *other*.
2. The body is the run of blocks with the greatest total weight (prose
   counts its words, chrome and short fragments count against): the
   maximum-subarray idea of Finn's Body Text Extraction, over lines. A lone
   paragraph, with no prose on either side, counts less: between menus and
   headlines it is as often a teaser or a comment as body text.
3. When that run carries on into a listing whose items are dated to the
   minute (a comment section, a teaser list), the body ends before it.
4. The lines above the body give the title, standfirst, byline, timestamp
   and captions; everything not used is kept as boilerplate.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from datetime import datetime

from strife.clean.blocks import Block, classify_blocks
from strife.clean.chrome import word_count
from strife.clean.metadata import (
    find_publisher,
    is_item_stamp,
    parse_byline,
    parse_timestamp,
    split_leading_stamp,
    unique_captions,
)
from strife.document import Article, Caption, Document
from strife.settings import Settings

STAGE = "clean"

#: A prose block ends like a sentence (a closing quote or bracket may follow).

#: Weight of a short non-prose fragment (menus, link lists) against the body.
FRAGMENT_PENALTY = 2.0
#: Words a paragraph with no prose on either side loses: such a lone paragraph (a
#: teaser between links, a comment between its author and its date) is body text
#: only about half as often as a paragraph beside another.
LONE_PROSE_DISCOUNT = 30.0
#: Blocks that do not separate two paragraphs (an image caption, an inline advert).
TRANSPARENT_KINDS = frozenset({"caption", "chrome"})
#: Items dated to the minute inside the body that make it a listing (comments, teasers).
LISTING_MIN_STAMPS = 2
#: A title or standfirst has between these many words.
HEADLINE_WORDS = (3, 40)
#: What separates a headline from the site's name and sections.
TITLE_SEPARATOR = re.compile(r"\s+[-|–—]\s+")
#: A trailing part of a title this short is a label (a section, the site's name).
SITE_LABEL_WORDS = 3
#: Hard-wrapped text: most lines stop near one width and none runs far past it.
WRAP_WIDTH = (55, 100)


@dataclass(slots=True)
class _Header:
    title: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    ambiguous_zone: str | None = None
    captions: list[Caption] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)


def clean_text(document: Document, *, settings: Settings) -> Article:
    """Clean a plain-text page: body, metadata and the boilerplate kept aside."""
    blocks = classify_blocks(
        _split_blocks(document.page_text), prose_min_words=settings.text_prose_min_words
    )
    start, end = _end_before_listing(blocks, *_best_span(blocks))
    header = _read_header(blocks[:start])
    body: list[str] = []
    boilerplate = list(header.leftovers)
    captions = list(header.captions)
    for block in blocks[start:end]:
        if block.kind == "chrome":
            boilerplate.append(block.text)
        elif block.kind == "caption" and block.caption:
            captions.append(block.caption)
        else:
            body.append(block.text)
    for block in blocks[end:]:
        if block.kind == "caption" and block.caption:
            captions.append(block.caption)
        elif header.published is None and (stamp := parse_timestamp(block.text)):
            header.published, header.ambiguous_zone = stamp
        else:
            boilerplate.append(block.text)
    if header.published is None and body and (lead := split_leading_stamp(body[0])):
        # Scraped text often runs the page's date into its first paragraph.
        header.published, words, body[0] = lead
        boilerplate.append(words)
    publisher = find_publisher(
        [b.text for b in blocks if b.kind == "chrome"],
        exclude=[header.title or "", *header.authors],
    )
    if header.ambiguous_zone:
        document.warn(
            "W206", STAGE, f"the zone {header.ambiguous_zone} is ambiguous; read as its US/UK sense"
        )
    return Article(
        text="\n\n".join(body),
        title=header.title,
        subtitle=header.subtitle,
        authors=header.authors,
        publisher=publisher,
        published=header.published,
        captions=unique_captions(captions),
        boilerplate=boilerplate,
    )


def _split_blocks(page_text: str) -> list[str]:
    lines = [" ".join(line.split()) for line in page_text.splitlines()]
    if _is_hard_wrapped(lines):
        paragraphs = re.split(r"\n\s*\n", page_text)
        return [" ".join(p.split()) for p in paragraphs if p.strip()]
    return [line for line in lines if line]


def _is_hard_wrapped(lines: list[str]) -> bool:
    lengths = [len(line) for line in lines if line]
    if len(lengths) < 8:
        return False
    low, high = WRAP_WIDTH
    width = statistics.median(lengths)
    return low <= width <= high and max(lengths) <= high + 10


def _weight(block: Block, *, lone: bool = False) -> float:
    if block.kind == "prose":
        return block.words - (LONE_PROSE_DISCOUNT if lone else 0.0)
    if block.kind == "chrome":
        return -float(max(block.words, 8))
    if block.kind == "caption":
        return 0.0
    return -(FRAGMENT_PENALTY + block.words / 2)


def _best_span(blocks: list[Block]) -> tuple[int, int]:
    """The run of blocks with the greatest total weight (Kadane), as [start, end)."""
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    for index, (block, lone) in enumerate(zip(blocks, _lone_prose(blocks), strict=True)):
        if total <= 0:
            total, start = 0.0, index
        total += _weight(block, lone=lone)
        if total > best:
            best, best_span = total, (start, index + 1)
    if best_span == (0, 0):
        # Nothing outweighs its surroundings (a one-paragraph brief, say): the longest
        # prose block is still the body, rather than no body at all.
        prose = [i for i, block in enumerate(blocks) if block.kind == "prose"]
        if prose:
            longest = max(prose, key=lambda i: blocks[i].words)
            return longest, longest + 1
    return best_span


def _end_before_listing(blocks: list[Block], start: int, end: int) -> tuple[int, int]:
    """End the body before a listing of dated items (a comment section, teasers) it runs into.

    A listing's items are often long enough to read as prose, so the heaviest run
    may carry on through them; the body is then the heaviest run before the first.
    """
    first_prose = next((i for i in range(start, end) if blocks[i].kind == "prose"), end)
    stamps = [i for i in range(first_prose + 1, end) if is_item_stamp(blocks[i].text)]
    if len(stamps) < LISTING_MIN_STAMPS:
        return start, end
    head_start, head_end = _best_span(blocks[start : stamps[0]])
    if head_end == 0:
        return start, end
    return start + head_start, start + head_end


def _lone_prose(blocks: list[Block]) -> list[bool]:
    """Per block: prose whose nearest blocks on both sides (captions, chrome skipped) are not."""
    seen = [b.kind for b in blocks if b.kind not in TRANSPARENT_KINDS]
    lone, position = [], 0
    for block in blocks:
        if block.kind in TRANSPARENT_KINDS:
            lone.append(False)
            continue
        before = seen[position - 1] if position > 0 else None
        after = seen[position + 1] if position + 1 < len(seen) else None
        lone.append(block.kind == "prose" and "prose" not in (before, after))
        position += 1
    return lone


def _read_header(blocks: list[Block]) -> _Header:
    """Title, standfirst, byline, timestamp and captions from the lines above the body."""
    header = _Header()
    for index, block in enumerate(blocks):
        text = block.text
        if block.kind == "caption" and block.caption:
            header.captions.append(block.caption)
        elif block.kind == "chrome":
            header.leftovers.append(text)
        elif header.published is None and (stamp := parse_timestamp(text)):
            header.published, header.ambiguous_zone = stamp
        elif not header.authors and (
            authors := parse_byline(text, require_prefix=header.title is None)
        ):
            header.authors = authors
        elif header.title is None and _is_headline(text) and not _is_menu(blocks, index):
            header.title = strip_site_suffix(text)
        elif (
            header.title is not None
            and header.subtitle is None
            and not header.authors
            and header.published is None
            and _is_headline(text, allow_full_stop=True)
        ):
            header.subtitle = text
        else:
            header.leftovers.append(text)
    return header


def strip_site_suffix(title: str) -> str:
    """A headline without the site's trail: "Mortar fire kills 12 - Region - World - Ahram"
    -> "Mortar fire kills 12". Parts after " - " or " | " go when each is a short label."""
    parts = TITLE_SEPARATOR.split(title)
    while len(parts) > 1 and len(parts[-1].split()) <= SITE_LABEL_WORDS:
        parts.pop()
    head = " - ".join(parts) if TITLE_SEPARATOR.search(title) else title
    return head if len(head.split()) >= HEADLINE_WORDS[0] else title


def _is_headline(text: str, *, allow_full_stop: bool = False) -> bool:
    low, high = HEADLINE_WORDS
    if not low <= word_count(text) <= high:
        return False
    return allow_full_stop or not text.endswith(".") or text.endswith("...")


def _is_menu(blocks: list[Block], index: int) -> bool:
    """A line between two short link-like lines (navigation) is not the title."""
    neighbours = blocks[max(0, index - 1) : index] + blocks[index + 1 : index + 2]
    return len(neighbours) == 2 and all(_is_fragment(b) for b in neighbours)


def _is_fragment(block: Block) -> bool:
    return block.words <= 3 and block.kind == "other" and parse_byline(block.text) is None
