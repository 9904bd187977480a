"""Quantities: number phrases, hedges into bounds, and what is not a quantity."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.numbers import VAGUE, Quantity, find_quantities, parse_quantity, words_to_int


def one(text: str) -> Quantity:
    found = find_quantities(text)
    assert len(found) == 1, [(text[q.start : q.end]) for q in found]
    return found[0]


def bounds(text: str) -> tuple[int | None, int | None, int | None]:
    q = one(text)
    return q.low, q.best, q.high


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a total of 850,000 people", (850000, 850000, 850000)),
        ("home to 1.5 million people", (1500000, 1500000, 1500000)),
        ("killed 230", (230, 230, 230)),
        ("two soldiers", (2, 2, 2)),
        ("twenty-five people", (25, 25, 25)),
        ("one hundred and fifty people", (150, 150, 150)),
        ("a dozen houses", (12, 12, 12)),
        ("up to 100,000 civilians", (None, None, 100000)),
        ("as many as 40 people", (None, None, 40)),
        ("fewer than 300 militants", (None, None, 300)),
        ("more than 20 soldiers", (20, None, None)),
        ("at least 47 prisoners", (47, None, None)),
        ("over 29 injured", (29, None, None)),
        ("around 230 people", (None, 230, None)),
        ("an estimated 50,000 children", (None, 50000, None)),
        ("nearly 600 prisoners", (None, 600, None)),
        ("10 or more people", (10, None, None)),
        ("between 8 and 12 rebels", (8, None, 12)),
        ("10-15 Taliban militants", (10, None, 15)),
    ],
)
def test_bounds_from_hedges(text: str, expected: tuple) -> None:
    assert bounds(text) == expected


def test_hedge_is_kept_as_written() -> None:
    q = one("Up to 100,000 civilians")
    assert q.qualifier == "Up to"
    assert (q.start, q.num_start) == (0, 6)


@pytest.mark.parametrize(
    ("text", "low", "high", "count"),
    [
        ("hundreds of thousands of civilians", 200000, 999999, 100000),
        ("thousands of civilians", 2000, 9999, 1000),
        ("hundreds of people", 200, 999, 100),
        ("dozens of people", 24, 99, 12),
        ("tens of thousands of people", 20000, 99999, 10000),
        ("several soldiers", 3, 9, 3),
    ],
)
def test_vague_words_take_literal_bounds_and_acled_count(text: str, low: int, high: int, count: int) -> None:
    q = one(text)
    assert (q.low, q.best, q.high, q.count, q.vague) == (low, None, high, count, True)


def test_vague_table_is_consistent() -> None:
    for word, (low, high, count) in VAGUE.items():
        assert high is None or low <= high, word
        # ACLED's count of a plural of a unit is the unit: at most the literal low bound
        assert count <= low or count == 3, word


def test_up_to_and_hundreds_of_thousands_are_disjoint() -> None:
    up_to = one("Up to 100,000 civilians")
    many = one("hundreds of thousands of civilians")
    assert up_to.high is not None and many.low is not None and up_to.high < many.low


@pytest.mark.parametrize(
    "text",
    [
        "soldiers from the 9th armoured division",
        "1/22 Iraqi army soldiers",
        "some 25 kilometres north east of the town",
        "In nine months of fighting",
        "In the past three weeks",
        "more than a third of Iraq",
        "On 7 May 2020, in the city",
        "on May 7, 2020 in the city",
        "a 36-year-old man",
        "a man aged 36",
        "at 12:45 a.m. on Friday",
        "the COVID-19 pandemic",
        "up 2 per cent",
        "a $5 million fund",
        "5% of the vote",
        "since 2014",
        "[size=9]",
    ],
)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_offsets_point_into_the_text() -> None:
    text = "Yesterday, fighters killed at least 12 people and wounded dozens."
    found = find_quantities(text)
    assert [text[q.start : q.end] for q in found] == ["at least 12", "dozens"]


def test_window_limits_the_search() -> None:
    text = "5 killed. 7 wounded."
    found = find_quantities(text, 10, len(text))
    assert [(q.start, q.best) for q in found] == [(10, 7)]


def test_words_to_int_and_parse_quantity() -> None:
    assert words_to_int("two thousand five hundred") == 2500
    assert words_to_int("half a dozen") == 6
    assert words_to_int("1.5 million") == 1500000
    assert parse_quantity("no number here") is None
    assert parse_quantity("Both victims").best == 2


_PIECES = ["up to", "more than", "around", "at least", "fewer than", "an estimated", "some", "between", "and", "-",
           "850,000", "1.5 million", "two", "twenty-five", "a dozen", "dozens of", "hundreds of thousands of",
           "several", "people", "civilians", "killed", "were", "in", "2014", "May", "7", "10", "km", "%", "1/22",
           "9th", "three weeks", ",", ".", "(", ")"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_invariants_on_random_phrases(pieces: list[str]) -> None:
    text = " ".join(pieces)
    for q in find_quantities(text):
        assert 0 <= q.start <= q.num_start < q.num_end <= q.end <= len(text)
        values = [v for v in (q.low, q.best, q.high) if v is not None]
        assert values == sorted(values)
        assert q.count >= 0


def test_alternation_prefers_the_longest_phrase_like_a_flat_list() -> None:
    import re

    from sitroom.numbers import alternation

    words = ["police", "police officer", "police officers", "policeman", "man", "men", "passers-by"]
    trie = re.compile(rf"(?:{alternation(words)})\b", re.I)
    flat = re.compile("(?:" + "|".join(w.replace(" ", r"\s+") for w in sorted(words, key=len, reverse=True))
                      + r")\b", re.I)
    for text in ["Police  officers were", "policemen", "the policeman", "police officer's", "passers-by", "Men"]:
        for at in range(len(text)):
            a, b = trie.match(text, at), flat.match(text, at)
            assert (a and a.span()) == (b and b.span()), (text, at)


def test_hedge_openers_without_their_phrase_are_not_quantity_starts_tried() -> None:
    # "at", "in", "as" open "at least", "in excess of", "as many as" only: elsewhere no quantity.
    text = "Fighting in the city, as 5 died; at  least 7 were hurt; in\nexcess of 12 fled."
    assert [(q.low, q.best, q.high, q.qualifier) for q in find_quantities(text)] == [
        (5, 5, 5, None), (7, None, None, "at  least"), (12, None, None, "in\nexcess of")]


def test_words_right_before_digits_that_make_them_no_count() -> None:
    for before in ["in May", "aged", "No.", "Brigade", "size =", "$", "Sept.", "until"]:
        assert find_quantities(f"{before} 12 people") == [], before
    assert [q.best for q in find_quantities("engaged 12 people")] == [12]  # "aged" inside a word is no label
    assert [q.best for q in find_quantities("killed 12 people")] == [12]


def test_hedge_after_odd_white_space_and_case_odd_text() -> None:
    # Openers before a tab, a no-break space or two spaces, and a text with "İ" (read the slow way).
    text = "up\tto 4 fled; as\u00a0many as 6 died; no  fewer than 8 hurt."
    assert [q.qualifier for q in find_quantities(text)] == ["up\tto", "as\u00a0many as", "no  fewer than"]
    found = find_quantities("Iſland: at least 3 died, in 2014 or up to 9.")
    assert [(q.low, q.high, q.qualifier) for q in found] == [(3, None, "at least"), (None, 9, "up to")]


@pytest.mark.parametrize("text", ["rangers 12 people", "engaged 12 fighters", "the frontline 4 soldiers"])
def test_a_label_word_must_be_whole_to_block_a_count(text: str) -> None:
    # "Rs 5" and "aged 36" are no counts; "rangers 12" and "engaged 12" end in those letters only.
    assert [q.count for q in find_quantities(text)] == [int(text.split()[-2])]


@pytest.mark.parametrize("text", ["aged 12", "Rs 500", "US$5 million", "in May 2014", "Brigade 5"])
def test_labels_still_block_counts(text: str) -> None:
    assert find_quantities(text) == []


def test_quantities_per_span_equal_one_call_per_span() -> None:
    from sitroom.numbers import find_quantities, find_quantities_per_span, quantity_starts

    text = "Twelve people died. No one else was hurt. At least 3,400 fled, and 2 million remain trapped."
    spans = [(0, 19), (20, 41), (42, len(text)), (5, 5)]
    starts = quantity_starts(text)
    per_span = find_quantities_per_span(text, spans, starts)
    assert per_span == [find_quantities(text, a, b, starts) for a, b in spans]
    assert [[q.low for q in found] for found in per_span] == [[12], [], [3400, 2_000_000], []]


def test_quantity_and_word_starts_equal_the_two_scans() -> None:
    from sitroom.numbers import quantity_and_word_starts, quantity_starts

    for text in ("Seven civilians and 4 soldiers were killed", "İdlib: 3 civilians wounded, two children"):
        lowered = text.lower() if text.isascii() else "".join(c.lower()[0] for c in text)
        starts, words = quantity_and_word_starts(text, lowered, ("civilian", "child"))
        assert starts == quantity_starts(text, lowered=lowered)
        expected = [m.start() for w in ("civilian", "child") for m in re.finditer(rf"(?<![^\W\d_]){w}", lowered)]
        assert words == sorted(expected)
