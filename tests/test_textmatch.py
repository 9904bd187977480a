"""textmatch.GatedPattern must find exactly what ``re.finditer`` finds, only faster."""

from __future__ import annotations

import re

import pytest

from sitroom.textmatch import GatedPattern, length_automaton, literal_prefixes, split_top, trie_regex

TEXT = (
    "On 12 March 2021 the army said 30 people died. Residents, protesters and Israeli troops "
    "fled to Israel on Monday; on Tuesday, 3rd of May, isis fighters struck at 5am. "
    "The IS group - not 'is' - was blamed. Tel-Aviv, Al-Qaeda and al-Shabaab, 2020/21: 25% to 30%."
)
PATTERNS = [
    (r"\b(?:said|says|told)\b(?!\s+responsibility)", 0),
    (r"\b(?:protesters|residents|troops|Israeli|IS|isis)\b", re.I),
    (r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>March|May)\b(?:\s+\d{4})?", 0),
    (r"\b(?:(?-i:Monday|Tuesday)|on\s+\w+day)\b", re.I),
    (r"\b(?:al|Al)-[A-Z]\w+|\b\d+%", 0),
]


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_same_matches_as_re(pattern: str, flags: int) -> None:
    gated = GatedPattern(pattern, flags)
    plain = re.compile(pattern, flags)
    for start, end in [(0, len(TEXT)), (3, 120), (47, len(TEXT) - 5)]:
        want = [(m.span(), m.groupdict()) for m in plain.finditer(TEXT, start, end)]
        assert [(m.span(), m.groupdict()) for m in gated.finditer(TEXT, start, end)] == want
        # Learned words are reused: a second pass gives the same answer.
        assert [(m.span(), m.groupdict()) for m in gated.finditer(TEXT, start, end)] == want


def test_prefix_pretest_is_sound_for_short_and_bounded_words() -> None:
    gated = GatedPattern(r"\b(?:IS|Israeli|to\s+\d+)\b", re.I)
    prefixes = gated._prefixes
    assert prefixes is not None and prefixes.k == 8
    # Words that can begin a match are never rejected, whatever their length...
    for pair in ("is ", "IS.", "israeli ", "Israeli,", "to ", "To"):
        assert not gated._cannot_start(pair), pair
    # ...and words that begin none are, without the partial match.
    for pair in ("tax ", "of ", "Irish ", "Israel ", "island "):  # "is" then a word character: no "IS"
        assert gated._cannot_start(pair), pair


def test_open_patterns_fall_back_to_shorter_prefixes() -> None:
    # Digits multiplied out to eight characters would be thousands: a digit past four stops a prefix.
    prefixes = literal_prefixes(r"\d\d\d\d-\d\d-\d\d|[0-3]?\d (?:Jan|Feb)", 0)
    assert prefixes is not None
    assert prefixes.k == 8
    assert "12\x00Jan" in prefixes.keys  # the pattern ends: then anything (\x00: any non-word character)
    assert "1234\x00" in prefixes.keys  # a digit past four characters: then anything
    assert literal_prefixes(r"\w+ said", 0) is None  # may start anywhere: no pre-test


def test_length_automaton_gives_starts() -> None:
    automaton = length_automaton(["said", "told"])
    text = "He said she told"
    assert [(end - length + 1, end + 1) for end, length in automaton.iter(text)] == [(3, 7), (12, 16)]


def test_lower_keep_length_keeps_offsets() -> None:
    from sitroom.textmatch import lower_keep_length

    text = "Shelling hit İdlib and İzmir; 3 died"
    low = lower_keep_length(text)
    assert len(low) == len(text) and low.startswith("shelling hit idlib and izmir")
    assert low.index("3 died") == text.index("3 died")
    assert lower_keep_length("plain Text") == "plain text"


def test_span_index_holds_and_overlaps() -> None:
    from sitroom.textmatch import SpanIndex

    index = SpanIndex([(10, 20), (0, 4), (12, 14)])
    assert index.holds(12, 18) and index.holds(0, 4) and not index.holds(3, 6)
    assert index.overlaps(3, 6) and index.overlaps(19, 30) and not index.overlaps(4, 10)
    assert not SpanIndex([]).holds(0, 1) and not SpanIndex([]).overlaps(0, 1)


class ReferenceGatedPattern:
    """What ``GatedPattern.finditer`` is defined to return, written plainly and slowly: the full
    pattern tried, left to right, at every word start where a word pair (a word and the character
    after it, or the slice's last word) occurs that passes ``regex``'s partial match."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        import regex

        self.regex = re.compile(pattern, flags)
        self.partial = regex.compile(pattern, flags)

    def finditer(self, text: str, start: int, end: int) -> list[re.Match[str]]:
        pairs = {p for p in re.findall(r"\w+(?:\W|\Z)", text[:end][start:]) if self.partial.match(p, partial=True)}
        starts = set()
        for pair in pairs:
            at = text.find(pair, start, end)
            while at >= 0:
                if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_"):
                    starts.add(at)
                at = text.find(pair, at + 1, end)
        found, pos = [], start
        for at in sorted(starts):
            match = self.regex.match(text, at, end) if at >= pos else None
            if match is not None and match.end() > match.start():
                found.append(match)
                pos = match.end()
        return found


def same_as_reference(gated: GatedPattern, text: str, ranges: list[tuple[int, int]]) -> None:
    ref = ReferenceGatedPattern(gated.regex.pattern, gated.regex.flags)
    for _ in range(2):  # twice: the second time with everything learned
        for a, b in ranges:
            want = [(m.span(), m.lastgroup) for m in ref.finditer(text, a, b)]
            assert [(m.span(), m.lastgroup) for m in gated.finditer(text, a, b)] == want, (a, b)


def every_range(text: str, step: int = 7) -> list[tuple[int, int]]:
    return [(0, len(text))] + [(a, b) for a in range(0, len(text), step) for b in (a + 5, a + 23, len(text))
                               if b <= len(text)]


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_same_matches_as_the_reference(pattern: str, flags: int) -> None:
    same_as_reference(GatedPattern(pattern, flags), TEXT, every_range(TEXT, 5))


def test_groups_cut_by_first_letter_match_the_same() -> None:
    groups = [("W", r"(?-i:Monday)|on\s+\w+day"), ("D", r"[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?(?:March|May)"),
              ("B", r"(?<=\bcar\s)bombs?|bomb\s+blast"), ("N", r"(?:protest|march)\w*")]
    gated = GatedPattern.of_groups(groups, "(?P<{name}>\\b(?:{pat})(?!\\w))", re.I)
    assert set(gated._by_letter) >= {"m", "o", "0", "3", "b", "p"}
    text = TEXT + " A car bomb and a bomb blast; marches on Sunday, 3 May. Car bombs, ſhelling, İSIS."
    same_as_reference(gated, text, every_range(text, 3))


def test_a_word_that_keeps_failing_is_no_longer_tried() -> None:
    gated = GatedPattern(r"\b(?:Mayor\s+\w+|(?-i:May)\s+\d+)", re.I)
    text = "the may may may may may be here, on May 5"
    assert [m.group() for m in gated.finditer(text, 0, len(text))] == ["May 5"]
    assert [m.group() for m in gated.finditer(text, 0, len(text))] == ["May 5"]
    assert "may " not in gated._pass and "May " in gated._pass  # learned: "may" begins no match


def test_trie_and_split() -> None:
    trie = re.compile(trie_regex({"ab", "abc", "b\x00"}), re.I)
    assert trie.match("abx") and trie.match("B ") and not trie.match("bx") and not trie.match("a")
    assert split_top(r"a|b(?:c|d)|[|]e|\|f") == ["a", "b(?:c|d)", "[|]e", r"\|f"]


def test_patterns_made_later_and_bounded_learning_keep_the_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    early = GatedPattern(PATTERNS[1][0], PATTERNS[1][1])
    same_as_reference(early, TEXT, every_range(TEXT, 11))
    later = GatedPattern(PATTERNS[2][0], PATTERNS[2][1])  # the pairs cut so far are learned when made
    same_as_reference(later, TEXT, every_range(TEXT, 11))
    monkeypatch.setattr(GatedPattern, "_LIMIT", 5)  # forgets and learns again all the time
    same_as_reference(early, TEXT, every_range(TEXT, 11))
    same_as_reference(later, TEXT + " 3 May", every_range(TEXT + " 3 May", 11))


def test_threads_learning_at_once_find_the_same() -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [TEXT.replace("12", str(n)) + f" on {n} May word{n} and x{n}y" for n in range(60)]
    pattern, flags = PATTERNS[2]
    gated, ref = GatedPattern(pattern, flags), ReferenceGatedPattern(pattern, flags)

    def run(text: str) -> list[tuple[tuple[int, int], str]]:
        return [(m.span(), m.group()) for m in gated.finditer(text, 0, len(text))]

    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(run, texts))
    assert got == [[(m.span(), m.group()) for m in ref.finditer(t, 0, len(t))] for t in texts]
