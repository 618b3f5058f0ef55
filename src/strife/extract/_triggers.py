"""The trigger table of event typing: which words propose which type, and how strongly.

One rule per entry: ``(taxonomy key, weight, pattern)``. The weight says how
specific the cue is ("suicide bomber" 10 beats "explosion" 3); ``typing.py``
applies the context rules and picks the winner. Keys are the taxonomy's; their
codes live in ``strife.taxonomy`` and nowhere else. Unstable: the lexicon and
weights change with each evaluation round (``strife eval case2021``).
"""

from __future__ import annotations

import re

# Taxonomy keys of the rules (their codes live in strife.taxonomy, nowhere else).
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
PROTEST_FAMILY = "?protest"
TERRITORY_FAMILY = "?territory"
ASSAULT_FAMILY = "?assault"
PROTEST_KEYS = (PEACEFUL, INTERVENTION, EXCESSIVE, VIOLENT_DEMO)


def gap(words: int) -> str:
    """Up to ``words`` words between two parts of a pattern."""
    return rf"(?:[\w'’,()-]+\s+){{0,{words}}}"


WEAPONS = (
    r"(?:weapons?|arms|ammunitions?|ammo|explosives?|explosive devices?|IEDs?|bombs?|"
    r"grenades?|(?:land)?mines|rockets?|missiles?|firearms|guns|pistols|rifles|bullets|"
    r"rounds|cache|caches|stash|arsenal|detonators?|TNT|munitions?|rocket launchers?|"
    r"RPGs?)(?![\w-])"
)
FOUND = (
    r"(?:found|seized|discovered|recovered|confiscated|defused|intercepted|dismantled|"
    r"neutrali[sz]ed|captured|uncovered|unearthed|impounded|detected)\b"
)
PROTESTERS = (
    r"(?:protest(?:s|ers?|ing)?|demonstrat(?:ions?|ors?)|rall(?:y|ies)|crowds?|marchers|"
    r"sit-ins?)\b"
)
PLACE = (
    r"(?:towns?|city|cities|villages?|district|districts|areas?|territor(?:y|ies)|"
    r"neighbou?rhoods?|regions?|province|base|airbase|air base|positions?|hills?|posts?|"
    r"localit(?:y|ies)|airport|crossing|road|highway|countryside|suburbs?|quarters?|"
    r"outskirts|strongholds?|bastion|enclave|island|valley|mountains?|heights|compound|"
    r"headquarters|oil ?fields?|dam|bridge|port|capital|site|parts of|control of)\b"
)
MINES = r"(?:mines|landmines|IEDs|improvised explosive devices|explosive devices|bombs)"

#: (key, weight, pattern) for every trigger; see the module docstring for the scale.
# fmt: off
# (one rule per entry, its pattern's lines kept together: the formatter would split
# every concatenation onto its own line and triple the table's length)
RULES: tuple[tuple[str, float, str], ...] = (
    # Claims and denials mention an attack, but the claim is the news.
    (ATTRIBUTION, 11, r"\bclaim\w* (?:of )?(?:the )?responsibility|\b(?:took|takes|taking|"
     r"claimed|claims) credit|\bresponsibility for (?:the|a|an)\b"),
    (ATTRIBUTION, 10, r"\b(?:denied|denies|deny|denying|rejected|rejects|dismissed) "
     + gap(6) + r"(?:responsib\w*|involvement|accusations?|allegations?|reports?|claims?)"),
    (ATTRIBUTION, 10, r"\b(?:was|were|is|are|been) behind (?:the|a|an|last|this|these)\b"),
    (ATTRIBUTION, 8.5, r"\bblam(?:e|ed|es|ing) " + gap(5) + r"for\b"),
    (ATTRIBUTION, 6, r"\bblam(?:e|ed|es|ing)\b"),
    (ATTRIBUTION, 5, r"\baccus(?:ed|es|ing) " + gap(4) + r"of\b"),
    (SUICIDE, 10, r"\bsuicide[- ](?:[\w-]+ ){0,2}(?:bomb|attack|vest|car|blast|truck|belt|"
     r"explos|vehicle|device)\w*|\bSVBIEDs?|\bbl[eo]w (?:himself|herself|themselves) up|"
     r"\bblew up themselves|\bkill(?:ed|ing) (?:himself|herself|themselves)|"
     r"\bself-detonat\w*|\bexplosive (?:belts?|vests?)|\bstrapped to (?:his|her|their) "
     r"bod(?:y|ies)"),
    (SUICIDE, 9, r"\b(?:packed|laden|loaded|rigged|filled) with explosives " + gap(3)
     + r"(?:rammed|drove|driven|crashed|smashed)"),
    (CHEMICAL, 9, r"\bchemical (?:weapons?|attacks?|agents?|munitions?|strikes?|bombs?|"
     r"shells?|gas)(?! (?:facilit|sites?|stockpiles?|programs?|depots?|plants?|product))|"
     r"\bpoison(?:ous)? gas|\btoxic gas|\bchlorine|\bsarin\b|\bmustard gas|"
     r"\bnerve (?:agents?|gas)"),
    (SEXUAL, 9, r"\brap(?:e|ed|es|ing|ist|ists)\b|\bgang-?rap\w*|\bsexual(?:ly)? "
     r"(?:violence|assault\w*|abuse\w*|harass\w*|exploit\w*|slaver\w*)|\bmolest\w*|"
     r"\babused (?:\w+ )?(?:women|girls)|\bsex slave\w*"),
    # Weapons found or seized before use; "destroyed caches" too, but not by jets.
    (DISRUPTED, 9, r"\b" + WEAPONS + r"(?:\W+[\w'-]+){0,10}?\W+(?:were |was |been |being "
     r"|had been |have been )?" + FOUND),
    (DISRUPTED, 9, r"\b(?:found|seized?|seizing|seizure of|discovered|recovered|"
     r"confiscat\w*|defus\w*|intercepted|dismantled|uncovered|unearthed) "
     + gap(10) + WEAPONS),
    (DISRUPTED, 9, r"\b(?:cleared|destroyed|removed|defused|neutrali[sz]ed) " + gap(4)
     + MINES),
    (DISRUPTED, 8, r"\bdefus\w*|\bdemining|\bunexploded|\bbomb (?:disposal|squad)|"
     r"\bcontrolled explosion|\bsuspicious (?:package|device|object)s?|"
     r"\baccidentally (?:detonat|activat)\w*|\b(?:foiled|thwarted) " + gap(3)
     + r"(?:attack|plot|bombing)s?"),
    (DISRUPTED, 7.5, r"\bdestroy\w* " + gap(4) + r"(?:caches?|stash|stockpiles?)"),
    (ABDUCTION, 8, r"\babduct\w*|\bkidnap\w*|\bhostages?\b|\bhostage-taking|"
     r"\bforc(?:ibly|ed) disappear\w*|\benforced disappearances?|\btaken captive|"
     r"\bhijack\w*|\bransom\b|\bwhereabouts (?:\w+ )?(?:unknown|unclear)|"
     r"\b(?:have|has|had|were|was) (?:\w+ )?disappeared|\bdisappearances?"),
    (GRENADE, 8, r"(?<!stun )(?<!propelled )(?<!sound )\bgrenades?\b"),
    (BASE, 8, r"\b(?:establish\w*|set(?:ting)? up|sets up|build\w*|built|construct\w*|"
     r"install\w*|open(?:ed|s|ing)?(?! fire)) " + gap(5) + r"(?:bases?|posts?|outposts?|"
     r"observation points?|points?|checkpoints?|headquarters|HQ|barracks|camps?|"
     r"garrisons?)\b"),
    (GROUP_CHANGE, 8, r"\b(?:waiting|preparing|poised|ready|planning|plans|mobili[sz]ing|"
     r"massing|prepares) " + gap(4) + r"(?:to|for) " + gap(4)
     + r"(?:assault|attack\w*|offensive|operation|push)"),
    (NATURAL, 8, r"\bflood\w*|\bearthquakes?|\bquakes?\b|\btsunami|\bcyclones?|"
     r"\bhurricanes?|\btyphoons?|\btropical storms?|\bwildfires?|\bbush ?fires?|"
     r"\bforest fires?|\bdroughts?|\blandslides?|\bmudslides?|\bavalanches?|"
     r"\bvolcan\w*|\beruption|\btornado\w*|\bheat ?waves?|\bmonsoon|\bsnowstorm|"
     r"\bblizzard"),
    (NATURAL, 4, r"\bheavy rains?|\bstorms?\b|\btorrential rain"),
    (DEVELOPMENT, 7.5, r"\bmass graves?"),
    # Territory: verbs that change who holds a place; resolved by _territory_key.
    (TERRITORY_FAMILY, 8, r"\b(?:re-?captur\w*|captur(?:ed|ing|es?)|re-?took|retak\w*|"
     r"regain(?:ed|ing|s)?|seiz(?:ed|ing|es?)|(?:took|taken|take|taking|takes|gained|gain|"
     r"established|restored|wrested|assumed|seized) (?:full |complete |total |partial )?"
     r"control|took over|taken over|overr(?:an|un)|liberat(?:ed|ing|e)|"
     r"(?<!the )(?<!-)occup(?:ied|y)|(?:have|has|had) controlled|gained ground|fell to|"
     r"fallen to|in the hands of|entered|pushed into|advanced (?:into|on|in)|"
     r"dr(?:o|i)ve\w* " + gap(4) + r"out|driven out|pushed (?:\w+ )?back from|expelled "
     + gap(4) + r"from|flushed out|cleared " + gap(4) + r"(?:of|from))\b"),
    (TRANSFER, 8, r"\bevacuation (?:deal|agreement)|\bwithout (?:a )?(?:fight|fighting|"
     r"resistance|clashes)|\b(?:was|were|been|being) handed over|\bhanded over "
     r"(?:\w+ )?(?:control|territory|area|towns?|city|villages?|bases?|positions?|posts?|"
     r"headquarters|camps?)|\bleav\w* "
     r"(?:\w+ ){0,2}(?:last )?(?:bastion|stronghold|enclave)"),
    # A withdrawal alone changes the group's activity; a takeover makes it a transfer.
    (GROUP_CHANGE, 6.5, r"\b(?:withdr(?:ew|awn)|pulled out|pull out|retreated) "
     r"(?:of |from )?" + gap(2) + PLACE),
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
     r"\b(?:planted|emplaced) " + gap(2) + r"(?:bombs?|mines?|explosives?)|"
     r"\b(?:bombs?|explosive devices?|explosives?) (?:\w+ )?(?:exploded|detonated|went off)|"
     r"\bdetonated " + gap(3) + r"(?:bombs?|explosives?|devices?)|\bbomb (?:blast|"
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
     r"\bimprison\w*|\b(?:captured|intercepted) " + gap(3) + r"(?:commanders?|leaders?|"
     r"members?|militants?|suspects?|chiefs?|officials?)|\btaken (?:dozens|scores|"
     r"hundreds|\d+) of"),
    (CRIME, 6.5, r"\bsmuggl\w*|\btraffick\w*|\bdrugs?\b|\bnarcotic\w*|\bcocaine|\bheroin|"
     r"\bhashish|\bcannabis|\bmarijuana|\bmethamphetamine|\bcontraband|"
     r"\bmoney laundering|\bfraud\w*|\bcounterfeit\w*|\bpornograph\w*|"
     r"\billegal (?:immigra\w*|migra\w*)|\bmigrants?\b|\bcartels?\b|\borgani[sz]ed crime|"
     r"\bcrime (?:ring|syndicate|gang)s?|\bmafia|\bpoach\w*|\bextort\w*|\bscam\w*"),
    (CRIME, 5, r"\brobber(?:y|ies)|\brobbed|\bburglar\w*|\btheft|\bheist|\bgangs?\b"),
    (DIPLOMACY, 8, r"\bsanctions\b|\bsanction(?:ed|ing)? (?:on|against)\b|\bexpel\w* "
     + gap(4) + r"(?:diplomats?|envoys?|staff|ambassadors?)|\bexpulsions? of " + gap(2)
     + r"diplomats|\bsever\w* (?:diplomatic )?(?:ties|relations)|\bcut (?:diplomatic )?ties"),
    (DIPLOMACY, 6, r"\bdiplomat\w*|\bembass(?:y|ies)|\bconsulates?|\bambassadors?|"
     r"\benvoys?|\bforeign minist\w*|\bcounterparts?|\bretaliat\w*|\bbilateral"),
    (DIPLOMACY, 4, r"\brebuff\w*|\burg(?:ed|es|ing) " + gap(4) + r"(?:restraint|to stop|"
     r"to remove|to lift)|\bisolate\b|\btalks\b|\bnegotiat\w*|\bmet with\b|\bsummit\b"),
    (MAN_MADE, 6.5, r"\b(?:chemical|oil|fuel|toxic|gas|diesel) (?:spill|leak)\w*|\bspill\w*|"
     r"\bleak(?:ed|s|ing)?\b|\bfire (?:that )?broke out|\bcaught fire|\bburn\w* in a fire|"
     r"\bfire (?:engulfed|gutted|razed)|\bfires? (?:at|in) (?:a |the )?(?:\w+ )?(?:factory|"
     r"warehouse|plant|building|market|hospital|hotel|club|mine|refinery)|"
     r"\b(?:factory|warehouse|building|house|market|plant|hospital|hotel) fire|"
     r"\b(?:boiler|cylinder|tanker|transformer|container|pipeline|gas) " + gap(2)
     + r"explo\w*|\bchemical (?:plant|incident|factory)|"
     r"\bammonium nitrate|\bgas (?:leak|explosion)s?|\baccident\w*|\bcrash\w*|"
     r"\bcollision|\bcollid\w*|\bderail\w*|\bplung\w*|\boverturn\w*|\bcapsiz\w*|\bsank\b|"
     r"\bsinking\b|\bran aground|\bshipwreck\w*|\bcollaps\w*|\bstampede|\bpoisoned|"
     r"\bpoisoning|\badulterated|\bcontaminat\w*|\belectrocut\w*|\bcarbon monoxide|"
     r"\bfire ?fighters|\bfire crews"),
    (MOB, 8, r"\bmobs?\b|\blynch\w*|\bvigilant(?:e|es|ism)\b|\bcommunal (?:violence|clash\w*)|"
     r"\bsectarian (?:violence|clash\w*)|\b(?:group|gang) of " + gap(2)
     + r"(?:attacked|assaulted|beat)|\bbeaten to death|\b(?:villagers|residents|locals|"
     r"youths|crowds?) " + gap(2) + r"(?:attacked|beat|lynched|killed|set upon|stoned)|"
     r"\b(?:rival|opposing) (?:groups of )?(?:supporters|gangs|youths|communities|crowds|mobs)"),
    (LOOTING, 6.5, r"\bloot\w*|\bset (?:ablaze|alight|on fire)|\btorch\w*|\barson\w*|"
     r"\bburn(?:ed|t|ing)? (?:down )?" + gap(3) + r"(?:houses|homes|shops|stores|vehicles|"
     r"cars|buildings|propert\w*|churches|mosques|schools|offices|markets|villages)|"
     r"\b(?:houses|homes|shops|stores|vehicles|cars|buildings|propert(?:y|ies)|"
     r"churches|mosques|schools|offices) " + gap(3) + r"(?:were |have been |had been |"
     r"was )?(?:burn\w*|torched|destroyed|vandali\w*|looted|razed|demolished)|"
     r"\bdestruction of " + gap(2) + r"propert\w*|\bvandali\w*|\brazed|\bdemolish\w*|"
     r"\bblaze"),
    (PROTEST_FAMILY, 4, r"\bprotest\w*|\bdemonstrat(?:ions?|ors?|ed|ing)\b|\brall(?:y|ies|ied)\b|"
     r"(?<!\bin )\b[Mm]arch(?:ed|es|ers|ing)?\b(?! \d)|\bsit-ins?|\bvigils?\b|"
     r"\b(?:general|hunger|workers'?|labou?r) strikes?|\bon strike|\bwent on strike|"
     r"\bstrike action|\bwalk-?outs?|\bwalked out|\briot(?:s|ed|ers|ing)?\b(?! (?:police|"
     r"gear|squad|officers|control|unit))|\bstandstill|\bcivil disobedience|\bboycott\w*|"
     r"\btear ?gas|\bteargas|\bpepper[- ]spray\w*|\bwater cannons?|\bbarricad\w*|"
     r"\bpelt(?:ed|ing) (?:\w+ )?(?:police|security|troops|soldiers)|\bstone-(?:throwing|pelting)|"
     r"\bthr(?:ew|owing) (?:stones|rocks) at|\bchant(?:ed|ing)\b|\bplacards|"
     r"\btook to the streets|\bpicket\w*|\bangry (?:residents|crowds?|youths|villagers|locals)"),
    (ASSAULT_FAMILY, 6, r"\b(?:attack\w*|opened fire|stormed|raided|ambush\w*|set upon|targeted|"
     r"assault\w*|fired (?:on|at|upon)|shot at|struck)\b"),
    (CLASH, 6, r"\bclash\w*|\bfight(?:ing)? between|\bfought|\bfirefights?|"
     r"\bgun ?battles?|\bgunfights?|\bexchanges? of fire|\bfire exchange|"
     r"\b(?:exchanged|traded) (?:gun)?fire|\bexchanges? of gunfire|\bbattles?\b|\bbattled|"
     r"\bskirmish\w*|\brepel\w*|\brepuls\w*|"
     r"\bfended off|\bcounter-?attack\w*|\boffensive\b|\bcombat\b|\bfierce fighting"),
    (CLASH, 4, r"\bkill\w* " + gap(6) + r"(?:militants|terrorists|insurgents|rebels|"
     r"fighters|jihadists|gunmen)|\b(?:militants|terrorists|insurgents|rebels|jihadists) "
     r"(?:were |have been )?(?:killed|dead|wounded|eliminated)"),
    (ATTACK, 7, r"\bshot dead|\bshot and killed|\bmassacre[sd]?\b|\bbutcher(?:ed|ing)\b|"
     r"\bslaughter(?:ed|ing)?\b|\bhacked to death|"
     r"\bbehead\w*|\bgunmen (?:\w+ )?opened fire|\bstabbed to death"),
    (ATTACK, 6.5, r"\bkill\w* " + gap(4) + r"(?:civilians|villagers|farmers|residents|"
     r"people|worshippers|passengers|children|women)|\b(?:civilians|villagers|farmers|"
     r"residents|worshippers|passengers) (?:were |have been )?(?:killed|shot|massacred)"),
    (ATTACK, 5, r"\bgunmen|\bassailants|\bstabb\w*|\bexecut(?:ed|ion)|\bassassinat\w*"),
    (ATTACK, 2, r"\bkill(?:ed|ing|s)\b|\bshot\b|\bshooting\b|\bmurder\w*|\bdead\b"),
    (GROUP_CHANGE, 7, r"\bdefect\w*|\bdefection\w*"),
    (GROUP_CHANGE, 6.5, r"\b(?:formed|forming|formation of|founded|established|created|"
     r"set up|launched) " + gap(3) + r"(?:new )?(?:groups?|force|forces|militias?|"
     r"brigades?|units?|battalions?|wing|factions?|alliance|coalition|entity|party)\b|"
     r"\b(?:were|was|been) (?:formed|created|set up)\b"),
    (GROUP_CHANGE, 6, r"\b(?:re)?deploy\w*|\breinforc\w*|\bmobili[sz]\w*|\bfortif\w*|"
     r"\bconsolidat\w*|\bmov(?:ed|es|ing) " + gap(2) + r"(?:troops|forces|reinforcements)|"
     r"\bjoin(?:ed)? forces|\bmerg(?:ed|er|e)\b|\bpledged allegiance|\bsplit from|"
     r"\bdisband\w*|\bdissolv\w*|\bamass\w*|\b(?:troops|forces|reinforcements|convoys?) "
     + gap(2) + r"(?:arrived|sent|headed|moved)|\bsent (?:\w+ )?(?:troops|reinforcements)|"
     r"\bdispatch(?:ed|ing)\b|\bmilitary drills|\brecruit\w*"),
    (GROUP_CHANGE, 3, r"\barrived\b"),
    (DEVELOPMENT, 5, r"\b(?:missile|rocket|nuclear|weapons?) (?:tests?|launch\w*|"
     r"programs?|programmes?|development)|\blaunch(?:ed)? " + gap(2) + r"satellite"),
    (DEVELOPMENT, 3, r"\bfled\b|\bflee(?:ing)?\b|\bdisplaced|\brefugees|\bhumanitarian|"
     r"\bexpulsion|\breturn(?:ed)? to their homes|\bcurfew"),
)
# fmt: on
COMPILED = tuple((key, weight, re.compile(pattern, re.I)) for key, weight, pattern in RULES)
