"""Actor lexicon, state-forces patterns and person/organization mentions on hand-made text."""

from __future__ import annotations

import re

from sitroom.actors import find_actors
from sitroom.model import Actor, Mention, Parsed, stable_id
from sitroom.segment import segment, split_sentences


def run(text: str) -> tuple[list[Actor], list[Mention]]:
    segs = segment(text)
    actors, mentions = find_actors(Parsed(text, segs, split_sentences(text, segs)))
    for actor in actors:
        for span in actor.mentions:
            assert 0 <= span.start < span.end <= len(text)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    return actors, mentions


def by_name(actors: list[Actor]) -> dict[str, Actor]:
    return {a.name: a for a in actors}


def test_aliases_share_one_canonical_actor():
    text = "Daesh fighters fled. ISIL lost the town and Isis snipers stayed, the Islamic State group said."
    actors = by_name(run(text)[0])
    assert actors["Islamic State"].type == "rebel_group"
    assert len(actors["Islamic State"].mentions) == 4
    assert actors["Islamic State"].id == stable_id("actor", "Islamic State")


def test_short_acronyms_are_case_sensitive_and_word_bounded():
    actors = by_name(run("This is what the UN said. IS claimed the attack. The unit is ISOLATED.")[0])
    assert [len(actors["United Nations"].mentions), len(actors["Islamic State"].mentions)] == [1, 1]
    assert "Islamic State" not in by_name(run("THIS IS WHY WE FIGHT, the poster said.")[0])


def test_state_forces_by_demonym_pattern():
    actors = by_name(run("Nigerian troops and Kenyan police clashed with Malian security forces on Monday.")[0])
    assert actors["Military Forces of Nigeria"].country == "NG"
    assert actors["Military Forces of Nigeria"].type == "state_forces"
    assert "Police Forces of Kenya" in actors
    assert "Military Forces of Mali" in actors


def test_coordinated_forces_yield_both_countries():
    actors = by_name(run("Both Iraqi and US forces were hopeful the operation would end soon.")[0])
    assert {"Military Forces of Iraq", "Military Forces of the United States"} <= set(actors)


def test_bare_coalition_follows_the_last_named_coalition():
    actors = by_name(run("The Saudi-led coalition struck Sanaa. The coalition said 12 fighters died.")[0])
    assert len(actors["Saudi-led coalition"].mentions) == 2
    assert actors["Saudi-led coalition"].type == "external_forces"


def test_igo_ngo_types():
    actors = by_name(run("Save the Children and Medecins Sans Frontieres asked UNHCR and the African Union.")[0])
    assert actors["Save the Children"].type == "ngo"
    assert actors["Médecins Sans Frontières"].type == "ngo"
    assert actors["UNHCR"].type == "igo"
    assert actors["African Union"].type == "igo"


def test_person_mentions_titles_particles_and_surnames():
    text = (
        "Gen. Joseph Ridley visited the base. Abu Hamza al-Masri was not there. "
        "Ridley said the Provincial Health Directorate was short of staff."
    )
    _, mentions = run(text)
    people = [m.text for m in mentions if m.kind == "person"]
    orgs = [m.text for m in mentions if m.kind == "organization"]
    assert people == ["Gen. Joseph Ridley", "Abu Hamza al-Masri", "Ridley"]
    assert orgs == ["Provincial Health Directorate"]


def test_organisation_heads_and_acronyms():
    _, mentions = run("The Ministry of Interior and the National Salvation Front met MONUC officials in Goma.")
    orgs = [m.text for m in mentions if m.kind == "organization"]
    assert orgs == ["Ministry of Interior", "National Salvation Front", "MONUC"]


def test_foreign_army_in_a_home_conflict_is_external():
    text = "Somali troops and the Somali army retook the port. Ethiopian troops guarded the road."
    actors = by_name(run(text)[0])
    assert actors["Military Forces of Somalia"].type == "state_forces"
    assert actors["Military Forces of Ethiopia"].type == "external_forces"


def test_places_stage_vetoes_weak_person_names():
    text = "Shelling hit Khan al-Sheih on Friday. Gen. Omar Fadel said Khan al-Sheih was empty."
    segs = segment(text)
    parsed = Parsed(text, segs, split_sentences(text, segs))
    places = [Mention("location", m.start(), m.end(), m.group()) for m in re.finditer("Khan al-Sheih", text)]
    _, alone = find_actors(parsed)
    _, vetoed = find_actors(parsed, places)
    assert [m.text for m in alone if m.kind == "person"].count("Khan al-Sheih") == 2
    assert [m.text for m in vetoed if m.kind == "person"] == ["Gen. Omar Fadel"]
    assert all(m.label is None or m.label.startswith("actor_") for m in vetoed)


def test_coordinated_names_are_split():
    _, mentions = run("Secretary Kerry and Defense Secretary Ash Carter met the Ministry of Labour and Social Affairs.")
    assert [(m.kind, m.text) for m in mentions] == [
        ("person", "Secretary Kerry"),
        ("person", "Defense Secretary Ash Carter"),
        ("organization", "Ministry of Labour and Social Affairs"),
    ]


def test_cached_region_readings_give_the_same_mentions():
    from sitroom import actors as module

    text = (
        "Gen. Joseph Votel of the US Army met Abu Jandal al-Kuwaiti in Tel Abyad. Votel said the "
        "Ministry of Health and the Syrian Observatory for Human Rights counted 12 dead."
    )
    module._REGION_RUNS.clear()
    cold = run(text)
    warm = run(text)  # every region read from the table now
    assert cold == warm
    assert {m.text for m in cold[1]} >= {"Gen. Joseph Votel", "Votel", "Abu Jandal al-Kuwaiti"}
