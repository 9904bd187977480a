"""Contradictions: figures for the same quantity whose bounds cannot both hold."""

from __future__ import annotations

from .model import Contradiction, Figure


def find_contradictions(found: list[Figure]) -> list[Contradiction]:
    """Pairs of figures with the same category, who and place whose ranges do not overlap (STUB)."""
    return []
