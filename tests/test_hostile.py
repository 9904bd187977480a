"""Hostile inputs: each bad document gets one clear reason, nothing crashes, the good ones are stored."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitroom.cli import app

from .test_warc import make_warc

runner = CliRunner()
GOOD = "Two soldiers were killed and five injured near the border on Monday, officials said."


def _gzip_bomb(path: Path, size: int) -> None:
    """A small file that inflates to ``size`` bytes of zeros (written in chunks, never held whole)."""
    chunk = b"\0" * (1 << 20)
    with gzip.open(path, "wb", compresslevel=9) as fh:
        for _ in range(size // len(chunk)):
            fh.write(chunk)


@pytest.fixture()
def hostile(tmp_path: Path) -> Path:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "random.txt").write_bytes(os.urandom(1 << 16))
    with open(folder / "one-line-50mb.txt", "w", encoding="utf-8") as fh:
        for _ in range(50):  # 50 MB without a single newline
            fh.write(("Shelling continued all day " * 40000)[: 1 << 20])
    (folder / "nested.html").write_text("<html><body>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000
                                        + "</body></html>", encoding="utf-8")
    (folder / "invalid-utf8.txt").write_bytes(b"Officials said \xff\xfe\xc3 five people died " + GOOD.encode())
    (folder / "utf16-be.txt").write_bytes(("Witnesses said " + GOOD).encode("utf-16-be"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.html").write_bytes(b"   \n\n  ")
    (folder / "scripts.html").write_text("<html><script>" + "var a=1;" * 1000 + "</script></html>", encoding="utf-8")
    _gzip_bomb(folder / "bomb.txt.gz", 200 << 20)
    with (folder / "lines.jsonl").open("wb") as fh:
        fh.write(json.dumps({"id": "ok-line", "text": "Residents said " + GOOD}).encode() + b"\n")
        fh.write(b'{"id": "bad-bytes", "text": "caf\xe9 \xff"}\n')
        fh.write(b"[1, 2, 3]\n")
        fh.write(b'{"id": "no-text"}\n')
        fh.write(b"{not json\n")
    whole = tmp_path / "whole.warc.gz"
    make_warc(whole, gzip=True)
    data = whole.read_bytes()
    (folder / "cut.warc.gz").write_bytes(data[: len(data) - 200])
    return folder


# document id -> words its failure reason must contain
EXPECTED = {
    "random.txt": "binary",
    "one-line-50mb.txt": "too large",
    "empty.txt": "empty",
    "blank.html": "empty",
    "scripts.html": "no main text",
    "bomb.txt.gz": "too large",
    "lines.jsonl:2": "UTF-8",
    "lines.jsonl:3": "expected a JSON object",
    "lines.jsonl:4": "no 'text'",
    "lines.jsonl:5": "invalid JSON",
    "cut.warc.gz#record-6": "truncated",
}


@pytest.mark.slow
def test_hostile_corpus_one_reason_each_no_crash(hostile: Path, tmp_path: Path) -> None:
    db = tmp_path / "hostile.db"
    result = runner.invoke(app, ["ingest", str(hostile), "--db", str(db), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert result.exception is None and "Traceback" not in result.output
    con = sqlite3.connect(db)
    reasons = dict(con.execute("SELECT doc_id, reason FROM failures").fetchall())
    stored = {row[0] for row in con.execute("SELECT id FROM documents")}
    con.close()
    for doc_id, words in EXPECTED.items():
        assert doc_id in reasons, (doc_id, reasons)
        assert words in reasons[doc_id], (doc_id, reasons[doc_id])
    # The nested page either yields its text or fails with a reason; it never takes the run down.
    assert "nested.html" in stored or "nested.html" in reasons
    assert {"good.txt", "ok-line", "invalid-utf8.txt", "utf16-be.txt", "https://news.example/a"} <= stored
