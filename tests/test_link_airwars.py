"""Cross-document linking measured on Airwars Syria: texts that share an incident must link, others must not.

Reads ``../shared/eval/dev/airwars_syria.jsonl`` in place (never copied) and skips when it is absent.
Every record goes through the real pipeline (``sitroom.analyze`` with the record's ``url`` and
``outlet``), then through ``link.link_reports``. Scored pairwise over documents: a pair is predicted
when some linked event holds both documents, gold when their Airwars incident codes intersect.

Two settings:
- as the set comes (``scores``): no record has a publication date, which caps what can be linked;
- with a publication date (``dated_scores``): each record analysed with ``published`` = its
  incident day + 1, as a news feed would give it. This is a diagnostic of the linker's own scoring
  (type, place, actors, toll, wording, date windows) apart from the missing input; the gold date
  only stands in for feed metadata, the text is analysed unchanged.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

import sitroom
from sitroom import link
from sitroom.model import Document

DEV_FILE = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev" / "airwars_syria.jsonl"

# As the set comes, measured 2026-11-25: P 0.944, R 0.070 (17 of 18 predicted pairs right, 243 gold
# pairs; before background events were kept apart and parts joined: P 0.929, R 0.053). 135 of 231
# texts carry no usable date at all (no URL date, no full date, weekdays with nothing to anchor
# them), so 164 of the 243 gold pairs have an undated side; undated pairs link only on a toll with
# shared wording or a copied report, which keeps precision over the issue's floor while recall
# stays far under it. Pins = measured minus ~0.02.
PIN_PRECISION = 0.92
PIN_RECALL = 0.05
# With publication dates, measured 2026-11-25: predicted 150, tp 139: P 0.927, R 0.572, F1 0.707
# (before: P 0.831, R 0.444, F1 0.579). Of the 104 pairs still missed, 33 have a text with no event
# at all (tweets in Arabic or Turkish, tweet bodies segmented as boilerplate), most others a place
# geocoded abroad, a date read from background, or too little in common to pass the threshold.
DATED_PIN_PRECISION = 0.90
DATED_PIN_RECALL = 0.55
ISSUE_F1, ISSUE_PRECISION = 0.70, 0.85


def pairwise(linked: list[link.LinkedEvent], gold: dict[str, set[str]]) -> dict[str, float]:
    predicted = {pair for le in linked for pair in itertools.combinations(le.documents, 2)}
    truth = {(a, b) for a, b in itertools.combinations(sorted(gold), 2) if gold[a] & gold[b]}
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"predicted": len(predicted), "gold": len(truth), "tp": tp, "precision": precision, "recall": recall,
            "f1": f1}


def score(published: Callable[[dict], str | None], label: str) -> dict[str, float]:
    if not DEV_FILE.exists():
        pytest.skip(f"development set not found at {DEV_FILE} (it is read in place, never copied into the repo)")
    reports, gold = [], {}
    for line in DEV_FILE.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        doc = Document(rec["id"], rec["text"], format=rec.get("format", "text"), published=published(rec),
                       url=rec.get("url"), outlet=rec.get("outlet"))
        reports.append(sitroom.analyze(doc).to_dict())
        gold[rec["id"]] = {e["incident"] for e in rec["gold"]["events"]}
    found = pairwise(link.link_reports(reports).events, gold)
    print(f"\nairwars_syria pairwise, {label}: {found}")
    return found


def _day_after_incident(rec: dict) -> str:
    return (date.fromisoformat(rec["gold"]["events"][0]["date"]) + timedelta(days=1)).isoformat()


@pytest.fixture(scope="module")
def scores() -> dict[str, float]:
    return score(lambda rec: rec.get("published"), "as the set comes")


@pytest.fixture(scope="module")
def dated_scores() -> dict[str, float]:
    return score(_day_after_incident, "publication date = incident day + 1")


@pytest.mark.slow
def test_airwars_linking_regression_pin(scores: dict[str, float]) -> None:
    assert scores["precision"] >= PIN_PRECISION, scores
    assert scores["recall"] >= PIN_RECALL, scores


@pytest.mark.slow
def test_airwars_issue_precision_floor(scores: dict[str, float]) -> None:
    assert scores["precision"] >= ISSUE_PRECISION, scores


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="issue 6 F1 floor not reached: 135 of 231 texts carry no date "
                   "(no publication date, no URL or written date), so same-town incidents cannot be told apart; "
                   "strict: when it passes, raise the pins and close the issue")
def test_airwars_issue_floors(scores: dict[str, float]) -> None:
    assert scores["f1"] >= ISSUE_F1 and scores["precision"] >= ISSUE_PRECISION, scores


@pytest.mark.slow
def test_airwars_linking_with_publication_dates_pin(dated_scores: dict[str, float]) -> None:
    assert dated_scores["precision"] >= DATED_PIN_PRECISION, dated_scores
    assert dated_scores["recall"] >= DATED_PIN_RECALL, dated_scores


@pytest.mark.slow
def test_airwars_issue_floors_with_publication_dates(dated_scores: dict[str, float]) -> None:
    """Issue 6's floors hold for the linker itself once reports carry a publication date."""
    assert dated_scores["precision"] >= ISSUE_PRECISION, dated_scores
    assert dated_scores["f1"] >= ISSUE_F1, dated_scores
