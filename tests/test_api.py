"""The JSON API in-process (no server): every endpoint, bad parameters, auth, headers, limits."""

from __future__ import annotations

import os
import stat
import warnings
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
with warnings.catch_warnings():
    # Starlette asks for httpx2 in a future release; httpx works today.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from sitroom.model import Document  # noqa: E402
from sitroom.pipeline import analyze  # noqa: E402
from sitroom.store import Store  # noqa: E402
from sitroom.web import create_app  # noqa: E402
from sitroom.web.app import csv_chunks  # noqa: E402
from sitroom.web.auth import NoTokenError, check_bearer, is_loopback, resolve_token, token_file  # noqa: E402

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TEXTS = {
    "a1": ("Gunmen killed 12 people in Mosul on Sunday, according to police. "
           "The attack on the market was the worst this year, the governor said.", "2019-03-10"),
    "b2": ("Heavy shelling hit Aleppo on Monday. At least 40 civilians were killed, the Syrian Observatory "
           "for Human Rights said. Around 3,000 people fled the fighting.", "2021-02-02"),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "api.db"
    with Store(path) as store:
        for doc_id, (text, published) in TEXTS.items():
            doc = Document(f"doc:{doc_id}", text, published=published, outlet="Test Wire")
            store.add(analyze(doc), doc.content_hash)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db, token=TOKEN))


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert body["error"]["code"] and body["error"]["message"]
    return body["error"]


# -- reads ---------------------------------------------------------------------------------------
def test_stats_and_options(client: TestClient) -> None:
    data = client.get("/api/stats").json()
    assert data["documents"] == 2
    assert data["facts"]["figures"] >= 2
    assert "IQ" in data["options"]["countries"] and "SY" in data["options"]["countries"]
    assert data["writes_enabled"] is True and data["reads_open"] is True


def test_documents_list_and_get(client: TestClient) -> None:
    page = client.get("/api/documents", params={"limit": 1}).json()
    assert page["total"] == 2 and len(page["items"]) == 1 and page["limit"] == 1
    assert page["items"][0]["id"] == "doc:b2"  # newest first
    report = client.get("/api/documents/doc:a1").json()
    assert report["document"]["id"] == "doc:a1"
    for fact in report["figures"]:
        ev = fact["evidence"]
        assert report["text"][ev["start"]:ev["end"]] == ev["text"]
    _error(client.get("/api/documents/nope"), 404)


def test_events_filters_sort_and_paging(client: TestClient) -> None:
    everything = client.get("/api/events").json()
    assert everything["total"] >= 1
    iraq = client.get("/api/events", params={"country": "iq"}).json()
    assert iraq["items"] and all(e["country"] == "IQ" for e in iraq["items"])
    late = client.get("/api/events", params={"since": "2020-01-01"}).json()
    assert all((e["date"] or e["published"]) >= "2020-01-01" for e in late["items"])
    none = client.get("/api/events", params={"until": "2000-01-01"}).json()
    assert none == {"items": [], "total": 0, "offset": 0, "limit": 50}
    asc = client.get("/api/events", params={"sort": "date", "order": "asc"}).json()["items"]
    dates = [e["date"] or e["published"] for e in asc]
    assert dates == sorted(dates)
    first = client.get("/api/events", params={"limit": 1, "offset": 0}).json()["items"]
    second = client.get("/api/events", params={"limit": 1, "offset": 1}).json()["items"]
    if everything["total"] > 1:
        assert first != second


def test_figures_filters(client: TestClient) -> None:
    killed = client.get("/api/figures", params={"type": "killed"}).json()
    assert killed["items"] and all(f["category"] == "killed" for f in killed["items"])
    assert any(f["best"] == 12 or f["low"] == 12 for f in killed["items"])
    assert all(isinstance(f["perpetrators"], list) for f in killed["items"])
    by_source = client.get("/api/figures", params={"source": "wire"}).json()  # matches the outlet
    assert by_source["total"] >= 1
    biggest = client.get("/api/figures", params={"sort": "best", "order": "desc", "limit": 1}).json()["items"][0]
    assert biggest["best"] == max(f["best"] or 0 for f in client.get("/api/figures").json()["items"])


@pytest.mark.parametrize(("path", "params"), [
    ("/api/events", {"limit": 0}),
    ("/api/events", {"limit": 501}),
    ("/api/events", {"offset": -1}),
    ("/api/events", {"since": "2017-13-45"}),
    ("/api/events", {"since": "yesterday"}),
    ("/api/events", {"country": "IRQ"}),
    ("/api/events", {"sort": "evidence_text; DROP TABLE events"}),
    ("/api/events", {"order": "sideways"}),
    ("/api/figures", {"sort": "type"}),
    ("/api/map", {"zoom": 40}),
    ("/api/map", {"bbox": "1,2,3"}),
    ("/api/map", {"bbox": "50,0,10,10"}),
    ("/api/map", {"layer": "quotes"}),
    ("/api/map/items", {}),
    ("/api/search", {}),
    ("/api/search", {"q": ""}),
    ("/api/timeline", {"layer": "all"}),
    ("/api/fact", {"kind": "quote", "doc": "x", "id": "y"}),
    ("/api/places", {"country": "1"}),
])
def test_bad_parameters_get_one_error_shape(client: TestClient, path: str, params: dict[str, Any]) -> None:
    _error(client.get(path, params=params), 400)


def test_values_are_parameters_never_sql(client: TestClient, db: Path) -> None:
    hostile = "x' OR '1'='1"
    assert client.get("/api/events", params={"type": hostile}).json()["total"] == 0
    assert client.get("/api/events", params={"actor": "%"}).json()["total"] == 0  # LIKE wildcards escaped
    assert client.get("/api/search", params={"q": 'killed" OR x NEAR(*'}).status_code == 200
    assert client.get("/api/stats").json()["documents"] == 2


def test_csv_export(client: TestClient) -> None:
    response = client.get("/api/figures.csv", params={"type": "killed"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    lines = response.text.strip().splitlines()
    assert lines[0].startswith("doc_id,id,category")
    assert len(lines) - 1 == client.get("/api/figures", params={"type": "killed"}).json()["total"]
    assert client.get("/api/events.csv").status_code == 200
    _error(client.get("/api/events.csv", params={"sort": "bogus"}), 400)


def test_csv_cells_cannot_become_formulas() -> None:
    text = "".join(csv_chunks(iter([{"a": "=HYPERLINK(1)", "b": "+1", "c": "plain", "d": -3, "e": "@x"}])))
    assert text.splitlines() == ["a,b,c,d,e", "'=HYPERLINK(1),'+1,plain,-3,'@x"]


def test_quotes_places_contradictions_fact(client: TestClient) -> None:
    quotes = client.get("/api/quotes").json()
    assert {"items", "total", "offset", "limit"} <= set(quotes)
    places = client.get("/api/places", params={"country": "SY"}).json()
    assert places["items"] and all(p["country"] == "SY" for p in places["items"])
    contradictions = client.get("/api/contradictions").json()
    assert contradictions["total"] == len(contradictions["items"])
    figure = client.get("/api/figures", params={"limit": 1}).json()["items"][0]
    one = client.get("/api/fact", params={"kind": "figure", "doc": figure["doc_id"], "id": figure["id"]}).json()
    assert one["evidence_text"] == figure["evidence_text"] and one["kind"] == "figure"
    _error(client.get("/api/fact", params={"kind": "figure", "doc": figure["doc_id"], "id": "nope"}), 404)


def test_search_documents_and_facts(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "Aleppo shelling"}).json()
    assert [d["id"] for d in data["documents"]] == ["doc:b2"]
    assert "[" in data["documents"][0]["snippet"]
    facts = client.get("/api/search", params={"q": "killed"}).json()["facts"]
    assert facts and all("killed" in f["evidence_text"] for f in facts)


def test_map_clusters_items_and_timeline(client: TestClient) -> None:
    world = client.get("/api/map", params={"zoom": 2}).json()
    assert world["total"] >= 2
    assert sum(c["count"] for c in world["cells"]) == world["total"]
    mosul = next(c for c in world["cells"] if c["place"] == "Mosul")
    assert mosul["top"].split(":")[0] in ("event", "figure")
    box = ",".join(str(v) for v in mosul["bounds"])
    items = client.get("/api/map/items", params={"bbox": box}).json()
    assert items["total"] == mosul["count"]
    assert all(i["place"] == "Mosul" for i in items["items"])
    only_events = client.get("/api/map", params={"zoom": 2, "layer": "events"}).json()
    assert all(t.startswith("event:") for c in only_events["cells"] for t in c["types"])
    syria = client.get("/api/map", params={"zoom": 8, "country": "SY", "bbox": "30,30,40,45"}).json()
    assert syria["cells"] and all(c["place"] != "Mosul" for c in syria["cells"])
    ranged = client.get("/api/map", params={"since": "2021-01-01", "until": "2021-12-31"}).json()
    assert ranged["total"] < world["total"]
    timeline = client.get("/api/timeline").json()
    assert timeline["days"] == sorted(timeline["days"], key=lambda d: d["day"])
    # The date filter is shown by the timeline, not applied to it.
    assert client.get("/api/timeline", params={"since": "2030-01-01"}).json() == timeline


# -- writes and auth -----------------------------------------------------------------------------
def test_add_needs_the_token(client: TestClient) -> None:
    body = {"text": "Protesters gathered in Baghdad on Friday; police said 3 people were injured.",
            "published": "2022-05-06"}
    err = _error(client.post("/api/documents", json=body), 401)
    assert "Bearer" in err["message"]
    assert client.post("/api/documents", json=body).headers["www-authenticate"] == "Bearer"
    _error(client.post("/api/documents", json=body, headers={"Authorization": "Bearer wrong"}), 401)
    _error(client.post("/api/documents", json=body, headers={"Authorization": TOKEN}), 401)
    _error(client.get("/api/auth"), 401)
    assert client.get("/api/auth", headers=AUTH).json() == {"write": True}
    created = client.post("/api/documents", json=body, headers=AUTH)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "stored"
    doc_id = created.json()["id"]
    assert client.get(f"/api/documents/{doc_id}").json()["document"]["published"] == "2022-05-06"
    again = client.post("/api/documents", json=body, headers=AUTH).json()
    assert again["status"] == "duplicate" and again["id"] == doc_id


def test_add_html_and_bad_bodies(client: TestClient) -> None:
    html = ("<html><head><title>Blast in Kabul</title></head><body><article><h1>Blast in Kabul</h1>"
            "<p>A car bomb killed 9 people in Kabul on Tuesday, officials said. The blast hit a busy road "
            "near the ministry and damaged shops and cars along the street.</p></article></body></html>")
    added = client.post("/api/documents", json={"text": html, "format": "html"}, headers=AUTH)
    assert added.status_code in (201, 422), added.text
    _error(client.post("/api/documents", json={"text": ""}, headers=AUTH), 400)
    _error(client.post("/api/documents", json={"text": "x", "published": "soon"}, headers=AUTH), 400)
    _error(client.post("/api/documents", json={"text": "x", "format": "pdf"}, headers=AUTH), 400)
    _error(client.post("/api/documents", content=b"{not json", headers={**AUTH, "Content-Type": "application/json"}),
           400)


def test_request_size_limit(db: Path) -> None:
    small = TestClient(create_app(db, token=TOKEN, max_body=1000))
    _error(small.post("/api/documents", json={"text": "x" * 5000}, headers=AUTH), 413)

    def chunked(parts: int) -> Any:  # no Content-Length: the limit still holds
        yield b'{"text": "'
        for _ in range(parts):
            yield b"Gunmen attacked the town. " * 2
        yield b'"}'

    headers = {**AUTH, "Content-Type": "application/json"}
    _error(small.post("/api/documents", content=chunked(100), headers=headers), 413)
    assert small.post("/api/documents", content=chunked(5), headers=headers).status_code == 201


def test_no_token_means_no_writes(db: Path) -> None:
    readonly = TestClient(create_app(db, token=None))
    _error(readonly.post("/api/documents", json={"text": "hello"}, headers=AUTH), 403)
    assert readonly.get("/api/stats").json()["writes_enabled"] is False


def test_closed_reads_need_the_token(db: Path) -> None:
    closed = TestClient(create_app(db, token=TOKEN, reads_open=False))
    _error(closed.get("/api/events"), 401)
    _error(closed.get("/api/documents/doc:a1"), 401)
    assert closed.get("/api/events", headers=AUTH).status_code == 200
    assert closed.get("/").status_code == 200  # the page itself holds no data


def test_host_header_is_checked_when_asked(db: Path) -> None:
    guarded = TestClient(create_app(db, token=TOKEN, allowed_hosts=frozenset({"127.0.0.1", "localhost"})),
                         base_url="http://127.0.0.1:8000")
    assert guarded.get("/api/stats").status_code == 200
    _error(guarded.get("/api/stats", headers={"Host": "evil.example:8000"}), 400)


# -- pages, headers, OpenAPI ---------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/api/stats", "/api/nothing-here", "/static/app.js",
                                  "/static/vendor/leaflet.js"])
def test_security_headers_everywhere(client: TestClient, path: str) -> None:
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_unknown_route_and_method_use_the_error_shape(client: TestClient) -> None:
    _error(client.get("/api/nothing-here"), 404)
    _error(client.delete("/api/events"), 405)


def test_page_and_assets_are_local(client: TestClient) -> None:
    page = client.get("/").text
    assert "<script src=\"/static/app.js\"" in page
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    assert "<script>" not in page  # no inline script (CSP)
    app_js = client.get("/static/app.js").text
    assert ".innerHTML" not in app_js and "insertAdjacentHTML" not in app_js and "eval(" not in app_js
    basemap = client.get("/static/vendor/countries-50m.geojson")
    assert basemap.status_code == 200 and basemap.json()["type"] == "FeatureCollection"


def test_openapi_describes_every_endpoint(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/documents", "/api/documents/{doc_id}", "/api/events", "/api/figures", "/api/quotes",
                 "/api/places", "/api/search", "/api/stats", "/api/contradictions", "/api/map", "/api/timeline",
                 "/api/events.csv", "/api/figures.csv"):
        assert path in paths, path
    assert "post" in paths["/api/documents"]


# -- token handling ------------------------------------------------------------------------------
def test_token_from_env_file_or_refusal(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert resolve_token(db, "127.0.0.1", {"SITROOM_TOKEN": "abc"}) == ("abc", "env")
    with pytest.raises(NoTokenError, match="SITROOM_TOKEN"):
        resolve_token(db, "0.0.0.0", {})
    assert not token_file(db).exists()  # refusing creates nothing
    value, origin = resolve_token(db, "localhost", {})
    assert origin == "new file" and len(value) >= 32
    assert stat.S_IMODE(os.stat(token_file(db)).st_mode) == 0o600
    assert resolve_token(db, "127.0.0.1", {}) == (value, "file")
    assert resolve_token(db, "0.0.0.0", {}) == (value, "file")  # an operator-made token file is a token


def test_loopback_and_bearer_checks() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("[::1]") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4") and not is_loopback("example.org")
    assert check_bearer("Bearer abc", "abc") and check_bearer("bearer abc", "abc")
    assert not check_bearer("Bearer abd", "abc") and not check_bearer(None, "abc") and not check_bearer("Bearer ", "")


def test_cli_serve_refuses_public_host_without_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from sitroom.cli import app

    monkeypatch.delenv("SITROOM_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "s.db"), "--host", "0.0.0.0", "--port", "9"])
    assert result.exit_code == 1
    assert "refusing to serve on 0.0.0.0 without a token" in result.output


def test_contradictions_across_documents(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "c.db"
    with Store(path) as store:
        for doc_id, (text, published) in TEXTS.items():
            doc = Document(f"doc:{doc_id}", text, published=published)
            store.add(analyze(doc), doc.content_hash)
    raw = sqlite3.connect(path)
    if raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'figure_conflicts'").fetchone() is None:
        pytest.skip("this store has no figure_conflicts table (cross-document links)")
    a = raw.execute("SELECT id FROM figures WHERE doc_id = 'doc:a1'").fetchone()[0]
    b = raw.execute("SELECT id FROM figures WHERE doc_id = 'doc:b2'").fetchone()[0]
    with raw:
        raw.execute("INSERT INTO figure_conflicts(group_id, kind, doc1, figure1, doc2, figure2, why)"
                    " VALUES ('g1', 'contradiction', 'doc:a1', ?, 'doc:b2', ?, 'bounds do not overlap')", (a, b))
        raw.execute("INSERT INTO figure_conflicts(group_id, kind, doc1, figure1, doc2, figure2, why)"
                    " VALUES ('g2', 'supersedes', 'doc:b2', ?, 'doc:a1', ?, 'newer report')", (b, a))
    client = TestClient(create_app(path))
    data = client.get("/api/contradictions").json()
    across = [c for c in data["items"] if c["scope"] == "across"]
    assert len(across) == 1 and across[0]["why"] == "bounds do not overlap"
    assert [f["doc_id"] for f in across[0]["figures"]] == ["doc:a1", "doc:b2"]
    assert across[0]["figures"][1]["evidence_text"]
    assert client.get("/api/contradictions", params={"document": "doc:b2"}).json()["total"] >= 1
