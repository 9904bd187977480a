"""Exports: ACLED-shaped event CSV, figures with attribution, JSON and GeoJSON, read back."""

from __future__ import annotations

import csv
import io
import json

import pytest

from sitroom.export import EVENT_COLUMNS, FIGURE_COLUMNS, export, geo_precision
from sitroom.store import Store

from .test_store import TEXT, make_report

ACLED = ("event_date", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "location",
         "latitude", "longitude", "geo_precision", "source", "notes", "fatalities")


@pytest.fixture()
def store(tmp_path):
    with Store(tmp_path / "x.db") as s:
        s.add(make_report())
        yield s


def test_events_csv_has_acled_columns_and_ucdp_bounds(store):
    out = io.StringIO()
    assert export(store, "csv", out, ["events"]) == 1
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0])[: len(ACLED)] == ACLED and {"low", "best", "high"} <= set(rows[0])
    row = rows[0]
    assert row["event_date"] == "2017-06-18" and row["event_type"] == "Violence against civilians"
    assert row["actor1"] == "Islamic State" and row["location"] == "Tal Afar"
    assert row["country"] in ("Iraq", "IQ") and row["country_code"] == "IQ"
    assert float(row["latitude"]) == pytest.approx(36.37) and row["geo_precision"] == "1"
    assert row["source"] == "Example News" and row["source_attribution"] == "the UN"
    assert row["high"] == "120" and row["low"] == "" and row["fatalities"] == ""  # no conservative count stated
    assert TEXT[int(row["evidence_start"]):int(row["evidence_end"])] == row["notes"]


def test_figures_csv_with_attribution_and_evidence(store):
    out = io.StringIO()
    assert export(store, "csv", out, ["figures"]) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == FIGURE_COLUMNS
    first = rows[0]
    assert (first["category"], first["high"], first["qualifier"]) == ("killed", "120", "up to")
    assert (first["source_name"], first["source_cue"]) == ("the UN", "according to")
    assert first["perpetrators"] == "Islamic State"
    assert TEXT[int(first["evidence_start"]):int(first["evidence_end"])] == first["evidence"]


def test_json_holds_both_kinds(store):
    out = io.StringIO()
    export(store, "json", out)
    data = json.loads(out.getvalue())
    assert set(data) == {"events", "figures"} and len(data["figures"]) == 2
    assert set(EVENT_COLUMNS) == set(data["events"][0])


def test_geojson_only_located_facts(store):
    out = io.StringIO()
    assert export(store, "geojson", out) == 2  # the event and the figure in Tal Afar; one figure has no place
    data = json.loads(out.getvalue())
    assert data["type"] == "FeatureCollection"
    kinds = sorted(f["properties"]["kind"] for f in data["features"])
    assert kinds == ["event", "figure"]
    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [42.45, 36.37]}


def test_filters_and_errors(store):
    out = io.StringIO()
    assert export(store, "csv", out, ["events"], country="SY") == 0
    with pytest.raises(ValueError, match="one kind"):
        export(store, "csv", io.StringIO(), ["events", "figures"])
    with pytest.raises(ValueError, match="format"):
        export(store, "xml", io.StringIO())


def test_geo_precision():
    assert geo_precision("village", 1.0) == 1
    assert geo_precision("admin1", 1.0) == 3
    assert geo_precision("country", 1.0) == 3
    assert geo_precision("city", None) is None
