"""Event typing: which kind of event a sentence or short snippet reports.

Takes a sentence (a spaCy ``Span``), a parsed passage (a ``Doc``) or plain
text; returns the taxonomy key of the event it reports, with the trigger
words and their character offsets, or ``None`` when it reports none of the
taxonomy's types. Finding the incident's actors, place and figures is left to
the other ``extract`` modules.

The classifier is a trigger lexicon with context rules, and it reads only the
text: the read stage loads spaCy without its lemmatizer, and the cues below
are phrases rather than single words, so the same rules serve a ``Doc`` and a
``str`` and the ``str`` path needs no model. A pattern matches a word stem
with its endings (``kidnap\\w*``: kidnap, kidnapped, kidnappers), which stands
in for lemmas.

Every match proposes a type with a weight: how specific the cue is ("suicide
bomber" 10 beats "explosion" 3). Words around a match can lower it: a
negation drops it ("no group claimed responsibility"), and a cause ("rallies
against the execution of", "sanctions over chemical weapons") or an intent
("plotting to launch attacks") costs it :data:`CONTEXT_PENALTY`. Three
families are resolved from their context:

- protests: the protest word, then what else the text says: protesters who
  clash or throw stones make a violent demonstration; killings, live fire or
  "violently dispersed" make excessive force; tear gas or arrests make a
  protest with intervention; otherwise it is a peaceful protest. The cue is
  a trigger of that type too, so "police detained 200 people as they tried
  to march" is a protest from its first verb;
- territory ("captured the town", "drove the militants out"): a withdrawal in
  the text makes a non-violent transfer (a withdrawal alone is a change to
  the group's activity); otherwise the actor of the verb (the first one named
  in its clause after any "said", or after "by"/"to" in a passive) decides
  between government forces and a non-state group;
- assaults ("attacked", "opened fire"): a military target makes an armed
  clash, a civilian one an attack on civilians.

The highest weight wins; a small penalty for lateness in the text breaks
near-ties in favour of the headline or first sentence, which is what a
snippet is about. Bare cues ("killed", "attacked") score below 0.3: callers
that want events, not mentions, can drop those. Unstable: the lexicon and weights change with each
evaluation round (``strife eval case2021``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

# Taxonomy keys used below (their codes live in strife.taxonomy, nowhere else).
CLASH = "battles/armed_clash"
GOV_REGAINS = "battles/government_regains_territory"
NSA_OVERTAKES = "battles/non_state_actor_overtakes_territory"
SEXUAL = "violence_against_civilians/sexual_violence"
ATTACK = "violence_against_civilians/attack"
ABDUCTION = "violence_against_civilians/abduction_forced_disappearance"
CHEMICAL = "explosions_remote_violence/chemical_weapon"
AIR = "explosions_remote_violence/air_drone_strike"
SUICIDE = "explosions_remote_violence/suicide_bomb"
SHELLING = "explosions_remote_violence/shelling_artillery_missile_attack"
REMOTE = "explosions_remote_violence/remote_explosive_landmine_ied"
GRENADE = "explosions_remote_violence/grenade"
PEACEFUL = "protests/peaceful_protest"
INTERVENTION = "protests/protest_with_intervention"
EXCESSIVE = "protests/excessive_force_against_protesters"
VIOLENT_DEMO = "riots/violent_demonstration"
MOB = "riots/mob_violence"
AGREEMENT = "strategic_developments/agreement"
ARRESTS = "strategic_developments/arrests"
GROUP_CHANGE = "strategic_developments/change_to_group_activity"
DISRUPTED = "strategic_developments/disrupted_weapons_use"
BASE = "strategic_developments/headquarters_or_base_established"
LOOTING = "strategic_developments/looting_property_destruction"
TRANSFER = "strategic_developments/non_violent_transfer_of_territory"
DEVELOPMENT = "strategic_developments/other"
DIPLOMACY = "other/diplomacy"
ATTRIBUTION = "other/attribution"
CRIME = "other/organized_crime"
MAN_MADE = "other/man_made_disaster"
NATURAL = "other/natural_disaster"

#: Pseudo-keys of the families resolved from context; never returned.
_PROTEST = "?protest"
_TERRITORY = "?territory"
_ASSAULT = "?assault"
_PROTEST_KEYS = (PEACEFUL, INTERVENTION, EXCESSIVE, VIOLENT_DEMO)

#: Weight lost by a trigger at the very end of the text: less than the gap
#: between two weights that should never swap (1.0), so it only orders near-ties.
LATENESS_PENALTY = 0.9
#: Weight lost by a trigger that names a cause or an intent, not the event.
CONTEXT_PENALTY = 3.0
#: A trigger that only says people died ("civilians were killed", "killing"): with
#: ``near``, it gives way to any trigger that says how.
GENERIC_CASUALTY = re.compile(
    r"(?:[\w'’-]+\s+){0,4}?(?:were\s+|was\s+|have\s+been\s+|had\s+been\s+)?"
    r"(?:kill(?:ed|ing|s)?|dead|died|deaths?|slain|lost their lives)(?:\s+[\w'’-]+){0,3}",
    re.I,
)
#: With ``near``, the rank a trigger loses across the whole sentence's length.
NEARNESS_PENALTY = 2.0
#: Weights are divided by this to give a score in 0..1.
MAX_WEIGHT = 11.0


@dataclass(frozen=True, slots=True)
class EventTyping:
    """The event type a text reports and the words that say so.

    ``start`` and ``end`` are character offsets of ``trigger`` in the text
    given: the string itself, or ``doc.text`` for a ``Doc`` or a ``Span``
    (so ``doc.text[start:end] == trigger``, as with ``Span.start_char``).
    """

    key: str
    trigger: str
    start: int
    end: int
    score: float


def _gap(words: int) -> str:
    """Up to ``words`` words between two parts of a pattern."""
    return rf"(?:[\w'’,()-]+\s+){{0,{words}}}"


_WEAPONS = (
    r"(?:weapons?|arms|ammunitions?|ammo|explosives?|explosive devices?|IEDs?|bombs?|"
    r"grenades?|(?:land)?mines|rockets?|missiles?|firearms|guns|pistols|rifles|bullets|"
    r"rounds|cache|caches|stash|arsenal|detonators?|TNT|munitions?|rocket launchers?|"
    r"RPGs?)(?![\w-])"
)
_FOUND = (
    r"(?:found|seized|discovered|recovered|confiscated|defused|intercepted|dismantled|"
    r"neutrali[sz]ed|captured|uncovered|unearthed|impounded|detected)\b"
)
_PROTESTERS = (
    r"(?:protest(?:s|ers?|ing)?|demonstrat(?:ions?|ors?)|rall(?:y|ies)|crowds?|marchers|"
    r"sit-ins?)\b"
)
_PLACE = (
    r"(?:towns?|city|cities|villages?|district|districts|areas?|territor(?:y|ies)|"
    r"neighbou?rhoods?|regions?|province|base|airbase|air base|positions?|hills?|posts?|"
    r"localit(?:y|ies)|airport|crossing|road|highway|countryside|suburbs?|quarters?|"
    r"outskirts|strongholds?|bastion|enclave|island|valley|mountains?|heights|compound|"
    r"headquarters|oil ?fields?|dam|bridge|port|capital|site|parts of|control of)\b"
)
_MINES = r"(?:mines|landmines|IEDs|improvised explosive devices|explosive devices|bombs)"

#: (key, weight, pattern) for every trigger; see the module docstring for the scale.
# fmt: off
# (one rule per entry, its pattern's lines kept together: the formatter would split
# every concatenation onto its own line and triple the table's length)
_RULES: tuple[tuple[str, float, str], ...] = (
    # Claims and denials mention an attack, but the claim is the news.
    (ATTRIBUTION, 11, r"\bclaim\w* (?:of )?(?:the )?responsibility|\b(?:took|takes|taking|"
     r"claimed|claims) credit|\bresponsibility for (?:the|a|an)\b"),
    (ATTRIBUTION, 10, r"\b(?:denied|denies|deny|denying|rejected|rejects|dismissed) "
     + _gap(6) + r"(?:responsib\w*|involvement|accusations?|allegations?|reports?|claims?)"),
    (ATTRIBUTION, 10, r"\b(?:was|were|is|are|been) behind (?:the|a|an|last|this|these)\b"),
    (ATTRIBUTION, 8.5, r"\bblam(?:e|ed|es|ing) " + _gap(5) + r"for\b"),
    (ATTRIBUTION, 6, r"\bblam(?:e|ed|es|ing)\b"),
    (ATTRIBUTION, 5, r"\baccus(?:ed|es|ing) " + _gap(4) + r"of\b"),
    (SUICIDE, 10, r"\bsuicide[- ](?:[\w-]+ ){0,2}(?:bomb|attack|vest|car|blast|truck|belt|"
     r"explos|vehicle|device)\w*|\bSVBIEDs?|\bbl[eo]w (?:himself|herself|themselves) up|"
     r"\bblew up themselves|\bkill(?:ed|ing) (?:himself|herself|themselves)|"
     r"\bself-detonat\w*|\bexplosive (?:belts?|vests?)|\bstrapped to (?:his|her|their) "
     r"bod(?:y|ies)"),
    (SUICIDE, 9, r"\b(?:packed|laden|loaded|rigged|filled) with explosives " + _gap(3)
     + r"(?:rammed|drove|driven|crashed|smashed)"),
    (CHEMICAL, 9, r"\bchemical (?:weapons?|attacks?|agents?|munitions?|strikes?|bombs?|"
     r"shells?|gas)(?! (?:facilit|sites?|stockpiles?|programs?|depots?|plants?|product))|"
     r"\bpoison(?:ous)? gas|\btoxic gas|\bchlorine|\bsarin\b|\bmustard gas|"
     r"\bnerve (?:agents?|gas)"),
    (SEXUAL, 9, r"\brap(?:e|ed|es|ing|ist|ists)\b|\bgang-?rap\w*|\bsexual(?:ly)? "
     r"(?:violence|assault\w*|abuse\w*|harass\w*|exploit\w*|slaver\w*)|\bmolest\w*|"
     r"\babused (?:\w+ )?(?:women|girls)|\bsex slave\w*"),
    # Weapons found or seized before use; "destroyed caches" too, but not by jets.
    (DISRUPTED, 9, r"\b" + _WEAPONS + r"(?:\W+[\w'-]+){0,10}?\W+(?:were |was |been |being "
     r"|had been |have been )?" + _FOUND),
    (DISRUPTED, 9, r"\b(?:found|seized?|seizing|seizure of|discovered|recovered|"
     r"confiscat\w*|defus\w*|intercepted|dismantled|uncovered|unearthed) "
     + _gap(10) + _WEAPONS),
    (DISRUPTED, 9, r"\b(?:cleared|destroyed|removed|defused|neutrali[sz]ed) " + _gap(4)
     + _MINES),
    (DISRUPTED, 8, r"\bdefus\w*|\bdemining|\bunexploded|\bbomb (?:disposal|squad)|"
     r"\bcontrolled explosion|\bsuspicious (?:package|device|object)s?|"
     r"\baccidentally (?:detonat|activat)\w*|\b(?:foiled|thwarted) " + _gap(3)
     + r"(?:attack|plot|bombing)s?"),
    (DISRUPTED, 7.5, r"\bdestroy\w* " + _gap(4) + r"(?:caches?|stash|stockpiles?)"),
    (ABDUCTION, 8, r"\babduct\w*|\bkidnap\w*|\bhostages?\b|\bhostage-taking|"
     r"\bforc(?:ibly|ed) disappear\w*|\benforced disappearances?|\btaken captive|"
     r"\bhijack\w*|\bransom\b|\bwhereabouts (?:\w+ )?(?:unknown|unclear)|"
     r"\b(?:have|has|had|were|was) (?:\w+ )?disappeared|\bdisappearances?"),
    (GRENADE, 8, r"(?<!stun )(?<!propelled )(?<!sound )\bgrenades?\b"),
    (BASE, 8, r"\b(?:establish\w*|set(?:ting)? up|sets up|build\w*|built|construct\w*|"
     r"install\w*|open(?:ed|s|ing)?(?! fire)) " + _gap(5) + r"(?:bases?|posts?|outposts?|"
     r"observation points?|points?|checkpoints?|headquarters|HQ|barracks|camps?|"
     r"garrisons?)\b"),
    (GROUP_CHANGE, 8, r"\b(?:waiting|preparing|poised|ready|planning|plans|mobili[sz]ing|"
     r"massing|prepares) " + _gap(4) + r"(?:to|for) " + _gap(4)
     + r"(?:assault|attack\w*|offensive|operation|push)"),
    (NATURAL, 8, r"\bflood\w*|\bearthquakes?|\bquakes?\b|\btsunami|\bcyclones?|"
     r"\bhurricanes?|\btyphoons?|\btropical storms?|\bwildfires?|\bbush ?fires?|"
     r"\bforest fires?|\bdroughts?|\blandslides?|\bmudslides?|\bavalanches?|"
     r"\bvolcan\w*|\beruption|\btornado\w*|\bheat ?waves?|\bmonsoon|\bsnowstorm|"
     r"\bblizzard"),
    (NATURAL, 4, r"\bheavy rains?|\bstorms?\b|\btorrential rain"),
    (DEVELOPMENT, 7.5, r"\bmass graves?"),
    # Territory: verbs that change who holds a place; resolved by _territory_key.
    (_TERRITORY, 8, r"\b(?:re-?captur\w*|captur(?:ed|ing|es?)|re-?took|retak\w*|"
     r"regain(?:ed|ing|s)?|seiz(?:ed|ing|es?)|(?:took|taken|take|taking|takes|gained|gain|"
     r"established|restored|wrested|assumed|seized) (?:full |complete |total |partial )?"
     r"control|took over|taken over|overr(?:an|un)|liberat(?:ed|ing|e)|"
     r"(?<!the )(?<!-)occup(?:ied|y)|(?:have|has|had) controlled|gained ground|fell to|"
     r"fallen to|in the hands of|entered|pushed into|advanced (?:into|on|in)|"
     r"dr(?:o|i)ve\w* " + _gap(4) + r"out|driven out|pushed (?:\w+ )?back from|expelled "
     + _gap(4) + r"from|flushed out|cleared " + _gap(4) + r"(?:of|from))\b"),
    (TRANSFER, 8, r"\bevacuation (?:deal|agreement)|\bwithout (?:a )?(?:fight|fighting|"
     r"resistance|clashes)|\b(?:was|were|been|being) handed over|\bhanded over "
     r"(?:\w+ )?(?:control|territory|area|towns?|city|villages?|bases?|positions?|posts?|"
     r"headquarters|camps?)|\bleav\w* "
     r"(?:\w+ ){0,2}(?:last )?(?:bastion|stronghold|enclave)"),
    # A withdrawal alone changes the group's activity; a takeover makes it a transfer.
    (GROUP_CHANGE, 6.5, r"\b(?:withdr(?:ew|awn)|pulled out|pull out|retreated) "
     r"(?:of |from )?" + _gap(2) + _PLACE),
    (AIR, 7, r"\bair ?strikes?|\bair-strikes?|\bair raids?|\bair attacks?|\baerial "
     r"(?:bombardments?|attacks?|strikes?|bombings?|raids?)|\bwar ?planes?|"
     r"\bfighter jets?|\bjet fighters|\bhelicopter gunships?|\bgunships?|"
     r"\bdrone (?:strikes?|attacks?)|\bbarrel bombs?|\bair force|\bbombing raids?|"
     r"\bbomber planes?|\bfighter planes?|\bair missiles?"),
    (AIR, 6, r"\bjets?\b|\baircraft|\bhelicopters?|\bchoppers?"),
    (AIR, 5, r"\bstrikes? (?:on|against|targeted|hit)\b|\bdrones?\b"),
    (SHELLING, 7, r"\btanks? (?:attack|fire|shell)\w*"),
    (SHELLING, 6.5, r"\bshell(?:s|ing|ed)\b|\bmortars?|\brockets?\b|\brocket fire|"
     r"\bartillery|\bmissiles?\b(?! (?:tests?|launch|programs?|programmes?|development|"
     r"defen[cs]e|systems?))|\bgrad\b|\bhowitzers?|\bkatyushas?|\bprojectiles?|\bbombard\w*"),
    (REMOTE, 7, r"\bIEDs?\b|\bimprovised (?:explosive|bomb)|\broadside bombs?|\bcar bombs?|"
     r"\bvehicle[- ]borne|\bVBIEDs?|\b(?:land|ground) ?mines?|\bmines? (?:blast|explo\w*|went)|"
     r"\b(?:planted|emplaced) " + _gap(2) + r"(?:bombs?|mines?|explosives?)|"
     r"\b(?:bombs?|explosive devices?|explosives?) (?:\w+ )?(?:exploded|detonated|went off)|"
     r"\bdetonated " + _gap(3) + r"(?:bombs?|explosives?|devices?)|\bbomb (?:blast|"
     r"explosion|attack)s?|\bmagnetic bombs?|\bsticky bombs?|\bremote[- ]controlled|"
     r"\bbomb(?:ing)?s? (?:in|at|on|near|targeting)\b|\b(?:packed|laden|loaded|rigged) with "
     r"explosives|\bparcel bombs?|\bhome-?made "
     r"(?:bomb|explosive)|\b(?:a|the|roadside|anti-\w+) (?:mines?|bombs?)\b"
     r"(?:\W+[\w'-]+){0,8}?\W+(?:planted|emplaced|went off|exploded|detonated)"),
    (REMOTE, 3, r"\bbomb\w*|\bexplosions?|\bblasts?\b|\bexplo(?:ded|sive)"),
    (AGREEMENT, 6, r"\bagreements?|\bagreed|\bagree to|\bdeal\b|\bcease-?fire|\btruce|"
     r"\bpeace (?:accord|treaty|pact|deal|agreement|talks|process)|\baccords?\b|"
     r"\bmemorandum|\bexchang\w* (?:of )?(?:\w+ )?(?:prisoners|detainees|bodies|captives)|"
     r"\bprisoner (?:swap|exchange)|\bswap\b|\bsurrender\w*|\blaid down (?:their )?arms|"
     r"\breconcil\w*"),
    (ARRESTS, 6, r"\barrest\w*|\bdetain(?:ed|ing|s)?\b|\bdetention|\btaken into custody|"
     r"\bapprehend\w*|\brounded up|\bround-?up|\bjail(?:ed|ing)?\b|"
     r"\bimprison\w*|\b(?:captured|intercepted) " + _gap(3) + r"(?:commanders?|leaders?|"
     r"members?|militants?|suspects?|chiefs?|officials?)|\btaken (?:dozens|scores|"
     r"hundreds|\d+) of"),
    (CRIME, 6.5, r"\bsmuggl\w*|\btraffick\w*|\bdrugs?\b|\bnarcotic\w*|\bcocaine|\bheroin|"
     r"\bhashish|\bcannabis|\bmarijuana|\bmethamphetamine|\bcontraband|"
     r"\bmoney laundering|\bfraud\w*|\bcounterfeit\w*|\bpornograph\w*|"
     r"\billegal (?:immigra\w*|migra\w*)|\bmigrants?\b|\bcartels?\b|\borgani[sz]ed crime|"
     r"\bcrime (?:ring|syndicate|gang)s?|\bmafia|\bpoach\w*|\bextort\w*|\bscam\w*"),
    (CRIME, 5, r"\brobber(?:y|ies)|\brobbed|\bburglar\w*|\btheft|\bheist|\bgangs?\b"),
    (DIPLOMACY, 8, r"\bsanctions\b|\bsanction(?:ed|ing)? (?:on|against)\b|\bexpel\w* "
     + _gap(4) + r"(?:diplomats?|envoys?|staff|ambassadors?)|\bexpulsions? of " + _gap(2)
     + r"diplomats|\bsever\w* (?:diplomatic )?(?:ties|relations)|\bcut (?:diplomatic )?ties"),
    (DIPLOMACY, 6, r"\bdiplomat\w*|\bembass(?:y|ies)|\bconsulates?|\bambassadors?|"
     r"\benvoys?|\bforeign minist\w*|\bcounterparts?|\bretaliat\w*|\bbilateral"),
    (DIPLOMACY, 4, r"\brebuff\w*|\burg(?:ed|es|ing) " + _gap(4) + r"(?:restraint|to stop|"
     r"to remove|to lift)|\bisolate\b|\btalks\b|\bnegotiat\w*|\bmet with\b|\bsummit\b"),
    (MAN_MADE, 6.5, r"\b(?:chemical|oil|fuel|toxic|gas|diesel) (?:spill|leak)\w*|\bspill\w*|"
     r"\bleak(?:ed|s|ing)?\b|\bfire (?:that )?broke out|\bcaught fire|\bburn\w* in a fire|"
     r"\bfire (?:engulfed|gutted|razed)|\bfires? (?:at|in) (?:a |the )?(?:\w+ )?(?:factory|"
     r"warehouse|plant|building|market|hospital|hotel|club|mine|refinery)|"
     r"\b(?:factory|warehouse|building|house|market|plant|hospital|hotel) fire|"
     r"\b(?:boiler|cylinder|tanker|transformer|container|pipeline|gas) " + _gap(2)
     + r"explo\w*|\bchemical (?:plant|incident|factory)|"
     r"\bammonium nitrate|\bgas (?:leak|explosion)s?|\baccident\w*|\bcrash\w*|"
     r"\bcollision|\bcollid\w*|\bderail\w*|\bplung\w*|\boverturn\w*|\bcapsiz\w*|\bsank\b|"
     r"\bsinking\b|\bran aground|\bshipwreck\w*|\bcollaps\w*|\bstampede|\bpoisoned|"
     r"\bpoisoning|\badulterated|\bcontaminat\w*|\belectrocut\w*|\bcarbon monoxide|"
     r"\bfire ?fighters|\bfire crews"),
    (MOB, 8, r"\bmobs?\b|\blynch\w*|\bvigilant(?:e|es|ism)\b|\bcommunal (?:violence|clash\w*)|"
     r"\bsectarian (?:violence|clash\w*)|\b(?:group|gang) of " + _gap(2)
     + r"(?:attacked|assaulted|beat)|\bbeaten to death|\b(?:villagers|residents|locals|"
     r"youths|crowds?) " + _gap(2) + r"(?:attacked|beat|lynched|killed|set upon|stoned)|"
     r"\b(?:rival|opposing) (?:groups of )?(?:supporters|gangs|youths|communities|crowds|mobs)"),
    (LOOTING, 6.5, r"\bloot\w*|\bset (?:ablaze|alight|on fire)|\btorch\w*|\barson\w*|"
     r"\bburn(?:ed|t|ing)? (?:down )?" + _gap(3) + r"(?:houses|homes|shops|stores|vehicles|"
     r"cars|buildings|propert\w*|churches|mosques|schools|offices|markets|villages)|"
     r"\b(?:houses|homes|shops|stores|vehicles|cars|buildings|propert(?:y|ies)|"
     r"churches|mosques|schools|offices) " + _gap(3) + r"(?:were |have been |had been |"
     r"was )?(?:burn\w*|torched|destroyed|vandali\w*|looted|razed|demolished)|"
     r"\bdestruction of " + _gap(2) + r"propert\w*|\bvandali\w*|\brazed|\bdemolish\w*|"
     r"\bblaze"),
    (_PROTEST, 4, r"\bprotest\w*|\bdemonstrat(?:ions?|ors?|ed|ing)\b|\brall(?:y|ies|ied)\b|"
     r"(?<!\bin )\b[Mm]arch(?:ed|es|ers|ing)?\b(?! \d)|\bsit-ins?|\bvigils?\b|"
     r"\b(?:general|hunger|workers'?|labou?r) strikes?|\bon strike|\bwent on strike|"
     r"\bstrike action|\bwalk-?outs?|\bwalked out|\briot(?:s|ed|ers|ing)?\b(?! (?:police|"
     r"gear|squad|officers|control|unit))|\bstandstill|\bcivil disobedience|\bboycott\w*|"
     r"\btear ?gas|\bteargas|\bpepper[- ]spray\w*|\bwater cannons?|\bbarricad\w*|"
     r"\bpelt(?:ed|ing) (?:\w+ )?(?:police|security|troops|soldiers)|\bstone-(?:throwing|pelting)|"
     r"\bthr(?:ew|owing) (?:stones|rocks) at|\bchant(?:ed|ing)\b|\bplacards|"
     r"\btook to the streets|\bpicket\w*|\bangry (?:residents|crowds?|youths|villagers|locals)"),
    (_ASSAULT, 6, r"\b(?:attack\w*|opened fire|stormed|raided|ambush\w*|set upon|targeted|"
     r"assault\w*|fired (?:on|at|upon)|shot at|struck)\b"),
    (CLASH, 6, r"\bclash\w*|\bfight(?:ing)? between|\bfought|\bfirefights?|"
     r"\bgun ?battles?|\bgunfights?|\bexchanges? of fire|\bfire exchange|"
     r"\b(?:exchanged|traded) (?:gun)?fire|\bexchanges? of gunfire|\bbattles?\b|\bbattled|"
     r"\bskirmish\w*|\brepel\w*|\brepuls\w*|"
     r"\bfended off|\bcounter-?attack\w*|\boffensive\b|\bcombat\b|\bfierce fighting"),
    (CLASH, 4, r"\bkill\w* " + _gap(6) + r"(?:militants|terrorists|insurgents|rebels|"
     r"fighters|jihadists|gunmen)|\b(?:militants|terrorists|insurgents|rebels|jihadists) "
     r"(?:were |have been )?(?:killed|dead|wounded|eliminated)"),
    (ATTACK, 7, r"\bshot dead|\bshot and killed|\bmassacre[sd]?\b|\bbutcher(?:ed|ing)\b|"
     r"\bslaughter(?:ed|ing)?\b|\bhacked to death|"
     r"\bbehead\w*|\bgunmen (?:\w+ )?opened fire|\bstabbed to death"),
    (ATTACK, 6.5, r"\bkill\w* " + _gap(4) + r"(?:civilians|villagers|farmers|residents|"
     r"people|worshippers|passengers|children|women)|\b(?:civilians|villagers|farmers|"
     r"residents|worshippers|passengers) (?:were |have been )?(?:killed|shot|massacred)"),
    (ATTACK, 5, r"\bgunmen|\bassailants|\bstabb\w*|\bexecut(?:ed|ion)|\bassassinat\w*"),
    (ATTACK, 2, r"\bkill(?:ed|ing|s)\b|\bshot\b|\bshooting\b|\bmurder\w*|\bdead\b"),
    (GROUP_CHANGE, 7, r"\bdefect\w*|\bdefection\w*"),
    (GROUP_CHANGE, 6.5, r"\b(?:formed|forming|formation of|founded|established|created|"
     r"set up|launched) " + _gap(3) + r"(?:new )?(?:groups?|force|forces|militias?|"
     r"brigades?|units?|battalions?|wing|factions?|alliance|coalition|entity|party)\b|"
     r"\b(?:were|was|been) (?:formed|created|set up)\b"),
    (GROUP_CHANGE, 6, r"\b(?:re)?deploy\w*|\breinforc\w*|\bmobili[sz]\w*|\bfortif\w*|"
     r"\bconsolidat\w*|\bmov(?:ed|es|ing) " + _gap(2) + r"(?:troops|forces|reinforcements)|"
     r"\bjoin(?:ed)? forces|\bmerg(?:ed|er|e)\b|\bpledged allegiance|\bsplit from|"
     r"\bdisband\w*|\bdissolv\w*|\bamass\w*|\b(?:troops|forces|reinforcements|convoys?) "
     + _gap(2) + r"(?:arrived|sent|headed|moved)|\bsent (?:\w+ )?(?:troops|reinforcements)|"
     r"\bdispatch(?:ed|ing)\b|\bmilitary drills|\brecruit\w*"),
    (GROUP_CHANGE, 3, r"\barrived\b"),
    (DEVELOPMENT, 5, r"\b(?:missile|rocket|nuclear|weapons?) (?:tests?|launch\w*|"
     r"programs?|programmes?|development)|\blaunch(?:ed)? " + _gap(2) + r"satellite"),
    (DEVELOPMENT, 3, r"\bfled\b|\bflee(?:ing)?\b|\bdisplaced|\brefugees|\bhumanitarian|"
     r"\bexpulsion|\breturn(?:ed)? to their homes|\bcurfew"),
)
# fmt: on
_COMPILED = tuple((key, weight, re.compile(pattern, re.I)) for key, weight, pattern in _RULES)

#: Protest context, strongest first: violence by the protesters, then severe force,
#: then any intervention, then an explicit "peaceful"; the first found decides.
# fmt: off
_PROTEST_CONTEXT: tuple[tuple[str, float, re.Pattern[str]], ...] = tuple(
    (key, weight, re.compile(pattern, re.I))
    for key, weight, pattern in (
        (VIOLENT_DEMO, 7.5, r"\briot(?:s|ed|ers|ing)?\b(?! (?:police|gear|squad|officers|"
         r"control|unit))|\bclash\w*|\bscuffl\w*|\b(?:hurl|thr[eo]w|pelt|lob)\w* " + _gap(4)
         + r"(?:stones|rocks|bottles|petrol bombs|molotov\w*|projectiles|fireworks|objects|"
         r"eggs|bricks)|\bpelt\w*|\bstone-pelting|\bstone-throwing|\bset (?:fire|ablaze|"
         r"alight)|\btorch\w*|\bstorm(?:ed|ing)\b|\bsmash\w*|\bransack\w*|\bbarricad\w*|"
         r"\bpetrol bombs?|\bmolotov|\bvandali\w*|\bloot\w*|"
         r"\bviolent (?:protest|demonstration|clash)\w*|\bturned violent|\bviolence "
         r"(?:erupted|broke out)|\b(?:attack|assault)\w* (?:the )?police|\bburn\w* "
         r"(?:tyres|tires|cars|vehicles)|\bdeadly violence|\barmed with|\bblocked "
         r"(?:streets|roads)"),
        (EXCESSIVE, 7.5, r"\bexcessive (?:use of )?force|\bviolently (?:dispers|suppress|broke|"
         r"break|crack)\w*|\bbrutally|\b(?:violent|deadly|bloody|brutal) crackdown|\blethal|"
         r"\bfatal\b|\blive (?:ammunition|fire|rounds|bullets)|\bopened fire (?:on|at) "
         + _gap(2) + _PROTESTERS + r"|\b(?:killed|killing|shot dead|shot|beat|beaten|beating|"
         r"injured|injuring|wounded) " + _gap(5) + _PROTESTERS + r"|\b" + _PROTESTERS
         + r" (?:were |have been |had been )?(?:killed|shot dead)|\brubber bullets|"
         r"\b(?:attack\w*|assault\w*) " + _gap(2) + r"(?:a |the )?peaceful"),
        (INTERVENTION, 6.5, r"\btear ?gas|\bteargas|\bpepper[- ]spray\w*|\bwater cannons?|"
         r"\bstun grenades?|\bdispers(?:e|ed|es|ing|al)\b(?! peacefully)|\bbr(?:oke|eak) up|"
         r"\bcut short|\barrest(?:ed|ing)\b|"
         r"\bdetain(?:ed|ing)\b|\bsuppress\w*|\bprevent\w*|\bkettl\w*|\bbatons?|"
         r"\bcracked down|\bcrackdown"),
        (PEACEFUL, 5, r"\bpeaceful\w*"),
    )
)
# fmt: on
#: The weight of a protest with none of the context above.
PLAIN_PROTEST_WEIGHT = 4.5

_GOV_ACTORS = re.compile(
    r"\b(?:government|govt|pro-government|regime|army|armed forces|military|troops|"
    r"soldiers|security forces|police|national guard|SAA|FARDC|AMISOM|Peshmerga|"
    r"paramilitary|forces loyal to|coalition|loyalist\w*)\b",
    re.I,
)
#: Non-state actors; "IS" only in capitals, so the verb "is" is not one.
_NON_STATE_ACTORS = re.compile(
    r"\b(?:(?i:rebels?|rebel-held|militants?|insurgents?|jihadists?|terrorists?|"
    r"Islamic State|ISIS|ISIL|Daesh|al-Qaeda|al Qaeda|al-Shabaa?b|Shabaab|Boko Haram|"
    r"Taliban|Houthis?|militias?|militiamen|fighters|guerrillas?|opposition|separatists?|"
    r"YPG|SDF|PKK|Hezbollah|Hayat Tahrir|HTS|Nusra|Mai[- ]Mai|tribesmen|extremists?|"
    r"gunmen|armed groups?|mujahidin)|IS)\b"
)
_WITHDRAWAL = re.compile(
    r"\b(?:withdr(?:ew|awn|awal|awing)|pull(?:ed|s|ing)? out|handed over|hand(?:ing)? over|"
    r"handover|evacuat\w*|without (?:a )?(?:fight|fighting|resistance|clashes)|deserted|"
    r"vacated|abandon(?:ed|ing) (?:their|its|the) (?:positions?|bases?|posts?))\b",
    re.I,
)
_RECAPTURE = re.compile(r"re-?captur|re-?took|retak|regain|restor|liberat", re.I)
#: Verbs whose grammatical object is the side that loses ground.
_LOSER_OBJECT = re.compile(r"dr[oi]ve|driven|pushed\b(?! into)|expelled|flushed|cleared", re.I)
_PLACE_AFTER = re.compile(r"\W+(?:[\w'’-]+\W+){0,6}?" + _PLACE, re.I)
_NAME_AFTER = re.compile(
    r"\s+(?:the\s+)?(?:(?:strategic|key|northern|southern|eastern|western|central)\s+)?"
    r"[A-Z][\w'’-]+"
)
#: People as the object of "seized", "captured": not a place changing hands.
_PEOPLE = re.compile(
    r"\b(?:people|persons?|civilians?|workers?|men|women|children|journalists?|hostages?|"
    r"commanders?|leaders?|members?|suspects?|officials?|soldiers?|fighters|militants|"
    r"weapons|arms|ammunition|vehicles?)\b",
    re.I,
)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+ly\s+)?$", re.I)
_INFINITIVE = re.compile(r"\bto\s+$", re.I)
_MILITARY_TARGET = re.compile(
    r"(?:military|army|troops|soldiers|police|security|checkpoints?|bases?|camps?(?! for)|"
    r"outposts?|posts?|positions?|convoys?|patrols?|barracks|garrisons?|forces|fighters|militants|"
    r"rebels|insurgents|militiamen|militia|peacekeepers|guards|officers|tanks?|vehicles)\b",
    re.I,
)
_CIVILIAN_TARGET = re.compile(
    r"(?:villages?|villagers|communit(?:y|ies)|civilians?|residents|farmers|worshippers|"
    r"church\w*|mosques?|schools?|college|campus|hospital|market|bus|passengers|homes?|"
    r"houses?|wedding|funeral|people|students|pilgrims|travell?ers|motorists|famil(?:y|ies)|"
    r"displaced|IDPs?|shop\w*|restaurant|hotel|journalists?|women|children|cent(?:er|re)s?|"
    r"offices?)\b",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?;]\s")
#: Where the clause that holds a verb's subject starts: a sentence end or a report
#: ("the army spokesman said rebels took ...": the rebels are the subject).
_CLAUSE_START = re.compile(
    r"[.!?;]\s|\b(?:said|says|say|told|reported|reports|according to|claimed|announced|"
    r"stated|confirmed|added)\b(?: that\b)?",
    re.I,
)
#: The few lower-case words that may follow a context word before the trigger: a noun
#: phrase, so no past-tense verb except after a determiner ("over the perceived").
_LOWER_WORDS = (
    r"\s+(?:(?:the|a|an|its|their|his|her)\s+[a-z]\w*ed\s+|(?![a-z]\w*ed\s)[a-z][\w'’-]*\s+)"
    r"{0,6}$"
)
#: Words that make what follows a cause, not the event ("rallies against the
#: execution of", "sanctions over chemical weapons", "accused of a chlorine attack").
_CAUSE = re.compile(
    r"(?i:\b(?:against|over(?!\s+(?:\d|a dozen|half|dozens|hundreds|thousands))|"
    r"about(?!\s+\d)|suspected\s+of|(?:anger|outrag)\w*\s+(?:by|over|at)|decry\w*|"
    r"mourn\w*|condemn\w*|denounc\w*|demand\w*|accus\w*(?:\s+\w+)?\s+of|"
    r"in (?:protest|response|reaction|retaliation) (?:at|to|for|against)|"
    r"to protest|related to|for (?:organi[sz]ing|participating|taking part)))" + _LOWER_WORDS
)
#: Verbs whose object, to the end of the sentence, is what protesters object to.
_GRIEVANCE = re.compile(
    r"\b(?:demand\w*|mourn\w*|decry\w*|condemn\w*|denounc\w*|"
    r"undeterred)\b",
    re.I,
)
#: Words that make what follows an intent, not an event ("plotting to launch attacks").
_INTENT = re.compile(
    r"(?i:\b(?:plott\w*|plann\w*|plans?|intend\w*|tr(?:y|ied|ying)|attempt\w*|bid|aim\w*|"
    r"fail\w*|refus\w*|unable|"
    r"sought|seek\w*|threaten\w*|vow\w*|ready|prepar\w*|order\w*|want\w*)\s+to|"
    r"\b(?:could|would|may|might|will)\b)" + _LOWER_WORDS
)
#: Words that end a captivity rather than start one ("freed the hostages").
_RELEASED = re.compile(r"\b(?:releas\w*|freed|free|rescu\w*|swap\w*)\s+(?:[\w'’-]+\s+){0,3}$", re.I)
#: Words that deny what follows ("no group claimed", "no arrests were made").
_NEGATED = re.compile(
    r"\b(?:no|not|nobody|never|none|without|(?:unclear|unknown) (?:who|whether|if))\b"
    r"(?:\s+[\w'’-]+){0,2}\s+$",
    re.I,
)


def classify_event(sentence: str | Span | Doc, *, near: int | None = None) -> EventTyping | None:
    """The event type a sentence or short snippet reports, if any.

    Args:
        sentence: plain text, a spaCy ``Span`` (a sentence) or a ``Doc``. No
            model is needed: the rules read the text only.
        near: a character offset (in the same coordinates as the result) of
            what the caller is typing, such as a casualty figure: of two
            triggers, the one closer to it wins ("as well as the massacre in
            Homs, a car bomb exploded in Deraa, killing three").

    Returns:
        The winning type with its trigger and a score in 0..1 (how specific the
        cue was), or ``None`` when no trigger of the taxonomy is present.
        Offsets are in the text given; for a ``Span``, in ``span.doc.text``.
    """
    if isinstance(sentence, str):
        text, offset = sentence, 0
    else:
        text = sentence.text
        offset = getattr(sentence, "start_char", 0)
    best: tuple[float, str, float, re.Match[str]] | None = None
    length = max(len(text), 1)
    candidates = _candidates(text)
    if near is not None:
        # The figure's own words ("killing three people") say someone died, not how, and
        # so does any bare casualty phrase when the sentence names a weapon or a method.
        apart = [c for c in candidates if not c[2].start() <= near - offset < c[2].end()]
        specific = [c for c in apart if not GENERIC_CASUALTY.fullmatch(c[2].group(0))]
        candidates = specific or apart or candidates
    for key, weight, match in candidates:
        if near is None:
            rank = weight - LATENESS_PENALTY * match.start() / length
        else:
            distance = abs(offset + (match.start() + match.end()) / 2 - near)
            rank = weight - NEARNESS_PENALTY * distance / length
        if best is None or rank > best[0]:
            best = (rank, key, weight, match)
    if best is None:
        return None
    _, key, weight, match = best
    return EventTyping(
        key=key,
        trigger=match.group(0),
        start=offset + match.start(),
        end=offset + match.end(),
        score=round(max(0.0, min(weight / MAX_WEIGHT, 1.0)), 3),
    )


def _candidates(text: str) -> list[tuple[str, float, re.Match[str]]]:
    """Every (key, weight, match) the rules propose: families resolved, context applied."""
    found: list[tuple[str, float, re.Match[str]]] = []
    protest: tuple[str, float, re.Match[str] | None] | None = None
    for rule_key, rule_weight, pattern in _COMPILED:
        for match in pattern.finditer(text):
            key: str | None = rule_key
            weight = rule_weight
            if rule_key == _PROTEST:
                if protest is None:
                    protest = _protest_key(text)
                    if protest[2] is not None:
                        # The cue is a trigger too: "police detained 200 people as
                        # they tried to march" is a protest from its first word.
                        found.append((protest[0], protest[1], protest[2]))
                key, weight = protest[0], protest[1]
            elif rule_key == _TERRITORY:
                key = _territory_key(text, match)
            elif rule_key == _ASSAULT:
                key, weight = _assault_key(text, match)
            before = text[max(match.start() - 80, 0) : match.start()]
            if key is None or _NEGATED.search(before):
                continue
            if key in (ABDUCTION, ARRESTS) and _RELEASED.search(before):
                weight -= CONTEXT_PENALTY  # "released 20 hostages": the end of one
            found.append((key, weight - _context_penalty(key, before), match))
    return found


def _context_penalty(key: str, before: str) -> float:
    """What a cause or an intent just before the trigger costs it."""
    if key in _PROTEST_KEYS:
        return 0.0  # "protest against X": the protest is the event
    if _CAUSE.search(before) or _INTENT.search(before):
        return CONTEXT_PENALTY
    return 0.0


def _protest_key(text: str) -> tuple[str, float, re.Match[str] | None]:
    """The protest subtype the whole text supports, its weight and the cue that says so.

    A cue that is the protest's cause ("demanding the release of detained
    activists", "mourning protesters killed last month") does not count.
    """
    for key, weight, pattern in _PROTEST_CONTEXT:
        for match in pattern.finditer(text):
            near = text[max(match.start() - 45, 0) : match.start()]
            sentence = _SENTENCE_END.split(text[: match.start()])[-1]
            if not (_CAUSE.search(near) or _GRIEVANCE.search(sentence)):
                return key, weight, match
    return PEACEFUL, PLAIN_PROTEST_WEIGHT, None


def _territory_key(text: str, match: re.Match[str]) -> str | None:
    """Government regains, non-state overtakes, non-violent transfer, or not territory."""
    word = match.group(0).lower()
    before, after = text[: match.start()], text[match.end() :]
    if _INFINITIVE.search(before):
        return None  # "an attack to capture the base": not (yet) an event
    needs_place = re.match(
        r"(?:re-?)?captur|re-?took|retak|regain|seiz|liberat|occup|"
        r"entered|pushed into|advanced",
        word,
    )
    place = _PLACE_AFTER.match(after) or _NAME_AFTER.match(after)
    if needs_place and (place is None or _PEOPLE.search(after, 0, place.end())):
        return None  # "captured a commander", "seized aid workers on the road"
    if _LOSER_OBJECT.match(word) and not _is_armed_loser(match.group(0), before):
        return None  # "expelled diplomats from", "cleared the road of snow"
    if _WITHDRAWAL.search(text):
        return TRANSFER
    actor = _territory_actor(before, after, word)
    if actor is None:
        if "ground" in word:
            return None  # "firefighters gained ground": no armed actor, no territory
        return GOV_REGAINS if _RECAPTURE.match(word) else NSA_OVERTAKES
    return GOV_REGAINS if actor == "gov" else NSA_OVERTAKES


def _is_armed_loser(phrase: str, before: str) -> bool:
    """Whether the side driven out is armed: named in the phrase, or its passive subject."""
    if _PASSIVE.search(before):
        return _actor_before(before) is not None
    return bool(_GOV_ACTORS.search(phrase) or _NON_STATE_ACTORS.search(phrase))


def _territory_actor(before: str, after: str, word: str) -> str | None:
    """The side that gains: "gov" or "nsa", or ``None`` when no actor is named."""
    passive = _PASSIVE.search(before) is not None
    if passive or word.startswith(("fell", "fallen", "in the hands")):
        by = _actor_after(after)
        if by is not None:
            return by
    subject = _actor_before(before)
    if subject is not None and (passive and _LOSER_OBJECT.match(word)):
        # "the terrorists were pushed back": the other side gained.
        return "gov" if subject == "nsa" else "nsa"
    return subject


def _actor_before(before: str) -> str | None:
    """The kind of the first actor named in the clause before a verb: "gov" or "nsa"."""
    clause = _CLAUSE_START.split(before)[-1]
    gov = _GOV_ACTORS.search(clause)
    nsa = _NON_STATE_ACTORS.search(clause)
    if gov is None and nsa is None:
        return None
    # The first actor heads the subject: "Syrian troops and allied fighters captured".
    if gov is not None and (nsa is None or gov.start() < nsa.start()):
        return "gov"
    return "nsa"


def _actor_after(after: str) -> str | None:
    """The actor after "by" or "to" in a passive ("seized by militants", "fell to")."""
    passive = re.match(r"\W*(?:[\w'’-]+\W+){0,8}?(?:by|to|of)\s+(.{0,60})", after, re.S)
    if passive is None:
        return None
    return _actor_before(passive.group(1))


def _assault_key(text: str, match: re.Match[str]) -> tuple[str, float]:
    """Armed clash when the target is armed, attack on civilians otherwise."""
    target = text[match.end() : match.end() + 60]
    if _PASSIVE.search(text, 0, match.start()) or text[: match.start()].endswith("under "):
        # "the base was attacked", "the rebels came under attack": the target comes first.
        target = _CLAUSE_START.split(text[: match.start()])[-1]
    civilian = _CIVILIAN_TARGET.search(target)
    military = _MILITARY_TARGET.search(target)
    if military is not None and (civilian is None or military.start() < civilian.start()):
        return CLASH, 6
    if civilian is not None:
        return ATTACK, 6
    return ATTACK, 2.5
