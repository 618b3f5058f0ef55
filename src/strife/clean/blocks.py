"""Blocks of text, each classified as prose, chrome, caption or other.

Both cleaning paths classify their blocks here: the plain-text path its lines,
the HTML path the paragraphs trafilatura kept. Classification looks at one
block (``chrome.py``, ``metadata.split_caption``, sentence shape), then at its
neighbours: an image's alt text beside its caption, a weak appeal between two
strong ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from strife.clean.chrome import chrome_score, is_chrome, reader_address_rate, word_count
from strife.clean.metadata import find_publisher, split_caption
from strife.document import Caption

#: A prose block ends like a sentence, in Latin or CJK punctuation (a closing quote or
#: bracket may follow).
SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]」』）]*$")
#: A sentence boundary inside a block: its end punctuation, a space, a capital.
INNER_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+[\"“‘(]?[A-Z]")
#: A block with this many sentences inside is prose even if its last one lost its stop
#: (scraped text often ends on a credit line or a cut-off sentence).
MIN_INNER_SENTENCES = 5
#: A block this long with a few sentences inside is prose cut off mid-sentence, not a menu.
LONG_BLOCK_WORDS = 60
#: Evidence a weak-chrome block needs for its chrome neighbours to carry it over.
SMOOTHING_MIN_SCORE = 1.5


@dataclass(slots=True)
class Block:
    text: str
    words: int
    kind: str = "other"  # prose | chrome | caption | other
    caption: Caption | None = None


def classify_blocks(texts: list[str], *, prose_min_words: int) -> list[Block]:
    """Classify each text; the order of ``texts`` is the page's order."""
    blocks = [Block(text, word_count(text)) for text in texts]
    voice = reader_address_rate(texts)
    for index, block in enumerate(blocks):
        neighbours = [b.text for b in blocks[max(0, index - 1) : index + 2] if b is not block]
        caption = split_caption(block.text, neighbours=neighbours)
        if caption:
            block.kind, block.caption = "caption", caption
        elif is_chrome(block.text, voice=voice):
            block.kind = "chrome"
        elif block.words >= prose_min_words and _sentence_shaped(block.text, block.words):
            block.kind = "prose"
    _drop_caption_echoes(blocks)
    _smooth_chrome(blocks, voice=voice)
    return blocks


def _sentence_shaped(text: str, words: int) -> bool:
    if SENTENCE_END.search(text):
        return True
    inner = len(INNER_SENTENCE_END.findall(text))
    return inner >= MIN_INNER_SENTENCES or (inner >= 2 and words >= LONG_BLOCK_WORDS)


def _drop_caption_echoes(blocks: list[Block]) -> None:
    """A caption's text repeated without its credit (an image's alt text) is chrome."""
    captions = {" ".join(b.caption.text.split()) for b in blocks if b.caption}
    for block in blocks:
        if block.kind != "caption" and block.text in captions:
            block.kind = "chrome"


def _smooth_chrome(blocks: list[Block], *, voice: float) -> None:
    """A block with some chrome evidence between two chrome blocks is chrome too."""
    publisher = find_publisher([b.text for b in blocks if b.kind == "chrome"])
    candidates = [
        index
        for index, block in enumerate(blocks)
        if block.kind != "chrome"
        and chrome_score(block.text, publisher=publisher, voice=voice) >= SMOOTHING_MIN_SCORE
    ]
    changed = True
    while changed:
        changed = False
        for index in candidates:
            block = blocks[index]
            if block.kind == "chrome":
                continue
            before = next((b.kind for b in reversed(blocks[:index]) if b.kind != "caption"), None)
            after = next((b.kind for b in blocks[index + 1 :] if b.kind != "caption"), None)
            if before == "chrome" and after in {"chrome", None}:
                block.kind = "chrome"
                changed = True
