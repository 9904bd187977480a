"""Dates: explicit and relative date expressions normalised against the publication date."""

from __future__ import annotations

from .model import DateRef, Mention, Parsed


def find_dates(parsed: Parsed) -> list[DateRef]:
    """Every date expression in narrative sentences, in text order (STUB: to be implemented)."""
    return []


def date_mentions(parsed: Parsed, found: list[DateRef]) -> list[Mention]:
    return [Mention("date", d.start, d.end, parsed.text[d.start : d.end], d.value) for d in found]
