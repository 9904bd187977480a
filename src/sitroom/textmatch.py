"""Fast matching of large phrase alternations (lexicons of triggers, dates, cues) over text."""

from __future__ import annotations

import re
import re._constants as _c
import re._parser as _sre_parser
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate
from typing import Any, NamedTuple

import ahocorasick

try:  # the third-party ``regex`` (a trafilatura/dateparser dependency) can tell a possible match start
    import regex as _regex
except ImportError:  # pragma: no cover - without it every word is tried, which is only slower
    _regex = None


class GatedPattern:
    """A big alternation run only at word starts where a match can begin.

    Python's ``re`` tries every alternative at every position, which costs ~0.5 s per MB for a
    lexicon of a few hundred phrases. A slice of text is cut into word pairs (each word with the
    character after it) in C (``findall`` + set operations, shared by every pattern run on the same
    slice); the full pattern runs only at word starts where a pair occurs that may begin a match.

    Which pairs may begin one is decided, as it always was, by a partial match of the same pattern
    (``regex``'s ``partial=True``: could a match start with these characters?): a word start is
    tried when one of the pairs found there passes it. That test costs ~50-100 µs a word, and a
    stream of new documents brings thousands of new words, so it is asked as late as possible
    (hand-written for measured speed): a new pair is first filtered in C by the literal prefixes
    a match can begin with (``literal_prefixes``, a sound superset); the full pattern is then tried
    wherever a passing pair occurs, and the partial match is asked only where the full pattern
    matched and the match itself does not already prove it passes (``_matched_ok``), or for a pair
    that keeps failing (then, when it fails the partial match too, it is no longer tried). The
    result is exactly that of trying the full pattern where the partial match passes.

    Every alternative of the pattern must start at a word start and begin with a word character.
    ``GatedPattern.of_groups`` builds the pattern from named groups and also tries, at a word, only
    the alternatives that can begin with its first letter.
    """

    _PAIR = re.compile(r"\w+(?:\W|\Z)")
    _LIMIT = 500_000  # bounded caches: a pathological stream cannot grow them forever
    _MISSES = 4  # a partial match costs about as much as fifteen failed full matches

    def __init__(self, pattern: str, flags: int = 0, *, by_letter: dict[str, re.Pattern[str]] | None = None,
                 behind: frozenset[str] | None = None) -> None:
        self.regex = re.compile(pattern, flags)
        self._partial = _regex.compile(pattern, flags) if _regex is not None else None
        self._ok: set[str] = set()
        self._bad: set[str] = set()
        self._fold = bool(self.regex.flags & re.IGNORECASE)
        self._prefixes = literal_prefixes(pattern, flags)
        if self._prefixes is not None and _has_flag_groups(list(_sre_parser.parse(pattern, flags))):
            self._fold = True
        # The alternatives that can begin with each (lower-cased) first letter, as ``of_groups``
        # cuts them: at a position the first alternative that matches wins and one that cannot
        # begin there never does, so the match is the same while ``re`` tries a few of them.
        self._by_letter = by_letter or {}
        # Groups with a positive lookbehind, which an isolated word pair cannot satisfy: there a
        # match alone does not prove the partial match passes (None: any group, when unknown).
        if behind is None and "(?<=" not in pattern:
            behind = frozenset()
        self._behind = behind
        # A new pair passes when its first characters may begin a match: a trie-shaped regex of the
        # prefixes cut at their first non-word mark tests it in C. A pair that is all word (``\w+\Z``)
        # ends the slice: it may be the beginning of a match cut off there, and is also looked for
        # at the start of longer words (see ``finditer``).
        keys = {key.split(_NON_WORD, 1)[0] + (_NON_WORD if _NON_WORD in key else "")
                for key in self._prefixes.keys} if self._prefixes is not None else {""}
        self._prefix = re.compile(trie_regex(keys) + r"|\w+\Z", re.I) if "" not in keys else None
        # The pairs that may begin a match, with the (cut) pattern tried where they occur.
        self._pass: dict[str, re.Pattern[str]] = {}
        self._misses: dict[str, int] = {}  # pair -> times the full pattern failed where it occurs
        # Every new pair is filtered once, for every pattern alive, when ``word_pairs`` first cuts
        # it; a pattern made later filters those already cut.
        _GATES.add(self)
        self._learn(set(_SEEN))

    @classmethod
    def of_groups(cls, groups: list[tuple[str, str]], template: str, flags: int = 0) -> GatedPattern:
        """The alternation of ``template.format(name=name, pat=pat)`` for every (name, pat) group,
        with the alternatives cut by first letter (see ``by_first_letter``)."""
        pattern = "|".join(template.format(name=name, pat=pat) for name, pat in groups)
        behind = frozenset(name for name, pat in groups if "(?<=" in template.format(name=name, pat=pat))
        return cls(pattern, flags, by_letter=by_first_letter(groups, template, flags), behind=behind)

    def _cannot_start(self, pair: str) -> bool:
        """True when no match can begin with this word (its first characters start no match)."""
        prefixes = self._prefixes
        if prefixes is None:
            return False
        head = pair[: prefixes.k]
        if not head.isascii():
            return False  # non-ASCII letters may case-fold to ASCII ones: ask the partial match
        # Lower-cased if the pattern folds, the non-word character marked (in C: this runs for
        # every new word, hand-written for measured speed).
        head = head.translate(_FOLD_MARK if self._fold else _MARK)
        if len(head) >= 4:
            # Most words fail on their first four characters: set tests, no call (unrolled).
            open1, open2, open3, four = prefixes.first
            if not (head[:1] in open1 or head[:2] in open2 or head[:3] in open3 or head[:4] in four):
                return True
        # How far the word follows the trie of prefixes: all the way, it begins (or is) one of
        # them; else one of them may end on the way ("is" then anything, for "israel").
        depth = prefixes.trie.longest_prefix(head)
        if depth == len(head):
            return False
        return depth == 0 or prefixes.keys.isdisjoint(map(head.__getitem__, _HEADS[:depth]))

    @property
    def prefixes(self) -> _Prefixes | None:
        """What a match can begin with (None: anything), as ``literal_prefixes`` reads the pattern."""
        return self._prefixes

    def passes(self, pair: str) -> bool:
        """Whether a match may start with this word pair: the partial-match test, cached here."""
        if pair in self._ok:
            return True
        if pair in self._bad:
            return False
        ok = not self._cannot_start(pair) and (self._partial is None
                                               or self._partial.match(pair, partial=True) is not None)
        if ok:
            self._ok.add(pair)
        elif len(self._bad) < self._LIMIT:
            self._bad.add(pair)
        return ok

    def finditer(self, text: str, start: int, end: int) -> list[re.Match[str]]:
        """The matches in ``text[start:end]`` at word starts, left to right, not overlapping."""
        pairs = word_pairs(text, start, end)  # learned by every pattern when first cut
        passing = self._pass
        # A test that builds no new set: most slices hold no word that passes.
        if passing.keys().isdisjoint(pairs):
            return []
        # Every word start at which a passing pair occurs (hand-written for measured speed).
        at_pairs: dict[int, list[str]] = {}
        find = text.find
        for pair in passing.keys() & pairs:
            at = find(pair, start, end)
            while at >= 0:
                if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_"):
                    if at in at_pairs:
                        at_pairs[at].append(pair)
                    else:
                        at_pairs[at] = [pair]
                at = find(pair, at + 1, end)
        found: list[re.Match[str]] = []
        pos = start
        ok = self._ok
        full = self.regex
        for at in sorted(at_pairs) if len(at_pairs) > 1 else at_pairs:
            if at < pos:
                continue
            here = at_pairs[at]
            # The pairs found at one word start begin with the same character: the same cut pattern
            # (the whole one, as good but slower, for a pair dropped by ``_missed`` meanwhile).
            match = passing.get(here[0], full).match(text, at, end)
            # The old rule: ``at`` is tried only when one of its pairs passes the partial match.
            if match is not None and match.end() > match.start():
                if self._matched_ok(match, here) or any(map(self.passes, here)):
                    found.append(match)
                    pos = match.end()
            elif len(here) > 1 or here[0] not in ok:  # a pair known to pass needs no count
                self._missed(here)
        return found

    def _matched_ok(self, match: re.Match[str], pairs: list[str]) -> bool:
        """The word pair at a match passes the partial match without asking it: the match itself
        is a string of the pattern that begins with the pair (or ends inside it), unless it needed
        a lookbehind (the pair alone has nothing before it) or non-ASCII case folding (``regex``
        and ``re`` might differ). The pair at the match is the longest one found there."""
        if self._behind is None or match.lastgroup in self._behind:
            return False
        pair = max(pairs, key=len) if len(pairs) > 1 else pairs[0]
        return pair.isascii() and match.end() >= match.start() + len(pair.rstrip(_NOT_WORD))

    def _missed(self, pairs: list[str]) -> None:
        """A word that keeps failing ("based", "bank") is tested after all: if the partial match
        rejects it, it is no longer tried (the old rule never tried it either)."""
        for pair in pairs:
            if pair in self._ok:
                continue
            misses = self._misses.get(pair, 0) + 1
            if misses < self._MISSES or pair[-1].isalnum() or pair[-1] == "_":
                if len(self._misses) < self._LIMIT:
                    self._misses[pair] = misses
            elif not self.passes(pair):
                self._pass.pop(pair, None)

    def _learn(self, pairs: set[str]) -> None:
        prefix = self._prefix
        found = pairs if prefix is None else filter(prefix.match, pairs)
        full = self.regex
        by_letter = self._by_letter
        if not by_letter:
            self._pass.update(dict.fromkeys(found, full))
            return
        for pair in found:
            char = pair[0]
            self._pass[pair] = by_letter.get(_FOLD_ONE.get(char) or char.lower()[:1], full)


# Dates and events gate the same sentences of the same text: their word pairs are cut once.
# Only the text being analysed is kept (compared by identity); the sets are never mutated.
_pair_memo: tuple[str | None, dict[tuple[int, int], frozenset[str]]] = (None, {})
# Every pair ever cut (bounded), and the patterns alive, which learn each new pair once when it is
# first cut instead of each testing every slice for new pairs (hand-written for measured speed).
_SEEN: set[str] = set()
_GATES: weakref.WeakSet[GatedPattern] = weakref.WeakSet()


def word_pairs(text: str, start: int, end: int) -> frozenset[str]:
    """The word pairs of ``text[start:end]`` (every word with the character after it, or the last
    word alone), learned by every ``GatedPattern``."""
    global _pair_memo
    owner, memo = _pair_memo
    if owner is not text:
        memo = {}
        _pair_memo = (text, memo)
    found = memo.get((start, end))
    if found is None:
        found = frozenset(GatedPattern._PAIR.findall(text, start, end))
        if not _SEEN.issuperset(found):
            _learn_all(found)
        memo[(start, end)] = found
    return found


def _learn_all(pairs: frozenset[str]) -> None:
    global _pair_memo
    if len(_SEEN) > GatedPattern._LIMIT:
        # Bounded: start again, and cut again the slices of this text cut before (forgotten).
        _SEEN.clear()
        _pair_memo = (None, {})
        for gate in _GATES:
            gate._pass.clear()
    new = pairs - _SEEN
    for gate in _GATES:
        gate._learn(new)
    # Marked seen only once learned: another thread (a web or Dask worker) that finds a pair seen
    # finds it learned (two threads may learn the same pair twice, which changes nothing).
    _SEEN.update(new)


# --- a cheap, sound pre-test for learning ------------------------------------------------------
# Prefix lengths tried, longest first: a longer prefix rejects more words before the (much
# slower) partial match ("Israel" no longer passes for "Israeli"), but may be too many to list.
_LENGTHS = (8, 4)
_MAX_PREFIXES = 50_000
_WIDE, _SHORT = 8, 4  # past _SHORT characters, a class of more than _WIDE characters ends a prefix


class _Prefixes(NamedTuple):
    k: int  # the longest prefix length enumerated
    keys: frozenset[str]  # the prefixes (shorter than k: then anything)
    trie: Any  # the same in an Aho-Corasick trie, walked by ``longest_prefix``
    # The keys of one, two and three characters, and the first four characters of longer ones:
    # a word of four or more characters matching none of them begins no key.
    first: tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]


def literal_prefixes(pattern: str, flags: int) -> _Prefixes | None:
    """Every string of up to ``k`` characters a match of ``pattern`` can begin with, by length.

    A string shorter than ``k`` means "then anything" (the enumeration stopped there: a class
    such as ``\\w``, a repeat, or the end of the pattern). The sets are a superset of what can
    really start a match, so a word whose first characters are in none of them cannot start one:
    it is rejected without the (much slower) partial match. Returns None when the pattern is too
    open to enumerate (then every word takes the partial-match path, as before).
    """
    try:
        tree = _sre_parser.parse(pattern, flags)
    except Exception:  # noqa: BLE001 - an unparsable pattern simply gets no pre-test
        return None
    fold = bool((flags | tree.state.flags) & re.IGNORECASE) or _has_flag_groups(list(tree))
    for k in _LENGTHS:
        out: set[str] = set()
        try:
            _walk([(list(tree), 0)], "", out, fold, 0, k)
        except _TooOpen:
            continue
        if "" in out or (fold and any(map(_folds_to_ascii, {ch for s in out for ch in s if not ch.isascii()}))):
            return None  # a match may start anywhere, or a non-ASCII letter folds to an ASCII one ("ı", "K")
        keys = frozenset(map(_marked, out))
        trie = ahocorasick.Automaton()
        for key in keys:
            trie.add_word(key, len(key))
        first = tuple(frozenset(key for key in keys if len(key) == n) for n in (1, 2, 3))
        four = frozenset(key[:4] for key in keys if len(key) >= 4)
        return _Prefixes(k, keys, trie, (*first, four))
    return None


class _TooOpen(Exception):
    pass


def _has_flag_groups(items: list) -> bool:
    for op, av in items:
        if op is _c.SUBPATTERN and (av[1] or av[2]):
            return True
        for sub in _children(op, av):
            if _has_flag_groups(sub):
                return True
    return False


def _children(op, av) -> list[list]:
    if op is _c.SUBPATTERN:
        return [list(av[3])]
    if op is _c.BRANCH:
        return [list(alt) for alt in av[1]]
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        return [list(av[2])]
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return [list(av[1])]
    if op is _c.ATOMIC_GROUP:
        return [list(av)]
    return []


def _chars(op, av) -> list[str] | None:
    """The characters one item can match, or None when there are too many to list."""
    if op is _c.LITERAL:
        return [chr(av)]
    if op is not _c.IN:
        return None
    found: list[str] = []
    for sop, sav in av:
        if sop is _c.LITERAL:
            found.append(chr(sav))
        elif sop is _c.RANGE and sav[1] - sav[0] <= 64:
            found.extend(chr(c) for c in range(sav[0], sav[1] + 1))
        elif sop is _c.CATEGORY and sav is _c.CATEGORY_DIGIT:
            found.extend("0123456789")
        else:
            return None  # a negated set, a wide range, \w, \s...
    return found


def _walk(stack: list[tuple[list, int]], prefix: str, out: set[str], fold: bool, depth: int, k: int) -> None:
    if len(out) > _MAX_PREFIXES or depth > 200:
        raise _TooOpen
    if len(prefix) >= k:
        out.add(prefix[:k])
        return
    while stack and stack[-1][1] >= len(stack[-1][0]):
        stack = stack[:-1]
    if not stack:
        out.add(prefix)  # the pattern may end here: anything may follow
        return
    items, i = stack[-1]
    rest = [*stack[:-1], (items, i + 1)]
    op, av = items[i]
    if prefix and _is_word(prefix[-1]) and _word_ends(op, av):
        out.add(prefix + _NON_WORD)  # "\\bIS\\b": "is" then a non-word character, not "israel"
    elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        _walk(rest, prefix, out, fold, depth + 1, k)  # zero width: only narrows what matches
    elif op is _c.SUBPATTERN:
        _walk([*rest, (list(av[3]), 0)], prefix, out, fold, depth + 1, k)
    elif op is _c.ATOMIC_GROUP:
        _walk([*rest, (list(av), 0)], prefix, out, fold, depth + 1, k)
    elif op is _c.BRANCH:
        for alt in av[1]:
            _walk([*rest, (list(alt), 0)], prefix, out, fold, depth + 1, k)
    elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, high, body = av
        if low == 0:
            _walk(rest, prefix, out, fold, depth + 1, k)
        if high != 0:
            again = (_c.MAX_REPEAT, (max(low - 1, 0), high if high == _c.MAXREPEAT else high - 1, body))
            _walk([*rest, ([again], 0), (list(body), 0)], prefix, out, fold, depth + 1, k)
    else:
        chars = _chars(op, av)
        if chars is None or (len(chars) > _WIDE and len(prefix) >= _SHORT):
            # Too many characters to list (or to multiply out past a short prefix: "12 Jan",
            # "30 Jun" would be thousands): anything may follow this prefix.
            out.add(prefix)
            return
        for ch in set(ch.lower() if fold else ch for ch in chars):
            _walk(rest, prefix + ch, out, fold, depth + 1, k)


# A word pair (``\\w+`` and one more character) holds a non-word character only at its end, so
# every non-word character of a prefix is written as this one mark (a sound merge), and a word
# boundary after a word character ends a prefix with it.
_NON_WORD = "\x00"
_WORD_CLASS = [(_c.IN, [(_c.CATEGORY, _c.CATEGORY_WORD)])]


_MARK = str.maketrans({chr(c): _NON_WORD for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")})
_FOLD_MARK = str.maketrans({**_MARK, **{chr(c): chr(c).lower() for c in range(65, 91)}})
_HEADS = [slice(0, n) for n in range(1, 65)]  # the first n characters, n = 1, 2, ...


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _word_ends(op, av) -> bool:
    """``\\b`` or ``(?!\\w)``: after a word character, no word character follows."""
    if op is _c.AT:
        return av in (_c.AT_BOUNDARY, _c.AT_UNI_BOUNDARY)
    return op is _c.ASSERT_NOT and av[0] == 1 and list(av[1]) == _WORD_CLASS


def _marked(prefix: str) -> str:
    return "".join(ch if _is_word(ch) or ch == _NON_WORD else _NON_WORD for ch in prefix)


def _folds_to_ascii(ch: str) -> bool:
    return any(re.fullmatch(re.escape(ch), a, re.IGNORECASE) for a in "abcdefghijklmnopqrstuvwxyz")


# --- first letters and tries ---------------------------------------------------------------------
# Letters that ``re.I`` matches to an ASCII letter other than their ``lower()``.
_FOLD_ONE = {"ı": "i", "ſ": "s", "İ": "i", "\u212a": "k"}
_NOT_WORD = "".join(chr(c) for c in range(128) if not (chr(c).isalnum() or chr(c) == "_"))


def by_first_letter(groups: list[tuple[str, str]], template: str, flags: int) -> dict[str, re.Pattern[str]]:
    """The alternation of named groups cut down, for each (lower-cased) first letter, to the
    branches that can start with it, in the same order and groups: at a position the first branch
    that matches wins, and a branch that cannot start there never does, so the match is the same
    while ``re`` tries a tenth of the branches (hand-written for measured speed: the failing tries
    of the full alternation at every candidate word were its main cost). Empty when a branch may
    begin with anything."""
    branches: dict[str, list[list[str]]] = {}
    for i, (_, pat) in enumerate(groups):
        for branch in split_top(pat):
            letters = _first_chars(r"\b(?:" + branch + ")", flags)
            if "" in letters or not all(ch.isascii() and (ch.isalnum() or ch == "_") for ch in letters):
                return {}  # too open to cut: every position takes the full alternation
            for ch in letters:
                branches.setdefault(ch, [[] for _ in groups])[i].append(branch)
    return {ch: re.compile("|".join(template.format(name=name, pat="|".join(alts))
                                    for (name, _), alts in zip(groups, per_group, strict=True) if alts), flags)
            for ch, per_group in branches.items()}


def _first_chars(pattern: str, flags: int) -> set[str]:
    """The characters a match can begin with (lower-cased if it folds, non-word ones marked), as
    ``literal_prefixes`` would list them one character long; {""} when it may begin with anything."""
    try:
        tree = _sre_parser.parse(pattern, flags)
    except Exception:  # noqa: BLE001 - an unparsable pattern is not cut
        return {""}
    fold = bool((flags | tree.state.flags) & re.IGNORECASE) or _has_flag_groups(list(tree))
    out: set[str] = set()
    try:
        _walk([(list(tree), 0)], "", out, fold, 0, 1)
    except _TooOpen:
        return {""}
    return set(map(_marked, out))


def split_top(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression's source."""
    out, depth, in_class, begin, i = [], 0, False, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[begin:i])
            begin = i + 1
        i += 1
    out.append(pattern[begin:])
    return out


def trie_regex(words: set[str]) -> str:
    """A regex matching any string that begins with one of ``words``, shaped as their trie so that
    ``re`` follows one branch per character instead of trying every word (``\\x00``, the non-word
    mark of ``literal_prefixes``, stands for any non-word character)."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_node(tree)


def _trie_node(node: dict) -> str:
    if "" in node:
        return ""  # a word ends here: whatever follows, the string begins with it
    alts = [(r"\W" if ch == _NON_WORD else re.escape(ch)) + _trie_node(child) for ch, child in sorted(node.items())]
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def length_automaton(words: Iterable[str]) -> Any:
    """An Aho-Corasick automaton over ``words`` whose value is each word's length, so a hit at
    ``end`` gives its start as ``end - value + 1``."""
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, len(word))
    automaton.make_automaton()
    return automaton


def lower_keep_length(text: str) -> str:
    """``text.lower()`` with exactly one character for each character of ``text``.

    A few capitals lower to two characters ("İ" -> "i" + combining dot, as in Turkish place names
    such as "İdlib" or "İzmir"), which would shift every offset found in the lowered copy after
    them; those keep only their first (base) letter."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch.lower()[0] for ch in text)


class SpanIndex:
    """Spans of a text, asked whether one of them holds or overlaps a range, by bisection over
    their starts and the running maximum of their ends (asked for every mention of a document:
    hand-written for measured speed)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach = list(accumulate((e for _, e in ordered), max))  # furthest end among the first k+1

    def holds(self, start: int, end: int) -> bool:
        k = bisect_right(self.starts, start) - 1  # the spans that start at or before ``start``...
        return k >= 0 and self.reach[k] >= end  # ...one of which ends at or after ``end``

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect_left(self.starts, end) - 1  # the spans that start before ``end``...
        return k >= 0 and self.reach[k] > start  # ...one of which ends after ``start``
