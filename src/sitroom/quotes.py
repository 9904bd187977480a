"""Quotes: direct quotations with their speakers."""

from __future__ import annotations

from .model import Mention, Parsed, Quote


def find_quotes(parsed: Parsed, mentions: list[Mention]) -> list[Quote]:
    """Direct quotes in narrative text with speaker name and role (STUB)."""
    return []
