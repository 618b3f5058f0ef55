"""The extract stage end to end on short articles we wrote, and the reconciliation rule."""

from __future__ import annotations

from typing import Any

import pytest

from strife.document import Claim, Document
from strife.extract.events import reconcile
from strife.pipeline import extract_pipeline, run_text
from strife.settings import Settings

MARKET_ATTACK = """Gunmen kill villagers in Tal Rima market, rival sources blame each other

Opposition activists said that dozens of men, women and children had been killed by \
pro-government militias in the market town of Tal Rima on Sunday.

The Regional Rights Monitor, a group that documents abuses, said 27 people had been \
killed in the attack. State television blamed the killings on "armed gangs".

In a separate incident, a roadside bomb exploded near the northern city of Qasr Hamad, \
killing four soldiers, the army said.

No one was killed when a second device was found and defused on Monday. Officials warned \
that further attacks could kill hundreds.
"""


@pytest.fixture(scope="module")
def market(nlp: Any) -> Document:
    return run_text(extract_pipeline(), MARKET_ATTACK, settings=Settings(), location="market")


def _sources(document: Document) -> dict[str, str]:
    return {source.id: source.name for source in document.sources}


def _figures(document: Document) -> list[tuple[str, int | str | None, str, str]]:
    names = _sources(document)
    return [
        (claim.property, claim.value, str(claim.qualifier), names[claim.source])
        for event in document.events
        for claim in event.claims
        if claim.property in {"fatalities", "injuries"}
    ]


def test_extract_events_keep_each_figure_with_its_source(market: Document) -> None:
    figures = _figures(market)
    assert ("fatalities", None, "vague", "Opposition activists") in figures
    assert ("fatalities", 27, "exact", "Regional Rights Monitor") in figures
    assert ("fatalities", 4, "exact", "the army") in figures


def test_extract_events_separate_incidents_by_type_and_place(market: Document) -> None:
    by_figure = {
        claim.value: event.category
        for event in market.events
        for claim in event.claims
        if claim.property == "fatalities"
    }
    assert by_figure[27] == "violence_against_civilians"
    assert by_figure[4] == "explosions_remote_violence"


def test_extract_events_mark_a_disputed_perpetrator(market: Document) -> None:
    attack = next(e for e in market.events if any(c.value == 27 for c in e.claims))
    kinds = {actor.kind for actor in attack.actors if actor.role == "perpetrator"}
    assert "pro_government_militia" in kinds
    assert attack.perpetrator_disputed
    assert "civilians" in {actor.kind for actor in attack.actors if actor.role == "victim"}


def test_extract_events_make_no_claim_the_text_does_not_make(market: Document) -> None:
    values = {value for _, value, _, _ in _figures(market)}
    assert 0 not in values  # "No one was killed"
    assert 100 not in values  # "could kill hundreds" is a warning, not a toll


def test_extract_events_offsets_point_at_the_claim_words(market: Document) -> None:
    assert market.article is not None
    for event in market.events:
        for claim in event.claims:
            assert market.article.text[claim.start : claim.end] == claim.text


def test_extract_events_drop_absurd_counts_with_a_warning(nlp: Any) -> None:
    text = (
        "Officials dispute toll\n\nRebels said the air strikes killed 10000000000 people in the "
        "valley on Friday, a figure officials called absurd."
    )
    document = run_text(extract_pipeline(), text, settings=Settings())
    assert all(c.low is None or c.low < 10**9 for e in document.events for c in e.claims)
    assert "W401" in {problem.code for problem in document.problems}


def test_extract_events_skip_war_tolls(nlp: Any) -> None:
    text = (
        "A long war\n\nMore than 300,000 people have been killed since the war began in 2011, "
        "a monitoring group said. On Tuesday, shelling killed three children in the old city."
    )
    document = run_text(extract_pipeline(), text, settings=Settings())
    values = [c.value for e in document.events for c in e.claims if c.property == "fatalities"]
    assert values == [3]


def _claim(value: int | None, low: int | None, high: int | None, qualifier: str) -> Claim:
    return Claim("s1", "fatalities", value, "x", 0, 1, low=low, high=high, qualifier=qualifier)


def test_extract_reconcile_takes_the_lowest_specific_figure() -> None:
    figures = reconcile(
        [
            _claim(None, 20, None, "vague"),  # "scores"
            _claim(45, 45, 45, "exact"),
            _claim(100, 101, None, "more_than"),
        ]
    )
    assert (figures.low, figures.best, figures.high) == (20, 45, None)
    assert figures.rule == "acled_lowest_specific"


def test_extract_reconcile_uses_a_vague_bound_only_when_nothing_else() -> None:
    figures = reconcile([_claim(None, 12, None, "vague")])
    assert (figures.low, figures.best, figures.high) == (12, 12, None)
    closed = reconcile([_claim(10, 10, 15, "range"), _claim(12, 12, 12, "exact")])
    assert (closed.low, closed.best, closed.high) == (10, 10, 15)


def _claims_of(text: str) -> list[tuple[str, int | str | None, str]]:
    document = run_text(extract_pipeline(), text, settings=Settings())
    return [(c.property, c.value, c.text) for e in document.events for c in e.claims]


def test_extract_events_parts_of_a_figure_are_not_figures(nlp: Any) -> None:
    claims = _claims_of(
        "Market attack\n\nThe air strike killed 21 people, including three children, and "
        "wounded 18, two of them seriously, medics said."
    )
    values = {value for prop, value, _ in claims if prop in {"fatalities", "injuries"}}
    assert values == {21, 18}


def test_extract_events_killed_or_injured_counts_neither(nlp: Any) -> None:
    claims = _claims_of(
        "Shelling hits suburbs\n\nActivists said hundreds of people were killed or injured "
        "in the shelling of the eastern suburbs on Friday."
    )
    assert [c for c in claims if c[0] in {"fatalities", "injuries"}] == []


def test_extract_events_one_detainee_named_without_a_number(nlp: Any) -> None:
    claims = _claims_of(
        "Raid in the north\n\nA joint force captured a militant commander during a raid on a "
        "compound in the north on Sunday. The force also detained two suspected fighters."
    )
    arrests = sorted(value for prop, value, _ in claims if prop == "arrests")
    assert arrests == [1, 2]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "A joint force captured a militia commander and one suspected fighter in the "
            "north on Sunday.",
            [1, 1],
        ),
        (
            "A joint force captured a militia commander in the north on Sunday. The commander "
            "led attacks on police posts. One additional suspected fighter was detained.",
            [1, 1],
        ),
        (
            "A joint patrol detained a suspected militia leader and another wanted associate "
            "in the north on Sunday.",
            [1, 1],
        ),
        ("Two men were taken into custody by police in the north on Sunday.", [2]),
        (
            "A joint force detained a number of suspected fighters and multiple rifles in the "
            "north on Sunday.",
            [3],
        ),
    ],
    ids=["listed", "one-additional", "another", "into-custody", "a-number-of-not-one"],
)
def test_extract_events_each_group_of_detainees_is_a_claim(
    nlp: Any, body: str, expected: list[int]
) -> None:
    document = run_text(extract_pipeline(), f"Raid in the north\n\n{body}", settings=Settings())
    lows = [c.low for e in document.events for c in e.claims if c.property == "arrests"]
    assert sorted(low or 0 for low in lows) == expected


def test_extract_events_the_weapon_types_the_incident_not_the_dying(nlp: Any) -> None:
    document = run_text(
        extract_pipeline(),
        "Strikes on the old city\n\nAt least 15 civilians were killed and many wounded in "
        "fresh air strikes on the old city on Sunday, rescuers said.",
        settings=Settings(),
    )
    typed = {e.subtype for e in document.events if any(c.value == 15 for c in e.claims)}
    assert typed == {"air_drone_strike"}


def test_extract_events_one_as_a_pronoun_is_no_count(nlp: Any) -> None:
    claims = _claims_of(
        "Funeral in the old town\n\nMourners carried the body of a loved one through the "
        "streets after shelling killed six people on Friday, residents said."
    )
    assert [value for prop, value, _ in claims if prop == "fatalities"] == [6]


def test_extract_events_a_named_weapon_makes_an_attack_remote_violence(nlp: Any) -> None:
    document = run_text(
        extract_pipeline(),
        "Massacre in the valley\n\nAt least 30 villagers were massacred in Wadi Salma on "
        "Tuesday, activists said. Residents said warplanes bombed the village for two hours.",
        settings=Settings(),
    )
    event = next(e for e in document.events if any(c.value == 30 for c in e.claims))
    assert event.category == "explosions_remote_violence"


def test_extract_events_the_place_nearest_the_trigger_sets_incidents_apart(nlp: Any) -> None:
    document = run_text(
        extract_pipeline(),
        "Two attacks\n\nGunmen killed five civilians in Tal Rima on Monday, police said.\n\n"
        "As well as the killings in Tal Rima, a car bomb exploded in Qasr Hamad on Tuesday, "
        "killing two soldiers.",
        settings=Settings(),
    )
    by_value = {
        c.value: e.id for e in document.events for c in e.claims if c.property == "fatalities"
    }
    assert by_value[5] != by_value[2]


def test_extract_events_one_of_the_days_is_no_count(nlp: Any) -> None:
    claims = _claims_of(
        "Crackdown\n\nRights groups said security forces killed 80 protesters in one of the "
        "bloodiest days of the uprising."
    )
    assert [value for prop, value, _ in claims if prop == "fatalities"] == [80]


def test_extract_events_a_denial_is_kept_as_denied_not_as_a_version(nlp: Any) -> None:
    document = run_text(
        extract_pipeline(),
        "Village raid\n\nResidents said soldiers killed seven farmers in Kefr Amal on Monday. "
        "The army denied killing civilians in the village.",
        settings=Settings(),
    )
    event = next(e for e in document.events if any(c.value == 7 for c in e.claims))
    hedges = {c.hedge for c in event.claims if c.property == "perpetrator"}
    assert "denied" in hedges
    assert not event.perpetrator_disputed


@pytest.mark.parametrize(
    "text",
    [
        'Clashes\n\n"We will not leave, the commander said as 12 fighters were killed in the '
        "fighting near the dam.",  # a quotation that never closes
        "Numbers\n\nIn 2012, aged 45, he left at 21:00 with $300 and 3 km to go; none of these "
        "is a casualty.",
        "Long\n\n" + "Shelling killed four people in the market on Monday, medics said. " * 400,
    ],
    ids=["unclosed-quote", "not-counts", "long-article"],
)
def test_extract_events_odd_text_never_crashes_nor_invents(nlp: Any, text: str) -> None:
    document = run_text(extract_pipeline(), text, settings=Settings())
    values = {c.value for e in document.events for c in e.claims if c.property == "fatalities"}
    assert values <= {12, 4}
    assert not {2012, 45, 21, 300, 3} & values


@pytest.mark.parametrize(
    "sentence",
    [
        "A joint patrol arrested the senior militia commander Farid Osmani in the north today.",
        "The force confirmed the capture of a senior militia commander in the north today.",
        "A joint patrol apprehended a militia commander in the north today.",
    ],
)
def test_extract_events_one_named_or_described_detainee_counts_one(nlp: Any, sentence: str) -> None:
    claims = _claims_of(f"Arrest in the north\n\n{sentence}")
    assert [value for prop, value, _ in claims if prop == "arrests"] == [1]


def test_extract_events_an_aim_and_a_running_total_are_not_counts(nlp: Any) -> None:
    claims = _claims_of(
        "Raid in the east\n\nA joint force conducted an operation to capture a militia "
        "commander in the east today and detained two suspected fighters. Security forces "
        "have detained more than 125 suspected fighters since December 1."
    )
    assert [value for prop, value, _ in claims if prop == "arrests"] == [2]
