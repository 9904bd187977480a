"""Exports in the shapes the field already uses: ACLED-like event rows, figures with attribution.

Events get ACLED's columns (event_date ... fatalities) plus UCDP-style ``low``/``best``/``high``
for fatalities; ``fatalities`` itself follows ACLED's conservative convention (the low bound,
else the best estimate). Figures carry their bounds, source (attribution) and evidence offsets.
Formats: CSV, JSON and GeoJSON (a FeatureCollection of every event and figure with coordinates).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any, Literal

from . import gazetteer
from .store import Store

Kind = Literal["events", "figures"]

EVENT_COLUMNS = (
    "event_date", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "location",
    "latitude", "longitude", "geo_precision", "source", "notes", "fatalities",
    # UCDP-style bounds and sitroom's own provenance columns
    "low", "best", "high", "injured_low", "injured_best", "injured_high",
    "country_code", "source_attribution", "document_id", "event_id", "evidence_start", "evidence_end", "url",
)
FIGURE_COLUMNS = (
    "date", "category", "who", "low", "best", "high", "qualifier", "location", "country", "admin1",
    "latitude", "longitude", "geo_precision", "perpetrators", "source_name", "source_cue", "evidence",
    "evidence_start", "evidence_end", "document_id", "figure_id", "published", "outlet", "url",
)

# ACLED geo_precision: 1 = the town itself, 2 = a part of a region / near a town, 3 = a province or wider.
_PRECISION = {
    "city": 1, "town": 1, "village": 1, "populated_place": 1, "neighbourhood": 1, "neighborhood": 1,
    "district": 2, "admin2": 2, "region": 2, "area": 2, "camp": 1, "landmark": 1,
    "admin1": 3, "province": 3, "country": 3,
}


def geo_precision(feature: str | None, lat: float | None) -> int | None:
    if lat is None:
        return None
    return _PRECISION.get((feature or "").lower(), 2)


def event_rows(store: Store, **filters: Any) -> Iterator[dict[str, Any]]:
    for e in store.events(limit=None, **filters):
        yield {
            "event_date": e["date"] or e["published"],
            "event_type": e["type"],
            "sub_event_type": e["sub_type"],
            "actor1": e["actor1"],
            "actor2": e["actor2"],
            "country": country_name(e["country"]),
            "admin1": e["admin1"],
            "location": e["place"],
            "latitude": e["lat"],
            "longitude": e["lon"],
            "geo_precision": geo_precision(e["feature"], e["lat"]),
            "source": e["outlet"] or e["source"],
            "notes": e["evidence_text"],
            "fatalities": _conservative(e["fatalities_low"], e["fatalities_best"]),
            "low": e["fatalities_low"],
            "best": e["fatalities_best"],
            "high": e["fatalities_high"],
            "injured_low": e["injured_low"],
            "injured_best": e["injured_best"],
            "injured_high": e["injured_high"],
            "country_code": e["country"],
            "source_attribution": e["source"],
            "document_id": e["doc_id"],
            "event_id": e["id"],
            "evidence_start": e["evidence_start"],
            "evidence_end": e["evidence_end"],
            "url": e["url"],
        }


def figure_rows(store: Store, **filters: Any) -> Iterator[dict[str, Any]]:
    for f in store.figures(limit=None, **filters):
        yield {
            "date": f["date"] or f["published"],
            "category": f["category"],
            "who": f["who"],
            "low": f["low"],
            "best": f["best"],
            "high": f["high"],
            "qualifier": f["qualifier"],
            "location": f["place"],
            "country": f["country"],
            "admin1": f["admin1"],
            "latitude": f["lat"],
            "longitude": f["lon"],
            "geo_precision": geo_precision(f["feature"], f["lat"]),
            "perpetrators": f["perpetrators"],
            "source_name": f["source_name"],
            "source_cue": f["source_cue"],
            "evidence": f["evidence_text"],
            "evidence_start": f["evidence_start"],
            "evidence_end": f["evidence_end"],
            "document_id": f["doc_id"],
            "figure_id": f["id"],
            "published": f["published"],
            "outlet": f["outlet"],
            "url": f["url"],
        }


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str], columns: Iterable[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()})
        count += 1
    return count


def write_json(tables: dict[str, list[dict[str, Any]]], out: IO[str]) -> int:
    json.dump(tables, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return sum(len(rows) for rows in tables.values())


def write_geojson(tables: dict[str, list[dict[str, Any]]], out: IO[str]) -> int:
    """Points for every row with coordinates; ``properties.kind`` says event or figure."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": {"kind": kind.rstrip("s"), **row},
        }
        for kind, rows in tables.items()
        for row in rows
        if row.get("latitude") is not None and row.get("longitude") is not None
    ]
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(features)


def export(store: Store, fmt: str, out: IO[str], kinds: Iterable[Kind] = ("events", "figures"), **filters: Any) -> int:
    """Write ``kinds`` from ``store`` to ``out`` as csv (one kind), json or geojson; returns rows written."""
    kinds = list(kinds)
    if fmt == "csv":
        if len(kinds) != 1:
            raise ValueError("csv holds one kind: choose events or figures")
        rows = _rows(store, kinds[0], filters)
        return write_csv(rows, out, EVENT_COLUMNS if kinds[0] == "events" else FIGURE_COLUMNS)
    tables = {kind: list(_rows(store, kind, filters)) for kind in kinds}
    if fmt == "json":
        return write_json(tables, out)
    if fmt == "geojson":
        return write_geojson(tables, out)
    raise ValueError(f"unknown export format {fmt!r} (csv, json or geojson)")


def _rows(store: Store, kind: str, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if kind == "events":
        return event_rows(store, **filters)
    if kind == "figures":
        return figure_rows(store, **{k: v for k, v in filters.items() if k != "type"})
    raise ValueError(f"unknown kind {kind!r} (events or figures)")


def _conservative(low: int | None, best: int | None) -> int | None:
    return low if low is not None else best


def country_name(code: str | None) -> str | None:
    """ISO alpha-2 to the country name ACLED uses in its ``country`` column (the code when unknown)."""
    if not code:
        return None
    return gazetteer.iso2_name(code.upper()) or code



