"""The evaluation gate: every pinned metric on the dev sets must stay at or above its pin.

Runs only when the dev sets are present (``../shared/eval/dev/`` next to the repo, or the folder
named by ``SITROOM_EVAL_DIR``); the data never enters the repo. Pins live in ``eval_pins.json``:
raise them as the pipeline improves, never lower one that has landed. Count metrics (lower is
better, e.g. ``caption_leaks``) must stay at or below their pin.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from sitroom.evaluation import SetResult, format_table, lower_is_better, run

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PINS = json.loads((Path(__file__).parent / "eval_pins.json").read_text(encoding="utf-8"))
SEED = "seed"


def eval_dir() -> Path:
    return Path(os.environ.get("SITROOM_EVAL_DIR") or ROOT.parent / "shared" / "eval" / "dev")


def gold_path(set_name: str) -> Path:
    # seed-gold.json sits next to dev/, the JSONL sets inside it.
    return eval_dir().parent / "seed-gold.json" if set_name == SEED else eval_dir() / f"{set_name}.jsonl"


def holds(metric: str, value: float | None, pin: float) -> bool:
    if lower_is_better(metric):
        return value is not None and value <= pin
    return (value or 0.0) >= pin


@pytest.fixture(scope="module")
def results() -> dict[str, SetResult]:
    folder = eval_dir()
    if not folder.is_dir():
        pytest.skip(f"evaluation gate skipped: dev sets not found at {folder} (set SITROOM_EVAL_DIR to their folder)")
    started = time.perf_counter()
    paths = [gold_path(name) for name in PINS["sets"] if gold_path(name).is_file()]
    # One run, one process pool: lookups built lazily by the pipeline are built once.
    out = {result.name: result for result in run(paths, progress=False, workers=2, limits=PINS["limits"])}
    # Shown with -s or on failure: the table to compare against the pins.
    print(f"\n{format_table(out.values())}\n\nevaluation gate: {time.perf_counter() - started:.1f} s")
    return out


@pytest.mark.parametrize("set_name", sorted(PINS["sets"]))
def test_metrics_at_or_above_pins(results: dict[str, SetResult], set_name: str) -> None:
    if not gold_path(set_name).is_file():
        pytest.skip(f"{gold_path(set_name)} not found")
    result = results[set_name]
    failures = []
    for metric, pin in PINS["sets"][set_name].items():
        value = result.value(metric)
        if not holds(metric, value, pin):
            failures.append(f"{set_name}.{metric} = {value} (pin {pin})")
    assert not failures, "metrics dropped below their pins:\n" + "\n".join(failures) + "\n\n" + format_table([result])
