"""Tests for strife.extract.typing: which event type a sentence reports.

Every sentence here was written for these tests; none comes from an
evaluation set (CASE 2021 is scored by ``strife eval case2021``).
"""

from __future__ import annotations

import pytest

from strife.extract import _triggers as triggers
from strife.extract.typing import EventTyping, classify_event
from strife.taxonomy import EVENT_TYPES

CASES: list[tuple[str, str, str]] = [
    # (id, sentence, expected key)
    (
        "attack_gunmen",
        "Gunmen opened fire on worshippers leaving a church in the north of the country.",
        "violence_against_civilians/attack",
    ),
    (
        "attack_displaced_camp",
        "At least 50 people were killed in an attack on a camp for displaced people.",
        "violence_against_civilians/attack",
    ),
    (
        "clash_fighting_between",
        "Fighting between the army and rebels of the Northern Front left 30 dead near Kessel.",
        "battles/armed_clash",
    ),
    (
        "clash_checkpoint",
        "Militants attacked an army checkpoint on the highway, killing four soldiers.",
        "battles/armed_clash",
    ),
    (
        "gov_regains",
        "Government troops recaptured the town of Ardin from the rebels on Sunday.",
        "battles/government_regains_territory",
    ),
    (
        "gov_drove_out",
        "The army drove the militants out of the town after heavy fighting.",
        "battles/government_regains_territory",
    ),
    (
        "nsa_overtakes",
        "Rebel fighters took control of the border crossing at Kelso after heavy fighting.",
        "battles/non_state_actor_overtakes_territory",
    ),
    (
        "nsa_reported_speech",
        "An army spokesman said insurgents had overrun two villages near the river.",
        "battles/non_state_actor_overtakes_territory",
    ),
    (
        "nsa_fell_to",
        "The town fell to the rebels on Thursday after a week of fighting.",
        "battles/non_state_actor_overtakes_territory",
    ),
    (
        "clash_group_name_is_not_territory",
        "Security forces killed 40 fighters of the Popular Liberation Army in the hills.",
        "battles/armed_clash",
    ),
    (
        "transfer_withdrawal",
        "The militia withdrew from the port city, and the army moved in without a fight.",
        "strategic_developments/non_violent_transfer_of_territory",
    ),
    (
        "car_bomb",
        "A car bomb exploded outside the ministry, killing nine people.",
        "explosions_remote_violence/remote_explosive_landmine_ied",
    ),
    (
        "landmine",
        "A landmine killed three children herding goats near the frontline.",
        "explosions_remote_violence/remote_explosive_landmine_ied",
    ),
    (
        "suicide_bomber",
        "A suicide bomber blew himself up at a crowded bus station, killing 14.",
        "explosions_remote_violence/suicide_bomb",
    ),
    (
        "air_warplanes",
        "Warplanes bombed a market in the rebel-held town, killing at least 20 civilians.",
        "explosions_remote_violence/air_drone_strike",
    ),
    (
        "air_drone",
        "A drone strike hit a car carrying two militant commanders.",
        "explosions_remote_violence/air_drone_strike",
    ),
    (
        "shelling",
        "Artillery shelling of residential districts continued for a third day.",
        "explosions_remote_violence/shelling_artillery_missile_attack",
    ),
    (
        "rockets",
        "Militants fired rockets at an army base, the military said.",
        "explosions_remote_violence/shelling_artillery_missile_attack",
    ),
    (
        "grenade",
        "Attackers threw a grenade into a bar, injuring eight customers.",
        "explosions_remote_violence/grenade",
    ),
    (
        "chemical",
        "Residents said helicopters dropped canisters of chlorine gas on the suburb.",
        "explosions_remote_violence/chemical_weapon",
    ),
    (
        "sexual_violence",
        "Soldiers raped at least a dozen women during the raid, a rights group said.",
        "violence_against_civilians/sexual_violence",
    ),
    (
        "abduction",
        "Gunmen abducted 30 students from a boarding school overnight.",
        "violence_against_civilians/abduction_forced_disappearance",
    ),
    (
        "peaceful_protest",
        "Thousands of teachers marched through the capital to demand higher wages.",
        "protests/peaceful_protest",
    ),
    (
        "protest_grievance_not_intervention",
        "Protesters rallied to demand the release of activists detained last week.",
        "protests/peaceful_protest",
    ),
    (
        "protest_tear_gas",
        "Police fired tear gas to disperse students protesting against tuition fees.",
        "protests/protest_with_intervention",
    ),
    (
        "protest_excessive_force",
        "Security forces opened fire on protesters, killing five, in the central square.",
        "protests/excessive_force_against_protesters",
    ),
    (
        "protest_arrests_at_march",
        "Police detained more than 200 people as they tried to hold a march against the president.",
        "protests/protest_with_intervention",
    ),
    (
        "violent_demonstration",
        "Protesters hurled stones at police and set tyres on fire on the main road.",
        "riots/violent_demonstration",
    ),
    (
        "mob",
        "A mob lynched a man accused of stealing a motorbike.",
        "riots/mob_violence",
    ),
    (
        "agreement",
        "The two sides signed a ceasefire agreement in the capital on Friday.",
        "strategic_developments/agreement",
    ),
    (
        "hostages_released",
        "The rebels released 20 hostages under a prisoner exchange deal.",
        "strategic_developments/agreement",
    ),
    (
        "arrests",
        "Police arrested the opposition leader at his home early on Tuesday.",
        "strategic_developments/arrests",
    ),
    (
        "defection",
        "Hundreds of fighters defected from the rebel group to the government side.",
        "strategic_developments/change_to_group_activity",
    ),
    (
        "weapons_found",
        "Soldiers found a cache of weapons and ammunition buried in a farm.",
        "strategic_developments/disrupted_weapons_use",
    ),
    (
        "base_established",
        "The foreign troops established a new military base near the airport.",
        "strategic_developments/headquarters_or_base_established",
    ),
    (
        "looting",
        "Looters ransacked shops and set fire to warehouses in the market district.",
        "strategic_developments/looting_property_destruction",
    ),
    (
        "mass_graves",
        "Mass graves containing dozens of bodies were found outside the city.",
        "strategic_developments/other",
    ),
    (
        "diplomacy_sanctions",
        "The European Union froze assets and imposed sanctions on the junta.",
        "other/diplomacy",
    ),
    (
        "diplomacy_cause_not_event",
        "The government imposed sanctions over the chemical weapons attack.",
        "other/diplomacy",
    ),
    (
        "attribution_claim",
        "The group claimed responsibility for the bombing in a statement.",
        "other/attribution",
    ),
    (
        "attribution_denial",
        "The rebels denied any involvement in the massacre.",
        "other/attribution",
    ),
    (
        "crime",
        "Police dismantled a drug trafficking ring and seized two tonnes of cocaine.",
        "other/organized_crime",
    ),
    (
        "man_made_disaster",
        "Twelve people died when a bus plunged into a ravine.",
        "other/man_made_disaster",
    ),
    (
        "natural_disaster",
        "Floods swept away homes and forced thousands to flee.",
        "other/natural_disaster",
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_typing_classifies_hand_written_sentence(sentence: str, expected: str) -> None:
    typing = classify_event(sentence)

    assert typing is not None
    assert typing.key == expected, typing
    assert sentence[typing.start : typing.end] == typing.trigger
    assert 0.0 < typing.score <= 1.0


def test_typing_cases_cover_every_type() -> None:
    assert {case[2] for case in CASES} == set(EVENT_TYPES)


def test_typing_keys_are_taxonomy_keys() -> None:
    constants = {
        value
        for name, value in vars(triggers).items()
        if name.isupper() and isinstance(value, str) and "/" in value
    }

    assert constants == set(EVENT_TYPES)


@pytest.mark.parametrize(
    "sentence",
    [
        "The central bank left interest rates unchanged on Thursday.",
        "The film festival opens on Friday with a premiere.",
        "",
    ],
)
def test_typing_returns_none_without_trigger(sentence: str) -> None:
    assert classify_event(sentence) is None


def test_typing_negated_claim_is_not_attribution() -> None:
    typing = classify_event("A roadside bomb hit the convoy; no group has claimed responsibility.")

    assert typing is not None
    assert typing.key == "explosions_remote_violence/remote_explosive_landmine_ied"


def test_typing_intent_is_weaker_than_event() -> None:
    typing = classify_event("Police arrested six men suspected of plotting to attack a church.")

    assert typing is not None
    assert typing.key == "strategic_developments/arrests"


def test_typing_weak_cue_scores_low() -> None:
    strong = classify_event("A suicide bomber struck a market.")
    weak = classify_event("They attacked again on Sunday.")

    assert strong is not None
    assert weak is not None
    assert weak.score < 0.3 < strong.score


@pytest.mark.parametrize(
    "sentence",
    [
        "The minister attacked the budget plan.",
        "The Foreign Secretary, Jane Moss, again attacked the regime in a speech.",
    ],
)
def test_typing_a_politicians_attack_in_words_is_no_event(sentence: str) -> None:
    assert classify_event(sentence) is None


def test_typing_accepts_doc_and_span_with_doc_offsets() -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    text = "Markets were quiet. Gunmen abducted 30 students from a school."
    doc = nlp(text)
    sentence = doc[4:]  # the second sentence, as a Span

    from_doc = classify_event(doc)
    from_span = classify_event(sentence)

    assert isinstance(from_span, EventTyping)
    assert from_doc == from_span
    assert from_span.key == "violence_against_civilians/abduction_forced_disappearance"
    assert doc.text[from_span.start : from_span.end] == from_span.trigger == "abducted"
    assert from_span.start == text.index("abducted")
