"""One typed settings object with defaults; unknown keys are an error, never silently ignored."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from .errors import SettingsError


@dataclass(frozen=True, slots=True)
class Settings:
    max_bytes: int = 20 * 1024 * 1024  # larger inputs are refused with a reason, not analysed
    min_chars: int = 20  # shorter texts are recorded as empty
    html_favor_precision: bool = True  # trafilatura setting measured best on news (DESIGN.md)
    vague_convention: str = "conservative"  # "conservative" (ACLED) or "literal" bounds for vague words

    def with_overrides(self, overrides: dict[str, Any] | None) -> Settings:
        if not overrides:
            return self
        known = {f.name for f in fields(self)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return replace(self, **overrides)


DEFAULT = Settings()
