"""Tests for strife.taxonomy: the one table of event types and their codes."""

from __future__ import annotations

import re

import pytest

from strife.errors import InputError
from strife.taxonomy import EVENT_TYPES, OTHER_CATEGORY, EventType, codes, get_event_type

#: ACLED's event types and sub-event types as its codebook writes them (2019 on).
ACLED = {
    "Battles": {
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    },
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Explosions/Remote violence": {
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    },
    "Protests": {
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    },
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    },
}
#: PLOVER's event types (POLECAT codes in these).
PLOVER = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
}
ACLED_KEYS = [key for key, event in EVENT_TYPES.items() if event.category != OTHER_CATEGORY]
OTHER_KEYS = [key for key, event in EVENT_TYPES.items() if event.category == OTHER_CATEGORY]


def test_taxonomy_has_acled_six_types_and_25_subtypes() -> None:
    found: dict[str, set[str]] = {}
    for key in ACLED_KEYS:
        event = EVENT_TYPES[key]
        assert event.acled_event_type is not None
        assert event.acled_sub_event_type is not None
        found.setdefault(event.acled_event_type, set()).add(event.acled_sub_event_type)

    assert found == ACLED
    assert sum(len(subtypes) for subtypes in found.values()) == 25


def test_taxonomy_keys_are_unique_snake_case_category_subtype() -> None:
    keys = [event.key for event in EVENT_TYPES.values()]

    assert len(keys) == len(set(keys))
    for key, event in EVENT_TYPES.items():
        assert key == event.key == f"{event.category}/{event.subtype}"
        assert re.fullmatch(r"[a-z]+(?:_[a-z]+)*/[a-z]+(?:_[a-z]+)*", key), key


def test_taxonomy_acled_keys_follow_acled_names() -> None:
    # One snake_case category per ACLED event type: the key is derived, not invented.
    for key in ACLED_KEYS:
        event = EVENT_TYPES[key]
        assert event.acled_event_type is not None
        expected = re.sub(r"\W+", "_", event.acled_event_type.lower())
        assert event.category == expected, key


@pytest.mark.parametrize("key", ACLED_KEYS)
def test_taxonomy_acled_type_has_every_code(key: str) -> None:
    event = EVENT_TYPES[key]
    found = codes(key)

    assert set(found) == {"acled", "plover", "cameo"}
    assert found["acled"] == event.acled_sub_event_type
    if event.subtype == "other":
        # ACLED's catch-all has no PLOVER or CAMEO counterpart.
        assert found["plover"] is None
        assert found["cameo"] is None
        return
    assert found["plover"] in PLOVER
    assert found["cameo"] is not None
    assert re.fullmatch(r"\d{2,4}", found["cameo"])
    assert event.description


@pytest.mark.parametrize("key", OTHER_KEYS)
def test_taxonomy_other_types_are_not_acled(key: str) -> None:
    event = EVENT_TYPES[key]

    assert event.acled_event_type is None
    assert event.acled_sub_event_type is None
    assert codes(key)["acled"] is None
    assert event.description


def test_taxonomy_other_category_holds_the_non_violence_types() -> None:
    subtypes = {EVENT_TYPES[key].subtype for key in OTHER_KEYS}

    assert {"diplomacy", "attribution", "organized_crime"} <= subtypes
    assert {"man_made_disaster", "natural_disaster"} <= subtypes


def test_taxonomy_get_event_type_returns_the_entry() -> None:
    event = get_event_type("explosions_remote_violence/suicide_bomb")

    assert isinstance(event, EventType)
    assert event.acled_sub_event_type == "Suicide bomb"
    assert event.plover == "ASSAULT"


def test_taxonomy_unknown_key_raises_input_error_listing_keys() -> None:
    with pytest.raises(InputError) as caught:
        get_event_type("battles/skirmish")

    message = str(caught.value)
    assert "battles/skirmish" in message
    assert "battles/armed_clash" in message
    with pytest.raises(InputError):
        codes("nonsense")


def test_taxonomy_event_type_is_frozen() -> None:
    event = get_event_type("battles/armed_clash")

    with pytest.raises(AttributeError):
        event.cameo = "999"  # type: ignore[misc]
