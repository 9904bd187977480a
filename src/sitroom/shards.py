"""Parquet shards: analysed reports written to a directory, merged into a store by ``sitroom load``.

``sitroom ingest ... --out DIR`` writes what a run analysed as numbered Parquet files instead of
storing it; ``sitroom load DIR --db FILE`` merges them. This splits the heavy part (analysis, on
many processes, machines or a Dask cluster) from the single SQLite writer, and leaves a columnar
copy that pandas, DuckDB or Spark read directly.

Each shard is written whole or not at all (a temporary file renamed into place), so a run killed
at any moment leaves only complete shards; the next run with the same ``--out`` skips every
document a shard already holds (by content hash) and numbers its shards after the existing ones.
One row per document: the report's JSON contract in ``report`` (with its text), or the failure's
stage and reason.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import Document, Report
from .pipeline import Failure

SHARD_PATTERN = re.compile(r"^part-(\d{6})\.parquet$")
COLUMNS = ("doc_id", "content_hash", "source", "status", "stage", "reason", "title", "url", "published", "outlet",
           "language", "events", "figures", "report")


def _arrow() -> tuple[Any, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    return pa, pq


def _schema() -> Any:
    pa, _ = _arrow()
    text = {"doc_id", "content_hash", "source", "status", "stage", "reason", "title", "url", "published", "outlet",
            "language", "report"}
    return pa.schema([(c, pa.string() if c in text else pa.int32()) for c in COLUMNS])


def shard_paths(directory: str | Path) -> list[Path]:
    """The complete shards of a directory, in the order they were written."""
    root = Path(directory)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if SHARD_PATTERN.match(p.name))


def report_row(doc: Document, report: Report) -> dict[str, Any]:
    data = report.to_dict()
    info = data["document"]
    return {"doc_id": doc.id, "content_hash": doc.content_hash, "source": doc.source, "status": "report",
            "stage": None, "reason": None, "title": info.get("title"), "url": info.get("url"),
            "published": info.get("published"), "outlet": info.get("outlet"), "language": info.get("language"),
            "events": len(data["events"]), "figures": len(data["figures"]),
            "report": json.dumps(data, ensure_ascii=False)}


def failure_row(failure: Failure) -> dict[str, Any]:
    doc = failure.document
    return {"doc_id": doc.id, "content_hash": doc.content_hash if doc.text else None, "source": doc.source,
            "status": "failed", "stage": failure.stage, "reason": failure.reason, "title": None, "url": doc.url,
            "published": doc.published, "outlet": doc.outlet, "language": None, "events": None, "figures": None,
            "report": None}


class ShardWriter:
    """Buffers rows and writes a shard every ``rows_per_shard`` documents (and on close)."""

    def __init__(self, directory: str | Path, rows_per_shard: int = 1000) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        for partial in self.directory.glob("part-*.parquet.tmp"):
            partial.unlink()  # left by a killed run: its documents are not in any complete shard
        existing = [int(SHARD_PATTERN.match(p.name).group(1)) for p in shard_paths(self.directory)]  # type: ignore[union-attr]
        self.next_index = max(existing, default=-1) + 1
        self.rows_per_shard = max(1, rows_per_shard)
        self.rows: list[dict[str, Any]] = []
        self.written: list[Path] = []

    def add(self, doc: Document, result: Report | Failure) -> None:
        self.rows.append(report_row(doc, result) if isinstance(result, Report) else failure_row(result))
        if len(self.rows) >= self.rows_per_shard:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        pa, pq = _arrow()
        table = pa.Table.from_pylist(self.rows, schema=_schema())
        final = self.directory / f"part-{self.next_index:06d}.parquet"
        partial = final.with_name(final.name + ".tmp")
        pq.write_table(table, partial, compression="zstd")
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, final)  # atomic: a reader sees the whole shard or none of it
        self.written.append(final)
        self.next_index += 1
        self.rows = []

    def close(self) -> None:
        self.flush()

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        # Also on an exception or Ctrl-C: what was analysed is kept.
        self.close()


def stored_hashes(directory: str | Path) -> set[str]:
    """Content hashes of the documents whose reports the shards already hold (resume / no duplicates)."""
    _, pq = _arrow()
    seen: set[str] = set()
    for path in shard_paths(directory):
        table = pq.read_table(path, columns=["content_hash", "status"])
        for digest, status in zip(table.column("content_hash").to_pylist(), table.column("status").to_pylist(),
                                  strict=True):
            if status == "report" and digest:
                seen.add(digest)
    return seen


def read_rows(directory: str | Path, batch_size: int = 256) -> Iterator[dict[str, Any]]:
    """Every row of every shard, in writing order, a batch at a time (flat memory on any size)."""
    _, pq = _arrow()
    paths = shard_paths(directory)
    if not paths:
        raise FileNotFoundError(f"no shards (part-NNNNNN.parquet) in {directory}")
    for path in paths:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size):
            yield from batch.to_pylist()


@dataclass(slots=True)
class LoadCounts:
    stored: int = 0
    duplicates: int = 0
    failed: int = 0


def load(directory: str | Path, store: Any) -> LoadCounts:
    """Merge the shards of ``directory`` into ``store``: reports stored by content hash (a second
    load adds nothing), failures recorded with their reason."""
    counts = LoadCounts()
    failed: set[str] = set()
    with store.batch():
        for row in read_rows(directory):
            if row["status"] == "report":
                added = store.add(json.loads(row["report"]), row["content_hash"])
                counts.stored += added.status == "stored"
                counts.duplicates += added.status == "duplicate"
            else:
                store.add_failure(row["doc_id"], row["stage"], row["reason"], source=row["source"],
                                  content_hash=row["content_hash"])
                failed.add(row["doc_id"])
    counts.failed = len(failed)  # a document that failed in several runs is one failure
    return counts
