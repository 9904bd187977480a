"""Attribution cues on small hand-made sentences: names, roles, cues and offsets."""

from __future__ import annotations

import pytest

from sitroom.attribution import Attribution, find_attributions
from sitroom.model import Parsed
from sitroom.segment import segment, split_sentences


def attributions(text: str) -> list[Attribution]:
    segs = segment(text)
    parsed = Parsed(text, segs, split_sentences(text, segs))
    found = [a for s in parsed.sentences for a in find_attributions(parsed, s)]
    for a in found:
        assert text[a.name_start : a.name_end] == a.name
        assert text[a.cue_start : a.cue_end].split()[0].lower() == a.cue.split()[0]
    return found


def one(text: str) -> Attribution:
    found = attributions(text)
    assert len(found) == 1, found
    return found[0]


def test_according_to_trims_the_article():
    a = one("Snipers killed around 40 people near the river, according to the UN.")
    assert (a.name, a.cue, a.kind) == ("UN", "according to", "name")


def test_according_to_a_statement_from_names_the_issuer():
    a = one("Twelve people died, according to a statement from the Health Ministry.")
    assert a.name == "Health Ministry"


def test_subject_said_in_a_statement():
    a = one("“Children are in danger,” Oxfam International said in a statement on Monday.")
    assert a.name == "Oxfam International"
    assert a.cue == "said in a statement"


def test_organisation_with_inner_article():
    assert one("Save the Children said the camps were full.").name == "Save the Children"


def test_inverted_said_with_rank_and_appositive_role():
    a = one("“We are close,” said Major General Karim al-Tamimi, head of the northern command, on radio.")
    assert a.name == "Karim al-Tamimi"
    assert a.role == "Major General, head of the northern command"


def test_appositive_role_before_told():
    a = one("“Streets are narrow,” Ali al-Jaburi, spokesman for the provincial police, told a local channel.")
    assert a.name == "Ali al-Jaburi"
    assert a.role == "spokesman for the provincial police"
    assert a.cue == "told"


def test_person_of_organisation_keeps_the_organisation_as_role():
    a = one("“It is worse,” Jane Doe of Airwars recently told reporters.")
    assert a.name == "Jane Doe"
    assert a.role == "Airwars"


def test_pronoun_subject_is_flagged():
    a = one("“It is over,” he said.")
    assert (a.name, a.kind) == ("he", "pronoun")


def test_role_only_subject():
    a = one("Local officials said the bridge was destroyed.")
    assert a.kind == "role"
    assert a.role == "Local officials"


def test_title_moves_to_role():
    a = one("Defence Minister Maria Lopez said troops would stay.")
    assert (a.name, a.role) == ("Maria Lopez", "Defence Minister")


def test_body_believes_and_skipped_adverb():
    a = one("The coalition now believes fewer than 300 fighters remain.")
    assert (a.name, a.cue) == ("coalition", "believes")


@pytest.mark.parametrize(
    "text",
    [
        "Ten people were reported killed in the clashes.",
        "An estimated 50,000 children live in the district.",
        "Civilians have been told to flee the town.",
        "The group claimed responsibility for the bombing.",
    ],
)
def test_no_attribution(text):
    assert attributions(text) == []


def test_sentence_initial_according_to_has_no_clause_as_role():
    a = one("According to the Syrian Observatory for Human Rights, 14 fighters died.")
    assert (a.name, a.role, a.cue) == ("Syrian Observatory for Human Rights", None, "according to")


def test_according_to_with_enclosed_role():
    a = one("According to Ali Musa, a local doctor, the clinic was hit.")
    assert (a.name, a.role) == ("Ali Musa", "a local doctor")


def test_passive_agent_is_the_source():
    assert one("As reported by local activists, the bridge fell.").name == "local activists"


def test_cue_words_used_as_nouns_are_not_cues():
    assert attributions("Syrian reports say five people died.")[0].cue == "say"
    assert attributions("According to a strict timetable, troops left.") == []


def test_time_adverbials_between_subject_and_cue_are_skipped():
    assert one("The SDF on Thursday said five fighters died.").name == "SDF"
    assert one("Smith last week told reporters the road was cut.").name == "Smith"


def test_complementiser_is_not_part_of_the_source():
    names = [a.name for a in attributions("Officials warned that the prison guards said nothing.")]
    assert names == ["Officials", "prison guards"]


def test_cue_triggers_find_what_the_cue_pattern_finds():
    from sitroom.attribution import _CUE, _cues

    text = (
        "Officials said 3 died. According to police, he was quoted as saying no. Unsaid words, "
        "sayings. She says, adds and told; they were quoted as saying yes. ISIS claimed responsibility. "
        "Said Ellis: fine. accordingly, he acknowledged it in a statement."
    )
    for start, end in [(0, len(text)), (5, 90), (40, len(text))]:
        want = [(m.span(), m.groupdict()) for m in _CUE.finditer(text, start, end)]
        assert [(m.span(), m.groupdict()) for m in _cues(text, start, end)] == want
