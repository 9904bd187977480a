"""Fast matching of large phrase alternations (lexicons of triggers, dates, cues) over text."""

from __future__ import annotations

import re

try:  # the third-party ``regex`` (a trafilatura/dateparser dependency) can tell a possible match start
    import regex as _regex
except ImportError:  # pragma: no cover - without it every word is tried, which is only slower
    _regex = None


class GatedPattern:
    """A big alternation run only at word starts where a match can begin.

    Python's ``re`` tries every alternative at every position, which costs ~0.5 s per MB for a
    lexicon of a few hundred phrases. Here each distinct word, with the character after it, is
    tested once (cached) with a partial match of the same pattern (``regex``'s ``partial=True``:
    could a match start with these characters?). A slice of text is cut into such pairs in C
    (``findall`` + set operations); the full pattern then runs only where a passing pair occurs,
    so text without a possible match costs a ``findall``. Every alternative of the pattern must
    start at a word start and begin with a word character.
    """

    _PAIR = re.compile(r"\w+(?:\W|\Z)")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.regex = re.compile(pattern, flags)
        self._partial = _regex.compile(pattern, flags) if _regex is not None else None
        self._ok: set[str] = set()
        self._bad: set[str] = set()

    def _learn(self, pairs: set[str]) -> None:
        for pair in pairs:
            if self._partial is None or self._partial.match(pair, partial=True) is not None:
                self._ok.add(pair)
            elif len(self._bad) < 500_000:  # bounded: a pathological stream cannot grow it forever
                self._bad.add(pair)

    def finditer(self, text: str, start: int, end: int) -> list[re.Match[str]]:
        pairs = set(self._PAIR.findall(text, start, end))
        unknown = pairs - self._ok - self._bad
        if unknown:
            self._learn(unknown)
        hits = pairs & self._ok
        if not hits:
            return []
        starts: set[int] = set()
        for pair in hits:
            at = text.find(pair, start, end)
            while at >= 0:
                if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_"):
                    starts.add(at)
                at = text.find(pair, at + 1, end)
        found = []
        pos = start
        for at in sorted(starts):
            if at < pos:
                continue
            match = self.regex.match(text, at, end)
            if match is not None and match.end() > match.start():
                found.append(match)
                pos = match.end()
        return found
