"""Events: ACLED-typed events with actors, place, date and fatalities; the main event first.

How it works (rules, no model):
1. Each narrative sentence is scanned once for *cues* (trigger verbs, weapons, protest and riot
   words, ACLED note labels; ``_CUES``) and, when it has any, for *party* nouns (state forces,
   non-state armed groups, civilians, protesters, crowds; ``_PARTIES``). Both lexicons run as one
   alternation each through ``textmatch.GatedPattern`` (tried only at words that can start a match).
   Cues under a hedge ("strikes will be limited", "a possible attack") are dropped.
2. ``_classify`` turns a sentence's cues into one ACLED (type, sub-event type) with an ordered
   decision list that follows ACLED's codebook: a protest turns into a riot when demonstrators
   use violence, into "protest with intervention" when police disperse or arrest, into
   "excessive force" under live fire; found or seized weapons are disrupted weapons use; a
   chemical, suicide, remote or air attack outranks shelling; a clash is a battle between armed
   sides and mob violence when one side is unarmed people; an attack is a battle when its target
   is armed and violence against civilians otherwise; disasters and accidents are no event;
   strategic developments come last.
3. Sentences are grouped into *happenings*: a sentence that only tells the outcome (deaths,
   wounds, arrests, "the attack"), adds detail to a protest, or has the same type joins the
   happening before it; a headline joins the lead paragraph under it; events of the same type,
   place and date anywhere in the text are one happening.
4. The first happening is the main event (news and ACLED notes lead with it). Its place is the
   first toponym after a locative word in its sentences, a province or country refined by a later
   town inside it; its date the day named in its sentences, else the document's first day;
   fatalities come from ``figures.fatalities`` over the killed figures of its sentences.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from . import attribution
from . import figures as figures_mod
from .model import Actor, DateRef, Event, Evidence, Figure, Parsed, Place, Sentence, Span, stable_id
from .textmatch import GatedPattern, SpanIndex

# --- cue lexicon -------------------------------------------------------------------------------
# Order matters inside the alternation: at one position the first alternative that matches wins,
# so longer or more specific phrases come before the words they contain.
_CUES: list[tuple[str, str]] = [
    # ACLED-style note labels ("Property destruction: On 4 May ...").
    ("LBL_LOOT", r"^(?:property\s+destruction|looting)\s*:"),
    ("LBL_ARREST", r"^arrests?\s*:"),
    ("LBL_CHANGE", r"^change\s+to\s+(?:armed\s+)?group(?:/activity)?\s*:"),
    ("LBL_OTHER", r"^security\s+measures\s*:"),
    ("LBL_HQ", r"^(?:headquarters|base)\s+established\s*:"),
    ("LBL_AGREE", r"^agreement\s*:"),
    ("LBL_TRANSFER", r"^non-violent\s+transfer(?:\s+of\s+territory)?\s*:"),
    ("LBL_DISRUPT", r"^disrupted\s+weapons\s+use\s*:"),
    # Weapons that are not the event's main weapon.
    # Lethal or brutal force against protesters (ACLED's "excessive force").
    ("FORCE", r"(?:opened\s+fire|fired(?:\s+live\s+(?:rounds|ammunition|bullets))?|shot|beat|beaten|attacked|attacks?|"
     r"killing|killed|shooting|lathi-?charged|assaulted)\s+(?:at\s+|on\s+|into\s+|upon\s+|against\s+)?"
     r"(?:the\s+|a\s+|an\s+|a\s+group\s+of\s+|a\s+crowd\s+of\s+)?(?:\w+\s+){0,2}?(?:protesters|protestors|"
     r"protester|protestor|demonstrators|demonstrator|marchers|demonstration|protest|rally|sit-in)|"
     r"live\s+(?:ammunition|rounds|bullets|fire)|(?:protesters|protestors|demonstrators)\s+(?:were\s+|was\s+)?"
     r"(?:killed|shot\s+dead|shot)|violent(?:ly)?\s+(?:crackdown|cracked\s+down|suppress\w*|dispers\w*|"
     r"broke\s+up)|crackdown\s+on\s+(?:\w+\s+){0,2}(?:protesters|demonstrators|protests)|excessive\s+force|"
     r"brutal(?:ly)?\s+(?:\w+\s+)?(?:attack\w*|beat\w*|dispers\w*|suppress\w*|crackdown)"),
    # Heavy weapons fired from a distance count as shelling (ACLED codes them so on front lines).
    ("HEAVY", r"grenade[-\s]launchers?|heavy\s+machine[-\s]?guns?|anti-?aircraft\s+(?:guns?|cannons?)|cannons?|"
     r"IFVs?|tanks?\b|armou?red\s+vehicles?\s+fired"),
    ("FIREARM", r"rocket[-\s]propelled\s+grenades?|RPGs?\b|small\s+arms|machine[-\s]?guns?|"
     r"firearms?|rifles?|AK-?47s?|pistols?|automatic\s+weapons|gunfire|gunshots?|shots\s+(?:were\s+)?fired|"
     r"bursts?\s+of\s+fire|shots\b|fired\s+(?:shots|bullets|into|upon|on)|opened\s+fire|shot\s+at|firing|"
     r"(?:drive-by\s+)?shootings?"),
    # Weapons found, seized, defused or intercepted (before the weapon cues it would otherwise feed).
    ("DISRUPT", r"defus(?:ed|ing|e)|bomb\s+disposal|(?:intercepted|intercepting|downed|shot\s+down)\b|"
     r"air\s+defen[cs]es?|de-?mining|foiled|thwarted|controlled\s+explosion|(?:weapons|arms)\s+caches?|"
     r"(?:seized|captured|recovered|confiscated|found|discovered|uncovered|dismantled|defused|cleared|removed|"
     r"retrieved|destroyed)\s+(?:[\w,.-]+\s+){0,6}?(?:weapons|arms|ammunition|explosives?|explosive\s+devices?|IEDs?|bombs?|"
     r"(?:land)?mines|rockets|grenades|caches?|stockpiles?|firearms|pistols|rifles|revolvers|guns|rounds|"
     r"cartridges|bullets|detonators)|(?:weapons|arms|ammunition|explosives?|(?:improvised\s+)?explosive\s+"
     r"devices?|IEDs?|bombs?|(?:land)?mines|rockets|grenades|caches?|firearms|pistols|rifles|revolvers|guns|"
     r"rounds|cartridges|bullets|packages?)\s+(?:\w+\s+){0,4}?(?:was|were|has\s+been|have\s+been|had\s+been)\s+"
     r"(?:\w+\s+)?(?:found|discovered|seized|captured|defused|cleared|removed|recovered|confiscated|"
     r"intercepted|dismantled)"),
    ("CHEM", r"chemical\s+(?:weapons?|attacks?|agents?|munitions?|gas)|poison(?:ous)?\s+gas|toxic\s+gas|"
     r"chlorine(?:\s+gas)?|sarin|mustard\s+gas|nerve\s+agents?|tear[-\s]gas\s+shells?\s+filled"),
    ("SUICIDE", r"suicide[-\s](?:bomb(?:er|ers|ing|ings|s)?|attack(?:er|ers|s)?|car\s+bomb(?:er|s)?|vest|truck|"
     r"blasts?|explosions?)|SVBIEDs?|blew\s+(?:himself|herself|themselves)\s+up|self[-\s]detonat\w*|"
     r"suicide\s+(?:car|vehicle)|explosive\s+vest"),
    ("IED", r"IEDs?\b|RCIEDs?|VBIEDs?|improvised\s+explosive(?:\s+devices?)?|road[-\s]?side\s+bombs?|land[-\s]?mines?|"
     r"(?:anti[-\s](?:tank|personnel)\s+)?mines?\s+(?:exploded|explosion|blast)|(?:ground|roadside|buried)\s+mines?|"
     r"mines?\s+(?:[\w,]+\s+){0,6}?(?:went\s+off|exploded|detonated)|improvised\s+bombs?|(?<=\bcar\s)bombs?|"
     r"(?<=\btruck\s)bombs?|(?<=\bpipe\s)bombs?|(?<=\btime\s)bombs?|(?:motorbike|motorcycle|bicycle|sticky|magnetic|"
     r"parcel|remote[-\s]controlled)\s+bombs?|explosive\s+devices?|"
     r"unexploded\s+(?:ordnance|munitions?|shells?|bombs?)|UXOs?\b|explosive\s+remnants?|war\s+remnants?|"
     r"remnants?\s+of\s+war|bombs?\s+(?:exploded|went\s+off|blasts?|attached|planted|hidden)|"
     r"(?:planted|placed|detonated)\s+(?:a\s+|an\s+)?(?:bombs?|explosives?)|remote\s+explosive\w*|"
     r"blew\s+up|bomb\s+(?:blast|explosion|attack)s?|explosives?\b"),
    ("AIR", r"air[-\s]?strikes?|airstrikes?|air\s+raids?|aerial\s+(?:bombardment|attacks?|strikes?|bombing|aggression)|"
     r"air\s+aggression|"
     r"drone\s+(?:strikes?|attacks?)|(?:armed\s+)?drones?|UAVs?\b|war[-\s]?planes?|fighter\s+jets?|"
     r"air\s+force|helicopter\s+gunships?|gunships?|barrel\s+bombs?|bombers?|bombing\s+raids?|bombed|bombing"),
    # A bare "strike" by a state or coalition, or striking a target, is an air strike in war news
    # unless a more precise weapon is named; "on strike", "hunger strike" are protests.
    ("STRIKE", r"(?:coalition|Israeli|Russian|Turkish|American|US|U\.S\.|Syrian|regime|Saudi|NATO|allied|French|"
     r"British|Iraqi|Jordanian|Iranian|Ukrainian|Emirati|Egyptian)\s+strikes?|"
     r"(?<!\bon\s)(?<!hunger\s)(?<!general\s)strikes?\s+(?:on|in|against|targeting|targeted|hit\w*|kill\w*|near)\b"),
    ("AIR_WEAK", r"jets\b|air\s+support|helicopters?|air[-\s]?dropped|airdrops?|aircraft"),
    ("GRENADE", r"(?:hand\s+)?grenades?"),
    ("SHELL", r"shell(?:ed|ing|s)\b|shellfire|artillery|mortars?|rockets?|missiles?|howitzers?|Grads?\b|"
     r"bombard(?:ed|ing|ment|ments|s)?|projectiles?|heavy\s+weapons|tank\s+fire|MLRS"),
    ("SHELL_WEAK", r"explosions?|blasts?|exploded"),
    # Territory.
    ("RECAPTURE", r"recaptur(?:e|ed|ing)|re-?took|retak(?:e|en|ing)|regain(?:ed|ing)?\s+(?:full\s+)?control|"
     r"liberat(?:ed|ing|ion)(?!\s+(?:parts|areas|territor\w+|districts|neighbou?rhoods|zones|villages))|restored\s+control|re-?established\s+control|"
     r"pushed\s+back|drove\s+(?:\w+\s+){0,3}out|cleared\s+(?:\w+\s+){0,3}of"),
    ("CAPTURE", r"(?:seized|captured|took|taken|take|seize|capture|gained|assumed)\s+(?:full\s+)?control|"
     r"(?:seized|captured|overran|overrun|stormed|occupied|took\s+over)\s+(?:the\s+)?(?:\w+\s+){0,2}"
     r"(?:town|village|city|district|area|territory|base|camp|outpost|region|locality|province|positions?|"
     r"hill|airport|airbase|port|neighbou?rhood|(?-i:[A-Z])\w+)|fell\s+to|swept\s+across|overran|overrun"),
    ("TRANSFER", r"handed\s+over|hand(?:ing)?\s+over|handover|withdr(?:ew|awn|aw|awing)\s+from|withdrawal\s+of|"
     r"retreat(?:ed)?\s+from|pulled\s+out\s+of|transfer(?:red)?\s+(?:of\s+)?control"),
    # Battles.
    ("CLASH", r"clash(?:ed|es|ing)?|fire-?fights?|fight(?:ing|s)?(?!\s+against\s+(?:the\s+)?(?:coronavirus|covid|virus|"
     r"pandemic|corruption|poverty|hunger|crime|drugs|impunity|climate))|fought|gun\s?fights?|"
     r"gun\s+battles?|shoot-?outs?|exchang(?:e|ed|es|ing)\s+(?:of\s+)?(?:\w+\s+){0,2}(?:fire|gunfire|shots)|"
     r"encounter(?:ed)?|skirmish(?:es|ed)?|battl(?:e|es|ed|ing)|offensive|hostilities|combat|"
     r"engaged|counter-?attack(?:ed|s)?|(?:stiff|intense|fierce|heavy|strong)\s+resistance"),
    ("POSFIRE", r"positions"),  # only after "at/on/against" (checked in _classify): fire at positions
    # Violence against civilians.
    ("SEXUAL", r"rap(?:e|ed|es|ing)\b|gang-?rap\w*|sexual(?:ly)?\s+(?:violence|assault\w*|abus\w*|harass\w*|"
     r"exploit\w*)|sex\s+slaves?|sexual\s+slavery|molest\w*|abused\s+women|abus(?:ed|ing)\s+(?:\w+\s+){0,2}"
     r"(?:women|girls)"),
    ("ABDUCT", r"abduct(?:ed|ion|ions|ing|s)?|kidnap(?:ped|ping|pings|s)?|taken\s+(?:as\s+)?hostages?|"
     r"held\s+hostage|hostages?|forced(?:ly)?\s+disappear\w*|enforced\s+disappear\w*|disappeared|went\s+missing|"
     r"taken\s+captive|abductors?|kidnappers?"),
    ("BODY", r"bod(?:y|ies)\s+(?:of\s+(?:\w+\s+){1,4})?(?:was|were|had\s+been|has\s+been)\s+(?:found|discovered|"
     r"recovered|dumped)|(?:found|discovered)\s+(?:\w+\s+){0,3}(?:dead|bod(?:y|ies)|corpses?)|corpses?|"
     r"human\s+(?:head|remains)|decapitated|dismembered|mass\s+graves?"),
    ("MOB", r"lynch(?:ed|ing|ings)?|mobs?\b|mob\s+justice|vigilantes?|scuffles?|brawls?|"
     r"(?:beaten|beat|thrashed|attacked|assaulted|lynched|hit)\s+(?:\w+\s+){0,3}by\s+(?:a\s+group\s+of\s+)?"
     r"(?:the\s+)?(?:locals|villagers|residents|a\s+crowd|community\s+members|neighbou?rs|youths|people)|"
     r"(?:locals|villagers|residents|community\s+members|youths|crowd)\s+(?:\w+\s+){0,2}(?:beat|attacked|"
     r"thrashed|assaulted|lynched|hit|pelted|stoned|chased|clashed)|clash(?:ed|es)?\s+between\s+(?:\w+\s+){0,3}"
     r"(?:groups|communities|families|villagers|supporters|clans|residents|tribes|members)|communal\s+(?:clash\w*|"
     r"violence)|inter-?communal|tribal\s+clash\w*|groups\s+(?:\w+\s+){0,2}clash\w*|"
     r"set\s+alight\s+by"),
    # "riot" as a noun is often background ("since the prison riot"): only rioters acting count.
    ("RIOT", r"rioters|rioting|rioted|riots?\s+(?:broke\s+out|erupted|ensued|spread)|riot-like|"
     r"(?:sparked|triggered|led\s+to)\s+(?:a\s+)?riots?|turned\s+(?:violent|into\s+(?:a\s+)?riots?)|"
     r"burn(?:ed|t|ing)?\s+(?:\w+\s+)?(?:tyres|tires|objects|barricades)|(?:tyres|tires|barricades)\s+"
     r"(?:on\s+)?fire|(?:threw|throwing|hurled|hurling|pelted|pelting)\s+(?:\w+\s+){0,2}"
     r"(?:stones|rocks|bricks|molotov|petrol\s+bombs|objects|bottles|fireworks)|stone[-\s]pelting|"
     r"pelted|stoned|molotov\s+cocktails?|petrol\s+bombs?|vandali[sz](?:ed|ing|e)|ransack(?:ed|ing)|"
     r"clashed\s+with\s+(?:the\s+)?(?:police|security\s+forces|officers|authorities)"),
    ("INTERVENE", r"riot\s+(?:police|squads?|gear)|dispers(?:ed|e|ing|al)|tear[-\s]?gas|teargas|rubber\s+bullets|"
     r"water\s+cannons?|"
     r"baton[-\s]charged?|lathi[-\s]?charged?|batons|intervened|intervention|prevented|broke\s+up|"
     r"pepper\s+spray|stun\s+grenades|used\s+force|shot\s+(?:in\s+)?(?:to\s+)?the\s+air|warning\s+shots"),
    ("PROTEST", r"protest(?:s|ed|ing|ers|ors)?\b|demonstrat(?:ion|ions|ed|ing|ors|e|es)\b|rall(?:y|ies|ied)\b|"
     r"(?-i:march(?:ed|es|ing)?)\b|marchers|sit-?ins?|picket\w*|(?<=\bon\s)strike|"
     r"(?:hunger|general|labou?r|workers'?|teachers'?|doctors'?)\s+strikes?|strike\s+action|strikers|"
     r"dharnas?|vigils?|boycott\w*|pot-?banging|cacerolazos?|motorcades?|petition\w*|"
     r"(?:staged|held)\s+a\s+(?:\w+\s+)?(?:gathering|sit|march)|chant(?:ed|ing)\s+slogans|"
     r"(?:blocked|blocking|block)\s+(?:\w+\s+){0,5}?(?:roads?|highways?|streets?|traffic|avenues?|entrance)"),
    ("PROTEST_WEAK", r"gathered|assembled|demand(?:ed|ing)|denounc\w+|against\s+the\s+(?:government|decision)|"
     r"support\s+of|slogans|placards|banners"),
    ("ARREST", r"arrest(?:s|ed|ing)?\b|detain(?:ed|s|ing)?|detention|apprehend(?:ed|s)?|taken\s+into\s+custody|"
     r"rounded\s+up|captured\s+(?:a|an|the|two|three|\d+|several|senior)\b|custody|"
     r"(?:taken|took)\s+(?:\w+\s+){0,2}(?:Palestinians|suspects|people|men)"),
    ("LOOT", r"loot(?:ed|ing|ers)?|pillag\w+|plunder\w*|(?:set|sets|setting)\s+(?:on\s+)?fire|set\s+alight|"
     r"torch(?:ed|ing)|burn(?:ed|t|ing)\s+(?:down\s+)?(?:\w+\s+){0,3}(?:houses?|homes?|shops?|vehicles?|cars?|"
     r"buildings?|property|huts?|villages?|trucks?|tractors?|crops|offices?|schools?|stadium|church|mosque)|"
     r"burn(?:ed|t)\s+(?:down|the)|arson\w*|demolish\w*|raz(?:ed|ing)|bulldoz\w+|destroy(?:ed|ing)\s+"
     r"(?:\w+\s+){0,3}(?:houses?|homes?|shops?|property|properties|crops|buildings?|shelters?|trees|tents?)|"
     r"(?:cut|chopped|uprooted)\s+(?:down\s+)?(?:\w+\s+){0,4}trees|forced\s+(?:\w+\s+){0,3}out\s+of\s+their\s+"
     r"homes|confiscat(?:ed|ion)|robbery|robbed|stole|stolen|material\s+damage|damaged|"
     # Seizures of goods and drugs, and labs dismantled, are property taken or destroyed in ACLED.
     r"(?:seized|discovered|found|dismantled|destroyed|burned|burnt|confiscated)\s+(?:\w+\s+){0,5}?"
     r"(?:drugs|marijuana|marihuana|cocaine|heroin|narcotics|cannabis|methamphetamine|labs?|laboratory|"
     r"livestock|cattle|goods|property|vehicles|tons|kilograms|kg)"),
    ("AGREE", r"(?:cease-?fire|truce|peace\s+(?:deal|agreement|accord|talks|treaty)|agreement|accord)\b|"
     r"agreed\s+to|signed\s+(?:a|an|the)|prisoner\s+(?:exchange|swap)|(?:released|freed)\s+(?:\w+\s+){0,3}"
     r"(?:prisoners|hostages|detainees)|reconcil\w+|negotiat\w+"),
    ("HQ", r"(?:set\s+up|established|establish|establishing|built|opened|erected|install(?:ed)?)\s+"
     r"(?:\w+\s+){0,5}?(?:bases?|headquarters|HQ|camps?|outposts?|checkpoints?|positions?|offices?|posts?|"
     r"barracks|observation\s+points?|points)|(?:stationed|deployed)\s+(?:\w+\s+){0,4}(?:in|at|to)\b|took\s+up\s+positions"),
    ("CHANGE", r"joined|defect(?:ed|ion|ions|ors)|surrender(?:ed|s)?|(?:formed|founded|launched|"
     r"created|announced)\s+(?:a\s+|the\s+)?(?:new\s+)?(?:armed\s+)?(?:group|militia|movement|faction|"
     r"alliance|coalition|brigade|formation|dissolution)|merged|split\s+from|recruit(?:ed|ing|ment|s)\b|"
     r"graduat(?:ed|ion)|training|mobili[sz](?:ed|ation)|distributed|delivered|handed\s+out|donat(?:ed|ion)|"
     r"rally\s+for|pledged\s+allegiance|allegiance|claimed\s+responsibility|demining"),
    ("OTHER", r"curfew|(?:imposed|extended|enforcing|enforced)\s+(?:a\s+)?(?:\w+\s+){0,3}(?:ban|curfew|"
     r"restrictions|lockdown|state\s+of\s+emergency)|(?<=\bstate\sof\s)emergency|banned|ban\s+on"),
    # Disasters and accidents kill too, but are no political violence.
    ("DISASTER", r"earthquakes?|quakes?|floods?|flooding|flash\s+floods?|tsunamis?|cyclones?|hurricanes?|typhoons?|"
     r"storms?|landslides?|mudslides?|avalanches?|droughts?|eruptions?|volcan\w+|wildfires?|bushfires?|heavy\s+rains?|"
     r"torrential|accidents?|crash(?:ed|es)?|collided|collision|derail\w*|capsiz\w+|plunged|stampede|"
     r"gas\s+(?:leak|explosion)|fire\s+broke\s+out|blaze|electrocut\w+|drown\w*"),
    # Generic violence; the target decides battle or violence against civilians.
    ("KILL", r"kill(?:ed|ing|s)?\b|shot\s+(?:dead|and\s+killed|to\s+death)|shot\s+him|gunned\s+down|"
     r"murder(?:ed|s|ing)?|"
     r"execut(?:ed|ion|ions|ing)|behead\w*|massacr\w+|martyr(?:ed|dom)|assassinat\w+|lynch\w*|hack(?:ed)?\s+to\s+death|"
     r"beaten\s+to\s+death|stabbed\s+to\s+death|burned\s+alive|died|dead\b|deaths?|slain|slaughter\w*|"
     r"homicide|fatalit(?:y|ies)"),
    ("INJURE", r"stabb(?:ed|ing)|shot\b|beat(?:en|ing|s)?\b|beat\s+up|assault(?:ed|s|ing)?|tortur\w+|"
     r"wound(?:ed|ing|s)?|injur(?:ed|ing|ies)|hurt|hacked|flogged|whipped|hit\b|mistreat\w*|ill-treat\w*|"
     r"harass(?:ed|ment)|threaten\w*|intimidat\w+|extort\w*"),
    ("ATTACK", r"attack(?:ed|s|ing)?\b|ambush(?:ed|es|ing)?|assailants?|raid(?:ed|s)?\b|struck|"
     r"target(?:ed|ing|s)\b|storm(?:ed|ing)|"
     r"incursion|invaded|violence|aggression"),
]
_CUE_GROUP = "(?P<{name}>\\b(?:{pat})(?!\\w))"
_CUE_RE = GatedPattern.of_groups([(f"{label}_{i}", pat) for i, (label, pat) in enumerate(_CUES)], _CUE_GROUP,
                                  re.I | re.M)
_CUE_LABEL = {f"{label}_{i}": label for i, (label, _) in enumerate(_CUES)}

# Party nouns: who acts and who suffers. ARMED = state forces; GROUP = non-state armed actors.
_PARTIES: list[tuple[str, str]] = [
    ("PROTESTER", r"protesters|protestors|demonstrators|marchers|strikers|activists?|students"),
    ("RIOTER", r"rioters|mob|crowd|locals|villagers|residents|youths|community\s+members|groups|"
     r"inhabitants|nationals|Palestinians?|shopkeepers|beneficiaries|citizens|supporters|farmers|traders|"
     r"workers|labou?rers|families"),
    ("ARMED", r"soldiers?|troops|army|military|"
     r"forces|police(?:men|women|man|woman)?|(?:police|security|army|military)\s+officers?|officers|gendarmes?|"
     r"gendarmerie|national\s+guard|navy|marines?|air\s+force|personnel|servicem[ae]n|border\s+guards?|"
     r"patrols?|convoy|checkpoints?|military\s+(?:base|post|positions?)|positions|outposts?|commandos?|bases?|barracks|"
     r"paratroopers|peacekeepers|guards?|rangers|(?-i:ANDSF|FARDC|NDS|SAA|IDF|AMISOM|MINUSMA|GNA|LNA|FC|CRPF|SoG|RR)"),
    ("GROUP", r"militants?|rebels?|insurgents?|fighters?|jihadists?|terrorists?|gunm[ae]n|armed\s+(?:men|group|groups|"
     r"individuals|people|persons|assailants|bandits|commando)|bandits?|gangs?|gang\s+members|militia(?:s|men)?|"
     r"assailants?|attackers|hitmen|sicarios|cartel|snipers?|combatants|cadres|Taliban|al[-\s]?Shabaa?b|"
     r"Boko\s+Haram|Islamic\s+State|(?-i:ISIS|ISIL|IS|Isis|PKK|JNIM|ISGS|ISWAP|ADF|HTS|YPG|SDF|NAF|HM|LeT|JeM)|"
     r"Daesh|Houthis?|dahalo|Mayi[-\s]Mayi|Mai[-\s]Mai|Hezbollah|Hamas|separatists|extremists|herdsmen|"
     r"Fulani\s+militia|traffickers|drug\s+traffickers|criminals|robbers|armed\s+(?:man|woman)|shooters?|"
     r"Ambazonian|Amba\s+boys|unknown\s+(?:gunmen|assailants|persons|people|individuals)|"
     r"(?:unidentified|unknown)\s+(?:armed\s+)?(?:gunmen|assailants|persons|people|individuals|men|group)"),
    ("CIVILIAN", r"civilians?|man|woman|men|women|children|child|boys?|girls?|teenagers?|people|persons?|"
     r"villagers?|farmers?|"
     r"herders?|shepherds?|journalists?|bloggers?|teachers?|workers?|businessm[ae]n|traders?|drivers?|"
     r"passengers|famil(?:y|ies)|victims?|doctors?|nurses?|priests?|pastors?|imams?|chiefs?|leaders?|mayor|"
     r"officials?|councill?ors?|lawyers?|vendors?|shopkeepers?|refugees|migrants|prisoners|detainees|"
     r"inmates|motorcyclists?|pedestrians|worshippers|fishermen|miners|hunters|traditional\s+leader|(?-i:IDPs)|"
     r"human\s+shields|residents?|couple|wife|husband|relatives|kin|employees|volunteers|staff"),
]
_PARTY_GROUP = "(?P<{name}>\\b(?:{pat})\\b)"
_PARTY_RE = GatedPattern.of_groups([(f"{label}_{i}", pat) for i, (label, pat) in enumerate(_PARTIES)],
                                    _PARTY_GROUP, re.I)
_PARTY_LABEL = {f"{label}_{i}": label for i, (label, _) in enumerate(_PARTIES)}
_PASSIVE = re.compile(r"\b(?:was|were|been|being|be|got|get)\s+(?:\w+\s+){0,2}$", re.I)

class _Tail:
    """A regex that matches only at the end of a string, after one of a few possible last words
    (every alternative ends with a word and whitespace). ``re`` searches such a regex from every
    position of the string; here the string's last word is looked up in a set first and the
    search runs only when it may match (hand-written for measured speed: these searches ran for
    every cue and every toponym). A non-ASCII last word always takes the search (case folding)."""

    __slots__ = ("last", "regex")

    def __init__(self, regex: re.Pattern[str], last: str) -> None:
        self.regex = regex
        self.last = frozenset(last.split())

    def search(self, string: str) -> re.Match[str] | None:
        stripped = string.rstrip()
        if len(stripped) == len(string) or not stripped:
            return None  # no whitespace at the end, or nothing before it
        word = stripped.rsplit(None, 1)[-1]
        if not word.isalnum():
            word = _LAST_RUN.search(word).group()  # the word characters at its end
        if word.isascii() and word.lower() not in self.last:
            return None
        return self.regex.search(string)


_LAST_RUN = re.compile(r"\w*\Z")


# Place specificity: the event happened at the most specific place of its sentences.
_FEATURE_RANK = {
    "village": 0, "neighbourhood": 0, "neighborhood": 0, "city": 1, "town": 1, "locality": 1,
    "admin2": 2, "district": 2, "admin1": 3, "region": 4, "water": 5, "country": 6,
}
# A locative word just before a toponym marks where something happened ("in X", "near the town
# of X", "village of X"); a toponym after "from" or inside a name ("Azov Battalion") does not.
_NEAR_PREP = _Tail(re.compile(
    r"(?:\b(?:in|at|near|outside|around|into|inside|across|of|on|between|and)\s+(?:the\s+)?"
    r"(?:(?:town|city|village|district|area|region|province|outskirts|vicinity|suburbs?|countryside|"
    r"neighbou?rhood|municipality|governorate|camp|locality|community)\s+of\s+(?:the\s+)?)?"
    r"(?:(?:northern|southern|eastern|western|central|north|south|east|west|rural|urban|downtown|"
    r"greater|old|nearby)\s+)?)$",
    re.I,
),
    "in at near outside around into inside across of on between and the northern southern "
    "eastern western central north south east west rural urban downtown greater old nearby")

# "in Pipri, Kaushambi (UP)", "in Gazipur city (Gazipur, Dhaka)": the places that follow a locative
# toponym, after a comma or in parentheses, are where it is.
_LIST_NEXT = re.compile(r"(?:\(|,)\s*$")
_COARSE_RANK = _FEATURE_RANK["admin1"]
_VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")


@dataclass(slots=True)
class _Cue:
    label: str
    start: int
    end: int


@dataclass(slots=True)
class _Happening:
    type: str
    sub_type: str
    trigger: _Cue
    sentences: list[Sentence] = field(default_factory=list)
    paragraph: int = 0


# --- public entry point --------------------------------------------------------------------------
def find_events(
    parsed: Parsed, places: list[Place], actors: list[Actor], dates: list[DateRef], figures: list[Figure]
) -> list[Event]:
    """Events in narrative sentences, the one the document is mainly about first."""
    happenings = _merge_headline(parsed, _happenings(parsed))
    index = _PlaceIndex(places)
    happenings = _merge_same(parsed, happenings, index, dates)
    doc_date = _document_date(parsed, dates)
    taken = SpanIndex((span.start, span.end) for actor in actors for span in actor.mentions)
    events = []
    for hap in happenings:
        events.append(_event(parsed, hap, places, index, actors, dates, figures, doc_date, taken))
    if events:
        # The main event's deaths are those its lead tells (title and first paragraph with a
        # death), when that paragraph is near the top: the grouping of later sentences adds
        # repeats, updates and earlier incidents, and misses deaths told apart from the trigger.
        lead = figures_mod.lead_fatalities(parsed, figures, within=_LEAD_PARAGRAPHS)
        if lead is not None:
            events[0].fatalities = lead
    return events


# How far down the first paragraph with a death may be for it to tell the main event.
_LEAD_PARAGRAPHS = 3


# --- sentence level ------------------------------------------------------------------------------
# What may, will or would happen did not happen: "strikes will be limited", "could attack".
_HEDGE_BEFORE = _Tail(re.compile(r"\b(?:will|would|could|might|may|should|shall|must|threat(?:en(?:ed|s)?)?\s+to|"
                           r"possible|potential|imminent|planned|expected|anticipated|upcoming|future|"
                           r"plan(?:s|ned)?\s+to|vow(?:ed|s)?\s+to|fear(?:s|ed)?|risk|if)\s+(?:not\s+)?(?:be\s+)?$",
                           re.I),
    "will would could might may should shall must to possible potential imminent planned "
    "expected anticipated upcoming future fear fears feared risk if not be")
# ("may have killed" reports an unconfirmed past event: kept.)
_HEDGE_AFTER = re.compile(r"\s+(?:\w+\s+)?(?:will|would|could|might|may|should|shall)\b(?!\s+(?:have|not\s+have)\b)",
                          re.I)


def _cues(text: str, sentence: Sentence) -> list[_Cue]:
    found = []
    for match in _CUE_RE.finditer(text, sentence.start, sentence.end):
        label = _CUE_LABEL[match.lastgroup or ""]
        if label.startswith("LBL_") and match.start() != sentence.start:
            continue  # a note label only counts at the start of its sentence
        if _HEDGE_BEFORE.search(text[max(sentence.start, match.start() - 40) : match.start()]) or \
                _HEDGE_AFTER.match(text, match.end()):
            continue
        found.append(_Cue(label, match.start(), match.end()))
    return found


def _parties(text: str, sentence: Sentence) -> list[_Cue]:
    return [_Cue(_PARTY_LABEL[m.lastgroup or ""], m.start(), m.end())
            for m in _PARTY_RE.finditer(text, sentence.start, sentence.end)]


class _LazyParties:
    """A sentence's party nouns, matched on first use: a third of the sentences with a cue never
    ask (protests, explosions, disasters; hand-written for measured speed)."""

    __slots__ = ("_found", "_sentence", "_text")

    def __init__(self, text: str, sentence: Sentence) -> None:
        self._text, self._sentence = text, sentence
        self._found: list[_Cue] | None = None

    def __iter__(self) -> Iterator[_Cue]:
        if self._found is None:
            self._found = _parties(self._text, self._sentence)
        return iter(self._found)


_LABEL_MAP = {
    "LBL_LOOT": ("Strategic developments", "Looting/property destruction"),
    "LBL_ARREST": ("Strategic developments", "Arrests"),
    "LBL_CHANGE": ("Strategic developments", "Change to group/activity"),
    "LBL_OTHER": ("Strategic developments", "Other"),
    "LBL_HQ": ("Strategic developments", "Headquarters or base established"),
    "LBL_AGREE": ("Strategic developments", "Agreement"),
    "LBL_TRANSFER": ("Strategic developments", "Non-violent transfer of territory"),
    "LBL_DISRUPT": ("Strategic developments", "Disrupted weapons use"),
}
_EXPLOSIVE = [
    ("CHEM", "Chemical weapon"),
    ("SUICIDE", "Suicide bomb"),
    ("IED", "Remote explosive/landmine/IED"),
    ("AIR", "Air/drone strike"),
]
_STRATEGIC = [
    ("ARREST", "Arrests"),
    ("LOOT", "Looting/property destruction"),
    ("AGREE", "Agreement"),
    ("HQ", "Headquarters or base established"),
    ("TRANSFER", "Non-violent transfer of territory"),
    ("CHANGE", "Change to group/activity"),
    ("OTHER", "Other"),
]


def _classify(text: str, cues: list[_Cue], parties: Iterable[_Cue]) -> tuple[str, str, _Cue] | None:
    """One (type, sub-event type, trigger) for a sentence, by ACLED's codebook precedence."""
    if not cues:
        return None
    first: dict[str, _Cue] = {}
    for cue in cues:
        first.setdefault(cue.label, cue)
    for label, (etype, sub) in _LABEL_MAP.items():
        if label in first:
            return etype, sub, first[label]
    has = first.__contains__
    if has("DISASTER") and not set(first) & _POLITICAL:
        return None  # "a flood killed 20", "the bus plunged off a bridge": not an ACLED event
    violent = has("KILL") or has("INJURE") or has("ATTACK") or has("CLASH")
    protest = has("PROTEST") or has("FORCE") or (has("PROTEST_WEAK") and _people_demanding(first, parties))
    if protest:
        trig = first.get("PROTEST") or first.get("FORCE") or first["PROTEST_WEAK"]
        return _protest(text, first, trig)
    if has("RIOT") and not has("MOB"):
        return "Riots", "Violent demonstration", first["RIOT"]
    if has("MOB"):
        return "Riots", "Mob violence", first["MOB"]
    if has("DISRUPT") and not _before(first, ("KILL", "INJURE"), first["DISRUPT"]):
        return "Strategic developments", "Disrupted weapons use", first["DISRUPT"]
    for label, sub in _EXPLOSIVE:
        if has(label):
            return "Explosions/Remote violence", sub, first[label]
    if has("RECAPTURE") or has("CAPTURE"):
        return _territory(text, first, parties)
    clash = first.get("CLASH")
    # A grenade or a shell named before the fighting is the weapon of the event ("killed in a grenade
    # explosion during clashes"); small arms make it a clash again.
    if clash is not None and not has("FIREARM"):
        if has("GRENADE"):
            return "Explosions/Remote violence", "Grenade", first["GRENADE"]
        if has("SHELL") and first["SHELL"].start < clash.start:
            return "Explosions/Remote violence", "Shelling/artillery/missile attack", first["SHELL"]
    if clash is not None:
        direct = _DIRECT_CLASH.match(text, clash.start) is not None
        if direct and _unarmed_side(text, clash, parties):
            return "Riots", "Mob violence", clash
        if not (_only_unarmed(parties) and (has("KILL") or has("INJURE"))):
            return "Battles", "Armed clash", clash
        # "civilians were killed in the fighting": the killing decides, below.
    if has("GRENADE") and not has("FIREARM"):
        return "Explosions/Remote violence", "Grenade", first["GRENADE"]
    shell = first.get("SHELL") or first.get("HEAVY")
    if shell and not has("FIREARM"):
        return "Explosions/Remote violence", "Shelling/artillery/missile attack", shell
    if has("STRIKE"):
        return "Explosions/Remote violence", "Air/drone strike", first["STRIKE"]
    posfire = first.get("POSFIRE")
    if posfire is not None and _AT_POSITIONS.search(text, max(0, posfire.start - 40), posfire.start):
        return "Battles", "Armed clash", posfire
    for label, sub in (("SEXUAL", "Sexual violence"), ("ABDUCT", "Abduction/forced disappearance")):
        if has(label):
            civilians = any(p.label == "CIVILIAN" for p in parties)
            if _target(text, first[label], parties) == "ARMED" and not civilians:
                return "Battles", "Armed clash", first[label]  # "gunmen abducted a police officer"
            return "Violence against civilians", sub, first[label]
    arrest = first.get("ARREST") or _arrest_by_police(text, first.get("INTERVENE"))
    if arrest and not (has("KILL") or has("INJURE") or has("CLASH") or has("FIREARM")):
        return "Strategic developments", "Arrests", arrest  # "arrested suspects in a raid"
    if violent or has("FIREARM") or has("BODY") or has("GRENADE") or has("SHELL"):
        return _attack(text, first, parties)
    if has("AIR_WEAK"):
        return "Explosions/Remote violence", "Air/drone strike", first["AIR_WEAK"]
    if has("SHELL_WEAK"):
        return "Explosions/Remote violence", "Shelling/artillery/missile attack", first["SHELL_WEAK"]
    if has("TRANSFER"):
        return "Strategic developments", "Non-violent transfer of territory", first["TRANSFER"]
    for label, sub in _STRATEGIC:
        if has(label):
            return "Strategic developments", sub, first[label]
    return None


# Protest levels, worst wins: demonstrators using violence make a riot whatever the police did.
_PROTEST_LEVELS = (
    ("Protests", "Peaceful protest"),
    ("Protests", "Protest with intervention"),
    ("Protests", "Excessive force against protesters"),
    ("Riots", "Violent demonstration"),
)
_ARREST_WORD = re.compile(r"arrest|detain", re.I)
_CLASH_WORD = re.compile(r"clash|scuffle|fought|fight", re.I)
_VIOLENT_DAMAGE = re.compile(r"set|torch|burn|vandal|ransack|destroy|smash", re.I)


# Cues that keep a sentence political even when it also names a disaster or an accident.
_POLITICAL = {"PROTEST", "FORCE", "RIOT", "MOB", "CHEM", "SUICIDE", "IED", "AIR", "STRIKE", "GRENADE", "SHELL", "HEAVY",
              "CLASH", "SEXUAL", "ABDUCT", "ARREST", "CAPTURE", "RECAPTURE", "DISRUPT", "FIREARM", "AGREE"}
_QUIET = {"PROTEST_WEAK", "ARREST", "INTERVENE", "CHANGE", "OTHER"}


def _people_demanding(first: dict[str, _Cue], parties: Iterable[_Cue]) -> bool:
    """"Workers gathered to demand wages" is a protest without the word: weak protest words, people
    acting, and nothing violent or strategic in the sentence."""
    if any(p.label == "PROTESTER" for p in parties):
        return True
    return set(first) <= _QUIET and any(p.label in ("CIVILIAN", "RIOTER") for p in parties)


def _before(first: dict[str, _Cue], labels: tuple[str, ...], cue: _Cue) -> bool:
    """Whether one of ``labels`` occurs before ``cue`` in the sentence."""
    return any(label in first and first[label].start < cue.start for label in labels)


def _arrest_by_police(text: str, cue: _Cue | None) -> _Cue | None:
    """"Police arrested ..." is read as an intervention cue; outside a protest it is an arrest."""
    return cue if cue is not None and _ARREST_WORD.search(text, cue.start, cue.end) else None


def _protest_level(text: str, first: dict[str, _Cue]) -> int:
    """How far a protest went, from the cues of one sentence about it (0 = peaceful)."""
    loot = first.get("LOOT")
    clash = first.get("CLASH")
    fought = clash is not None and _CLASH_WORD.match(text[clash.start : clash.end])
    damage = loot is not None and _VIOLENT_DAMAGE.match(text[loot.start : loot.end])
    if "RIOT" in first or "MOB" in first or fought or damage:
        return 3
    if "FORCE" in first:
        return 2
    if "INTERVENE" in first or "ARREST" in first:
        return 1
    return 0


def _protest(text: str, first: dict[str, _Cue], trig: _Cue) -> tuple[str, str, _Cue]:
    etype, sub = _PROTEST_LEVELS[_protest_level(text, first)]
    return etype, sub, trig


def _territory(text: str, first: dict[str, _Cue], parties: Iterable[_Cue]) -> tuple[str, str, _Cue]:
    cue = first.get("RECAPTURE") or first["CAPTURE"]
    actor = _agent(text, cue, parties)
    if actor == "GROUP":
        return "Battles", "Non-state actor overtakes territory", cue
    if actor == "ARMED":
        return "Battles", "Government regains territory", cue
    if "RECAPTURE" in first:
        return "Battles", "Government regains territory", cue
    return "Battles", "Non-state actor overtakes territory", cue


def _agent(text: str, cue: _Cue, parties: Iterable[_Cue]) -> str | None:
    """Class of the party doing the act of ``cue``: before it in active voice, after "by" in passive."""
    before = [p for p in parties if p.end <= cue.start]
    if _passive(text, cue):
        after = [p for p in parties if p.start >= cue.end and "by" in text[cue.end : p.start].lower().split()]
        return after[0].label if after else None
    if not before:
        return None
    # The subject (first party) acts, also through ", killing ..." clauses; unless it only reports.
    if _REPORTS.search(text, before[0].end, cue.start):
        return before[-1].label
    return before[0].label


def _target(text: str, cue: _Cue, parties: Iterable[_Cue]) -> str | None:
    """Class of the party suffering ``cue``: the subject in passive voice, else the next party after it."""
    if _passive(text, cue):
        before = [p for p in parties if p.end <= cue.start]
        return before[-1].label if before else None
    after = [p for p in parties if p.start >= cue.end and p.start - cue.end < 80]
    return after[0].label if after else None


def _passive(text: str, cue: _Cue) -> bool:
    """Passive voice ("were killed by"), or a participle that tells what befell the noun before it
    ("civilians hurt in the attack", "two citizens martyred in an aggression"): the party before
    suffered the act, it did not do it."""
    if _PASSIVE.search(text[max(0, cue.start - 40) : cue.start]):
        return True
    return cue.label in ("KILL", "INJURE") and _PARTICIPLE.match(text, cue.start, cue.end) is not None and \
        _SUFFERED_IN.match(text, cue.end) is not None


_PARTICIPLE = re.compile(r"\w+ed\b|hurt\b|shot\b|slain\b|wounded\b", re.I)
# ("killed at least two" is active: "at" is left out.)
_SUFFERED_IN = re.compile(r"\s+(?:in|by|during|when|after)\b", re.I)
_UNARMED = {"CIVILIAN", "RIOTER", "PROTESTER"}
_REPORTS = re.compile(r"\b(?:said|says|say|reported|reports|told|according|claimed|accused|alleged)\b", re.I)
_SHOT = re.compile(r"shot|fired", re.I)
_ARMED_BEFORE = re.compile(r"\barmed\s+(?:\w+\s+)?$", re.I)
_WITH = re.compile(r"\b(?:with|between|against)\b", re.I)
_AND = re.compile(r"^\W*(?:\w+\s+){0,3}?(?:and|&)\b", re.I)
_AT_POSITIONS = re.compile(r"\b(?:at|on|against|targeting|targeted|toward|towards)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}$",
                           re.I)
# Words for a fight between two sides, as opposed to "fighting"/"offensive" (a war going on).
_DIRECT_CLASH = re.compile(r"clash|scuffle|fought|fights?\b|brawl|exchang|skirmish|fire\s?fight|gun\s?fight", re.I)


def _unarmed_side(text: str, cue: _Cue, parties: Iterable[_Cue]) -> bool:
    """A clash where one side is unarmed people (villagers, workers, two families) is a riot in
    ACLED's terms; a battle needs organised armed sides. The sides are the party just before the
    clash word and the one after "with"/"between" ("police clashed with the demonstrators");
    civilians named later as victims ("in which a civilian was killed") are not a side."""
    if _ARMED_BEFORE.search(text, max(0, cue.start - 12), cue.start):
        return False  # "an armed fight ensued between two families"
    before = [p for p in parties if p.end <= cue.start]
    sides = before[-1:]
    after = [p for p in parties if p.start >= cue.end and p.start - cue.end < 60]
    if after and _WITH.search(text, cue.end, after[0].start):
        sides.append(after[0])
        sides += [p for p in after[1:2] if _AND.search(text, after[0].end, p.start)]
    labels = {p.label for p in sides}
    return bool(labels & _UNARMED) and "GROUP" not in labels and labels != {"ARMED"}


def _only_unarmed(parties: Iterable[_Cue]) -> bool:
    labels = {p.label for p in parties}
    return bool(labels) and labels <= _UNARMED


def _attack(text: str, first: dict[str, _Cue], parties: Iterable[_Cue]) -> tuple[str, str, _Cue]:
    # The first act of violence named is the one whose target decides ("opened fire at the police,
    # injuring 4": the police were the target).
    acts = [first[k] for k in ("ATTACK", "KILL", "INJURE", "FIREARM") if k in first]
    cue = min(acts, key=lambda c: c.start) if acts else (
        first.get("BODY") or first.get("GRENADE") or first.get("SHELL") or first["CLASH"])
    if cue.label == "BODY":
        return "Violence against civilians", "Attack", cue  # a body found: a killing of a civilian
    target = _target(text, cue, parties)
    agent = _agent(text, cue, parties)
    firearm = "FIREARM" in first or _SHOT.match(text, cue.start) is not None
    beating = cue.label in ("ATTACK", "INJURE") or agent == "RIOTER"
    if agent in _UNARMED and beating and not firearm and target in ("ARMED", "CIVILIAN", "RIOTER", "PROTESTER", None):
        # Residents beating a thief, traders attacking journalists or police: mob violence; people
        # who shoot are an armed group, whoever they are.
        return "Riots", "Mob violence", cue
    if target in ("ARMED", "GROUP") and agent not in _UNARMED:
        if "GRENADE" in first and "FIREARM" not in first:
            return "Explosions/Remote violence", "Grenade", first["GRENADE"]
        return "Battles", "Armed clash", cue
    if target is None and agent in ("ARMED", "GROUP"):
        # "militants attacked" with no civilian named: ACLED's default for two armed sides.
        others = {p.label for p in parties} - {agent}
        if others & {"ARMED", "GROUP"} and "CIVILIAN" not in others:
            return "Battles", "Armed clash", cue
    if target is None and "FIREARM" in first and not {"KILL", "INJURE", "BODY"} & first.keys():
        # Shots, bursts of fire, small arms with nobody named as hit: an exchange between armed sides.
        return "Battles", "Armed clash", first["FIREARM"]
    if "GRENADE" in first and "FIREARM" not in first:
        return "Explosions/Remote violence", "Grenade", first["GRENADE"]
    if "SHELL" in first and "FIREARM" not in first:
        return "Explosions/Remote violence", "Shelling/artillery/missile attack", first["SHELL"]
    return "Violence against civilians", "Attack", cue


# --- grouping into happenings ----------------------------------------------------------------------
# Cues that only tell an outcome (deaths, wounds, damage, arrests) and words that point back to
# the event just told: such a sentence continues the happening before it.
_OUTCOME = {"KILL", "INJURE", "BODY", "SHELL_WEAK", "AIR_WEAK", "LOOT", "ARREST", "INTERVENE", "OTHER", "CHANGE",
            "PROTEST_WEAK", "DISASTER"}
_DIED = re.compile(r"died|dead|deaths?|fatalit|hurt|injuries", re.I)  # no agent: "three officers died"
_ANAPHOR = re.compile(r"\b(?:the|this|that|during\s+the)\s+(?:attack|explosion|blast|clash(?:es)?|incident|"
                      r"fighting|strike|raid|ambush|shooting|operation|assault|bombing|shelling|encounter)\b", re.I)
# Cues that make a sentence a detail of the protest before it rather than a new event.
_PROTEST_DETAIL = {"RIOT", "CLASH", "MOB", "FORCE", "INTERVENE", "ARREST", "LOOT", "KILL", "INJURE", "ATTACK",
                   "FIREARM", "PROTEST", "PROTEST_WEAK"}


def _happenings(parsed: Parsed) -> list[_Happening]:
    text = parsed.text
    out: list[_Happening] = []
    current: _Happening | None = None
    gap = 0
    last = 0  # index of the current happening's last sentence
    for index, sentence in enumerate(parsed.sentences):
        cues = _cues(text, sentence)
        parties: Iterable[_Cue] = _LazyParties(text, sentence) if cues else ()
        found = _classify(text, cues, parties)
        same_par = current is not None and current.paragraph == sentence.paragraph
        # A toll told in the next paragraph ("Three civilians have been killed.") still belongs to
        # the event of the headline or lead just before it.
        toll = current is not None and index - last <= 3 and bool(cues) and {c.label for c in cues} <= _OUTCOME
        if found is None:
            if current is not None and same_par and gap < 2:
                current.sentences.append(sentence)
                _raise_protest(text, current, cues)
                gap, last = gap + 1, index
            continue
        etype, sub, trig = found
        if current is not None and (same_par or toll) and _follows(text, sentence, current, etype, sub, cues, parties):
            current.sentences.append(sentence)
            gap, last = 0, index
            continue
        current = _Happening(etype, sub, trig, [sentence], sentence.paragraph)
        out.append(current)
        gap, last = 0, index
    return out


def _raise_protest(text: str, current: _Happening, cues: list[_Cue]) -> None:
    """A sentence without an event of its own ("Police dispersed them.") may still escalate a protest."""
    if (current.type, current.sub_type) not in _PROTEST_LEVELS:
        return
    first: dict[str, _Cue] = {}
    for cue in cues:
        first.setdefault(cue.label, cue)
    level = max(_PROTEST_LEVELS.index((current.type, current.sub_type)), _protest_level(text, first))
    current.type, current.sub_type = _PROTEST_LEVELS[level]


def _follows(text: str, sentence: Sentence, current: _Happening, etype: str, sub: str, cues: list[_Cue],
             parties: Iterable[_Cue]) -> bool:
    """Whether a sentence of this class adds detail to the happening before it (and update it)."""
    labels = {c.label for c in cues}
    if (current.type, current.sub_type) in _PROTEST_LEVELS:
        # Anything said next about the same protest (police dispersed it, stones were thrown,
        # people were hurt) is part of it and may raise its level.
        first: dict[str, _Cue] = {}
        for cue in cues:
            first.setdefault(cue.label, cue)
        level = max(_PROTEST_LEVELS.index((current.type, current.sub_type)), _protest_level(text, first))
        if (etype, sub) in _PROTEST_LEVELS:
            level = max(level, _PROTEST_LEVELS.index((etype, sub)))
        elif not labels & _PROTEST_DETAIL:
            return False
        current.type, current.sub_type = _PROTEST_LEVELS[level]
        return True
    anaphor = _ANAPHOR.search(text, sentence.start, sentence.end) is not None
    if labels <= _OUTCOME or anaphor:
        # The toll or aftermath of what was just told: "Three officers died.", "The explosion killed
        # one soldier.", "A man was killed during the clash." But "Snipers killed 230 people" has
        # its own armed agent: a new happening.
        act = next((c for c in cues if c.label in ("KILL", "INJURE") and not _DIED.match(text, c.start)), None)
        return anaphor or act is None or _agent(text, act, parties) not in ("ARMED", "GROUP")
    if etype == current.type:
        # Another weapon is another strike ("suicide bombings ... coalition bombing"); a clash and
        # the territory it won are one battle.
        return etype != "Explosions/Remote violence" or sub == current.sub_type
    # Suspects arrested, houses burned: a detail of the violent event before.
    return etype == "Strategic developments" and sub in ("Arrests", "Looting/property destruction", "Other")


_ANOTHER = re.compile(r"\W*(?:separately|meanwhile|elsewhere|in\s+another|in\s+a\s+separate|also)\b", re.I)


def _merge_headline(parsed: Parsed, haps: list[_Happening]) -> list[_Happening]:
    """A headline and the lead paragraph under it tell one event ("Strikes on Afrin kill three" /
    "Three civilians have been killed in a rocket fire on Afrin"): the lead's weapon makes the type
    when the headline only says who died."""
    if len(haps) < 2 or not parsed.sentences:
        return haps
    head, lead = haps[0], haps[1]
    first = parsed.sentences[0]
    starts_lead = next((i for i, s in enumerate(parsed.sentences) if s.start == lead.sentences[0].start), 99)
    headline = first.kind == "title" or sum(1 for s in parsed.sentences if s.paragraph == first.paragraph) == 1
    if (not headline or head.sentences[0].start != first.start or lead.paragraph == head.paragraph
            or starts_lead > 3 or head.type not in _VIOLENT_TYPES or lead.type not in _VIOLENT_TYPES
            or _ANOTHER.match(parsed.text, lead.sentences[0].start)):
        return haps
    vague = head.type != "Explosions/Remote violence" or head.trigger.label in ("STRIKE", "AIR_WEAK", "SHELL_WEAK")
    if vague and lead.type == "Explosions/Remote violence":
        head.type, head.sub_type = lead.type, lead.sub_type
    head.sentences.extend(lead.sentences)
    return [head, *haps[2:]]


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _merge_same(parsed: Parsed, haps: list[_Happening], index: _PlaceIndex,
                dates: list[DateRef]) -> list[_Happening]:
    """One happening per (type, sub-type, place, date) across the text: later reports join the first.
    A report without a place or a date joins one that has them."""
    out: list[tuple[tuple[str, str, str | None], str | None, _Happening]] = []
    for hap in haps:
        key = (hap.type, hap.sub_type, _place_id(parsed, hap, index)[0])
        day = _sentence_date(hap, dates)
        same = next((o for o in out if o[0][:2] == key[:2] and _compatible(o[0][2], key[2])
                     and _compatible(o[1], day)), None)
        if same is not None:
            same[2].sentences.extend(hap.sentences)
            continue
        out.append((key, day, hap))
    return [o[2] for o in out]


# --- event attributes ------------------------------------------------------------------------------
def _in(spans: list[Sentence], start: int) -> bool:
    """Whether an offset falls in one of the sentences (few per event, sorted by the caller)."""
    return any(sentence.start <= start < sentence.end for sentence in spans)


def _inside(spans: list[Sentence]) -> Callable[[int], bool]:
    """``_in`` for one happening's sentences, asked for every figure, date and actor mention of the
    document: one comparison or a bisection instead of a generator over the sentences
    (hand-written for measured speed)."""
    if len(spans) == 1:
        lo, hi = spans[0].start, spans[0].end
        return lambda at: lo <= at < hi
    starts = [sentence.start for sentence in spans]
    ends = [sentence.end for sentence in spans]
    if any(ends[i] > starts[i + 1] for i in range(len(spans) - 1)):
        return lambda at: _in(spans, at)  # not in order (never seen): the plain test

    def inside(at: int) -> bool:
        i = bisect.bisect_right(starts, at) - 1
        return i >= 0 and at < ends[i]
    return inside


def _sentence_date(hap: _Happening, dates: list[DateRef]) -> str | None:
    # The first day date inside: the precision test first and an early stop (measured: it ran the
    # sentence test for every date of the document, twice per happening).
    inside = _inside(hap.sentences)
    return next((d.value for d in dates if d.precision == "day" and inside(d.start)), None)


def _lead_date(hap: _Happening, dates: list[DateRef]) -> str | None:
    """A coarser date in the sentence that tells the event ("in the summer of 2014")."""
    lead = hap.sentences[0]
    # A week is stored as its Monday, which would read as an exact day here: left out.
    return next((d.value for d in dates if lead.start <= d.start < lead.end and d.precision != "week"), None)


def _document_date(parsed: Parsed, dates: list[DateRef]) -> str | None:
    """The date the document reports on: its first day date not after publication."""
    for ref in dates:
        if ref.precision == "day" and (parsed.published is None or ref.value <= parsed.published):
            return ref.value
    return None


# "Baglar neighbourhood of Bagcilar", "Murree road": the part is named by the town after it, a road
# is not a place; "located at X fired at positions near Y": X is where the shooter stood.
_PART_OF = re.compile(r"(?:[-–]\w+)?\s+(?:neighbou?rhood|quarter|area|sector|street|road|highway|avenue|square|"
                      r"bazaar|market)\b(?:\s+of\b)?|(?:\s+(?-i:[A-Z])\w+){0,3}\s+(?-i:Company|Corporation|University|"
                      r"Hospital|Bank|Airport|Airways|Club|Prison|Stadium|Mine|Mines)\b", re.I)
_SHOOTER_AT = _Tail(re.compile(r"\blocated\s+(?:at|in)\s+$", re.I), "at in")
# "Turkish forces shell Tel Tamr", "a drone targeted Qamishli": the place attacked.
_HIT_VERB = _Tail(re.compile(r"\b(?:shell(?:s|ed)?|bomb(?:s|ed)?|bombard(?:s|ed)?|target(?:s|ed)?|hits?|struck|"
                       r"strikes?|attack(?:s|ed)?|raid(?:s|ed)?|storm(?:s|ed)?|pound(?:s|ed)?)\s+(?:the\s+)?"
                       r"(?:(?:town|city|village|villages|area|outskirts)\s+of\s+(?:the\s+)?)?$", re.I),
    "shell shells shelled bomb bombs bombed bombard bombards bombarded target targets targeted "
    "hit hits struck strike strikes attack attacks attacked raid raids raided storm storms "
    "stormed pound pounds pounded the of")
_CODED_AS = _Tail(re.compile(r"\bcoded\s+(?:as|to)\s+(?:the\s+)?$", re.I), "as to the")
_WIDE_AFTER = re.compile(r"\s*(?:(?:northern|southern|eastern|western|north|south|east|west)\s+)?"
                         r"(?:countryside|governorate|province|region)\b", re.I)
_WIDE_BEFORE = _Tail(re.compile(r"(?:(?:countryside|governorate|province|region)\s+of\s+(?:the\s+)?|"
                          r"\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of\s+(?:[A-Z]\w+['’]s\s+)?)$",
                          re.I), "of the s")
_POSSESSOR = _Tail(re.compile(r"\b[A-Z][\w-]*['’]s\s+$"), "s")
# "protesters from Beirut, Jal el Dib and Aarsal gathered in Tripoli": a list after "from" names
# where people came from, however its later items are joined.
_FROM_LIST = re.compile(r"\b[Ff]rom\s+(?:(?:[A-Z][\w'’-]*|el|al|de|la|du)(?:\s+|,\s*)|and\s+)+$")


def _place_rank(text: str, place: Place, start: int, end: int | None = None) -> tuple[int, int, int, int]:
    """Where the event happened: the first toponym after a locative word, not a country when a
    smaller place is named, then the most specific, then the first."""
    before = text[max(0, start - 60) : start]
    owner = _POSSESSOR.search(before)
    if owner:
        before = before[: owner.start()]  # "in Syria's Qamishli": the locative word is before "Syria's"
    prep = 0 if _NEAR_PREP.search(before) or _LIST_NEXT.search(before) or _HIT_VERB.search(before) else 1
    if prep == 0 and _FROM_LIST.search(before):
        prep = 1
    if (end is not None and _PART_OF.match(text, end)) or _SHOOTER_AT.search(before):
        prep = 2
    if _CODED_AS.search(before):
        prep = -1  # "Bate village, coded as Arso district": the note says where it is coded
    rank = _FEATURE_RANK.get(place.feature, 3)
    # A country is coarser than a province: "forces of Azerbaijan ... near Mahrizli, Agdam" took
    # place in Agdam even when only the province is known.
    coarse = 0 if rank < _FEATURE_RANK["admin1"] else 1 if rank < _FEATURE_RANK["country"] else 2
    return (prep, coarse, start, rank)


# "Aleppo countryside", "western countryside of Aleppo", "Al-Hasakah | ...": a town's name used
# for the area around it, which a later, more precise toponym refines.
_AREA_AFTER = re.compile(r"(?:['’]s)?\s*(?:(?:northern|southern|eastern|western|north|south|east|west|"
                         r"north-?western|north-?eastern|south-?western|south-?eastern)\s+)?"
                         r"(?:countryside|governorate|province|region|suburbs|outskirts|\|)", re.I)
_AREA_BEFORE = _Tail(re.compile(r"(?:(?:countryside|governorate|province|region|suburbs|outskirts)\s+of\s+(?:the\s+)?|"
                          r"\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of\s+(?:[A-Z]\w+['’]s\s+)?)$",
                          re.I), "of the s")


class _PlaceIndex:
    """Narrative place mentions sorted by offset, to find those of a few sentences by bisection
    instead of scanning every place of the document for every event."""

    def __init__(self, places: list[Place]) -> None:
        self.mentions = sorted(((span.start, span.end, place) for place in places if place.role == "narrative"
                                for span in place.mentions), key=lambda m: (m[0], m[1]))
        self.starts = [m[0] for m in self.mentions]
        self._ranks: dict[tuple[int, int, str], tuple[int, int, int, int]] = {}

    def rank(self, text: str, place: Place, span: Span) -> tuple[int, int, int, int]:
        """``_place_rank`` of a mention, memoised: each happening's mentions are ranked when
        happenings are merged and again for the event (measured: half of the regex searches)."""
        key = (span.start, span.end, place.feature)
        found = self._ranks.get(key)
        if found is None:
            found = self._ranks[key] = _place_rank(text, place, span.start, span.end)
        return found

    def within(self, sentences: list[Sentence]) -> list[tuple[Span, Place]]:
        out = []
        for sentence in sentences:
            i = bisect.bisect_left(self.starts, sentence.start)
            while i < len(self.mentions) and self.mentions[i][0] < sentence.end:
                start, end, place = self.mentions[i]
                out.append((Span(start, end), place))
                i += 1
        return out


def _place_id(parsed: Parsed, hap: _Happening, index: _PlaceIndex,
              taken: SpanIndex | None = None) -> tuple[str | None, bool]:
    """The event's place among its sentences' toponyms, and whether it only names an area."""
    text = parsed.text
    best: tuple[tuple[int, int, int, int], str, bool] | None = None
    for span, place in index.within(hap.sentences):
        if _overlaps(span, taken) or _dateline(text, span, hap.sentences):
            continue
        rank = index.rank(text, place, span)
        if best is None or rank < best[0]:
            area = _is_area(text, span)
            best = (rank, place.id, area or rank[3] >= _COARSE_RANK)
    return (best[1], best[2]) if best else (None, False)


def _is_area(text: str, span: Span) -> bool:
    """The toponym names the area around it ("Aleppo countryside", "north of Aleppo")."""
    return bool(_AREA_AFTER.match(text, span.end) or _AREA_BEFORE.search(text[max(0, span.start - 40) : span.start]))


def _overlaps(span: Span, taken: SpanIndex | None) -> bool:
    """A toponym inside an actor's name ("Taliban", "Azov Battalion") is not where it happened."""
    return taken is not None and taken.overlaps(span.start, span.end)


_DATELINE_END = re.compile(r"\s*(?:[,(—–-]|\(AP\)|\(Reuters\)|\(AFP\))")


def _dateline(text: str, span: Span, sentences: list[Sentence]) -> bool:
    """"BAGHDAD — ..." names where the reporter filed from, not where it happened."""
    name = text[span.start : span.end]
    if not name.isupper() or len(name) < 3:
        return False
    starts = any(s.start == span.start for s in sentences) or span.start == 0 or text[span.start - 1] == "\n"
    return starts and bool(_DATELINE_END.match(text, span.end))


def _refine(parsed: Parsed, hap: _Happening, places: list[Place], found: tuple[str | None, bool],
            taken: SpanIndex) -> str | None:
    """A country or province as the event's place ("Turkish strike in Syria's Qamishli" aside,
    titles often name only "northern Syria") is replaced by the first town of the same country
    (and province) named after a locative word later in the text."""
    chosen, is_area = found
    coarse = next((p for p in places if p.id == chosen), None)
    if coarse is not None and not is_area:
        return chosen
    best: tuple[tuple[int, int], str] | None = None
    lead = hap.sentences[0].start
    for place in places:
        if place.role != "narrative" or _FEATURE_RANK.get(place.feature, 3) >= _COARSE_RANK:
            continue
        if place is coarse or (coarse is not None and not _within(place, coarse)):
            continue
        for span in place.mentions:
            if span.start < lead or _overlaps(span, taken) or _dateline(parsed.text, span, parsed.sentences):
                continue
            if _WIDE_AFTER.match(parsed.text, span.end) or _WIDE_BEFORE.search(
                    parsed.text[max(0, span.start - 40) : span.start]):
                continue  # "in Tel Tamr countryside in Al-Hasakah countryside": no finer than the first
            prep = 0 if _NEAR_PREP.search(parsed.text[max(0, span.start - 60) : span.start]) else 1
            key = (prep, span.start)
            if best is None or key < best[0]:
                best = (key, place.id)
    return best[1] if best else chosen


# "Manbij countryside", "north of Aleppo": the area around a town reaches a few tens of km.
_AROUND_TOWN_KM = 50.0


def _within(place: Place, area: Place) -> bool:
    if area.country and place.country != area.country:
        return False
    if _FEATURE_RANK.get(area.feature, 3) < _FEATURE_RANK["admin2"]:
        return (area.lat is None or place.lat is None or place.lon is None or area.lon is None
                or _km(area.lat, area.lon, place.lat, place.lon) <= _AROUND_TOWN_KM)
    if area.feature == "admin1":
        return place.admin1 is None or place.admin1 == area.admin1 or place.admin1 == area.name
    return True


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def _fallback_place(parsed: Parsed, hap: _Happening, places: list[Place]) -> str | None:
    """No place in the event's sentences: the best place of the sentences just before them in the
    same paragraph ("On 9 May, in X, ... . A man was arrested."), else of any earlier sentence,
    else the document's most mentioned specific place."""
    first = hap.sentences[0].start
    text = parsed.text
    best: tuple[tuple[int, int, int, int, int], str] | None = None
    for place in places:
        if place.role != "narrative":
            continue
        for span in place.mentions:
            if span.start < first:
                other_par = 0 if _same_paragraph(parsed, span.start, hap.paragraph) else 1
                key = (other_par, *_place_rank(text, place, span.start, span.end))
                if best is None or key < best[0]:
                    best = (key, place.id)
    if best is not None:
        return best[1]
    ranked = sorted((p for p in places if p.role == "narrative" and p.mentions),
                    key=lambda p: (_FEATURE_RANK.get(p.feature, 3) >= 6, -len(p.mentions), p.mentions[0].start))
    return ranked[0].id if ranked else None


def _same_paragraph(parsed: Parsed, offset: int, paragraph: int) -> bool:
    seg = parsed.segments[paragraph] if 0 <= paragraph < len(parsed.segments) else None
    return seg is not None and seg.start <= offset < seg.end


def _actors(parsed: Parsed, hap: _Happening, actors: list[Actor]) -> tuple[str | None, str | None]:
    text = parsed.text
    inside = _inside(hap.sentences)
    mentions = sorted(((span.start, actor) for actor in actors for span in actor.mentions
                       if inside(span.start)), key=lambda m: m[0])
    trig = hap.trigger
    passive = bool(_PASSIVE.search(text[max(0, trig.start - 40) : trig.start]))
    ordered: list[Actor] = []
    for _, actor in mentions:
        if actor not in ordered:
            ordered.append(actor)
    if passive:
        # "X was killed by Y": Y acts.
        by = [a for s, a in mentions if s > trig.end and "by" in text[trig.end : s].lower().split()]
        if by:
            ordered.remove(by[0])
            ordered.insert(0, by[0])
    civ = next((a for a in ordered if a.type == "civilians"), None)
    armed = [a for a in ordered if a.type != "civilians" and a.type not in ("igo", "ngo", "media")]
    actor1 = armed[0].id if armed else None
    actor2: str | None = None
    if hap.type == "Violence against civilians":
        # Civilians are the victims even when the sentence says "people" or "a farmer".
        doc_civ = civ or next((a for a in actors if a.type == "civilians"), None)
        actor2 = doc_civ.id if doc_civ else "Civilians"
    elif len(armed) > 1:
        actor2 = armed[1].id
    elif civ is not None and hap.type in ("Explosions/Remote violence", "Riots"):
        actor2 = civ.id
    if actor1 is None:
        actor1 = _generic_actor(hap)
    return actor1, actor2


def _generic_actor(hap: _Happening) -> str | None:
    """ACLED's generic names when no actor was recognised."""
    if hap.type == "Protests":
        return "Protesters"
    if hap.type == "Riots":
        return "Rioters"
    return None


def _source(parsed: Parsed, hap: _Happening) -> str | None:
    """Who reports the event: an attribution in the paragraph that first tells it."""
    for sentence in hap.sentences:
        if sentence.paragraph != hap.paragraph:
            break
        found = attribution.find_attributions(parsed, sentence)
        if found:
            return found[0].name
    return None


def _event(parsed: Parsed, hap: _Happening, places: list[Place], index: _PlaceIndex, actors: list[Actor],
           dates: list[DateRef], figures: list[Figure], doc_date: str | None, taken: SpanIndex) -> Event:
    lead = hap.sentences[0]
    place = _refine(parsed, hap, places, _place_id(parsed, hap, index, taken), taken)
    place = place or _fallback_place(parsed, hap, places)
    inside = _inside(hap.sentences)
    killed = [f for f in figures if f.category == "killed" and inside(f.evidence.start)]
    injured = [f for f in figures if f.category == "injured" and inside(f.evidence.start)]
    actor1, actor2 = _actors(parsed, hap, actors)
    return Event(
        id=stable_id("event", lead.start, lead.end, hap.type),
        type=hap.type,
        sub_type=hap.sub_type,
        actor1=actor1,
        actor2=actor2,
        date=_sentence_date(hap, dates) or _lead_date(hap, dates) or doc_date,
        place=place,
        fatalities=figures_mod.fatalities(killed),
        injured=figures_mod.injuries(injured),
        source=_source(parsed, hap),
        evidence=Evidence.of(parsed.text, lead.start, lead.end),
    )
