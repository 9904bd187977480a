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

Kind = Literal["events", "figures", "linked"]

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
    if fmt in LINKED_FORMATS:
        columns, make = LINKED_FORMATS[fmt]
        return write_csv(make(store, **_linked_filters(filters)), out, columns)
    if fmt == "csv":
        if len(kinds) != 1:
            raise ValueError("csv holds one kind: choose events or figures")
        rows = _rows(store, kinds[0], filters)
        return write_csv(rows, out, _CSV_COLUMNS[kinds[0]])
    tables = {_TABLE_NAMES.get(kind, kind): list(_rows(store, kind, filters)) for kind in kinds}
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
    if kind == "linked":
        return linked_event_rows(store, members=True, **_linked_filters(filters))
    raise ValueError(f"unknown kind {kind!r} (events or figures)")


def _conservative(low: int | None, best: int | None) -> int | None:
    return low if low is not None else best


def country_name(code: str | None) -> str | None:
    """ISO alpha-2 to the country name ACLED uses in its ``country`` column (the code when unknown)."""
    if not code:
        return None
    return gazetteer.iso2_name(code.upper()) or code





# -- linked events (cross-document; computed by ``sitroom.link``) --------------------------------
# Column mappings are documented in docs/exports.md.

LINKED_COLUMNS = (
    "linked_id", "event_date", "date_start", "date_end", "event_type", "sub_event_type", "actor1", "actor2",
    "country", "country_code", "admin1", "location", "latitude", "longitude", "geo_precision", "where_prec",
    "date_prec", "low", "best", "high", "injured_low", "injured_best", "injured_high", "rule",
    "number_of_sources", "number_of_documents", "sources", "documents", "first_report", "last_report", "score",
    "notes",
)
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
    "country", "iso", "admin1", "location", "latitude", "longitude", "geo_precision", "source", "notes",
    "fatalities", "number_of_sources", "documents", "low", "best", "high",
)
UCDP_COLUMNS = (
    "id", "relid", "year", "type_of_violence", "side_a", "side_b", "source_article", "number_of_sources",
    "where_prec", "where_coordinates", "adm_1", "country", "latitude", "longitude", "geom_wkt",
    "date_start", "date_end", "date_prec", "best", "low", "high",
)
GKG_COLUMNS = ("GKGRECORDID", "V21DATE", "V2SourceCommonName", "V2DocumentIdentifier", "V1Counts", "V21Counts")

# ACLED time_precision: 1 the day, 2 the week, 3 the month or wider (sitroom date_prec 1..5 below).
_ACLED_TIME = {1: 1, 2: 2, 3: 3, 4: 3, 5: 3}
# UCDP date_prec: 1 the day, 3 within a week, 4 within a month, 5 within a year.
_UCDP_DATE = {1: 1, 2: 3, 3: 4, 4: 5, 5: 5}
# UCDP where_prec: 1 the place, 3 second-order division, 4 first-order division, 6 the country.
_UCDP_WHERE = {1: 1, 2: 3, 3: 4, 4: 6}
# GDELT count types (GKG 2.1 codebook) by sitroom figure category; others count as AFFECT.
_GKG_TYPE = {"killed": "KILL", "injured": "WOUND", "detained": "ARREST", "missing": "KIDNAP"}
# GDELT geo types: 1 country, 4 world city, 5 world first-order division.
_GKG_GEO = {"country": 1, "admin1": 5}


def linked_event_rows(store: Store, *, members: bool = False, **filters: Any) -> Iterator[dict[str, Any]]:
    """One row per linked event; ``documents`` lists the ids of the documents that report it."""
    for le in store.linked_events(limit=None, **filters):
        row = {
            "linked_id": le["id"], "event_date": le["date"], "date_start": le["date_start"], "date_end": le["date_end"],
            "event_type": le["type"], "sub_event_type": le["sub_type"], "actor1": le["actor1"],
            "actor2": le["actor2"], "country": country_name(le["country"]), "country_code": le["country"],
            "admin1": le["admin1"], "location": le["place"], "latitude": le["lat"], "longitude": le["lon"],
            "geo_precision": min(le["where_prec"], 3) if le["where_prec"] else None,
            "where_prec": le["where_prec"], "date_prec": le["date_prec"],
            "low": le["low"], "best": le["best"], "high": le["high"],
            "injured_low": le["injured_low"], "injured_best": le["injured_best"], "injured_high": le["injured_high"],
            "rule": le["rule"], "number_of_sources": le["number_of_sources"],
            "number_of_documents": le["number_of_documents"], "sources": le["sources"],
            "documents": le["documents"], "first_report": le["first_report"], "last_report": le["last_report"],
            "score": le["score"], "notes": le["notes"],
        }
        if members:
            row["members"] = [{k: m[k] for k in ("doc_id", "event_id", "outlet", "published")} for m in le["members"]]
        yield row


def acled_rows(store: Store, **filters: Any) -> Iterator[dict[str, Any]]:
    """ACLED-shaped rows: one per linked event; ``source`` lists the outlets, ``fatalities`` is the low."""
    for r in linked_event_rows(store, **filters):
        yield {
            "event_id_cnty": r["linked_id"], "event_date": r["event_date"],
            "year": int(r["event_date"][:4]) if r["event_date"] else None,
            "time_precision": _ACLED_TIME.get(r["date_prec"]), "event_type": r["event_type"],
            "sub_event_type": r["sub_event_type"], "actor1": r["actor1"], "actor2": r["actor2"],
            "country": r["country"], "iso": r["country_code"], "admin1": r["admin1"], "location": r["location"],
            "latitude": r["latitude"], "longitude": r["longitude"], "geo_precision": r["geo_precision"],
            "source": r["sources"], "notes": r["notes"], "fatalities": _conservative(r["low"], r["best"]) or 0,
            "number_of_sources": r["number_of_sources"], "documents": r["documents"],
            "low": r["low"], "best": r["best"], "high": r["high"],
        }


def ucdp_rows(store: Store, **filters: Any) -> Iterator[dict[str, Any]]:
    """UCDP GED-shaped rows: one per linked event with best/low/high and precision codes."""
    for r in linked_event_rows(store, members=True, **filters):
        lat, lon = r["latitude"], r["longitude"]
        yield {
            "id": r["linked_id"], "relid": r["documents"],
            "year": int(r["event_date"][:4]) if r["event_date"] else None,
            "type_of_violence": 3 if r["event_type"] == "Violence against civilians" else None,
            "side_a": r["actor1"], "side_b": r["actor2"],
            "source_article": [f"{m['outlet'] or '?'} ({m['published'] or 'undated'}) {m['doc_id']}"
                               for m in r["members"]],
            "number_of_sources": r["number_of_sources"], "where_prec": _UCDP_WHERE.get(r["where_prec"]),
            "where_coordinates": r["location"], "adm_1": r["admin1"], "country": r["country"],
            "latitude": lat, "longitude": lon, "geom_wkt": f"POINT ({lon} {lat})" if lat is not None else None,
            "date_start": r["date_start"], "date_end": r["date_end"], "date_prec": _UCDP_DATE.get(r["date_prec"]),
            "best": r["best"], "low": r["low"], "high": r["high"],
        }


def gkg_rows(store: Store, **filters: Any) -> Iterator[dict[str, Any]]:
    """GDELT GKG-style count records: one row per document with its figures as COUNTS blocks."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for f in store.figures(limit=None, **{k: v for k, v in filters.items() if k in ("country", "since", "until")}):
        by_doc.setdefault(f["doc_id"], []).append(f)
    for doc_id, figs in by_doc.items():
        first = figs[0]
        counts = [_gkg_count(f) for f in figs if _number(f) is not None]
        yield {
            "GKGRECORDID": doc_id,
            "V21DATE": (first["published"] or "").replace("-", "") + ("000000" if first["published"] else ""),
            "V2SourceCommonName": first["outlet"], "V2DocumentIdentifier": first["url"] or doc_id,
            "V1Counts": ";".join(c for c, _ in counts), "V21Counts": ";".join(f"{c}#{o}" for c, o in counts),
        }


def _number(f: dict[str, Any]) -> int | None:
    for key in ("best", "low", "high"):
        if f[key] is not None:
            return int(f[key])
    return None


def _gkg_count(f: dict[str, Any]) -> tuple[str, int]:
    geo = _GKG_GEO.get(f["feature"] or "", 4) if f["lat"] is not None else 0
    fields = (_GKG_TYPE.get(f["category"], "AFFECT"), _number(f), (f["who"] or "").replace("#", " "), geo,
              (f["place"] or "").replace("#", " "), f["country"] or "", f["admin1"] or "",
              "" if f["lat"] is None else f["lat"], "" if f["lon"] is None else f["lon"], "")
    return "#".join(str(x) for x in fields), int(f["evidence_start"] or 0)


def write_parquet(rows: Iterable[dict[str, Any]], path: str, columns: Iterable[str]) -> int:
    """A Parquet file (pyarrow); list columns stay lists, everything else keeps its type."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow is a dependency; a stripped install gets a clear message
        raise ValueError("parquet export needs pyarrow (pip install pyarrow)") from None
    cols = list(columns)
    data = [{c: r.get(c) for c in cols} for r in rows]
    table = pa.Table.from_pylist(data) if data else pa.table({c: pa.array([], pa.string()) for c in cols})
    pq.write_table(table, path)
    return len(data)


def export_parquet(store: Store, path: str, kind: str = "linked", **filters: Any) -> int:
    """``kind``: linked (one row per linked event), events or figures."""
    if kind == "linked":
        return write_parquet(linked_event_rows(store, **_linked_filters(filters)), path, LINKED_COLUMNS)
    return write_parquet(_rows(store, kind, filters), path, _CSV_COLUMNS[kind])


def _linked_filters(filters: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in filters.items() if k in ("country", "since", "until")}


LINKED_FORMATS = {
    "acled": (ACLED_COLUMNS, acled_rows),
    "ucdp": (UCDP_COLUMNS, ucdp_rows),
    "gkg": (GKG_COLUMNS, gkg_rows),
}
_TABLE_NAMES = {"linked": "linked_events"}  # the json key (geojson: properties.kind "linked_event")
_CSV_COLUMNS = {"events": EVENT_COLUMNS, "figures": FIGURE_COLUMNS, "linked": LINKED_COLUMNS}
