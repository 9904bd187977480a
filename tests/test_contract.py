"""Report-contract invariants, checked on generated, sample and real development input.

For every fact: ``text[start:end] == evidence.text``; bounds ordered; references resolve; no fact
from captions or boilerplate; same input, same output.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sitroom
from sitroom.model import Document, Report

from .conftest import dev_records, sample_text

FRAGMENTS = [
    "Up to 100,000 civilians remain trapped in the city.",
    "At least 23 people were killed and dozens injured in an air strike on Aleppo, officials said.",
    "“We will not leave,” said Ahmed Ali, a resident of Mosul.",
    "Police arrested two protesters in Nairobi on Monday, according to the UN.",
    "Hundreds of thousands have fled their homes since October.",
    "3/10 Soldiers stand guard near Kabul Reuters",
    "Share this article",
    "Gunmen abducted five aid workers near Maiduguri, Borno state.",
    "Isis fighters shelled the village of al-Bab, killing a dozen civilians.",
    "The 9th armoured division advanced 25 kilometres in three weeks.",
]


def _inside(seg_ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in seg_ranges)


def check_contract(report: Report) -> None:
    data = report.to_dict()
    text = data["text"]
    assert data["schema"] == "sitroom.report/1"
    analysed = [(s["start"], s["end"]) for s in data["segments"] if s["kind"] in ("narrative", "title")]
    for seg in data["segments"]:
        assert 0 <= seg["start"] <= seg["end"] <= len(text)
    for mention in data["mentions"]:
        assert text[mention["start"] : mention["end"]] == mention["text"]
    place_ids = {p["id"] for p in data["places"]}
    for place in data["places"]:
        for span in place["mentions"]:
            assert 0 <= span["start"] < span["end"] <= len(text)
            if place["role"] == "narrative":
                assert _inside(analysed, span["start"], span["end"])
        if place["lat"] is not None:
            assert -90 <= place["lat"] <= 90 and -180 <= place["lon"] <= 180
    for actor in data["actors"]:
        for span in actor["mentions"]:
            assert 0 <= span["start"] < span["end"] <= len(text)
    for date in data["dates"]:
        assert 0 <= date["start"] < date["end"] <= len(text)
    for kind in ("figures", "quotes", "events"):
        ids = [fact["id"] for fact in data[kind]]
        assert len(ids) == len(set(ids)), f"duplicate {kind} ids"
        for fact in data[kind]:
            ev = fact["evidence"]
            assert text[ev["start"] : ev["end"]] == ev["text"]
            assert _inside(analysed, ev["start"], ev["end"]), f"{kind} evidence outside narrative: {ev['text']!r}"
    for fig in data["figures"]:
        values = [v for v in (fig["low"], fig["best"], fig["high"]) if v is not None]
        assert values == sorted(values)
        assert fig["place"] is None or fig["place"] in place_ids
    for event in data["events"]:
        assert event["place"] is None or event["place"] in place_ids
        for bounds in (event["fatalities"], event["injured"]):
            values = [v for v in (bounds["low"], bounds["best"], bounds["high"]) if v is not None]
            assert values == sorted(values)
    figure_ids = {f["id"] for f in data["figures"]}
    for contradiction in data["contradictions"]:
        assert set(contradiction["figures"]) <= figure_ids
    json.dumps(data)  # the report is JSON-serialisable as it is


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=80)), min_size=1, max_size=8),
    seps=st.sampled_from(["\n\n", " ", "\n", "\r\n\r\n"]),
)
def test_contract_holds_on_generated_text(parts: list[str], seps: str) -> None:
    text = seps.join(parts)
    for result in sitroom.analyze_many([Document("gen", text, published="2020-05-04")]):
        if isinstance(result, sitroom.Report):
            check_contract(result)
        else:
            assert result.reason  # a failure always says why


def test_contract_holds_on_sample(sample_report: Report) -> None:
    check_contract(sample_report)


def test_same_input_same_output() -> None:
    doc = Document("sample", sample_text(), published="2017-06-19")
    assert sitroom.analyze(doc).to_dict() == sitroom.analyze(doc).to_dict()


def test_contract_holds_on_development_records() -> None:
    records = []
    for name in ("acled2020", "airwars_syria", "polnear", "lgl", "re3d", "case2021"):
        records += dev_records(name, limit=25)
    for record in records:
        doc = Document(record["id"], record["text"], format=record["format"], published=record.get("published"))
        check_contract(sitroom.analyze(doc))
