"""Places: toponyms in narrative text resolved offline to coordinates with the gazetteer.

``find_places(parsed)`` reads ``parsed.sentences`` only (never captions or boilerplate) and
returns one ``Place`` per distinct place, ordered by first mention, with every mention span,
plus a ``Mention(kind="location")`` per toponym occurrence (``label`` = the place id).

How a toponym is found and resolved:
1. One regex pass finds runs of capitalised words (with name connectors such as "of", "de",
   "al-", "d'"); each run is cut into the longest sub-spans the gazetteer knows
   (``gazetteer.get().matches_for_key``, exact key first, then a looser transliteration key).
   "Charleston, W.Va." and "(Nellore, AP)" style state abbreviations are read separately.
2. Filters drop what is not a place: common English words without locative context ("Mobile
   phones", "the Police"), a word inside a longer unknown name ("War Tho Kho"), titles and
   given names next to a name ("President Jordan", "Michael Jordan": that name is then a person
   everywhere in the document unless it is a country, province or large city), "Jones said",
   demonyms ("Iraqi"), weak alternate spellings, known non-places ("Isis", "Islamic State").
3. Each distinct name is resolved once per document (one sense per discourse): a
   feature/population prior, a bonus for a match on the place's own name, the focus country of
   the *other* names (and demonyms), countries and provinces named in the same sentence
   ("Hyderabad (Sindh)", "Pipri, Kaushambi (UP)"), and type cues ("Idlib province" -> the admin
   unit; "the city of X" -> the town). A city that shares its name with its own province wins
   unless a province cue is present ("Raqqa" is the city, "Raqqa province" the governorate).
   Names are re-read until the readings settle (at most three rounds).
4. A small town abroad that nothing else in the document points to is dropped; so is a town
   abroad read from a weak match (alternate spelling, or a bare word never written as a location)
   in a text whose located names clearly point to another country. A town written
   with its province ("Pipri, Kaushambi (UP)") or its big city ("San Cristobal, Bogota") whose
   only namesakes lie elsewhere is placed at that unit's point with feature "relative".

Demonyms never become places or mentions (gold sets disagree on them), but they vote for the
document's focus country.

Helpers for later stages (the events stage picks an event's place from ``places``):
``document_focus(places)`` (the country most of the places are in), ``contains(outer, inner)``
(is a place inside a country/admin1 place), ``specificity(place)`` (0 town .. 5 continent) and
``primary_place(places)`` (most specific place of the focus country, earliest first). Every
``Place`` carries ``population``; ``Mention.label`` of a location mention is its place id.
"""

from __future__ import annotations

import gzip
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import attrgetter, methodcaller

from . import gazetteer
from .gazetteer import Candidate, normalise
from .model import Mention, Parsed, Place, Span, stable_id


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_WORD = re.compile(r"(?:St|Mt|Ft)\.|(?:[A-Z]\.){2,}|[^\W\d_]+(?:[-‐‑'’][^\W\d_]+)*")
# A capitalised word: "St." abbreviations, "U.S.", "al-Raqqa", "d'Ivoire", or a word whose initial is no ASCII
# lowercase letter (the initial is checked with str.isupper, which knows every script).
_CAP = (r"(?:(?:St|Mt|Ft)\.|(?:[A-Z]\.){2,}|(?:(?:al|el|ad|an|ar|as|ash|at|az|ed|ez|es|ul)[-‐‑]|[dl]['’])"
        r"(?=[A-Z])[^\W\d_]+(?:[-‐‑'’][^\W\d_]+)*|[^\W\d_a-z][^\W\d_]*(?:[-‐‑'’][^\W\d_]+)*)")
# A run of capitalised words, single spaces apart, with name connectors inside
# ("Democratic Republic of the Congo", "Deir ez Zor"); one regex pass finds all runs. (Speed: the
# leading lookahead admits only the letters a name can start with, uppercase or a, d, e, l, u of
# "al-", "d'"; it rejects most positions before the lookbehind and the alternatives run: measured
# 40% faster, same matches.)
_RUN = re.compile(rf"(?=[^\W\d_b-cf-km-tv-z])(?<![\w'’‐‑-]){_CAP}(?: (?:(?:of|the|de|del|della|la|le|les|du|do|"
                  rf"da|dos|das|di|al|el|ez|ad|bin|ibn|upon|on) )*{_CAP})*")
_HYPHEN = re.compile(r"[-‐‑]")
_SPAN = methodcaller("span")  # (start, end) of a match in one C call
_START = attrgetter("start")  # a hit's start (a C call: sort keys of hits, measured hot)
# AP-style US state abbreviations after a town ("Charleston, W.Va.").
_US_STATES = {
    "Ala": "AL", "Ariz": "AZ", "Ark": "AR", "Calif": "CA", "Colo": "CO", "Conn": "CT", "Del": "DE",
    "Fla": "FL", "Ga": "GA", "Ill": "IL", "Ind": "IN", "Kan": "KS", "Kans": "KS", "Ky": "KY", "La": "LA",
    "Md": "MD", "Mass": "MA", "Mich": "MI", "Minn": "MN", "Miss": "MS", "Mo": "MO", "Mont": "MT", "Neb": "NE",
    "Nev": "NV", "N.H": "NH", "N.J": "NJ", "N.M": "NM", "N.Y": "NY", "N.C": "NC", "N.D": "ND", "Okla": "OK",
    "Ore": "OR", "Pa": "PA", "R.I": "RI", "S.C": "SC", "S.D": "SD", "Tenn": "TN", "Tex": "TX", "Vt": "VT",
    "Va": "VA", "Wash": "WA", "W.Va": "WV", "W. Va": "WV", "Wis": "WI", "Wyo": "WY", "D.C": "DC",
}
# ACLED-style Indian state abbreviations, only as "(District, AP)" or "(UP)": "AP" alone is a news agency.
_IN_STATES = {"UP": "36", "AP": "02", "MP": "35", "HP": "11", "WB": "28", "TN": "25", "J&K": "12"}
_IN_STATE_ABBR = re.compile(r"(?:(?<=, )(UP|AP|MP|HP|WB|TN|J&K)|(?<=\()(UP|J&K))(?=\))")
_US_STATE_ABBR = re.compile(
    r"(?<=, )(" + "|".join(re.escape(k) for k in sorted(_US_STATES, key=len, reverse=True)) + r")\.")
# The same with ", " consumed: a literal start re finds fast (a gate only; spans come from the above).
_US_STATE_GATE = re.compile(_US_STATE_ABBR.pattern.replace("(?<=, )", ", ", 1))
_POSSESSIVE = re.compile(r"['’]s$")
_POSSESSIVE_ENDINGS = frozenset({"'s", "’s"})
_ARTICLE_PREFIX = re.compile(r"(?:(?:al|el|ad|an|ar|as|ash|at|az|ed|ez|es|ul)[-‐‑]|[dl]['’])[A-Z]")
# Lowercase words allowed inside a multi-word name ("Democratic Republic of the Congo", "Deir ez Zor").
_CONNECTORS = _set("of the de del della la le les du do da dos das di al el ez ad bin ibn upon on")
_MAX_WORDS = 6

# Words before a name that make it a person, not a place.
_TITLES = _set("""mr mrs ms miss dr prof president minister premier chancellor gen general sen senator gov governor
    king queen prince princess sheikh lt col capt captain rep judge justice pope bishop father brother sister
    officer sgt sergeant mayor lord lady sir saint st coach abu umm abd""")
# Words before a name that make it a place ("in Mobile", "near Bath").
_LOCATIVE = _set("in near at outside from to into towards toward across around via of between and")
_PLACE_BEFORE = _LOCATIVE - {"of", "and"}  # "and", "of" also join actors and titles
_STRONG_LOCATIVE = _set("in near outside into towards toward across around via")
# A type word after a name and what it says about the referent.
_ADMIN_CUES = _set("""province provinces governorate governorates state district districts county region oblast
    department prefecture division municipality parish territory emirate voivodeship
    lga lgas woreda tehsil taluk taluka commune subdistrict sub-district""")
# Type words after a common word that make it a place name ("Bay region"; not "Police Department").
_LOCATIVE_CUES = _set("province governorate district county region oblast village town city")
_TOWN_CUES = _set("village villages town towns city area neighbourhood neighborhood camp")
_CONTAINER_BEFORE = re.compile(r"[A-Za-z\u00C0-\u024F]{3,}(?:\s+(?:village|town|city|district))?\s*(?:,|\()\s*$")
_CONTAINER_GAP = re.compile(r"\s*(?:(?:village|town|city|district|area|camp|county|municipality)\s*)?[,(]\s*")
_CITY_BEFORE = re.compile(r"\b(?:city|town|village)s? of\s+$", re.I)
_ADMIN_BEFORE = re.compile(r"\b(?:province|governorate|state|region|district|county)s? of\s+$", re.I)
# Capitalised words that name no place however the gazetteer spells them.
_NOT_PLACES = _set("""isis isil daesh islamic state allah god jesus christ prophet mohammed muhammad
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep sept oct nov dec
    reuters ap afp bbc cnn un eu nato hamas hezbollah hizbollah taliban fatah
    olympic olympics christmas easter ramadan eid passover hanukkah diwali
    arab arabs english christian christians muslim muslims
    jewish catholic ismaili duma honda toyota metro school
    east west north south central northern southern eastern western""") | frozenset(
    {"islamic state", "new york times", "washington post", "los angeles times", "jerusalem post",
     "financial times", "old city", "boko haram", "al shabaab", "al qaeda", "white house", "the city",
     "middle east", "saint patrick", "saint valentine", "molotov"})
_NOT_PLACE_WORDS = frozenset(word for name in _NOT_PLACES for word in name.split())
# Words of place names in other languages, not given names ("Rio", "Kafr", "Wadi").
_GEO_WORDS = _set("""rio san santa santo sao sierra cerro villa ciudad colonia puerto lago monte bahia playa
    wadi jebel jabal tal tell tel kafr deir dayr ain bir ras nahr qarya qaryat sidi""")
_CURRENCY_AFTER = re.compile(r"\s+dollars?\b|\$", re.I)
_GROUP_AFTER = re.compile(r"\s+(?:clans?|sub-?clans?|tribes?|tribesm[ae]n)\b", re.I)
_MEMBERS_OF = re.compile(r"\bmembers\s+of\s+(?:the\s+)?\Z")
_CONTRACTION = re.compile(r"['’](?:ve|ll|re|d|m|t)$", re.I)
_SPEECH_AFTER = re.compile(r"\s+(?:said|says|told|added|asked|wrote|noted|explained|argued|testified|"
                           r"stated|recalled|insisted|replied|admitted)\b")
# The three above in one pattern (each starts with a different word, so at most one matches).
_AFTER = re.compile(rf"(?P<currency>(?i:{_CURRENCY_AFTER.pattern}))|(?P<group>(?i:{_GROUP_AFTER.pattern}))"
                    rf"|(?P<speech>{_SPEECH_AFTER.pattern})")
_ADMIN_FEATURES = frozenset({"country", "continent", "admin1", "admin2", "region"})
# Short all-capital forms accepted as names (others, like "IT" or "ISIS", are acronyms).
_ABBREVIATIONS = frozenset({"us", "uk", "usa", "uae", "drc", "dc", "nsw"})
# Features that the "common English word" rule never blocks.
_SAFE_FEATURES = frozenset({"country", "continent"})


@dataclass(slots=True)
class _Hit:
    """One toponym occurrence before resolution."""

    start: int
    end: int
    key: str
    sentence: int
    admin_cue: bool = False
    town_cue: bool = False
    container: bool = False  # written as the second part of "X, Y" / "X (Y": likely a province
    inside: list[_Hit] = field(default_factory=list)  # names written right after: "X, Y (Z)"
    cands: list[Candidate] = field(default_factory=list)
    main: frozenset[int] = frozenset()  # indexes of candidates matched by their main name
    located: bool = False  # written after a locative word ("in", "near", "from")


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Demonym key -> ISO2 ('iraqi' -> 'IQ'), from the packaged data."""
    path = gazetteer.DATA_DIR / "demonyms.tsv"
    if not path.is_file():
        return {}
    pairs = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line)
    return {key: iso for key, iso in pairs}


@lru_cache(maxsize=1)
def _demonym_forms() -> dict[str, str]:
    """Demonym key or its plural ('iraqis') -> ISO2: one dict lookup on the hot path."""
    table = {key: iso for key, iso in demonyms().items() if iso}
    for key, iso in list(table.items()):
        table.setdefault(key + "s", iso)
    return table


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    path = gazetteer.DATA_DIR / "english_words.txt.gz"
    if not path.is_file():
        return frozenset()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return frozenset(fh.read().split())


def find_places(parsed: Parsed) -> tuple[list[Place], list[Mention]]:
    """Resolved places (one per distinct place, with all its mentions) and location mentions."""
    scan = _scan_sentences(parsed, gazetteer.get())
    # A word seen as part of a person's name ("Michael Jordan") is that person elsewhere too.
    hits = [h for h in scan.hits
            if not (h.key in scan.titled_keys and h.cands[0].feature not in _NAMED_WITH_TITLES)
            and not (h.key in scan.person_keys and not _too_big_for_a_name(h.cands[0]))]
    if not hits:
        return [], []
    _link_containers(parsed.text, hits)
    chosen = _resolve(hits, scan.demonym_votes)
    hits = _drop_stray_villages(hits, chosen, scan.demonym_votes)
    _place_in_container(parsed.text, hits, chosen)
    return _assemble(parsed.text, hits, chosen)


def _drop_stray_villages(hits: list[_Hit], chosen: dict[tuple[str, bool], Candidate],
                         demonym_votes: Counter[str]) -> list[_Hit]:
    """A small town abroad that nothing else in the document points to is most often a word
    that happens to name one ("Samee" in a Myanmar report resolving to the Gambia). So is a town
    abroad of any size read from a weak match (an alternate spelling, or one bare word never
    written as a location) when no other name places the text in that country: "al-Sinaa" in a
    Syria report is a quarter of a Syrian city, not the Iranian city of that alternate name."""
    focus = _focus_country(hits, chosen, demonym_votes)
    if focus is None:
        return hits
    strong = {c.country for c in chosen.values() if c.feature in _ADMIN_FEATURES or c.population >= 100000}
    strong |= set(demonym_votes) | {focus}
    backed = _located_countries(hits, chosen)
    weak = _weak_slots(hits, chosen)
    weak_keys = {key for key, _ in weak}
    # Only in a text clearly about one country: most of the other names written as places lie
    # there (demonyms and "US forces" name actors, not where the story is).
    votes = Counter({iso: len(keys - weak_keys) for iso, keys in backed.items()})
    if votes[focus] <= _CLEAR_SHARE * votes.total():
        weak = set()
    kept = []
    for hit in hits:
        slot = (hit.key, hit.admin_cue)
        cand = chosen[slot]
        if cand.feature in ("city", "town", "village") and cand.country != focus and (
                cand.population < 50000 and cand.country not in strong
                or slot in weak and backed.get(cand.country, set()) <= {hit.key}):
            continue
        kept.append(hit)
    return kept


def _weak_slots(hits: list[_Hit], chosen: dict[tuple[str, bool], Candidate]) -> set[tuple[str, bool]]:
    """Names read from a weak match: not by the place's own name, or one word that no mention
    writes as a location (no "in", "near", type word or province beside it)."""
    strong: set[tuple[str, bool]] = set()
    seen: set[tuple[str, bool]] = set()
    for hit in hits:
        slot = (hit.key, hit.admin_cue)
        seen.add(slot)
        cand = chosen[slot]
        if cand.index in hit.main and (cand.population >= _SURE_CITY or " " in hit.key or hit.located
                                       or hit.town_cue or hit.admin_cue or hit.inside or hit.container):
            strong.add(slot)
    return seen - strong


def _located_countries(hits: list[_Hit], chosen: dict[tuple[str, bool], Candidate]) -> dict[str, set[str]]:
    """Country -> names that place the text there: a town or province read there, or the country
    itself written as a location ("in Turkey"; "US forces", "Turkish" name actors, not places)."""
    found: dict[str, set[str]] = {}
    for hit in hits:
        cand = chosen[(hit.key, hit.admin_cue)]
        if cand.country and (cand.feature not in _SAFE_FEATURES or hit.located):
            found.setdefault(cand.country, set()).add(hit.key)
    return found


# After the province written beside a town: the end of the parenthesis, clause or sentence.
_CONTAINER_END = re.compile(r"\s*(?:\)|[.;:]|$|(?:LGA|district|province|governorate|state|county|region|"
                            r"municipality|upazila|tehsil)\b)")


def _place_in_container(text: str, hits: list[_Hit], chosen: dict[tuple[str, bool], Candidate]) -> None:
    """"Pipri, Kaushambi (UP)", "Orient, Ohio.": a town written with its one province whose only
    known namesakes lie in another province is a village the gazetteer lacks. Its namesake would put
    it hundreds of km away; what the text does say is the province, so the town is placed there,
    honestly coded: feature "relative" (somewhere in that unit, at the unit's point)."""
    for hit in hits:
        cand = chosen[(hit.key, hit.admin_cue)]
        if not hit.inside or cand.feature not in ("city", "town", "village") or hit.admin_cue:
            continue
        box = hit.inside[0]
        outer = chosen[(box.key, box.admin_cue)]
        if outer.feature in ("city", "town"):
            if _in_city(text, box, cand, outer):
                chosen[(hit.key, hit.admin_cue)] = replace(
                    outer, index=-1, geonameid=None, name=f"{hit.key} in {outer.name}", feature="relative",
                    population=0)
            continue
        closed = _CONTAINER_END.match(text, box.end) or (len(hit.inside) > 1 and text[box.end : box.end + 1] != ",")
        if outer.feature not in ("admin1", "admin2") or not closed or not outer.country:
            continue
        if cand.population >= _SURE_TOWN and cand.country == outer.country:
            continue  # "Nawabshah city (Nawabshah, Punjab)": a known city outweighs a slip in the province
        if cand.country != outer.country or (outer.admin1 and cand.admin1 != outer.admin1):
            chosen[(hit.key, hit.admin_cue)] = replace(
                outer, index=-1, geonameid=None, name=f"{hit.key} in {outer.name}", feature="relative",
                population=0)


# A list goes on after the second name: "Beirut, Tripoli, Sidon", "Homs, Hama and Aleppo".
_LIST_GOES_ON = re.compile(r"\s*(?:,\s*[A-Z]|(?:and|or|&)\b)")
_NEAR_KM = 50.0
_SURE_TOWN = 50000
_WORLD_CITY = 1_000_000
_SURE_CITY = 100000  # a city this big named by its own name is meant even as a bare word ("Moscow")
_CLEAR_SHARE = 0.7  # share of the country votes that makes a document clearly about one country


def _in_city(text: str, box: _Hit, cand: Candidate, city: Candidate) -> bool:
    """"San Cristobal, Bogota": a small place written with a bigger town after it is a quarter of
    that town; a namesake far away in another province is the wrong reading. (A town that shares
    its province's name, "Calama (Antofagasta)", stands for the province: same admin1 is fine.)"""
    if _LIST_GOES_ON.match(text, box.end) or cand.population >= max(city.population, 1):
        return False
    if cand.country != city.country:
        return city.population >= _WORLD_CITY  # "La Candelaria, Bogota"; not "Rurrenabaque, Beni"
    return cand.admin1 != city.admin1 and _km(cand.lat, cand.lon, city.lat, city.lon) > _NEAR_KM


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


# A title before a name is strong evidence of a person: only these survive it elsewhere.
_NAMED_WITH_TITLES = frozenset({"country", "continent", "admin1"})


def _link_containers(text: str, hits: list[_Hit]) -> None:
    """For "Pipri, Kaushambi (UP)" and "Bar village (Kismaayo, Lower Juba)": each name's chain of
    names written right after it, the places it should lie in."""
    ordered = sorted(hits, key=_START)
    for n, hit in enumerate(ordered):
        end = hit.end
        for nxt in ordered[n + 1 :]:
            if nxt.sentence != hit.sentence or not _CONTAINER_GAP.fullmatch(text, end, nxt.start):
                break
            hit.inside.append(nxt)
            end = nxt.end


def _too_big_for_a_name(cand: Candidate) -> bool:
    """A country, province or large city keeps its other mentions when one looked like a name
    ("Zona Urbana del Rio Tijuana" must not erase Tijuana)."""
    return cand.feature in _SAFE_FEATURES or cand.feature == "admin1" or cand.population >= 100000


@dataclass(slots=True)
class _Scan:
    """What one pass over the sentences collects."""

    hits: list[_Hit] = field(default_factory=list)
    person_keys: set[str] = field(default_factory=set)  # seen beside a given name or before "said"
    titled_keys: set[str] = field(default_factory=set)  # seen after a title ("Senator Lincoln")
    demonym_votes: Counter[str] = field(default_factory=Counter)


# -- finding -------------------------------------------------------------------------------
# Hand-written for measured speed: what a run of capitalised words can name depends on the
# run's own text only, so that reading (its demonyms, the longest known sub-spans and every
# filter that needs no context) is worked out once per distinct run and memoised on the
# gazetteer (most runs repeat: "The", "Syria", "Mr Smith"); only the filters that look at the
# words around a run are applied to each occurrence (_verdict).


@dataclass(slots=True)  # not frozen: a frozen __init__ sets each field with object.__setattr__ (measured hot)
class _Segment:
    """A known sub-span of a run and what the run itself tells about it (offsets relative to the run)."""

    start: int
    end: int
    tok_end: int  # end of its last token (a possessive "'s" is left out of the name, not of the token)
    key: str
    cands: list[Candidate]
    main: frozenset[int]  # indexes of candidates matched by their main name
    prev: str | None  # the run's word before it; None when it starts the run (the word before is context)
    prev_end: int  # end of that word
    single: bool  # one word
    admin: bool  # best reading a country, province, district or region
    fixed: bool | None  # the verdict when no title, currency or group is around it (None: read on)
    person_before: bool  # a given name before it in the run ("Michael Jordan")
    speaker: bool  # a small place that may be a person's name before "said"
    common: int  # a common English word: 1 inside a longer unknown name, 2 a place only in a locative context


# What a run reads as: (demonym ISO2 votes, segments).
_Plan = tuple[tuple[str, ...], tuple[_Segment, ...]]
_NO_PLAN: _Plan = ((), ())
_PLAN_LIMIT = 40_000  # distinct runs (and tokens) memoised per process (a few MB), then the memo restarts


def _scan_sentences(parsed: Parsed, gaz: gazetteer.Gazetteer) -> _Scan:
    """One pass over the narrative sentences: place names kept, names read as persons or after
    titles, and demonym votes. (Hand-written for measured speed: one loop over all runs, each
    run's reading looked up by its text.)"""
    scan = _Scan()
    plans, tokens, names = gaz.derived("places.runs"), gaz.derived("places.tokens"), gaz.derived("places.names")
    text, votes = parsed.text, scan.demonym_votes
    # Most documents have no ", Ala."-like state abbreviation and no ")" at all.
    us = _US_STATE_GATE.search(text) is not None
    states = us or ")" in text
    for index, sentence in enumerate(parsed.sentences):
        start = sentence.start
        for run in _RUN.finditer(text, start, sentence.end):
            words = run[0]
            if words in plans:
                isos, segments = plans[words]
            else:
                isos, segments = _plan(words, gaz, plans, tokens, names)
            for iso in isos:
                votes[iso] += 1
            if segments:
                _run_hits(text, run.start(), segments, index, start, scan)
        if states:
            _state_abbreviations(text, start, sentence.end, index, gaz, scan, us)
    return scan


def _plan(run: str, gaz: gazetteer.Gazetteer, plans: dict[str, _Plan], tokens: dict[str, _Token],
          names: dict[str, _Name | None]) -> _Plan:
    if len(plans) >= _PLAN_LIMIT:
        plans.clear()
    plan = plans[run] = _read_run(run, gaz, tokens, names)
    return plan


# What one token says: (capitalised, possessive, worth a lookup, demonym ISO2 or None).
_Token = tuple[bool, bool, bool, str | None]


def _read_run(run: str, gaz: gazetteer.Gazetteer, memo: dict[str, _Token], names: dict[str, _Name | None]
              ) -> _Plan:
    """Demonym votes and known sub-spans of one run of capitalised words.

    For each token, ``reach`` is the token after the longest sub-span from it worth looking up:
    up to six words, not past a possessive ("Syria's Kobani" is two names), and (speed) not past
    a token none of whose words is in any gazetteer key nor in a non-place ("Mr Abdullahi Farah"
    costs three set lookups instead of six gazetteer lookups)."""
    if not run[0].isupper() and not _ARTICLE_PREFIX.match(run):
        return _NO_PLAN  # a lowercase non-ASCII initial ("été")
    tokens = tuple(map(_SPAN, _WORD.finditer(run))) if " " in run else ((0, len(run)),)
    n = len(tokens)
    caps, poss, reach, isos = [False] * n, [False] * n, [0] * n, []
    end = n
    for t in range(n - 1, -1, -1):  # backwards: reach looks ahead
        s, e = tokens[t]
        word = run[s:e]
        caps[t], poss[t], known, iso = memo[word] if word in memo else _read_token(word, gaz, memo)
        if iso:
            isos.append(iso)
        if not known:
            end = t
        elif poss[t]:
            end = t + 1
        reach[t] = end if end < t + _MAX_WORDS else t + _MAX_WORDS
    isos.reverse()
    segments = _segments(run, tokens, caps, poss, reach, gaz, names)
    return (tuple(isos), tuple(segments)) if isos or segments else _NO_PLAN


def _read_token(word: str, gaz: gazetteer.Gazetteer, memo: dict[str, _Token]) -> _Token:
    """What one token says, memoised per spelling (tokens repeat across runs)."""
    if len(memo) >= _PLAN_LIMIT:
        memo.clear()
    poss = word[-2:] in _POSSESSIVE_ENDINGS
    # Capitalised ("Aleppo", "al-Bab"): only these end a name. A non-place ("Islamic State")
    # must still be read whole: its words count as known.
    token = memo[word] = (word[0].isupper() or _ARTICLE_PREFIX.match(word) is not None, poss,
                          gaz.may_match(normalise(word[:-2] if poss else word), _NOT_PLACE_WORDS),
                          _demonym_forms().get(word.lower()) if len(word) > 3 else None)
    return token


def _segments(run: str, tokens: tuple[tuple[int, int], ...], caps: list[bool], poss: list[bool],
              reach: list[int], gaz: gazetteer.Gazetteer, names: dict[str, _Name | None]) -> list[_Segment]:
    """Longest known sub-spans of the run's tokens, left to right, that pass the context-free filters."""
    hyphen = "-" in run or "‐" in run or "‑" in run  # _HYPHEN without a call (measured hot)
    segments = []
    a, n = 0, len(tokens)
    while a < n:
        if reach[a] == a and not hyphen:
            a += 1  # speed: nothing to look up from this token
            continue
        found, a = _longest(run, tokens, caps, poss, reach, a, gaz, hyphen)
        if found is not None and (seg := _segment(run, tokens, *found, names)) is not None:
            segments.append(seg)
    return segments


_Found = tuple[int, int, int, int, str, list[tuple[Candidate, bool]]]  # a, b, start, end, key, matches


def _longest(run: str, tokens: tuple[tuple[int, int], ...], caps: list[bool], poss: list[bool], reach: list[int],
             a: int, gaz: gazetteer.Gazetteer, hyphen: bool) -> tuple[_Found | None, int]:
    """The longest known sub-span starting at token a (or None) and the token after it."""
    start = tokens[a][0]
    for b in range(reach[a], a, -1):
        if not caps[b - 1]:
            continue
        end = tokens[b - 1][1] - 2 if poss[b - 1] else tokens[b - 1][1]
        key = normalise(run[start:end])
        if key in _NOT_PLACES:
            return None, b
        matches = gaz.matches_for_key(key)
        if matches:
            return (a, b, start, end, key, matches), b
    return (_hyphen_prefix(run, tokens[a], a, gaz) if hyphen else None), a + 1


def _hyphen_prefix(run: str, token: tuple[int, int], a: int, gaz: gazetteer.Gazetteer) -> _Found | None:
    """'Mogadishu-Wadajir', 'Belgrade-Stari Grad', 'Gainesville-area': an unknown hyphenated word
    whose first part is a known place (a district after its city, or a place used as modifier)."""
    cut = _HYPHEN.search(run, token[0], token[1])
    if not cut or cut.start() - token[0] < 4:
        return None
    end = cut.start()
    key = normalise(run[token[0] : end])
    matches = gaz.matches_for_key(key)
    return (a, a + 1, token[0], end, key, matches) if matches else None


def _segment(run: str, tokens: tuple[tuple[int, int], ...], a: int, b: int, start: int, end: int, key: str,
             matches: list[tuple[Candidate, bool]], names: dict[str, _Name | None]) -> _Segment | None:
    """A found name with the filters that need no context applied (None: never a place here)."""
    surface = run[start:end]
    if surface in names:
        name = names[surface]
    else:
        if len(names) >= _PLAN_LIMIT:
            names.clear()
        name = names[surface] = _read_name(surface, key, matches)
    if name is None:
        return None
    key, cands, main, best = name.key, name.cands, name.main, name.cands[0]
    before = run[tokens[a - 1][0] : tokens[a - 1][1]] if a else None
    person_before = bool(before) and _name_like(before) and before.lower() not in _demonym_forms() and not (
        _POSSESSIVE.search(before))
    fixed = name.fixed
    # Next to an unknown capitalised name that is no English word: a person or an organisation
    # ("Jordan Henderson", "Michael Jordan"); a demonym before a country is no name ("Iraqi Kurdistan").
    if fixed is None and best.feature not in _SAFE_FEATURES and b < len(tokens) and _name_like(
            run[tokens[b][0] : tokens[b][1]]):
        fixed = False  # only here: "Jordan Henderson" is a person, "Cambridge Italian" is not
    common = (1 if b < len(tokens) else 2) if name.common else 0
    return _Segment(start, end, tokens[b - 1][1], key, cands, main, before, tokens[a - 1][1] if a else -2,
                    name.single, best.feature in _ADMIN_FEATURES, fixed, person_before, name.speaker, common)


@dataclass(slots=True)  # not frozen: see _Segment
class _Name:
    """What a name's own spelling says (memoised per spelling, see _segment)."""

    key: str
    cands: list[Candidate]
    main: frozenset[int]
    single: bool
    fixed: bool | None  # verdict of its capitals: "US" yes, "IT" no, "us" no (None: read on)
    speaker: bool  # a small place that may be a person's name before "said"
    common: bool  # one common English word


def _read_name(surface: str, key: str, matches: list[tuple[Candidate, bool]]) -> _Name | None:
    """None for a contraction, a demonym or a weak alternate spelling."""
    matches = matches[:60]
    cands = [c for c, _ in matches]
    main = frozenset([c.index for c, m in matches if m])
    best, single = cands[0], " " not in surface  # tokens are single words
    if _CONTRACTION.search(surface) or (single and key in _demonym_forms() and best.feature != "country"):
        return None
    words = _english_words()
    if not main and (len(key) <= 4 or key in words or 0 < best.population < 1000
                     and best.feature not in _ADMIN_FEATURES):
        return None  # only an alternate spelling matched, and a weak one
    letters = key.replace(" ", "")
    upper = surface.replace(".", "").isupper()
    fixed = None
    if upper and len(letters) <= 4:
        fixed = letters in _ABBREVIATIONS  # "US", "UK", "UP"; other short capitals are acronyms
    elif len(key) <= 2 and not upper:
        fixed = False  # "us" only as "US" / "U.S."
    return _Name(key, cands, main, single, fixed,
                 single and best.feature not in _ADMIN_FEATURES and best.population < 100000,
                 single and key in words and best.feature not in _SAFE_FEATURES)


def _run_hits(text: str, rs: int, segments: tuple[_Segment, ...], index: int, sentence_start: int,
              scan: _Scan) -> None:
    """The known sub-spans of one occurrence of a run (at ``rs``) that pass the context filters."""
    prev_end = -1  # end of the last kept name's last token in this run
    for seg in segments:
        # One word of left context (for "in", "the", titles) sits before the run.
        prev = seg.prev if seg.prev is not None else _word_before(text, sentence_start, rs)
        verdict = _verdict(text, seg, rs, prev, prev_end, sentence_start)
        if verdict == "person":
            scan.person_keys.add(seg.key)
        elif verdict == "title":
            scan.titled_keys.add(seg.key)
        elif verdict:
            hit = _Hit(rs + seg.start, rs + seg.end, seg.key, index, cands=seg.cands, main=seg.main,
                       located=_lower_title(prev)[0] in _PLACE_BEFORE)
            _cues(text, hit)
            scan.hits.append(hit)
            prev_end = seg.tok_end


def _word_before(text: str, floor: int, pos: int) -> str:
    """The word just before ``pos`` (spaces between, nothing else; not before ``floor``), or ""."""
    end = pos
    while end > floor and text[end - 1] in " \t":
        end -= 1
    if end == pos:
        return ""
    begin = end
    while begin > floor and _word_char(text[begin - 1]):
        begin -= 1
    return text[begin:end] if begin < end and text[begin] != "." else ""


@lru_cache(maxsize=4096)
def _word_char(char: str) -> bool:
    """A letter or a dot (memoised: a cache hit is cheaper than the method call, measured hot)."""
    return char.isalpha() or char == "."


def _state_abbreviations(text: str, start: int, end: int, index: int, gaz: gazetteer.Gazetteer,
                         scan: _Scan, us: bool = True) -> None:
    # Cheap gates first (the lookbehind patterns are tried at every position): most sentences
    # have no ", Ala."-like abbreviation (the gate may look 2 characters back, as the lookbehind
    # does) and no ")".
    found = []
    if us and _US_STATE_GATE.search(text, max(0, start - 2), end):  # us: the document has one
        found += [(m, gaz.admin1("US", _US_STATES[m.group(1)])) for m in _US_STATE_ABBR.finditer(text, start, end)]
    if text.find(")", start, end) >= 0:
        found += [(m, gaz.admin1("IN", _IN_STATES[m.group(1) or m.group(2)]))
                  for m in _IN_STATE_ABBR.finditer(text, start, end)]
    for match, state in found:
        if state is None:
            continue
        s, e = match.start(), match.end()
        scan.hits = [h for h in scan.hits if h.end <= s or h.start >= e]
        scan.hits.append(_Hit(s, e, normalise(state.name), index, cands=[state], main=frozenset({state.index})))


def _verdict(text: str, seg: _Segment, rs: int, prev: str, prev_end: int, sentence_start: int) -> bool | str:
    """The filters that look around one occurrence of a name spelled like a place: True to keep,
    False to drop, "person" / "title" to drop this name elsewhere in the document too (see
    find_places). (The filters that need no context ran once per distinct run: see _segment.)"""
    start, end = rs + seg.start, rs + seg.end
    low, titled = _lower_title(prev)
    if titled:
        return "title"
    after = _AFTER.match(text, end)  # speed: one match for the three patterns (they exclude each other)
    word_after = after.lastgroup if after is not None else None
    if word_after == "currency":
        return False  # "US dollar", "Hong Kong dollars"
    floor = start - 16 if start - 16 > sentence_start else sentence_start
    if not seg.admin and (word_after == "group" or "members" in text[floor:start]
                          and _MEMBERS_OF.search(text, floor, start)):
        return False  # "the Marri community", "Saad sub-clans", "members of Svoboda": a group
    if seg.fixed is not None:
        return seg.fixed
    if seg.person_before and seg.prev_end != prev_end:
        return "person" if seg.single else False
    if seg.speaker and word_after == "speech" and low not in _LOCATIVE:
        return "person"  # "Jones said" (but "Gainesville says no" is the town speaking)
    if seg.common == 1:
        return False  # "War Tho Kho", "Aweil East": a word inside a longer unknown name
    if seg.common == 2:
        return _locative_context(text, start, rs + seg.tok_end, prev, sentence_start)
    return True


@lru_cache(maxsize=65536)
def _name_like(word: str) -> bool:
    return _is_name_like(word, _english_words())


@lru_cache(maxsize=8192)
def _lower_title(word: str) -> tuple[str, bool]:
    """The word in lowercase and whether it is a title ("Dr.", "President"): memoised, measured hot."""
    low = word.lower()
    return low, low.rstrip(".") in _TITLES


def _is_name_like(word: str, words: frozenset[str]) -> bool:
    if _ARTICLE_PREFIX.match(word):
        return True  # "Sabah al-Numan": an Arabic family name follows a given name
    if not word[0].isupper() or (word.isupper() and len(word) > 1):
        return False  # acronyms ("Sapele LGA", "Mosul PMF") are no person names
    low = _POSSESSIVE.sub("", word).lower()
    return (low not in words and low not in _CONNECTORS and low not in _TITLES and low not in _GEO_WORDS
            and low not in _demonym_forms())


def _locative_context(text: str, start: int, tok_end: int, prev: str, sentence_start: int) -> bool:
    """A common English word spelled with a capital is a place only in a place-like context."""
    at_start = start == sentence_start or prev == ""
    prev_low = prev.lower()
    if prev_low in ("the", "a", "an"):
        return False
    if prev_low in _STRONG_LOCATIVE and not at_start:
        return True
    after = text[tok_end : tok_end + 30]
    nxt = after.lstrip(" ").split(" ", 1)[0].lower().strip(".,;:)")
    return nxt in _LOCATIVE_CUES


def _cues(text: str, hit: _Hit) -> None:
    after = text[hit.end : hit.end + 20].lstrip(" ")
    nxt = after.split(" ", 1)[0].lower().strip(".,;:)")
    before = text[hit.start - 30 if hit.start > 30 else 0 : hit.start]
    # Speed: each pattern before the name is searched only when the text can end it ("... of ",
    # "..., ", "... (").
    tail = before.rstrip()
    of = len(tail) < len(before) and tail[-2:].lower() == "of"
    hit.admin_cue = nxt in _ADMIN_CUES or (of and _ADMIN_BEFORE.search(before) is not None)
    hit.town_cue = nxt in _TOWN_CUES or (of and _CITY_BEFORE.search(before) is not None)
    hit.container = tail.endswith((",", "(")) and _CONTAINER_BEFORE.search(before) is not None


# -- resolving -----------------------------------------------------------------------------

def _resolve(hits: list[_Hit], demonym_votes: Counter[str]) -> dict[tuple[str, bool], Candidate]:
    """Pick one candidate per (name, province cue): prior first, then the document's context."""
    lasts = {(h.key, h.admin_cue): h for h in hits}  # the last hit of a slot gives its first reading
    chosen = {slot: _score_pick(hit, None, set(), set()) for slot, hit in lasts.items()}
    # Names are re-read one after another against the current readings of the others (updating
    # all at once can flip-flop: "San Antonio (Valparaiso)" swapping between Chile and the US).
    firsts: dict[tuple[str, bool], _Hit] = {}  # the first hit of each slot is the one re-read
    for hit in hits:
        firsts.setdefault((hit.key, hit.admin_cue), hit)
    mentions = Counter((h.key, h.admin_cue) for h in hits)
    by_sentence: dict[int, list[_Hit]] = {}
    for hit in hits:
        by_sentence.setdefault(hit.sentence, []).append(hit)
    for _ in range(3):
        before = dict(chosen)
        total, by_key = _country_votes(mentions, chosen, demonym_votes)
        for hit in firsts.values():
            # Context from the other names only: a name must not vote for its own reading
            # ("Georgia" said five times in a story about Atlanta is still the state).
            focus = _top_country(total, by_key[hit.key])
            containers = _sentence_containers(by_sentence[hit.sentence], chosen, hit)
            codes, admins = _doc_codes(chosen, hit.key)
            chosen[(hit.key, hit.admin_cue)] = _score_pick(hit, focus, codes, containers, admins)
        if chosen == before:
            break
    return chosen


def _top_country(total: dict[str, float], own: dict[str, float]) -> str | None:
    """``(total - own).most_common(1)``'s country without building the Counter (measured: hot):
    the first country with the largest positive remainder."""
    best, best_votes = None, 0.0
    for iso, votes in total.items():
        rest = votes - own[iso] if iso in own else votes
        if rest > best_votes:
            best, best_votes = iso, rest
    return best


def _doc_codes(chosen: dict[tuple[str, bool], Candidate], key: str) -> tuple[set[str], bool]:
    """'CC' of the other names' readings and 'CC.ADMIN1' of those that are provinces or districts,
    and whether there is any of the latter (then _score_pick spells its candidates' codes)."""
    countries: set[str] = set()
    admins: set[str] = set()
    for (other, _), cand in chosen.items():
        if other != key and cand.country:
            countries.add(cand.country)
            if cand.feature in ("admin1", "admin2"):
                admins.add(f"{cand.country}.{cand.admin1}")
    return (countries | admins if admins else countries), bool(admins)


def _country_votes(mentions: Counter[tuple[str, bool]], chosen: dict[tuple[str, bool], Candidate],
                   demonym_votes: Counter[str]) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Country votes of the whole document (mentions, counted per name and province cue in order
    of first mention, and demonyms) and of each name alone, in the order countries are first seen
    (plain dicts: measured hot; the votes are small multiples of 0.5, so sums are exact in any order)."""
    total = {iso: 0.5 * n for iso, n in demonym_votes.items()}
    by_key: dict[str, dict[str, float]] = {}
    for slot, count in mentions.items():
        own = by_key.get(slot[0])
        if own is None:
            own = by_key[slot[0]] = {}
        cand = chosen[slot]
        if cand.country:
            weight = (2.0 if cand.feature in ("country", "admin1", "admin2") else 1.0) * count
            own[cand.country] = own.get(cand.country, 0) + weight
            total[cand.country] = total.get(cand.country, 0) + weight
    return total, by_key


def _focus_country(hits: list[_Hit], chosen: dict[tuple[str, bool], Candidate],
                   demonym_votes: Counter[str]) -> str | None:
    total, _ = _country_votes(Counter((h.key, h.admin_cue) for h in hits), chosen, demonym_votes)
    return _top_country(total, {})  # Counter.most_common(1): every vote is positive


def _sentence_containers(hits: list[_Hit], chosen: dict[tuple[str, bool], Candidate], hit: _Hit) -> set[str]:
    """'CC' codes of countries named in the hit's sentence (``hits``: those of its sentence) or of
    its large towns, and 'CC.ADMIN1' codes of the provinces written right after it ("X, Y (Z)"):
    a list of states ("Ohio, Oregon") must not put Oregon in Ohio."""
    found: set[str] = set()
    for other in hits:
        if other.key == hit.key and other.admin_cue == hit.admin_cue:
            continue
        cand = chosen[(other.key, other.admin_cue)]
        if cand.country and (cand.feature in ("country", "admin1", "admin2") or cand.population >= 50000):
            found.add(cand.country)
    for other in hit.inside:
        cand = chosen[(other.key, other.admin_cue)]
        if cand.feature in ("admin1", "admin2") and cand.country:
            found.add(f"{cand.country}.{cand.admin1}")
    return found


def _score_pick(hit: _Hit, focus: str | None, doc_countries: set[str], containers: set[str],
                doc_admins: bool = False) -> Candidate:
    """The best-scoring candidate (``doc_admins``: ``doc_countries`` holds 'CC.ADMIN1' codes)."""
    cands = hit.cands
    if hit.admin_cue:
        admins = [c for c in cands if c.feature in ("admin1", "admin2")]
        cands = admins or cands
    elif hit.town_cue:
        towns = [c for c in cands if c.feature in ("city", "town", "village")]
        cands = towns or cands
    best, best_score = cands[0], float("-inf")
    # "Ohio, Oregon" is a list of states, not a town in Ohio: only a name that is foremost a town
    # takes the province written after it as its container.
    town_name = hit.cands[0].feature not in _NAMED_WITH_TITLES
    for cand in cands:
        score = cand.prior + (1.5 if cand.index in hit.main else 0.0)
        if cand.country:
            if cand.country == focus:
                score += 2.5
            elif cand.country in doc_countries:
                score += 1.0
            elif focus and cand.feature not in _SAFE_FEATURES:
                score -= 1.5  # a town abroad that nothing else in the document points to
            if doc_admins or containers:  # (speed: else no code below can match; measured hot)
                code = f"{cand.country}.{cand.admin1}"
                if cand.feature != "admin1" and code in doc_countries:
                    score += 1.5  # a province or state named elsewhere in the document
                if code in containers and cand.feature != "admin1" and town_name:
                    score += 6.0  # in the province named beside it: outweighs any population gap
                elif cand.country in containers:
                    score += 2.0
        if cand.feature == "admin1" and not hit.admin_cue and _has_namesake_city(cands, cand, hit.container):
            score -= 5.0
        if score > best_score:
            best, best_score = cand, score
    return best


def _has_namesake_city(cands: list[Candidate], admin: Candidate, container: bool = False) -> bool:
    """A town shares the province's name: its own capital ("Raqqa", "Idlib", "Kirkuk") or one
    about as populous ("Gaza", "New York"). Without a province cue the town is meant. Written as
    a container ("X, Donetsk") the province is meant, unless the town is most of it ("(Tripoli)")."""
    for cand in cands:
        if cand.feature not in ("city", "town"):
            continue
        same = cand.country == admin.country and cand.admin1 == admin.admin1
        if container:
            if same and cand.population >= 0.5 * admin.population:
                return True
            continue
        if same and cand.population >= 20000:
            return True
        if cand.population >= 0.4 * admin.population and cand.population >= 50000:
            return True
    return False


# -- output --------------------------------------------------------------------------------

def _assemble(text: str, hits: list[_Hit], chosen: dict[tuple[str, bool], Candidate]
              ) -> tuple[list[Place], list[Mention]]:
    gaz = gazetteer.get()
    ids = gaz.derived("places.ids")  # speed: a SHA-1 per mention was measured hot
    if len(ids) >= _PLAN_LIMIT:
        ids.clear()
    places: dict[str, Place] = {}
    mentions: list[Mention] = []
    for hit in sorted(hits, key=_START):
        cand = chosen[(hit.key, hit.admin_cue)]
        ref = cand.geonameid or cand.name
        pid = ids.get(ref)
        if pid is None:
            pid = ids[ref] = stable_id("place", ref)
        place = places.get(pid)
        if place is None:
            admin1 = cand.name if cand.feature == "admin1" else gaz.admin1_name(cand.country, cand.admin1)
            place = Place(id=pid, name=text[hit.start : hit.end], lat=cand.lat, lon=cand.lon,
                          country=cand.country, admin1=admin1, feature=cand.feature, geonameid=cand.geonameid,
                          population=cand.population or None)
            places[pid] = place
        place.mentions.append(Span(hit.start, hit.end))
        mentions.append(Mention("location", hit.start, hit.end, text[hit.start : hit.end], pid))
    return list(places.values()), mentions


# -- helpers for later stages --------------------------------------------------------------

def document_focus(places: list[Place]) -> str | None:
    """ISO2 of the country the document is mostly about: each place votes for its country with
    its number of mentions (countries and provinces count double). None when no place has one."""
    votes: Counter[str] = Counter()
    for place in places:
        if place.country:
            weight = 2 if place.feature in ("country", "admin1", "admin2") else 1
            votes[place.country] += weight * max(1, len(place.mentions))
    return votes.most_common(1)[0][0] if votes else None


_SPECIFICITY = {"village": 0, "town": 0, "city": 0, "site": 0, "admin2": 1, "admin1": 2, "region": 3, "water": 3,
                "country": 4, "continent": 5}


def specificity(place: Place) -> int:
    """0 for a town or village, 1 district, 2 province, 3 region or water, 4 country, 5 continent."""
    return _SPECIFICITY.get(place.feature, 3)


def primary_place(places: list[Place]) -> Place | None:
    """A fallback event place: the most specific place in the focus country, earliest mention
    first. (On the ACLED 2020 dev notes it lies within 25 km of the coded event in 69% of
    records; an events stage that knows the event's sentence should prefer the places there.)"""
    if not places:
        return None
    focus = document_focus(places)
    pool = [p for p in places if p.country == focus] or places
    return min(pool, key=lambda p: (specificity(p), p.mentions[0].start if p.mentions else 0))


def contains(outer: Place, inner: Place) -> bool:
    """True when ``inner`` lies in ``outer`` by codes: same country for a country, same country
    and admin1 name for an admin1 place."""
    if outer.feature == "country":
        return inner.country == outer.country
    if outer.feature == "admin1":
        return inner.country == outer.country and inner.admin1 == outer.admin1
    return False
