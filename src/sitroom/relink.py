"""Incremental linking: after an ingest, link the new documents with their neighbourhood only.

A full run (``sitroom link``, ``link.link_store``) re-reads every stored report. After an ingest,
only the new documents can change the links, and only near them: an event links with events of
the same country within its date window and radius (``link``'s hard rules). So the new
documents' events and figures select the stored documents with events or figures in the same
country (one indexed query per country), within ``MARGIN_DAYS`` of their dates (any date when an
event has none finer than a month) and ``MARGIN_KM`` of their place (the whole country for a
country-level place). That set is closed over the existing links (every document sharing a
linked event or a figure group with it, and so on) so no stored cluster is cut in two, and only
the closed set is linked again and its rows replaced. When it reaches half of the store, a full
run is as cheap and is done instead.

Linked-event ids are stable (a linked event is named after its first report), so the ids of
clusters that did not change stay the same. The TF-IDF weights of the wording score are computed
over the relinked set, so a borderline pair can score differently than in a full run
(``bench/relink.py`` counts the groups that differ; ``sitroom link`` recomputes everything).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .link import (
    LinkResult,
    LinkSettings,
    figure_records_from_report,
    link_reports,
    link_rows,
    link_store,
    records_from_report,
)

# Wider than the linker's day/week/month windows (31 days) and its largest radius (200 km), so
# no partner is missed.
MARGIN_DAYS = 40
MARGIN_KM = 230.0


@dataclass(slots=True)
class Relinked:
    new: int  # documents stored since the last link run
    relinked: int  # documents whose links were computed again
    total: int  # documents in the store
    full: bool  # a full run was done (first run, or the neighbourhood was most of the store)
    result: LinkResult | None


def link_new(store: Any, settings: LinkSettings | None = None) -> Relinked:
    """Link what was stored since the last link run; nothing to do when nothing is new."""
    new = store.unlinked_documents()
    total = store.document_count()  # not stats(): its per-type counts scan every fact table
    if not new:
        return Relinked(0, 0, total, False, None)
    if store.linked_documents_total() == 0:
        return Relinked(len(new), total, total, True, link_store(store, settings))
    scope = _closed(store, _neighbourhood(store, new))
    if len(scope) * 2 >= total:
        return Relinked(len(new), total, total, True, link_store(store, settings))
    result = link_reports(store.reports_of(scope), settings)
    store.replace_links_of(scope, *link_rows(result))
    return Relinked(len(new), len(scope), total, False, result)


Window = tuple[str | None, str | None, tuple[float, float, float, float] | None]  # since, until, box


def _neighbourhood(store: Any, new: list[str]) -> set[str]:
    wanted: dict[tuple[str, str | None], set[Window]] = defaultdict(set)
    for report in store.reports_of(new):
        for event in records_from_report(report):
            wanted["events", event.country].add((*_window(event.date or event.published), _box(event)))
        for figure in figure_records_from_report(report):
            wanted["figures", figure.country].add((*_window(figure.date or figure.published), _box(figure)))
    scope = set(new)
    for (kind, country), windows in wanted.items():
        scope |= {doc for doc, day, lat, lon, coarse in store.placed_facts(kind, country)
                  if doc not in scope and any(_inside(day, lat, lon, coarse, w) for w in windows)}
    return scope


def _inside(day: str | None, lat: float | None, lon: float | None, coarse: bool, window: Window) -> bool:
    since, until, box = window
    # Undated or dated no finer than a year: the linker may compare it with anything in the country.
    if since and until and day and len(day) >= 7 and not since <= day[:10] <= until:
        return False
    if box is None or coarse or lat is None or lon is None:
        return True
    return box[0] <= lat <= box[1] and box[2] <= lon <= box[3]


def _box(record: Any) -> tuple[float, float, float, float] | None:
    """Where partners can be: the linker's largest radius (200 km, a province) around a place
    finer than a country; None (the whole country) for a country or no place."""
    if record.lat is None or record.lon is None or (record.place_precision or 2) >= 4:
        return None
    dlat = MARGIN_KM / 111.0
    dlon = dlat / max(math.cos(math.radians(record.lat)), 0.05)
    return record.lat - dlat, record.lat + dlat, record.lon - dlon, record.lon + dlon


def _closed(store: Any, scope: set[str]) -> set[str]:
    """Add every document linked with one of ``scope`` until nothing more joins."""
    frontier = set(scope)
    while frontier:
        joined = store.linked_neighbours(frontier) - scope
        scope |= joined
        frontier = joined
    return scope


def _window(value: str | None) -> tuple[str | None, str | None]:
    """The date range to look for partners in: MARGIN_DAYS around a day or month, else any date."""
    if not value or len(value) < 7:
        return None, None
    try:
        if len(value) >= 10:
            start = end = date.fromisoformat(value[:10])
        else:
            start = date.fromisoformat(value[:7] + "-01")
            end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    except ValueError:
        return None, None
    return (start - timedelta(days=MARGIN_DAYS)).isoformat(), (end + timedelta(days=MARGIN_DAYS)).isoformat()
