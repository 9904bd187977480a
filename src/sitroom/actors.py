"""Actors (canonical armed groups, state forces, IGOs, NGOs...) and person/organization mentions.

Three sources of evidence, all found in one pass per sentence:

1. The actor lexicon (``data/lexicons/actors.tsv``, the project's own compilation) matched with
   two Aho-Corasick automata: one over the text as written for short all-caps acronyms ("IS",
   "UN", which must not match "is"/"un"), one over the lower-cased text for every other alias.
2. State forces by pattern: "<demonym or country> [modifiers] (army|forces|troops|police|...)"
   -> "Military Forces of <Country>" / "Police Forces of <Country>" (ACLED naming), and
   "<demonym> (government|authorities|regime)" -> "Government of <Country>".
3. Capitalised runs of words for mentions that no lexicon lists: organisation names ending in an
   organisation head ("... Ministry", "... Brigade"), acronyms, and people (a title before a name,
   an Arabic name particle, the speaker of an attribution cue, or a surname seen before in full).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import NamedTuple

import ahocorasick

from .attribution import ORG_HEADS, TITLES, _NameTok, _Tok, _tokens, find_attributions
from .model import Actor, Mention, Parsed, Sentence, Span, stable_id
from .textmatch import SpanIndex, lower_keep_length

_LEXICONS = "data/lexicons"
# A bare "coalition" is whichever named coalition the article mentioned last (US-led by default).
_BARE_COALITION = {"coalition", "coalition forces", "coalition military forces"}
_COALITIONS = ("US-led coalition", "Saudi-led coalition")


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    type: str
    country: str | None
    organization: bool
    alias: str


@dataclass(slots=True)
class _Lexicon:
    exact: ahocorasick.Automaton  # case-sensitive: acronyms and demonyms
    folded: ahocorasick.Automaton  # lower-cased aliases
    countries: dict[str, tuple[str, str]]  # demonym or name -> (iso2, ACLED country name)


def _read(name: str) -> list[list[str]]:
    text = resources.files("sitroom").joinpath(f"{_LEXICONS}/{name}").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _case_sensitive(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return len(alias) <= 6 and bool(letters) and all(c.isupper() for c in letters)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """Build the automata once per process (a few thousand patterns: milliseconds)."""
    exact = ahocorasick.Automaton()
    folded = ahocorasick.Automaton()
    for row in _read("actors.tsv"):
        name, kind, country, mention, aliases = (row + [""] * 5)[:5]
        for alias in {name, *aliases.split("|")}:
            alias = alias.strip()
            if not alias:
                continue
            entry = _Entry(name, kind, country or None, mention == "organization", alias)
            if _case_sensitive(alias):
                exact.add_word(alias, ("actor", entry))
            else:
                folded.add_word(alias.lower(), ("actor", entry))
    countries: dict[str, tuple[str, str]] = {}
    for row in _read("countries.tsv"):
        iso2, country, others = (row + [""] * 3)[:3]
        for form in {country, *others.split("|")}:
            form = form.strip()
            if form:
                countries[form] = (iso2, country)
                exact.add_word(form, ("country", form))
    exact.make_automaton()
    folded.make_automaton()
    return _Lexicon(exact, folded, countries)


# After a demonym: modifiers then the kind of force. Matched at one position, so it stays cheap.
_FORCE_TAIL = re.compile(
    r"(?:['’]s)?(?:\s+(?:and|,)\s+(?P<second>[A-Z][\w.\-]*))?"
    r"(?P<mods>(?:\s+(?:pro-government|government|regime|security|coalition|special|armed|ground|federal|state|"
    r"elite|national|military|army|naval|border|riot|anti-terror(?:ism)?|counter-terror(?:ism)?|"
    r"Army|Armed|Security|Special|National|Air|Federal))*)"
    r"\s+(?P<kind>forces|Forces|army|Army|military|troops|soldiers|soldier|police|Police|policemen|air force|"
    r"Air Force|navy|Navy|marines|Marines|national guard|National Guard|border guards?|gendarmerie|gendarmes|"
    r"warplanes|jets|fighter jets|aircraft|airstrikes?|air strikes?|artillery|tanks|drones?|special forces|"
    r"government|Government|authorities|regime|officials|ministry|Ministry of \w+)\b"
)
_POLICE = {"police", "policemen", "gendarmerie", "gendarmes"}
_GOVERNMENT = {"government", "authorities", "regime", "officials", "ministry"}
_THE_COUNTRIES = ("United", "Netherlands", "Philippines", "Central African", "Democratic", "Republic", "Gambia")


def is_generic_actor(name: str) -> bool:
    """A lexicon alias that names a class of people, not one actor: "protesters", "residents"."""
    value = _lexicon().folded.get(name.lower(), None)
    return value is not None and not value[1].organization


def _of(country: str) -> str:
    return f"the {country}" if country.startswith(_THE_COUNTRIES) else country


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    name: str
    type: str
    country: str | None
    organization: bool
    alias: str = ""
    paired: bool = False  # second actor of "Iraqi and US forces": kept inside the first's span


def find_actors(parsed: Parsed, places: list[Mention] | None = None) -> tuple[list[Actor], list[Mention]]:
    """Canonical actors with their mentions, and person/organization mentions.

    ``places``: location mentions from the places stage, when it ran first; a capitalised name
    the places stage took for a toponym ("Ras al-Ain", "Idlib") is then never a person.
    """
    hits = _lexicon_hits(parsed)
    actors = _group(hits)
    mentions = [
        Mention("organization", h.start, h.end, parsed.text[h.start : h.end], _actor_id(h.name))
        for h in hits
        if h.organization and not h.paired
    ]
    taken = [(h.start, h.end) for h in hits]
    located = SpanIndex([(m.start, m.end) for m in places or [] if m.kind == "location"])
    for m in _name_mentions(parsed, taken):
        if m.label == _WEAK and _is_place(m, located):
            continue
        m.label = None
        mentions.append(m)
    mentions.sort(key=lambda m: (m.start, m.end))
    return actors, mentions


def _is_place(mention: Mention, located: SpanIndex) -> bool:
    """A weakly found name that is a toponym: a country, or a place the places stage found around it."""
    if mention.text in _lexicon().countries:
        return True
    return located.holds(mention.start, mention.end)


@lru_cache(maxsize=4096)
def _actor_id(name: str) -> str:
    return stable_id("actor", name)  # a hash per lexicon hit cost more than the rest of grouping


def _group(hits: list[_Hit]) -> list[Actor]:
    home = _home_country(hits)
    actors: dict[str, Actor] = {}
    for h in hits:
        if h.type == "state_forces" and home and h.country and h.country != home and h.name.startswith("Military"):
            h.type = "external_forces"  # ACLED codes a foreign army fighting abroad as external forces
        actor_id = _actor_id(h.name)
        actor = actors.get(actor_id)
        if actor is None:
            actor = actors[actor_id] = Actor(actor_id, h.name, h.type, h.country)
        actor.mentions.append(Span(h.start, h.end))
    return list(actors.values())


def _home_country(hits: list[_Hit]) -> str | None:
    """The country whose forces and government the article mentions most, if one clearly leads."""
    counts: dict[str, int] = {}
    for h in hits:
        if h.country and h.type in ("state_forces", "government"):
            counts[h.country] = counts.get(h.country, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


# ---------------------------------------------------------------------------------------------
# Lexicon and state-forces matching


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "-_") and not (after.isalnum() or after in "_")


def _lexicon_hits(parsed: Parsed) -> list[_Hit]:
    lex = _lexicon()
    text = parsed.text
    sentences = parsed.sentences
    raw: list[_Hit] = []
    if not all(a.end <= b.start for a, b in pairwise(sentences)):
        for sentence in sentences:  # unordered or overlapping sentences (hand-made input): one at a time
            _exact_hits(text, lex, lex.exact.iter(text, sentence.start, sentence.end), [sentence], raw)
            _folded_hits(text, lex, sentence, [sentence], raw)
        return _resolve_coalitions(_longest(raw))
    # Each automaton runs once over the whole text (hand-written for measured speed: once per
    # sentence cost as much again); a match counts when one sentence holds it.
    _exact_hits(text, lex, lex.exact.iter(text), sentences, raw)
    _folded_hits(text, lex, None, sentences, raw)
    return _resolve_coalitions(_longest(raw))


def _holder(sentences: list[Sentence], starts: list[int], start: int, end: int) -> Sentence | None:
    """The sentence that holds text[start:end] (sentences in text order, disjoint)."""
    k = bisect_right(starts, start) - 1
    return sentences[k] if k >= 0 and end <= sentences[k].end else None


def _exact_hits(text: str, lex: _Lexicon, found: Iterator, sentences: list[Sentence], raw: list[_Hit]) -> None:
    """Acronyms and demonyms as written; a demonym counts when state forces follow it."""
    starts = [s.start for s in sentences]
    for end, (tag, value) in found:
        s, e = end + 1 - len(value.alias if tag == "actor" else value), end + 1
        sentence = _holder(sentences, starts, s, e)
        if sentence is None or not _bounded(text, s, e):
            continue
        if tag == "actor":
            if len(value.alias) <= 3 and _shouting(text, s, e):
                continue  # "THIS IS WHY": an all-caps line, not Islamic State
            raw.append(_hit(value, s, e))
        else:
            raw.extend(_state_forces(text, s, e, value, sentence.end, lex))


def _folded_hits(
    text: str, lex: _Lexicon, sentence: Sentence | None, sentences: list[Sentence], raw: list[_Hit]
) -> None:
    """Every other alias in the lower-cased text (of one sentence, or of all when ``sentence`` is None)."""
    if sentence is None:
        base, low = 0, lower_keep_length(text)
    else:
        base, low = sentence.start, lower_keep_length(text[sentence.start : sentence.end])
    starts = [s.start for s in sentences]
    for end, (_tag, entry) in lex.folded.iter(low):
        s, e = base + end + 1 - len(entry.alias), base + end + 1
        if _holder(sentences, starts, s, e) is None:
            continue
        # "Isis-held" is Isis, but "gang-raped" is no gang: classes of people need a full word.
        if _bounded(text, s, e) and (entry.organization or text[e : e + 1] != "-"):
            raw.append(_hit(entry, s, e))


_CAPS_WORD = re.compile(r"[A-Z]{2,}")


def _shouting(text: str, start: int, end: int) -> bool:
    """Is a short acronym set among all-caps words (a headline in capitals)?"""
    before = text[max(0, start - 12) : start].split()
    after = text[end : end + 12].split()
    near = [w.strip(".,:;!?'\"“”") for w in (before[-1:] + after[:1])]
    return any(_CAPS_WORD.fullmatch(w) and w not in _lexicon_acronyms() for w in near)


@lru_cache(maxsize=1)
def _lexicon_acronyms() -> frozenset[str]:
    """Acronyms that are names themselves: "UN OCHA", "US CENTCOM" are not shouting."""
    return frozenset(
        alias for row in _read("actors.tsv") for alias in (row + [""] * 5)[4].split("|") if _case_sensitive(alias)
    ) | frozenset(form for row in _read("countries.tsv") for form in (row + [""] * 3)[2].split("|") if form.isupper())


def _hit(entry: _Entry, start: int, end: int) -> _Hit:
    return _Hit(start, end, entry.name, entry.type, entry.country, entry.organization, entry.alias.lower())


def _state_forces(text: str, start: int, end: int, form: str, limit: int, lex: _Lexicon) -> list[_Hit]:
    m = _FORCE_TAIL.match(text, end, limit)
    if not m:
        return []
    kind = m.group("kind").lower()
    countries = [lex.countries[form]]
    second = m.group("second")
    if second and second in lex.countries:
        countries.append(lex.countries[second])  # "Iraqi and US forces": both
    elif second:
        return []
    hits = []
    for n, (iso2, country) in enumerate(countries):
        if kind in _POLICE or "police" in (m.group("mods") or "").lower():
            name, typ = f"Police Forces of {_of(country)}", "state_forces"
        elif kind in _GOVERNMENT or kind.startswith("ministry"):
            name, typ = f"Government of {_of(country)}", "government"
        else:
            name, typ = f"Military Forces of {_of(country)}", "state_forces"
        if n == 0:
            hits.append(_Hit(start, m.end(), name, typ, iso2, True))
        else:
            hits.append(_Hit(m.start("second"), m.end(), name, typ, iso2, True, paired=True))
    return hits


def _longest(hits: list[_Hit]) -> list[_Hit]:
    """Keep the longest of overlapping matches ("Islamic State group" over "Islamic State")."""
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[_Hit] = []
    end = -1
    for h in hits:
        if h.start < end and not h.paired:
            continue
        kept.append(h)
        end = max(end, h.end)
    return kept


def _resolve_coalitions(hits: list[_Hit]) -> list[_Hit]:
    current = _COALITIONS[0]
    for h in hits:
        if h.name in _COALITIONS and h.alias not in _BARE_COALITION:
            current = h.name
        elif h.alias in _BARE_COALITION and current != h.name:
            h.name = current
    return hits


# ---------------------------------------------------------------------------------------------
# Person and organisation names outside the lexicon

_ARTICLE_NAME = re.compile(r"(?:al|el|as|ash|ad|an|ar|at|az|ath|bin|ibn|abu|bani)-[A-Z]")
_CONNECTORS = {"of", "for", "and", "&", "the", "de", "du", "da", "al", "bin", "ibn", "on", "van", "von", "la", "le"}
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,4}(?:-[A-Z0-9]{1,5})*")
# Acronyms that name no organisation.
_NOT_ORG_ACRONYMS = {
    "IED", "IEDS", "IEDs", "VBIED", "VBIEDS", "UTC", "GMT", "AM", "PM", "TV", "ID", "DNA", "GDP", "CEO", "OK",
    "USD", "EUR", "AK-47", "RPG", "RPGS", "UAV", "UAVS", "KM", "MM", "II", "III", "IV", "VI", "VII", "HIV",
    "AIDS", "COVID", "COVID-19", "SUV", "PDF", "FAQ", "GPS", "BBC", "A", "I", "NEW", "THE", "AND", "UPDATE",
    "BREAKING", "PHOTO", "VIDEO", "ISBN", "URL", "HTML", "IDP", "IDPS", "IDPs", "MP", "MPS", "PR", "ET", "EST",
    "PST", "CET", "BST", "AD", "BC", "SMS", "NGO", "NGOS", "NGOs", "UK", "US", "USA", "UAE", "DRC", "EU",
}
_STOP = {
    "the", "a", "an", "in", "on", "at", "by", "for", "from", "to", "of", "and", "but", "or", "as", "if", "when",
    "while", "after", "before", "since", "during", "it", "its", "he", "she", "they", "we", "i", "you", "his",
    "her", "their", "our", "this", "that", "these", "those", "there", "here", "some", "many", "most", "more",
    "all", "no", "not", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "with",
    "without", "meanwhile", "however", "although", "though", "because", "so", "yet", "also", "then", "now",
    "earlier", "later", "today", "yesterday", "tomorrow", "last", "next", "each", "every", "both", "several",
    "according", "despite", "among", "about", "over", "under", "between", "into", "through", "across", "near",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "what", "who", "which", "where", "why", "how", "was", "were", "is", "are", "be", "been", "has", "have",
    "had", "do", "does", "did", "will", "would", "can", "could", "should", "must", "might", "shall",
    "initially", "fierce", "such", "other", "another", "any", "only", "even", "just", "still",
    "mr.", "mrs.", "ms.", "dr.",
}
_PERSON_PARTICLES = {"abu", "abdul", "abd", "abdel", "abdullah", "bin", "ibn", "umm", "sheikh"}
_HONORIFIC = {"mr.", "mrs.", "ms.", "dr.", "mr", "mrs", "ms", "dr", "sir", "dame", "lord", "lady"}


_NAME_WORD = r"(?:[A-Z][\w'’.\-]*|(?:al|el|as|ash|ad|an|ar|at|az|ath|bin|ibn|abu|bani)-[A-Z][\w'’.\-]*)"
_REGION = re.compile(
    rf"(?<![\w\-]){_NAME_WORD}(?:\s+(?:(?:of|for|and|&|the|de|du|da|al|bin|ibn|on|van|von|la|le)\s+)*{_NAME_WORD})*"
)


def _name_mentions(parsed: Parsed, taken: list[tuple[int, int]]) -> list[Mention]:
    text = parsed.text
    taken_at = _Covered(taken)
    people = _speakers(parsed)
    # Two passes: people named in full anywhere ("Gen. Joseph Votel") make a bare surname
    # elsewhere ("Votel said") a person too. Only a run whose reading looked up known people can
    # read differently in the second pass.
    # (mention, lookup, last, arabic, start, end, tokens): a reading to look up again at
    # start..end (``lookup``: its surname ``last`` and name particles ``arabic``), or the tokens of
    # a run overlapping lexicon matches to classify again (start, end: token indexes).
    first: list[_First] = []
    known_regions = _REGION_RUNS
    for sentence in parsed.sentences:
        # A sentence with no lexicon match in it needs no overlap test per run (hand-written for
        # measured speed, as the rest of this loop).
        clear = not taken_at.overlaps(sentence.start, sentence.end)
        # Only capitalised stretches are read: most of a sentence is lower-case prose.
        for region in _REGION.finditer(text, sentence.start, sentence.end):
            base = region.start()
            toks: list[_Tok] | None = None
            runs = known_regions.get(region.group())
            if runs is None:
                runs = _region_runs(region.group())
            for a, b, rel_start, rel_end, kind, label, last, arabic in runs:
                start, end = base + rel_start, base + rel_end
                if clear or not taken_at.overlaps(start, end):
                    if kind is None:
                        continue  # no mention, now or in the second pass
                    if kind is _LOOKUP:
                        # Nobody is known yet: a person by name particles only; read again later.
                        mention = Mention("person", start, end, text[start:end], _WEAK) if arabic else None
                        first.append((mention, True, last, arabic, start, end, None))
                    else:
                        mention = Mention(kind, start, end, text[start:end], label)
                        first.append((mention, False, None, False, 0, 0, None))
                else:
                    # The reading depends on where lexicon matches lie: tokenise and classify in full.
                    if toks is None:
                        toks = _tokens(text, base, region.end())
                    asked = _Asked()
                    mention = _leftover(text, toks, a, b, asked, taken_at)
                    first.append((mention, False, None, False, a, b, toks if asked.asked else None))
                if mention is not None and mention.kind == "person":
                    _remember(people, _strip_titles(mention.text), "strong" if mention.label is None else "speaker")
    return _read_again(text, first, people, taken_at)


def _read_again(text: str, first: list[_First], people: dict[str, str], taken: _Covered) -> list[Mention]:
    """The second pass: runs that looked up known people read again, now that all are known."""
    mentions: list[Mention] = []
    for mention, lookup, last, arabic, start, end, toks in first:
        if lookup:
            # ``_mention`` inlined (hand-written for measured speed: most names are looked up).
            surface = text[start:end]
            known = people.get(surface) or (people.get(last) if last is not None else None)
            if known:
                mention = Mention("person", start, end, surface, None if known == "strong" else _WEAK)
            elif not arabic:
                mention = None  # else the first pass's weak person stands
        elif toks is not None:
            mention = _classify(text, toks, start, end, people, taken)
        if mention is not None:
            mentions.append(mention)
    return mentions


def _speakers(parsed: Parsed) -> dict[str, str]:
    """Names that attribution cues give as speakers: people before any run is read."""
    people: dict[str, str] = {}  # surname or full name -> "person"
    countries = _lexicon().countries
    for sentence in parsed.sentences:
        for att in find_attributions(parsed, sentence):
            if att.kind == "name" and _person_like(att.name) and att.name not in countries:
                _remember(people, att.name, "speaker")
    return people


class _Reading(NamedTuple):
    """What a run of capitalised tokens is, as far as its own words tell (no document context).

    ``kind`` is a mention kind, None (no mention) or ``_LOOKUP``: a person only if the document
    names them elsewhere (``last``: the last token, looked up as a surname) or by name particles
    (``arabic``).
    """

    kind: str | None
    label: str | None = None
    last: str | None = None
    arabic: bool = False


_LOOKUP = "lookup"
_NOBODY: dict[str, str] = {}


# Capitalised regions recur across articles ("The", "Israeli", "Palestinian Ministry of Health"):
# their runs and each run's reading are computed once per process (hand-written for measured
# speed: tokenising and reading them was most of this stage). Bounded: cleared when full.
# A run is stored flat, its reading's fields after its offsets, in plain tuples of strings, ints and
# None: the garbage collector stops tracking those, where tens of thousands of cached readings
# (NamedTuples) made its full collections the largest cost of a first pass (measured).
_Run = tuple[int, int, int, int, str | None, str | None, str | None, bool]
_REGION_RUNS: dict[str, tuple[_Run, ...]] = {}
# A first-pass result (see ``_name_mentions``).
_First = tuple[Mention | None, bool, str | None, bool, int, int, list[_Tok] | None]
_PLAIN_WORD = re.compile(r"\w[\w'’\-]*")  # one token of attribution's token pattern, no inner full stop
_MAX_REGIONS = 50_000


def _region_runs(region: str) -> tuple[_Run, ...]:
    """(first token, last token, start, end, *reading) of each run, offsets relative to the region."""
    found = _REGION_RUNS.get(region)
    if found is None:
        if _PLAIN_WORD.fullmatch(region):
            found = _word_runs(region)
        else:
            # The token pattern looks at nothing outside its range: a region alone tokenises the same.
            toks = _tokens(region, 0, len(region), _NameTok)
            found = tuple((a, b, toks[a].start, toks[b].end, *_reading(toks, a, b)) for a, b in _runs(toks))
        if len(_REGION_RUNS) >= _MAX_REGIONS:
            _REGION_RUNS.clear()
        _REGION_RUNS[region] = found
    return found


def _word_runs(word: str) -> tuple[_Run, ...]:
    """``_runs`` and ``_reading`` of a region that is one plain word (most regions), unrolled.

    The word is one capitalised token (the region pattern starts it with a capital or "al-X"):
    it is a run unless a function word or a connector; then an acronym is an organisation, a
    toponym prefix nothing, and anything else a person only if the document names them.
    """
    low = word.lower()
    if (low in _STOP and low not in _HONORIFIC) or low in _CONNECTORS:
        return ()
    head = _unpossessive(low)
    if _ACRONYM.fullmatch(word) and word not in _NOT_ORG_ACRONYMS:
        reading = _WEAK_ORG
    elif head in _TOPONYM_PREFIXES or head in ("and", "&"):
        reading = _NONE
    else:
        reading = _Reading(_LOOKUP, None, word, False)
    return ((0, 0, 0, len(word), *reading),)


class _Asked(dict):
    """No people known yet, and a note of whether anyone asked (then the second pass must)."""

    asked = False

    def get(self, key, default=None):  # noqa: ANN001, ANN201 - dict's own signature
        self.asked = True
        return default


def _strip_titles(name: str) -> str:
    words = name.split()
    while len(words) > 1 and (words[0].lower() in TITLES or words[0].lower() in _HONORIFIC):
        words.pop(0)
    return " ".join(words)


def _person_like(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 5 and words[-1].lower() not in ORG_HEADS and not name.isupper()


def _remember(people: dict[str, str], name: str, strength: str) -> None:
    """Record a person's full name and surname; "strong" (titled, initialled) evidence wins."""
    last = _POSSESSIVE.sub("", name.split()[-1])
    for key in (name, last) if len(last) > 2 and last[:1].isupper() else (name,):
        if people.get(key) != "strong":
            people[key] = strength


class _Covered:
    """Is a span inside a lexicon match? Sorted intervals, checked by bisection."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, end - 1) - 1
        while i >= 0 and self.spans[i][0] < end:
            if self.spans[i][1] > start:
                return True
            i -= 1
            if i >= 0 and self.spans[i][1] <= start and self.spans[i][0] < start - 200:
                break
        return False


def _runs(toks: list[_Tok]) -> list[tuple[int, int]]:
    """Maximal runs of capitalised tokens joined by name connectors, as (first, last) indexes."""
    runs: list[tuple[int, int]] = []
    i = 0
    n = len(toks)
    while i < n:
        if not toks[i].cap or not toks[i].text[:1].isalpha():
            i += 1
            continue
        a = b = i
        j = i + 1
        while j < n:
            t = toks[j]
            if t.cap and t.text[:1].isalpha():
                b = j
            elif t.low in _CONNECTORS and j + 1 < n and toks[j + 1].cap and toks[j + 1].low not in _STOP:
                pass  # "Ministry of Interior", but not "Khan al-Sheih on Friday"
            else:
                break
            j += 1
        # Sentence-initial function words ("The", "In", "But") are not part of a name.
        while a <= b and (toks[a].low in _STOP) and toks[a].low not in _HONORIFIC:
            a += 1
        while a <= b and toks[a].low in _CONNECTORS:
            a += 1
        if a <= b:
            runs.extend(_split_coordination(toks, a, b))
        i = j
    return runs


def _split_coordination(toks: list[_Tok], a: int, b: int) -> list[tuple[int, int]]:
    """"Secretary Kerry and Defense Secretary Carter" is two names; "Ministry of Labour and
    Social Affairs" (an organisation head before or at the end) stays one."""
    if b - a < 2:
        return [(a, b)]  # no room for a coordination (most runs: one or two words)
    ands = [k for k in range(a + 1, b) if toks[k].low in ("and", "&")]
    last = _unpossessive(toks[b].low)
    if not ands or last in ORG_HEADS or toks[a].low in ORG_HEADS:
        return [(a, b)]
    parts, start = [], a
    for k in ands:
        parts.append((start, k - 1))
        start = k + 1
    parts.append((start, b))
    return parts


def _classify(
    text: str, toks: list[_Tok], a: int, b: int, people: dict[str, str], taken: _Covered
) -> Mention | None:
    start, end = toks[a].start, toks[b].end
    if taken.overlaps(start, end):
        return _leftover(text, toks, a, b, people, taken)
    return _mention(_reading(toks, a, b), start, end, text, people)


def _mention(reading: _Reading, start: int, end: int, text: str, people: dict[str, str]) -> Mention | None:
    """The mention a run makes in this document, given the people known so far."""
    kind = reading.kind
    if kind is None:
        return None
    if kind is not _LOOKUP:
        return Mention(kind, start, end, text[start:end], reading.label)
    surface = text[start:end]
    known = people.get(surface) or (people.get(reading.last) if reading.last is not None else None)
    if known:
        return Mention("person", start, end, surface, None if known == "strong" else _WEAK)
    if reading.arabic:
        return Mention("person", start, end, surface, _WEAK)
    return None


def _reading(toks: list[_Tok], a: int, b: int) -> _Reading:
    run = toks[a : b + 1]
    words = [_unpossessive(t.low) for t in run]
    if len(run) == 1 and _ACRONYM.fullmatch(run[0].text) and run[0].text not in _NOT_ORG_ACRONYMS:
        return _WEAK_ORG
    if not _person_shape(run, words):
        return _ORG if _org(run, words) else _NONE
    if _titled_person(run, words) or _initialled(run):
        return _PERSON
    if _org(run, words):
        return _ORG
    return _Reading(_LOOKUP, None, run[-1].text if len(run) <= 4 else None, _arabic_name(run, words))


_NONE = _Reading(None)
_ORG = _Reading("organization")
_PERSON = _Reading("person")


# Internal label of a name found on weak evidence (a speaker, a name particle): the places
# stage may veto it. Cleared before the mentions leave this module.
_WEAK = "weak"
_WEAK_ORG = _Reading("organization", _WEAK)


def _org(run: list[_Tok], words: list[str]) -> bool:
    return len(run) >= 2 and (words[-1] in ORG_HEADS or (words[0] in ORG_HEADS and words[1] in ("of", "for", "on")))


def _person_shape(run: list[_Tok], words: list[str]) -> bool:
    """Could this run name one person? Not "Tel Tamr", "al-Jadida and al-Qubaiba", "Kerry and Carter"."""
    if words[0] in _TOPONYM_PREFIXES or "and" in words or "&" in words:
        return False
    return not (len(run) >= 2 and run[0].text[:1].islower())  # "al-Yaqoubia ...": a place


def _arabic_name(run: list[_Tok], words: list[str]) -> bool:
    """"Abu Jandal al-Kuwaiti", "Sabah al-Numan": a name particle or a hyphenated article."""
    if not 2 <= len(run) <= 5 or words[-1] in ORG_HEADS:
        return False
    if words[0] in _TOPONYM_PREFIXES:
        return False  # "Ras al-Ain", "Tel Abyad", "Deir ez-Zor": places
    has_article = any(_ARTICLE_NAME.match(t.text) for t in run[1:])
    # "Abu Kamal", "Sheikh Maqsoud" are towns: a bare particle needs a third name or an article.
    if not has_article and not (words[0] in _PERSON_PARTICLES and len(run) >= 3):
        return False
    return all(t.cap or t.low in _CONNECTORS for t in run)


_TOPONYM_PREFIXES = {
    "tel", "tell", "tal", "tall", "ras", "jabal", "jebel", "jabel", "wadi", "deir", "dayr", "kafr", "kfar",
    "khirbet", "khirbat", "beit", "bayt", "bir", "ain", "ayn", "ein", "hay", "qasr", "bab", "nahr", "jisr",
    "marj", "arab", "saraya", "camp", "mount", "lake", "river", "port", "fort", "new", "north", "south",
    "east", "west", "upper", "lower", "al-", "mazraat", "mazraa", "qaryat", "hayy", "harat",
}


_POSSESSIVE = re.compile(r"['’]s?$")


def _unpossessive(word: str) -> str:
    """``_POSSESSIVE.sub("", word)`` for a token (no newline inside) without a regex call (hot path)."""
    if word[-2:] in ("'s", "’s"):
        return word[:-2]
    return word[:-1] if word[-1:] in ("'", "’") else word
# Titles that only people carry; "Army", "State", "Press" may sit inside a title but make none.
_PERSON_TITLES = TITLES - {
    "army", "navy", "air", "force", "state", "foreign", "defence", "defense", "interior", "health", "finance",
    "home", "press", "white", "house", "pentagon", "u.s.", "us", "un", "u.n.", "first", "class", "1st", "2nd",
    "3rd", "special", "senior", "staff", "field", "rear", "vice", "deputy", "executive", "majority", "minority",
    "police", "marine", "commanding", "petty", "warrant", "head", "chief", "leader",
}


def _titled_person(run: list[_Tok], words: list[str]) -> bool:
    """"Lt. Gen. Stephen J. Townsend", "Deputy Secretary of State Antony Blinken", "Mr. Obama"."""
    last = -1  # the last title word (a plain loop: this runs for every capitalised run)
    for k, w in enumerate(words):
        if w in TITLES or w in _HONORIFIC:
            last = k
    if last < 0 or last == len(run) - 1:
        return False
    if not any(w in _PERSON_TITLES or w in _HONORIFIC for w in words[: last + 1]):
        return False
    tail = run[last + 1 :]
    return 1 <= len(tail) <= 4 and all(t.cap for t in tail) and _unpossessive(tail[-1].low) not in ORG_HEADS


_INITIAL = re.compile(r"[A-Z]\.")


def _initialled(run: list[_Tok]) -> bool:
    """"Scott C. Dayton": a capitalised name with a middle initial."""
    return (
        3 <= len(run) <= 4
        and any(_INITIAL.fullmatch(t.text) for t in run[1:-1])
        and all(t.text[:1].isupper() for t in run)  # "Israel S. of Masyaf" is no name
    )


def _leftover(
    text: str, toks: list[_Tok], a: int, b: int, people: dict[str, str], taken: _Covered
) -> Mention | None:
    """A run that contains a lexicon match may still hold a name: "Gen. X of Isis" -> "Gen. X"."""
    k = a
    while k <= b:
        if taken.overlaps(toks[k].start, toks[k].end):
            k += 1
            continue
        j = k
        while j + 1 <= b and not taken.overlaps(toks[j + 1].start, toks[j + 1].end):
            j += 1
        while j > k and toks[j].low in _CONNECTORS:
            j -= 1
        if toks[k].cap and toks[k].low not in _CONNECTORS:
            mention = _classify(text, toks, k, j, people, taken)
            if mention is not None:
                return mention
        k = j + 1
    return None

