"""The command line: a thin shell whose stdout holds only results and whose errors are one line."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitroom import __version__
from sitroom.cli import app
from sitroom.store import Store

from .test_store import make_report

runner = CliRunner()
TEXT = "Two soldiers were killed and five injured near the border on Monday, officials said."
COMMANDS = ["demo", "analyze", "ingest", "figures", "events", "quotes", "search", "show", "stats", "export",
            "failures", "eval"]


@pytest.fixture()
def db(tmp_path) -> Path:
    path = tmp_path / "q.db"
    with Store(path) as store:
        store.add(make_report())
    return path


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_version_and_help():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"sitroom {__version__}"
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and all(c in result.stdout for c in COMMANDS)
    for command in COMMANDS:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage" in result.stdout and len(result.stdout.splitlines()) > 3


def test_analyze_json_one_report(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(path), "--format", "json", "--published", "2020-05-12"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["schema"] == "sitroom.report/1"
    assert report["document"]["id"] == "a.txt" and report["document"]["published"] == "2020-05-12"
    assert report["text"] == TEXT


def test_analyze_jsonl_in_input_order_with_failures_on_stderr(tmp_path):
    path = _jsonl(tmp_path / "in.jsonl", [{"id": f"r{i}", "text": f"{TEXT} Report {i}."} for i in range(5)])
    with path.open("a") as fh:
        fh.write("{broken\n")
        fh.write(json.dumps({"id": "last", "text": TEXT}) + "\n")
    result = runner.invoke(app, ["analyze", str(path), "--format", "jsonl"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [json.loads(line)["document"]["id"] for line in lines] == ["r0", "r1", "r2", "r3", "r4", "last"]
    assert result.stderr.count("\n") == 1 and "in.jsonl:6" in result.stderr and "invalid JSON" in result.stderr


def test_analyze_table_and_stdin():
    result = runner.invoke(app, ["analyze", "-"], input=TEXT)
    assert result.exit_code == 0
    assert "Figures" in result.stdout and "Quotes" in result.stdout and "Contradictions" in result.stdout


def test_analyze_nothing_processed_exits_non_zero(tmp_path):
    (tmp_path / "e.txt").write_bytes(b"")
    result = runner.invoke(app, ["analyze", str(tmp_path / "e.txt"), str(tmp_path / "missing.txt"),
                                 "--format", "jsonl"])
    assert result.exit_code == 1 and result.stdout == ""
    assert "e.txt: empty file" in result.stderr and "nothing could be processed (2 failed)" in result.stderr


def test_bad_published_date_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["analyze", "-", "--published", "19/06/2017"], input=TEXT)
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_ingest_twice_adds_nothing_twice(tmp_path):
    src = tmp_path / "docs"
    src.mkdir()
    for i in range(3):
        (src / f"{i}.txt").write_text(f"{TEXT} Number {i}.", encoding="utf-8")
    db = tmp_path / "i.db"
    first = runner.invoke(app, ["ingest", str(src), "--db", str(db)])
    assert first.exit_code == 0 and "stored 3, skipped 0 as duplicates, failed 0" in first.stdout
    second = runner.invoke(app, ["ingest", str(src), "--db", str(db)])
    assert second.exit_code == 0 and "stored 0, skipped 3 as duplicates, failed 0" in second.stdout
    stats = json.loads(runner.invoke(app, ["stats", "--db", str(db), "--json"]).stdout)
    assert stats["documents"] == 3 and stats["failed"] == 0
    third = runner.invoke(app, ["ingest", str(src), "--db", str(db), "--reanalyse"])
    assert third.exit_code == 0 and "stored 3, skipped 0" in third.stdout
    assert json.loads(runner.invoke(app, ["stats", "--db", str(db), "--json"]).stdout)["documents"] == 3


def test_query_commands_json_and_tables(db):
    figs = json.loads(runner.invoke(app, ["figures", "--db", str(db), "--json"]).stdout)
    assert [f["id"] for f in figs] == ["fg_1", "fg_2"]
    figs = json.loads(runner.invoke(app, ["figures", "--db", str(db), "--json", "--country", "IQ"]).stdout)
    assert [f["id"] for f in figs] == ["fg_1"]
    table = runner.invoke(app, ["figures", "--db", str(db), "--category", "killed"]).stdout
    assert "the UN" in table and "120" in table
    events = json.loads(runner.invoke(app, ["events", "--db", str(db), "--json", "--type", "Battles"]).stdout)
    assert events == []
    assert "Violence" in runner.invoke(app, ["events", "--db", str(db)]).stdout
    assert "Jane Doe" in runner.invoke(app, ["quotes", "--db", str(db)]).stdout
    hits = json.loads(runner.invoke(app, ["search", "Red Cross", "--db", str(db), "--json"]).stdout)
    assert hits[0]["id"] == "doc-1"
    shown = json.loads(runner.invoke(app, ["show", "doc-1", "--db", str(db), "--json"]).stdout)
    assert shown == make_report().to_dict()
    readable = runner.invoke(app, ["show", "doc-1", "--db", str(db)]).stdout
    assert "Tal Afar" in readable and "Jane Doe" in readable and "bounds cannot both hold" in readable
    assert "documents stored" in runner.invoke(app, ["stats", "--db", str(db)]).stdout
    assert "no figures found" in runner.invoke(app, ["figures", "--db", str(db), "--category", "missing"]).stdout


def test_show_unknown_id_and_missing_store_are_one_line_errors(db, tmp_path):
    result = runner.invoke(app, ["show", "nope", "--db", str(db)])
    assert result.exit_code == 1 and result.stderr.strip() == f"error: no document 'nope' in {db}"
    result = runner.invoke(app, ["figures", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1 and "no store" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_export_files(db, tmp_path):
    out = tmp_path / "events.csv"
    result = runner.invoke(app, ["export", "--format", "csv", "--db", str(db), "-o", str(out)])
    assert result.exit_code == 0 and "wrote 1 rows" in result.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["event_type"] == "Violence against civilians" and rows[0]["high"] == "120"
    figures = runner.invoke(app, ["export", "--format", "csv", "--kind", "figures", "--db", str(db)])
    assert len(list(csv.DictReader(io.StringIO(figures.stdout)))) == 2
    geo = json.loads(runner.invoke(app, ["export", "--format", "geojson", "--db", str(db)]).stdout)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 2
    bad = runner.invoke(app, ["export", "--format", "csv", "--kind", "all", "--db", str(db)])
    assert bad.exit_code == 2


def test_demo_stores_the_sample_and_explains_next_steps(tmp_path):
    db = tmp_path / "demo.db"
    result = runner.invoke(app, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    for heading in ("Figures", "Quotes", "Places", "Events", "Contradictions", "Explore further", "sitroom figures"):
        assert heading in result.stdout
    with Store(db) as store:
        [doc] = store.documents()
        assert doc["published"] == "2017-06-19"
    again = runner.invoke(app, ["demo", "--db", str(db)])
    assert again.exit_code == 0 and "updated in" in again.stdout
    with Store(db) as store:
        assert store.stats()["documents"] == 1


def test_eval_calls_the_evaluation_api(monkeypatch, tmp_path):
    import sitroom.evaluation as evaluation

    calls = []

    def fake_run(paths, limit=None, progress=True, workers=1):
        calls.append((paths, limit, progress, workers))
        return [{"set": "x", "f1": 0.5}]

    monkeypatch.setattr(evaluation, "run", fake_run, raising=False)
    monkeypatch.setattr(evaluation, "format_table", lambda results: "set  f1\nx    0.50", raising=False)
    gold = tmp_path / "g.jsonl"
    result = runner.invoke(app, ["eval", str(gold), "--limit", "3", "--workers", "2"])
    assert result.exit_code == 0 and result.stdout == "set  f1\nx    0.50\n"
    assert calls == [([str(gold)], 3, True, 2)]
    result = runner.invoke(app, ["eval", str(gold), "--json"])
    assert json.loads(result.stdout) == [{"set": "x", "f1": 0.5}]


@pytest.mark.slow  # a fresh process pays for imports and gazetteer loading (~2 s)
def test_console_script_in_a_real_process(tmp_path):
    script = Path(sys.executable).with_name("sitroom")
    if not script.exists():
        pytest.skip(f"console script not installed at {script} (pip install -e .)")
    path = _jsonl(tmp_path / "in.jsonl", [{"id": "p1", "text": TEXT}, {"id": "p2", "text": TEXT + " Again."}])
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    proc = subprocess.run([str(script), "analyze", str(path), str(tmp_path / "bin.txt"), "--format", "jsonl"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["document"]["id"] for line in proc.stdout.splitlines()] == ["p1", "p2"]
    assert proc.stderr.strip() == "failed: bin.txt: binary data, not text (NUL bytes)"


def test_progress_bar_never_writes_to_stdout(monkeypatch, tmp_path):
    from rich.console import Console

    import sitroom.cli as cli

    # A terminal on stderr turns the progress bar on (CliRunner's streams are not terminals).
    monkeypatch.setattr(cli, "_stderr", lambda: Console(file=sys.stderr, force_terminal=True, soft_wrap=True))
    path = _jsonl(tmp_path / "in.jsonl", [{"id": f"t{i}", "text": f"{TEXT} {i}."} for i in range(20)])
    result = runner.invoke(app, ["analyze", str(path), "--format", "jsonl"])
    assert result.exit_code == 0
    assert [json.loads(line)["document"]["id"] for line in result.stdout.splitlines()] == [f"t{i}" for i in range(20)]
    assert "20/20" in result.stderr


def test_analyze_html_page_goes_through_extraction(tmp_path):
    body = "".join(f"<p>{TEXT} Paragraph {i} adds more words about the fighting near the border.</p>" for i in range(6))
    page = (f"<html><head><title>Border clash</title></head><body><nav>Home | World | Share this</nav>"
            f"<article><h1>Border clash</h1>{body}</article><script>var x = 1;</script></body></html>")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(tmp_path / "page.html"), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["document"]["title"] == "Border clash"
    assert "var x" not in report["text"] and "<p>" not in report["text"] and "Paragraph 5" in report["text"]
