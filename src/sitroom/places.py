"""Places: toponyms in narrative text resolved offline to coordinates with the gazetteer."""

from __future__ import annotations

from .model import Mention, Parsed, Place


def find_places(parsed: Parsed) -> tuple[list[Place], list[Mention]]:
    """Resolved places (one per distinct place, with all its mentions) and location mentions (STUB)."""
    return [], []
