"""Scale: parallel analysis equals a serial run (local processes, Dask), and an ingest killed with
SIGKILL resumes with every document stored exactly once and no half-written report."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from sitroom import parallel
from sitroom.model import Document, Report
from sitroom.pipeline import Failure

PLACES = ["Kabul", "Aleppo", "Mosul", "Maiduguri", "Mogadishu", "Goma", "Sanaa", "Kharkiv"]
ACTORS = ["Gunmen", "Police", "Soldiers", "Militants", "Protesters"]


def generated(n: int) -> list[Document]:
    """Small distinct news-like documents (made here, not copied from any corpus)."""
    docs = []
    for i in range(n):
        place, actor = PLACES[i % len(PLACES)], ACTORS[i % len(ACTORS)]
        text = (
            f"{actor} attacked a market in {place} on Monday\n\n"
            f"{actor} attacked a market in {place} on Monday, killing {i % 40 + 2} civilians and wounding "
            f"{i % 13 + 1} others, officials said. Report number {i}.\n\n"
            f"“We heard gunfire all night,” said Ahmed Ali, a resident of {place}."
        )
        # Eight documents a day, as a feed brings them (not thousands of one story on one day).
        published = (date(2023, 5, 2) + timedelta(days=i // 8)).isoformat()
        docs.append(Document(f"gen-{i}", text, published=published))
    return docs


def _dicts(results: list) -> list:
    return [r.to_dict() if isinstance(r, Report) else (r.stage, r.reason) for _, _, r in results]


def test_outcomes_keep_input_order_with_failures_and_skips() -> None:
    docs = generated(5)
    items: list[Document | Failure] = [docs[0], Failure(Document("bad", ""), "read", "not valid UTF-8"), *docs[1:]]
    out = list(parallel.outcomes(items, skip=lambda d: d.id == "gen-2", batch_size=2))
    assert [(status, doc.id) for status, doc, _ in out] == [
        ("report", "gen-0"), ("failed", "bad"), ("report", "gen-1"), ("skipped", "gen-2"),
        ("report", "gen-3"), ("report", "gen-4"),
    ]
    assert isinstance(out[0][2], Report) and out[3][2] is None


def test_empty_document_becomes_a_failure_not_a_crash() -> None:
    out = list(parallel.outcomes([Document("empty", "   ")]))
    assert out[0][0] == "failed" and "empty" in out[0][2].reason


@pytest.mark.slow
def test_local_processes_equal_serial() -> None:
    docs = generated(40)
    serial = _dicts(list(parallel.outcomes(docs)))
    pooled = _dicts(list(parallel.outcomes(docs, workers=2, batch_size=3)))
    assert pooled == serial


@pytest.mark.slow
def test_dask_local_cluster_equals_serial() -> None:
    distributed = pytest.importorskip(
        "distributed", reason="dask[distributed] is not installed (pip install 'sitroom[dask]')")
    docs = generated(30)
    serial = _dicts(list(parallel.outcomes(docs)))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = _dicts(list(parallel.outcomes(docs, dask=cluster.scheduler_address, batch_size=4)))
    assert remote == serial


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_kill_minus_9_then_rerun_stores_everything_once(tmp_path: Path, workers: int) -> None:
    n = 10_000  # the size: kill -9 in the middle of a 10,000-document run
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for doc in generated(n):
            fh.write(json.dumps({"id": doc.id, "text": doc.text, "published": doc.published}) + "\n")
    db = tmp_path / "store.db"
    cmd = [sys.executable, "-m", "sitroom", "ingest", str(corpus), "--db", str(db), "--no-progress",
           "--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while _count(db) < 2000 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    killed_at = _count(db)
    # SIGKILL the whole session (the ingest and its worker processes): no clean-up runs.
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < killed_at < n, "the run must be killed in the middle"

    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM documents")]
        reports = [row[0] for row in conn.execute("SELECT report FROM documents")]
        figures = conn.execute("SELECT count(DISTINCT doc_id) FROM figures").fetchone()[0]
        failures = conn.execute("SELECT count(*) FROM failures").fetchone()[0]
    assert sorted(ids) == sorted(f"gen-{i}" for i in range(n))  # every document, exactly once
    for body in reports:  # no half-written report: each parses and has its facts
        assert json.loads(body)["schema"] == "sitroom.report/1"
    assert figures == n and failures == 0
