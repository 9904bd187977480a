"""Shared fixtures: the bundled sample article and the development sets (read in place, never copied)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

import sitroom
from sitroom.model import Document

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV = SHARED / "eval" / "dev"
SEED_GOLD = SHARED / "eval" / "seed-gold.json"


def sample_text() -> str:
    return resources.files("sitroom").joinpath("data/samples/mosul_2017.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_report() -> sitroom.Report:
    return sitroom.analyze(Document("sample", sample_text(), published="2017-06-19"))


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    if not SEED_GOLD.exists():
        pytest.skip(f"seed gold not found at {SEED_GOLD} (the shared/ folder sits beside the repo)")
    return json.loads(SEED_GOLD.read_text(encoding="utf-8"))


def dev_records(name: str, limit: int | None = None) -> list[dict]:
    path = DEV / f"{name}.jsonl"
    if not path.exists():
        pytest.skip(f"development set {path} not present (shared/eval/dev sits beside the repo)")
    records = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            records.append(json.loads(line))
            if limit and len(records) >= limit:
                break
    return records
