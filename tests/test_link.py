"""Cross-document linking on hand-built records and reports: merge / keep apart, bounds, revisions, exports."""

from __future__ import annotations

import csv
import io
import json

import pytest

from sitroom import export as exporter
from sitroom import link
from sitroom.link import EventRecord, FigureRecord
from sitroom.model import Actor, Bounds, DocumentInfo, Event, Evidence, Figure, Place, Report, Source, Span
from sitroom.store import SCHEMA_VERSION, Store

ALEPPO = (36.2021, 37.1343)
IDLIB = (35.9306, 36.6339)


def ev(doc: str, *, date: str | None = "2021-03-03", prec: str | None = "day", where=ALEPPO, actors=("russia",),
       kind: str = "Explosions/Remote violence", text: str = "", killed: int | None = None, place_prec: int = 1,
       published: str | None = "2021-03-04", outlet: str | None = None, rank: int = 0) -> EventRecord:
    return EventRecord(
        doc_id=doc, event_id=f"{doc}-e{rank}", type=kind, sub_type="Air/drone strike", date=date, date_precision=prec,
        lat=where[0] if where else None, lon=where[1] if where else None, place_precision=place_prec,
        place="Aleppo", country="SY", actors=frozenset(actors), actor_names=tuple(a.title() for a in actors),
        text=text or "warplanes struck a market in the city", fatalities=(killed, killed, killed),
        published=published, outlet=outlet or f"outlet {doc}", rank=rank,
    )


def groups(linked: list[link.LinkedEvent]) -> list[list[str]]:
    return sorted(le.documents for le in linked if len(le.documents) > 1)


# -- merge / don't merge -------------------------------------------------------------------------
def test_same_strike_in_three_reports_is_one_event() -> None:
    linked = link.link_events([ev("a", killed=12), ev("b", killed=12), ev("c", killed=15)])
    assert groups(linked) == [["a", "b", "c"]]
    one = next(le for le in linked if len(le.documents) == 3)
    assert one.number_of_sources == 3
    assert (one.low, one.best, one.high) == (12, 12, 15)  # best: the value most reports give


def test_same_town_same_day_different_actors_stay_apart() -> None:
    linked = link.link_events([ev("a", actors=("russia",)), ev("b", actors=("turkey",))])
    assert groups(linked) == []


def test_a_week_apart_stays_apart() -> None:
    linked = link.link_events([ev("a", date="2021-03-03"), ev("b", date="2021-03-10")])
    assert groups(linked) == []


def test_far_apart_towns_stay_apart() -> None:
    assert groups(link.link_events([ev("a"), ev("b", where=IDLIB)])) == []


def test_incompatible_types_stay_apart() -> None:
    assert groups(link.link_events([ev("a"), ev("b", kind="Protests")])) == []


def test_two_events_of_one_document_are_never_merged() -> None:
    linked = link.link_events([ev("a", rank=0), ev("a", rank=1), ev("b")])
    assert all(len(le.members) == len(le.documents) for le in linked)


def test_undated_reports_need_the_same_toll_and_wording_or_a_copied_report() -> None:
    def undated(doc: str, text: str, killed: int | None = None) -> EventRecord:
        return ev(doc, date=None, prec=None, published=None, text=text, killed=killed)

    other = ev("z", where=IDLIB, text="clashes between rival factions near a checkpoint in the countryside")
    plain = link.link_events([undated("a", "drone hit a car"), undated("b", "shells fell on houses"), other])
    assert groups(plain) == []  # same town, type and actor, but nothing tells this strike from others there
    toll = link.link_events([undated("a", "drone hit a car", 9), undated("b", "shells fell on houses", 9), other])
    assert groups(toll) == []  # nine dead is a common toll in a town shelled every week
    both = link.link_events([undated("a", "a drone hit a car on the Mastuma road", 9),
                             undated("b", "the car on the Mastuma road was hit by a drone", 9), other])
    assert groups(both) == [["a", "b"]]
    copied = link.link_events([undated("a", "a drone hit a car on the Mastuma road killing its driver"),
                               undated("b", "a drone hit a car on the Mastuma road killing its driver"), other])
    assert groups(copied) == [["a", "b"]]


def test_publication_date_stands_in_for_a_missing_event_date() -> None:
    a = ev("a", date="2021-03-03", killed=7)
    b = ev("b", date="2021-03-05", prec="published", published="2021-03-05", killed=7)
    assert groups(link.link_events([a, b])) == [["a", "b"]]
    late = ev("c", date="2021-03-20", prec="published", published="2021-03-20", killed=7)
    assert groups(link.link_events([a, late])) == []


def test_chains_cannot_drift_past_the_date_window() -> None:
    # a-b and b-c are each one day apart, but a and c are two: no single cluster holds all three.
    recs = [ev("a", date="2021-03-01", killed=5), ev("b", date="2021-03-02", killed=5),
            ev("c", date="2021-03-03", killed=5)]
    assert all(len(le.documents) <= 2 for le in link.link_events(recs))


def test_a_day_inside_a_reports_publication_window_scores_as_the_next_day() -> None:
    day = ev("a", date="2021-03-03")
    fed = ev("b", date="2021-03-04", prec="published", published="2021-03-04")
    assert link.date_score(day, fed) == 1.0
    assert link.date_score(day, ev("c", date="2021-03-06", prec="published", published="2021-03-06")) == 0.5


def test_an_event_told_long_before_its_report_is_background_and_never_links() -> None:
    old = ev("a", date="2021-03-03", published="2021-03-20", killed=7)
    assert link.is_recap(old)
    assert groups(link.link_events([old, ev("b", date="2021-03-03", killed=7)])) == []
    assert not link.is_recap(ev("c", date="2021-03-03", published="2021-03-05"))


def test_a_later_event_days_before_the_reports_lead_is_recalled_and_never_links() -> None:
    report = {
        "document": {"id": "r", "published": "2021-03-11"},
        "places": [{"id": "p", "name": "Aleppo", "lat": ALEPPO[0], "lon": ALEPPO[1], "feature": "city",
                    "country": "SY", "mentions": [{"start": 0, "end": 6}]}],
        "dates": [{"value": "2021-03-10", "precision": "day"}, {"value": "2021-03-03", "precision": "day"}],
        "events": [{"id": "e0", "type": "Explosions/Remote violence", "place": "p", "date": "2021-03-10"},
                   {"id": "e1", "type": "Explosions/Remote violence", "place": "p", "date": "2021-03-03"},
                   {"id": "e2", "type": "Explosions/Remote violence", "place": "p", "date": "2021-03-09"}],
    }
    lead, recalled, recent = link.records_from_report(report)
    assert (lead.recalled, recalled.recalled, recent.recalled) == (False, True, False)
    assert link.is_recap(recalled)
    assert groups(link.link_events([recalled, ev("b", date="2021-03-03", actors=())])) == []


def test_linked_events_two_reports_share_are_parts_of_one_happening() -> None:
    # Reports a and b each tell the strike in two parts (the drone, then the shells on the road);
    # c tells only the shells: all three report one happening.
    def part(doc: str, rank: int, sub: str, text: str) -> EventRecord:
        return EventRecord(**{**{f: getattr(ev(doc, rank=rank, killed=3), f) for f in EventRecord.__slots__},
                              "sub_type": sub, "text": text})
    drone, shells = "Air/drone strike", "Shelling/artillery/missile attack"
    recs = [part("a", 0, drone, "a drone hit a motorcycle"), part("a", 1, shells, "shells hit the road"),
            part("b", 0, drone, "drone strike on a motorcycle"), part("b", 1, shells, "shells on the road"),
            part("c", 0, shells, "shelling of the road")]
    joined = [le for le in link.link_events(recs) if len(le.documents) > 1]
    assert [le.documents for le in joined] == [["a", "b", "c"]]
    assert len(joined[0].members) == 5 and joined[0].rule.endswith("most reports (3 of 3)")  # a report counts once
    # One report in two linked events is not enough: a round-up telling two strikes stays two.
    assert groups(link.link_events([recs[0], recs[1], recs[2], recs[4]])) == [["a", "b"], ["a", "c"]]


def test_blocking_compares_only_neighbours() -> None:
    recs = [ev(f"d{i}", where=(30 + i, 30 + i)) for i in range(20)]
    assert list(link.candidate_pairs(recs, link.LinkSettings())) == []
    near = [ev("a"), ev("b", where=(ALEPPO[0] + 0.05, ALEPPO[1]))]
    assert list(link.candidate_pairs(near, link.LinkSettings())) == [(0, 1)]


# -- bounds ----------------------------------------------------------------------------------------
def test_combined_bounds_rule() -> None:
    low, best, high, rule = link.combine_bounds([(3, 3, 3), (5, 5, 5), (5, 5, 5)])
    assert (low, best, high) == (3, 5, 5) and "most reports" in rule
    low, best, high, rule = link.combine_bounds([(2, 2, 2), (4, 4, 4), (10, 10, 10)])
    assert (low, best, high) == (2, 4, 10) and "median" in rule
    assert link.combine_bounds([(None, None, 40), (12, None, None)])[:3] == (12, 12, 40)
    # "none reported" (0) is not a claim of zero next to a report that gives a toll
    assert link.combine_bounds([(0, 0, 0), (6, 6, 6)])[:3] == (6, 6, 6)
    assert link.combine_bounds([(0, 0, 0), (0, 0, 0)])[:3] == (None, None, None)
    assert link.combine_bounds([])[:3] == (None, None, None)


# -- figures ---------------------------------------------------------------------------------------
def fig(doc: str, best: int, text: str, published: str, who: str = "civilians") -> FigureRecord:
    return FigureRecord(doc_id=doc, figure_id=f"{doc}-f", category="killed", who=who, low=best, best=best, high=best,
                        date="2021-03-03", date_precision="day", lat=ALEPPO[0], lon=ALEPPO[1], place_precision=1,
                        country="SY", published=published, outlet=f"outlet {doc}", text=text,
                        revises=link.is_revision(text))


def test_revision_supersedes_instead_of_contradicting() -> None:
    (group,) = link.link_figures([fig("a", 3, "three civilians were killed", "2021-03-03"),
                                  fig("b", 40, "the death toll rose to 40 civilians", "2021-03-05")])
    (conflict,) = group.conflicts
    assert conflict.kind == "supersedes"
    assert (conflict.first.doc_id, conflict.second.doc_id) == ("b", "a")
    assert (group.low, group.best, group.high) == (40, 40, 40)


def test_disagreeing_reports_are_a_contradiction_with_both_sources() -> None:
    (group,) = link.link_figures([fig("a", 3, "three civilians were killed", "2021-03-04"),
                                  fig("b", 40, "40 civilians were killed", "2021-03-04")])
    (conflict,) = group.conflicts
    assert conflict.kind == "contradiction"
    assert "outlet a" in conflict.why and "outlet b" in conflict.why
    assert (group.low, group.high) == (3, 40)


def test_figures_of_different_people_or_categories_are_not_linked() -> None:
    assert link.link_figures([fig("a", 3, "3 civilians killed", "2021-03-04"),
                              fig("b", 40, "40 soldiers killed", "2021-03-04", who="soldiers")]) == []


@pytest.mark.parametrize("text", ["the toll has risen to 40", "deaths climbed to 12", "now stands at 9",
                                  "The number of dead rose to 30"])
def test_revision_cues(text: str) -> None:
    assert link.is_revision(text)


def test_no_revision_cue_in_plain_reports() -> None:
    assert not link.is_revision("40 people were killed and the strike rose smoke over the town")


def test_published_from_url() -> None:
    from sitroom.extract import published_from_url

    assert published_from_url("https://example.org/news/2022/08/06/strike-kills-three/") == "2022-08-06"
    assert published_from_url("https://twitter.com/someone/status/1556384946809348097") == "2022-08-07"
    assert published_from_url("https://example.org/?p=123") is None


# -- store and exports -----------------------------------------------------------------------------
def report(doc_id: str, outlet: str, sentence: str, killed: int, actor: str, published: str) -> Report:
    text = sentence
    place = Place("p1", "Aleppo", ALEPPO[0], ALEPPO[1], "SY", "Aleppo", "city", 170063, [Span(0, 6)])
    who = Actor("a1", actor, "state_forces", None, [Span(0, 1)])
    evidence = Evidence.of(text, 0, len(text))
    event = Event("e1", "Explosions/Remote violence", "Air/drone strike", "a1", None, "2021-03-03", "p1",
                  Bounds(killed, killed, killed), Bounds(), None, evidence)
    figure = Figure("f1", "killed", "civilians", killed, killed, killed, None, "p1", "2021-03-03", [],
                    Source(outlet, "said"), evidence)
    info = DocumentInfo(doc_id, None, f"https://example.org/{doc_id}", None, published, outlet, "en")
    return Report(document=info, text=text, places=[place], actors=[who], events=[event], figures=[figure])


@pytest.fixture()
def store(tmp_path) -> Store:
    db = Store(tmp_path / "links.db")
    db.add(report("doc-1", "Outlet One", "Aleppo: an air strike killed 12 civilians.", 12, "Russia", "2021-03-03"))
    db.add(report("doc-2", "Outlet Two", "Aleppo struck from the air; 12 civilians dead.", 12, "Russia",
                  "2021-03-04"))
    db.add(report("doc-3", "Outlet Three", "Aleppo hit by shelling, 3 killed.", 3, "Turkey", "2021-03-03"))
    link.link_store(db)
    yield db
    db.close()


def test_store_migration_adds_link_tables(store: Store) -> None:
    assert SCHEMA_VERSION >= 2
    assert store.stats()["schema_version"] == SCHEMA_VERSION


def test_link_store_and_json_export(store: Store) -> None:
    out = io.StringIO()
    exporter.export(store, "json", out, ["events", "figures", "linked"])
    data = json.loads(out.getvalue())
    docs = sorted(le["documents"] for le in data["linked_events"])
    assert docs == [["doc-1", "doc-2"], ["doc-3"]]
    both = next(le for le in data["linked_events"] if len(le["documents"]) == 2)
    assert both["number_of_sources"] == 2 and both["best"] == 12 and both["first_report"] == "2021-03-03"
    assert both["last_report"] == "2021-03-04" and both["sources"] == ["Outlet One", "Outlet Two"]
    assert {m["doc_id"] for m in both["members"]} == {"doc-1", "doc-2"}


def test_linking_again_keeps_ids(store: Store) -> None:
    before = [r["id"] for r in store.linked_events(limit=None)]
    link.link_store(store)
    assert [r["id"] for r in store.linked_events(limit=None)] == before


def read_csv(store: Store, fmt: str) -> list[dict[str, str]]:
    out = io.StringIO()
    exporter.export(store, fmt, out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_acled_csv(store: Store) -> None:
    rows = read_csv(store, "acled")
    assert list(rows[0]) == list(exporter.ACLED_COLUMNS)
    both = next(r for r in rows if r["number_of_sources"] == "2")
    assert both["source"] == "Outlet One; Outlet Two" and both["fatalities"] == "12"
    assert both["event_type"] == "Explosions/Remote violence" and both["time_precision"] == "1"
    assert "air strike" in both["notes"] and "Reported by 2 source(s)" in both["notes"]


def test_ucdp_csv(store: Store) -> None:
    rows = read_csv(store, "ucdp")
    both = next(r for r in rows if r["number_of_sources"] == "2")
    assert (both["best"], both["low"], both["high"]) == ("12", "12", "12")
    assert both["date_prec"] == "1" and both["where_prec"] == "1" and both["date_start"] == "2021-03-03"
    assert "Outlet One" in both["source_article"] and "doc-2" in both["source_article"]


def test_gkg_counts(store: Store) -> None:
    rows = read_csv(store, "gkg")
    one = next(r for r in rows if r["GKGRECORDID"] == "doc-1")
    assert one["V1Counts"].startswith("KILL#12#civilians#4#Aleppo#SY#")
    assert one["V21DATE"] == "20210303000000"


def test_geojson_has_linked_events(store: Store) -> None:
    out = io.StringIO()
    exporter.export(store, "geojson", out, ["linked"])
    features = json.loads(out.getvalue())["features"]
    assert {f["properties"]["kind"] for f in features} == {"linked_event"}
    assert features[0]["geometry"]["coordinates"] == [ALEPPO[1], ALEPPO[0]]


def test_parquet(store: Store, tmp_path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "linked.parquet"
    assert exporter.export_parquet(store, str(path)) == 2
    table = pq.read_table(path).to_pylist()
    assert sorted(r["documents"] for r in table) == [["doc-1", "doc-2"], ["doc-3"]]
    assert {r["best"] for r in table} == {12, 3}


def test_records_from_report_fall_back_to_document_place_and_date() -> None:
    data = report("doc-9", "Outlet", "Aleppo: an air strike killed 12 civilians.", 12, "Russia", "2021-03-09")
    data.events[0].place = None
    data.events[0].date = None
    (rec,) = link.records_from_report(data.to_dict())
    assert rec.place == "Aleppo" and rec.place_precision == 1
    assert (rec.date, rec.date_precision) == ("2021-03-09", "published")
    assert rec.actors == frozenset({"russia"})


def test_event_placed_abroad_takes_the_documents_main_place() -> None:
    data = report("doc-8", "Outlet", "Aleppo: an air strike killed 12 civilians, the London monitor said.", 12,
                  "Russia", "2021-03-09")
    data.places[0].mentions = [Span(0, 6), Span(0, 6)]
    data.places.append(Place("p2", "London", 51.51, -0.13, "GB", "England", "city", 2643743, [Span(49, 55)]))
    data.events[0].place = "p2"
    (rec,) = link.records_from_report(data.to_dict())
    assert (rec.place, rec.country) == ("Aleppo", "SY")


def test_intercepted_missiles_and_the_strike_are_one_event_but_not_an_arrest() -> None:
    strike = ev("a", killed=2)
    intercepted = EventRecord(**{**{f: getattr(ev("b"), f) for f in EventRecord.__slots__},
                                 "type": "Strategic developments", "sub_type": "Disrupted weapons use"})
    assert link.type_compatible(strike.type, intercepted.type, strike.sub_type, intercepted.sub_type)
    assert not link.type_compatible(strike.type, "Strategic developments", strike.sub_type, "Arrests")
    assert groups(link.link_events([strike, intercepted])) == [["a", "b"]]
    assert link.kind_score(strike, intercepted) == link.kind_score(intercepted, strike) == 1.0


def test_town_named_as_its_countryside_is_an_area() -> None:
    text = "Warplanes struck positions in Hama countryside. Idlib province was shelled. Strikes hit Aleppo."
    hama = {"mentions": [{"start": 30, "end": 34}]}
    idlib = {"mentions": [{"start": 48, "end": 53}]}
    aleppo = {"mentions": [{"start": 88, "end": 94}]}
    assert link._qualified_precision(hama, text, 0, 47) == 2
    assert link._qualified_precision(idlib, text, 48, 70) == 3
    assert link._qualified_precision(aleppo, text, 71, len(text)) == 1
    assert link._qualified_precision({"mentions": [{"start": 30, "end": 35}]},
                                     "Shells hit the countryside of Idlib.", 0, 36) == 2


def test_victims_named_as_a_side_are_not_a_shared_actor() -> None:
    data = report("doc-7", "Outlet", "Aleppo: an air strike killed 12 civilians.", 12, "Russia", "2021-03-09")
    data.events[0].actor2 = "civilians"
    (rec,) = link.records_from_report(data.to_dict())
    assert rec.actors == frozenset({"russia"})


def test_a_crowded_figure_group_costs_linear_not_quadratic_conflicts() -> None:
    # 400 reports of one quantity alternating between two tolls: every report meets the next
    # PAIR_WINDOW ones only, so conflicts grow with the reports, not with their square.
    records = [FigureRecord(f"d{i:03d}", "f1", "killed", "civilians", n, n, n, "2021-03-03", "day",
                            ALEPPO[0], ALEPPO[1], 1, "Aleppo", "SY", f"2021-03-{3 + i // 100:02d}", f"outlet{i}")
               for i, n in enumerate([12, 15] * 200)]
    groups = link.link_figures(records)
    assert len(groups) == 1
    conflicts = groups[0].conflicts
    assert 0 < len(conflicts) <= 400 * link.PAIR_WINDOW
    assert all({c.first.low, c.second.low} == {12, 15} for c in conflicts)


def test_min_sources_counts_outlets_and_min_documents_counts_reports(tmp_path) -> None:
    db = Store(tmp_path / "outlets.db")
    db.add(report("doc-1", "Outlet One", "Aleppo: an air strike killed 12 civilians.", 12, "Russia", "2021-03-03"))
    db.add(report("doc-2", "Outlet One", "Aleppo struck from the air; 12 civilians dead.", 12, "Russia", "2021-03-04"))
    link.link_store(db)
    both = db.linked_events(min_documents=2, limit=None)
    assert [sorted(r["documents"]) for r in both] == [["doc-1", "doc-2"]]
    assert both[0]["number_of_sources"] == 1
    # Two articles of one outlet are one source: the same filter as the web API's min_sources.
    assert db.linked_events(min_sources=2, limit=None) == []
    db.close()
