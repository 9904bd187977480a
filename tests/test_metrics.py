"""Every metric of sitroom.evaluation.metrics on tiny hand-made reports and gold records."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sitroom.evaluation import metrics as m
from sitroom.evaluation.runner import format_table, run

MOSUL = (36.34, 43.13)
RAQQA = (35.95, 39.01)


def report(**parts: Any) -> dict[str, Any]:
    return {**m.EMPTY_REPORT, **parts}


def place(pid: str, lat: float | None, lon: float | None, *spans: tuple[int, int], name: str = "X", **kw: Any):
    return {"id": pid, "name": name, "lat": lat, "lon": lon, "mentions": [{"start": s, "end": e} for s, e in spans],
            "role": "narrative", **kw}


def event(type_: str = "Battles", sub: str | None = "Armed clash", best: int | None = 2,
          date: str | None = "2020-05-09", place_id: str | None = "p1") -> dict[str, Any]:
    return {"id": "e1", "type": type_, "sub_type": sub, "date": date, "place": place_id,
            "fatalities": {"low": best, "best": best, "high": best}, "evidence": {"start": 0, "end": 5, "text": "x"}}


def figure(category: str, start: int, end: int, low=None, best=None, high=None, fid: str = "f1") -> dict[str, Any]:
    return {"id": fid, "category": category, "low": low, "best": best, "high": high,
            "evidence": {"start": start, "end": end, "text": ""}}


def quote(start: int, end: int, speaker: str | None) -> dict[str, Any]:
    return {"id": "q", "direct": True, "speaker": {"name": speaker, "role": None} if speaker else None,
            "evidence": {"start": start, "end": end, "text": ""}}


# -- helpers -----------------------------------------------------------------------------------


def test_haversine_known_distance():
    assert m.haversine_km(*MOSUL, *RAQQA) == pytest.approx(373, abs=5)
    assert m.haversine_km(*MOSUL, *MOSUL) == 0


def test_overlap_is_half_open():
    assert m.overlaps((0, 5), (4, 9))
    assert not m.overlaps((0, 5), (5, 9))


@pytest.mark.parametrize(
    ("gold", "pred", "ok"),
    [
        ("Caddell", "Pat Caddell", True),
        ("The New York Times", "New York Times", True),
        ("Donald Trump", "Trump", True),
        ("Hillary Clinton", "Bill Clinton", True),  # last names equal: the documented loose rule
        ("he", "Stephen Miller", False),  # word containment, not substring
        ("Chris Woods", None, False),
        ("Save the Children", "Save the Children's", True),
    ],
)
def test_speaker_matches(gold, pred, ok):
    assert m.speaker_matches(gold, pred) is ok


# -- acled2020 ---------------------------------------------------------------------------------

ACLED_GOLD = {"events": [{"type": "Battles", "sub_type": "Armed clash", "date": "2020-05-09", "lat": MOSUL[0],
                          "lon": MOSUL[1], "fatalities": 2}]}


def test_acled_all_right():
    r = report(events=[event()], places=[place("p1", 36.40, 43.10)])
    assert m.score_acled(r, ACLED_GOLD) == {
        "event_type": (1, 1), "fatalities_nonzero": (1, 1), "fatalities_all": (1, 1), "date": (1, 1),
        "place_25km": (1, 1),
    }


def test_acled_wrong_and_far():
    r = report(events=[event("Protests", best=None, date="2020-05-08")], places=[place("p1", *RAQQA)])
    got = m.score_acled(r, ACLED_GOLD)
    assert got["event_type"] == (0, 1)
    assert got["fatalities_nonzero"] == (0, 1)  # None counts as 0, gold says 2
    assert got["date"] == (0, 1)
    assert got["place_25km"] == (0, 1)


def test_acled_zero_fatalities_no_event():
    gold = {"events": [{**ACLED_GOLD["events"][0], "fatalities": 0}]}
    got = m.score_acled(report(), gold)
    assert got["fatalities_nonzero"] == (0, 0)  # not applicable
    assert got["fatalities_all"] == (1, 1)  # no event = 0 deaths, right here
    assert got["event_type"] == (0, 1)


# -- airwars -----------------------------------------------------------------------------------

AIRWARS_GOLD = {"events": [{"killed_min": 3, "killed_max": 5, "lat": RAQQA[0], "lon": RAQQA[1]},
                           {"killed_min": None, "killed_max": None, "lat": None, "lon": None}]}


def test_airwars_in_range_and_diagnostics():
    r = report(events=[event(best=4, place_id="p1")], places=[place("p1", 35.96, 39.02)],
               figures=[{**figure("killed", 0, 1, best=4), "who": "civilians"},
                        {**figure("killed", 2, 3, low=9, fid="f2"), "who": "fighters"},
                        figure("injured", 4, 5, best=3, fid="f3")])
    got = m.score_airwars(r, AIRWARS_GOLD)
    assert got["killed_in_range"] == (1, 1)
    assert got["killed_fig_in_range"] == (0, 1)  # the largest killed figure is 9
    assert got["killed_civ_fig_in_range"] == (1, 1)  # the largest civilian one is 4
    assert got["killed_any_fig_in_range"] == (1, 1)
    assert got["place_25km"] == (1, 1)


def test_airwars_no_range_not_scored():
    gold = {"events": [{"killed_min": None, "killed_max": None, "lat": None, "lon": None}]}
    got = m.score_airwars(report(), gold)
    assert got["killed_in_range"] == (0, 0)
    assert got["place_25km"] == (0, 0)


def test_airwars_zero_range_matches_no_event():
    gold = {"events": [{"killed_min": 0, "killed_max": 0}]}
    assert m.score_airwars(report(), gold)["killed_in_range"] == (1, 1)


# -- case2021 ----------------------------------------------------------------------------------


def test_case_sub_type():
    gold = {"events": [{"type": "Battles", "acled_sub_event_type": "Armed clash"}]}
    assert m.score_case(report(events=[event()]), gold)["sub_type"] == (1, 1)
    assert m.score_case(report(events=[event(sub="Attack")]), gold)["sub_type"] == (0, 1)
    assert m.score_case(report(), gold)["sub_type"] == (0, 1)


def test_case_non_acled_share_without_event():
    gold = {"events": [{"type": None, "acled_sub_event_type": None}]}
    assert m.score_case(report(), gold) == {"sub_type": (0, 0), "event_type": (0, 0), "non_acled_no_event": (1, 1)}
    assert m.score_case(report(events=[event()]), gold)["non_acled_no_event"] == (0, 1)


# -- toponyms ----------------------------------------------------------------------------------

TOPO_GOLD = {
    "places": [{"name": "Mosul", "start": 0, "end": 5, "lat": MOSUL[0], "lon": MOSUL[1]},
               {"name": "Raqqa", "start": 10, "end": 15, "lat": RAQQA[0], "lon": RAQQA[1]},
               {"name": "Nowhere", "start": 20, "end": 27, "lat": None, "lon": None}],
    "mentions": [{"kind": "location", "start": 0, "end": 5}, {"kind": "location", "start": 10, "end": 15},
                 {"kind": "location", "start": 20, "end": 27}],
}


def test_toponyms_prf_and_distance():
    # Mosul found and placed right; Raqqa found but placed in Mosul; one false toponym at 30..33.
    r = report(places=[place("p1", *MOSUL, (0, 5), (10, 15))],
               mentions=[{"kind": "location", "start": 30, "end": 33}, {"kind": "person", "start": 20, "end": 27}])
    counts = m.score_toponyms(r, TOPO_GOLD)
    assert counts["toponym_p"] == (2, 3)
    assert counts["toponym_r"] == (2, 3)
    assert counts["toponym_161km"] == (1, 2)  # gold places without coordinates are not counted
    agg = m.aggregate([counts])
    assert agg["toponym_f1"].value == pytest.approx(2 / 3)


def test_toponyms_nothing_predicted():
    agg = m.aggregate([m.score_toponyms(report(), TOPO_GOLD)])
    assert agg["toponym_p"].value is None
    assert agg["toponym_f1"].value == 0.0


# -- re3d entities -----------------------------------------------------------------------------


def test_entities_by_kind():
    gold = {"mentions": [{"kind": "person", "start": 0, "end": 10}, {"kind": "organization", "start": 20, "end": 30},
                         {"kind": "location", "start": 40, "end": 45}, {"kind": "weapon", "start": 50, "end": 55}]}
    r = report(mentions=[{"kind": "person", "start": 3, "end": 10}, {"kind": "person", "start": 20, "end": 30}],
               places=[place("p1", 1.0, 1.0, (40, 45))])
    got = m.score_entities(r, gold)
    assert got["person_p"] == (1, 2) and got["person_r"] == (1, 1)
    assert got["organization_p"] == (0, 0) and got["organization_r"] == (0, 1)
    assert got["location_p"] == (1, 1) and got["location_r"] == (1, 1)


# -- polnear quotes ----------------------------------------------------------------------------


def test_quotes_found_and_speaker():
    gold = {"quotes": [{"start": 0, "end": 20, "speaker": "Pat Caddell", "direct": True},
                       {"start": 30, "end": 50, "speaker": "The Times", "direct": True},
                       {"start": 60, "end": 80, "speaker": "she", "direct": False}]}
    r = report(quotes=[quote(2, 18, "Caddell"), quote(30, 50, "Trump"), quote(90, 95, None)])
    assert m.score_quotes(r, gold) == {
        "direct_found": (2, 2), "direct_speaker": (1, 2), "direct_speaker_strict": (1, 2), "quote_precision": (2, 3),
    }


def test_quotes_pronoun_speaker_and_speaker_span():
    gold = {"quotes": [{"start": 0, "end": 20, "speaker": "Pat Caddell", "speaker_start": 22, "speaker_end": 33,
                        "direct": False},
                       {"start": 40, "end": 60, "speaker": "he", "speaker_start": 62, "speaker_end": 64,
                        "direct": True},
                       {"start": 70, "end": 90, "speaker": "she", "speaker_start": 92, "speaker_end": 95,
                        "direct": True}]}
    spoken = {**quote(70, 90, "Ann Smith"), "speaker": {"name": "Ann Smith", "role": None, "start": 92, "end": 95}}
    r = report(quotes=[quote(40, 60, "Caddell"), spoken])
    assert m.score_quotes(r, gold)["direct_speaker"] == (2, 2)
    assert m.score_quotes(r, gold)["direct_speaker_strict"] == (0, 2)
    assert m.score_quotes(report(quotes=[quote(40, 60, "Trump")]), gold)["direct_speaker"] == (0, 2)


# -- HTML --------------------------------------------------------------------------------------


def test_html_include_exclude_and_narrative():
    text = "Title here\n\nThe  body text\nsays this.\n\nShare on Facebook"
    segments = [{"kind": "title", "start": 0, "end": 10}, {"kind": "narrative", "start": 12, "end": 38},
                {"kind": "boilerplate", "start": 40, "end": len(text)}]
    gold = {"must_include": ["The body text says", "missing bit"], "must_exclude": ["Share on Facebook", "Cookies"],
            "comment_snippets": ["Great post"]}
    got = m.score_html(report(text=text, segments=segments), gold)
    assert got["must_include"] == (1, 2)
    assert got["must_exclude"] == (1, 2)
    assert got["narrative_must_include"] == (1, 2)
    assert got["narrative_must_exclude"] == (2, 2)
    assert got["comments_excluded"] == (1, 1)
    assert got["body_f1"] == (0, 0)


def test_token_f1_and_body():
    assert m.token_f1("a b c", "a b c") == 1.0
    assert m.token_f1("a b", "a b c d") == pytest.approx(2 / 3)
    assert m.token_f1("", "a") == 0.0
    got = m.score_html(report(text="A b"), {"must_include": [], "must_exclude": [], "body": "a b c d"})
    assert got["body_f1"] == (pytest.approx(2 / 3), 1)


# -- seed-gold ---------------------------------------------------------------------------------

SEED_TEXT = "Up to 100 civilians are trapped in Mosul, Lt Gen Ali said: \"hold on\". 1/22 Photo: 5 killed. nine months"
SEED_GOLD = {
    "boilerplate": {"must_drop_from_narrative": ["1/22 Photo"]},
    "figures": [
        {"evidence": "Up to 100 civilians", "start": 0, "category": "trapped", "low": None, "best": None,
         "high": 100},
        {"evidence": "hundreds", "start": 999, "category": "killed", "low": None, "best": None, "high": None,
         "low_accept": [100, 200], "optional": True},
    ],
    "not_figures": ["nine months"],
    "quotes": [{"evidence": "hold on", "start": 60, "speaker": "Ali"}],
    "places": [{"name": "Mosul", "lat": MOSUL[0], "lon": MOSUL[1], "tolerance_km": 25},
               {"name": "Iraq", "kind": "country"}],
    "caption_places_not_narrative": ["Qaraqosh"],
    "dates": [{"evidence": "nine months", "value": "P9M"}],
    "contradictions": [{"between": ["Up to 100 civilians", "5 killed"]}],
}


def _seed_report(**overrides: Any) -> dict[str, Any]:
    mosul = SEED_TEXT.index("Mosul")
    base = {
        "text": SEED_TEXT,
        "figures": [figure("trapped", 0, 19, high=100)],
        "quotes": [quote(60, 67, "Ali")],
        "places": [place("p1", 36.3, 43.1, (mosul, mosul + 5), name="Mosul")],
    }
    return report(**{**base, **overrides})


def test_seed_all_required_found():
    got = m.score_seed(_seed_report(), SEED_GOLD)
    assert got["figures_required"] == (1, 1)
    assert got["figures_optional"] == (0, 1)
    assert got["quotes_speaker"] == (1, 1)
    assert got["places_tolerance"] == (1, 2)  # Iraq not found
    assert got["caption_leaks"] == (0, 1)
    assert got["not_figures_produced"] == (0, 1)
    assert got["contradictions"] == (0, 1)
    assert got["dates_resolved"] == (0, 1)


def test_seed_bounds_and_accept_lists():
    assert m.bounds_match({"low": 100, "best": None, "high": 999}, {"low": None, "low_accept": [100, 200]})
    assert not m.bounds_match({"low": 150}, {"low": None, "low_accept": [100, 200]})
    assert not m.bounds_match({"high": 99}, {"high": 100})
    assert m.bounds_match({"low": 7, "best": 8, "high": 9}, {"low": None, "best": None, "high": None})
    wrong = m.score_seed(_seed_report(figures=[figure("trapped", 0, 19, high=99)]), SEED_GOLD)
    assert wrong["figures_required"] == (0, 1)
    assert wrong["figures_found"] == (1, 2)


def test_seed_leaks_not_figures_contradictions_dates():
    caption = SEED_TEXT.index("5 killed")
    months = SEED_TEXT.index("nine months")
    figs = [figure("trapped", 0, 19, high=100, fid="a"), figure("killed", caption, caption + 8, best=5, fid="b"),
            figure("population", months, months + 4, best=9, fid="c")]
    r = _seed_report(
        figures=figs,
        contradictions=[{"figures": ["b", "a"], "why": "test"}],
        dates=[{"value": "P9M", "precision": "month", "start": months, "end": months + 11}],
        places=[place("p2", 1.0, 1.0, name="Qaraqosh")],
        segments=[{"kind": "caption", "start": SEED_TEXT.index("1/22"), "end": months - 1}],
    )
    got = m.score_seed(r, SEED_GOLD)
    assert got["caption_leaks"] == (1, 1)
    assert got["not_figures_produced"] == (1, 1)
    assert got["contradictions"] == (1, 1)
    assert got["dates_resolved"] == (1, 1)
    assert got["caption_places_in_narrative"] == (1, 1)
    assert got["places_tolerance"] == (0, 2)


def test_seed_place_outside_tolerance():
    mosul = SEED_TEXT.index("Mosul")
    r = _seed_report(places=[place("p1", *RAQQA, (mosul, mosul + 5), name="Mosul")])
    assert m.score_seed(r, SEED_GOLD)["places_tolerance"] == (0, 2)


# -- aggregation, scorer choice, runner ----------------------------------------------------------


def test_aggregate_micro_average_and_counts():
    agg = m.aggregate([{"a": (1, 1), "x_p": (1, 2), "x_r": (1, 1), "caption_leaks": (2, 1)},
                       {"a": (0, 1), "x_p": (0, 0), "x_r": (0, 1), "caption_leaks": (1, 1)},
                       {"a": (0, 0)}])
    assert agg["a"].value == 0.5
    assert list(agg) == ["a", "x_p", "x_r", "x_f1", "caption_leaks"]
    assert agg["x_f1"].value == pytest.approx(0.5)
    assert agg["caption_leaks"].value == 3
    assert m.lower_is_better("caption_leaks") and not m.lower_is_better("a")


def test_scorer_name_by_set_prefix_and_gold():
    assert m.scorer_name("acled2020", {}) == "acled"
    assert m.scorer_name("acled2023_holdout", {}) == "acled"
    assert m.scorer_name("mystery", {"events": [{"killed_min": 1}]}) == "airwars"
    assert m.scorer_name("mystery", {"quotes": [{"start": 0}]}) == "quotes"
    assert m.scorer_name("mystery", {"mentions": [{"kind": "person"}]}) == "entities"
    assert m.scorer_name("mystery", {"must_include": []}) == "html"
    assert m.scorer_name("mystery", {}) is None


def test_run_counts_records_errors_and_limit(tmp_path):
    gold = {"events": [{"type": "Battles", "date": "2020-05-09", "lat": 1.0, "lon": 1.0, "fatalities": 0}]}
    records = [
        {"id": "t:1", "dataset": "acled2020", "format": "text", "text": "Nothing happened in the village today.",
         "published": "2020-05-09", "gold": gold},
        {"id": "t:2", "dataset": "acled2020", "format": "text", "text": "", "published": None, "gold": gold},
        {"id": "t:3", "dataset": "acled2020", "format": "text", "text": "Not read: beyond the limit.", "gold": gold},
    ]
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    (result,) = run([path], limit=2, progress=False)
    assert (result.name, result.scorer, result.records, result.errors) == ("acled2020", "acled", 2, 1)
    assert result.metrics["fatalities_all"].total == 2
    assert "empty document" in result.error_samples[0]
    assert result.to_dict()["metrics"]["fatalities_all"]["total"] == 2
    assert "acled2020" in format_table([result])


def test_raised_pins_never_loosen():
    from sitroom.evaluation.runner import SetResult, raised_pins

    result = SetResult("acled2020", "x", "acled", metrics={
        "event_type": m.MetricValue(79, 100, 0.79), "date": m.MetricValue(5, 100, 0.05),
        "caption_leaks": m.MetricValue(2, 1, 2)})
    pins = {"sets": {"acled2020": {"event_type": 0.5, "date": 0.2, "caption_leaks": 1}}}
    assert raised_pins([result], pins)["sets"]["acled2020"] == {"event_type": 0.78, "date": 0.2, "caption_leaks": 1}


def test_run_with_workers_matches_sequential(tmp_path):
    gold = {"events": [{"type": "Protests", "acled_sub_event_type": "Peaceful protest"}]}
    texts = ["Hundreds of teachers protested peacefully in the capital on Monday.",
             "Police arrested two journalists in the northern town.", "Nothing to report today at all, really."]
    path = tmp_path / "case2021.jsonl"
    path.write_text("\n".join(json.dumps({"id": f"c:{i}", "dataset": "case2021", "text": t, "gold": gold})
                              for i, t in enumerate(texts)), encoding="utf-8")
    seen: list[dict] = []
    (one,) = run([path], progress=False, on_record=seen.append)
    (two,) = run([path], progress=False, workers=2)
    assert one.to_dict()["metrics"] == two.to_dict()["metrics"]
    assert (one.records, two.records) == (3, 3)
    assert [d["id"] for d in seen] == ["c:0", "c:1", "c:2"]
