"""Cost of cross-document linking (``sitroom.link.link_events``) on synthetic events.

Synthetic world: real events spread over a country-sized box, one year per 25,000 reports (so
density stays the same as the archive grows), each reported by
1-5 documents with jitter (place within ~2 km, date within a day, some undated or place-less
reports, varied wording around event-specific words), plus crowded places (a capital gets many
events a week). The baseline, measured in the same run on the same records, is a plain Python
sort of the events by (date, lat, lon): linking is near-linear when its time grows like the
sort's (the ratio stays flat from 25k to 100k) rather than with the square of the count; the
candidate pairs scored per event (``pairs/ev``) measure the same without timing noise. The one
part that grows with the archive is reports with no date at all (1% here): each dated event
meets those of its own town cell, whatever their time.
Also prints pairwise precision/recall against the synthetic truth.

    python bench/link.py [--sizes 25000 50000 100000] [--json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import time
from datetime import date, timedelta

from sitroom.link import EventRecord, LinkSettings, candidate_pairs, link_events

ACTORS = ("russia", "turkey", "islamic state", "sdf", "israel", "us led coalition", "syria", "hts")
TYPES = ("Explosions/Remote violence", "Battles", "Violence against civilians", "Protests")
WORDS = ("strike", "shelling", "drone", "village", "market", "house", "killed", "wounded", "civilians", "fighters",
         "attack", "artillery", "convoy", "checkpoint", "hospital", "school", "camp", "road", "farm", "bakery")


def synthetic(n_events: int, seed: int = 7) -> tuple[list[EventRecord], list[int]]:
    """About ``n_events`` reports of fewer real events; returns the records and each one's true event."""
    rng = random.Random(seed)
    records: list[EventRecord] = []
    truth: list[int] = []
    base = date(2000, 1, 1)
    # A bigger archive covers more time at the same density (25k reports ~ 1 year of one country's
    # conflict news): linking cost should grow with the count, not with its square.
    days = max(30, n_events * 365 // 25_000)
    hubs = [(rng.uniform(32, 37), rng.uniform(35, 42)) for _ in range(40)]
    real = 0
    while len(records) < n_events:
        real += 1
        # A third of the events happen in a few crowded places: blocks there are dense.
        lat, lon = rng.choice(hubs) if rng.random() < 0.33 else (rng.uniform(32, 37), rng.uniform(35, 42))
        day = base + timedelta(days=rng.randrange(days))
        kind, actor = rng.choice(TYPES), rng.choice(ACTORS)
        killed = rng.choice((None, 1, 2, 3, 5, 8, 12, 20))
        own = f"name{real}"
        for r in range(rng.choice((1, 1, 2, 2, 3, 4, 5))):
            if len(records) >= n_events:
                break
            # One report in ten gives no date of its own: its publication date stands in (as in
            # ``records_from_report``); one in a hundred has neither.
            undated = rng.random() < 0.1
            d = day + timedelta(days=rng.choice((0, 0, 0, 1)))
            published = d + timedelta(days=rng.choice((0, 1, 2)))
            when, prec = (d.isoformat(), "day") if not undated else (published.isoformat(), "published")
            if rng.random() < 0.01:
                when, prec = None, None
            text = " ".join(rng.sample(WORDS, 6) + [own, actor])
            records.append(EventRecord(
                doc_id=f"doc{real}-{r}", event_id="e0", type=kind, sub_type=None,
                date=when, date_precision=prec,
                lat=lat + rng.uniform(-0.02, 0.02), lon=lon + rng.uniform(-0.02, 0.02), place_precision=1,
                place=None, country="SY", actors=frozenset({actor}), text=text,
                fatalities=(killed, killed, killed), published=published.isoformat(),
            ))
            truth.append(real)
    return records, truth


def pairwise(linked: list, records: list[EventRecord], truth: list[int]) -> tuple[float, float]:
    index = {(r.doc_id, r.event_id): i for i, r in enumerate(records)}
    pred = set()
    for le in linked:
        ids = sorted(index[(m.doc_id, m.event_id)] for m in le.members)
        pred.update(itertools.combinations(ids, 2))
    by_event: dict[int, list[int]] = {}
    for i, t in enumerate(truth):
        by_event.setdefault(t, []).append(i)
    gold = {p for ids in by_event.values() for p in itertools.combinations(ids, 2)}
    tp = len(pred & gold)
    return tp / max(1, len(pred)), tp / max(1, len(gold))


def _timed_sort(records: list[EventRecord]) -> float:
    t0 = time.perf_counter()
    sorted(records, key=lambda r: (r.date or "", r.lat or 0.0, r.lon or 0.0))
    return time.perf_counter() - t0


def run(n: int) -> dict:
    records, truth = synthetic(n)
    sort_s = min(_timed_sort(records) for _ in range(3))  # the fastest of three: the machine is shared
    t0 = time.perf_counter()
    linked = link_events(records, LinkSettings())
    link_s = time.perf_counter() - t0
    precision, recall = pairwise(linked, records, truth)
    pairs = sum(1 for _ in candidate_pairs(records, LinkSettings()))  # the work, free of timing noise
    return {"events": n, "link_s": round(link_s, 3), "sort_s": round(sort_s, 4), "pairs_per_event": round(pairs / n, 2),
            "ratio_vs_sort": round(link_s / sort_s, 1), "events_per_s": round(n / link_s),
            "linked_events": len(linked), "precision": round(precision, 3), "recall": round(recall, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 50_000, 100_000])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [run(n) for n in args.sizes]
    if args.json:
        print(json.dumps(results))
        return
    print(f"{'events':>8} {'link s':>8} {'sort s':>8} {'ratio':>7} {'events/s':>9} {'pairs/ev':>9} {'P':>6} {'R':>6}")
    for r in results:
        print(f"{r['events']:>8} {r['link_s']:>8} {r['sort_s']:>8} {r['ratio_vs_sort']:>7} {r['events_per_s']:>9} "
              f"{r['pairs_per_event']:>9} {r['precision']:>6} {r['recall']:>6}")
    first, last = results[0], results[-1]
    growth = (last["link_s"] / first["link_s"]) / (last["events"] / first["events"])
    print(f"time grew {last['link_s'] / first['link_s']:.2f}x for {last['events'] / first['events']:.0f}x the events "
          f"(1.0 = linear, {last['events'] / first['events']:.0f} = quadratic); per-event growth {growth:.2f}")


if __name__ == "__main__":
    main()
