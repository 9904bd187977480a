"""Read queries behind the web app: filtered paging, map clusters, timeline counts, contradictions.

All SQL text is fixed in this module; user values only ever travel as ``?`` parameters, and
user-chosen sort keys are looked up in a whitelist. Everything aggregates in SQLite so a store of
100,000 events answers a map or table request in milliseconds, not by shipping rows to the browser.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["events", "figures"]
Layer = Literal["events", "figures", "all"]

# Per table: the SQL expression behind each filter (values bound with ?).
_DAY = "coalesce(date, published)"
_CLAUSES: dict[Kind, dict[str, str]] = {
    "events": {
        "since": f"{_DAY} >= ?",
        "until": f"{_DAY} <= ?",
        "type": "type = ?",
        "country": "country = ?",
        "actor": "(actor1 LIKE ? OR actor2 LIKE ?)",
        "source": "(source LIKE ? OR outlet LIKE ?)",
        "document": "doc_id = ?",
    },
    "figures": {
        "since": f"{_DAY} >= ?",
        "until": f"{_DAY} <= ?",
        "type": "category = ?",
        "country": "country = ?",
        "actor": "perpetrators LIKE ?",
        "source": "(source_name LIKE ? OR outlet LIKE ?)",
        "document": "doc_id = ?",
    },
}
_LIKE = {"actor", "source"}

# Sortable columns: public name -> SQL expression (never user text).
SORTS: dict[Kind, dict[str, str]] = {
    "events": {
        "date": _DAY, "type": "type", "country": "country", "place": "place", "actor1": "actor1",
        "actor2": "actor2", "fatalities": "fatalities_best", "source": "source", "document": "doc_id",
    },
    "figures": {
        "date": _DAY, "category": "category", "country": "country", "place": "place", "best": "best",
        "low": "low", "high": "high", "source": "source_name", "document": "doc_id",
    },
}

# Map layer rows share one shape: kind, label, lat, lon, place, casualties, id parts.
_MAP_SELECT: dict[Kind, str] = {
    "events": (
        "SELECT 'event' AS kind, type AS label, lat, lon, place, doc_id, id,"
        " coalesce(fatalities_best, fatalities_low, fatalities_high, 0)"
        " + coalesce(injured_best, injured_low, injured_high, 0) AS casualties FROM events"
    ),
    "figures": (
        "SELECT 'figure' AS kind, category AS label, lat, lon, place, doc_id, id,"
        " CASE WHEN category IN ('killed', 'injured') THEN coalesce(best, low, high, 0) ELSE 0 END AS casualties"
        " FROM figures"
    ),
}


@dataclass(frozen=True, slots=True)
class Filters:
    since: str | None = None
    until: str | None = None
    type: str | None = None
    country: str | None = None
    actor: str | None = None
    source: str | None = None
    document: str | None = None

    def where(self, kind: Kind, *, skip: tuple[str, ...] = ()) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        args: list[Any] = []
        for name, clause in _CLAUSES[kind].items():
            value = getattr(self, name)
            if value in (None, "") or name in skip:
                continue
            if name == "country":
                value = value.upper()
            if name in _LIKE:
                value = "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                clause = clause.replace("LIKE ?", "LIKE ? ESCAPE '\\'")
            clauses.append(clause)
            args.extend([value] * clause.count("?"))
        return clauses, args


def _sql_where(clauses: list[str]) -> str:
    return (" WHERE " + " AND ".join(clauses)) if clauses else ""


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _order(kind: Kind, sort: str, order: str) -> str:
    """ORDER BY text from whitelisted parts; doc_id/id make the order total so pages never overlap."""
    expr = SORTS[kind][sort]  # KeyError for unknown sorts: the caller validates against SORTS
    direction = "DESC" if order == "desc" else "ASC"
    if sort == "date":
        # Exactly the (day, doc_id, id) index of the store: a deep page walks the index, no sort.
        return f"{expr} {direction}, doc_id {direction}, id {direction}"
    return f"({expr}) IS NULL, {expr} {direction}, doc_id, id"  # NULLs last either way


def page(
    db: sqlite3.Connection, kind: Kind, filters: Filters, *, sort: str = "date", order: str = "desc",
    offset: int = 0, limit: int = 50,
) -> dict[str, Any]:
    """One page of events or figures, with the total count under the same filters."""
    clauses, args = filters.where(kind)
    where = _sql_where(clauses)
    sql = f"SELECT * FROM {kind}{where} ORDER BY {_order(kind, sort, order)} LIMIT ? OFFSET ?"
    items = _dicts(db.execute(sql, [*args, limit, offset]))
    total = db.execute(f"SELECT count(*) FROM {kind}{where}", args).fetchone()[0]
    if kind == "figures":
        for row in items:
            row["perpetrators"] = json.loads(row["perpetrators"] or "[]")
    return {"items": items, "total": total, "offset": offset, "limit": limit}


def iter_rows(db: sqlite3.Connection, kind: Kind, filters: Filters, *, sort: str, order: str,
              limit: int) -> Iterator[dict[str, Any]]:
    """Rows for CSV export, streamed from the cursor (no list of 100,000 dicts in memory)."""
    clauses, args = filters.where(kind)
    sql = f"SELECT * FROM {kind}{_sql_where(clauses)} ORDER BY {_order(kind, sort, order)} LIMIT ?"
    cursor = db.execute(sql, [*args, limit])
    names = [c[0] for c in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def cell_degrees(zoom: int) -> float:
    """Grid cell size for clustering: about 48 screen pixels at this Leaflet zoom level."""
    return 360.0 * 48 / (256 * 2 ** max(0, min(zoom, 18)))


def _layer_sql(layer: Layer, filters: Filters, extra: list[str], extra_args: list[Any]) -> tuple[str, list[Any]]:
    parts, args = [], []
    kinds: tuple[Kind, ...] = ("events", "figures") if layer == "all" else (layer,)
    for kind in kinds:
        clauses, values = filters.where(kind)
        clauses = [*clauses, "lat IS NOT NULL", "lon IS NOT NULL", *extra]
        parts.append(_MAP_SELECT[kind] + _sql_where(clauses))
        args.extend([*values, *extra_args])
    return " UNION ALL ".join(parts), args


def _bbox(bbox: tuple[float, float, float, float] | None) -> tuple[list[str], list[Any]]:
    if bbox is None:
        return [], []
    south, west, north, east = bbox
    return ["lat BETWEEN ? AND ?", "lon BETWEEN ? AND ?"], [south, north, west, east]


# Per table: one row per distinct (point, label) under the filters. Integer aggregates only (text
# aggregates cost as much as the grouping itself); names are fetched later for the few cells shown.
_POINTS: dict[Kind, str] = {
    # Columns limited to the store's events_point/figures_point indexes: unfiltered, the
    # aggregation reads only the index, already in group order (no table rows, no sorting).
    "events": (
        "SELECT lat, lon, type, count(*), sum(coalesce(fatalities_best, fatalities_low, 0)"
        " + coalesce(injured_best, 0)), min(rowid) FROM events"
    ),
    "figures": (
        "SELECT lat, lon, category, count(*),"
        " sum(CASE WHEN category IN ('killed', 'injured') THEN coalesce(best, low, 0) ELSE 0 END),"
        " min(rowid) FROM figures"
    ),
}
_GROUP = {"events": " GROUP BY lat, lon, type", "figures": " GROUP BY lat, lon, category"}
_KIND_TABLE: dict[str, Kind] = {"event": "events", "figure": "figures"}


def map_points(db: sqlite3.Connection, filters: Filters, *, layer: Layer = "all") -> list[tuple[Any, ...]]:
    """Facts aggregated by exact point and type: (lat, lon, kind, label, count, casualties, rowid).

    Geocoded facts sit on gazetteer points, so this list is far shorter than the facts; every zoom
    level is then binned from it in Python without asking SQLite again.
    """
    kinds: tuple[Kind, ...] = ("events", "figures") if layer == "all" else (layer,)
    points: list[tuple[Any, ...]] = []
    for kind in kinds:
        clauses, args = filters.where(kind)
        sql = _POINTS[kind] + _sql_where([*clauses, "lat IS NOT NULL", "lon IS NOT NULL"]) + _GROUP[kind]
        tag = "event" if kind == "events" else "figure"
        rows = db.execute(sql, args)
        points.extend((lat, lon, tag, label, n, cas or 0, rowid) for lat, lon, label, n, cas, rowid in rows)
    return points


def map_clusters(points: list[tuple[Any, ...]], zoom: int) -> dict[str, Any]:
    """Bin aggregated points into grid cells sized for the zoom level (server-side clustering)."""
    size = cell_degrees(zoom)
    cells: dict[tuple[int, int], dict[str, Any]] = {}
    for lat, lon, kind, label, n, casualties, rowid in points:
        # Shifting by +90/+180 keeps values positive so int() truncation equals floor.
        key = (int((lat + 90) / size), int((lon + 180) / size))
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = {"count": 0, "slat": 0.0, "slon": 0.0, "casualties": 0, "types": {}, "rep": None,
                                 "rep_n": 0}
        cell["count"] += n
        cell["slat"] += lat * n
        cell["slon"] += lon * n
        cell["casualties"] += casualties
        name = f"{kind}:{label}"
        cell["types"][name] = cell["types"].get(name, 0) + n
        if n > cell["rep_n"]:  # the biggest group names the cell
            cell["rep"], cell["rep_n"] = (kind, rowid), n
    out = []
    for (gy, gx), cell in cells.items():
        types = cell["types"]
        out.append({
            "cell": [gy, gx],
            "bounds": [gy * size - 90, gx * size - 180, (gy + 1) * size - 90, (gx + 1) * size - 180],
            "lat": round(cell["slat"] / cell["count"], 5),
            "lon": round(cell["slon"] / cell["count"], 5),
            "count": cell["count"],
            "casualties": cell["casualties"],
            "types": types,
            "top": max(types, key=lambda t: types[t]),
            "rep": cell["rep"],
        })
    out.sort(key=lambda c: -c["count"])
    return {"zoom": zoom, "cell_degrees": size, "cells": out, "total": sum(c["count"] for c in out)}


def in_view(db: sqlite3.Connection, clusters: dict[str, Any],
            bbox: tuple[float, float, float, float] | None) -> dict[str, Any]:
    """The cells touching a bbox, each named by its main place (and keyed when it holds one fact)."""
    cells = clusters["cells"]
    if bbox is not None:
        south, west, north, east = bbox
        cells = [c for c in cells if c["bounds"][0] <= north and c["bounds"][2] >= south
                 and c["bounds"][1] <= east and c["bounds"][3] >= west]
    names: dict[tuple[str, int], tuple[str | None, str, str]] = {}
    for tag, table in _KIND_TABLE.items():
        rowids = [c["rep"][1] for c in cells if c["rep"] and c["rep"][0] == tag]
        for chunk in range(0, len(rowids), 500):
            part = rowids[chunk:chunk + 500]
            sql = f"SELECT rowid, place, doc_id, id FROM {table} WHERE rowid IN ({', '.join('?' * len(part))})"
            for rowid, place, doc_id, item_id in db.execute(sql, part):
                names[(tag, rowid)] = (place, doc_id, item_id)
    shown = []
    for c in cells:
        place, doc_id, item_id = names.get(tuple(c["rep"]) if c["rep"] else ("", 0), (None, "", ""))
        item = {"kind": c["rep"][0], "doc_id": doc_id, "id": item_id} if c["count"] == 1 and c["rep"] else None
        shown.append({**{k: v for k, v in c.items() if k != "rep"}, "place": place, "item": item})
    return {**clusters, "cells": shown, "total": sum(c["count"] for c in shown)}


def map_items(
    db: sqlite3.Connection, filters: Filters, *, layer: Layer, bbox: tuple[float, float, float, float], limit: int
) -> dict[str, Any]:
    """The items inside one cell's bounds (what a clicked cluster lists), largest casualties first."""
    extra, extra_args = _bbox(bbox)
    inner, args = _layer_sql(layer, filters, extra, extra_args)
    keys = _dicts(db.execute(
        f"SELECT kind, doc_id, id FROM ({inner}) ORDER BY casualties DESC, doc_id, id LIMIT ?", [*args, limit]
    ))
    total = db.execute(f"SELECT count(*) FROM ({inner})", args).fetchone()[0]
    items = [fact(db, k["kind"], k["doc_id"], k["id"]) for k in keys]
    return {"items": [i for i in items if i], "total": total}


def fact(db: sqlite3.Connection, kind: str, doc_id: str, item_id: str) -> dict[str, Any] | None:
    """One event or figure row with its document's title, for popups."""
    table = {"event": "events", "figure": "figures"}.get(kind)
    if table is None:
        return None
    rows = _dicts(db.execute(
        f"SELECT f.*, d.title AS doc_title FROM {table} f JOIN documents d ON d.id = f.doc_id"
        " WHERE f.doc_id = ? AND f.id = ?", (doc_id, item_id)
    ))
    if not rows:
        return None
    row = rows[0]
    row["kind"] = kind
    if kind == "figure":
        row["perpetrators"] = json.loads(row["perpetrators"] or "[]")
    return row


def data_version(db: sqlite3.Connection) -> tuple[int, int]:
    """Changes whenever a document is stored, replaced or deleted (facts only change with them)."""
    row = db.execute("SELECT coalesce(max(rowid), 0), count(*) FROM documents").fetchone()
    return int(row[0]), int(row[1])


def timeline(db: sqlite3.Connection, filters: Filters, *, layer: Kind = "events") -> dict[str, Any]:
    """Counts per day and type over the whole time range (the date filter is shown, not applied)."""
    clauses, args = filters.where(layer, skip=("since", "until"))
    label = "type" if layer == "events" else "category"
    # Only day-precise dates are drawn: a month ("2016-10") has no bar of its own.
    where = _sql_where([*clauses, f"length({_DAY}) >= 10"])
    rows = db.execute(
        f"SELECT {_DAY} AS day, {label} AS label, count(*) FROM {layer}{where} GROUP BY day, label ORDER BY day",
        args,
    ).fetchall()
    days: dict[str, dict[str, int]] = {}
    for day, name, n in rows:
        counts = days.setdefault(str(day)[:10], {})
        counts[name or "?"] = counts.get(name or "?", 0) + n
    return {"layer": layer, "days": [{"day": d, "counts": c} for d, c in sorted(days.items())]}


_PAIR_COLUMNS = ("doc_id", "id", "category", "who", "low", "best", "high", "qualifier", "place", "country", "date",
                 "source_name", "source_cue", "evidence_start", "evidence_end", "evidence_text", "published",
                 "outlet", "url")


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def _pair_figure(db: sqlite3.Connection, doc_id: str, fig_id: str) -> dict[str, Any]:
    """One side of a contradiction: the figure with its source, evidence and document title."""
    cols = ", ".join(f"f.{c}" for c in _PAIR_COLUMNS)
    found = _dicts(db.execute(f"SELECT {cols}, d.title AS doc_title FROM figures f JOIN documents d"
                              " ON d.id = f.doc_id WHERE f.doc_id = ? AND f.id = ?", (doc_id, fig_id)))
    return found[0] if found else {"doc_id": doc_id, "id": fig_id}


def contradictions(db: sqlite3.Connection, *, document: str | None, offset: int, limit: int) -> dict[str, Any]:
    """Pairs of figures for the same quantity whose bounds cannot both be true, side by side.

    Within one document (``contradictions``) and, once documents are linked (``figure_conflicts``
    of schema version 2), across documents and outlets.
    """
    parts = ["SELECT 'document' AS scope, doc_id AS d1, figure1 AS f1, doc_id AS d2, figure2 AS f2, why,"
             " rowid AS rid FROM contradictions"]
    if _has_table(db, "figure_conflicts"):
        parts.append("SELECT 'across', doc1, figure1, doc2, figure2, why, rowid FROM figure_conflicts"
                     " WHERE kind = 'contradiction' AND doc1 IS NOT doc2")
    pairs = " UNION ALL ".join(parts)
    where, args = (" WHERE d1 = ? OR d2 = ?", [document, document]) if document else ("", [])
    rows = db.execute(f"SELECT scope, d1, f1, d2, f2, why FROM ({pairs}){where} ORDER BY scope, d1, rid"
                      " LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
    total = db.execute(f"SELECT count(*) FROM ({pairs}){where}", args).fetchone()[0]
    items = []
    for scope, d1, f1, d2, f2, why in rows:
        figures = [_pair_figure(db, d1, f1), _pair_figure(db, d2, f2)]
        items.append({"scope": scope, "doc_id": d1, "doc_title": figures[0].get("doc_title"), "why": why,
                      "figures": figures})
    return {"items": items, "total": total, "offset": offset, "limit": limit}


def documents(db: sqlite3.Connection, *, offset: int, limit: int) -> dict[str, Any]:
    items = _dicts(db.execute(
        "SELECT id, title, substr(text, 1, 160) AS lead, published, outlet, language, url, source, stored_at"
        " FROM documents ORDER BY published DESC, stored_at DESC, id LIMIT ? OFFSET ?", (limit, offset)
    ))
    total = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    return {"items": items, "total": total, "offset": offset, "limit": limit}


def quotes(db: sqlite3.Connection, *, speaker: str | None, document: str | None, offset: int,
           limit: int) -> dict[str, Any]:
    clauses, args = [], []
    if speaker:
        clauses.append("speaker LIKE ? ESCAPE '\\'")
        args.append("%" + speaker.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    if document:
        clauses.append("doc_id = ?")
        args.append(document)
    where = _sql_where(clauses)
    items = _dicts(db.execute(f"SELECT * FROM quotes{where} ORDER BY published DESC, doc_id, evidence_start"
                              " LIMIT ? OFFSET ?", [*args, limit, offset]))
    for row in items:
        row["direct"] = bool(row["direct"])
    total = db.execute(f"SELECT count(*) FROM quotes{where}", args).fetchone()[0]
    return {"items": items, "total": total, "offset": offset, "limit": limit}


def places(db: sqlite3.Connection, *, country: str | None, document: str | None, offset: int,
           limit: int) -> dict[str, Any]:
    clauses, args = [], []
    if country:
        clauses.append("country = ?")
        args.append(country.upper())
    if document:
        clauses.append("doc_id = ?")
        args.append(document)
    where = _sql_where(clauses)
    items = _dicts(db.execute(f"SELECT * FROM places{where} ORDER BY doc_id, name LIMIT ? OFFSET ?",
                              [*args, limit, offset]))
    total = db.execute(f"SELECT count(*) FROM places{where}", args).fetchone()[0]
    return {"items": items, "total": total, "offset": offset, "limit": limit}


def search_facts(db: sqlite3.Connection, text: str, *, limit: int) -> list[dict[str, Any]]:
    """Figures and quotes whose evidence contains the phrase (a LIKE scan: facts are short)."""
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return _dicts(db.execute(
        "SELECT 'figure' AS kind, doc_id, id, category AS label, evidence_text, published FROM figures"
        " WHERE evidence_text LIKE ? ESCAPE '\\'"
        " UNION ALL SELECT 'quote' AS kind, doc_id, id, speaker AS label, evidence_text, published FROM quotes"
        " WHERE evidence_text LIKE ? ESCAPE '\\' LIMIT ?",
        (like, like, limit),
    ))


def options(db: sqlite3.Connection) -> dict[str, list[str]]:
    """Distinct values for the filter drop-downs (indexed columns: cheap even at 100k rows)."""
    def distinct(sql: str) -> list[str]:
        return [r[0] for r in db.execute(sql).fetchall() if r[0]]

    return {
        "types": distinct("SELECT DISTINCT type FROM events ORDER BY 1"),
        "categories": distinct("SELECT DISTINCT category FROM figures ORDER BY 1"),
        "countries": sorted(set(distinct("SELECT DISTINCT country FROM events")
                                + distinct("SELECT DISTINCT country FROM figures"))),
    }


# -- linked events (one real event reported by many documents; tables of ``sitroom.link``) ---------

# The day of a linked event: its own date, else its first report. Date filters test overlap of the
# event's span (a month-dated event overlaps a range inside that month), so coarse dates are kept.
_LINKED_CLAUSES: dict[str, str] = {
    "since": "coalesce(date_end, date, first_report) >= ?",
    "until": "coalesce(date_start, date, first_report) <= ?",
    "type": "type = ?",
    "country": "country = ?",
    "actor": "(actor1 LIKE ? ESCAPE '\\' OR actor2 LIKE ? ESCAPE '\\')",
    "source": "sources LIKE ? ESCAPE '\\'",  # the JSON list of outlets
    "document": "id IN (SELECT linked_id FROM linked_event_members WHERE doc_id = ?)",
}
LINKED_SORTS: dict[str, str] = {
    "date": "coalesce(date, first_report)", "number_of_sources": "number_of_sources",
    "documents": "number_of_documents", "best": "best", "high": "high", "type": "type", "place": "place",
    "country": "country", "first_report": "first_report", "last_report": "last_report",
}
_LINKED_SELECT = (
    "SELECT id, type, sub_type, actor1, actor2, date, date_prec, date_start, date_end, first_report, last_report,"
    " place, country, admin1, lat, lon, where_prec, number_of_sources, number_of_documents, sources, low, best,"
    " high, injured_low, injured_best, injured_high, rule, score, notes FROM linked_events"
)


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _linked_where(filters: Filters, min_sources: int,
                  bbox: tuple[float, float, float, float] | None) -> tuple[str, list[Any]]:
    # Every linked event has a source: no clause for 1, so an unfiltered count reads an index only.
    clauses, args = (["number_of_sources >= ?"], [min_sources]) if min_sources > 1 else ([], [])
    for name, clause in _LINKED_CLAUSES.items():
        value = getattr(filters, name)
        if value in (None, ""):
            continue
        value = value.upper() if name == "country" else _like(value) if name in _LIKE else value
        clauses.append(clause)
        args.extend([value] * clause.count("?"))
    extra, extra_args = _bbox(bbox)
    return _sql_where([*clauses, *extra]), [*args, *extra_args]


def _linked_order(sort: str, order: str) -> str:
    expr = LINKED_SORTS[sort]  # KeyError for unknown sorts: the caller validates against LINKED_SORTS
    direction = "DESC" if order == "desc" else "ASC"
    if sort == "date":
        # No NULLs-last term (undated and unpublished is rare), so an index on
        # (coalesce(date, first_report), id) can serve a page in order, without sorting.
        return f"{expr} {direction}, id {direction}"
    return f"({expr}) IS NULL, {expr} {direction}, id {direction}"  # NULLs last; id makes it total


def _linked_documents(db: sqlite3.Connection, ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, set[str]] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        sql = f"SELECT linked_id, doc_id FROM linked_event_members WHERE linked_id IN ({', '.join('?' * len(part))})"
        for linked_id, doc_id in db.execute(sql, part):
            found.setdefault(linked_id, set()).add(doc_id)
    return {k: sorted(v) for k, v in found.items()}


def _linked_rows(db: sqlite3.Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    documents = _linked_documents(db, [r["id"] for r in rows])
    for row in rows:
        row["sources"] = json.loads(row["sources"] or "[]")
        row["documents"] = documents.get(row["id"], [])
    return rows


def linked_page(db: sqlite3.Connection, filters: Filters, *, min_sources: int = 1,
                bbox: tuple[float, float, float, float] | None = None, sort: str = "date", order: str = "desc",
                offset: int = 0, limit: int = 50) -> dict[str, Any]:
    """One page of linked events, each with its outlets (``sources``) and ``documents``."""
    where, args = _linked_where(filters, min_sources, bbox)
    sql = f"{_LINKED_SELECT}{where} ORDER BY {_linked_order(sort, order)} LIMIT ? OFFSET ?"
    items = _linked_rows(db, _dicts(db.execute(sql, [*args, limit, offset])))
    total = db.execute(f"SELECT count(*) FROM linked_events{where}", args).fetchone()[0]
    return {"items": items, "total": total, "offset": offset, "limit": limit}


def iter_linked(db: sqlite3.Connection, filters: Filters, *, min_sources: int, sort: str, order: str,
                limit: int) -> Iterator[dict[str, Any]]:
    """Linked events for CSV export, lists joined with "; " (streamed a page at a time)."""
    where, args = _linked_where(filters, min_sources, None)
    sql = f"{_LINKED_SELECT}{where} ORDER BY {_linked_order(sort, order)} LIMIT ? OFFSET ?"
    step = 500
    for offset in range(0, limit, step):
        rows = _linked_rows(db, _dicts(db.execute(sql, [*args, min(step, limit - offset), offset])))
        for row in rows:
            yield {**row, "sources": "; ".join(row["sources"]), "documents": "; ".join(row["documents"])}
        if len(rows) < step:
            return


_MEMBER_SELECT = (
    "SELECT m.doc_id, m.event_id, m.outlet, m.published, m.evidence_text, d.title AS doc_title, d.url,"
    " e.date, e.place, e.country, e.source, e.evidence_start, e.evidence_end,"
    " e.fatalities_low, e.fatalities_best, e.fatalities_high, e.injured_low, e.injured_best, e.injured_high"
    " FROM linked_event_members m LEFT JOIN events e ON e.doc_id = m.doc_id AND e.id = m.event_id"
    " LEFT JOIN documents d ON d.id = m.doc_id WHERE m.linked_id = ? ORDER BY m.published, m.doc_id, m.event_id"
)


def linked_event(db: sqlite3.Connection, linked_id: str) -> dict[str, Any] | None:
    """One linked event with every member report (its own toll from ``events``, so per-report tolls
    can be compared) and the figure conflicts (contradictions, revisions) among its documents."""
    rows = _dicts(db.execute(f"{_LINKED_SELECT} WHERE id = ?", (linked_id,)))
    if not rows:
        return None
    row = _linked_rows(db, rows)[0]
    row["members"] = _dicts(db.execute(_MEMBER_SELECT, (linked_id,)))
    row["conflicts"] = _conflicts_among(db, row["documents"])
    return row


def _conflicts_among(db: sqlite3.Connection, documents: list[str]) -> list[dict[str, Any]]:
    """Figure conflicts whose two figures both come from ``documents`` (a linked event has few)."""
    if len(documents) < 2:
        return []
    marks = ", ".join("?" * len(documents))
    pairs = db.execute(
        f"SELECT kind, doc1, figure1, doc2, figure2, why FROM figure_conflicts WHERE doc1 IN ({marks})"
        f" AND doc2 IN ({marks}) ORDER BY kind, doc1, figure1, doc2, figure2", [*documents, *documents]
    ).fetchall()
    return [{"kind": kind, "why": why, "figures": [_pair_figure(db, d1, f1), _pair_figure(db, d2, f2)]}
            for kind, d1, f1, d2, f2, why in pairs]


def linked_of(db: sqlite3.Connection, doc_id: str) -> list[dict[str, Any]]:
    """The linked events a document's events belong to (what an added document joined)."""
    return _dicts(db.execute(
        "SELECT l.id, l.number_of_sources, l.number_of_documents, l.low, l.best, l.high FROM linked_events l"
        " WHERE l.id IN (SELECT linked_id FROM linked_event_members WHERE doc_id = ?) ORDER BY l.id", (doc_id,)))
