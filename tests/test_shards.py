"""Parquet shards: ``sitroom ingest --out DIR`` writes them, ``sitroom load DIR`` merges them into a
store that equals a direct ingest; re-runs and re-loads add nothing; a killed run resumes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from sitroom import shards
from sitroom.cli import app
from sitroom.store import Store

from .test_scale import generated

runner = CliRunner()


def _corpus(tmp_path: Path, n: int) -> Path:
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for doc in generated(n):
            fh.write(json.dumps({"id": doc.id, "text": doc.text, "published": doc.published}) + "\n")
    return corpus


def _invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _facts(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {
            table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall())  # fixed names below
            for table in ("places", "actors", "figures", "quotes", "events", "contradictions")
        } | {"documents": sorted(conn.execute("SELECT id, content_hash, text, report FROM documents").fetchall())}


def test_shards_hold_every_document_once_with_reasons(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 25)
    bad = tmp_path / "empty.txt"
    bad.write_text("   ", encoding="utf-8")
    out = tmp_path / "shards"
    _invoke("ingest", str(corpus), str(bad), "--out", str(out), "--shard-size", "10", "--no-progress")
    paths = shards.shard_paths(out)
    assert [p.name for p in paths] == ["part-000000.parquet", "part-000001.parquet", "part-000002.parquet"]
    rows = [row for p in paths for row in pq.read_table(p).to_pylist()]
    reports = [r for r in rows if r["status"] == "report"]
    assert sorted(r["doc_id"] for r in reports) == sorted(f"gen-{i}" for i in range(25))
    failed = [r for r in rows if r["status"] == "failed"]
    assert len(failed) == 1 and failed[0]["reason"] and failed[0]["stage"]
    first = json.loads(reports[0]["report"])
    assert first["schema"] == "sitroom.report/1" and reports[0]["events"] == len(first["events"]) > 0
    for fig in first["figures"]:
        assert first["text"][fig["evidence"]["start"]:fig["evidence"]["end"]] == fig["evidence"]["text"]

    # A re-run writes no report twice (only the failure is tried again).
    output = _invoke("ingest", str(corpus), str(bad), "--out", str(out), "--no-progress")
    assert "wrote 0 reports" in output and "skipped 25" in output
    again = [row for p in shards.shard_paths(out) for row in pq.read_table(p).to_pylist()]
    assert sum(r["status"] == "report" for r in again) == 25


def test_load_equals_direct_ingest_and_twice_adds_nothing(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 30)
    direct, loaded, out = tmp_path / "direct.db", tmp_path / "loaded.db", tmp_path / "shards"
    _invoke("ingest", str(corpus), "--db", str(direct), "--no-progress")
    _invoke("ingest", str(corpus), "--out", str(out), "--shard-size", "7", "--no-progress")
    assert "stored 30" in _invoke("load", str(out), "--db", str(loaded))
    assert _facts(direct) == _facts(loaded)
    assert "stored 0, skipped 30" in _invoke("load", str(out), "--db", str(loaded))
    with Store(loaded) as store:
        assert store.stats()["documents"] == 30
        assert store.linked_document_count() > 0  # load ends by linking, like ingest


def test_partial_shard_of_a_killed_run_is_ignored(tmp_path: Path) -> None:
    out = tmp_path / "shards"
    out.mkdir()
    (out / "part-000000.parquet.tmp").write_bytes(b"PAR1 half a shard")
    assert shards.stored_hashes(out) == set()
    _invoke("ingest", str(_corpus(tmp_path, 3)), "--out", str(out), "--no-progress")
    assert [p.name for p in out.iterdir()] == ["part-000000.parquet"]


def test_load_of_a_directory_without_shards_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["load", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code != 0
    assert "no shards" in result.output


@pytest.mark.slow
def test_kill_minus_9_while_writing_shards_then_rerun_and_load(tmp_path: Path) -> None:
    n = 2000
    corpus, out, db = _corpus(tmp_path, n), tmp_path / "shards", tmp_path / "store.db"
    cmd = [sys.executable, "-m", "sitroom", "ingest", str(corpus), "--out", str(out), "--shard-size", "100",
           "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(shards.shard_paths(out)) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < len(shards.shard_paths(out)) < n // 100, "the run must be killed in the middle"

    assert subprocess.run(cmd, capture_output=True, text=True, timeout=600).returncode == 0
    _invoke("load", str(out), "--db", str(db))
    with sqlite3.connect(db) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM documents")]
        figures = conn.execute("SELECT count(DISTINCT doc_id) FROM figures").fetchone()[0]
    assert sorted(ids) == sorted(f"gen-{i}" for i in range(n))
    assert figures == n
