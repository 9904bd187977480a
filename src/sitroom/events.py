"""Events: ACLED-typed events with actors, place, date and fatalities; the main event first."""

from __future__ import annotations

from .model import Actor, DateRef, Event, Figure, Parsed, Place


def find_events(
    parsed: Parsed, places: list[Place], actors: list[Actor], dates: list[DateRef], figures: list[Figure]
) -> list[Event]:
    """Events in narrative sentences, the one the document is mainly about first (STUB)."""
    return []
