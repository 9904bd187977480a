"""Direct quotes and their speakers on small hand-made paragraphs."""

from __future__ import annotations

from sitroom.actors import find_actors
from sitroom.model import Parsed, Quote
from sitroom.quotes import find_quotes
from sitroom.segment import segment, split_sentences


def quotes(text: str) -> list[Quote]:
    segs = segment(text)
    parsed = Parsed(text, segs, split_sentences(text, segs))
    _, mentions = find_actors(parsed)
    found = find_quotes(parsed, mentions)
    for q in found:
        assert text[q.evidence.start : q.evidence.end] == q.evidence.text
        assert q.direct
    return found


def speakers(found: list[Quote]) -> list[tuple[str, str | None] | None]:
    return [(q.speaker.name, q.speaker.role) if q.speaker else None for q in found]


def test_inverted_attribution_with_rank_and_role():
    found = quotes("“The road is open,” said Colonel Amir Haddad, commander of the border brigade, on the radio.")
    assert found[0].evidence.text == "The road is open"
    assert speakers(found) == [("Amir Haddad", "Colonel, commander of the border brigade")]


def test_quote_split_over_sentences_takes_the_cue_after_it():
    text = "“Streets are narrow. Progress will be slow,” Mona Saleh, spokeswoman for the provincial council, told TV."
    found = quotes(text)
    assert found[0].evidence.text == "Streets are narrow. Progress will be slow"
    assert speakers(found) == [("Mona Saleh", "spokeswoman for the provincial council")]


def test_partial_quote_takes_pronoun_resolved_to_last_speaker():
    text = (
        "“We are ready,” said Gen. Paul Okoro on Monday. But he added that clearing the town "
        "was not an “easy task”."
    )
    found = quotes(text)
    assert [q.evidence.text for q in found] == ["We are ready", "easy task"]
    assert [s[0] for s in speakers(found)] == ["Paul Okoro", "Paul Okoro"]


def test_unattributed_quote_continues_the_previous_speaker():
    text = (
        "“We saw the bombing,” Lina Haddad of Airwars told reporters. “It was worse than last year.”\n\n"
        "“Nobody was warned before the strikes.”"
    )
    found = quotes(text)
    assert [s[0] for s in speakers(found)] == ["Lina Haddad"] * 3
    assert speakers(found)[0] == ("Lina Haddad", "Airwars")


def test_quote_continued_into_the_next_paragraph():
    text = (
        "The minister, Ali Nouri, said: “The first phase is over and the second has started.\n\n"
        "“We expect the bridges to open within a week.”"
    )
    found = quotes(text)
    assert len(found) == 2
    assert [s[0] for s in speakers(found)] == ["Ali Nouri", "Ali Nouri"]


def test_organisation_speaker_in_a_statement():
    found = quotes("“Children are in grave danger,” Save the Children said in a statement.")
    assert speakers(found) == [("Save the Children", None)]


def test_role_only_speaker_is_kept_as_role():
    found = quotes("“We will hold the line,” the army spokesman said.")
    assert speakers(found) == [("army spokesman", "army spokesman")]


def test_straight_quotes_and_colon_lead_in():
    found = quotes('Asked about the talks, Mr. Kamau said: "There is no deal yet."')
    assert speakers(found) == [("Mr. Kamau", None)]
    assert found[0].evidence.text == "There is no deal yet."


def test_one_word_scare_quotes_and_titles_are_not_speech():
    assert quotes("The group called the truce a “farce” and left.") == []
    assert quotes("“Face the Nation,” the show she hosted, said little.") == []


def test_cue_in_another_paragraph_is_not_the_speaker():
    found = quotes(
        "Mayor Lina Farah said the bridge would reopen.\n\n"
        "“We have no water and no power in the camp,” one sentence ends here.\n\n"
        "“The shelling went on all night long,” Omar Haddad told reporters."
    )
    assert speakers(found) == [None, ("Omar Haddad", None)]


def test_she_skips_a_man_the_article_calls_he():
    found = quotes(
        "Mr. Karim Nasser arrived first. He waited at the gate. Dr. Rania Saleh came later.\n\n"
        "“The clinic is full and the wounded keep coming,” she said."
    )
    assert speakers(found)[0] is not None and speakers(found)[0][0] == "Rania Saleh"
