"""``figures._PRE_ENDS`` is a hand-written list (measured speed): the last word of every pre cue.

A number whose preceding word is not in it is never searched for a cue, so a cue added to
``_PRE_CUES`` without its last word would be missed silently. Hypothesis writes phrases that each
cue pattern matches and checks the gate lets every one of them through.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitroom import figures


@pytest.mark.slow  # ~1 s per category
@pytest.mark.parametrize("category", sorted(figures._PRE_CUES))
def test_every_pre_cue_passes_the_last_word_gate(category: str) -> None:
    cue = st.from_regex(re.compile(r"(?:" + figures._PRE_CUES[category] + r")\Z", re.I), fullmatch=True)

    @settings(max_examples=150, suppress_health_check=list(HealthCheck), database=None, deadline=None,
              derandomize=True)  # the same phrases every run: CI does not depend on luck
    @given(cue)
    def gate_admits(phrase: str) -> None:
        text = f"Police said {phrase} 5"
        if figures._PRE.search(text[:-1]) is None:
            return  # a generated phrase the full pattern does not read as a cue before the number
        assert figures._may_end_pre(text, 0, len(text) - 1), phrase

    gate_admits()


def test_the_gate_skips_a_number_after_an_unrelated_word() -> None:
    text = "The meeting lasted 5"
    assert not figures._may_end_pre(text, 0, len(text) - 1)
