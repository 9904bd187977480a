"""Contradictions: figures for the same quantity whose bounds cannot both hold."""

from __future__ import annotations

from itertools import count

from sitroom.contradictions import find_contradictions
from sitroom.model import Evidence, Figure

_AT = count(0, 500)  # hand-made figures sit in different sentences, 500 characters apart


def fig(fid: str, text: str, category: str, who: str | None, low: int | None, best: int | None,
        high: int | None, place: str | None = "place_a", qualifier: str | None = None,
        start: int | None = None) -> Figure:
    at = next(_AT) if start is None else start
    return Figure(fid, category, who, low, best, high, qualifier, place, None, [], None,
                  Evidence(at, at + len(text), text))


UP_TO = fig("f1", "Up to 100,000 civilians", "trapped", "civilians", None, None, 100000)
HUNDREDS = fig("f2", "hundreds of thousands of civilians", "trapped", "civilians", 200000, None, 999999)


def test_up_to_against_hundreds_of_thousands_is_flagged() -> None:
    (c,) = find_contradictions([UP_TO, HUNDREDS])
    assert c.figures == ["f1", "f2"]
    assert "do not overlap" in c.why and "trapped" in c.why


def test_overlapping_bounds_are_not_flagged() -> None:
    around = fig("f3", "around 90,000 civilians", "trapped", "civilians", None, 90000, None)
    assert find_contradictions([UP_TO, around]) == []


def test_estimate_has_slack() -> None:
    a = fig("a", "around 230 people", "killed", "people", None, 230, None)
    b = fig("b", "250 people", "killed", "people", 250, 250, 250)
    c = fig("c", "900 people", "killed", "people", 900, 900, 900)
    assert [x.figures for x in find_contradictions([a, b, c])] == [["a", "c"], ["b", "c"]]


def test_other_category_place_or_people_are_not_compared() -> None:
    other_place = fig("p", "500,000 civilians", "trapped", "civilians", 500000, 500000, 500000, place="place_b")
    displaced = fig("d", "500,000 civilians", "displaced", "civilians", 500000, 500000, 500000)
    fighters = fig("m", "500,000 militants", "trapped", "militants", 500000, 500000, 500000)
    assert find_contradictions([UP_TO, other_place, displaced, fighters]) == []


def test_civilians_and_people_are_the_same_people() -> None:
    people = fig("p", "500,000 people", "trapped", "people", 500000, 500000, 500000)
    assert len(find_contradictions([UP_TO, people])) == 1


def test_parts_and_singulars_are_not_compared() -> None:
    part = fig("x", "3 civilians", "trapped", "civilians", 3, 3, 3, qualifier="including")
    single = fig("y", "a man was trapped", "trapped", "civilians", 1, 1, 1)
    assert find_contradictions([HUNDREDS, part, single]) == []


def test_groups_of_one_sentence_and_relative_people_are_not_compared() -> None:
    a = fig("a", "Two citizens", "killed", "citizens", 2, 2, 2, start=0)
    b = fig("b", "four citizens died", "killed", "citizens", 4, 4, 4, start=17)
    c = fig("c", "five others were injured", "injured", "others", 5, 5, 5)
    d = fig("d", "40 others were injured", "injured", "others", 40, 40, 40)
    assert find_contradictions([a, b, c, d]) == []
