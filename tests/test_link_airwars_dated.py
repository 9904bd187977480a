"""Linking quality on Airwars Syria when every text carries a publication date, as a news feed gives.

The set itself has no publication dates and most of its texts no date of their own, which caps
what ``test_link_airwars`` can measure (see there). This test separates the linker's scoring
(type, place, actors, toll, wording, date windows) from that missing input: each record is
analysed with ``published`` = its Airwars incident day + 1 (a report published the day after),
so relative words ("on Sunday", "yesterday") resolve as they would in a feed. Read in place from
``../shared/eval/dev/`` (never copied); skipped when absent.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

import sitroom
from sitroom import link
from sitroom.model import Document

from .test_link_airwars import DEV_FILE, pairwise

# Measured 2026-11-25: predicted 130, tp 108 of 243 gold pairs: P 0.831, R 0.444, F1 0.579.
# Pins = measured minus ~0.02.
PIN_PRECISION = 0.81
PIN_RECALL = 0.42


@pytest.fixture(scope="module")
def scores() -> dict[str, float]:
    if not DEV_FILE.exists():
        pytest.skip(f"development set not found at {DEV_FILE} (it is read in place, never copied into the repo)")
    reports, gold = [], {}
    for line in DEV_FILE.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        day = date.fromisoformat(rec["gold"]["events"][0]["date"]) + timedelta(days=1)
        doc = Document(rec["id"], rec["text"], format=rec.get("format", "text"), published=day.isoformat(),
                       url=rec.get("url"), outlet=rec.get("outlet"))
        reports.append(sitroom.analyze(doc).to_dict())
        gold[rec["id"]] = {e["incident"] for e in rec["gold"]["events"]}
    found = pairwise(link.link_reports(reports).events, gold)
    print(f"\nairwars_syria pairwise, publication date = incident day + 1: {found}")
    return found


@pytest.mark.slow
def test_airwars_linking_with_publication_dates_pin(scores: dict[str, float]) -> None:
    assert scores["precision"] >= PIN_PRECISION, scores
    assert scores["recall"] >= PIN_RECALL, scores
