"""Is this block site chrome? One scorer for the HTML and the plain-text paths.

Site chrome is the text a site wraps around every article: notification and
newsletter prompts, donation appeals, comment-forum and login notices, share
bars, "related stories", cookie and copyright lines. Its vocabulary is typical
and small, and it speaks to the reader ("you", "your", "we", "us") where news
prose speaks about the world. The scorer weighs that vocabulary, the reader
address outside quotations, the outlet naming itself, and the block's length.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from functools import lru_cache

#: Phrases that are almost only ever site chrome, whatever the block's length.
STRONG_CHROME = re.compile(
    r"""\b(
        newsletters? | notifications? | push\ alerts? | browser\ (preferences|settings)
      | subscribe(rs?)? | subscription | sign\ (up|in)\b | log\ ?(in|out)\b | logged\ in
      | register(ing)?\b | registration | create\ an?\ account | forgot(ten)?\ (your\ )?password
      | refresh\ (the|this|your)\ (page|browser) | enable\ javascript | ad\ ?blocker
      | donat(e|ion|ions|ing) | your\ support | support\ (us|our|independent|quality)
      | paywalls? | become\ a\ (member|subscriber|supporter) | membership
      | unlimited\ (digital\ )?access | cancel\ (at\ )?any\ ?time | free\ trial
      | [£$€]\s?\d+(\.\d\d)?\ (a|per)\ (week|month|year)
      | (join|start)\ the\ (conversation|discussion|debate) | commenting
      | comment(s)?\ (policy|section)
      | community\ (guidelines|standards)
      | (read|view|show|add|post|leave|load)\ (\d+\ )?comments?
      | share\ (this|on|via)\b | copy\ link | email\ this | (follow|like)\ us\ on
      | cookies? | privacy\ (policy|notice|settings) | terms\ (of|and)\ (use|service|conditions)
      | all\ rights\ reserved | copyright
      | advertisement | sponsored\ content | download\ (our|the)\ app
      | (read|see)\ more\b | related\ (stories|articles|content|topics)
      | most\ (read|popular|viewed)
      | recommended\ (for\ you|stories|reading) | you\ (may|might)\ also\ like | trending\ now
      | skip\ to\ (main\ )?content | back\ to\ top | (previous|next)\ (article|story)
      | click\ here | tap\ here | listen\ to\ (this\ )?article | min(ute)?s?\ read
    )\b | ©""",
    re.I | re.X,
)
#: Words that hint at chrome when they cluster: the site talking about itself.
WEAK_CHROME = re.compile(
    r"\b(journalism|journalists|reporters|reporting|readers?|free|independent|quality|"
    r"trusted|app|website|site|page|email|inbox|alerts?|updates?|offer|premium|"
    r"account|comments?|forum|conversations?|follow|share|click|download|privacy)\b",
    re.I,
)
#: Reader address: the site speaking to "you" or as "we".
READER_ADDRESS = re.compile(r"\b(you|your|yours|we|us|our|ours)\b", re.I)
#: Any quotation mark: without one, a block has no quoted speech to set aside.
QUOTE_MARKS = re.compile(r"[\"“”‘]")
#: Quoted speech, which may say "we" and "you" in a news story.
QUOTED = re.compile(r"[\"“”][^\"“”]{0,600}[\"“”]|‘[^‘’]{0,600}’")
#: Chinese and Japanese script, written without spaces between words.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: A word; unspaced CJK text counts one word per two characters (about its average word length).
WORD = re.compile(rf"[{CJK}]{{1,2}}|[^\W{CJK}]+(?:['’][^\W{CJK}]+)*")

#: A block of at most this many words is chrome on one strong phrase alone.
SHORT_BLOCK_WORDS = 25
#: Score per word above which a longer block is chrome.
CHROME_DENSITY = 0.08
#: Weight of each "you"/"we" outside quotes; a page's own voice is subtracted first.
READER_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class _Evidence:
    words: int  # all words of the block
    unquoted_words: int
    strong: int
    address: int
    weak: int
    unquoted_lower: str


@lru_cache(maxsize=4096)
def _evidence(text: str) -> _Evidence:
    """Counts for one block, computed once: a page asks about each block several times."""
    words = len(WORD.findall(text))
    unquoted = QUOTED.sub(" ", text) if QUOTE_MARKS.search(text) else text
    return _Evidence(
        words=words,
        unquoted_words=len(WORD.findall(unquoted)) if unquoted is not text else words,
        strong=len(STRONG_CHROME.findall(unquoted)),
        address=len(READER_ADDRESS.findall(unquoted)),
        weak=len(WEAK_CHROME.findall(unquoted)),
        unquoted_lower=unquoted.lower(),
    )


def chrome_score(text: str, *, publisher: str | None = None, voice: float = 0.0) -> float:
    """Weighted evidence that a block is chrome (0 for plain news prose).

    Strong phrases count 2, reader address outside quotes 0.5, weak words 0.25
    and the outlet naming itself 1. ``voice`` is the page's usual reader
    address per word (see :func:`reader_address_rate`): a blog that speaks to
    "you" throughout does not make every paragraph chrome.
    """
    evidence = _evidence(text)
    score = 2.0 * evidence.strong
    address = evidence.address - voice * evidence.unquoted_words
    score += READER_WEIGHT * max(0.0, address)
    score += 0.25 * evidence.weak
    if publisher and publisher.lower() in evidence.unquoted_lower:
        score += 1.0
    return score


def is_chrome(text: str, *, publisher: str | None = None, voice: float = 0.0) -> bool:
    """True when the block reads as site chrome rather than article text."""
    words = _evidence(text).words
    if words == 0:
        return True
    score = chrome_score(text, publisher=publisher, voice=voice)
    if words <= SHORT_BLOCK_WORDS:
        return score >= 2.0
    return score / words >= CHROME_DENSITY


def reader_address_rate(texts: list[str]) -> float:
    """The median share of "you"/"we" words outside quotes, over the longer blocks."""
    rates = []
    for text in texts:
        evidence = _evidence(text)
        words = evidence.unquoted_words
        if words > SHORT_BLOCK_WORDS:
            rates.append(evidence.address / words)
    return statistics.median(rates) if rates else 0.0


def word_count(text: str) -> int:
    return _evidence(text).words
