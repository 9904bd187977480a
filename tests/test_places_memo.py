"""The speed paths of the places stage give the same readings as the plain ones (hand-made text only)."""

from __future__ import annotations

import re

import pytest

from sitroom import gazetteer
from sitroom.gazetteer import loose, normalise
from sitroom.model import Parsed
from sitroom.places import _CAP, _RUN, find_places
from sitroom.segment import segment, split_sentences


def _parse(text: str) -> Parsed:
    segs = segment(text)
    return Parsed(text, segs, split_sentences(text, segs), None)


def _names(text: str) -> dict[str, tuple]:
    places, _ = find_places(_parse(text))
    return {p.name: (p.country, p.feature, len(p.mentions)) for p in places}


def test_a_memoised_run_is_still_read_in_its_own_context() -> None:
    # "Jordan" is read once per process; the title, the locative word and the name beside it
    # are context of each occurrence, never part of the memo.
    assert "Jordan" not in _names("President Jordan met reporters on Monday.")
    assert _names("Refugees crossed into Jordan last week.")["Jordan"][0] == "JO"
    assert "Jordan" not in _names("Michael Jordan met reporters on Monday.")
    assert _names("Refugees crossed into Jordan last week.")["Jordan"][0] == "JO"


def test_the_same_document_twice_gives_the_same_places() -> None:
    text = ("Air strikes hit al-Raqqa and Deir ez-Zor overnight. Families fled Mosul, Iraq, towards camps "
            "near Erbil, the Kurdish capital, aid groups said.")
    first, second = find_places(_parse(text)), find_places(_parse(text))
    assert first == second
    assert {"al-Raqqa", "Deir ez-Zor", "Mosul", "Iraq", "Erbil"} <= set(_names(text))


def test_possessives_and_non_places_keep_their_reading() -> None:
    names = _names("Syria's Kobani was shelled. Islamic State fighters left Mosul's old city.")
    assert names["Syria"][0] == names["Kobani"][0] == "SY"
    assert names["Mosul"][0] == "IQ"
    assert "Islamic State" not in names and "State" not in names


def test_state_abbreviations_need_their_mark_in_the_text() -> None:
    assert _names("The fire broke out in Charleston, W.Va., late on Friday.")["W.Va."][1] == "admin1"
    assert "UP" not in _names("Firing was reported in Aligarh, UP said.")


def test_the_run_pattern_lookahead_only_skips_impossible_starts() -> None:
    plain = re.compile(rf"(?<![\w'’‐‑-]){_CAP}(?: (?:(?:of|the|de|del|della|la|le|les|du|do|da|dos|das|di|al|el|"
                       rf"ez|ad|bin|ibn|upon|on) )*{_CAP})*")
    text = ("in al-Raqqa and ar-Rastan, d'Ivoire, l'Aquila, ed-Damazin, ul-Haq; St. Louis, U.S. Army, "
            "Ōsaka, Élysée, été, Deir ez Zor, Democratic Republic of the Congo, bin Laden, ash-Sham, "
            "an-Nabk, as-Safira, at-Tall, az-Zabadani, el-Arish, es-Sider, x-Ray, Ünye, ßeta")
    assert [m.span() for m in _RUN.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_loose_keys_from_memoised_words_equal_loose() -> None:
    gaz = gazetteer.get()
    for name in ("al-Raqqah", "Deir ez-Zor", "Hassakeh", "Tel Abyad", "Ain al-Arab", "Kafr Nabl",
                 "Shahdadkot", "Moosa Khel", "al ad", "Jabal Akhdar"):
        key = normalise(name)
        assert gaz._loose(key) == loose(key), name


@pytest.mark.parametrize("name", ["Mosul", "Deir ez-Zor", "al-Raqqah", "Tall Abyad", "Ain Issa", "St. Petersburg",
                                  "Côte d'Ivoire", "Kafr Nabl", "Hasakah"])
def test_the_word_gate_never_closes_on_a_known_name(name: str) -> None:
    gaz = gazetteer.get()
    key = normalise(name)
    assert gaz.matches_for_key(key), name
    assert gaz.may_match(key), name
    for word in key.split():
        assert gaz.may_match(word), (name, word)  # every word of a known name passes alone too


def test_the_word_gate_closes_on_made_up_words() -> None:
    gaz = gazetteer.get()
    made_up = [f"qx{a}{b}vzj" for a in "bcdfg" for b in "kmpt"]  # 20 words no name has
    # A hash collision may let a word through (about 6% each: the word and its loose form).
    assert sum(gaz.may_match(word) for word in made_up) <= 8
    assert gaz.may_match("qxbkvzj", frozenset({"qxbkvzj"}))  # the caller's known words pass
