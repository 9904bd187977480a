"""Incremental linking at the end of an ingest: only the new documents and their neighbourhood are
linked again, and the result equals a full link run over the whole store."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from sitroom import link, relink
from sitroom.model import Actor, Bounds, DocumentInfo, Event, Evidence, Figure, Place, Report, Source, Span
from sitroom.store import Store

CITIES = [  # name, lat, lon, country, admin1 (coordinates rounded from GeoNames)
    ("Aleppo", 36.20, 37.13, "SY", "Aleppo"), ("Idlib", 35.93, 36.63, "SY", "Idlib"),
    ("Mosul", 36.34, 43.12, "IQ", "Nineveh"), ("Kharkiv", 49.98, 36.25, "UA", "Kharkiv"),
    ("Goma", -1.68, 29.23, "CD", "North Kivu"), ("Mogadishu", 2.04, 45.34, "SO", "Banaadir"),
]
ACTORS = ["Russia", "Syrian Arab Army", "Islamic State", "Al-Shabaab", "M23"]
OUTLETS = ["Wire One", "Daily Two", "Radio Three"]
WORDING = [
    "{city}: an air strike by {actor} killed {n} civilians on {day}.",
    "{actor} bombed {city} on {day}, leaving {n} civilians dead, witnesses said.",
    "Residents of {city} said {n} civilians died when {actor} struck the town on {day}.",
]


def happening(i: int) -> tuple[tuple, str, str, int]:
    """Event i: one city, one actor, one day, one toll (events of one city are weeks apart)."""
    city = CITIES[i % len(CITIES)]
    day = (date(2021, 1, 5) + timedelta(days=40 * (i // len(CITIES)) + (i % 3))).isoformat()
    return city, ACTORS[i % len(ACTORS)], day, 3 + (i * 7) % 40


def report_of(i: int, outlet: int) -> Report:
    (city, lat, lon, country, admin1), actor, day, n = happening(i)
    text = WORDING[outlet].format(city=city, actor=actor, n=n, day=day)
    place = Place("p1", city, lat, lon, country, admin1, "city", 1000 + i, [Span(0, 1)])
    who = Actor("a1", actor, "state_forces", None, [Span(0, 1)])
    evidence = Evidence.of(text, 0, len(text))
    event = Event("e1", "Explosions/Remote violence", "Air/drone strike", "a1", None, day, "p1",
                  Bounds(n, n, n), Bounds(), None, evidence)
    figure = Figure("f1", "killed", "civilians", n, n, n, None, "p1", day, ["a1"], Source(OUTLETS[outlet], "said"),
                    evidence)
    doc_id = f"event-{i}-{OUTLETS[outlet].split()[0].lower()}"
    published = (date.fromisoformat(day) + timedelta(days=outlet)).isoformat()
    info = DocumentInfo(doc_id, None, f"https://example.org/{doc_id}", None, published, OUTLETS[outlet], "en")
    return Report(document=info, text=text, places=[place], actors=[who], events=[event], figures=[figure])


def groups(store: Store) -> set[frozenset[str]]:
    return {frozenset(r["documents"]) for r in store.linked_events(limit=None)}


FIRST = [report_of(i, 0) for i in range(120)]
SECOND = [report_of(i, o) for i in range(108, 132) for o in (1, 2)] + [report_of(i, 0) for i in range(120, 132)]


@pytest.fixture()
def stores(tmp_path: Path) -> tuple[Store, Store]:
    whole, step = Store(tmp_path / "whole.db"), Store(tmp_path / "step.db")
    yield whole, step
    whole.close()
    step.close()


def test_incremental_equals_a_full_run(stores: tuple[Store, Store]) -> None:
    whole, step = stores
    for r in FIRST + SECOND:
        whole.add(r)
    link.link_store(whole)

    for r in FIRST:
        step.add(r)
    first = relink.link_new(step)
    assert first.full and first.new == 120  # the first run links everything
    for r in SECOND:
        step.add(r)
    second = relink.link_new(step)
    assert not second.full and second.new == len(SECOND)
    # Only the new documents' neighbourhood (same country, near in time) was linked again.
    assert second.relinked < second.total
    assert groups(step) == groups(whole)
    several = {g for g in groups(step) if len(g) > 1}
    assert len(several) == 24 and all(len(g) == 3 for g in several)  # events 108..131, three outlets each
    assert step.linked_document_count() == whole.linked_document_count()


def test_nothing_new_is_nothing_to_do(stores: tuple[Store, Store]) -> None:
    _, step = stores
    for r in FIRST[:10]:
        step.add(r)
    relink.link_new(step)
    before = sorted((r["id"], tuple(r["documents"])) for r in step.linked_events(limit=None))
    again = relink.link_new(step)
    assert again.new == 0 and again.relinked == 0 and again.result is None
    assert sorted((r["id"], tuple(r["documents"])) for r in step.linked_events(limit=None)) == before


def test_untouched_links_keep_their_rows(stores: tuple[Store, Store]) -> None:
    _, step = stores
    for r in FIRST:
        step.add(r)
    relink.link_new(step)
    far = {r["id"]: r for r in step.linked_events(country="CD", limit=None)}
    step.add(report_of(60, 1))  # event 60 is in Aleppo: Congo's links are not touched
    done = relink.link_new(step)
    assert not done.full and done.relinked < 20
    assert {r["id"]: r for r in step.linked_events(country="CD", limit=None)} == far


def test_window_covers_the_linkers_date_windows() -> None:
    assert relink._window("2021-03-03") == ("2021-01-22", "2021-04-12")
    assert relink._window("2021-02") == ("2020-12-23", "2021-04-09")  # the whole month, 40 days either side
    assert relink._window("2021") == (None, None) and relink._window(None) == (None, None)
