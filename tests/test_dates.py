"""Date expressions on hand-made sentences: explicit, ambiguous numeric and relative dates."""

from __future__ import annotations

import pytest

from sitroom import dates
from sitroom.dates import date_mentions, find_dates
from sitroom.model import DateRef, Parsed
from sitroom.segment import segment, split_sentences


def run(text: str, published: str | None = None) -> list[DateRef]:
    segs = segment(text)
    parsed = Parsed(text, segs, split_sentences(text, segs), published)
    found = find_dates(parsed)
    for ref in found:
        assert 0 <= ref.start < ref.end <= len(text)
    for mention in date_mentions(parsed, found):
        assert text[mention.start : mention.end] == mention.text
    return found


def values(text: str, published: str | None = None) -> list[tuple[str, str, str]]:
    return [(text[d.start : d.end], d.value, d.precision) for d in run(text, published)]


def test_explicit_day_month_year_forms():
    text = "On 9 May 2020, fighters attacked. On May 10, 2020 they left. The 2nd of June 2019 was calm. 2020-05-11."
    assert values(text) == [
        ("9 May 2020", "2020-05-09", "day"),
        ("May 10, 2020", "2020-05-10", "day"),
        ("2nd of June 2019", "2019-06-02", "day"),
        ("2020-05-11", "2020-05-11", "day"),
    ]


def test_day_range_takes_its_first_day_and_weekday_prefix_is_kept():
    assert values("Fighting on 2-3 May 2020 and on Saturday, Dec. 14, 2019.") == [
        ("2-3 May 2020", "2020-05-02", "day"),
        ("Saturday, Dec. 14, 2019", "2019-12-14", "day"),
    ]


def test_weekday_is_the_most_recent_one_and_same_day_when_published_on_it():
    # 2017-06-19 is a Monday.
    assert values("The offensive began on Sunday.", "2017-06-19") == [("Sunday", "2017-06-18", "day")]
    assert values("He spoke Monday.", "2017-06-19") == [("Monday", "2017-06-19", "day")]
    assert values("They met last Monday.", "2017-06-19") == [("last Monday", "2017-06-12", "day")]
    assert values("Talks resume next Friday.", "2017-06-19") == [("next Friday", "2017-06-23", "day")]


def test_month_alone_is_the_most_recent_one_not_after_publication():
    assert values("The operation, launched in October, goes on.", "2017-06-19") == [
        ("October", "2016-10", "month")
    ]
    assert values("Protests began in June.", "2017-06-19") == [("June", "2017-06", "month")]
    assert values("Talks failed last October and resumed in mid-March.", "2017-10-19") == [
        ("last October", "2016-10", "month"),
        ("mid-March", "2017-03", "month"),
    ]
    assert values("They may March.", "2017-06-19") == []


def test_relative_days_weeks_months_years():
    text = ("Yesterday a bomb exploded. Last night shells fell. This morning it rained. Last week talks failed. "
            "Earlier this month a truce held. Three days ago they fled. Last year was worse.")
    assert [(v, p) for _, v, p in values(text, "2020-02-05")] == [
        ("2020-02-04", "day"),
        ("2020-02-04", "day"),
        ("2020-02-05", "day"),
        ("2020-01-27", "week"),
        ("2020-02", "month"),
        ("2020-02-02", "day"),
        ("2019", "year"),
    ]


def test_tonight_and_weekday_nights():
    assert values("Tonight is calm. Late on Friday night shells fell.", "2020-02-05") == [
        ("Tonight", "2020-02-05", "day"),
        ("Friday", "2020-01-31", "day"),
    ]


def test_seasons_and_years():
    assert values("Fighters swept in during the summer of 2014. Since 1990, and in 2003.") == [
        ("summer of 2014", "2014", "season"),
        ("1990", "1990", "year"),
        ("2003", "2003", "year"),
    ]


def test_relative_dates_need_a_publication_date():
    assert values("On Sunday, yesterday and last week nothing happened.") == []


def test_date_without_year_takes_the_year_of_a_full_date_in_the_text():
    assert values("On 9 May 2019 they met; on May 12 they fought.") == [
        ("9 May 2019", "2019-05-09", "day"),
        ("May 12", "2019-05-12", "day"),
    ]
    assert values("A protest held January 30 was dispersed.") == []
    assert values("A protest held January 30 was dispersed.", "2020-02-05") == [
        ("January 30", "2020-01-30", "day")
    ]


def test_day_month_far_after_publication_is_last_year():
    assert values("Clashes on December 3 killed two.", "2020-01-10") == [("December 3", "2019-12-03", "day")]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Shot on 13/05/2020.", None, "2020-05-13"),  # only one reading is valid
        ("Shot on 05/13/2020.", None, "2020-05-13"),
        ("Shot on 9/5/2020.", None, "2020-05-09"),  # day first on a tie without context
        ("Shot on 9/5/2020.", "2020-09-06", "2020-09-05"),  # the reading nearest publication
    ],
)
def test_numeric_dates_are_disambiguated(text: str, published: str | None, expected: str):
    assert [v for _, v, _ in values(text, published)] == [expected]


def test_may_the_verb_and_numbers_are_not_dates():
    assert values("They may 2 times refuse. 2014 people fled and 300 km away.", "2020-01-01") == []


def test_without_publication_date_relative_words_use_the_full_date_written_before_them():
    # 2022-10-28 is a Friday.
    text = "Shelling hit the town on October 28, 2022. On Wednesday, a drone struck a car. Yesterday it was calm."
    assert values(text) == [
        ("October 28, 2022", "2022-10-28", "day"),
        ("Wednesday", "2022-10-26", "day"),
        ("Yesterday", "2022-10-27", "day"),
    ]
    # A full date written only after the relative word is a back-reference, not the base.
    assert values("On Sunday, a drone struck a car. On 9 May 2022, activists reported a raid.") == [
        ("9 May 2022", "2022-05-09", "day"),
    ]


def test_arabic_comma_between_day_month_and_year():
    assert values("The strike of 2 February، 2022 killed ten.") == [("2 February، 2022", "2022-02-02", "day")]


def test_a_dateline_segment_is_the_base_but_not_a_date_of_the_text():
    text = "2 February, 2022\n\nTen civilians were killed on Monday in shelling on the city, local sources said today."
    assert values(text) == [("Monday", "2022-01-31", "day"), ("today", "2022-02-02", "day")]


def test_without_publication_date_a_day_month_ignores_full_dates_far_below_it():
    text = ("Two people were killed on 24 July in an attack on a church. " + "Residents gathered. " * 12
            + "The town was shelled before, on 28 January 2017.")
    assert values(text) == [("28 January 2017", "2017-01-28", "day")]  # "24 July" stays unresolved
    assert values("They met on 9 May and fought on 12 May 2019.")[0] == ("9 May", "2019-05-09", "day")


_GATE_TEXTS = [
    "On Monday, 3 May 2021 and 12/05/2020, troops left; last week 2,000 people fled, in 2014 and since May.",
    "may may may may may be the 5th of March, early June or mid-July 2019; two days ago, yesterday evening",
    "Saturday, Dec. 14, 2019: 2019-12-14 at 5pm the 1990s. This morning last summer 14 km, 2014 people",
]


@pytest.mark.parametrize("text", _GATE_TEXTS)
def test_date_pattern_matches_like_the_plain_gated_pattern(text: str) -> None:
    from tests.test_textmatch import every_range, same_as_reference

    same_as_reference(dates._REGEX, text, every_range(text))
