"""Web API latency with a large store: 100,000 synthetic events (+ 50,000 figures), in-process.

    .venv/bin/python bench/web.py [--events 100000] [--figures 50000] [--repeat 7]

Fills a temporary store with synthetic rows (plain SQL inserts into the store's own schema),
then times map aggregation, timeline, table pages and stats through the ASGI app (TestClient:
routing, validation, JSON included; no network). Each number is the median of --repeat runs,
with its ratio to a baseline measured in the same run: a ``SELECT count(*)`` that scans the whole
events table of the same database, so numbers compare across machines. "cold" clears the
app's aggregation cache before each run (as after a store change); "cached" does not.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from sitroom.store import Store
from sitroom.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
         ("Violence against civilians", "Attack"), ("Protests", "Peaceful protest"), ("Riots", "Mob violence"),
         ("Strategic developments", "Arrests")]
CATEGORIES = ["killed", "injured", "displaced", "trapped", "detained", "missing"]
# (country, place, lat, lon): spread over several regions so clustering has work to do.
PLACES = [("IQ", "Mosul", 36.34, 43.12), ("IQ", "Baghdad", 33.34, 44.40), ("SY", "Aleppo", 36.20, 37.16),
          ("SY", "Raqqa", 35.95, 39.01), ("YE", "Sanaa", 15.35, 44.21), ("AF", "Kabul", 34.53, 69.17),
          ("NG", "Maiduguri", 11.85, 13.16), ("SD", "Khartoum", 15.55, 32.53), ("UA", "Kharkiv", 49.99, 36.23),
          ("ML", "Gao", 16.27, -0.04), ("CD", "Goma", -1.68, 29.22), ("MM", "Mandalay", 21.97, 96.08)]
# A full scan of the events table (a bare count(*) is answered from the smallest index in ~0 ms).
BASELINE = "SELECT count(*) FROM events WHERE evidence_text IS NOT NULL"  # no index holds evidence_text
ACTORS = ["Islamic State", "Military Forces of Iraq", "Taliban", "Boko Haram", "Rapid Support Forces",
          "Civilians", "Police Forces", "Houthis", None]

# Named columns: the insert keeps working when a later migration adds columns.
EVENT_COLUMNS = (
    "doc_id", "id", "type", "sub_type", "actor1", "actor1_type", "actor2", "actor2_type", "date", "place_id",
    "place", "country", "admin1", "lat", "lon", "feature", "fatalities_low", "fatalities_best", "fatalities_high",
    "injured_low", "injured_best", "injured_high", "source", "evidence_start", "evidence_end", "evidence_text",
    "published", "outlet", "url",
)
FIGURE_COLUMNS = (
    "doc_id", "id", "category", "who", "low", "best", "high", "qualifier", "place_id", "place", "country", "admin1",
    "lat", "lon", "feature", "date", "perpetrators", "source_name", "source_cue", "evidence_start", "evidence_end",
    "evidence_text", "published", "outlet", "url",
)


def fill(path: Path, events: int, figures: int, seed: int = 7) -> None:
    Store(path).close()  # the store's own schema and migrations
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    docs = max(1, events // 100)
    start = 17_000  # days since 1970: 2016-07-19
    day = [time.strftime("%Y-%m-%d", time.gmtime((start + d) * 86400)) for d in range(1100)]
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO documents(id, content_hash, source, title, published, outlet, language, text, report, stored_at)"
        " VALUES (?, ?, 'bench', ?, ?, 'Bench Wire', 'en', ?, '{}', '2026-01-01T00:00:00+00:00')",
        [(f"doc{i}", f"hash{i}", f"Synthetic report {i}", day[i % len(day)], f"Synthetic text {i}")
         for i in range(docs)],
    )

    # Geocoded facts sit on gazetteer points: 200 villages and towns around each city, reused.
    points = {place: [(round(lat + rng.uniform(-0.8, 0.8), 5), round(lon + rng.uniform(-0.8, 0.8), 5))
                      for _ in range(200)] for _, place, lat, lon in PLACES}

    rows = []
    for i in range(events):
        country, place, lat, lon = rng.choice(PLACES)
        kind, sub = rng.choice(TYPES)
        killed = rng.choice([0, 0, 0, 1, 2, 5, 12, 40, 230])
        lat, lon = rng.choice(points[place])
        rows.append((f"doc{i % docs}", f"event_{i}", kind, sub, rng.choice(ACTORS), None, rng.choice(ACTORS), None,
                     day[rng.randrange(len(day))], f"place_{place}", place, country, None, lat, lon,
                     "city", killed, killed, killed, None, None, None, rng.choice(["UN", "police", None]),
                     0, 10, f"Synthetic evidence {i}", day[(i % docs) % len(day)], "Bench Wire", None))
    db.executemany(f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))})",
                   rows)
    frows = []
    for i in range(figures):
        country, place, lat, lon = rng.choice(PLACES)
        n = rng.choice([3, 12, 40, 230, 1500, 850_000])
        lat, lon = rng.choice(points[place])
        frows.append((f"doc{i % docs}", f"fig_{i}", rng.choice(CATEGORIES), "people", n, n, n, None, f"place_{place}",
                      place, country, None, lat, lon, "city", day[rng.randrange(len(day))], "[]",
                      rng.choice(["UN", "MSF", None]), "said", 0, 10, f"{n} people", day[i % len(day)],
                      "Bench Wire", None))
    db.executemany(f"INSERT INTO figures ({', '.join(FIGURE_COLUMNS)}) VALUES ({', '.join('?' * len(FIGURE_COLUMNS))})",
                   frows)
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm: connection, page cache
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--figures", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        fill(path, args.events, args.figures)
        print(f"store: {args.events:,} events, {args.figures:,} figures, filled in {time.perf_counter() - t0:.1f} s, "
              f"{path.stat().st_size / 1e6:.0f} MB")
        client = TestClient(create_app(path, token="bench"))
        raw = sqlite3.connect(path)
        base = median_ms(lambda: raw.execute(BASELINE).fetchone(), args.repeat)
        cache = client.app.state.database.cache  # type: ignore[attr-defined]

        def get(url: str, cold: bool = False, **params: object) -> Callable[[], object]:
            def call() -> object:
                if cold:
                    cache.clear()  # as after a store change: the aggregation runs again
                response = client.get(url, params=params)
                if response.status_code != 200:
                    raise SystemExit(f"{url} {params}: {response.status_code} {response.text[:200]}")
                return response.content
            return call

        cases = [
            ("map, zoom 3, events+figures, cold", get("/api/map", True, zoom=3, bbox="-85,-180,85,180")),
            ("map, zoom 3, events+figures, cached", get("/api/map", zoom=3, bbox="-85,-180,85,180")),
            ("map, zoom 3, events only, cold", get("/api/map", True, zoom=3, layer="events")),
            ("map, zoom 7 around Mosul, cold", get("/api/map", True, zoom=7, bbox="33,39,39,47")),
            ("map, zoom 7 pan (cached)", get("/api/map", zoom=7, bbox="34,40,40,48")),
            ("map, date range 2017, cold", get("/api/map", True, zoom=3, since="2017-01-01", until="2017-12-31")),
            ("map, cluster items (Mosul cell)", get("/api/map/items", bbox="35.5,42.5,37,44", limit=100)),
            ("timeline, events per day by type, cold", get("/api/timeline", True)),
            ("timeline, cached", get("/api/timeline")),
            ("table, events page 1 (date desc)", get("/api/events", limit=50)),
            ("table, events page 1000 (offset 49,950)", get("/api/events", limit=50, offset=49_950)),
            ("table, events sorted by fatalities", get("/api/events", limit=50, sort="fatalities")),
            ("table, events filtered IQ + 2018", get("/api/events", country="IQ", since="2018-01-01",
                                                     until="2018-12-31")),
            ("table, figures page 1 (date desc)", get("/api/figures", limit=50)),
            ("stats (counts by kind)", get("/api/stats")),
            ("search 'Synthetic' (FTS5)", get("/api/search", q="Synthetic")),
        ]
        print(f"baseline {BASELINE}: {base:.2f} ms (median of {args.repeat})")
        print(f"{'request':45} {'median ms':>10} {'x baseline':>11}")
        worst = 0.0
        for name, fn in cases:
            ms = median_ms(fn, args.repeat)
            worst = max(worst, ms)
            print(f"{name:45} {ms:10.1f} {ms / base:11.1f}")
        print(f"slowest request: {worst:.0f} ms ({'under' if worst < 1000 else 'OVER'} one second)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
