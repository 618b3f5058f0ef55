"""Source kinds: what kind of speaker a source is, from cues in its name and description.

Takes the name a text gives a source ("Syrian Observatory for Human Rights",
"state media", "a medical source") and, when there is one, the words that
describe it (an apposition: "a network of activists"); returns one of the
contract's ``sources[].kind`` values. The cue table is ordered: the first
match wins, the name before its description.
"""

from __future__ import annotations

import re


def _cues(words: str) -> str:
    return r"\b(?:" + "|".join(words.split()) + r")\b"


#: Flags for acronyms matched as written: "AP", "IS" and "WHO" are other words in lower case.
_CASE = 0
#: (kind, cue, flags), first match wins; the name is tried before its context. "_" is a space.
KIND_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(cue.replace("_", r"\s"), flags))
    for kind, cue, flags in (
        ("state_media", r"\bstate[-_](?:run_|owned_|controlled_)?(?:media|tv|television|news"
         r"|agency|broadcaster|radio|channel|newspaper|press)|state-(?:run|owned|controlled)"
         r"|official_(?:news_)?agency|official_(?:media|tv|television|broadcaster|radio)"
         r"|government-(?:run|owned|controlled)", re.I),
        ("state_media", _cues("SANA IRNA KCNA Xinhua TASS RIA MENA IRIB Anadolu"), _CASE),
        ("news_agency", _cues("AFP AP DPA EFE ANSA UPI Reuters Agency"), _CASE),
        ("news_agency", r"associated_press|news_agency|wire_service|agence_france", re.I),
        ("un_agency", _cues(r"UN U\.N\. WHO OCHA UNHCR UNRWA UNAMA WFP UNDP UNFPA UNICEF"),
         _CASE),
        ("un_agency", r"united_nations|world_health_organi[sz]ation|security_council", re.I),
        ("monitoring_group", _cues(r"observatory monitor\w* sohr snhr airwars acled")
         + r"|documentation_cent|body_count|casualty_record", re.I),
        ("ngo", _cues(r"amnesty hrw msf icrc ifrc oxfam charity ngos? humanitarian")
         + r"|human_rights|m[ée]decins_sans|doctors_without_borders|red_cross|red_crescent"
         r"|save_the_children|rights_(?:group|organi[sz]ation|watchdog)|white_helmets"
         r"|civil_defen[cs]e|aid_(?:group|agency|organi[sz]ation|workers?)", re.I),
        ("activist_network", _cues(r"activists? lccs? revolution\w* opposition")
         + r"|co-?ordination_committees?|media_(?:cent(?:er|re)|office)|social_media", re.I),
        ("medical", _cues(r"hospitals? doctors? dr medics? medical physicians? nurses? clinic"
                          r" morgue paramedics? ambulance")
         + r"|health_(?:ministry|department|officials?|authorit|services?|directorate)"
         r"|(?:ministry|department)_of_health", re.I),
        ("armed_group", _cues("IS"), _CASE),
        ("armed_group", _cues(r"taliban rebels? insurgents? militants? militias? jihadis\w*"
                              r" isis isil daesh al-?qaeda al-?shabaab? hezbollah hamas houthis?"
                              r" nusra fsa pkk ypg sdf farc fighters guerrillas?")
         + r"|islamic_state|boko_haram|free_syrian_army|democratic_forces"
         r"|rapid_support_forces|popular_mobili[sz]ation|opposition_forces", re.I),
        ("military", _cues(r"army military troops soldiers? forces isaf nato police\w* security"
                           r" pentagon centcom peshmerga navy commander gendarm\w*")
         + r"|-led_coalition|coalition_(?:forces|troops|command|spokes\w*|officials?)"
         r"|defen[cs]e_ministry|ministry_of_defen[cs]e|air_force|national_guard", re.I),
        ("government", _cues(r"ministry minister government governor officials? authorities"
                             r" president presidency mayor council secretary kremlin regime"
                             r" cabinet parliament embassy coalition")
         + r"|white_house|state_department", re.I),
        ("witness", _cues(r"(?:eye)?witness(?:es)? residents? survivors? locals villagers?"
                          r" relatives? neighbou?rs? rescuers? famil(?:y|ies) farmers?")
         + r"|rescue_workers?", re.I),
        ("outlet", _cues(r"newspapers? tv television channel radio websites? media news daily"
                         r" broadcaster magazine bbc cnn al[- ]?jazeera al[- ]arabiya"), re.I),
        ("unnamed", _cues(r"sources? reports? estimates? statements?"), re.I),
    )
)  # fmt: skip


def classify_source(name: str, context: str = "") -> str:
    """The kind of a source, from cues in its name, then in its description.

    Args:
        name: the source as the text names it ("Syrian Observatory for Human Rights").
        context: words that describe it (an apposition, a title), if any.

    Returns:
        One of the contract's ``sources[].kind`` values; ``unnamed`` when nothing tells.
    """
    for text in (name, context):
        for kind, cue in KIND_CUES:
            if cue.search(text):
                return kind
    return "unnamed"
