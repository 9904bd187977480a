"""Rebuild the vendored web assets under ``src/sitroom/web/static/vendor/`` from the npm registry.

    python scripts/build_web_assets.py          # needs `npm` and network access to the npm registry

What it does (pinned versions; the app itself never touches the network):
- ``npm pack leaflet@LEAFLET`` -> ``leaflet.js``, ``leaflet.css`` (BSD-2-Clause). The marker
  images are not copied: the app draws circle markers and its own cluster icons.
- ``npm pack world-atlas@WORLD_ATLAS`` -> ``countries-50m.json`` (ISC; Natural Earth 1:50m
  admin-0 countries, public domain), decoded here from TopoJSON into a plain GeoJSON
  FeatureCollection of country outlines with coordinates rounded to 0.01 degree (~1 km),
  which is all a basemap needs and keeps the file small.
- writes ``LICENSES/`` with the licence texts found in the packages.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

LEAFLET = "1.9.4"
WORLD_ATLAS = "2.0.2"
ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "src" / "sitroom" / "web" / "static" / "vendor"
DIGITS = 2  # rounding of basemap coordinates (degrees)


def npm_pack(spec: str, into: Path) -> Path:
    """Download one package tarball with the ordinary npm client and unpack it; returns its folder."""
    out = subprocess.run(["npm", "pack", spec, "--silent"], cwd=into, check=True, capture_output=True, text=True)
    tgz = into / out.stdout.strip().splitlines()[-1]
    target = into / spec.split("@")[0]
    with tarfile.open(tgz) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs (delta-encoded, quantized) to absolute lon/lat lists."""
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((round(x * sx + tx, DIGITS), round(y * sy + ty, DIGITS)))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        # Consecutive arcs share their joining point: drop the repeat.
        points.extend(arc[1:] if points else arc)
    deduped = [points[0]] + [p for prev, p in zip(points, points[1:], strict=False) if p != prev]
    return [list(p) for p in deduped]


def to_geojson(topology: dict[str, Any], name: str) -> dict[str, Any]:
    arcs = decode_arcs(topology)
    features = []
    for geom in topology["objects"][name]["geometries"]:
        if geom.get("type") == "Polygon":
            polys = [geom["arcs"]]
        elif geom.get("type") == "MultiPolygon":
            polys = geom["arcs"]
        else:
            continue
        coords = [[ring(r, arcs) for r in poly] for poly in polys]
        coords = [[r for r in poly if len(r) >= 4] for poly in coords]
        coords = [poly for poly in coords if poly]
        if not coords:
            continue
        features.append({
            "type": "Feature",
            "properties": {"name": geom.get("properties", {}).get("name"), "id": geom.get("id")},
            "geometry": {"type": "MultiPolygon", "coordinates": coords},
        })
    return {"type": "FeatureCollection", "features": features}


def main() -> int:
    VENDOR.mkdir(parents=True, exist_ok=True)
    licenses = VENDOR / "LICENSES"
    licenses.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        leaflet = npm_pack(f"leaflet@{LEAFLET}", work)
        shutil.copy(leaflet / "dist" / "leaflet.js", VENDOR / "leaflet.js")
        shutil.copy(leaflet / "dist" / "leaflet.css", VENDOR / "leaflet.css")
        shutil.copy(leaflet / "LICENSE", licenses / "leaflet-LICENSE.txt")

        atlas = npm_pack(f"world-atlas@{WORLD_ATLAS}", work)
        topology = json.loads((atlas / "countries-50m.json").read_text(encoding="utf-8"))
        geojson = to_geojson(topology, "countries")
        (VENDOR / "countries-50m.geojson").write_text(
            json.dumps(geojson, separators=(",", ":"), ensure_ascii=False), encoding="utf-8"
        )
        shutil.copy(atlas / "LICENSE", licenses / "world-atlas-LICENSE.txt")
    for path in sorted(VENDOR.rglob("*")):
        if path.is_file():
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
