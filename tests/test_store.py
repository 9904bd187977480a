"""The SQLite store: content-hash keys, one-transaction reports, failures, queries, migrations."""

from __future__ import annotations

import re
import sqlite3

import pytest

from sitroom.errors import StoreError
from sitroom.model import (
    Actor,
    Bounds,
    Contradiction,
    Document,
    DocumentInfo,
    Event,
    Evidence,
    Figure,
    Place,
    Quote,
    Report,
    Source,
    Span,
    Speaker,
)
from sitroom.pipeline import Failure
from sitroom.store import SCHEMA_VERSION, Store

TEXT = (
    "Fighting near Tal Afar\n\n"
    "Up to 120 civilians were killed in Tal Afar on Sunday, according to the UN. "
    "Local officials said at least 40 civilians were killed. "
    '"We cannot reach them," said Jane Doe, a spokeswoman for the Red Cross.'
)


def _ev(pattern: str, text: str = TEXT) -> Evidence:
    """Evidence from a regex match: offsets come from where the match is made."""
    m = re.search(pattern, text)
    assert m, pattern
    return Evidence.of(text, m.start(), m.end())


def make_report(doc_id: str = "doc-1", text: str = TEXT, published: str | None = "2017-06-19") -> Report:
    """A hand-made report with one fact of every kind (independent of the extractors' progress)."""
    place = Place("pl_1", "Tal Afar", 36.37, 42.45, "IQ", "Nineveh", "city", 99131, [Span(41, 49)])
    actor = Actor("ac_1", "Islamic State", "rebel_group", None, [])
    un = Source("the UN", "according to")
    f1 = Figure("fg_1", "killed", "civilians", None, None, 120, "up to", "pl_1", "2017-06-18", ["ac_1"], un,
                _ev(r"Up to 120 civilians were killed[^.]*\."))
    f2 = Figure("fg_2", "killed", "civilians", 40, None, None, "at least", None, None, [],
                Source("Local officials", "said"), _ev(r"Local officials said[^.]*\."))
    quote = Quote("qt_1", True, Speaker("Jane Doe", "spokeswoman for the Red Cross"), _ev(r'"We cannot reach them,"'))
    event = Event("ev_1", "Violence against civilians", "Attack", "ac_1", "Civilians (Iraq)", "2017-06-18", "pl_1",
                  Bounds(None, None, 120), Bounds(), "the UN", _ev(r"Up to 120 civilians were killed[^.]*\."))
    return Report(
        document=DocumentInfo(doc_id, "test", "https://example.org/a", "Fighting near Tal Afar", published,
                              "Example News", "en"),
        text=text,
        places=[place], actors=[actor], figures=[f1, f2], quotes=[quote], events=[event],
        contradictions=[Contradiction(["fg_1", "fg_2"], "bounds cannot both hold")],
    )


@pytest.fixture()
def store(tmp_path):
    with Store(tmp_path / "s.db") as s:
        yield s


def test_add_and_query_every_fact_kind(store):
    added = store.add(make_report())
    assert added.status == "stored" and added.id == "doc-1"
    figs = store.figures()
    assert [f["id"] for f in figs] == ["fg_1", "fg_2"]
    assert figs[0]["place"] == "Tal Afar" and figs[0]["country"] == "IQ" and figs[0]["high"] == 120
    assert figs[0]["perpetrators"] == ["Islamic State"] and figs[0]["source_name"] == "the UN"
    assert TEXT[figs[0]["evidence_start"]:figs[0]["evidence_end"]] == figs[0]["evidence_text"]
    assert store.events()[0]["actor1"] == "Islamic State"
    assert store.events()[0]["actor2"] == "Civilians (Iraq)"  # a plain name when no actor matched
    assert store.quotes()[0]["speaker"] == "Jane Doe"
    assert store.places()[0]["lat"] == pytest.approx(36.37)
    stats = store.stats()
    assert stats["documents"] == 1
    assert stats["facts"] == {"figures": 2, "quotes": 1, "places": 1, "events": 1, "actors": 1, "contradictions": 1}


def test_filters(store):
    store.add(make_report())
    assert len(store.figures(category="killed")) == 2
    assert store.figures(category="displaced") == []
    assert [f["id"] for f in store.figures(country="iq")] == ["fg_1"]
    assert [f["id"] for f in store.figures(source="UN")] == ["fg_1"]
    assert [f["id"] for f in store.figures(since="2017-06-19")] == ["fg_2"]  # undated: falls back to published
    assert store.events(type="Battles") == []
    assert len(store.events(type="Violence against civilians", country="IQ")) == 1
    assert store.quotes(speaker="doe")[0]["id"] == "qt_1"
    assert len(store.figures(limit=1)) == 1


def test_same_content_is_stored_once(store):
    assert store.add(make_report()).status == "stored"
    again = store.add(make_report("other-id"))
    assert again.status == "duplicate" and again.id == "doc-1"
    assert store.stats()["documents"] == 1 and store.stats()["facts"]["figures"] == 2


def test_replace_swaps_the_report_of_the_same_content(store):
    store.add(make_report())
    newer = make_report("new-id")
    newer.figures = newer.figures[:1]
    newer.contradictions = []
    added = store.add(newer, replace=True)
    assert added.status == "replaced" and added.id == "doc-1"  # keeps the stored id
    assert store.stats()["documents"] == 1 and store.stats()["facts"]["figures"] == 1
    assert [h["id"] for h in store.search("Red Cross")] == ["doc-1"]  # FTS follows the replacement
    assert store.integrity() == "ok"


def test_id_taken_by_other_content_is_not_overwritten(store):
    store.add(make_report())
    other = store.add(make_report(text=TEXT + " More text."))
    assert other.status == "stored" and other.id.startswith("doc-1@")
    assert store.get("doc-1")["text"] == TEXT
    assert store.stats()["documents"] == 2


def test_get_returns_the_report_contract(store):
    report = make_report()
    store.add(report)
    assert store.get("doc-1") == report.to_dict()
    assert store.get("missing") is None


def test_search(store):
    store.add(make_report())
    hits = store.search("Red Cross")
    assert [h["id"] for h in hits] == ["doc-1"] and "[" in hits[0]["snippet"]
    assert store.search("tal afar")[0]["title"] == "Fighting near Tal Afar"
    assert store.search("unicorns") == []
    assert store.search('"AND (NEAR') == []  # operators in user text are words, not syntax errors


def test_failures_recorded_once_and_cleared_by_success(store):
    doc = Document("doc-1", TEXT)
    store.add_failure(Failure(doc, "analysis", "ValueError: boom"))
    store.add_failure(Failure(doc, "analysis", "ValueError: boom again"))
    store.add_failure("broken.bin", "read", "binary data, not text (NUL bytes)", source="in/broken.bin")
    assert store.stats()["failed"] == 2
    assert {f["reason"] for f in store.failures()} == {"ValueError: boom again", "binary data, not text (NUL bytes)"}
    store.add(make_report(), doc.content_hash)
    assert [f["doc_id"] for f in store.failures()] == ["broken.bin"]


def test_report_written_in_one_transaction(store, monkeypatch):
    bad = make_report()
    bad.quotes.append(bad.quotes[0])  # duplicate (doc_id, id): the insert fails half way
    with pytest.raises(sqlite3.IntegrityError):
        store.add(bad)
    assert store.stats()["documents"] == 0 and store.stats()["facts"]["figures"] == 0
    assert store.add(make_report()).status == "stored"


def test_batch_commits_and_survives_an_error(tmp_path):
    path = tmp_path / "b.db"
    with Store(path) as s, pytest.raises(RuntimeError), s.batch(size=2):
        for i in range(3):
            s.add(make_report(f"d{i}", TEXT + f" {i}."))
        raise RuntimeError("interrupted")
    with Store(path) as s:
        assert s.stats()["documents"] == 3  # whole reports written before the error are kept
        assert s.integrity() == "ok"


def test_wal_and_schema_version(tmp_path):
    path = tmp_path / "v.db"
    Store(path).close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(StoreError, match="schema version"):
        Store(path)


def test_reopen_keeps_data(tmp_path):
    path = tmp_path / "r.db"
    with Store(path) as s:
        s.add(make_report())
    with Store(path) as s:
        assert s.stats()["documents"] == 1
        assert s.add(make_report()).status == "duplicate"


def test_not_a_database_is_a_clean_error(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open store"):
        Store(path)


def test_missing_store_when_not_creating(tmp_path):
    with pytest.raises(StoreError, match="no store"):
        Store(tmp_path / "nothing.db", create=False)
