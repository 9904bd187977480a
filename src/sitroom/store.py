"""The SQLite store: reports keyed by content hash, failures with their reason, queryable facts.

- WAL journal, one writer (this object), FTS5 over document title and text.
- Documents are keyed by the content hash of their input: storing the same content again adds
  nothing (``add`` says "duplicate"), so a re-run never duplicates and an interrupted run resumes.
- Each report is written inside one SAVEPOINT: a report is stored whole or not at all. Outside
  ``batch()`` every report commits on its own; inside it commits every ``size`` reports.
- Fact tables (figures, quotes, places, events, actors) are denormalised (place name, country,
  coordinates, document date and outlet copied in) so filters need no joins.
- Schema changes are versioned migrations recorded in ``PRAGMA user_version``.
- SQL text is fixed; every value goes through ``?`` parameters.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from .errors import StoreError
from .model import Report
from .pipeline import Failure

_V1 = """
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    source TEXT,
    title TEXT,
    url TEXT,
    published TEXT,
    outlet TEXT,
    language TEXT,
    text TEXT NOT NULL,
    report TEXT NOT NULL,          -- the report JSON without its "text" (stored once, above)
    stored_at TEXT NOT NULL
);
CREATE INDEX documents_published ON documents(published);

CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='rowid');
CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;

CREATE TABLE failures (
    doc_id TEXT PRIMARY KEY,
    source TEXT,
    stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    content_hash TEXT,
    failed_at TEXT NOT NULL
);
CREATE INDEX failures_hash ON failures(content_hash);

CREATE TABLE places (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    name TEXT, lat REAL, lon REAL, country TEXT, admin1 TEXT, feature TEXT, geonameid INTEGER,
    role TEXT, mentions INTEGER,
    PRIMARY KEY (doc_id, id)
);
CREATE INDEX places_country ON places(country);

CREATE TABLE actors (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    name TEXT, type TEXT, country TEXT, mentions INTEGER,
    PRIMARY KEY (doc_id, id)
);
CREATE INDEX actors_name ON actors(name);

CREATE TABLE figures (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    category TEXT, who TEXT, low INTEGER, best INTEGER, high INTEGER, qualifier TEXT,
    place_id TEXT, place TEXT, country TEXT, admin1 TEXT, lat REAL, lon REAL, feature TEXT,
    date TEXT, perpetrators TEXT, source_name TEXT, source_cue TEXT,
    evidence_start INTEGER, evidence_end INTEGER, evidence_text TEXT,
    published TEXT, outlet TEXT, url TEXT,
    PRIMARY KEY (doc_id, id)
);
CREATE INDEX figures_category ON figures(category);
CREATE INDEX figures_country ON figures(country);

CREATE TABLE quotes (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    direct INTEGER, speaker TEXT, speaker_role TEXT,
    evidence_start INTEGER, evidence_end INTEGER, evidence_text TEXT,
    published TEXT, outlet TEXT, url TEXT,
    PRIMARY KEY (doc_id, id)
);
CREATE INDEX quotes_speaker ON quotes(speaker);

CREATE TABLE events (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    type TEXT, sub_type TEXT,
    actor1 TEXT, actor1_type TEXT, actor2 TEXT, actor2_type TEXT,
    date TEXT, place_id TEXT, place TEXT, country TEXT, admin1 TEXT, lat REAL, lon REAL, feature TEXT,
    fatalities_low INTEGER, fatalities_best INTEGER, fatalities_high INTEGER,
    injured_low INTEGER, injured_best INTEGER, injured_high INTEGER,
    source TEXT, evidence_start INTEGER, evidence_end INTEGER, evidence_text TEXT,
    published TEXT, outlet TEXT, url TEXT,
    PRIMARY KEY (doc_id, id)
);
CREATE INDEX events_type ON events(type);
CREATE INDEX events_country ON events(country);

CREATE TABLE contradictions (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    figure1 TEXT, figure2 TEXT, why TEXT
);
"""

# Version 2: cross-document links (written by ``sitroom.link``; rebuilt whole by each link run).
_V2 = """
CREATE TABLE linked_events (
    id TEXT PRIMARY KEY,
    type TEXT, sub_type TEXT, actor1 TEXT, actor2 TEXT,
    date TEXT, date_start TEXT, date_end TEXT, date_prec INTEGER, first_report TEXT, last_report TEXT,
    place TEXT, country TEXT, admin1 TEXT, lat REAL, lon REAL, where_prec INTEGER,
    number_of_sources INTEGER, number_of_documents INTEGER, sources TEXT,
    low INTEGER, best INTEGER, high INTEGER, injured_low INTEGER, injured_best INTEGER, injured_high INTEGER,
    rule TEXT, score REAL, notes TEXT
);
CREATE INDEX linked_events_date ON linked_events(date);
CREATE INDEX linked_events_country ON linked_events(country);

CREATE TABLE linked_event_members (
    linked_id TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    outlet TEXT, published TEXT, evidence_text TEXT,
    PRIMARY KEY (doc_id, event_id)
);
CREATE INDEX linked_event_members_linked ON linked_event_members(linked_id);

CREATE TABLE figure_links (
    group_id TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    figure_id TEXT NOT NULL,
    category TEXT, who TEXT, low INTEGER, best INTEGER, high INTEGER, superseded INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (doc_id, figure_id)
);
CREATE INDEX figure_links_group ON figure_links(group_id);

CREATE TABLE figure_conflicts (
    group_id TEXT NOT NULL,
    kind TEXT NOT NULL,            -- contradiction | supersedes (doc1/figure1 replaces doc2/figure2)
    doc1 TEXT, figure1 TEXT, doc2 TEXT, figure2 TEXT, why TEXT
);
CREATE INDEX figure_conflicts_group ON figure_conflicts(group_id);
"""

# Version 3: indexes for the web app (table pages by date, timeline, map points) at 100k+ facts.
_V3_WEB = """
CREATE INDEX IF NOT EXISTS events_day ON events(coalesce(date, published), doc_id, id);
CREATE INDEX IF NOT EXISTS events_day_type ON events(coalesce(date, published), type);
CREATE INDEX IF NOT EXISTS figures_day ON figures(coalesce(date, published), doc_id, id);
CREATE INDEX IF NOT EXISTS figures_day_category ON figures(coalesce(date, published), category);
CREATE INDEX IF NOT EXISTS events_point ON events(lat, lon, type, fatalities_best, fatalities_low, injured_best);
CREATE INDEX IF NOT EXISTS figures_point ON figures(lat, lon, category, best, low);
"""

# Version 4: which documents the link tables cover, so ingest links only what is new; the web
# app's linked-events page in date order from an index.
_V4_LINKED = """
CREATE TABLE linked_documents (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE
);
CREATE INDEX linked_events_day ON linked_events(coalesce(date, first_report), id);
"""

# Index i holds the script that takes the schema from version i to i + 1. Append, never edit.
MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3_WEB, _V4_LINKED)
SCHEMA_VERSION = len(MIGRATIONS)

# Column order of each fact table as the inserts supply it (names only: values always go through ?).
_COLUMNS: dict[str, tuple[str, ...]] = {
    "places": ("doc_id", "id", "name", "lat", "lon", "country", "admin1", "feature", "geonameid", "role", "mentions"),
    "actors": ("doc_id", "id", "name", "type", "country", "mentions"),
    "figures": (
        "doc_id", "id", "category", "who", "low", "best", "high", "qualifier", "place_id",
        "place", "country", "admin1", "lat", "lon", "feature", "date", "perpetrators", "source_name", "source_cue",
        "evidence_start", "evidence_end", "evidence_text", "published", "outlet", "url",
    ),
    "quotes": (
        "doc_id", "id", "direct", "speaker", "speaker_role", "evidence_start", "evidence_end", "evidence_text",
        "published", "outlet", "url",
    ),
    "events": (
        "doc_id", "id", "type", "sub_type", "actor1", "actor1_type", "actor2", "actor2_type", "date", "place_id",
        "place", "country", "admin1", "lat", "lon", "feature", "fatalities_low", "fatalities_best",
        "fatalities_high", "injured_low", "injured_best", "injured_high", "source", "evidence_start",
        "evidence_end", "evidence_text", "published", "outlet", "url",
    ),
    "contradictions": ("doc_id", "figure1", "figure2", "why"),
}
_INSERT = {
    table: f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    for table, cols in _COLUMNS.items()
}

_LINKED_COLUMNS = (
    "id", "type", "sub_type", "actor1", "actor2", "date", "date_start", "date_end", "date_prec", "first_report",
    "last_report", "place",
    "country", "admin1", "lat", "lon", "where_prec", "number_of_sources", "number_of_documents", "sources",
    "low", "best", "high", "injured_low", "injured_best", "injured_high", "rule", "score", "notes",
)
_LINK_COLUMNS: dict[str, tuple[str, ...]] = {
    "linked_events": _LINKED_COLUMNS,
    "linked_event_members": ("linked_id", "doc_id", "event_id", "outlet", "published", "evidence_text"),
    "figure_links": ("group_id", "doc_id", "figure_id", "category", "who", "low", "best", "high", "superseded"),
    "figure_conflicts": ("group_id", "kind", "doc1", "figure1", "doc2", "figure2", "why"),
}
_INSERT_LINK = {
    table: f"INSERT OR REPLACE INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    for table, cols in _LINK_COLUMNS.items()
}

Status = Literal["stored", "duplicate", "replaced"]


@dataclass(frozen=True, slots=True)
class Added:
    status: Status
    id: str  # the id the document is stored under (the existing one for a duplicate)


class Store:
    """``Store(path)`` opens (creating and migrating when needed) a sitroom SQLite database."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = str(path)
        if not create and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"no store at {self.path} (create one with `sitroom ingest PATH --db {self.path}`)")
        try:
            # Autocommit mode: transactions are opened and closed explicitly below.
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from None
        self._in_batch = False
        self._pending = 0
        self._batch_size = 0

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        if self._in_batch:
            self._db.execute("COMMIT")
            self._in_batch = False
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} has schema version {version}; this sitroom knows up to {SCHEMA_VERSION}")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(MIGRATIONS[target - 1]):
                    self._db.execute(statement)
                # PRAGMA takes no parameters; target is an int from range(), never input.
                self._db.execute(f"PRAGMA user_version = {int(target)}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    @contextmanager
    def batch(self, size: int = 200) -> Iterator[Store]:
        """Group writes: commit every ``size`` reports instead of after each one."""
        if self._in_batch:
            yield self
            return
        self._db.execute("BEGIN IMMEDIATE")
        self._in_batch, self._pending, self._batch_size = True, 0, max(1, size)
        try:
            yield self
        except BaseException:
            # What was written before the error is whole (savepoints); keep it.
            self._db.execute("COMMIT")
            self._in_batch = False
            raise
        self._db.execute("COMMIT")
        self._in_batch = False

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit (a savepoint): a report is stored whole or not at all."""
        if not self._in_batch:
            self._db.execute("BEGIN IMMEDIATE")
        self._db.execute("SAVEPOINT report")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK TO report")
            self._db.execute("RELEASE report")
            if not self._in_batch:
                self._db.execute("COMMIT")
            raise
        self._db.execute("RELEASE report")
        if not self._in_batch:
            self._db.execute("COMMIT")
            return
        self._pending += 1
        if self._pending >= self._batch_size:
            self._db.execute("COMMIT")
            self._db.execute("BEGIN IMMEDIATE")
            self._pending = 0

    # -- writing -----------------------------------------------------------------------------
    def has(self, content_hash: str) -> bool:
        row = self._db.execute("SELECT 1 FROM documents WHERE content_hash = ?", (content_hash,)).fetchone()
        return row is not None

    def add(self, report: Report | dict[str, Any], content_hash: str | None = None, *, replace: bool = False) -> Added:
        """Store a report (a ``Report`` or its JSON contract, e.g. read back from Parquet shards).
        ``content_hash`` is that of the input document (default: of the analysed text).

        Same content again: nothing is written, status "duplicate" (``replace=True``: the stored
        report of that content is replaced, e.g. after re-analysis with a newer sitroom). An id
        already used by other content gets the hash appended, so nothing stored is overwritten.
        """
        data = report.to_dict() if isinstance(report, Report) else report
        content_hash = content_hash or hashlib.sha256(data["text"].encode("utf-8", "surrogatepass")).hexdigest()
        row = self._db.execute("SELECT id FROM documents WHERE content_hash = ?", (content_hash,)).fetchone()
        if row and not replace:
            return Added("duplicate", row["id"])
        doc = data["document"]
        with self._write() as db:
            if row:
                # Facts go with their document (ON DELETE CASCADE); the FTS row via its trigger.
                db.execute("DELETE FROM documents WHERE id = ?", (row["id"],))
            doc_id = row["id"] if row else self._free_id(str(doc["id"]), content_hash)
            self._insert_document(db, doc_id, content_hash, data)
            self._insert_facts(db, doc_id, data)
            # A later success for the same content (or the same input id) clears its failure.
            db.execute("DELETE FROM failures WHERE content_hash = ? OR doc_id = ?", (content_hash, str(doc["id"])))
        return Added("replaced" if row else "stored", doc_id)

    def add_failure(
        self,
        failure: Failure | str,
        stage: str | None = None,
        reason: str | None = None,
        *,
        source: str | None = None,
        content_hash: str | None = None,
    ) -> None:
        """Record a failed document: ``add_failure(Failure)`` or ``add_failure(doc_id, stage, reason)``.

        Keyed by document id: a re-run replaces the old reason instead of adding a row.
        """
        if isinstance(failure, Failure):
            doc = failure.document
            doc_id, stage, reason = doc.id, failure.stage, failure.reason
            source = source or doc.source
            content_hash = content_hash or (doc.content_hash if doc.text else None)
        else:
            doc_id = failure
        if stage is None or reason is None:
            raise ValueError("add_failure needs a stage and a reason")
        if content_hash and self.has(content_hash):
            return  # the same content is already stored: nothing failed in the end
        with self._write() as db:
            db.execute(
                "INSERT INTO failures(doc_id, source, stage, reason, content_hash, failed_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(doc_id) DO UPDATE SET source = excluded.source, stage = excluded.stage,"
                " reason = excluded.reason, content_hash = excluded.content_hash, failed_at = excluded.failed_at",
                (doc_id, source, stage, reason, content_hash, _now()),
            )

    def _free_id(self, doc_id: str, content_hash: str) -> str:
        if self._db.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is None:
            return doc_id
        return f"{doc_id}@{content_hash[:12]}"

    @staticmethod
    def _insert_document(db: sqlite3.Connection, doc_id: str, content_hash: str, data: dict[str, Any]) -> None:
        doc = data["document"]
        body = {k: v for k, v in data.items() if k != "text"}
        body["document"] = {**doc, "id": doc_id}
        db.execute(
            "INSERT INTO documents(id, content_hash, source, title, url, published, outlet, language, text, report,"
            " stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, content_hash, doc.get("source"), doc.get("title"), doc.get("url"), doc.get("published"),
             doc.get("outlet"), doc.get("language"), data["text"], json.dumps(body, ensure_ascii=False), _now()),
        )

    @staticmethod
    def _insert_facts(db: sqlite3.Connection, doc_id: str, data: dict[str, Any]) -> None:
        """The fact tables, from the JSON contract (so a report read back from shards stores the same)."""
        info = data["document"]
        meta = (info.get("published"), info.get("outlet"), info.get("url"))
        places = {p["id"]: p for p in data["places"]}
        actors = {a["id"]: a for a in data["actors"]}
        db.executemany(_INSERT["places"], [
            (doc_id, p["id"], p["name"], p["lat"], p["lon"], p["country"], p["admin1"], p["feature"],
             p["geonameid"], p["role"], len(p["mentions"]))
            for p in data["places"]
        ])
        db.executemany(_INSERT["actors"], [
            (doc_id, a["id"], a["name"], a["type"], a["country"], len(a["mentions"])) for a in data["actors"]
        ])
        db.executemany(_INSERT["figures"], [_figure_row(doc_id, f, places, actors, meta) for f in data["figures"]])
        db.executemany(_INSERT["quotes"], [
            (doc_id, q["id"], int(q["direct"]), (q["speaker"] or {}).get("name"), (q["speaker"] or {}).get("role"),
             *_evidence(q), *meta)
            for q in data["quotes"]
        ])
        db.executemany(_INSERT["events"], [_event_row(doc_id, e, places, actors, meta) for e in data["events"]])
        db.executemany(_INSERT["contradictions"], [
            (doc_id, *(list(c["figures"]) + [None, None])[:2], c["why"]) for c in data["contradictions"]
        ])

    # -- reading -----------------------------------------------------------------------------
    def get(self, doc_id: str) -> dict[str, Any] | None:
        """The stored report (the JSON contract) of one document, or None."""
        row = self._db.execute("SELECT report, text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        body = json.loads(row["report"])
        return {"schema": body.pop("schema", None), "document": body.pop("document"), "text": row["text"], **body}

    def documents(self, limit: int | None = 100) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT id, title, published, outlet, language, url, source, stored_at FROM documents",
            [], [], "stored_at, id", limit,
        )

    def figures(
        self,
        *,
        category: str | None = None,
        country: str | None = None,
        since: str | None = None,
        until: str | None = None,
        source: str | None = None,
        document: str | None = None,
        limit: int | None = 100,
    ) -> list[dict[str, Any]]:
        where, args = _filters(category=("category = ?", category), country=("country = ?", _upper(country)),
                               source=("source_name LIKE ?", _like(source)), document=("doc_id = ?", document),
                               **_date_filters(since, until))
        rows = self._rows("SELECT * FROM figures", where, args, "coalesce(date, published), doc_id, evidence_start",
                          limit)
        for row in rows:
            row["perpetrators"] = json.loads(row["perpetrators"] or "[]")
        return rows

    def events(
        self,
        *,
        type: str | None = None,  # the ACLED field name
        country: str | None = None,
        since: str | None = None,
        until: str | None = None,
        source: str | None = None,
        document: str | None = None,
        limit: int | None = 100,
    ) -> list[dict[str, Any]]:
        where, args = _filters(type=("type = ?", type), country=("country = ?", _upper(country)),
                               source=("(source LIKE ? OR outlet LIKE ?)", _like(source)),
                               document=("doc_id = ?", document), **_date_filters(since, until))
        return self._rows("SELECT * FROM events", where, args, "coalesce(date, published), doc_id, evidence_start",
                          limit)

    def quotes(
        self,
        *,
        speaker: str | None = None,
        since: str | None = None,
        until: str | None = None,
        document: str | None = None,
        limit: int | None = 100,
    ) -> list[dict[str, Any]]:
        where, args = _filters(speaker=("speaker LIKE ?", _like(speaker)), document=("doc_id = ?", document),
                               since=("published >= ?", since), until=("published <= ?", until))
        rows = self._rows("SELECT * FROM quotes", where, args, "published, doc_id, evidence_start", limit)
        for row in rows:
            row["direct"] = bool(row["direct"])
        return rows

    def places(
        self, *, country: str | None = None, document: str | None = None, limit: int | None = 100
    ) -> list[dict[str, Any]]:
        where, args = _filters(country=("country = ?", _upper(country)), document=("doc_id = ?", document))
        return self._rows("SELECT * FROM places", where, args, "doc_id, name", limit)

    def failures(self, limit: int | None = 100) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM failures", [], [], "failed_at, doc_id", limit)

    def search(self, text: str, *, limit: int | None = 20, raw: bool = False) -> list[dict[str, Any]]:
        """Full-text search over titles and texts; words are ANDed (``raw=True``: FTS5 query syntax)."""
        query = text if raw else _fts_query(text)
        if not query:
            return []
        try:
            return self._rows(
                "SELECT d.id, d.title, d.published, d.outlet,"
                " snippet(documents_fts, 1, '[', ']', ' … ', 12) AS snippet, bm25(documents_fts) AS rank"
                " FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid",
                ["documents_fts MATCH ?"], [query], "rank", limit,
            )
        except sqlite3.OperationalError as exc:
            raise StoreError(f"bad search query {text!r}: {exc}") from None

    def stats(self) -> dict[str, Any]:
        count = self._count
        return {
            "documents": self.document_count(),
            "failed": count("SELECT count(*) FROM failures"),
            "facts": {
                "figures": count("SELECT count(*) FROM figures"),
                "quotes": count("SELECT count(*) FROM quotes"),
                "places": count("SELECT count(*) FROM places"),
                "events": count("SELECT count(*) FROM events"),
                "actors": count("SELECT count(*) FROM actors"),
                "contradictions": count("SELECT count(*) FROM contradictions"),
            },
            "figures_by_category": self._groups("SELECT category, count(*) FROM figures GROUP BY 1 ORDER BY 2 DESC"),
            "events_by_type": self._groups("SELECT type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC"),
            "failures_by_stage": self._groups("SELECT stage, count(*) FROM failures GROUP BY 1 ORDER BY 2 DESC"),
            "languages": self._groups(
                "SELECT coalesce(language, '?'), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC"
            ),
            "schema_version": SCHEMA_VERSION,
        }

    # -- cross-document links (schema version 2; computed by ``sitroom.link``) ----------------
    def reports(self) -> Iterator[dict[str, Any]]:
        """Every stored report without its text (what linking reads), in storage order."""
        for row in self._db.execute("SELECT report FROM documents ORDER BY rowid"):
            yield json.loads(row["report"])

    def replace_links(
        self,
        linked: list[dict[str, Any]],
        members: list[tuple[Any, ...]],
        figure_links: list[tuple[Any, ...]],
        conflicts: list[tuple[Any, ...]],
    ) -> None:
        """Replace all link tables in one transaction (a link run over every stored document)."""
        with self._write() as db:
            for table in ("linked_events", "linked_event_members", "figure_links", "figure_conflicts",
                          "linked_documents"):
                db.execute(f"DELETE FROM {table}")  # fixed table names from this method
            self._insert_links(db, linked, members, figure_links, conflicts)
            db.execute("INSERT INTO linked_documents(doc_id) SELECT id FROM documents")

    def replace_links_of(
        self,
        doc_ids: set[str],
        linked: list[dict[str, Any]],
        members: list[tuple[Any, ...]],
        figure_links: list[tuple[Any, ...]],
        conflicts: list[tuple[Any, ...]],
    ) -> None:
        """Replace the links of some documents only (an incremental link run over ``doc_ids``, which
        must be closed: no linked event or figure group of theirs may hold another document)."""
        with self._write() as db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS relink(doc_id TEXT PRIMARY KEY)")
            db.execute("DELETE FROM relink")
            db.executemany("INSERT OR IGNORE INTO relink(doc_id) VALUES (?)", [(d,) for d in doc_ids])
            db.execute("DELETE FROM linked_events WHERE id IN (SELECT linked_id FROM linked_event_members"
                       " WHERE doc_id IN (SELECT doc_id FROM relink))")
            db.execute("DELETE FROM linked_event_members WHERE doc_id IN (SELECT doc_id FROM relink)")
            db.execute("DELETE FROM figure_conflicts WHERE group_id IN (SELECT group_id FROM figure_links"
                       " WHERE doc_id IN (SELECT doc_id FROM relink))")
            db.execute("DELETE FROM figure_links WHERE doc_id IN (SELECT doc_id FROM relink)")
            self._insert_links(db, linked, members, figure_links, conflicts)
            db.execute("INSERT OR IGNORE INTO linked_documents(doc_id) SELECT doc_id FROM relink"
                       " WHERE doc_id IN (SELECT id FROM documents)")

    @staticmethod
    def _insert_links(db: sqlite3.Connection, linked: list[dict[str, Any]], members: list[tuple[Any, ...]],
                      figure_links: list[tuple[Any, ...]], conflicts: list[tuple[Any, ...]]) -> None:
        db.executemany(_INSERT_LINK["linked_events"], [tuple(r.get(c) for c in _LINKED_COLUMNS) for r in linked])
        db.executemany(_INSERT_LINK["linked_event_members"], members)
        db.executemany(_INSERT_LINK["figure_links"], figure_links)
        db.executemany(_INSERT_LINK["figure_conflicts"], conflicts)

    def unlinked_documents(self) -> list[str]:
        """Documents stored since the last link run (in storage order)."""
        return [r[0] for r in self._db.execute(
            "SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM linked_documents) ORDER BY rowid")]

    def document_count(self) -> int:
        return self._count("SELECT count(*) FROM documents")

    def linked_documents_total(self) -> int:
        return self._count("SELECT count(*) FROM linked_documents")

    def placed_facts(self, kind: str, country: str | None) -> Iterator[tuple[str, str | None, Any, Any, bool]]:
        """(doc_id, date, lat, lon, coarse) of every linked event (``kind`` "events") or figure
        ("figures") in ``country`` (None: without a place); coarse: placed no finer than the
        country. Incremental linking looks for partners among these (one query per country)."""
        if kind == "events":
            sql = ("SELECT m.doc_id, l.date, l.lat, l.lon, (l.where_prec IS NULL OR l.where_prec >= 4)"
                   " FROM linked_events l JOIN linked_event_members m ON m.linked_id = l.id WHERE l.country IS ?")
        elif kind == "figures":
            sql = ("SELECT doc_id, coalesce(date, published), lat, lon, feature IS 'country' FROM figures"
                   " WHERE country IS ?")
        else:
            raise ValueError(f"kind must be events or figures, not {kind!r}")
        for row in self._db.execute(sql, (country,)):
            yield row[0], row[1], row[2], row[3], bool(row[4])

    def linked_neighbours(self, doc_ids: set[str]) -> set[str]:
        """Documents sharing a linked event or a figure group with any of ``doc_ids``."""
        found: set[str] = set()
        ids = sorted(doc_ids)
        for chunk in range(0, len(ids), 500):
            part = ids[chunk:chunk + 500]
            marks = ",".join("?" * len(part))
            found |= {r[0] for r in self._db.execute(
                "SELECT doc_id FROM linked_event_members WHERE linked_id IN (SELECT linked_id FROM"
                f" linked_event_members WHERE doc_id IN ({marks}))", part)}  # marks: only "?" characters
            found |= {r[0] for r in self._db.execute(
                "SELECT doc_id FROM figure_links WHERE group_id IN (SELECT group_id FROM"
                f" figure_links WHERE doc_id IN ({marks}))", part)}
        return found

    def reports_of(self, doc_ids: Iterable[str]) -> Iterator[dict[str, Any]]:
        """The stored reports (without text) of some documents, in storage order."""
        ids = sorted(set(doc_ids))
        rows: list[tuple[int, str]] = []
        for chunk in range(0, len(ids), 500):
            part = ids[chunk:chunk + 500]
            sql = f"SELECT rowid, report FROM documents WHERE id IN ({','.join('?' * len(part))})"
            rows += [(r[0], r[1]) for r in self._db.execute(sql, part)]
        for _, report in sorted(rows):
            yield json.loads(report)

    def linked_events(
        self,
        *,
        country: str | None = None,
        since: str | None = None,
        until: str | None = None,
        min_sources: int = 1,
        min_documents: int = 1,
        limit: int | None = 100,
    ) -> list[dict[str, Any]]:
        """Linked events, each with ``documents`` (ids of the documents that report it) and ``members``.

        ``min_sources`` counts distinct outlets, as the web API's filter of the same name does;
        ``min_documents`` counts reports (two articles of one outlet are two documents, one source)."""
        where, args = _filters(country=("country = ?", _upper(country)), since=("date >= ?", since),
                               until=("date <= ?", until), sources=("number_of_sources >= ?", min_sources),
                               documents=("number_of_documents >= ?", min_documents))
        rows = self._rows("SELECT * FROM linked_events", where, args, "date, id", limit)
        members: dict[str, list[dict[str, Any]]] = {}
        if rows:
            ids = [r["id"] for r in rows]
            for chunk in range(0, len(ids), 500):
                part = ids[chunk:chunk + 500]
                sql = ("SELECT * FROM linked_event_members WHERE linked_id IN (" + ",".join("?" * len(part))
                       + ") ORDER BY published, doc_id, event_id")
                for m in self._db.execute(sql, part):
                    members.setdefault(m["linked_id"], []).append(dict(m))
        for row in rows:
            row["members"] = members.get(row["id"], [])
            row["documents"] = sorted({m["doc_id"] for m in row["members"]})
            row["sources"] = json.loads(row["sources"] or "[]")
        return rows

    def figure_conflicts(self, *, kind: str | None = None, limit: int | None = 100) -> list[dict[str, Any]]:
        where, args = _filters(kind=("kind = ?", kind))
        return self._rows("SELECT * FROM figure_conflicts", where, args, "group_id, doc1, figure1", limit)

    def linked_events_count(self, min_documents: int = 1) -> int:
        row = self._db.execute("SELECT count(*) FROM linked_events WHERE number_of_documents >= ?",
                               (min_documents,)).fetchone()
        return row[0]

    def linked_document_count(self) -> int:
        return self._count("SELECT count(DISTINCT doc_id) FROM linked_event_members")

    def integrity(self) -> str:
        return self._db.execute("PRAGMA integrity_check").fetchone()[0]

    def _count(self, sql: str) -> int:
        return int(self._db.execute(sql).fetchone()[0])

    def _groups(self, sql: str) -> dict[str, int]:
        return {str(k): int(v) for k, v in self._db.execute(sql).fetchall()}

    def _rows(self, select: str, where: list[str], args: list[Any], order: str, limit: int | None) -> list[dict]:
        # ``select``, ``where`` and ``order`` are fixed fragments from this module; values are in ``args``.
        sql = select + (" WHERE " + " AND ".join(where) if where else "") + f" ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT ?"
            args = [*args, int(limit)]
        return [dict(r) for r in self._db.execute(sql, args).fetchall()]


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements (triggers hold ';' inside BEGIN ... END)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer:
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()


def _filters(**named: tuple[str, Any]) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    for clause, value in named.values():
        if value is None or value == "":
            continue
        where.append(clause)
        args.extend([value] * clause.count("?"))
    return where, args


def _date_filters(since: str | None, until: str | None) -> dict[str, tuple[str, Any]]:
    return {"since": ("coalesce(date, published) >= ?", since), "until": ("coalesce(date, published) <= ?", until)}


def _like(value: str | None) -> str | None:
    return f"%{value}%" if value else None


def _upper(value: str | None) -> str | None:
    return value.upper() if value else None


def _fts_query(text: str) -> str:
    """Plain words to an FTS5 query: each word quoted (no operators from user input), ANDed."""
    words = re.findall(r"\w+", text)
    return " ".join('"' + w + '"' for w in words)


def _evidence(fact: dict[str, Any]) -> tuple[int, int, str]:
    ev = fact["evidence"]
    return ev["start"], ev["end"], ev["text"]


def _figure_row(doc_id: str, f: dict[str, Any], places: dict[str, Any], actors: dict[str, Any],
                meta: tuple[Any, ...]) -> tuple[Any, ...]:
    source = f.get("source") or {}
    return (doc_id, f["id"], f["category"], f["who"], f["low"], f["best"], f["high"], f["qualifier"], f["place"],
            *_place_cols(places.get(f["place"] or "")), f["date"],
            json.dumps([_actor_name(actors, a) for a in f["perpetrators"]], ensure_ascii=False),
            source.get("name"), source.get("cue"), *_evidence(f), *meta)


def _event_row(doc_id: str, e: dict[str, Any], places: dict[str, Any], actors: dict[str, Any],
               meta: tuple[Any, ...]) -> tuple[Any, ...]:
    killed, injured = e["fatalities"], e["injured"]
    return (doc_id, e["id"], e["type"], e["sub_type"],
            _actor_name(actors, e["actor1"]), _actor_type(actors, e["actor1"]),
            _actor_name(actors, e["actor2"]), _actor_type(actors, e["actor2"]),
            e["date"], e["place"], *_place_cols(places.get(e["place"] or "")),
            killed["low"], killed["best"], killed["high"], injured["low"], injured["best"], injured["high"],
            e["source"], *_evidence(e), *meta)


def _place_cols(place: dict[str, Any] | None) -> tuple[Any, ...]:
    if place is None:
        return (None, None, None, None, None, None)
    return (place["name"], place["country"], place["admin1"], place["lat"], place["lon"], place["feature"])


def _actor_name(actors: dict[str, Any], ref: str | None) -> str | None:
    actor = actors.get(ref or "")
    return actor["name"] if actor else ref


def _actor_type(actors: dict[str, Any], ref: str | None) -> str | None:
    actor = actors.get(ref or "")
    return actor["type"] if actor else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
