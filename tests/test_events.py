"""ACLED event typing, grouping and attributes on hand-made sentences with hand-built stages."""

from __future__ import annotations

import pytest

from sitroom import figures as figures_mod
from sitroom.dates import find_dates
from sitroom.events import find_events
from sitroom.model import Actor, Event, Evidence, Figure, Parsed, Place, Span, stable_id
from sitroom.segment import segment, split_sentences


def parse(text: str, published: str | None = None) -> Parsed:
    segs = segment(text)
    return Parsed(text, segs, split_sentences(text, segs), published)


def spans(text: str, word: str) -> list[Span]:
    out, start = [], text.find(word)
    while start >= 0:  # test helper only: the code under test computes its own offsets
        out.append(Span(start, start + len(word)))
        start = text.find(word, start + 1)
    return out


def place(text: str, name: str, feature: str = "city", country: str = "XX", lat: float = 1.0) -> Place:
    return Place(stable_id("place", name), name, lat, 2.0, country, None, feature, None, spans(text, name))


def actor(text: str, name: str, kind: str) -> Actor:
    return Actor(stable_id("actor", name), name, kind, None, spans(text, name))


def run(text: str, published: str | None = None, places=(), actors=(), figures=()) -> list[Event]:
    parsed = parse(text, published)
    events = find_events(parsed, list(places), list(actors), find_dates(parsed), list(figures))
    for ev in events:
        assert text[ev.evidence.start : ev.evidence.end] == ev.evidence.text
        assert ev.id == stable_id("event", ev.evidence.start, ev.evidence.end, ev.type)
    return events


def first(text: str) -> tuple[str, str | None]:
    events = run(text)
    assert events, f"no event in {text!r}"
    return events[0].type, events[0].sub_type


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Militants clashed with soldiers near the border.", ("Battles", "Armed clash")),
        ("Gunmen attacked a police patrol and wounded two officers.", ("Battles", "Armed clash")),
        ("Gunmen shot dead a farmer in his field.", ("Violence against civilians", "Attack")),
        ("Rebels recaptured the town from the army.", ("Battles", "Non-state actor overtakes territory")),
        ("Troops retook the village after heavy fighting.", ("Battles", "Government regains territory")),
        ("Warplanes carried out airstrikes on a market.", ("Explosions/Remote violence", "Air/drone strike")),
        ("Mortar shells hit the positions of the enemy.",
         ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
        ("A roadside bomb exploded under a bus.", ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
        ("A suicide bomber blew himself up at a checkpoint.", ("Explosions/Remote violence", "Suicide bomb")),
        ("Attackers lobbed a grenade into a bar.", ("Explosions/Remote violence", "Grenade")),
        ("Rebels fired rockets filled with chlorine gas.", ("Explosions/Remote violence", "Chemical weapon")),
        ("Gunmen kidnapped a teacher on the road.", ("Violence against civilians", "Abduction/forced disappearance")),
        ("Soldiers raped two women in the camp.", ("Violence against civilians", "Sexual violence")),
        ("Hundreds of teachers protested over unpaid wages.", ("Protests", "Peaceful protest")),
        ("Workers demonstrated outside the ministry. Police dispersed them with tear gas.",
         ("Protests", "Protest with intervention")),
        ("Police opened fire on protesters, killing three.", ("Protests", "Excessive force against protesters")),
        ("Demonstrators threw stones at police and burned tyres.", ("Riots", "Violent demonstration")),
        ("A mob lynched a suspected thief.", ("Riots", "Mob violence")),
        ("Two village groups clashed over a land dispute.", ("Riots", "Mob violence")),
        ("Police arrested five suspects in a raid on a house.", ("Strategic developments", "Arrests")),
        ("The two sides signed a ceasefire agreement.", ("Strategic developments", "Agreement")),
        ("Army engineers defused an explosive device found near the school.",
         ("Strategic developments", "Disrupted weapons use")),
        ("Settlers set fire to olive groves and looted shops.",
         ("Strategic developments", "Looting/property destruction")),
    ],
)
def test_sentence_types(text: str, expected: tuple[str, str]):
    assert first(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Conflict reporting's own words: martyrdom is a killing, an "aggression" an attack.
        ("Two citizens were martyred in an aggression on the town.", ("Violence against civilians", "Attack")),
        ("The enemy launched an aerial aggression on points near the city.",
         ("Explosions/Remote violence", "Air/drone strike")),
        # A participle after the people names what befell them, not what they did.
        ("Two citizens martyred in an aggression on the town.", ("Violence against civilians", "Attack")),
        ("Six family members were among the civilians hurt in the attack on the road.",
         ("Violence against civilians", "Attack")),
        # ... while people doing the act stay a mob.
        ("Residents killed a suspected thief in the village.", ("Riots", "Mob violence")),
        ("Villagers killed at least two thieves.", ("Riots", "Mob violence")),
    ],
)
def test_victims_named_before_a_participle_and_conflict_vocabulary(text: str, expected: tuple[str, str]):
    assert first(text) == expected


def test_hedged_and_future_violence_is_not_an_event():
    assert run("Air strikes will be limited in the old city.") == []


def test_disasters_and_accidents_are_not_events_but_may_have_is_kept():
    assert run("A flood killed 20 villagers in the valley.") == []
    assert run("The bus plunged off a bridge and 19 people were killed.") == []
    assert first("Airstrikes may have killed five civilians.") == ("Explosions/Remote violence", "Air/drone strike")


def test_background_riot_noun_does_not_make_a_protest_violent():
    assert first("Families held a protest over visits banned since the prison riot.") == (
        "Protests", "Peaceful protest")


def test_details_in_following_sentences_join_the_event():
    text = "On 3 May 2020, workers staged a demonstration in Alpha. They threw stones at the police."
    events = run(text, places=[place(text, "Alpha")])
    assert [(e.type, e.sub_type) for e in events] == [("Riots", "Violent demonstration")]
    assert events[0].date == "2020-05-03"


def test_a_toll_sentence_joins_the_event_but_a_new_armed_agent_starts_another():
    text = "Gunmen attacked a police patrol in Gamma. Three officers died. The attack lasted an hour."
    died = Figure("f1", "killed", "officers", 3, 3, 3, None, None, None, [], None,
                  Evidence.of(text, text.find("Three"), text.find("died") + 4))
    events = run(text, figures=[died])
    assert [(e.type, e.fatalities) for e in events] == [("Battles", figures_mod.fatalities([died]))]
    other = run("Soldiers clashed with rebels in Gamma. Snipers killed 12 civilians.")
    assert [e.type for e in other] == ["Battles", "Violence against civilians"]


def test_main_event_first_and_separate_happenings_kept_apart():
    text = ("Soldiers clashed with rebels in Alpha on Sunday. Fighting went on all day.\n\n"
            "Separately, snipers killed 12 civilians in Beta.")
    events = run(text, "2021-03-10", places=[place(text, "Alpha"), place(text, "Beta", lat=5.0)])
    assert [e.type for e in events] == ["Battles", "Violence against civilians"]
    assert events[0].date == "2021-03-07"
    assert events[0].evidence.text.startswith("Soldiers clashed")
    assert events[1].actor2 == "Civilians"


def test_headline_and_lead_are_one_event_typed_by_the_lead_weapon():
    text = "Strikes kill three in Gamma\n\nThree civilians were killed in a rocket attack on Gamma on Monday."
    events = run(text, "2022-01-05")
    assert [(e.type, e.sub_type) for e in events] == [
        ("Explosions/Remote violence", "Shelling/artillery/missile attack")]
    assert events[0].evidence.text == "Strikes kill three in Gamma"


def test_place_is_the_town_after_a_locative_word_not_the_country_or_actor_name():
    text = "On 9 May 2020, Alpha Brigade militants attacked an army post in Gamma, Deltaland."
    places = [place(text, "Alpha", "town"), place(text, "Gamma", "town"), place(text, "Deltaland", "country")]
    actors = [actor(text, "Alpha Brigade", "rebel_group")]
    ev = run(text, places=places, actors=actors)[0]
    assert ev.place == stable_id("place", "Gamma")
    assert ev.actor1 == stable_id("actor", "Alpha Brigade")


def test_a_neighbourhood_is_placed_in_its_town_and_a_company_name_is_no_place():
    text = "Workers of Alpha Mining Company protested in the Beta neighbourhood of Gamma."
    places = [place(text, "Alpha", "town"), place(text, "Beta", "village"), place(text, "Gamma", "city")]
    ev = run(text, places=places)[0]
    assert (ev.type, ev.place) == ("Protests", stable_id("place", "Gamma"))


def test_country_in_the_title_is_refined_by_a_later_town_of_the_same_country():
    text = "Drone strike kills three in Deltaland\n\nThe strike hit a car near Gamma on Monday."
    places = [place(text, "Deltaland", "country"), place(text, "Gamma", "village")]
    ev = run(text, "2022-01-05", places=places)[0]
    assert ev.type == "Explosions/Remote violence"
    assert ev.place == stable_id("place", "Gamma")


def test_actors_by_voice_and_civilians_as_victims():
    text = "A farmer was shot dead by Omega militants in Gamma."
    actors = [actor(text, "Omega", "rebel_group")]
    ev = run(text, actors=actors)[0]
    assert (ev.type, ev.actor1, ev.actor2) == ("Violence against civilians", stable_id("actor", "Omega"), "Civilians")


def test_fatalities_and_injured_come_from_the_event_figures():
    text = "On 4 May 2020, gunmen killed 3 villagers and wounded 5 in Gamma."
    killed = Figure("f1", "killed", "villagers", 3, 3, 3, None, None, None, [], None,
                    Evidence.of(text, text.find("killed"), text.find("villagers") + 9))
    injured = Figure("f2", "injured", None, 5, 5, 5, None, None, None, [], None,
                     Evidence.of(text, text.find("wounded"), text.find("wounded") + 9))
    ev = run(text, figures=[killed, injured])[0]
    assert ev.fatalities == figures_mod.fatalities([killed])
    assert (ev.injured.low, ev.injured.best, ev.injured.high) == (5, 5, 5)


def test_note_label_prefix_decides_the_type():
    assert first("Property destruction: On 4 May 2020, forces destroyed 9 shelters.") == (
        "Strategic developments", "Looting/property destruction")


def test_no_event_in_calm_text():
    assert run("The minister opened a new school and praised the teachers.") == []


def _killed(text: str, phrase: str, who: str, n: int, occurrence: int = 0) -> Figure:
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(phrase, start + 1)
    return Figure(f"k{start}", "killed", who, n, n, n, None, None, None, [], None,
                  Evidence.of(text, start, start + len(phrase)))


def test_main_event_takes_the_deaths_of_its_lead_paragraph():
    # The deaths are told in a sentence of their own, and recalled lower down with an earlier toll.
    text = ("Rockets hit a market in Gamma on Monday.\n\n"
            "The attack left two persons dead.\n\n"
            "Residents said two persons were killed. Last month, shelling killed 9 people in Delta.")
    found = [_killed(text, "two persons dead", "dead", 2), _killed(text, "two persons were killed", "persons", 2),
             _killed(text, "killed 9 people", "people", 9)]
    assert run(text, figures=found)[0].fatalities.best == 2


def test_deaths_told_far_below_the_lead_are_not_the_main_event():
    paragraphs = ["Rockets hit a market in Gamma on Monday.", "Shops were damaged.", "Firefighters came.",
                  "The market reopened.", "In 2019, gunmen killed 9 villagers in Delta."]
    text = "\n\n".join(paragraphs)
    found = [_killed(text, "killed 9 villagers", "villagers", 9)]
    assert run(text, figures=found)[0].fatalities.best == 0


def test_a_province_is_preferred_to_the_country_when_no_town_is_known():
    # "forces of Deltaland ... near Unknownville, Gammaprov": the province, not the country.
    text = "On 7 May 2020, forces of Deltaland fired mortars at positions near Omegatown, Gammaprov."
    places = [place(text, "Deltaland", "country"), place(text, "Gammaprov", "admin1")]
    ev = run(text, places=places)[0]
    assert ev.place == stable_id("place", "Gammaprov")


def test_the_countryside_of_a_town_is_refined_only_by_a_town_nearby():
    text = ("Shelling kills civilian in Gamma countryside\n\n"
            "The shells hit the village of Beta on Monday. Officials in Alpha condemned it.")
    near = Place(stable_id("place", "Beta"), "Beta", 1.2, 2.0, "XX", None, "village", None, spans(text, "Beta"))
    far = Place(stable_id("place", "Alpha"), "Alpha", 3.0, 2.0, "XX", None, "city", None, spans(text, "Alpha"))
    gamma = place(text, "Gamma", "city", lat=1.0)
    ev = run(text, "2022-01-05", places=[gamma, near, far])[0]
    assert ev.place == stable_id("place", "Beta")  # 22 km away; Alpha (220 km) is not "Gamma countryside"
    text2 = "Shelling kills civilian in Gamma countryside\n\nOfficials in Alpha condemned it on Monday."
    far2 = Place(stable_id("place", "Alpha"), "Alpha", 3.0, 2.0, "XX", None, "city", None, spans(text2, "Alpha"))
    ev2 = run(text2, "2022-01-05", places=[place(text2, "Gamma", "city"), far2])[0]
    assert ev2.place == stable_id("place", "Gamma")


def test_a_list_of_places_after_from_is_where_people_came_from():
    text = "On 3 May 2020, protesters from Alpha, Beta and Gamma gathered in Delta to demand jobs."
    places = [place(text, n, "city") for n in ("Alpha", "Beta", "Gamma", "Delta")]
    ev = run(text, places=places)[0]
    assert (ev.type, ev.place) == ("Protests", stable_id("place", "Delta"))


def test_a_place_named_as_the_target_of_a_shelling_verb_is_where_it_happened():
    text = "Turkish forces shell Gamma injuring two civilians in the morning, officials in Alpha said."
    places = [place(text, "Gamma", "village"), place(text, "Alpha", "city")]
    ev = run(text, places=places)[0]
    assert ev.place == stable_id("place", "Gamma")


def test_an_area_is_not_refined_by_another_area():
    # "in Gamma countryside in Beta countryside": Beta's countryside is no finer than Gamma's.
    text = ("Shelling injures civilian in Gamma countryside in Beta countryside, the monitor said.\n\n"
            "Officials later met in Delta.")
    gamma = place(text, "Gamma", "village", lat=1.0)
    beta = Place(stable_id("place", "Beta"), "Beta", 1.2, 2.0, "XX", None, "city", None, spans(text, "Beta"))
    delta = Place(stable_id("place", "Delta"), "Delta", 5.0, 2.0, "XX", None, "city", None, spans(text, "Delta"))
    ev = run(text, "2022-01-05", places=[gamma, beta, delta])[0]
    assert ev.place == stable_id("place", "Gamma")


def test_a_country_possessive_between_the_locative_word_and_the_town_keeps_the_locative():
    text = "Alpha, Deltaland (Agency) - Shelling on Deltaland's Gamma injures four children."
    places = [place(text, "Alpha", "city"), place(text, "Deltaland", "country"), place(text, "Gamma", "village")]
    ev = run(text, places=places)[0]
    assert ev.place == stable_id("place", "Gamma")


def test_the_place_a_note_says_it_is_coded_as_wins():
    text = "On 29 April 2020, in Beta village, coded as Gamma district, a group of residents protested."
    places = [place(text, "Beta", "village"), place(text, "Gamma", "admin2")]
    ev = run(text, places=places)[0]
    assert ev.place == stable_id("place", "Gamma")


# The cue and party lexicons, cut by first letter and learning late, must return exactly what the
# plain definition of a gated pattern returns: same matches, same groups, at every range.
_GATE_TEXTS = [
    "Protesters gathered in the capital on Monday. Police fired tear gas and arrested 12 people.",
    "A car bomb exploded near the market, killing three civilians; a roadside bomb was defused.",
    "Turkish strikes on Afrin killed two fighters. Clashes erupted between villagers and herders.",
    "The bank based in the town was robbed. Strikes will be limited, officials said. The air",
    "İSTANBUL: ſhelling and AIRSTRIKES hit the city; gunmen abducted a police officer. state of emergency",
    "Nothing happened here at all, the weather was fine and the banners were colourful",
]


@pytest.mark.parametrize("text", _GATE_TEXTS)
def test_gate_matches_like_gated_pattern(text: str) -> None:
    from sitroom import events
    from tests.test_textmatch import every_range, same_as_reference

    for gated in (events._CUE_RE, events._PARTY_RE):
        same_as_reference(gated, text, every_range(text) + [(s.start, s.end) for s in parse(text).sentences])


def test_tail_regexes_answer_like_their_search() -> None:
    from sitroom import events

    tails = [getattr(events, name) for name in dir(events) if isinstance(getattr(events, name), events._Tail)]
    assert len(tails) >= 8
    pieces = ["troops will not be ", "it may ", "dismay ", "(may ", "in the town of ", "pin ", "fighting in\n",
              "shelled the outskirts of ", "Syria's ", "north of Aleppo’s ", "coded as the ", "located at ",
              "WILL ", "wıll ", "the plan_ ", "in", "", "   ", "region of the ", "ſhelled ", "vowed to "]
    for tail in tails:
        for piece in pieces:
            assert (tail.search(piece) is None) == (tail.regex.search(piece) is None), (tail.regex.pattern, piece)
