"""Linked events in the JSON API (in-process): the list, one event with its reports, CSV, and an
added document joining the linked event of an earlier report of the same strike."""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette asks for httpx2 in a future release; httpx works today.
    from fastapi.testclient import TestClient

from sitroom import link  # noqa: E402
from sitroom.model import (  # noqa: E402
    Actor,
    Bounds,
    DocumentInfo,
    Event,
    Evidence,
    Figure,
    Place,
    Report,
    Source,
    Span,
)
from sitroom.store import Store  # noqa: E402
from sitroom.web import create_app  # noqa: E402

TOKEN = "linked-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ALEPPO = ("Aleppo", 36.2021, 37.1343, 170063)
IDLIB = ("Idlib", 35.9306, 36.6339, 169388)


def report(doc_id: str, outlet: str, sentence: str, killed: int, actor: str, published: str, *,
           where: tuple[str, float, float, int] = ALEPPO, day: str = "2021-03-03") -> Report:
    """A one-sentence report of one air strike (event and killed figure), built without the pipeline."""
    name, lat, lon, geonameid = where
    place = Place("p1", name, lat, lon, "SY", name, "city", geonameid, [Span(0, len(name))])
    who = Actor("a1", actor, "state_forces", None, [Span(0, 1)])
    evidence = Evidence.of(sentence, 0, len(sentence))
    event = Event("e1", "Explosions/Remote violence", "Air/drone strike", "a1", None, day, "p1",
                  Bounds(killed, killed, killed), Bounds(), None, evidence)
    figure = Figure("f1", "killed", "civilians", killed, killed, killed, None, "p1", day, [],
                    Source(outlet, "said"), evidence)
    info = DocumentInfo(doc_id, None, f"https://example.org/{doc_id}", None, published, outlet, "en")
    return Report(document=info, text=sentence, places=[place], actors=[who], events=[event], figures=[figure])


def linked_store(path: Path) -> Path:
    """Two outlets report one Aleppo strike with different tolls (12 and 15); a third report is of
    another strike (Idlib, another actor, another day)."""
    with Store(path) as store:
        store.add(report("doc-1", "Outlet One", "Aleppo: an air strike killed 12 civilians.", 12, "Russia",
                         "2021-03-03"))
        store.add(report("doc-2", "Outlet Two", "Aleppo struck from the air; 15 civilians dead.", 15, "Russia",
                         "2021-03-04"))
        store.add(report("doc-3", "Outlet Three", "Idlib hit by shelling, 3 killed.", 3, "Turkey", "2021-04-10",
                         where=IDLIB, day="2021-04-09"))
        link.link_store(store)
    return path


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return TestClient(create_app(linked_store(tmp_path_factory.mktemp("linked") / "linked.db"), token=TOKEN))


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    return body["error"]


def _aleppo(client: TestClient) -> dict[str, Any]:
    return client.get("/api/linked", params={"min_sources": 2}).json()["items"][0]


def test_linked_list_has_the_combined_event(client: TestClient) -> None:
    data = client.get("/api/linked").json()
    assert data["total"] == 2 and {"items", "total", "offset", "limit"} <= set(data)
    multi = client.get("/api/linked", params={"min_sources": 2}).json()
    assert multi["total"] == 1
    one = multi["items"][0]
    assert one["number_of_sources"] == 2 and one["documents"] == ["doc-1", "doc-2"]
    assert one["sources"] == ["Outlet One", "Outlet Two"]
    assert (one["low"], one["best"], one["high"]) == (12, 12, 15) and "lowest" in one["rule"]
    assert (one["first_report"], one["last_report"]) == ("2021-03-03", "2021-03-04")
    assert one["place"] == "Aleppo" and one["lat"] == pytest.approx(36.2021)
    assert one["date"] == "2021-03-03" and one["date_prec"] is not None


def test_linked_filters_sort_and_paging(client: TestClient) -> None:
    def ids(**params: Any) -> list[list[str]]:
        return [r["documents"] for r in client.get("/api/linked", params=params).json()["items"]]

    assert ids(country="sy", sort="date", order="asc") == [["doc-1", "doc-2"], ["doc-3"]]
    assert ids(sort="date") == [["doc-3"], ["doc-1", "doc-2"]]  # newest first by default
    assert ids(sort="number_of_sources") == [["doc-1", "doc-2"], ["doc-3"]]
    assert ids(sort="best", order="asc") == [["doc-3"], ["doc-1", "doc-2"]]
    assert ids(since="2021-04-01") == [["doc-3"]]
    assert ids(until="2021-03-31") == [["doc-1", "doc-2"]]
    assert ids(country="IQ") == []
    assert ids(type="Explosions/Remote violence", limit=1, offset=1) == [["doc-1", "doc-2"]]
    assert ids(type="Battles") == []
    assert ids(source="two") == [["doc-1", "doc-2"]]  # an outlet's name, case-insensitive
    assert ids(document="doc-3") == [["doc-3"]]
    assert ids(actor="turkey") == [["doc-3"]]
    assert ids(bbox="36,37,37,38") == [["doc-1", "doc-2"]]  # Aleppo, not Idlib
    assert ids(source="%") == []  # LIKE wildcards are escaped
    assert ids(type="x' OR '1'='1") == []


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": 501}, {"offset": -1}, {"min_sources": 0}, {"since": "2021-02-30"},
    {"country": "SYR"}, {"sort": "rule; DROP TABLE linked_events"}, {"order": "up"}, {"bbox": "1,2"},
])
def test_linked_bad_parameters(client: TestClient, params: dict[str, Any]) -> None:
    _error(client.get("/api/linked", params=params), 400)


def test_one_linked_event_with_each_report_and_the_conflict(client: TestClient) -> None:
    one = client.get(f"/api/linked/{_aleppo(client)['id']}").json()
    assert [m["outlet"] for m in one["members"]] == ["Outlet One", "Outlet Two"]
    tolls = {m["doc_id"]: (m["fatalities_low"], m["fatalities_best"], m["fatalities_high"]) for m in one["members"]}
    assert tolls == {"doc-1": (12, 12, 12), "doc-2": (15, 15, 15)}  # each report's own toll, from events
    assert one["members"][1]["evidence_text"] == "Aleppo struck from the air; 15 civilians dead."
    assert one["members"][0]["published"] == "2021-03-03" and one["members"][0]["event_id"] == "e1"
    assert one["members"][0]["url"] == "https://example.org/doc-1"
    [conflict] = one["conflicts"]
    assert conflict["kind"] == "contradiction" and "cannot both hold" in conflict["why"]
    assert sorted(f["outlet"] for f in conflict["figures"]) == ["Outlet One", "Outlet Two"]
    assert {f["best"] for f in conflict["figures"]} == {12, 15}
    assert all(f["evidence_text"] for f in conflict["figures"])


def test_one_linked_event_errors(client: TestClient) -> None:
    _error(client.get("/api/linked/link_000000000000"), 404)
    _error(client.get("/api/linked/" + "x" * 101), 400)
    _error(client.get("/api/linked/a%20b"), 400)


def test_linked_csv(client: TestClient) -> None:
    response = client.get("/api/linked.csv", params={"min_sources": 2})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    [row] = list(csv.DictReader(io.StringIO(response.text)))
    assert row["sources"] == "Outlet One; Outlet Two" and row["documents"] == "doc-1; doc-2"
    assert (row["low"], row["best"], row["high"]) == ("12", "12", "15")
    every = list(csv.DictReader(io.StringIO(client.get("/api/linked.csv").text)))
    assert len(every) == 2
    _error(client.get("/api/linked.csv", params={"sort": "bogus"}), 400)


def test_openapi_lists_the_linked_endpoints(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/linked", "/api/linked/{linked_id}", "/api/linked.csv"):
        assert paths[path]["get"]["tags"] == ["linked"], path


STRIKE_A = "An air strike killed 12 civilians in Aleppo on Monday, the Syrian Observatory for Human Rights said."
STRIKE_B = "An air strike on a market in Aleppo killed 15 civilians on Monday, activists said."


def test_an_added_report_joins_the_linked_event_of_the_first(tmp_path: Path) -> None:
    client = TestClient(create_app(linked_store(tmp_path / "add.db"), token=TOKEN))
    first = client.post("/api/documents", json={"text": STRIKE_A, "published": "2021-03-02", "outlet": "Wire One"},
                        headers=AUTH)
    assert first.status_code == 201, first.text
    [alone] = first.json()["linked"]
    assert alone["number_of_documents"] == 1
    second = client.post("/api/documents", json={"text": STRIKE_B, "published": "2021-03-02", "outlet": "Wire Two"},
                         headers=AUTH).json()
    [joined] = second["linked"]
    assert joined["id"] == alone["id"] and joined["number_of_sources"] == 2
    event = client.get(f"/api/linked/{joined['id']}").json()
    assert event["documents"] == sorted([first.json()["id"], second["id"]])
    assert sorted(m["fatalities_best"] for m in event["members"]) == [12, 15]
    assert (event["low"], event["high"]) == (12, 15)
    # The stored reports of the fixture keep their links.
    assert client.get("/api/linked", params={"min_sources": 2}).json()["total"] == 2
    again = client.post("/api/documents", json={"text": STRIKE_B, "published": "2021-03-02"}, headers=AUTH).json()
    assert again["status"] == "duplicate" and again["linked"][0]["id"] == joined["id"]
