"""Toponyms in narrative sentences, resolved to coordinates (hand-made sentences only)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from sitroom.model import Parsed, stable_id
from sitroom.places import contains, document_focus, find_places, primary_place, specificity
from sitroom.segment import segment, split_sentences


def _parse(text: str) -> Parsed:
    segs = segment(text)
    return Parsed(text, segs, split_sentences(text, segs), None)


def _places(text: str) -> dict[str, object]:
    places, _ = find_places(_parse(text))
    return {p.name: p for p in places}


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def test_city_and_country_resolved_with_spans_and_mentions() -> None:
    text = "Fighting went on in Mosul, Iraq, on Sunday. Families fled Mosul towards camps."
    places, mentions = find_places(_parse(text))
    assert [p.name for p in places] == ["Mosul", "Iraq"]  # order of first mention
    mosul, iraq = places
    assert mosul.feature == "city" and mosul.country == "IQ" and mosul.geonameid
    assert _km(mosul.lat, mosul.lon, 36.34, 43.13) < 25
    assert iraq.feature == "country" and iraq.country == "IQ"
    assert [text[s.start : s.end] for s in mosul.mentions] == ["Mosul", "Mosul"]
    assert mosul.id == stable_id("place", mosul.geonameid)
    assert {m.kind for m in mentions} == {"location"}
    for m in mentions:
        assert text[m.start : m.end] == m.text
    assert sorted(m.label for m in mentions) == sorted([mosul.id, mosul.id, iraq.id])


def test_caption_places_are_ignored() -> None:
    text = (
        "Troops advanced on the old city of Mosul on Sunday.\n"
        "1/5 Displaced families walk near Qayyarah, south of the city (Getty)\n"
        "Aid groups said the fighting in Mosul was the worst so far."
    )
    names = _places(text)
    assert "Mosul" in names
    assert "Qayyarah" not in names


def test_spelling_variants_and_articles() -> None:
    names = _places("Air strikes hit al-Raqqa and Deir ez-Zor overnight, activists said.")
    raqqa = names["al-Raqqa"]
    assert raqqa.country == "SY" and raqqa.feature == "city"
    assert _km(raqqa.lat, raqqa.lon, 35.95, 39.01) < 25
    assert names["Deir ez-Zor"].country == "SY"


def test_province_cue_picks_the_admin_unit() -> None:
    names = _places("Shelling was reported in Idlib province and in the city of Hama.")
    assert names["Idlib"].feature == "admin1" and names["Idlib"].country == "SY"
    assert names["Hama"].feature == "city"


def test_town_province_pattern_uses_context() -> None:
    names = _places("On 9 May 2020, a dispute led to firing in Hyderabad (Sindh), killing one person.")
    assert names["Hyderabad"].country == "PK"  # not the larger Hyderabad in India
    names = _places("A scuffle led to firing in Aligarh (UP) on Friday.")
    assert names["Aligarh"].admin1 == names["UP"].admin1 == "Uttar Pradesh"


def test_list_of_states_stays_states() -> None:
    names = _places("Cases were reported in Arizona, California, Ohio, Oregon and Texas, officials said.")
    assert {n: p.feature for n, p in names.items()} == dict.fromkeys(
        ["Arizona", "California", "Ohio", "Oregon", "Texas"], "admin1")


def test_us_state_abbreviation_after_town() -> None:
    names = _places("The fire broke out in Charleston, W.Va., late on Friday.")
    assert names["W.Va."].feature == "admin1" and names["W.Va."].country == "US"
    assert names["Charleston"].country == "US"
    assert names["Charleston"].admin1 == names["W.Va."].admin1 == "West Virginia"


def test_common_words_and_people_are_not_places() -> None:
    text = (
        "Mobile phones were seized. The Police said Michael Jordan spoke to Mr Victoria. "
        "Islamic State fighters retreated. Jones said the operation was over."
    )
    assert _places(text) == {}


def test_person_reading_spreads_but_not_to_large_places() -> None:
    text = "Senator Lincoln Chafee spoke on Monday. Later Lincoln said he would vote no."
    assert "Lincoln" not in _places(text)
    names = _places("Officers patrolled Zona Urbana del Rio Tijuana. Tijuana police said two men died.")
    assert names["Tijuana"].country == "MX"
    names = _places("He moved to Cambridge and served the Cambridge Italian community.")
    assert len(names["Cambridge"].mentions) == 2


def test_regions_apostrophes_and_currencies() -> None:
    names = _places("Aid reached Darfur and Côte d'Ivoire, but the US dollar rose.")
    assert names["Darfur"].feature == "region" and names["Darfur"].country == "SD"
    assert names["Côte d'Ivoire"].country == "CI"
    assert "US" not in names


def test_locative_context_keeps_a_country_named_like_a_person() -> None:
    names = _places("Refugees crossed into Jordan last week.")
    assert names["Jordan"].country == "JO"


def test_document_focus_and_containment() -> None:
    places, _ = find_places(_parse("Clashes in Mosul and Tikrit were reported by Iraq's army. Syria was quiet."))
    assert document_focus(places) == "IQ"
    by_name = {p.name: p for p in places}
    assert contains(by_name["Iraq"], by_name["Mosul"])
    assert not contains(by_name["Syria"], by_name["Mosul"])
    assert document_focus([]) is None
    assert primary_place(places).name == "Mosul"  # a town of the focus country, first mentioned
    assert specificity(by_name["Mosul"]) < specificity(by_name["Iraq"])
    assert primary_place([]) is None


def _dev_records(name: str) -> list[dict]:
    path = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / f"{name}.jsonl"
    if not path.is_file():
        pytest.skip(f"development set {path} not available (read in place, never copied)")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _toponym_scores(name: str) -> tuple[float, float]:
    """(span-overlap F1 of location mentions, share of gold toponyms found and placed within 161 km)."""
    tp_pred = n_pred = tp_gold = n_gold = placed = 0
    for rec in _dev_records(name):
        places, mentions = find_places(_parse(rec["text"]))
        by_id = {p.id: p for p in places}
        gold = rec["gold"]["places"]
        n_pred += len(mentions)
        tp_pred += sum(any(g["start"] < m.end and m.start < g["end"] for g in gold) for m in mentions)
        for g in gold:
            n_gold += 1
            hit = next((m for m in mentions if g["start"] < m.end and m.start < g["end"]), None)
            if hit:
                tp_gold += 1
                place = by_id[hit.label]
                if g.get("lat") is not None and _km(place.lat, place.lon, g["lat"], g["lon"]) <= 161:
                    placed += 1
    precision, recall = tp_pred / max(1, n_pred), tp_gold / max(1, n_gold)
    return 2 * precision * recall / max(1e-9, precision + recall), placed / max(1, n_gold)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["lgl", "geovirus"])
def test_dev_toponym_floors(name: str) -> None:
    f1, placed = _toponym_scores(name)
    assert f1 >= 0.75, f1
    assert placed >= 0.50, placed


def test_town_missing_from_its_written_province_is_placed_in_that_province() -> None:
    # The gazetteer's "Orient" towns lie outside Ohio: the text says Ohio, so the town is there.
    got = _places("He was held in a prison in Orient, Ohio.")
    orient, ohio = got["Orient"], got["Ohio"]
    assert orient.feature == "relative" and orient.country == "US" and orient.admin1 == "Ohio"
    assert (orient.lat, orient.lon) == (ohio.lat, ohio.lon) and orient.geonameid is None
    # A town that is in the province keeps its own reading.
    paris = _places("Protests in Paris, Texas.")["Paris"]
    assert paris.feature == "city" and paris.admin1 == "Texas"


def test_a_quarter_written_with_its_big_city_is_placed_in_the_city() -> None:
    got = _places("On 28 April 2020, in San Cristobal, Bogota, a group of 30 people demonstrated.")
    assert got["San Cristobal"].feature == "relative" and got["San Cristobal"].country == "CO"
    assert _km(got["San Cristobal"].lat, got["San Cristobal"].lon, 4.61, -74.08) < 25
    # A list of towns is no container: each keeps its reading.
    listed = _places("Attacks hit Beirut, Tripoli and Sidon.")
    assert all(listed[n].feature == "city" for n in ("Beirut", "Tripoli", "Sidon"))


def test_clan_names_and_members_of_a_group_are_no_places() -> None:
    got = _places("Militiamen from the Saad sub-clans and members of Svoboda clashed in Mogadishu.")
    assert set(got) == {"Mogadishu"}


def test_arabic_head_words_are_respelled_as_the_gazetteer_spells_them() -> None:
    # "Tel"/"Tall", "Ain"/"Ayn": one transliterated head word may differ from the GeoNames form.
    got = _places("Turkish forces shelled villages near Tel Tamr and Ain Issa in Syria.")
    assert got["Tel Tamr"].country == "SY" and _km(got["Tel Tamr"].lat, got["Tel Tamr"].lon, 36.66, 40.37) < 25
    assert got["Ain Issa"].country == "SY" and _km(got["Ain Issa"].lat, got["Ain Issa"].lon, 36.39, 38.86) < 25


def test_container_with_an_admin_word_and_a_second_level() -> None:
    # "(Kankara LGA, Katsina)": the LGA closes the container; a namesake abroad is not the town.
    got = _places("On 29 April 2020, unidentified gunmen attacked Mabai (Kankara LGA, Katsina), killing one.")
    assert got["Mabai"].feature == "relative" and got["Mabai"].country == "NG"


def test_a_big_city_keeps_its_reading_when_the_note_names_the_wrong_province() -> None:
    lahore = _places("On 6 May 2020, journalists held a rally in Lahore (Sindh), against the arrests.")["Lahore"]
    assert lahore.feature == "city" and _km(lahore.lat, lahore.lon, 31.55, 74.34) < 25


def test_weak_namesake_abroad_dropped_in_a_one_country_story() -> None:
    # A Syria story: the bare word "Bradley" (a vehicle) and the alternate spelling "al-Sinaa" (a
    # quarter) must not become towns in the US or Iran; "US forces" names an actor, not a place.
    text = ("US forces shelled Raqqa and Hasakah in northeastern Syria on Monday. Bradley vehicles "
            "reached Qamishli, and residents of al-Sinaa fled to Deir ez-Zor.")
    found = _places(text)
    assert {"Raqqa", "Hasakah", "Qamishli"} <= set(found)
    assert "Bradley" not in found and "al-Sinaa" not in found
    # Written as a location ("to Decatur") the namesake abroad stays; as a bare word it goes.
    home = _places("Troops went to Raqqa and Homs in Syria. Later they flew home to Decatur.")
    assert home["Decatur"].country == "US"
    assert "Decatur" not in _places("Troops went to Raqqa and Homs in Syria. Decatur sent aid.")
