"""Contradictions: figures for the same quantity whose bounds cannot both hold.

Two figures are about the same quantity when they share the category, the place (``None``
counts as the same unknown place) and compatible people: the same head noun, or both general
words for non-combatants ("civilians", "people", "residents") or both tolls ("fatalities",
"deaths", "dead"). Never compared: parts of a total ("including 3 children"), one-person figures
("a man was killed"), relative or unknown people ("five others", "2 were wounded"), and figures
less than ``_NEAR`` characters apart (one list or sentence counts different groups: "two Somali
and four Kenyan citizens died").

Each figure is read as an interval (see ``numbers`` for the bounds):

| bounds given            | interval                                  |
| ----------------------- | ----------------------------------------- |
| low and high            | [low, high]                               |
| low only ("more than")  | [low, infinity)                           |
| high only ("up to")     | [0, high]                                 |
| best only ("around N")  | [N - 20%, N + 20%]: an estimate is loose   |
| nothing                 | not compared                              |

Vague words take their literal lower bound ("hundreds of thousands" >= 200,000), so "up to
100,000 civilians" and "hundreds of thousands of civilians" trapped are disjoint and flagged.
"""

from __future__ import annotations

import math

from . import numbers
from .model import Contradiction, Figure

_ESTIMATE_SLACK = 0.2
_NEAR = 80  # characters between two evidences: closer than this, they are one sentence's groups
_RELATIVE_WHO = {None, "other"}
_NON_COMBATANT = {"civilian", "people", "person", "resident", "inhabitant", "individual"}
_TOLL = {"fatalitie", "fatality", "death", "dead", "casualtie", "people", "person", "individual"}


def find_contradictions(found: list[Figure]) -> list[Contradiction]:
    """Pairs of figures with the same category, who and place whose ranges do not overlap."""
    # The cheap tests first; whether a figure has a number in its evidence (a quantity scan) is
    # asked only of figures in a pair that passes every other test, once each (measured hot).
    # The pairs come out in the same order as from a list filtered on every test up front.
    candidates = [f for f in found if _may_compare(f)]
    out: list[Contradiction] = []
    numbered: dict[int, bool] = {}
    for i, a in enumerate(candidates):
        for b in candidates[i + 1 :]:
            if a.category != b.category or a.place != b.place or not _same_people(a, b) or _near(a, b):
                continue
            ra, rb = _interval(a), _interval(b)
            if ra is None or rb is None or _overlap(ra, rb):
                continue
            if not (_numbered(a, numbered) and _numbered(b, numbered)):
                continue
            out.append(Contradiction([a.id, b.id], _why(a, b, ra, rb)))
    return out


def _numbered(f: Figure, seen: dict[int, bool]) -> bool:
    """``_has_number``, once per figure of one call."""
    known = seen.get(id(f))
    if known is None:
        known = seen[id(f)] = _has_number(f)
    return known


def _near(a: Figure, b: Figure) -> bool:
    gap = max(a.evidence.start, b.evidence.start) - min(a.evidence.end, b.evidence.end)
    return gap < _NEAR


def _may_compare(f: Figure) -> bool:
    return not ((f.qualifier or "").startswith(("including", "split")) or _key(f.who) in _RELATIVE_WHO)


def _has_number(f: Figure) -> bool:
    # A figure with no number in its evidence is a singular noun phrase ("a man was killed").
    return bool(numbers.find_quantities(f.evidence.text))


def _key(who: str | None) -> str | None:
    if who is None:
        return None
    key = who.lower()
    return key[:-1] if key.endswith("s") and not key.endswith("ss") else key


def _same_people(a: Figure, b: Figure) -> bool:
    ka, kb = _key(a.who), _key(b.who)
    if ka == kb:
        return True
    group = _TOLL if a.category == "killed" else _NON_COMBATANT
    return ka in group and kb in group


def _interval(f: Figure) -> tuple[float, float] | None:
    if f.low is not None or f.high is not None:
        low = f.low if f.low is not None else 0
        high = f.high if f.high is not None else math.inf
        return float(low), float(high)
    if f.best is not None:
        return f.best * (1 - _ESTIMATE_SLACK), f.best * (1 + _ESTIMATE_SLACK)
    return None


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def show_range(r: tuple[float, float]) -> str:
    """A range as people write it: "at least 10", "at most 300", "20-30", "850,000"."""
    low, high = r
    if high == math.inf:
        return f"at least {low:,.0f}"
    if low == 0:
        return f"at most {high:,.0f}"
    return f"{low:,.0f}" if low == high else f"{low:,.0f}-{high:,.0f}"


def _why(a: Figure, b: Figure, ra: tuple[float, float], rb: tuple[float, float]) -> str:
    who = a.who if a.who == b.who else f"{a.who or 'people'}/{b.who or 'people'}"
    return (f"same quantity ({who} {a.category.replace('_', ' ')}), bounds do not overlap: "
            f"{show_range(ra)} vs {show_range(rb)}")
