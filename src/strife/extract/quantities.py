"""Quantities in text: numbers, number words, ranges and vague amounts, with qualifier and bounds.

Takes a plain string and returns :class:`Quantity` spans (character offsets into that string)
in text order, never overlapping, each with the stated number, the bounds its wording allows
and a strife/1 qualifier. It does not decide what is counted (people, villages, rockets) nor
whether a count is plausible: the caller reads the noun after the span and drops absurd counts
with a warning. Pure text processing with compiled regexes; no spaCy.

Bounds: "45" 45..45 exact; "at least 45", "a minimum of 45", "45 or more", "45+" 45..open
at_least; "more than 100", "over 100", "upwards of 100" 101..open more_than; "up to 10", "at
most 10", "as many as 10", "no more than 10" open..10 at_most ("fewer than 10" open..9);
"about", "around", "some", "nearly", "almost", "roughly", "an estimated 50", "50 or so" 50..50
about; "10 to 15", "10-15", "between 10 and 15", "two or three" 10..15 range, ``value`` the low
end ("rose from 10 to 15" is two numbers, not a range).

Vague amounts (qualifier ``vague``, ``value`` None, ``high`` open) get a written, conservative
low bound, kept in :data:`VAGUE_WORDS` so the codebook is generated from it:

| word | low | why |
|---|---|---|
| tens | 10 | ACLED codes "tens" as 10 |
| dozens | 12 | ACLED codes "dozens" as 12 |
| scores | 20 | a score is 20 |
| hundreds | 100 | ACLED codes "hundreds" as 100 |
| thousands | 1,000 | one of the unit, as for hundreds |
| millions | 1,000,000 | one of the unit, as for hundreds |
| several | 3 | ACLED and the ISAF set read it as 3 |
| multiple | 3 | read like several; the ISAF gold reads it as 3 |
| numerous | 4 | the ISAF set reads "numerous" as 4 |
| a number of | 3 | read like several (the ISAF gold leans to 4) |
| a few | 2 | the smallest plural (the ISAF gold's two cases read 3) |
| a couple | 2 | a pair |
| a handful | 2 | the smallest plural |

A vague word times a scale multiplies ("several hundred" 300, "tens of thousands" 10000).
"a dozen" is exact 12 ("at least a dozen" at_least 12). A following "of" belongs to a vague
span ("scores of", "a number of"), so every span ends right before the counted noun; numbers
never take it ("two of the men" -> "two"). Bare "scores" counts only beside a casualty word
("scores were hurt"), bare "tens" never. "many", "few" and "a"/"an" alone are not quantities.

Numbers: digits ("45", "1,200", any script's digits), digits with a scale ("1.5 million"), and
number words up to billions, hyphenated or not ("twenty-five", "a hundred", "two hundred and
fifty", "half a dozen"). Never counts: years ("in 2012", "2011-2013"), ages ("aged 45",
"43-year-old"), times ("21:00", "9 pm"), dates ("12 March", "Jan. 25"), percentages, money
("$5", "5 dollars"), measures and durations ("10 km", "three days"), ordinals ("3rd"), codes
and IDs ("F-16", "UN1325", phone numbers, leading zeros, over MAX_DIGITS digits), labels
("Route 66"), decimals without a scale ("2.5"), letters attached ("2m"), "no one", "one
another". Absurd but well-formed counts are returned as stated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

#: word -> (conservative low bound, reason); the codebook's vague-word table.
VAGUE_WORDS: dict[str, tuple[int, str]] = {
    "tens": (10, 'ACLED codes "tens" as 10'),
    "dozens": (12, 'ACLED codes "dozens" as 12'),
    "scores": (20, "a score is 20"),
    "hundreds": (100, 'ACLED codes "hundreds" as 100'),
    "thousands": (1000, "one of the unit, as for hundreds"),
    "millions": (1_000_000, "one of the unit, as for hundreds"),
    "several": (3, "ACLED and the ISAF set read it as 3"),
    "multiple": (3, "read like several; the ISAF gold reads it as 3"),
    "numerous": (4, 'the ISAF set reads "numerous" as 4'),
    "a number of": (3, "read like several (the ISAF gold leans to 4)"),
    "a few": (2, "the smallest plural (the ISAF gold's two cases read 3)"),
    "a couple": (2, "a pair"),
    "a handful": (2, "the smallest plural"),
}
#: Longer digit strings are account, phone or ID numbers (and past 4,300 digits, Python
#: cannot even print the int), never a count someone reported.
MAX_DIGITS = 15
SCALES = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_QUALIFIERS = {
    phrase: qualifier
    for qualifier, phrases in {
        "at_least": "at least|a minimum of|no fewer than|no less than|not fewer than|not less than",
        "more_than": "more than|over|well over|just over|upwards of|upward of|in excess of",
        "at_most": "up to|at most|as many as|no more than|not more than|fewer than|less than",
        "about": "about|around|some|nearly|almost|approximately|roughly|an estimated|estimated|"
        "close to|circa",
    }.items()
    for phrase in phrases.split("|")
}
_BELOW = {"fewer than", "less than"}  # strictly below the number: high is one less
_POSTFIX = {"more": "at_least", "so": "about", "fewer": "at_most", "less": "at_most"}  # or "+"
_UNDER_TWENTY = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
)
#: "one" .. "nineteen" -> 1 .. 19 (the date stage reads durations with them too).
SMALL_NUMBERS = {word: i for i, word in enumerate(_UNDER_TWENTY.split(), 1)}
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_TENS = {word: 10 * i for i, word in enumerate(_TENS_WORDS.split(), 2)}
_BASES = ("tens", "dozens", "scores", "hundreds", "thousands", "millions")  # plural nouns
_SP = r"[^\S\r\n\u2028\u2029]"  # a space within a line: a quantity never spans a line break
_S = _SP + "+"


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, spaces matching any run of spaces."""
    return "|".join(w.replace(" ", _S) for w in sorted(words, key=len, reverse=True))


_SCALE = r"(?:dozen|hundred|thousand|million|billion)"
_WORD = rf"(?:{_alt([*SMALL_NUMBERS, *_TENS, *SCALES])})\b"
_AND = rf"(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion)){_S}and{_S}"
_WORDS = (  # at most 13 words: a longer run is no number, and scanning it again costs
    rf"\b(?:(?:half{_S})?an?{_S}(?={_SCALE}\b))?{_WORD}(?:(?:{_AND}|{_S}|-){_WORD}){{0,12}}"
)
_DIGITS = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+)(?:\.\d+)?(?:{_S}{_SCALE}\b)?"
_NUM = rf"(?:{_DIGITS}|{_WORDS})"
_VAGUE = (
    rf"\b(?:(?P<quant>{_alt(w for w in VAGUE_WORDS if w not in _BASES)})\b"
    rf"(?P<qscale>(?:{_S}{_SCALE}s?\b)*)|(?P<base>{'|'.join(_BASES)})\b"
    rf"(?:{_S}of{_S}(?P<base2>thousands|millions)\b)?)(?P<of>{_S}of\b)?"
)
_QUANTITY = re.compile(
    rf"(?P<vague>{_VAGUE})"
    rf"|(?:(?P<qual>\b(?:{_alt(_QUALIFIERS)}){_S})|(?P<between>\b(?:between|from){_S}))?"
    rf"(?P<n1>{_NUM})(?:(?P<sep>{_SP}?[-–]{_SP}?|{_S}(?:to|or|and){_S})(?P<n2>{_NUM}))?"
    rf"(?P<post>{_S}or{_S}(?:more|so|fewer|less)\b|\+(?![\w+]))?",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[^\W\d_]+")
_COUNTED = ("a", "one", "teen", "tens")  # what a scale word can multiply
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
_UNITS = (
    "per ?cent|percent|pc|dollars?|pounds?|euros?|cents?|pence|yen|yuan|rupees?|dinars?|"
    "riyals?|rials?|liras?|francs?|afghanis|kms?|kilomet(?:er|re)s?|miles?|m|met(?:er|re)s?|cm|"
    "mm|feet|foot|ft|inch(?:es)?|yards?|kgs?|kilos?|kilograms?|grams?|tonnes?|tons?|lbs?|"
    "lit(?:er|re)s?|gallons?|barrels?|acres?|hectares?|sq|square|mph|kph|knots?|calib(?:re|er)|"
    "degrees?|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|months?|years?|"
    "yrs?|decades?|century|centuries|times|[ap]\\.?m|o'clock|GMT|UTC"
)
_CODE_BEFORE = re.compile(r"(?:\w|\w[-–/.:,]|[#+])$")
_CODE_AFTER = re.compile(r"\w|[-–/:]\w|[.,]\d")
_UNIT_AFTER = re.compile(rf"{_SP}*[%°]|{_S}?(?:{_UNITS})\b", re.IGNORECASE)
_MONEY_BEFORE = re.compile(rf"(?:[$£€¥₹]|\b(?:USD|EUR|GBP|SYP|AFN|IQD|Rs\.?)){_SP}*$")
_AGE_BEFORE = re.compile(rf"\b(?:aged?|ages)(?:{_S}(?:of|between|from))?{_SP}*$", re.I)
_LABEL_BEFORE = re.compile(  # "Route 66", "Resolution 2254", "No. 5"
    r"(?:\b(?:No|Number|Resolution|Route|Highway|Road|Flight|Article|Chapter|Section|Unit|Room|"
    r"Camp|Block|Phase|Division|Brigade|Gate|Checkpoint|Building|Street|Level|Page|Law|Decree|"
    rf"Zone|Sector|Station|Kilometre|Km|Junction|Act|Part)\.?|\bno\.|#){_SP}*$"
)
_MONTH_AFTER = re.compile(rf"{_S}(?:of{_S})?(?:{_MONTHS})\b")
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?{_S}$")
_YEAR_BEFORE = re.compile(
    r"(?:\b(?:in|since|from|until|till|to|by|during|of|before|after|early|mid|late|between|"
    rf"and|or|the|a|an|its|their|his|her|this|that|year|summer|winter|spring|autumn|fall|"
    rf"{_MONTHS})\.?|\d,){_SP}*$",
    re.I,
)
_LOWER_AFTER = re.compile(rf"{_SP}+[a-z]")
#: Three digit groups in a row, NUL marking the number: a phone or ID number.
_PHONE = re.compile(r"\d[ \t]\d+[ \t]\0|\d[ \t]\0[ \t]\d|\0[ \t]\d+[ \t]\d")
_NOT_ONE = re.compile(rf"\b(?:no|any|every|each|this|that|which|the|such){_SP}+$", re.I)
_CHANGE = re.compile(
    r"\b(?:rose|risen|rises|rising|increased|climbed|jumped|grew|went up|fell|fallen|dropped|"
    rf"revised|raised|lowered|doubled|tripled|soared|surged)(?:{_SP}+\w+)?{_SP}+$",
    re.I,
)
_SCORES_AFTER = re.compile(
    rf"{_S}(?:more|were|are|have|had|died|dead|killed|wounded|injured)\b", re.I
)
_SCORES_BEFORE = re.compile(rf"\b(?:kill|wound|injur)\w*{_SP}+$", re.I)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A stated amount: its exact text and offsets, the number and the bounds its wording allows."""

    text: str  # the exact slice text[start:end], e.g. "more than 100", "scores of", "10 to 15"
    start: int
    end: int
    value: int | None  # the stated number (the low end of a range; None for vague words)
    low: int | None  # lowest count the wording allows (None: unbounded below)
    high: int | None  # highest count the wording allows (None: open)
    qualifier: str  # exact | at_least | more_than | at_most | about | range | vague


def find_quantities(text: str) -> list[Quantity]:
    """Find the stated amounts in ``text``.

    Args:
        text: any string; offsets in the result index into it.

    Returns:
        The quantities in text order, non-overlapping. Years, ages, times, dates, money,
        measures, percentages, ordinals and codes are left out (see the module docstring).
    """
    found: list[Quantity] = []
    pos = 0
    while (match := _QUANTITY.search(text, pos)) is not None:
        quantity, pos = _from_match(text, match)
        if quantity is not None:
            found.append(quantity)
    return found


def _from_match(text: str, m: re.Match[str]) -> tuple[Quantity | None, int]:
    """The quantity a candidate stands for (None when excluded) and where to search next."""
    if m["vague"]:
        return _vague(text, m), m.end()
    n1_start, raw = m.start("n1"), m["n1"]
    parsed = _parse_number(raw)
    if parsed is None:
        return None, m.end("n1")
    value, length = parsed
    whole = length == len(raw)  # False: a word run only partly a number ("twenty-first")
    if whole and m["n2"]:
        second = _parse_number(m["n2"])
        top = second[0] if second and second[1] == len(m["n2"]) else None
        bottom, scale = value, SCALES.get(m["n2"].split()[-1].casefold(), 1)
        if top and raw.split()[-1].casefold() not in SCALES and value * scale < top:
            bottom = value * scale  # "two or three hundred": the scale applies to both ends
        changed = m["between"] and _CHANGE.search(text, max(0, m.start() - 40), m.start())
        and_ok = m["sep"].strip().casefold() != "and" or m["between"]  # "and" only after "between"
        if top is not None and bottom < top and and_ok and not changed:
            start, end = m.start("between") if m["between"] else n1_start, m.end("n2")
            if _excluded(text, start, end, [(raw, bottom), (m["n2"], top)], qualified=True):
                return None, m.end()
            return Quantity(text[start:end], start, end, bottom, bottom, top, "range"), end
        if m["sep"] in ("-", "–"):  # "2013-01", "45-30": joined digits that are no range
            return None, m.end()
    end = n1_start + length
    qualifier, phrase = "exact", ""
    if m["qual"]:
        phrase = " ".join(m["qual"].casefold().split())
        qualifier = _QUALIFIERS[phrase]
    start = m.start("qual") if m["qual"] else n1_start
    if _excluded(text, start, end, [(raw[:length], value)], qualified=bool(phrase)):
        return None, end
    if whole and not m["n2"] and not m["qual"] and m["post"]:
        qualifier, end = _POSTFIX.get(m["post"].split()[-1].casefold(), "at_least"), m.end("post")
    low = None if qualifier == "at_most" else value + (qualifier == "more_than")
    high = None if qualifier in ("at_least", "more_than") else value - (phrase in _BELOW)
    return Quantity(text[start:end], start, end, value, low, high, qualifier), end


def _vague(text: str, m: re.Match[str]) -> Quantity | None:
    if m["quant"]:
        low = VAGUE_WORDS[" ".join(m["quant"].casefold().split())][0]
        for scale in m["qscale"].casefold().split():
            low *= SCALES[scale.rstrip("s")]
    else:
        base = m["base"].casefold()
        casualty = _SCORES_AFTER.match(text, m.end()) or _SCORES_BEFORE.search(
            text, max(0, m.start() - 40), m.start()
        )
        if not (m["of"] or m["base2"]) and (base == "tens" or (base == "scores" and not casualty)):
            return None
        low = VAGUE_WORDS[base][0] * (VAGUE_WORDS[m["base2"].casefold()][0] if m["base2"] else 1)
    after = text[m.end() : m.end() + 40]
    if _UNIT_AFTER.match(after) or _CODE_AFTER.match(after):
        return None
    return Quantity(m["vague"], m.start(), m.end(), None, low, None, "vague")


def _excluded(
    text: str, start: int, end: int, numbers: list[tuple[str, int]], *, qualified: bool
) -> bool:
    """Whether the numbers at ``start:end`` are a year, age, date, time, measure or code."""
    before, after = text[max(0, start - 40) : start], text[end : end + 40]
    if (
        _CODE_BEFORE.search(text[max(0, start - 2) : start])
        or _CODE_AFTER.match(after)
        or _UNIT_AFTER.match(after)
        or _MONEY_BEFORE.search(before)
        or _AGE_BEFORE.search(before)
        or _LABEL_BEFORE.search(before)
    ):
        return True
    raws, values = [raw for raw, _ in numbers], [value for _, value in numbers]
    if max(values) <= 31 and (_MONTH_AFTER.match(after) or _MONTH_BEFORE.search(before)):
        return True
    years = [
        len(r) == 4 and r.isdigit() and 1800 <= v <= 2099 for r, v in zip(raws, values, strict=True)
    ]
    if len(raws) > 1:
        return all(years)
    if years[0] and not qualified:
        return bool(_YEAR_BEFORE.search(before)) or not _LOWER_AFTER.match(after)
    if raws[0][0].isdigit():
        return bool(_PHONE.search(before + "\0" + after))
    if raws[0].casefold() == "one" and not qualified:
        return bool(_NOT_ONE.search(before)) or re.match(rf"{_S}another\b", after, re.I) is not None
    return False


def _parse_number(raw: str) -> tuple[int, int] | None:
    """The value of digits or number words, and how many characters of ``raw`` it used."""
    if not raw[0].isdigit():
        return _parse_words(raw)
    number, *scale = raw.split()
    number = number.replace(",", "")
    digits = number.split(".")[0]
    if len(digits) > MAX_DIGITS or (len(digits) > 1 and int(digits[0]) == 0):
        return None  # an ID-like string, not a count
    try:
        amount = Decimal(number) * (SCALES[scale[0].casefold()] if scale else 1)
    except InvalidOperation:
        return None
    if amount != amount.to_integral_value() or ("." in number and not scale):
        return None  # a decimal fraction is no count ("2.5"); "1.5 million" is
    return int(amount), len(raw)


def _parse_words(raw: str) -> tuple[int, int] | None:
    """Number words read left to right; stops at the first word that breaks the grammar."""
    total = current = 0
    last, half, top = "", False, 10**12  # scales only fall: "two million three thousand"
    best: tuple[int, int] | None = None
    for token in _TOKEN.finditer(raw):
        word = token[0].casefold()
        if word == "half" and not last:
            half, last = True, "half"
            continue
        if word in ("a", "an") and last in ("", "half"):
            current, last = 1, "a"
            continue
        if word == "and" and last in ("hundred", "scale"):
            continue
        if (
            word in SMALL_NUMBERS
            and SMALL_NUMBERS[word] < 10
            and last in ("", "tens", "hundred", "scale")
        ):
            current, last = current + SMALL_NUMBERS[word], "one"
        elif word in SMALL_NUMBERS and last in ("", "hundred", "scale"):
            current, last = current + SMALL_NUMBERS[word], "teen"
        elif word in _TENS and last in ("", "hundred", "scale"):
            current, last = current + _TENS[word], "tens"
        elif word == "hundred" and last in _COUNTED and current < 100:
            current, last = current * 100, "hundred"
        elif word == "dozen" and last in _COUNTED and not total:
            current, last = current * 12, "dozen"
        elif word in SCALES and last in (*_COUNTED, "hundred") and SCALES[word] < top:
            total, current, top, last = total + current * SCALES[word], 0, SCALES[word], "scale"
        else:
            break
        best = ((total + current) // (2 if half else 1), token.end())
    return best
