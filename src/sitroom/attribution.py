"""Attribution: who a sentence's content is attributed to ("according to X", "X said", "X told").

Shared by quotes (speaker of a quote) and figures (source of a number).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Parsed, Sentence


@dataclass(frozen=True, slots=True)
class Attribution:
    name: str  # the source as written, trimmed of articles: "UN", "Save the Children", "Sabah al-Numan"
    role: str | None  # "spokesperson for the elite Counter Terrorism Service", "Lieutenant General ..."
    cue: str  # the attribution words: "according to", "said", "told", "said in a statement", "believes"
    name_start: int  # offsets of the name in parsed.text
    name_end: int
    cue_start: int
    cue_end: int


def find_attributions(parsed: Parsed, sentence: Sentence) -> list[Attribution]:
    """Every attribution cue in one sentence with its source, in text order (STUB)."""
    return []
