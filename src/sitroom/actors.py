"""Actors (canonical armed groups, state forces, IGOs, NGOs...) and person/organization mentions."""

from __future__ import annotations

from .model import Actor, Mention, Parsed


def find_actors(parsed: Parsed) -> tuple[list[Actor], list[Mention]]:
    """Canonical actors with their mentions, and person/organization mentions (STUB)."""
    return [], []
