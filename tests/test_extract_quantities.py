"""Quantities on short sentences we wrote: qualifiers, bounds, vague words and exclusions."""

from __future__ import annotations

import time
from itertools import pairwise

import pytest

from strife.extract import quantities
from strife.extract.quantities import VAGUE_WORDS, Quantity, find_quantities


def _only(sentence: str) -> Quantity:
    found = find_quantities(sentence)
    assert len(found) == 1, found
    return found[0]


def _check(sentence: str, text: str, bounds: tuple[int | None, ...], qualifier: str) -> None:
    quantity = _only(sentence)
    start = sentence.index(text)
    assert (quantity.text, quantity.start, quantity.end) == (text, start, start + len(text))
    assert (quantity.value, quantity.low, quantity.high) == bounds
    assert quantity.qualifier == qualifier


EXACT = [
    ("Activists said 45 people were killed in the raid.", "45", 45),
    ("Medics counted 1,200 wounded after the shelling.", "1,200", 1200),
    ("One man died when the checkpoint was hit.", "One", 1),
    ("Twenty-five soldiers were ambushed near the bridge.", "Twenty-five", 25),
    ("Officials said twenty five homes burned.", "twenty five", 25),
    ("The army said two hundred and fifty rebels surrendered.", "two hundred and fifty", 250),
    ("A hundred families fled the village overnight.", "A hundred", 100),
    ("Officials said fifteen hundred homes were damaged.", "fifteen hundred", 1500),
    ("The agency said 1.5 million people need shelter.", "1.5 million", 1_500_000),
    (
        "Aid workers said two million three thousand were displaced.",
        "two million three thousand",
        2_003_000,
    ),
    ("Witnesses saw a dozen bodies in the square.", "a dozen", 12),
    ("Police said half a dozen officers were hurt.", "half a dozen", 6),
    ("Rebels held two dozen hostages.", "two dozen", 24),
    ("Shelling killed 2000 people last winter.", "2000", 2000),
    ("The clinic said ٤٥ people were brought in.", "٤٥", 45),
    ("Medics treated １２ people.", "１２", 12),
    ("Residents said the strike killed 10000000000 people.", "10000000000", 10_000_000_000),
]


@pytest.mark.parametrize(("sentence", "text", "value"), EXACT, ids=[c[1] for c in EXACT])
def test_extract_quantities_exact(sentence: str, text: str, value: int) -> None:
    _check(sentence, text, (value, value, value), "exact")


QUALIFIED = [
    ("At least 45 people were killed in Homs.", "At least 45", (45, 45, None), "at_least"),
    ("Troops killed a minimum of 12 fighters.", "a minimum of 12", (12, 12, None), "at_least"),
    ("No fewer than 8 civilians died.", "No fewer than 8", (8, 8, None), "at_least"),
    ("Rescuers said 45 or more were buried.", "45 or more", (45, 45, None), "at_least"),
    ("Doctors reported 100+ wounded.", "100+", (100, 100, None), "at_least"),
    ("Monks said at least a dozen men were shot.", "at least a dozen", (12, 12, None), "at_least"),
    ("The group counted more than 100 bodies.", "more than 100", (100, 101, None), "more_than"),
    ("Officials said over 100 were wounded.", "over 100", (100, 101, None), "more_than"),
    ("It killed upwards of 300 fighters.", "upwards of 300", (300, 301, None), "more_than"),
    ("Tolls in excess of 500 were reported.", "in excess of 500", (500, 501, None), "more_than"),
    ("Rebels took more than a dozen hostages.", "more than a dozen", (12, 13, None), "more_than"),
    ("The raid left up to 10 dead.", "up to 10", (10, None, 10), "at_most"),
    ("Guards detained at most 4 men.", "at most 4", (4, None, 4), "at_most"),
    ("As many as 50 may have died.", "As many as 50", (50, None, 50), "at_most"),
    ("No more than 5 people were hurt.", "No more than 5", (5, None, 5), "at_most"),
    ("Fewer than 10 survived the fire.", "Fewer than 10", (10, None, 9), "at_most"),
    ("It left up to a hundred civilians dead.", "up to a hundred", (100, None, 100), "at_most"),
    ("The blast killed about 50 people.", "about 50", (50, 50, 50), "about"),
    ("Around 30 shops were looted.", "Around 30", (30, 30, 30), "about"),
    ("Some 200 families fled.", "Some 200", (200, 200, 200), "about"),
    ("Nearly 50 bodies were recovered.", "Nearly 50", (50, 50, 50), "about"),
    ("Almost 30 were taken to hospital.", "Almost 30", (30, 30, 30), "about"),
    ("Approximately 3,000 people marched.", "Approximately 3,000", (3000, 3000, 3000), "about"),
    ("Roughly 40 fighters surrendered.", "Roughly 40", (40, 40, 40), "about"),
    ("An estimated 50 civilians died.", "An estimated 50", (50, 50, 50), "about"),
    ("The mob beat 45 or so protesters.", "45 or so", (45, 45, 45), "about"),
]


@pytest.mark.parametrize(
    ("sentence", "text", "bounds", "qualifier"), QUALIFIED, ids=[c[1] for c in QUALIFIED]
)
def test_extract_quantities_qualified(
    sentence: str, text: str, bounds: tuple[int | None, ...], qualifier: str
) -> None:
    _check(sentence, text, bounds, qualifier)


RANGES = [
    ("Between 10 and 15 soldiers were killed.", "Between 10 and 15", 10, 15),
    ("Shelling killed 10 to 15 people.", "10 to 15", 10, 15),
    ("Shelling killed 10-15 people.", "10-15", 10, 15),
    ("Shelling killed 10–15 people.", "10–15", 10, 15),
    ("Mortars killed from 20 to 30 people a day.", "from 20 to 30", 20, 30),
    ("The strike killed two or three children.", "two or three", 2, 3),
    ("Between five and ten guards fled.", "Between five and ten", 5, 10),
    ("Two to three hundred people gathered.", "Two to three hundred", 200, 300),
    ("Between 10 and 15 thousand marched.", "Between 10 and 15 thousand", 10_000, 15_000),
]


@pytest.mark.parametrize(("sentence", "text", "low", "high"), RANGES, ids=[c[1] for c in RANGES])
def test_extract_quantities_range(sentence: str, text: str, low: int, high: int) -> None:
    _check(sentence, text, (low, low, high), "range")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The toll rose from 10 to 15 overnight.", [("10", 10), ("15", 15)]),
        ("The toll rose from two to three hundred.", [("two", 2), ("three hundred", 300)]),
        ("Shelling killed 5 and 10 were hurt.", [("5", 5), ("10", 10)]),
        ("Between them 5 to 3 men fled.", [("5", 5), ("3", 3)]),
    ],
)
def test_extract_quantities_not_a_range(sentence: str, expected: list[tuple[str, int]]) -> None:
    found = find_quantities(sentence)
    assert [(q.text, q.value) for q in found] == expected
    assert {q.qualifier for q in found} == {"exact"}


VAGUE = [
    ("Activists said scores of men were butchered.", "scores of", 20),
    ("Scores were injured in the crush.", "Scores", 20),
    ("The militia killed scores in the village.", "scores", 20),
    ("Dozens of civilians were killed in the strikes.", "Dozens of", 12),
    ("The blast injured dozens.", "dozens", 12),
    ("Shelling killed tens of people.", "tens of", 10),
    ("The siege left hundreds dead.", "hundreds", 100),
    ("Thousands of people fled the city.", "Thousands of", 1000),
    ("Tens of thousands marched on Friday.", "Tens of thousands", 10_000),
    ("It displaced hundreds of thousands of people.", "hundreds of thousands of", 100_000),
    ("Several protesters were shot.", "Several", 3),
    ("Several hundred troops arrived.", "Several hundred", 300),
    ("A few dozen fighters defected.", "A few dozen", 24),
    ("Forces detained numerous suspected insurgents.", "numerous", 4),
    ("Forces detained multiple suspected insurgents.", "multiple", 3),
    ("A number of videos showed the bodies.", "A number of", 3),
    ("A few were rescued from the rubble.", "A few", 2),
    ("A couple of guards were wounded.", "A couple of", 2),
    ("A handful of men escaped.", "A handful of", 2),
]


@pytest.mark.parametrize(("sentence", "text", "low"), VAGUE, ids=[c[1] for c in VAGUE])
def test_extract_quantities_vague(sentence: str, text: str, low: int) -> None:
    _check(sentence, text, (None, low, None), "vague")


EXCLUDED = [
    "The uprising began in 2012.",
    "Protests have continued since 2011.",
    "The war years 2011-2013 were the worst.",
    "Talks were held between 2011 and 2013.",
    "A 43-year-old man was arrested.",
    "The victim, aged 45, was a teacher.",
    "Recruits aged between 18 and 30 were called up.",
    "The curfew starts at 21:00.",
    "The attack came at 9 pm.",
    "Shops close at 10.30am.",
    "The attack on 12 March shocked the city.",
    "The attack on March 12 shocked the city.",
    "KABUL, Afghanistan (Jan. 25, 2013) - A security force arrested a man.",
    "Prices rose by 5% in a week.",
    "Turnout reached 45 per cent.",
    "Bread now costs $5 in the city.",
    "A ticket costs £1 here.",
    "Fuel rose to 5 dollars a litre.",
    "The convoy was 10 km from the border.",
    "They walked 3 miles to the camp.",
    "The wall is 500 metres long.",
    "Police seized 5 kg of explosives.",
    "The siege lasted three days.",
    "Rescuers worked for 24 hours.",
    "The 3rd battalion moved north.",
    "It was the second attack this month.",
    "The release 2013-01-S-025 was issued.",
    "An F-16 crashed near the base.",
    "The council cited resolution UN1325.",
    "The index showed a 2.5 rise.",
    "The group sold 2m barrels.",
    "Snipers fired from 10km away.",
    "Gunmen blocked Route 66.",
    "Call +44 20 7946 0958 for help.",
    "It was the worst of the twenty-first century.",
    "The factions blamed one another.",
    "No one was hurt in the blast.",
    "A man was killed near the market.",
    "Test scores improved this year.",
    "The road was closed for a couple of days.",
    "The convoy was delayed several times.",
    "",
]


@pytest.mark.parametrize("sentence", EXCLUDED)
def test_extract_quantities_excluded(sentence: str) -> None:
    assert find_quantities(sentence) == []


MIXED = [
    ("On 12 March, 45 people were killed.", ["45"]),
    ("In 2012, 45 were killed in Homs.", ["45"]),
    ("A 43-year-old and 3 children died.", ["3"]),
    ("Over three days, more than 100 bodies arrived.", ["more than 100"]),
    ("Some 1,500 families fled the 10 km strip.", ["Some 1,500"]),
]


@pytest.mark.parametrize(("sentence", "texts"), MIXED, ids=[c[0] for c in MIXED])
def test_extract_quantities_excluded_beside_counts(sentence: str, texts: list[str]) -> None:
    assert [q.text for q in find_quantities(sentence)] == texts


PARAGRAPHS = [
    "Local activists said 45 people, including 10 children, were killed by militias in Homs on "
    "Sunday. The monitoring group said more than 100 bodies had arrived over three days, and "
    "that dozens of others were wounded. State media blamed terrorists for the deaths of "
    "between 10 and 15 soldiers.",
    "KABUL, Afghanistan (Jan. 25, 2013) - An Afghan and coalition security force detained "
    "numerous suspected insurgents and killed two others in Nangarhar. The force also seized "
    "several AK-47s, 5 kg of explosives and a 2.5 m rocket. Release 2013-01-S-025.",
    "At 21:00 on 12 March 2012 a 43-year-old man saw scores of men (perhaps 200 or so) led "
    'away; "at least a dozen" were shot ((( unbalanced [[ 1,200 $5 15% twenty-five up to 3.',
    "Nearly fifty were hurt; about 3,000 fled; as many as two hundred and fifty died; tens "
    "of thousands marched; one or two hid; 10-15 more were missing; 2011-2013; F-16; UN1325.",
]


@pytest.mark.parametrize("paragraph", PARAGRAPHS)
def test_extract_quantities_spans_are_slices(paragraph: str) -> None:
    found = find_quantities(paragraph)
    assert found
    for quantity in found:
        assert quantity.text == paragraph[quantity.start : quantity.end]
    for first, second in pairwise(found):
        assert first.end <= second.start


def test_extract_quantities_robust_on_odd_input() -> None:
    assert find_quantities("1" * 100_000) == []  # ID-like, and too long to print as an int
    assert [q.text for q in find_quantities('((( "at least 3 ]] [')] == ["at least 3"]
    assert find_quantities("\x00 1 \x00 2 \u2028 3") is not None
    # "ſ" matches "s" when ignoring case: the words must still be found in the tables
    assert [q.low for q in find_quantities("ſeveral died; ſome 5 fled")] == [3, 5]
    started = time.perf_counter()
    long_text = "Activists said at least 45 people were killed in 2012. " * 4000
    assert len(find_quantities(long_text)) == 4000
    for junk in ("one " * 20_000, "twenty-" * 20_000, "a" * 200_000, "1-" * 50_000):
        find_quantities(junk)
    assert time.perf_counter() - started < 10  # linear: a quadratic scan takes minutes


def test_extract_quantities_vague_table_documented() -> None:
    doc = quantities.__doc__ or ""
    for word, (low, reason) in VAGUE_WORDS.items():
        assert f"| {word} | {low:,} | {reason} |" in doc
