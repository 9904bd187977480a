"""Figures: humanitarian quantities (killed, injured, displaced, ...) with bounds and sources."""

from __future__ import annotations

from .model import Actor, Bounds, DateRef, Figure, Mention, Parsed, Place


def find_figures(parsed: Parsed, places: list[Place], actors: list[Actor], dates: list[DateRef]) -> list[Figure]:
    """Every figure in narrative sentences (STUB)."""
    return []


def number_mentions(found: list[Figure]) -> list[Mention]:
    return [Mention("number", f.evidence.start, f.evidence.end, f.evidence.text, f.category) for f in found]


def fatalities(found: list[Figure]) -> Bounds:
    """All deaths a set of figures reports, each death counted once (ACLED's conservative
    convention: vague words take their low end, a repeated toll is not added twice) (STUB)."""
    return Bounds()
