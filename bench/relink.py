"""Incremental linking after an ingest (``sitroom.relink.link_new``) against a full link run.

A store is filled with the synthetic reports of ``bench/link.py`` (one event each, spread over
time at a constant density), linked whole, then a day's worth of new reports (``--new``, the
latest ones in time, as a daily ingest brings) is added. The baseline, measured in the same run
on the same store, is the full run (``link.link_store``) that ingest did before; both results
are compared (same groupings of documents).

    python bench/relink.py [--events 25000] [--new 100] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from link import synthetic  # noqa: E402  (bench/link.py)

from sitroom import link, relink  # noqa: E402
from sitroom.link import EventRecord  # noqa: E402
from sitroom.model import Actor, Bounds, DocumentInfo, Event, Evidence, Place, Report, Span  # noqa: E402
from sitroom.store import Store  # noqa: E402


def as_report(r: EventRecord) -> Report:
    text = r.text
    place = Place("p1", "somewhere", r.lat, r.lon, r.country, None, "town", None, [Span(0, 1)])
    actor = Actor("a1", next(iter(r.actors)), "state_forces", None, [Span(0, 1)])
    killed = r.fatalities[1]
    toll = Bounds(killed, killed, killed) if killed else Bounds()
    event = Event("e0", r.type, None, "a1", None, r.date if r.date_precision == "day" else None, "p1",
                  toll, Bounds(), None, Evidence.of(text, 0, len(text)))
    info = DocumentInfo(r.doc_id, None, None, None, r.published, f"outlet-{r.doc_id[-1]}", "en")
    return Report(document=info, text=text, places=[place], actors=[actor], events=[event])


def groups(store: Store) -> set[frozenset[str]]:
    return {frozenset(r["documents"]) for r in store.linked_events(limit=None)}


def run(n: int, new: int) -> dict:
    records, _ = synthetic(n + new)
    # The newest reports arrive last (a daily ingest): sort by publication date.
    records.sort(key=lambda r: (r.published or "", r.doc_id))
    old, fresh = records[:n], records[n:]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        with store.batch(2000):
            for r in old:
                store.add(as_report(r))
        link.link_store(store)
        with store.batch(2000):
            for r in fresh:
                store.add(as_report(r))
        t0 = time.perf_counter()
        done = relink.link_new(store)
        incremental_s = time.perf_counter() - t0
        step = groups(store)
        t0 = time.perf_counter()
        link.link_store(store)
        full_s = time.perf_counter() - t0
        whole = groups(store)
        same = step == whole
        differing = len(step ^ whole)
        store.close()
    return {"events": n, "new": new, "relinked_documents": done.relinked, "incremental_s": round(incremental_s, 3),
            "full_s": round(full_s, 3), "ratio_vs_full": round(incremental_s / full_s, 3),
            "same_groups_as_full": same, "groups": len(whole), "groups_differing": differing}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=25_000)
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.events, args.new)
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key:<22} {value}")


if __name__ == "__main__":
    main()
