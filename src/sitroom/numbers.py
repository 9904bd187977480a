"""Quantities: numbers in running text with offsets and UCDP-style low/best/high bounds.

A quantity is a number phrase ("850,000", "1.5 million", "two", "a dozen", "dozens",
"hundreds of thousands", "several") with the hedge written in front of it ("up to", "more than",
"around") or after it ("or more"), read into bounds:

| written                                        | low  | best | high | qualifier            |
| ---------------------------------------------- | ---- | ---- | ---- | -------------------- |
| "850,000", "two", "a dozen"                    | N    | N    | N    | None                 |
| "up to / as many as / fewer than / less than / | None | None | N    | as written           |
|  no more than / at most / under N"             |      |      |      | ("fewer than" -> N,  |
|                                                |      |      |      |  not N-1)            |
| "more than / over / at least / upwards of /    | N    | None | None | as written           |
|  no fewer than / N or more / N+"               |      |      |      |                      |
| "around / about / an estimated / nearly /      | None | N    | None | as written           |
|  almost / approximately / roughly / some N"    |      |      |      |                      |
| "8-12", "between 8 and 12", "8 to 12"          | 8    | None | 12   | "between" or None    |
| vague words: see ``VAGUE``                     | lit. | None | max  | None                 |

Vague words (``VAGUE``) take their *literal* low bound: a plural of a unit means at least two of
them ("hundreds" >= 200, "thousands" >= 2,000, "hundreds of thousands" >= 200,000), and the high
bound is the last number before the next unit (999, 9,999, 999,999). This makes "up to 100,000
civilians" and "hundreds of thousands of civilians" disjoint, so a contradiction between them is
detected. ACLED's conservative count (the number a fatality total adds) is kept separately in
``Quantity.count``: the unit itself ("hundreds" 100, "dozens" 12, "thousands" 1,000) and 3 for
"several"/"some"/"a few" (as ACLED codes "several fatalities").

Not quantities (rejected here, whatever the caller): ordinals and unit names ("9th armoured
division"), durations ("nine months", "three weeks"), distances and measures ("some 25
kilometres"), percentages, money, ages ("36-year-old", "aged 36"), caption numbering ("1/22"),
times ("12:45", "5 pm"), years and days of dates ("7 May 2020", "in 2014"), fractions ("more
than a third" is never matched: "third" is not a cardinal), alphanumeric codes ("M4", "COVID-19").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import methodcaller

import ahocorasick

from .textmatch import lower_keep_length

# word -> (literal low, high, ACLED conservative count). One table for every vague quantity.
VAGUE: dict[str, tuple[int, int | None, int]] = {
    "a few": (2, 9, 3),
    "few": (2, 9, 3),
    "several": (3, 9, 3),
    "some": (2, None, 3),  # only before a plural noun ("some fighters"); "some 25" is a hedge
    "a number of": (2, None, 3),
    "numerous": (2, None, 3),
    "multiple": (2, None, 3),
    "a handful of": (2, 9, 3),
    "a couple of": (2, 3, 2),
    "dozens": (24, 99, 12),
    "scores": (40, 999, 20),
    "tens": (20, 99, 10),
    "several dozen": (36, 99, 36),
    "a few dozen": (24, 99, 24),
    "hundreds": (200, 999, 100),
    "several hundred": (300, 999, 300),
    "a few hundred": (200, 999, 200),
    "thousands": (2000, 9999, 1000),
    "several thousand": (3000, 9999, 3000),
    "a few thousand": (2000, 9999, 2000),
    "tens of thousands": (20000, 99999, 10000),
    "dozens of thousands": (24000, 99999, 12000),
    "hundreds of thousands": (200000, 999999, 100000),
    "millions": (2000000, 9999999, 1000000),
    "several million": (3000000, 9999999, 3000000),
    "tens of millions": (20000000, 99999999, 10000000),
    "hundreds of millions": (200000000, 999999999, 100000000),
}

# hedge as written (lower case, single spaces) -> which bound the number sets
_HEDGE_HIGH = ("up to", "as many as", "fewer than", "less than", "no more than", "not more than", "at most",
               "under", "a maximum of", "just under", "maximum")
_HEDGE_LOW = ("more than", "over", "at least", "upwards of", "in excess of", "no fewer than", "no less than",
              "not less than", "a minimum of", "just over", "well over", "above", "a minimum", "minimum of")
_HEDGE_BEST = ("around", "about", "an estimated", "estimated", "nearly", "almost", "approximately",
               "roughly", "some", "close to", "approx.", "an approximate", "circa", "perhaps", "possibly",
               "reportedly", "approximately")
_HEDGES = {**{h: "high" for h in _HEDGE_HIGH}, **{h: "low" for h in _HEDGE_LOW},
           **{h: "best" for h in _HEDGE_BEST}}

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}


def alternation(words: Iterable[str]) -> str:
    """Regex alternation of lower-case phrases, longest first, spaces matching any white space.

    Written as a trie ("kill(?:ed|ing|)" rather than "killed|killing|kill"): it matches exactly
    what the flat longest-first list matches, in the same order of preference (two phrases that
    match at one place are a prefix of each other, and the longer is tried first), but the regex
    engine tests each character once instead of once per phrase: about ten times faster on a
    few hundred nouns (hand-written for measured speed)."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word.lower():
            node = node.setdefault(char, {})
        node[""] = {}  # a phrase ends here
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, dict]) -> str:
    branches = [(r"\s+" if char == " " else re.escape(char)) + _trie_pattern(child)
                for char, child in sorted(node.items()) if char]
    if "" in node:
        branches.append("")  # ending here is tried last: longer phrases first
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


_UNIT_RE = alternation(list(_UNITS))
_SCALE_RE = alternation(list(_SCALES))
# "twenty-five", "one hundred and fifty", "two thousand five hundred", "a hundred"
_WORDNUM = (
    rf"(?:(?:a|an|{_UNIT_RE})(?:[\s-]+(?:{_SCALE_RE}))"
    rf"|(?:{_UNIT_RE}))"
    rf"(?:(?:(?<=hundred)\s+and\s+|(?<=thousand)\s+and\s+|[\s-]+)(?:{_UNIT_RE}|{_SCALE_RE})\b)*"
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?![\d,]\d)|\d+(?:\.\d+)?)(?:\s*(?:million|billion|thousand)\b)?"
_DOZEN = r"(?:half\s+a|a|one|two|three|four|five|a\s+couple\s+of)\s+dozen"
_VAGUE_RE = (alternation([w for w in VAGUE if w != "some"])
             + r"|some(?=\s+[a-z])(?!\s+(?:of|other|more|time|kind|way)\b)")
_BOTH = r"both"
_NUM = rf"(?:{_DIGITS}|{_DOZEN}|{_WORDNUM})"
_HEDGE_RE = alternation(list(_HEDGES))

_QUANTITY = re.compile(
    rf"""(?<![\w$£€#@/.,:-])
    (?:
        (?P<lowhedge>at\s+least|more\s+than|over|no\s+fewer\s+than)\s+(?P<l1>{_NUM})\s*,?\s+(?:and|but|or)\s+
            (?:possibly\s+|perhaps\s+)?(?P<highhedge>up\s+to|as\s+many\s+as)\s+(?P<l2>{_NUM})
    |
    (?:(?P<hedge>{_HEDGE_RE})\s+)?
    (?:
        (?P<between>between)\s+(?P<b1>{_NUM})\s*(?:and|-|–|to)\s*(?P<b2>{_NUM})
      | (?:from\s+)?(?P<r1>{_NUM})(?:(?<=\d)\s*[-–—]|\s+to)\s*(?P<r2>{_NUM})
      | (?P<num>{_NUM})
      | (?P<vague>{_VAGUE_RE})(?![\w-])
      | (?P<both>{_BOTH})
    ))
    (?P<suffix>\s+or\s+more|\+|-plus)?
    (?![\w/]|[.,:]\d)""",
    re.I | re.X,
)

# What follows a number that makes it a measure, a duration, an age, a date or an ordinal
# ("5 km", "3 weeks", "12%", "7 May", "36 years old"); a plural "s" may follow each word.
_MEASURES = (
    "second", "minute", "hour", "day", "night", "week", "month", "year", "decade", "century", "centurie", "time",
    "round", "year-old", "km", "kilometer", "kilometre", "mile", "meter", "metre", "m", "cm", "mm", "feet", "foot",
    "ft", "yard", "inch", "kg", "kilo", "kilogram", "gram", "ton", "tonne", "lb", "pound", "litre", "liter", "gallon",
    "barrel", "hectare", "acre", "square", "sq", "degree", "percent", "per cent", "pct", "percentage", "dollar",
    "euro", "rupee", "naira", "shilling", "dinar", "lira", "riyal", "yuan", "usd", "eur", "gbp", "point", "vote",
    "seat", "storey", "floor", "page", "bn", "mph", "km/h", "hp", "mw", "kw", "times", "o'clock", "gmt", "utc", "am",
    "pm", "a.m", "p.m", "bc", "ad", "bce",
)
_MONTHS = ("jan", "january", "feb", "february", "march", "mar", "april", "apr", "may", "jun", "june", "jul", "july",
           "aug", "august", "sep", "sept", "sepember", "september", "oct", "october", "nov", "november", "dec",
           "december")
# Only ever asked yes or no, so the word lists can be tries (``alternation``).
_NOT_AFTER = re.compile(
    r"\s*(?:-|–)?\s*(?:(?:" + alternation(_MEASURES) + r")s?\b|%|(?:" + alternation(_MONTHS) + r")\b"
    r"|years?\s+old|years?\s+of\s+age|(?:of|in)\s+(?:the|a)\s+(?:top|best))",
    re.I,
)

# Words right before digits that make them no count: months, ages, labels of units and sections,
# currencies, "since"/"until" ("in May 2014", "aged 36", "Brigade 5", "$ 5", "size=3").
_LABELS = (
    "age", "aged", "no.", "number", "resolution", "article", "page", "chapter", "route", "highway", "road", "flight",
    "room", "unit", "brigade", "division", "battalion", "regiment", "platoon", "squadron", "corps", "zone", "sector",
    "area", "grade", "class", "phase", "level", "size", "rank", "category", "section", "paragraph", "verse", "line",
    "gate", "rs", "rs.", "usd", "us$", "eur", "gbp", "since", "until", "till", "$", "£", "€", "¥", "₹",
)
# Whether "(?:month\.?|label|size\s*=)\s*$" is found in the text before a number, tested as one
# anchored match on that text reversed instead of a search from each of its 20 characters
# (hand-written for measured speed: it was the costliest test of a quantity).
# A word label must be a whole word ("Rs 5", not "rangers 5"; "aged 36", not "engaged 36"): in the
# reversed text no letter may follow it. Symbol labels ("$", "£") need no such boundary ("US$5").
_NOT_BEFORE_REVERSED = re.compile(
    r"\s*(?:\.?(?:" + alternation(w[::-1] for w in _MONTHS) + r")(?![^\W\d_])|"
    + alternation(w[::-1] for w in _LABELS if w[0].isalpha()) + r"(?![^\W\d_])|"
    + alternation(w[::-1] for w in _LABELS if not w[0].isalpha()) + r"|=\s*ezis)",
    re.I,
)
# "one another", "no one", "the one": pronoun uses of "one"
_ONE_PRONOUN_AFTER = re.compile(r"\s+(?:another|day|side|hand|way|or|thing|more|time)\b", re.I)
_ONE_PRONOUN_BEFORE = re.compile(r"\b(?:no|the|any|every|each)\s*$", re.I)
_YEAR_COUNTED = re.compile(r"\s+(?:[a-z]+s|people|children|men|women|police|personnel)\b")
_YEARLIKE = re.compile(r"^(?:1[89]|20)\d\d$")
_PREP_YEAR = re.compile(r"(?:\b(?:in|since|of|until|till|by|from|during|before|after|early|late|mid|and|to|"
                        r"summer|winter|spring|autumn|fall|year|the)\s*-?)$", re.I)


# "\d\d*", not "\d+": a pattern opening with a character class lets the regex engine skip to the
# next digit in a tight C loop (40% faster over a whole text; measured hot).
_DIGIT_RUN = re.compile(r"\d\d*")
# Words a quantity phrase can start with; "a"/"an" only before the words that make them a number.
_TRIGGERS = frozenset(
    {w.split()[0].lower() for w in (*_HEDGES, *_UNITS, *VAGUE, "half", "both", "between", "from", "some")}
    - {"a", "an"}
    | {f"{article} {word}" for article in ("a", "an") for word in (
        "hundred", "thousand", "million", "billion", "dozen", "few", "number", "couple", "handful", "maximum",
        "minimum", "estimated", "approximate")}
)




def _opener_phrases() -> dict[str, set[str]]:
    """Trigger words that only open longer phrases ("at" of "at least", "in" of "in excess of",
    "up" of "up to"), each with the words that may come next. Built from the phrase lists, so a
    new hedge cannot be missed."""
    phrases = {" ".join(p.split()) for p in (*_HEDGES, *VAGUE, "half a dozen")}
    whole = {p for p in phrases if " " not in p} | set(_UNITS) | {"both", "between", "from", "some"}
    nexts: dict[str, set[str]] = {}
    for phrase in phrases:
        first, _, rest = phrase.partition(" ")
        if rest and first not in whole and first in _TRIGGERS:
            nexts.setdefault(first, set()).add(rest.split()[0])
    return nexts


_OPENERS = _opener_phrases()
# An opener without its next word: ``_QUANTITY`` cannot match there.
_HOPELESS = re.compile(
    rf"(?:{alternation(_OPENERS)})(?!\w)(?!\s+(?:{alternation(set().union(*_OPENERS.values()))}))", re.I)
# Openers are most raw hits of a plain trigger automaton ("in", "at", "as" inside "into", "that",
# "was"): this one holds each opener with its next word after one space instead, and each opener
# before any other white space ("at\nleast", "up  to"; then the next word is not checked here).
# A third of the hits, for the same quantities (hand-written for measured speed).
_PHRASE_TRIGGERS = (_TRIGGERS - set(_OPENERS)) | {f"{word} {nxt}" for word, nexts in _OPENERS.items() for nxt in nexts}
_OTHER_SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace() and c != 32]
_ODD_GAPS = [*_OTHER_SPACES, *(f" {space}" for space in (" ", *_OTHER_SPACES))]  # any run but one " "
# The only characters a case-insensitive regex takes for ASCII letters ("ſ" for "s", "K" for "k")
# or whose lower case is longer ("İ"): a text with one of them is read with every trigger word.
CASE_ODD = ("\u0130", "\u0131", "\u017f", "\u212a")


def _automaton(words: Iterable[str], open_end: Iterable[str] = ()) -> ahocorasick.Automaton:
    """Words (a word boundary checked after them) and ``open_end`` entries (none checked), each
    with its length, so a hit at ``end`` starts at ``end - length + 1``."""
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, (len(word), True))
    for entry in open_end:
        automaton.add_word(entry, (len(entry), False))
    automaton.make_automaton()
    return automaton


@lru_cache(maxsize=1)
def _trigger_automaton() -> ahocorasick.Automaton:
    """Built once per process (a few hundred words)."""
    return _automaton(_TRIGGERS)


@lru_cache(maxsize=1)
def _phrase_automaton() -> ahocorasick.Automaton:
    return _automaton(_PHRASE_TRIGGERS, (opener + gap for opener in _OPENERS for gap in _ODD_GAPS))


def quantity_starts(text: str, start: int = 0, end: int | None = None, lowered: str | None = None) -> list[int]:
    """Offsets where a quantity may start: digit runs and whole trigger words, in text order.

    ``lowered``: ``text[start:end].lower()`` when the caller already has it."""
    end = len(text) if end is None else end
    low = lower_keep_length(text[start:end]) if lowered is None else lowered
    found = list(map(_START, _DIGIT_RUN.finditer(low)))
    if any(char in text for char in CASE_ODD):
        found += [at for at in _word_hits(low, _trigger_automaton()) if not _HOPELESS.match(text, start + at, end)]
    else:
        found += _word_hits(low, _phrase_automaton())
    found.sort()
    return [start + at for at in found] if start else found


def _word_hits(low: str, automaton: ahocorasick.Automaton) -> list[int]:
    """Where the automaton's entries start in ``low`` after a word boundary (and end before one)."""
    found: list[int] = []
    append, size = found.append, len(low)
    for last, (length, bounded) in automaton.iter(low):
        first = last - length + 1
        if (first == 0 or not low[first - 1].isalnum()) and \
                (not bounded or last + 1 == size or not low[last + 1].isalnum()):
            append(first)
    return found


_START = methodcaller("start")


def quantity_and_word_starts(text: str, lowered: str, words: tuple[str, ...]) -> tuple[list[int], list[int]]:
    """``quantity_starts(text, lowered=lowered)`` and where each of ``words`` starts in ``lowered``
    after no letter (no boundary checked after it), sorted: both from one pass of one automaton
    instead of two passes over the whole text (hand-written for measured speed)."""
    if any(char in text for char in CASE_ODD):
        stems = _automaton((), words)
        return quantity_starts(text, lowered=lowered), sorted(
            last - length + 1 for last, (length, _) in stems.iter(lowered)
            if last - length + 1 == 0 or not lowered[last - length].isalpha())
    found = list(map(_START, _DIGIT_RUN.finditer(lowered)))
    starts: list[int] = []
    add_found, add_start, size = found.append, starts.append, len(lowered)
    for last, (length, bounded, other) in _phrase_automaton_with(words).iter(lowered):
        first = last - length + 1
        before = lowered[first - 1] if first else ""
        if bounded is not None and not before.isalnum() and \
                (not bounded or last + 1 == size or not lowered[last + 1].isalnum()):
            add_found(first)
        if other and not before.isalpha():
            add_start(first)
    found.sort()
    starts.sort()
    return found, starts


@lru_cache(maxsize=4)
def _phrase_automaton_with(words: tuple[str, ...]) -> ahocorasick.Automaton:
    """``_phrase_automaton``'s entries, valued (length, bounded, in ``words``), and ``words``
    (bounded None when not an entry of the phrase automaton)."""
    entries: dict[str, tuple[int, bool | None, bool]] = {
        word: (length, bounded, False) for word, (length, bounded) in _phrase_automaton().items()
    }
    for word in words:
        length, bounded, _ = entries.get(word, (len(word), None, True))
        entries[word] = (length, bounded, True)
    automaton = ahocorasick.Automaton()
    for word, value in entries.items():
        automaton.add_word(word, value)
    automaton.make_automaton()
    return automaton


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int  # the whole phrase, hedge included
    end: int
    num_start: int  # the number itself
    num_end: int
    low: int | None
    best: int | None
    high: int | None
    count: int  # ACLED's conservative count of what the phrase reports
    qualifier: str | None  # the hedge as written ("up to", "around", "or more", "between")
    vague: bool  # from a vague word ("dozens", "several"), not a number
    article: bool = False  # the number is "both" (a determiner, only a figure right before a noun)


_DIGITS_PHRASE = re.compile(r"(\d+(?:\.\d+)?)\s*(million|billion|thousand)?")
_DOZEN_PHRASE = re.compile(r"(half\s+a|a|one|two|three|four|five|a\s+couple\s+of)\s+dozen")
_TOKEN_BREAK = re.compile(r"[\s-]+")


def words_to_int(phrase: str) -> int | None:
    """ "twenty-five" -> 25, "one hundred and fifty" -> 150, "a hundred" -> 100, "1.5 million" -> 1500000."""
    text = phrase.lower().replace(",", "")
    digits = _DIGITS_PHRASE.fullmatch(text)
    if digits:
        value = float(digits.group(1)) * _SCALES.get(digits.group(2) or "", 1)
        return int(round(value)) if value == int(value) or digits.group(2) else None
    dozen = _DOZEN_PHRASE.fullmatch(text)
    if dozen:
        head = " ".join(dozen.group(1).split())
        return {"half a": 6, "a": 12, "one": 12, "a couple of": 24}.get(head) or _UNITS[head] * 12
    total, current = 0, 0
    for token in _TOKEN_BREAK.split(text):
        if token in ("and", ""):
            continue
        if token in ("a", "an"):
            current = 1
        elif token in _UNITS:
            current += _UNITS[token]
        elif token == "hundred":
            current = max(current, 1) * 100
        elif token in _SCALES:
            total += max(current, 1) * _SCALES[token]
            current = 0
        else:
            return None
    return total + current


def find_quantities(text: str, start: int = 0, end: int | None = None,
                    starts: list[int] | None = None) -> list[Quantity]:
    """Every quantity in ``text[start:end]``; offsets are into ``text``.

    ``starts`` (from ``quantity_starts`` over the whole text, computed once per document) saves
    the trigger scan when a caller reads many sentences of one text."""
    end = len(text) if end is None else end
    # The big pattern is tried only where a quantity can start (a digit or a trigger word found
    # by Aho-Corasick): ~10x faster than letting the regex engine try it at every character.
    if starts is None:
        candidates = quantity_starts(text, start, end)
        return _quantities_at(text, candidates, 0, len(candidates), start, end)
    return _quantities_at(text, starts, bisect_left(starts, start), bisect_left(starts, end), start, end)


def find_quantities_per_span(text: str, spans: Iterable[tuple[int, int]], starts: list[int]) -> list[list[Quantity]]:
    """``[find_quantities(text, start, end, starts) for start, end in spans]``: for a caller
    reading every sentence of a document, where a span with no quantity start costs two
    bisections and no slice of ``starts`` (measured hot)."""
    return [_quantities_at(text, starts, bisect_left(starts, start), bisect_left(starts, end), start, end)
            for start, end in spans]


def _quantities_at(text: str, starts: list[int], first: int, stop: int, start: int, end: int) -> list[Quantity]:
    """The quantities matched at ``starts[first:stop]`` (no slice made) inside [start, end)."""
    found: list[Quantity] = []
    last = start
    match_at = _QUANTITY.match
    for i in range(first, stop):
        pos = starts[i]
        if pos < last:
            continue
        match = match_at(text, pos, end)
        if match is None:
            continue
        last = match.end()
        quantity = _read(text, match, end)
        if quantity is not None:
            found.append(quantity)
    return found


def parse_quantity(phrase: str) -> Quantity | None:
    """The first quantity of a short phrase (convenience for callers and tests)."""
    found = find_quantities(phrase)
    return found[0] if found else None


def _rejected(text: str, match: re.Match[str], stop: int, number: str, num: str | None,
              hedge: str | None) -> bool:
    """Measures, durations, dates, ages, codes: numbers that are not counts of anything.

    ``number``: the first number of the phrase ("" for a vague word), ``num`` the single number
    (None for ranges), ``hedge`` the hedge as written. The text after the phrase is matched in
    place (pos/endpos) and the text before it sliced only when a test needs it (measured hot)."""
    end = match.end()
    limit = min(stop, end + 30)  # "after": the next 30 characters of the sentence
    if _NOT_AFTER.match(text, end, limit):
        return True
    start = match.start()
    if hedge is None and number and number[0].isdigit() and \
            _NOT_BEFORE_REVERSED.match(text[max(0, start - 20) : start][::-1]):
        # "at 5", "in 2014", "on 7 May", "aged 36", "$ 5": digits after these are not counts
        # (a hedge in front, "at least 5", is handled by the hedge itself).
        return True
    if num and _YEARLIKE.match(num):
        # "2014" is a year unless a plural noun follows it ("2014 people").
        return bool(_PREP_YEAR.search(text[max(0, start - 20) : start])) or not _YEAR_COUNTED.match(text, end, limit)
    # "one of the ...", "no one", "one another", "the one": pronoun uses of "one". (An age, "36-year-
    # old", is one of ``_NOT_AFTER``'s measures followed by a dash or a space: rejected above.)
    return len(number) == 3 and number.lower() == "one" and bool(
        _ONE_PRONOUN_AFTER.match(text, end, limit) or _ONE_PRONOUN_BEFORE.search(text[max(0, start - 20) : start]))


def _read(text: str, match: re.Match[str], stop: int) -> Quantity | None:
    # All groups in one call, each tested once (measured hot: one call per candidate number).
    num, r1, b1, l1, hedge_raw, suffix, both, vague = match.group(
        "num", "r1", "b1", "l1", "hedge", "suffix", "both", "vague")
    if _rejected(text, match, stop, num or r1 or b1 or l1 or "", num, hedge_raw):
        return None
    hedge = " ".join(hedge_raw.lower().split()) if hedge_raw else None
    if r1 or b1 or l1:
        return _range(match)
    if both:
        if hedge:
            return None
        return Quantity(match.start(), match.end(), match.start("both"), match.end("both"), 2, 2, 2, 2, None,
                        False, article=True)
    if vague:
        word = " ".join(vague.lower().split())
        low, high, count = VAGUE[word]
        value_low, value_high = low, high
        if hedge and _HEDGES[hedge] == "high":
            value_low = None
        elif hedge and _HEDGES[hedge] == "low":
            value_high = None
        return Quantity(match.start(), match.end(), match.start("vague"), match.end("vague"), value_low, None,
                        value_high, count, hedge_raw, True)
    if num.isdecimal():
        value = _plain_int(num)
    else:  # one number word ("two") is what ``words_to_int`` reads it as, without its regexes
        value = _UNITS.get(num.lower())
        if value is None:
            value = words_to_int(" ".join(num.split()))
    if value is None:
        return None
    kind = "low" if suffix else _HEDGES.get(hedge or "", "exact")
    if kind == "exact":
        low, best, high = value, value, value
    elif kind == "high":
        low, best, high = None, None, value
    elif kind == "low":
        low, best, high = value, None, None
    else:
        low, best, high = None, value, None
    qualifier = " ".join(p for p in (hedge_raw, suffix.strip() if suffix else None) if p) or None
    return Quantity(match.start(), match.end(), match.start("num"), match.end("num"), low, best, high, value,
                    qualifier, False)


def _plain_int(digits: str) -> int | None:
    """``words_to_int`` of a plain run of digits, without its regexes (measured hot: most numbers
    are such runs). Beyond 15 digits ``words_to_int`` goes through a float, so it reads those."""
    return int(digits) if len(digits) <= 15 else words_to_int(digits)


def _range(match: re.Match[str]) -> Quantity | None:
    first, second = ("b1", "b2") if match.group("b1") else ("l1", "l2") if match.group("l1") else ("r1", "r2")
    a = words_to_int(" ".join(match.group(first).split()))
    b = words_to_int(" ".join(match.group(second).split()))
    if a is None or b is None:
        return None
    if b <= a:
        # "1-0" is a score, "2 and 1" two numbers; only an increasing pair is a range
        return None
    qualifier = match.group("between") or match.group("hedge")
    if match.group("l1"):  # "at least 27 and up to 30": both hedges as written
        qualifier = " ".join((f"{match.group('lowhedge')} ... {match.group('highhedge')}").split())
    return Quantity(match.start(), match.end(), match.start(first), match.end(second), a, None, b, a, qualifier, False)
