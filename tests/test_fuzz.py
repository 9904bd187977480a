"""Fuzzing: the analyser on arbitrary strings and bytes never raises and keeps the report contract."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sitroom
from sitroom.model import Document, Report
from sitroom.parallel import analyse_one
from sitroom.sources import decode

from .test_contract import check_contract

# Words that reach the deeper stages (numbers, cues, places, quotes), mixed with anything at all.
WORDS = ["killed", "at least", "dozens", "1,200", "said", "according to", "Aleppo", "“", "”", "\n\n", ". ",
         "Mr.", "U.S.", "police", "displaced", "up to", "thousands", "Monday", "2014", "al-", "Syria's", "(AP)"]
_TEXT = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=40)), max_size=40).map(" ".join)
_SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _check(doc: Document) -> None:
    result = analyse_one(doc)
    if isinstance(result, Report):
        check_contract(result)
    else:
        assert result.stage != "analysis", f"analyser bug: {result.reason}"  # only input problems may fail
        assert result.reason


@settings(max_examples=150, **_SETTINGS)
@given(text=st.one_of(st.text(max_size=400), _TEXT))
def test_arbitrary_text_keeps_the_contract(text: str) -> None:
    _check(Document("fuzz", text, published="2021-03-04"))


@settings(max_examples=60, **_SETTINGS)
@given(raw=st.binary(max_size=600))
def test_arbitrary_bytes_decode_or_fail_clearly(raw: bytes) -> None:
    try:
        decoded = decode(raw)
    except sitroom.errors.InputError as exc:
        assert str(exc)
        return
    _check(Document("bytes", decoded.text))


@settings(max_examples=40, **_SETTINGS)
@given(body=_TEXT, tags=st.lists(st.sampled_from(["<p>", "</p>", "<div>", "<script>", "</script>", "<br>", "<"]),
                                 max_size=20))
def test_arbitrary_html_never_raises(body: str, tags: list[str]) -> None:
    _check(Document("html", "<html><body>" + "".join(tags) + body + "</body></html>", format="html"))


@pytest.mark.slow
@settings(max_examples=1500, **_SETTINGS)
@given(text=st.one_of(st.text(max_size=2000), _TEXT))
def test_arbitrary_text_long_run(text: str) -> None:
    _check(Document("fuzz", text, published="2021-03-04"))
