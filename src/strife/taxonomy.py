"""The one table of event types, with their ACLED, PLOVER and CAMEO codes.

Keys are ``"category/subtype"`` in snake_case. The six ACLED event types and
their 25 sub-event types come first, named as in ACLED's codebook (2019 on);
``acled_event_type`` and ``acled_sub_event_type`` hold ACLED's own spelling.
Each carries the PLOVER event type (the ontology POLECAT codes in) and the
CAMEO code (GDELT's), so users of those data sets can join on them; the
PLOVER type follows the CAMEO code through PLOVER's own conversion table
(``CAMEO2PLOVER``, openeventdata/PLOVER), except where noted.

The ``other/`` category is not ACLED's: it holds news an event classifier must
recognise in order to *reject* it (diplomatic rows, claims of responsibility,
crime, disasters), following the extra labels of the CASE 2021 shared task
(task 2). These types have ``acled_* = None``, and no PLOVER or CAMEO code
either, since neither scheme has one category for them.

Nothing else in strife hard-codes these names or codes: read them from
:data:`EVENT_TYPES`, :func:`get_event_type` or :func:`codes`.
"""

from __future__ import annotations

from dataclasses import dataclass

from strife.errors import InputError

#: The category that holds the non-ACLED types.
OTHER_CATEGORY = "other"


@dataclass(frozen=True, slots=True)
class EventType:
    """One event type and its codes in the schemes strife joins with."""

    key: str
    category: str
    subtype: str
    acled_event_type: str | None
    acled_sub_event_type: str | None
    plover: str | None
    cameo: str | None
    description: str


def _type(
    key: str,
    acled: tuple[str, str] | None,
    plover: str | None,
    cameo: str | None,
    description: str,
) -> EventType:
    category, subtype = key.split("/")
    event_type, sub_event_type = acled if acled is not None else (None, None)
    return EventType(key, category, subtype, event_type, sub_event_type, plover, cameo, description)


_BATTLES = "Battles"
_CIVILIANS = "Violence against civilians"
_REMOTE = "Explosions/Remote violence"
_PROTESTS = "Protests"
_RIOTS = "Riots"
_STRATEGIC = "Strategic developments"

_TYPES = (
    # Battles: violent interactions between two organised armed groups.
    _type(
        "battles/armed_clash",
        (_BATTLES, "Armed clash"),
        "ASSAULT",
        "190",
        "Armed, organised groups fight each other; no territory changes hands.",
    ),
    _type(
        "battles/government_regains_territory",
        (_BATTLES, "Government regains territory"),
        "COERCE",
        "192",
        "Government forces or their affiliates win back territory held by a non-state group.",
    ),
    _type(
        "battles/non_state_actor_overtakes_territory",
        (_BATTLES, "Non-state actor overtakes territory"),
        "COERCE",
        "192",
        "A non-state armed group takes territory from the state or another group by force.",
    ),
    # Violence against civilians: an organised armed group harms unarmed people.
    _type(
        "violence_against_civilians/sexual_violence",
        (_CIVILIANS, "Sexual violence"),
        "ASSAULT",
        "1821",
        "Rape, sexual assault or other sexual violence against civilians.",
    ),
    _type(
        "violence_against_civilians/attack",
        (_CIVILIANS, "Attack"),
        "ASSAULT",
        "180",
        "Armed attackers kill, wound or assault unarmed civilians (shootings, massacres).",
    ),
    _type(
        "violence_against_civilians/abduction_forced_disappearance",
        (_CIVILIANS, "Abduction/forced disappearance"),
        "ASSAULT",
        "181",
        "Civilians are abducted, kidnapped, taken hostage or forcibly disappeared.",
    ),
    # Explosions/Remote violence: one side cannot respond to the weapon used.
    _type(
        "explosions_remote_violence/chemical_weapon",
        (_REMOTE, "Chemical weapon"),
        "ASSAULT",
        "2041",
        "Use of chemical weapons: chlorine, sarin, mustard or other poison gas.",
    ),
    _type(
        "explosions_remote_violence/air_drone_strike",
        (_REMOTE, "Air/drone strike"),
        "ASSAULT",
        "195",
        "Air strikes, bombing from aircraft or helicopters, and armed drone strikes.",
    ),
    _type(
        "explosions_remote_violence/suicide_bomb",
        (_REMOTE, "Suicide bomb"),
        "ASSAULT",
        "1831",
        "An attacker detonates explosives carried on the body or in a vehicle they drive.",
    ),
    _type(
        "explosions_remote_violence/shelling_artillery_missile_attack",
        (_REMOTE, "Shelling/artillery/missile attack"),
        "ASSAULT",
        "194",
        "Long-range fire: shelling, artillery, mortars, rockets and missiles.",
    ),
    _type(
        "explosions_remote_violence/remote_explosive_landmine_ied",
        (_REMOTE, "Remote explosive/landmine/IED"),
        "ASSAULT",
        "183",
        "Planted or remotely detonated explosives: IEDs, car and roadside bombs, landmines.",
    ),
    _type(
        "explosions_remote_violence/grenade",
        (_REMOTE, "Grenade"),
        "ASSAULT",
        "183",
        "A grenade is thrown or fired at people or property.",
    ),
    # Protests: demonstrations by unarmed people.
    _type(
        "protests/peaceful_protest",
        (_PROTESTS, "Peaceful protest"),
        "PROTEST",
        "141",
        "Demonstrators gather, march or strike without violence and are not stopped.",
    ),
    _type(
        "protests/protest_with_intervention",
        (_PROTESTS, "Protest with intervention"),
        "PROTEST",
        "141",
        "A peaceful protest is dispersed or suppressed: tear gas, arrests, no deaths.",
    ),
    _type(
        "protests/excessive_force_against_protesters",
        (_PROTESTS, "Excessive force against protesters"),
        "ASSAULT",
        "175",
        "Lethal or severe force against peaceful protesters (live fire, killings, beatings).",
    ),
    # Riots: violent demonstrations and mob violence.
    _type(
        "riots/violent_demonstration",
        (_RIOTS, "Violent demonstration"),
        "PROTEST",
        "145",
        "Demonstrators turn violent: clashes with police, stone throwing, arson, barricades.",
    ),
    # PLOVER's PROTEST/riot is a demonstration; a mob with no demonstration is an assault.
    _type(
        "riots/mob_violence",
        (_RIOTS, "Mob violence"),
        "ASSAULT",
        "180",
        "A disorganised crowd attacks people or property: lynching, communal violence.",
    ),
    # Strategic developments: important events that are not violent interactions.
    # PLOVER's table puts CAMEO 057 under SUPPORT; PLOVER's codebook defines AGREE
    # as the agreement itself, which is what ACLED records.
    _type(
        "strategic_developments/agreement",
        (_STRATEGIC, "Agreement"),
        "AGREE",
        "057",
        "Ceasefires, peace deals, prisoner exchanges, surrenders and other agreements.",
    ),
    _type(
        "strategic_developments/arrests",
        (_STRATEGIC, "Arrests"),
        "COERCE",
        "173",
        "Arrests and detentions by state forces, especially of political figures.",
    ),
    _type(
        "strategic_developments/change_to_group_activity",
        (_STRATEGIC, "Change to group/activity"),
        "MOBILIZE",
        "154",
        "An armed group forms, defects, merges, deploys or reinforces its forces.",
    ),
    _type(
        "strategic_developments/disrupted_weapons_use",
        (_STRATEGIC, "Disrupted weapons use"),
        "COERCE",
        "1711",
        "Weapons or explosives are found, seized or defused before they are used.",
    ),
    _type(
        "strategic_developments/headquarters_or_base_established",
        (_STRATEGIC, "Headquarters or base established"),
        "MOBILIZE",
        "154",
        "An armed group sets up a base, post, checkpoint or headquarters.",
    ),
    _type(
        "strategic_developments/looting_property_destruction",
        (_STRATEGIC, "Looting/property destruction"),
        "COERCE",
        "171",
        "Property is looted, burned or destroyed outside a riot or an attack on people.",
    ),
    _type(
        "strategic_developments/non_violent_transfer_of_territory",
        (_STRATEGIC, "Non-violent transfer of territory"),
        "RETREAT",
        "0874",
        "Territory changes hands without fighting: a withdrawal, handover or evacuation deal.",
    ),
    _type(
        "strategic_developments/other",
        (_STRATEGIC, "Other"),
        None,
        None,
        "A significant development in a conflict that fits no other type (displacement, "
        "mass graves, weapons tests).",
    ),
    # Not ACLED: recognised so that they are not mistaken for political violence.
    _type(
        "other/diplomacy",
        None,
        None,
        None,
        "Diplomatic moves: sanctions, expelled diplomats, severed ties, talks.",
    ),
    _type(
        "other/attribution",
        None,
        None,
        None,
        "A claim or denial of responsibility for an attack, or blame laid on someone.",
    ),
    _type(
        "other/organized_crime",
        None,
        None,
        None,
        "Smuggling, trafficking, drug and fraud rings and their interception.",
    ),
    _type(
        "other/man_made_disaster",
        None,
        None,
        None,
        "Accidents: industrial fires and explosions, spills, crashes, poisonings.",
    ),
    _type(
        "other/natural_disaster",
        None,
        None,
        None,
        "Floods, storms, earthquakes, wildfires, droughts and landslides.",
    ),
)

#: Every event type by key, ACLED's first (in codebook order), then ``other/``.
EVENT_TYPES: dict[str, EventType] = {event_type.key: event_type for event_type in _TYPES}


def get_event_type(key: str) -> EventType:
    """The event type with this key.

    Args:
        key: ``"category/subtype"``, e.g. ``"battles/armed_clash"``.

    Raises:
        InputError: no event type has this key; the message lists the known keys.
    """
    try:
        return EVENT_TYPES[key]
    except KeyError:
        known = ", ".join(EVENT_TYPES)
        raise InputError(
            f"unknown event type {key!r}; use one of the taxonomy's keys: {known}",
            source="taxonomy",
        ) from None


def codes(key: str) -> dict[str, str | None]:
    """The ACLED sub-event type, PLOVER type and CAMEO code of an event type.

    ``acled`` is ACLED's ``sub_event_type`` as ACLED writes it (unique across
    its event types); every value is ``None`` where the scheme has no match.

    Raises:
        InputError: no event type has this key.
    """
    event_type = get_event_type(key)
    return {
        "acled": event_type.acled_sub_event_type,
        "plover": event_type.plover,
        "cameo": event_type.cameo,
    }
