"""Language identification, just enough to tell English from everything else.

A stop-word ratio is enough for the decision the pipeline makes (analyse as English or keep the
document without facts) and costs microseconds; a statistical identifier would add a dependency
for no measured gain here.
"""

from __future__ import annotations

import re

_EN = frozenset(
    [
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with", "as", "by",
        "at", "from", "are", "said", "were", "has", "have", "it", "be", "his", "their", "this", "an",
        "had", "who", "which", "been", "not", "but", "after", "they", "he", "she", "its", "more",
        "than", "people",
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str, sample: int = 4000) -> str | None:
    """"en" when the text reads as English, "und" when it clearly does not, None when too short."""
    words = _WORD.findall(text[:sample].lower())
    if len(words) < 8:
        return None
    ascii_share = sum(w.isascii() for w in words) / len(words)
    en_share = sum(w in _EN for w in words) / len(words)
    return "en" if ascii_share > 0.7 and en_share >= 0.08 else "und"
