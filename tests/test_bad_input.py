"""Bad input: each bad document gives one clear line, the batch goes on, the store stays whole.

Exit status is non-zero only when nothing at all could be processed.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitroom.cli import app
from sitroom.settings import DEFAULT

runner = CliRunner()
GOOD = "Two soldiers were killed and five injured near the border on Monday, officials said."
FRENCH = ("Les forces gouvernementales ont repris le contrôle de la ville après trois jours de combats "
          "violents, selon les autorités locales, qui évoquent des dizaines de victimes civiles.")
SCRIPTS_ONLY = "<html><head><script>var a = 1;</script></head><body><script>alert('x')</script></body></html>"

# file name -> what its one stderr line must say
EXPECTED = {
    "random.txt": "binary data",
    "empty.txt": "empty file",
    "cp1252.txt": "decoded as cp1252",
    "utf16.txt": "decoded as UTF-16-LE",
    "huge.txt": "too large",
    "french.txt": "not English",
    "scripts.html": "no main text",
}


@pytest.fixture()
def inputs(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "random.txt").write_bytes(os.urandom(4096) + b"\x00")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "cp1252.txt").write_bytes(("Café owners said “two people” were hurt. " + GOOD).encode("cp1252"))
    (folder / "utf16.txt").write_bytes(("Residents said " + GOOD).encode("utf-16-le"))
    with open(folder / "huge.txt", "wb") as fh:
        fh.truncate(DEFAULT.max_bytes + 1)  # sparse: costs nothing on disk, must never be read whole
    (folder / "french.txt").write_text(FRENCH, encoding="utf-8")
    (folder / "scripts.html").write_text(SCRIPTS_ONLY, encoding="utf-8")
    return folder


def _lines_by_file(stderr: str) -> dict[str, list[str]]:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return {name: [line for line in lines if name in line] for name in [*EXPECTED, "good.txt"]}


def test_ingest_bad_batch_one_line_each_and_rerun_adds_nothing(inputs, tmp_path):
    db = tmp_path / "bad.db"
    first = runner.invoke(app, ["ingest", str(inputs), "--db", str(db)])
    assert first.exit_code == 0, first.output
    by_file = _lines_by_file(first.stderr)
    for name, words in EXPECTED.items():
        assert len(by_file[name]) == 1, (name, first.stderr)
        assert words in by_file[name][0], (name, by_file[name])
    assert by_file["good.txt"] == []
    assert len(first.stderr.strip().splitlines()) == len(EXPECTED)
    assert "stored 4, skipped 0 as duplicates, failed 4" in first.stdout

    second = runner.invoke(app, ["ingest", str(inputs), "--db", str(db)])
    assert second.exit_code == 0
    assert "stored 0, skipped 4 as duplicates, failed 4" in second.stdout

    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 4
    assert con.execute("SELECT count(*) FROM failures").fetchone()[0] == 4
    reasons = dict(con.execute("SELECT doc_id, reason FROM failures").fetchall())
    assert set(reasons) == {"random.txt", "empty.txt", "huge.txt", "scripts.html"}
    con.close()


def test_analyze_bad_batch_goes_on(inputs):
    result = runner.invoke(app, ["analyze", str(inputs), "--format", "jsonl"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 4  # good, cp1252, utf16, french
    assert len(result.stderr.strip().splitlines()) == len(EXPECTED)


def test_nothing_processed_is_the_only_non_zero_exit(inputs, tmp_path):
    (inputs / "good.txt").unlink()
    for name in ("cp1252.txt", "utf16.txt", "french.txt"):
        (inputs / name).unlink()
    result = runner.invoke(app, ["ingest", str(inputs), "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == "error: nothing could be processed (4 failed)"
    assert "Traceback" not in result.output


def test_empty_directory(tmp_path):
    result = runner.invoke(app, ["analyze", str(tmp_path)])
    assert result.exit_code == 1 and "no documents found" in result.stderr


def test_an_analyser_bug_costs_one_document_not_the_batch(monkeypatch, tmp_path):
    import sitroom.pipeline as pipeline

    real = pipeline.analyze

    def flaky(doc, settings=DEFAULT):
        if doc.id == "boom":
            raise AttributeError("'NoneType' object has no attribute 'start'")
        return real(doc, settings)

    monkeypatch.setattr(pipeline, "analyze", flaky)
    path = tmp_path / "in.jsonl"
    path.write_text("".join(f'{{"id": "{i}", "text": "{GOOD}"}}\n' for i in ("a", "boom", "c")), encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(path), "--format", "jsonl"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2
    expected = "failed: boom: AttributeError: 'NoneType' object has no attribute 'start' [analysis]"
    assert result.stderr.strip() == expected
