"""Figures: humanitarian quantities (killed, injured, displaced, ...) with bounds and sources.

A figure is a quantity (``numbers.find_quantities``) counting people, with the category read
from the words around it, in this order of strength:

1. a verb governing the number as its object: "killed around 230 people", "injured five
   others", "home to 1.5 million people", "in their grasp are hundreds of thousands", "the
   death toll rose to 15" (a *total*);
2. a cue after the head noun: "850,000 people have fled their homes", "2 were wounded",
   "Up to 100,000 civilians remain trapped", "50,000 children are in grave danger";
3. the head noun itself: "10 fatalities", "5 dead", "2,000 refugees", "3,000 residents"
   (a population from 1,000 on: "three county residents" name people, not a population);
4. coordination: "three soldiers and one civilian were injured" (the later conjunct's cue
   applies to the earlier), "killed 4 rebels and 2 civilians" (the earlier verb to the later);
5. presence of fighters: "fewer than 300 militants holed up", "sent 3,000 troops" (combatants).

Singular victims count as one: "a man was shot dead", "killed a police officer", "the body of
a man was found", "Samer X, ..., was killed". Parts of a total are kept with the qualifier
"including" ("killing 10 people, including 3 children", "3 of them children", a number inside
the appositive of another: "18 civilians, including seven children, were killed") so that
``fatalities`` does not add them twice. Not figures: numbers after "by" (agents), the subject
of an active verb ("100 residents lynched two men": the two men are), "killed and wounded"
together, and a death given as the cause of a protest ("demonstrated over the killing of").

Counting a set of figures (``fatalities``, ``injuries``, ``lead_fatalities``,
``civilian_deaths``) follows ACLED's conservative convention; see ``fatalities``.
Sources come from ``attribution.find_attributions`` (a figure takes the nearest attribution
whose scope holds it: no clause break such as "; " or ", but" between them).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from . import attribution, numbers
from .model import Actor, Bounds, DateRef, Evidence, Figure, Mention, Parsed, Place, Sentence, Source, stable_id
from .textmatch import lower_keep_length

# ---------------------------------------------------------------------------------------------
# Lexicons: who is counted.
_CIVILIAN_NOUNS = (
    "civilians|civilian|people|persons|person|individuals|individual|children|child|kids|kid|babies|baby|"
    "infants|infant|minors|minor|teenagers|teenager|teens|youths|youth|boys|boy|girls|girl|men|man|women|woman|"
    "adults|adult|residents|resident|inhabitants|inhabitant|villagers|villager|citizens|citizen|nationals|"
    "families|family|households|relatives|relative|siblings|sibling|brothers|brother|sisters|sister|sons|son|"
    "daughters|daughter|students|student|pupils|pupil|teachers|teacher|workers|worker|aid workers|farmers|farmer|"
    "herders|herder|shepherds|shepherd|fishermen|fisherman|miners|miner|traders|trader|merchants|merchant|"
    "drivers|driver|passengers|passenger|pilgrims|pilgrim|worshippers|worshipper|protesters|protester|"
    "protestors|protestor|demonstrators|demonstrator|activists|activist|journalists|journalist|reporters|"
    "reporter|doctors|doctor|nurses|nurse|medics|medic|patients|patient|prisoners|prisoner|inmates|inmate|"
    "detainees|detainee|hostages|hostage|captives|refugees|refugee|migrants|migrant|asylum seekers|idps|"
    "displaced people|displaced persons|victims|victim|mourners|locals|elderly|seniors|voters|"
    "employees|employee|staff|staffers|volunteers|volunteer|supporters|supporter|members|member|officials|"
    "official|leaders|leader|chiefs|chief|elders|elder|others|businessmen|businessman|owners|owner|"
    "suspects|suspect|criminals|criminal|gang members|traffickers|trafficker|smugglers|smuggler|"
    "motorcyclists|motorcyclist|pedestrians|pedestrian|tourists|tourist|foreigners|foreigner|christians|"
    "muslims|pastors|pastor|priests|priest|imams|imam|clerics|cleric|judges|judge|lawyers|lawyer|"
    "politicians|politician|candidates|candidate|mayors|mayor|councillors|councillor|tribesmen|tribesman|"
    "parents|fathers|father|mothers|mother|wives|wife|husbands|husband|siblings|toddlers|toddler|survivors|"
    "paramedics|paramedic|rescuers|rescuer|firefighters|first responders|crew members|aid workers|"
    "humanitarian workers|health workers|medical staff|schoolchildren|worshipers|bystanders|passers-by|"
    "friends|friend|classmates|colleagues|neighbours|neighbors|martyrs|martyr"
)
_COMBATANT_NOUNS = (
    "soldiers|soldier|troops|servicemen|serviceman|servicemembers|militants|militant|fighters|fighter|rebels|rebel|"
    "insurgents|insurgent|jihadists|jihadist|terrorists|terrorist|gunmen|gunman|attackers|attacker|assailants|"
    "assailant|combatants|combatant|militiamen|militiaman|militia members|militias|policemen|policeman|"
    "police officers|police officer|police|officers|officer|guards|guard|personnel|recruits|recruit|"
    "commanders|commander|cadres|paramilitaries|mercenaries|mercenary|snipers|sniper|bodyguards|bodyguard|"
    "gendarmes|gendarme|marines|marine|sailors|pilots|pilot|troopers|army men|security forces|forces"
)
# "casualties" counts the dead and the wounded together: a head noun, never a death toll.
_TOTAL_NOUNS = "fatalities|fatality|deaths|death|dead|bodies|body|corpses"
_HURT_NOUNS = "injured|wounded|injuries"
_OTHER_NOUNS = "casualties"
# Singular heads after "one" / "1" ("one Maoist cadre was killed").
_MORE_SINGULARS = (
    "aid worker|businesswoman|cadre|cameraman|chairman|collector|contractor|councilor|dealer|engineer|governor|"
    "headman|national|operator|photographer|security guard|taxi driver|teen|vendor|vigilante|watchman"
)
_NOUNS = numbers.alternation(
    f"{_CIVILIAN_NOUNS}|{_COMBATANT_NOUNS}|{_TOTAL_NOUNS}|{_HURT_NOUNS}|{_OTHER_NOUNS}|{_MORE_SINGULARS}".split("|"))
_COMBATANTS = set(_COMBATANT_NOUNS.split("|"))
_CIVILIANS = set(_CIVILIAN_NOUNS.split("|")) - {"members", "member", "suspects", "suspect", "criminals",
                                                 "criminal", "gang members", "traffickers", "trafficker",
                                                 "smugglers", "smuggler", "officials", "official", "leaders",
                                                 "leader", "others", "chiefs", "chief"}
# Who a figure may count without being "civilians" or "fighters" for sure: any toll matches them.
_GENERIC_WHO = {None, "people", "persons", "person", "individuals", "individual", "victims", "victim",
                "fatalities", "fatality", "deaths", "death", "dead", "bodies", "body", "corpses", "casualties"}
# Nationality and group plurals ("Palestinians", "Iraqis", "Houthis") are heads too.
_PROPER_PLURAL = r"(?-i:(?!Isis\b|Daesh\b)[A-Z][a-z]+(?:ians|ans|is|ese))"

# Words that end the search for a head noun: verbs, prepositions, conjunctions.
# Only ever inside a negative look-ahead, so a trie (``alternation``) of the words says the same
# (hand-written for measured speed: each modifier of ``_HEAD`` tests it).
_STOP = "(?:" + numbers.alternation([
    "were", "was", "is", "are", "have", "has", "had", "been", "be", "being", "in", "on", "at", "to", "from", "by",
    "with", "for", "and", "or", "but", "who", "which", "that", "as", "after", "before", "during", "into", "near",
    "across", "since", "while", "when", "killed", "died", "dead", "injured", "wounded", "fled", "the", "a", "an",
    "of", "than", "per", "their", "its", "his", "her", "said", "including", "among", "aged", "between", "against",
    "over", "under", "through", "about", "around", "without", "within", "via", "toward", "towards", "behind",
    "beyond", "strikes", "attacks", "raids", "operations", "times", "days"]) + ")"
_MOD = rf"(?!{_STOP}\b)[\w’'.&-]+,?"

_HEAD = re.compile(
    rf"""\s*(?:(?P<ofref>of\s+(?:them|whom|those|these))\b
       | (?:(?P<ofthe>of\s+(?:the|these|those|whose|their|its|his|her)\s+)|of\s+)?
         (?P<mods>(?:{_MOD}\s+){{0,4}}?)
         (?P<head>{_NOUNS}|{_PROPER_PLURAL})\b)""",
    re.I | re.X,
)
# A head made of names only ("20 Taliban were killed", "2 FARDC and 6 rebels"): capitalised tokens.
_NAME_HEAD = re.compile(r"\s+(?P<head>(?-i:[A-Z][\w’'-]*)(?:\s+(?-i:[A-Z][\w’'-]*)){0,2})\b")

# ---------------------------------------------------------------------------------------------
# Cues. Post cues follow the head ("... were killed"); pre cues govern the number ("killed 5").
# Words between a head and its verb ("were reportedly killed"). Always followed by white space,
# so no two of them match at one place and their order does not matter: a trie (``alternation``).
_AUX_WORDS = (
    "were", "was", "are", "is", "have", "has", "had", "been", "being", "be", "reportedly", "also", "allegedly",
    "later", "all", "still", "now", "already", "subsequently", "eventually", "remain", "remained", "remains",
    "reported", "confirmed", "believed", "feared", "thought", "said", "to have", "to be", "got", "get", "getting",
    "who", "which", "that", "likely", "probably", "apparently", "initially", "either", "both", "each", "critically",
    "seriously", "severely", "slightly", "lightly", "badly", "fatally", "mortally", "then", "just", "since",
    "so far", "officially", "in all", "altogether", "in total",
)
_AUX = f"(?:{numbers.alternation(_AUX_WORDS)})"
_POST_CUES: dict[str, str] = {
    # Killed and wounded counted together is neither a death toll nor an injury count.
    "casualty": r"(?:killed|dead)(?:\s+(?:and|or)|,)\s+(?:wounded|injured|wound|injure)",
    "killed": (
        r"(?:kidnapped|abducted|captured|arrested|tortured|taken)\s+and\s+(?:then\s+|later\s+)?"
        r"(?:killed|executed|murdered|shot\s+dead)|(?:(?:shot|beaten|stabbed|hacked|stoned|burned|burnt)\s+)?to\s+death|"
        r"killed(?:\s+themselves)?|died|dead|slain|murdered|executed|assassinated|massacred|beheaded|lynched|"
        r"perished|shot\s+dead|shot\s+and\s+killed|shot\s+to\s+death|(?:burned|burnt|stabbed|beaten|hacked|"
        r"starved|crushed|tortured)\s+to\s+death|lost\s+their\s+lives|lost\s+(?:his|her)\s+life|"
        r"blew\s+themselves\s+up|found\s+dead|drowned|martyred|succumbed|passed\s+away|shot\s+and\s+died|"
        r"among\s+(?:the\s+)?(?:dead|fatalities|victims\s+killed)|among\s+those\s+killed"
    ),
    "injured": (
        r"injured|wounded|hurt|hospitali[sz]ed|sustained\s+(?:\w+\s+)?(?:injuries|wounds)|"
        r"shot\s+and\s+(?:injured|wounded)|maimed|suffered\s+(?:\w+\s+)?(?:injuries|wounds)"
    ),
    "displaced": (
        r"(?:fled|flee|fleeing)(?:\s+(?:their|the)\s+homes?)?|displaced|forced\s+(?:to\s+flee|from\s+their\s+homes|"
        r"out\s+of\s+their\s+homes|to\s+leave)|uprooted|made\s+homeless|left\s+homeless|homeless|evacuated|"
        r"sought\s+refuge|sheltering|taking\s+shelter|internally\s+displaced"
    ),
    "trapped": (
        r"trapped|besieged|stranded|holed\s+up|(?:being\s+)?used\s+as\s+human\s+shields|encircled|cut\s+off|"
        r"under\s+siege|stuck|barricaded"
    ),
    "at_risk": (
        r"in\s+(?:grave\s+|great\s+|immediate\s+|serious\s+|mortal\s+)?danger|at\s+(?:\w+\s+)?risk|"
        r"face\s+(?:famine|starvation|death)|facing\s+(?:famine|starvation|death)|under\s+threat"
    ),
    "detained": (
        r"arrested|detained|abducted|kidnapped|captured|taken\s+(?:hostage|captive|prisoner|into\s+custody)|"
        r"held\s+(?:hostage|captive)|jailed|imprisoned|rounded\s+up|apprehended|seized"
    ),
    "missing": r"missing|disappeared|unaccounted\s+for",
    "affected": (
        r"affected|in\s+need(?:\s+of\s+(?:\w+\s+)?(?:aid|assistance|help))?|need\s+(?:\w+\s+)?(?:aid|assistance|help)|"
        r"require\s+(?:\w+\s+)?(?:aid|assistance)|food\s+insecure"
    ),
}
_POST = re.compile(
    r"(?:\s+(?:of|from|across|in|at|inside|near|among|belonging\s+to)\s+(?:the\s+)?[^,;.()]{1,60}?)?"
    r"(?:\s+and\s+(?!(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|another|a\s+further|several|dozens)\b)"
    r"(?:[\w’'-]+\s+){0,3}?(?:" + _NOUNS + r"))?"
    r"(?:\s*\([^()]{1,80}\))?"
    r"(?:\s*,?\s+including\s+[^,;.()]{1,50}?,?)?"
    r"(?:\s*,\s*(?=who\b|which\b|all\b|both\b|mostly\b|most\b|many\b)|\s+)(?:(?:" + _AUX + r")\s+){0,5}(?:"
    + "|".join(f"(?P<{cat}>{pat})" for cat, pat in _POST_CUES.items())
    + r")\b",
    re.I,
)
_PRE_CUES: dict[str, str] = {
    "casualty": (
        r"(?:killing|killed|kill|kills)\s+(?:and|or)\s+(?:injuring|wounding|injured|wounded|injure|wound)|"
        r"(?:the\s+)?deaths?\s+(?:and|or)\s+injur(?:y|ies)\s+of|casualties\s+(?:of|among)"
    ),
    "killed": (
        r"(?:killed|died)\s*,?\s+(?:alongside|along\s+with|together\s+with|with)(?:\s+(?:his|her|their|its))?|"
        r"killed|killing|kills|kill|shot\s+dead|shooting\s+dead|shot\s+and\s+killed|executed|executing|massacred|"
        r"beheaded|assassinated|murdered|murdering|slaughtered|slaughtering|claimed\s+the\s+lives\s+of|"
        r"claiming\s+the\s+lives\s+of|took\s+the\s+lives\s+of|(?:the\s+)?deaths?\s+of|(?:the\s+)?killings?\s+of|"
        r"(?:the\s+)?murders?\s+of|(?:the\s+)?bodies\s+of|(?:the\s+)?martyrdom\s+of|(?:the\s+)?massacre\s+of|left\s+dead|"
        r"(?:burned|burnt|stabbed|beat|hacked)\s+to\s+death"
    ),
    "injured": (r"injured|injuring|injures|injure|wounded|wounding|wounds|hurt|hurting|maimed|maiming|"
                r"(?:the\s+)?injur(?:y|ies)\s+of"),
    "detained": (
        r"arrested|arresting|arrests|arrest|detained|detaining|detains|abducted|abducting|abducts|kidnapped|"
        r"kidnapping|kidnaps|captured|capturing|rounded\s+up|apprehended|seized|taking\s+hostage|took\s+hostage|"
        r"(?:the\s+)?(?:arrests?|detention|abductions?|kidnapping)\s+of"
    ),
    "displaced": (
        r"displaced|displacing|displaces|displace|uprooted|uprooting|evacuated|evacuating|(?:the\s+)?"
        r"(?:displacement|exodus|evacuation)\s+of|forced|forcing|hosting|hosts|host|sheltering"
    ),
    "trapped": r"trapped|trapping|besieging|besieged|in\s+(?:its|their|his|the\s+group’s|the\s+group's)\s+grasp\s+are",
    "population": (
        r"home\s+to|population\s+of|populated\s+by|inhabited\s+by|(?:city|town|village|district|camp|country|"
        r"nation|region|province|state|island|metropolis)\s+of|(?-i:[A-Z][\w-]+)(?:’|')s"
    ),
    "total": (
        r"(?:death\s+toll|toll|number\s+of\s+(?:the\s+)?(?:dead|deaths|fatalities|victims|martyrs|"
        r"(?:people|civilians|persons|children|those)\s+(?:who\s+(?:were|have\s+been|had\s+been)\s+)?killed|"
        # ("number of casualties" counts the wounded too: not a death toll.)
        r"(?:civilian\s+|reported\s+)?deaths))"
        # A toll "likely to rise" or that "might be" N is a forecast, not a count.
        r"(?:\s+(?!(?:likely|expected|set|feared|bound|might|may|could|would|will|with)\b)[^\s.;:|]+){0,22}?\s+"
        r"(?:to|at|of|is|was|reached|hit|now|stood|stands|rises|rose|climbed|increased|was\s+put\s+at)"
        r"|(?:fatalities|deaths)(?:\s+[^.;\d]{0,50}?)?\s+(?:coded|recorded|reported|estimated|put|numbered|"
        r"stood|stand|total|totalled|totaled|reached|rounded\s+(?:down|up))(?:\s+(?:as|at|to))?"
        r"|(?:fatalities|deaths)\s+(?:are\s+|were\s+|is\s+)?split\s+(?:across|between|among)\s+\S+\s+events\s*\("
    ),
    "combatants": (
        r"there\s+(?:are|were|remain|remained|is)|deploy|deployed|deploying|deploys|sent|send|sends|sending|"
        r"dispatched|mobili[sz]ed|recruited|trained|force\s+of|army\s+of|strength\s+of|numbering|estimated"
    ),
    "part": r"including|among\s+them|among\s+whom|of\s+whom|of\s+them|\(|"
            r"among\s+(?:the\s+dead|those\s+killed|the\s+victims|the\s+fatalities)\s+(?:were|are)",
}
# Tried at word starts of the few words before a number only (``_read_pre``), never as a scan.
_PRE_BODY = (
    r"(?:"
    + "|".join(f"(?P<{cat}>{pat})" for cat, pat in _PRE_CUES.items())
    + r")(?:\s+(?:a\s+total\s+of|an?\s+additional|another|a\s+further|the|some|about))?\s*$"
)
_PRE = re.compile(_PRE_BODY, re.I)
# Words a pre cue can start with (read from the patterns): ``_read_pre`` tries the big pattern
# only at these, which keeps it cheap.
_PRE_STARTS = tuple(sorted({
    m.group(1) for pattern in _PRE_CUES.values()
    for m in re.finditer(r"(?:^|\||\(\?:|\(\?P<\w+>|\(|\)\?)([a-z]+)", pattern)
} - {  # words inside the patterns that never open one
    "and", "are", "as", "at", "down", "her", "his", "hit", "ies", "is", "its", "now", "or", "people", "put",
    "reached", "recorded", "remain", "remained", "reported", "rises", "rose", "stand", "stands", "stood", "their",
    "to", "total", "totaled", "totalled", "up", "was", "were", "with", "y", "climbed", "coded", "increased",
    "numbered", "across", "between", "civilian", "victims", "dead", "together", "along", "alongside",
}))
# The word starts ``_read_pre`` tries: "(", a word opening with one of ``_PRE_STARTS``, or a word
# right before an apostrophe ("Raqqa’s"); ``_pre_opener`` then checks each exactly. One search
# finds the leftmost such start where ``_PRE`` matches up to the number, all in C, instead of a
# Python loop over the ~25 words of the window trying ``_PRE`` at each (hand-written for measured
# speed). The gate (a lookahead) admits every start ``_pre_opener`` accepts, and more; a start it
# admits wrongly is checked by ``_pre_opener`` and the search goes on after it.
_PRE_SEARCH = re.compile(
    r"(?<![\w’'-])(?=\(|" + numbers.alternation(_PRE_STARTS) + r"|\w++[’'])" + _PRE_BODY,
    re.I,
)
# The last word of every ``_PRE`` match, lower case (a cue's or the filler's last word; "s" of
# "Raqqa’s"): a number not right after one of these (or "(") has no pre cue, and ``_read_pre``
# does not search (more than half of all numbers; hand-written for measured speed). Read off the
# patterns of ``_PRE_CUES`` and ``_PRE_BODY``: a new cue must add its last word here.
_PRE_ENDS = frozenset({
    # casualty
    "injuring", "wounding", "injured", "wounded", "injure", "wound", "of", "among",
    # killed
    "alongside", "with", "his", "her", "their", "its", "killed", "killing", "kills", "kill", "dead", "executed",
    "executing", "massacred", "beheaded", "assassinated", "murdered", "murdering", "slaughtered", "slaughtering",
    "death",
    # injured
    "injures", "wounds", "hurt", "hurting", "maimed", "maiming",
    # detained
    "arrested", "arresting", "arrests", "arrest", "detained", "detaining", "detains", "abducted", "abducting",
    "abducts", "kidnapped", "kidnapping", "kidnaps", "captured", "capturing", "up", "apprehended", "seized",
    "hostage",
    # displaced
    "displaced", "displacing", "displaces", "displace", "uprooted", "uprooting", "evacuated", "evacuating",
    "forced", "forcing", "hosting", "hosts", "host", "sheltering",
    # trapped
    "trapped", "trapping", "besieging", "besieged", "are",
    # population
    "to", "by", "s",
    # total
    "at", "is", "was", "reached", "hit", "now", "stood", "stands", "rises", "rose", "climbed", "increased", "coded",
    "recorded", "reported", "estimated", "put", "numbered", "stand", "total", "totalled", "totaled", "down", "as",
    # combatants
    "were", "remain", "remained", "deploy", "deployed", "deploying", "deploys", "sent", "send", "sends", "sending",
    "dispatched", "mobilised", "mobilized", "recruited", "trained", "numbering",
    # part
    "including", "them", "whom",
    # the filler after a cue
    "additional", "another", "further", "the", "some", "about",
})
_LAST_RUN = re.compile(r"\w+$")


def _may_end_pre(text: str, begin: int, at: int) -> bool:
    """False when no ``_PRE`` match can end at ``at``: the last word before it (within the 48
    characters from ``begin``) is none of ``_PRE_ENDS`` nor "(". True when unsure (a word not
    wholly in view, or one with non-ASCII letters, which a case-insensitive regex may read as
    ASCII ones)."""
    parts = text[max(begin, at - 48) : at].rsplit(None, 1)
    if len(parts) < 2:
        return True
    token = parts[1]
    if token.isalnum():  # most often a plain word: all of it is the last run of word characters
        word = token
    elif token[-1] == "(":
        return True
    else:
        run = _LAST_RUN.search(token)
        if run is None:
            return False  # it ends with a sign, not a word: every cue ends with a word or "("
        word = run.group()
    return not word.isascii() or word.lower() in _PRE_ENDS


# A long appositive between the head and a passive verb: "18 civilians, all members of the X
# family, including seven children, were reported killed".
_POST_APPOSITIVE = re.compile(
    r"(?:\s+(?:of|from|across|in|at|inside|near|among|belonging\s+to)\s+(?:the\s+)?[^,;.()]{1,60}?)?"
    r"(?:\s*,(?!\s*(?:where|when|while|after|before|as|because|but|and|since|although|though|if|whereas)\b)"
    r"|\s+(?=including\b|among\b))[^;.]{1,300}?,?"
    r"\s+(?:were|was|have\s+been|has\s+been|had\s+been)\s+(?:(?:" + _AUX + r")\s+){0,3}(?:"
    + "|".join(f"(?P<{cat}>{pat})" for cat, pat in _POST_CUES.items())
    + r")\b",
    re.I,
)
# Presence of fighters after the head: "militants holed up in", "troops remain in".
_PRESENCE = re.compile(
    r"\s*(?:,\s*)?(?:(?:are|were|is|was|still|now|reportedly|believed\s+to\s+be)\s+){0,3}"
    r"(?:holed\s+up|remain(?:ed|ing)?|(?:still\s+)?(?:in|inside|left|fighting|defending|deployed|stationed|"
    r"positioned|entrenched|hiding|based|present|massing|massed|amassed|gathered|gathering|advancing|battling|"
    r"besieging|surrounding|guarding|garrisoned))\b",
    re.I,
)
# Nouns that modify a following noun ("family members", "security personnel").
# A count of residents is a population figure only from this size on (below, it names people).
_MIN_POPULATION = 1000
_NOUN_MODIFIERS = {"militia", "family", "police", "security", "army", "rebel", "rebels", "government", "party", "crew",
                   "aid", "health", "medical", "civilian", "opposition", "tribal", "community", "gang", "cartel",
                   "prison", "border", "military", "staff", "student", "worker", "women", "woman", "men", "child",
                   "female", "male"}
# ACLED notes spread one toll over several events: "Fatalities split between 2 events".
_SPLIT = re.compile(
    r"\b(?:fatalities|fatality|deaths)\s+(?:are\s+|were\s+|is\s+|was\s+)?(?P<split>split\s+(?:between|among|across)\s+"
    r"(?P<m>\d+|two|three|four|five|six|seven|eight|nine|ten|\w+teen|twenty)\s+events)(?!\s*\()", re.I)
_SPLIT_WORD = re.compile("split", re.I)
# The only characters that a case-insensitive regex takes for ASCII letters ("ſ" for "s", "K" for
# "k") or whose lower case is longer ("İ"): in a text without them, a substring test on the lower-
# cased text finds exactly what the regex finds.
_CASE_ODD = ("\u0130", "\u0131", "\u017f", "\u212a")


def _may_split(text: str, low: str) -> bool:
    """Whether the document says "split" at all: if not, ``_SPLIT`` is never tried."""
    if any(char in text for char in _CASE_ODD):
        return _SPLIT_WORD.search(text) is not None
    return "split" in low


# The second noun may follow a group's acronym: "three women SDF fighters".
_NOUN_AFTER = re.compile(rf"\s+(?:(?-i:[A-Z]{{2,}})\s+)?({_NOUNS})\b", re.I)
_TOLL_AFTER = re.compile(r"\s+(fatalities|deaths|casualties|dead|injuries)\b", re.I)
# A number after "by" counts the agents ("killed by five gunmen"), never victims.
_AGENT_BEFORE = re.compile(r"\bby\s+$", re.I)
# What follows an active verb: its object ("100 residents lynched two armed men").
_OBJECT_AFTER = re.compile(
    r"\s+(?:a|an|the|his|her|their|its|him|them|two|three|four|five|six|seven|eight|nine|ten|\d|several|dozens|"
    r"hundreds|at\s+least|more\s+than|up\s+to|some|many|members|people|civilians)\b", re.I)
_AUX_WORD = re.compile(r"\b(?:were|was|are|is|have|has|had|been|being|be)\b", re.I)
# A death given as the cause of a protest is another, earlier event: "demonstrated over the killing of".
_CAUSE_BEFORE = re.compile(
    r"\b(?:over|against|about|condemning|denouncing|protesting|mourning|honou?r|commemorat\w*|after|following|"
    r"in\s+the\s+wake\s+of|in\s+protest\s+(?:at|of|against)|in\s+response\s+to)\s+(?:the\s+|a\s+)?$", re.I)
_WHO_DIED = re.compile(r"\s+who\s+(?:(?:were|was|had\s+been|have\s+been)\s+)?(?:killed|died)\b", re.I)
_INCLUDING = re.compile(r"^\s*,?\s*(?:including|among\s+them|among\s+whom)\s+$", re.I)
_BARE_END = re.compile(r"\s*(?:[,.;:)]|and\b|$)", re.I)
_COORD = re.compile(r"^\s*(?:,\s*(?:and\s+|as\s+well\s+as\s+)?|and\s+|as\s+well\s+as\s+|or\s+|\(\s*)"
                    r"(?:(?:another|other|a\s+further|an\s+additional)\s+)?$", re.I)
_CLAUSE_BREAK = re.compile(r";|,\s+(?:but|while|whereas|although|though)\b|\bbut\b|\.\s", re.I)
_AGENT_INTRO = re.compile(r"\b(?:by|at\s+the\s+hands\s+of|by\s+the\s+hands\s+of|blamed\s+on|carried\s+out\s+by)\b",
                          re.I)
_CATEGORY_OF_HEAD = {**{n: "killed" for n in _TOTAL_NOUNS.split("|")},
                     **{n: "injured" for n in _HURT_NOUNS.split("|")},
                     "refugees": "displaced", "refugee": "displaced", "idps": "displaced",
                     "displaced people": "displaced", "displaced persons": "displaced",
                     "residents": "population", "inhabitants": "population",
                     "detainees": "detained", "hostages": "detained", "captives": "detained"}
_TOTAL_WHO = {"fatalities", "fatality", "deaths", "death", "dead"}
_HURT_WHO = {"injured", "wounded", "injuries"}

# ---------------------------------------------------------------------------------------------
# Singular victims: "a man was shot dead", "killed a police officer", "the body of a man".
_SING = (
    "civilian|person|individual|child|kid|baby|infant|minor|teenager|teen|youth|boy|girl|man|woman|adult|"
    "resident|villager|citizen|national|relative|brother|sister|son|daughter|student|pupil|teacher|worker|"
    "aid worker|farmer|herder|shepherd|fisherman|miner|trader|merchant|driver|taxi driver|passenger|pilgrim|"
    "worshipper|protester|protestor|demonstrator|activist|journalist|reporter|doctor|nurse|medic|patient|"
    "prisoner|inmate|detainee|hostage|refugee|migrant|victim|local|elder|employee|volunteer|supporter|member|"
    "official|leader|chief|businessman|businesswoman|owner|suspect|trafficker|smuggler|motorcyclist|pedestrian|"
    "tourist|foreigner|pastor|priest|imam|cleric|judge|lawyer|politician|candidate|mayor|councillor|tribesman|"
    "father|mother|wife|husband|toddler|soldier|serviceman|militant|fighter|rebel|insurgent|jihadist|terrorist|"
    "gunman|attacker|assailant|combatant|militiaman|policeman|police officer|officer|guard|commander|sniper|"
    "gendarme|marine|pilot|bodyguard|head|chairman|governor|councilor|guide|engineer|contractor|vendor|cadre|"
    "operator|collector|security guard|watchman|photographer|cameraman|official|headman|dealer|vigilante"
)
_SING_RE = numbers.alternation(_SING.split("|"))
_SING_MOD = r"(?!(?:was|were|is|who|and|in|on|at|by|from|with|of|for|the)\b)[\w’'-]+"
_SING_KILL = (
    r"killed|died|slain|murdered|executed|assassinated|beheaded|lynched|shot\s+dead|shot\s+and\s+killed|"
    r"shot\s+to\s+death|(?:burned|burnt|stabbed|beaten|hacked|tortured)\s+to\s+death|found\s+dead|drowned|"
    r"passed\s+away|succumbed|shot\s+and\s+died|lost\s+(?:his|her)\s+life"
)
_SING_DIED = (r"(?:shot|wounded|injured|stabbed)(?:\s+[\w-]+){0,4}?\s+and\s+died|died|passed\s+away|succumbed|"
              r"perished|drowned|lost\s+(?:his|her)\s+life")
_SING_HURT = r"injured|wounded|hurt|shot\s+and\s+(?:injured|wounded)|hospitali[sz]ed"
_SING_HELD = r"arrested|detained|abducted|kidnapped|captured"
# ``_SINGULAR_PASSIVE`` and ``_SINGULAR_GENERIC`` open with their determiner ("a", "an", "another",
# "the") after white space, "(", a quote or the text's start. Written as a case-sensitive class of
# its first letter, then a look back at the character before it ("(?<![^...].)": also true at the
# start), so the regex engine skips in C to the next "a" or "t" instead of trying the pattern at
# every character (hand-written for measured speed; the same matches).
_SINGULAR_PASSIVE = re.compile(
    rf"""(?P<det>(?-i:[aAtT])(?<![^\s(“"].)(?:(?<=[aA])(?:nother|n)?|(?<=[tT])he))
      \s+(?:{_SING_MOD}\s+){{0,3}}?(?P<head>{_SING_RE})\b
      (?:\s+(?:of|from|driving|riding|working|living|named|identified|belonging)\s+[^,;.()]{{1,70}}?)?
      (?:\s*,[^,;.]{{1,70}},)?
      (?:\s+(?:(?:{_AUX}|also)\s+){{1,4}}
         (?:(?P<killed>{_SING_KILL})|(?P<injured>{_SING_HURT})|(?P<detained>{_SING_HELD}))
       |\s+(?:(?:later|also|eventually|reportedly|subsequently)\s+)?(?P<died>{_SING_DIED}))\b""",
    re.I | re.X,
)
_SINGULAR_ACTIVE = re.compile(
    rf"""\b(?:(?P<killed>killed|killing|kills|shot\s+dead|shot\s+and\s+killed|shooting\s+dead|executed|executing|
                 assassinated|assassinating|murdered|murdering|beheaded|beheading|lynched|stabbed\s+to\s+death|
                 (?:the\s+)?(?:death|killing|murder|assassination|body|bodies|corpse)\s+of)
         |(?P<injured>injured|injuring|wounded|wounding)
         |(?P<detained>arrested|arresting|abducted|abducting|kidnapped|detained|detaining))
      \s+(?P<det>a|an|another|the|his|her|their|its)\s+(?:{_SING_MOD}\s+){{0,3}}?(?P<head>{_SING_RE})\b
      (?!\s*(?:-|’s|'s|of\s+(?:the|a|an)\s+\w+\s+(?:who|that)))""",
    re.I | re.X,
)
# Strong killing verbs name one victim whatever the noun: "assassinated an economic operator in X".
_SINGULAR_ANY = re.compile(
    rf"""\b(?P<killed>assassinated|assassinating|murdered|murdering|beheaded|beheading|lynched|shot\s+dead|
                  shot\s+and\s+killed|stabbed\s+to\s+death|killed|killing|executed|executing)
      \s+(?P<det>a|an)\s+(?:{_SING_MOD}\s+){{0,3}}(?P<head>(?!(?:number|total|lot|series|wave|handful|couple|
          dozen|few|further|additional|unknown|unspecified)\b)[a-z][\w-]*)
      (?=\s+(?:in|at|on|near|from|who|with|and|during|after|while|inside|outside|as|over|for|by|when|
               following|along)\b|\s*[.,;(]|\s*$)""",
    re.I | re.X,
)
# "a real estate agent was killed", "a Military Police officer was shot ... and died"
_SINGULAR_GENERIC = re.compile(
    r"""(?P<det>(?-i:[aA])(?<![^\s(“"].)n?)\s+(?:[\w’'-]+\s+){0,5}?(?P<head>(?!(?:number|total|lot|series|car|
          vehicle|house|home|building|bomb|shell|rocket|missile|drone|plane|jet|helicopter|boat|shop|truck|bus)\b)
          [a-z][\w-]*)
      \s+(?:was|has\s+been|had\s+been)\s+(?:(?:reportedly|allegedly|also|later|then|fatally)\s+)?
      (?:(?P<killed>killed|murdered|assassinated|executed|beheaded|lynched|shot\s+dead|shot\s+and\s+killed|
          (?:shot|stabbed|beaten|burned|hacked|tortured)\s+to\s+death|found\s+dead)
        |(?P<died>(?:shot|stabbed|wounded|injured)(?:\s+[\w-]+){0,4}?\s+and\s+died))\b""",
    re.I | re.X,
)
# "beat a young man to death", "stabbed a man to death"
_SINGULAR_TO_DEATH = re.compile(
    rf"""\b(?P<killed>beat|beaten|stabbed|shot|hacked|burned|burnt|stoned|tortured|kicked|clubbed)
      \s+(?P<det>a|an|the|his|her|their)\s+(?:{_SING_MOD}\s+){{0,3}}?(?P<head>{_SING_RE})\s+to\s+death\b""",
    re.I | re.X,
)
# "killing the father and a son": a second victim joined to the first.
_SINGULAR_AND = re.compile(
    rf"\s+and\s+(?:a|an|the|his|her|their|another)\s+(?:{_SING_MOD}\s+){{0,2}}?(?P<head>{_SING_RE})\b", re.I)
_PART_BEFORE = re.compile(r"(?:including|among\s+them|among\s+whom|\()\s*$", re.I)
# The first of two victims joined before a plural verb: "a man and a woman were killed".
_SINGULAR_BEFORE_AND = re.compile(
    rf"(?:^|(?<=[\s(“\"]))(?:a|an|one|the|his|her|their)\s+(?:{_SING_MOD}\s+){{0,2}}?(?P<head>{_SING_RE})"
    r"\s*,?\s+(?:and|as\s+well\s+as)\s+$", re.I)
_PLURAL_AUX = re.compile(r"\b(?:were|have\s+been|had\s+been)\b", re.I)
# A named victim: "Mrs. Fatoum al Lour, from Aleppo governorate, died", "Samer Al-Abdullah, ..., was killed".
_NAMED_VICTIM = re.compile(
    rf"""(?<![\w’'])(?:(?-i:Mr|Mrs|Ms|Dr|Sheikh)\.?\s+)?["“]?
      (?P<head>(?-i:[A-Z][\w’'-]+)(?:\s+(?:(?:al|el|bin|abu|abd)(?:-[\w’'-]+)?|(?-i:[A-Z][\w’'-]+))){{1,4}})
      (?<!Forces)(?<!Army)(?<!Council)(?<!Group)(?<!State)(?<!Ministry)(?<!Police)(?<!Guard)(?<!Militia)
      (?<!Front)(?<!Government)(?<!Regime)(?<!Command)(?<!Coalition)(?<!Brigade)(?<!Party)(?<!Units)(?<!Unit)["”]?
      (?:\s*\([^()]{{1,40}}\))?
      (?:\s*,[^;.]{{1,120}}?,)?
      \s+(?:(?:was|has\s+been|had\s+been)\s+(?:(?:{_AUX})\s+){{0,2}}(?P<killed>{_SING_KILL})
         |(?:(?:later|also|reportedly)\s+)?(?P<died>died|passed\s+away|succumbed))\b""",
    re.X,
)
# A headline opening with a bare noun: "Woman killed in shelling of ...".
_SINGULAR_HEADLINE = re.compile(
    rf"^(?P<head>(?:{_SING_RE}))\s+(?:(?P<killed>{_SING_KILL}|dies|dead)|(?P<injured>{_SING_HURT})|"
    rf"(?P<detained>{_SING_HELD}))\b",
    re.I,
)
# Headline styles for one victim, tried in titles only, at their start and after a "Label |":
# "Drone attack | SDF member killed", "Civilian martyred in ...", "rockets kill civilian in ...".
_TITLE_SINGULAR = re.compile(
    rf"(?:{_SING_MOD}\s+){{0,2}}?(?P<head>{_SING_RE})\s+(?P<killed>{_SING_KILL}|dies|dead|martyred)\b",
    re.I,
)
_TITLE_KILLS = re.compile(
    rf"(?<!\S)(?P<killed>kills?|martyrs?)\s+(?:(?!a\b|an\b|the\b){_SING_MOD}\s+)?(?P<head>{_SING_RE})"
    r"(?=\s*(?:$|[,|:]|\s(?:in|on|at|near|after|during|as|and)\b))",
    re.I,
)
_TITLE_PART = re.compile(r"\|\s*")


# Word starts of verbs and nouns of killing, hurting or holding (the singular patterns' anchors),
# found after no letter in the same automaton pass as the quantity starts
# (``numbers.quantity_and_word_starts``; much cheaper than regex scans of every sentence).
_VICTIM_STEMS = ("kill", "die", "dead", "death", "shot", "shoot", "murder", "assassin", "execut", "behead", "lynch",
                 "stab", "drown", "passed away", "succumb", "injur", "wound", "hurt", "hospital", "arrest", "detain",
                 "abduct", "kidnap", "captur", "bod", "corpse", "beat", "burn", "tortur", "hack", "ston", "lost h",
                 "martyr", "perish", "found dead", "slain", "kick", "club")


# Patterns that end with their verb, each with words every match of it contains (None: no gate):
# a window without them is not scanned (the gate is a literal search, far cheaper than the
# pattern's backtracking; hand-written for measured speed). ``_NAMED_VICTIM`` is case-sensitive.
_SINGULAR_VERB_LAST = (
    (_SINGULAR_PASSIVE, None),
    (_NAMED_VICTIM, re.compile("was|been|died|passed|succumbed")),
    (_SINGULAR_GENERIC, re.compile("was|been", re.I)),
)
_SINGULAR_VERB_FIRST = (_SINGULAR_ACTIVE, _SINGULAR_ANY, _SINGULAR_TO_DEATH)
# What every match of ``_SINGULAR_VERB_FIRST`` opens with: one to three words of a verb ("killed",
# "shot and killed", "the death of") and a determiner. Most victim words have none after them:
# one match of this instead of three patterns (hand-written for measured speed).
_VERB_FIRST_GATE = re.compile(r"(?:[^\W\d_]+\s+){1,3}(?:a|an|another|the|his|her|their|its)\s", re.I)
# How far a singular pattern reaches before its verb (appositives included).
_REACH_BEFORE = 240


@dataclass(slots=True)
class _Draft:
    """A figure under construction, before place, date, source and perpetrators are attached."""

    start: int  # evidence
    end: int
    q_start: int  # the quantity (hedge included)
    q_end: int
    low: int | None
    best: int | None
    high: int | None
    qualifier: str | None
    who: str | None = None
    category: str | None = None
    cue_start: int | None = None  # the governing verb, for perpetrators
    cue_end: int | None = None
    pre_verb: bool = False
    own_post: bool = False  # the category comes from this figure's own verb after its head
    part_cue: bool = False  # "including", "among them", "(" right before the number
    part: bool = False
    article: bool = False


def find_figures(parsed: Parsed, places: list[Place], actors: list[Actor], dates: list[DateRef]) -> list[Figure]:
    """Every figure in narrative and title sentences, in text order."""
    main_place = _main_place(places)
    found: list[Figure] = []
    # Trigger positions of the whole text, found once: quantity starts and victim words.
    low = lower_keep_length(parsed.text)  # one lower-case copy for the three trigger scans
    starts, cues = numbers.quantity_and_word_starts(parsed.text, low, _VICTIM_STEMS)
    splits = _may_split(parsed.text, low)
    # Place and actor mentions in text order, so each sentence takes its own by bisection.
    place_marks = sorted((m.start, m.end, p.feature == "country", p.id)
                         for p in places if p.role == "narrative" for m in p.mentions)
    actor_marks = sorted((m.start, m.end, a.name) for a in actors if a.type != "civilians" for m in a.mentions)
    # The quantities of every sentence, read in one call (measured hot).
    quantities = numbers.find_quantities_per_span(parsed.text, [(s.start, s.end) for s in parsed.sentences], starts)
    for sentence, inside in zip(parsed.sentences, quantities, strict=True):
        if not (inside or splits) and bisect_left(cues, sentence.start) == bisect_left(cues, sentence.end):
            continue  # no number, no victim word: most sentences, skipped here (measured hot)
        drafts = _sentence_drafts(parsed.text, sentence, inside, cues, splits)
        if not drafts:
            continue
        around = _Around(_inside(place_marks, sentence), _inside(actor_marks, sentence),
                         [r for r in dates if sentence.start <= r.start and r.end <= sentence.end],
                         attribution.find_attributions(parsed, sentence), main_place)
        for i, draft in enumerate(drafts):
            # The agent of a figure is looked for up to the next figure ("850,000 fled and
            # thousands were killed by X": X killed, it did not displace).
            stop = drafts[i + 1].start if i + 1 < len(drafts) else sentence.end
            found.append(_finish(parsed.text, sentence, draft, stop, around))
    return found


@dataclass(slots=True)
class _Around:
    """What one sentence offers its figures: place and actor mentions inside it (as
    ``find_figures`` lists them), its dates and attributions, and the document's main place."""

    places: list[tuple[int, int, bool, str]]
    actors: list[tuple[int, int, str]]
    dates: list[DateRef]
    attributions: list[attribution.Attribution]
    main_place: str | None


def _inside(marks: list[tuple], sentence: Sentence) -> list[tuple]:
    """The marks (sorted by start, end) lying inside the sentence."""
    out = []
    i = bisect_left(marks, (sentence.start,))
    while i < len(marks) and marks[i][0] <= sentence.end:
        if marks[i][1] <= sentence.end:
            out.append(marks[i])
        i += 1
    return out


def number_mentions(found: list[Figure]) -> list[Mention]:
    return [Mention("number", f.evidence.start, f.evidence.end, f.evidence.text, f.category) for f in found]


# ---------------------------------------------------------------------------------------------
# Reading one sentence.


def _sentence_drafts(text: str, sentence: Sentence, quantities: list[numbers.Quantity], cues: list[int],
                     splits: bool) -> list[_Draft]:
    """``quantities``: the sentence's; ``cues``: the document's victim words; ``splits``: whether
    the document says "split" at all (else ``_SPLIT`` is not tried)."""
    here = cues[bisect_left(cues, sentence.start) : bisect_left(cues, sentence.end)]
    kept = []
    if quantities:
        drafts = [d for q in quantities if (d := _draft(text, sentence, q)) is not None]
        _coordinate(text, drafts)
        _inherit_who(drafts)
        kept = [d for d in drafts if d.category is not None]
    if here:
        kept += _singulars(text, sentence, kept, here)
    if splits and (split := _SPLIT.search(text, sentence.start, sentence.end)):
        kept.append(_split_draft(split))
    kept.sort(key=lambda d: d.start)
    return kept


def _split_draft(match: re.Match[str]) -> _Draft:
    """ "Fatalities split between 2 events": a share, not a count (see ``fatalities``)."""
    d = _Draft(match.start(), match.end(), match.start("m"), match.end("m"), None, None, None,
               " ".join(match.group("split").split()), who="fatalities", category="killed")
    return d


def _draft(text: str, sentence: Sentence, q: numbers.Quantity) -> _Draft | None:
    d = _Draft(q.start, q.end, q.start, q.end, q.low, q.best, q.high, q.qualifier, article=q.article)
    head_end = _read_head(text, sentence, q, d)
    _read_pre(text, sentence, q, d)
    if _AGENT_BEFORE.search(text, max(sentence.start, q.start - 4), q.start) and not d.pre_verb:
        return None  # "by five gunmen", "of 300": agents or a measure, not victims
    if head_end is None:
        # "killed 8, and detained two", "Fatalities coded as 3": the verb alone says what is counted.
        if d.category == "total" or (d.category in ("killed", "injured", "detained")
                                     and _BARE_END.match(text, q.end, sentence.end)):
            head_end = q.end
        else:
            return None
    if d.category is None or d.category in ("part", "combatants", "displaced"):
        _read_post(text, sentence, head_end, d)
    if d.category in (None, "part"):
        d.category = _CATEGORY_OF_HEAD.get((d.who or "").lower(), d.category)
        if d.category == "population" and (q.best or q.low or 0) < _MIN_POPULATION:
            d.category = None  # "Three county residents": people named by where they live, not a population
    if d.category == "casualty":
        return None
    if d.category == "total":
        d.category = "killed"
        d.who = d.who or "fatalities"
    if d.who and d.who.lower() in _COMBATANTS and d.category in (None, "trapped", "combatants"):
        d.category = "combatants" if (d.category or _PRESENCE.match(text, head_end, sentence.end)) else None
    elif d.category == "combatants":
        d.category = None  # only fighters are counted as a force
    if d.category == "part":
        d.category = None  # resolved from the whole it belongs to (``_coordinate``)
    return d


def _read_head(text: str, sentence: Sentence, q: numbers.Quantity, d: _Draft) -> int | None:
    """The counted noun after the number; returns where it ends (or the number's end for an ellipsis)."""
    head = _HEAD.match(text, q.end, sentence.end)
    if head and head.group("ofthe") and (_WHO_DIED.match(text, head.end(), sentence.end)
                                         or head.group("head").lower() in _GENERIC_WHO):
        d.part = True  # "One of the men who died was ...", "one of the victims": already counted
    if head and head.group("ofref"):
        d.part = True
        d.end = head.end()
        return head.end()
    if head and not (q.article and head.group("mods").strip()):
        toll = _TOLL_AFTER.match(text, head.end(), sentence.end)
        if toll:  # "6 rebel fatalities": the toll noun is the head, the first noun a modifier
            d.who, d.end = toll.group(1).lower(), toll.end()
            return toll.end()
        second = _NOUN_AFTER.match(text, head.end(), sentence.end)
        if second and (head.group("head")[0].isupper() or head.group("head").lower() in _NOUN_MODIFIERS):
            # "7 Rebels fighters", "5 family members": the last noun of a compound
            d.who, d.end = " ".join(second.group(1).lower().split()), second.end()
            return second.end()
        d.who = " ".join(head.group("head").lower().split())
        d.end = head.end()
        return head.end()
    if q.article:
        return None  # "both" counts only the noun right after it
    if _POST.match(text, q.end, sentence.end):
        return q.end  # "2 were wounded", "Three killed": the who is the previous figure's
    names = _NAME_HEAD.match(text, q.end, sentence.end)
    if names and _POST.match(text, names.end(), sentence.end):
        d.who = names.group("head")
        d.end = names.end()
        return names.end()
    return None


def _read_pre(text: str, sentence: Sentence, q: numbers.Quantity, d: _Draft) -> None:
    # 140 characters: "the death toll of <a long description of the attack> has risen to eight".
    # "$" in the pattern: the match ends at the number.
    if not _may_end_pre(text, sentence.start, q.start):
        return
    pre = _PRE_SEARCH.search(text, max(sentence.start, q.start - 140), q.start)
    while pre is not None and not _pre_opener(text, pre.start()):
        pre = _PRE_SEARCH.search(text, pre.start() + 1, q.start)
    if not pre:
        return
    category = pre.lastgroup
    start, end = pre.start(category), pre.end(category)
    if category == "part":
        d.part = d.part_cue = True
        d.category = "part"
        return
    if category == "combatants":
        d.category = "combatants"
        return
    d.category = category
    d.pre_verb = True
    d.cue_start, d.cue_end = start, end
    if category != "population" or not text[start].isupper():
        d.start = start  # the verb belongs to the evidence: "killed around 230 people"
    else:
        d.start = start  # "Raqqa’s 220,000 civilians": the owner too


_WORD_AT = re.compile(r"\w+")


def _pre_opener(text: str, at: int) -> bool:
    """Whether a pre cue may open at ``at``: "(", a word opening with one of ``_PRE_STARTS``, or a
    capitalised word right before an apostrophe (the start already follows no word character)."""
    if text[at] == "(":
        return True
    word = _WORD_AT.match(text, at)
    if word is None:
        return False
    token = word.group()
    return token.lower().startswith(_PRE_STARTS) or (token[0].isupper()
                                                     and text[word.end() : word.end() + 1] in ("’", "'"))


def _read_post(text: str, sentence: Sentence, head_end: int, d: _Draft) -> None:
    post = _POST.match(text, head_end, sentence.end)
    if not post and d.who is not None:
        post = _POST_APPOSITIVE.match(text, head_end, sentence.end)
    if not post:
        return
    category = post.lastgroup
    if not _AUX_WORD.search(text, head_end, post.start(category)) and \
            _OBJECT_AFTER.match(text, post.end(category), sentence.end):
        return  # an active verb with its object: the head is the agent, not the victim
    if d.category == "displaced" and category != "displaced":
        return  # "forced 5 people to ...": keep the verb's reading
    if d.category == "combatants" and category != "trapped":
        return
    d.category = category
    d.cue_start, d.cue_end = post.start(category), post.end(category)
    d.end = post.end()
    d.own_post = True
    if text[d.cue_start : d.cue_start + 5].lower() == "among":
        d.part = True  # "Two policemen were among the dead": part of a toll told elsewhere


def _coordinate(text: str, drafts: list[_Draft]) -> None:
    """Spread a category along a coordination: "three soldiers and one civilian were injured"
    (backwards from the cue) and "killed 4 rebels, 4 soldiers and 2 civilians" (forwards)."""
    for d in drafts:
        # A number between another figure's head and its verb is a breakdown of it: "18
        # civilians, including seven children and seven women, were killed".
        for o in drafts:
            if o is not d and o.own_post and o.cue_start is not None \
                    and o.q_end <= d.q_start and d.q_end <= o.cue_start:
                d.part = True
                if d.part_cue and d.category is None:
                    d.category = o.category
                elif not d.part_cue and d.cue_start == o.cue_start:
                    d.category = None  # "all members of one family": a number inside the appositive
    for i in range(len(drafts) - 2, -1, -1):
        cur, nxt = drafts[i], drafts[i + 1]
        gap = text[cur.end : nxt.q_start]
        if cur.category is None and nxt.category is not None and not nxt.pre_verb \
                and (_COORD.match(gap) or (nxt.part and _INCLUDING.match(gap))):
            cur.category, cur.cue_start, cur.cue_end = nxt.category, nxt.cue_start, nxt.cue_end
    for i in range(1, len(drafts)):
        prev, cur = drafts[i - 1], drafts[i]
        joined = _COORD.match(text[prev.end : cur.q_start])
        if cur.part_cue and cur.category is None and prev.category is not None:
            cur.category = prev.category
        elif cur.category is None and prev.category is not None and joined:
            cur.category, cur.cue_start, cur.cue_end = prev.category, prev.cue_start, prev.cue_end
        if prev.part and joined and not cur.pre_verb:
            cur.part = True  # "including one policeman and four army personnel"
    for d in drafts:
        if d.part and not (d.qualifier or "").startswith("including"):
            d.qualifier = " ".join(p for p in ("including", d.qualifier) if p)


def _inherit_who(drafts: list[_Draft]) -> None:
    """An elliptic figure ("2 were wounded") counts the same kind of people as the one before."""
    for i, d in enumerate(drafts):
        if d.who is None and i > 0 and drafts[i - 1].who and drafts[i - 1].who not in _TOTAL_WHO:
            d.who = drafts[i - 1].who


def _singulars(text: str, sentence: Sentence, taken: list[_Draft], cues: list[int]) -> list[_Draft]:
    """One victim named by a noun phrase, not by a number; ``cues`` are the sentence's victim words."""
    found: list[_Draft] = []
    spans = [(d.start, d.end) for d in taken]
    unique: dict[tuple[int, int], re.Match[str]] = {}
    # Patterns whose verb ends them look back from it; patterns that open with the verb look ahead.
    # Patterns that end with their verb look back from it; the others start at the verb itself.
    for begin, stop in _merge([(max(sentence.start, at - _REACH_BEFORE), min(sentence.end, at + 30)) for at in cues]):
        for pattern, gate in _SINGULAR_VERB_LAST:
            if gate is not None and gate.search(text, begin, stop) is None:
                continue
            for match in pattern.finditer(text, begin, stop):
                unique.setdefault(match.span(), match)
    for at in cues:
        if _VERB_FIRST_GATE.match(text, at, sentence.end) is None:
            continue
        for pattern in _SINGULAR_VERB_FIRST:
            if match := pattern.match(text, at, sentence.end):
                unique.setdefault(match.span(), match)
    head = _SINGULAR_HEADLINE.match(text, sentence.start, sentence.end)
    if head:
        unique.setdefault(head.span(), head)
    if sentence.kind == "title" and not head:
        unique.update(_title_singulars(text, sentence))
    for match in sorted(unique.values(), key=lambda m: m.start()):
        start, end = match.span()
        if any(s < end and start < e for s, e in spans):
            continue
        if _CAUSE_BEFORE.search(text, max(sentence.start, start - 40), start):
            continue  # the death that a protest is about: an earlier event
        group = next(c for c in ("killed", "died", "injured", "detained") if c in match.re.groupindex
                     and match.group(c))
        category = "killed" if group == "died" else group
        who = "person" if match.re is _NAMED_VICTIM else " ".join(match.group("head").lower().split())
        d = _Draft(start, end, match.start("head"), match.end("head"), 1, 1, 1, None, who=who, category=category)
        d.cue_start, d.cue_end = match.span(group)
        d.pre_verb = match.start(group) < match.start("head")
        if _PART_BEFORE.search(text, max(sentence.start, start - 15), start):
            d.part, d.qualifier = True, "including"
        found.append(d)
        spans.append((start, end))
        if d.pre_verb:
            found += _more_singulars(text, sentence, d, spans)
        elif match.re is _SINGULAR_PASSIVE and _PLURAL_AUX.search(text, d.q_end, d.cue_start):
            found += _singular_before(text, sentence, d, spans)
    return found


def _singular_before(text: str, sentence: Sentence, d: _Draft, spans: list[tuple[int, int]]) -> list[_Draft]:
    """The victim joined before a passive singular: "a child and a local sheikh were killed"."""
    begin = max(sentence.start, d.start - 80)
    match = _SINGULAR_BEFORE_AND.search(text, begin, d.start)
    if match is None or any(s < match.end() and match.start() < e for s, e in spans):
        return []
    head_end = match.end("head")
    first = _Draft(match.start(), head_end, match.start("head"), head_end, 1, 1, 1, d.qualifier,
                   who=" ".join(match.group("head").lower().split()), category=d.category)
    first.cue_start, first.cue_end, first.part = d.cue_start, d.cue_end, d.part
    spans.append((first.start, first.end))
    return [first]


def _title_singulars(text: str, sentence: Sentence) -> dict[tuple[int, int], re.Match[str]]:
    """Headline ellipsis: a bare singular noun as victim ("SDF member killed", "kill civilian"),
    at the title's start or after a section label ("Turkish drone attack | Civilian killed")."""
    found: dict[tuple[int, int], re.Match[str]] = {}
    starts = [sentence.start] + [m.end() for m in _TITLE_PART.finditer(text, sentence.start, sentence.end)]
    for at in starts:
        stop = text.find("|", at, sentence.end)
        stop = sentence.end if stop < 0 else stop
        match = _TITLE_SINGULAR.match(text, at, stop) or _TITLE_KILLS.search(text, at, stop)
        if match is not None:
            found.setdefault(match.span(), match)
    return found


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    merged: list[tuple[int, int]] = []
    for begin, stop in spans:
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((begin, stop))
    return merged


def _more_singulars(text: str, sentence: Sentence, first: _Draft, spans: list[tuple[int, int]]) -> list[_Draft]:
    """Victims joined to a first one by "and": "killing the father and a son"."""
    more = []
    at = first.end
    while (match := _SINGULAR_AND.match(text, at, sentence.end)) is not None:
        d = _Draft(match.start() + len(match.group()) - len(match.group().lstrip()), match.end(),
                   match.start("head"), match.end("head"), 1, 1, 1, first.qualifier,
                   who=" ".join(match.group("head").lower().split()), category=first.category)
        d.cue_start, d.cue_end, d.pre_verb, d.part = first.cue_start, first.cue_end, True, first.part
        more.append(d)
        spans.append((d.start, d.end))
        at = match.end()
    return more


# ---------------------------------------------------------------------------------------------
# Attaching place, date, source and perpetrators.


def _finish(text: str, sentence: Sentence, d: _Draft, stop: int, around: _Around) -> Figure:
    category = d.category or "affected"
    return Figure(
        id=stable_id("fig", d.start, d.end, category),
        category=category,
        who=d.who,
        low=d.low,
        best=d.best,
        high=d.high,
        qualifier=d.qualifier,
        place=_place(d, around.places) or around.main_place,
        date=_date(d, around.dates),
        perpetrators=_perpetrators(text, sentence, d, stop, around.actors) if category in _VIOLENCE else [],
        source=_source(text, sentence, d, around.attributions),
        evidence=Evidence.of(text, d.start, d.end),
    )


_VIOLENCE = {"killed", "injured", "detained", "missing", "displaced"}


def _main_place(places: list[Place]) -> str | None:
    """The place the narrative is about: the most-mentioned narrative place that is not a country."""
    narrative = [p for p in places if p.role == "narrative" and p.mentions]
    if not narrative:
        return None
    local = [p for p in narrative if p.feature != "country"] or narrative
    best = max(local, key=lambda p: (len(p.mentions), -min(m.start for m in p.mentions)))
    return best.id


def _place(d: _Draft, marks: list[tuple[int, int, bool, str]]) -> str | None:
    """The nearest place named in the same sentence (``marks``), a town before a country."""
    candidates = [(country, min(abs(start - d.end), abs(d.start - end)), place_id)
                  for start, end, country, place_id in marks]
    return min(candidates)[2] if candidates else None


def _date(d: _Draft, inside: list[DateRef]) -> str | None:
    if not inside:
        return None
    return min(inside, key=lambda r: min(abs(r.start - d.end), abs(d.start - r.end))).value


def _perpetrators(text: str, sentence: Sentence, d: _Draft, next_start: int,
                  mentions: list[tuple[int, int, str]]) -> list[str]:
    """Actors acting as agent of the act the figure counts: the subject of "X killed 5" and the
    agent of "5 were killed by X" / "at the hands of X". ``mentions``: the sentence's actor
    mentions but civilians, in text order."""
    if not mentions:
        return []
    names: list[str] = []
    cue_end = d.cue_end if d.cue_end is not None else d.end
    after_from = max(cue_end, d.end)
    stop = _clause_end(text, after_from, max(after_from, min(next_start, sentence.end)))
    intro = _AGENT_INTRO.search(text, after_from, stop)
    if intro:
        names += [name for s, e, name in mentions if intro.start() <= s and e <= stop]
    if d.pre_verb and d.cue_start is not None:
        begin = _clause_start(text, sentence.start, d.cue_start)
        names += [name for s, e, name in mentions if begin <= s and e <= d.cue_start]
    return list(dict.fromkeys(names))


_CLAUSE_END = re.compile(r";|\.\s|,\s+(?:but|while|whereas|and\s+(?:the|a|an|in|on))\b", re.I)
_CLAUSE_OPEN = re.compile(r";|,\s+(?:but|while|whereas|and|as|after|when)\b|\b(?:but|and\s+then)\b", re.I)


def _clause_end(text: str, start: int, stop: int) -> int:
    brk = _CLAUSE_END.search(text, start, stop)
    return brk.start() if brk else stop


def _clause_start(text: str, start: int, at: int) -> int:
    last = start
    for brk in _CLAUSE_OPEN.finditer(text, start, at):
        last = brk.end()
    return last


def _source(text: str, sentence: Sentence, d: _Draft, attributions: list[attribution.Attribution]) -> Source | None:
    """The attribution whose scope holds the figure: "X said" before it with no clause break
    between them, or "..., according to X" / "“...,” X said" after it."""
    best: tuple[int, attribution.Attribution] | None = None
    for att in attributions:
        if att.name_start <= d.start < att.name_end or d.start <= att.name_start < d.end:
            continue  # the figure is inside the source's own name
        first = min(att.name_start, att.cue_start)
        last = max(att.name_end, att.cue_end)
        if last <= d.start:
            gap = text[last : d.start]
        elif first >= d.end:
            gap = text[d.end : first]
        else:
            continue
        if _CLAUSE_BREAK.search(gap):
            continue
        distance = len(gap)
        if best is None or distance < best[0]:
            best = (distance, att)
    if best is None:
        return None
    return Source(best[1].name, best[1].cue)


# ---------------------------------------------------------------------------------------------
# Fatalities: all deaths of a document, each counted once.


def fatalities(found: list[Figure]) -> Bounds:
    """All deaths a set of figures reports, each death counted once (ACLED's conservative
    convention). Rules:

    * a vague word counts its unit (``numbers.VAGUE`` count column): "hundreds" 100, "dozens" 12,
      "several" 3; a range counts its low end ("10-15" 10); "at least 47" 47; "up to 10" 10;
    * a part of a total ("including 3 children") is not added;
    * the same number of the same (or a generic) kind of people reported twice (title and body,
      lead and repetition) is added once;
    * a total written as such ("the death toll rose to 15", "fatalities coded as 3") is the count;
    * a toll noun ("10 fatalities", "5 dead") wins over a smaller sum of the other figures;
    * victims named one by one are not added to a counted group ("Four people were killed ...
      X was also killed");
    * a toll "split between N events" (ACLED notes) counts its share, rounded down.
    """
    killed = [f for f in found if f.category == "killed" and not (f.qualifier or "").startswith("including")]
    if not killed:
        # Parts with no whole ("Two policemen were among the dead") still report deaths.
        killed = [f for f in found if f.category == "killed"]
        if not killed:
            return Bounds(0, 0, 0)
    if any(f.who != "person" for f in killed):
        # Victims named one by one ("X, 35, was also killed") are listed from a counted group.
        killed = [f for f in killed if f.who != "person" or not _NAMED_START.match(f.evidence.text)]
    shares = [f for f in killed if (f.qualifier or "").startswith("split")]
    killed = [f for f in killed if f not in shares]
    strong = [f for f in killed if _WRITTEN_TOTAL.match(f.evidence.text)]
    if strong:
        # "Fatalities coded as 3", "the death toll rose to 15": the writer's own total is the count,
        # even below a sum of partial reports; toll updates only grow, so the largest is the latest.
        top = max(strong, key=_count)
        count = _count(top)
        return Bounds(top.low if top.low is not None else count, count, top.high if top.high is not None else None)
    last = max(killed, key=lambda f: f.evidence.start) if killed else None
    if last and (last.who or "").lower() in ("fatality", "fatalities") and last.evidence.text[:1].isdigit():
        # An ACLED-style closing count ("... 1 fatality.") is the coder's own total.
        killed = [last]
    whole = _sum_deaths(killed)
    if shares:
        # The note's toll is spread over that many events: this event's share, rounded down.
        parts = max(numbers.words_to_int(shares[0].qualifier.split()[-2]) or 1, 1)  # type: ignore[union-attr]
        return Bounds(*(None if v is None else v // parts for v in (whole.low, whole.best, whole.high)))
    return whole


def injuries(found: list[Figure]) -> Bounds:
    """All injuries a set of figures reports, counted like deaths in ``fatalities`` (parts and
    repeats not added, vague words at ACLED's count, "12 wounded" as a toll noun)."""
    hurt = [f for f in found if f.category == "injured" and not (f.qualifier or "").startswith("including")]
    return _sum_deaths(hurt, _HURT_WHO)


def _sum_deaths(killed: list[Figure], total_who: set[str] = _TOTAL_WHO) -> Bounds:
    if not killed:
        return Bounds(0, 0, 0)
    totals = [f for f in killed if (f.who or "").lower() in total_who]
    counted: list[tuple[int, int, int | None, str | None]] = []
    for f in killed:
        if f in totals:
            continue
        count = _count(f)
        who = _who_key(f.who)
        if any(c == count and _same_people(w, who) for c, _, _, w in counted):
            continue
        counted.append((count, f.low if f.low is not None else count, f.high, who))
    best = sum(c for c, _, _, _ in counted)
    low = sum(lo for _, lo, _, _ in counted)
    highs = [h for _, _, h, _ in counted]
    high = sum(highs) if highs and all(h is not None for h in highs) else None  # type: ignore[misc]
    for total in totals:
        count = _count(total)
        if count > best:
            best, low = count, max(low, total.low if total.low is not None else count)
            high = total.high if total.high is not None and (high is None or total.high > high) else high
    if high is not None and high < best:
        high = best
    return Bounds(min(low, best), best, high)


def lead_fatalities(parsed: Parsed, found: list[Figure], within: int | None = None) -> Bounds | None:
    """Deaths of the document's main incident: the figures of its title and of the first body
    paragraph that reports a death, counted like ``fatalities``. News and monitor reports lead
    with the incident; later paragraphs recall earlier incidents and other places.

    With ``within``, a first death paragraph later than the first ``within`` body paragraphs
    gives None: deaths told only that far down belong to background, not to the lead."""
    paragraph_of = {}
    for sentence in parsed.sentences:
        paragraph_of[sentence.start] = (sentence.paragraph, sentence.kind)
    starts = sorted(paragraph_of)
    body_paragraphs = sorted({p for p, kind in paragraph_of.values() if kind != "title"})

    def where(f: Figure) -> tuple[int, str]:
        i = bisect_left(starts, f.evidence.start + 1) - 1
        return paragraph_of[starts[i]] if i >= 0 else (-1, "narrative")

    located = [(f, *where(f)) for f in found if not _cumulative(parsed, starts, f)]
    body = [p for f, p, kind in located if f.category == "killed" and kind != "title"]
    if within is not None and any(f.category == "killed" and kind == "title" for f, _, kind in located):
        within = min(within, 1)  # the title told the deaths: the lead paragraph repeats them
    near = bool(body) and (within is None or body[0] in body_paragraphs[:within])
    lead = {body[0]} if near else set()
    chosen = [f for f, p, kind in located if p in lead or kind == "title"]
    if within is not None and not any(f.category == "killed" for f in chosen):
        return None
    return fatalities(chosen)


# A toll over a period ("since the beginning of 2021", "so far this year", "in 2021") sums many
# incidents: not the lead incident's deaths.
_CUMULATIVE = re.compile(
    r"\b(?:since\s+(?:the\s+)?(?:beginning|start|outbreak|onset)\s+of|since\s+(?:early|mid|late)\s+\d{4}|"
    r"(?:so\s+far|since\s+then)\s+(?:this|in)\s+(?:year|month)|(?:this|last|the\s+past)\s+year\b|"
    r"\bin\s+(?:19|20)\d\d\b|(?:statistics|tally|tallies|documented\s+at\s+least\s+\d+\s+attacks))",
    re.I)

# "..., one day after a US raid killed an ISIS smuggler", "a review of the 2019 bombings that killed
# dozens": another, earlier incident (an indefinite article or a year introduces it; "a day after
# the attack" speaks of the same one).
_EARLIER_EVENT = re.compile(r"\b(?:days?|weeks?|hours?|months?)\s+(?:after|before)\s+(?:a|an|another)\s|"
                            r"\b(?:a|an|the)\s+(?:19|20)\d\d\s+(?!\d)", re.I)


def _cumulative(parsed: Parsed, starts: list[int], f: Figure) -> bool:
    """Whether a figure counts deaths outside the lead incident: a toll over a period, or an
    earlier incident recalled in a subordinate clause."""
    i = bisect_left(starts, f.evidence.start + 1) - 1
    if i < 0:
        return False
    sentence = parsed.sentences[i]
    if _EARLIER_EVENT.search(parsed.text, sentence.start, f.evidence.start):
        return True
    if i > 0 and parsed.sentences[i - 1].paragraph == sentence.paragraph:
        # "... since early 2022 has reached 28. These attacks left 17 people dead."
        return bool(_CUMULATIVE.search(parsed.text, parsed.sentences[i - 1].start, sentence.end))
    return bool(_CUMULATIVE.search(parsed.text, sentence.start, sentence.end))


_NAMED_START = re.compile(r"(?:(?:Mr|Mrs|Ms|Dr|Sheikh)\.?\s+)?[\"“]?[A-Z]")
_WRITTEN_TOTAL = re.compile(_PRE_CUES["total"], re.I)


def _count(f: Figure) -> int:
    """ACLED's conservative count of one figure: re-read from its evidence (the vague word's unit)."""
    for q in numbers.find_quantities(f.evidence.text):
        if (q.low, q.best, q.high) == (f.low, f.best, f.high):
            return q.count
    for value in (f.best, f.low, f.high):
        if value is not None:
            return value
    return 0


def _who_key(who: str | None) -> str | None:
    if who is None:
        return None
    key = who.lower()
    return key[:-1] if key.endswith("s") and not key.endswith("ss") else key


# "others" repeats someone else's count when it comes back in another sentence ("injuring two
# others" ... "two other paramedics were injured"): generic for telling repeats apart.
_GENERIC_KEYS = {_who_key(w) for w in _GENERIC_WHO} | {"other"}
_CIVILIAN_KEYS = {_who_key(w) for w in _CIVILIANS}


def _same_people(a: str | None, b: str | None) -> bool:
    if a == b or a in _GENERIC_KEYS or b in _GENERIC_KEYS:
        return True
    return (a == "civilian" and b in _CIVILIAN_KEYS) or (b == "civilian" and a in _CIVILIAN_KEYS)


def civilian_deaths(found: list[Figure]) -> Bounds:
    """Deaths of civilians only (or of unspecified people), counted like ``fatalities``."""
    return fatalities([f for f in found if _who_key(f.who) in _CIVILIAN_KEYS | _GENERIC_KEYS])
