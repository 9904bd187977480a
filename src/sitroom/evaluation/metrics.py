"""Every evaluation metric, in one place: what is counted, over which records, and how it is summed.

Design
------
A metric is scored per record as a pair ``(hits, total)``: ``hits`` records that passed, out of
``total`` records (or spans, snippets, quotes) the metric applies to. ``(0, 0)`` means "does not
apply to this record" (e.g. fatalities-where-nonzero on a record whose gold says 0). Aggregation
sums both over a set and divides (micro average), so a set's value is ``sum(hits) / sum(total)``.
Precision/recall pairs are named ``<base>_p`` and ``<base>_r``; :func:`aggregate` adds
``<base>_f1`` from the summed P and R. Metrics in :data:`COUNT_METRICS` are plain counts (lower is
better): their value is ``sum(hits)``.

Scorers are pure functions ``(report: dict, gold: dict) -> Counts`` over the report contract of
DESIGN.md (``Report.to_dict()``) and the dev sets' ``gold`` object (``dev/README.md``). A record
whose analysis failed is scored against :data:`EMPTY_REPORT`, so errors count as misses.

Conventions shared by the scorers
---------------------------------
- Spans overlap when they share at least one character (half-open ``[start, end)``).
- "First event" is ``report["events"][0]``; its place is looked up in ``report["places"]`` by id.
- Predicted fatalities = first event's ``fatalities.best``; ``None`` or no event counts as 0.
- Distances are great-circle (haversine, Earth radius 6371.0088 km).
- Speaker names match when, after lower-casing and dropping punctuation, a leading "the" and a
  possessive "'s", one name's words appear contiguously in the other's, or their last words are
  equal ("Caddell" ~ "Pat Caddell", "The New York Times" ~ "New York Times").

Metrics per set (name: definition)
----------------------------------
acled2020 (gold ``events[0]``)
  event_type            first event's ``type`` == gold type (ACLED's 6), over all records
  fatalities_nonzero    predicted fatalities == gold, over records whose gold fatalities > 0
  fatalities_all        predicted fatalities == gold, over all records
  place_25km            first event's place within 25 km of gold lat/lon (records with gold coords)
  date                  first event's ``date`` == gold date
airwars_syria, airwars_gaza (gold ``events``; one text may belong to an incident with several)
  killed_in_range       predicted fatalities inside ``killed_min..killed_max`` of any gold event,
                        over records where some gold event has a killed range
  killed_fig_in_range   diagnostic: the largest ``killed`` figure of the report (value = best, else
                        low, else high; none -> 0) inside the range
  killed_civ_fig_in_range  diagnostic: as killed_fig_in_range over figures whose ``who`` names
                        non-combatants (civilians, people, children, women, residents, ...)
  killed_any_fig_in_range  diagnostic upper bound: any ``killed`` figure value inside the range
  place_25km            first event's place within 25 km of any gold event with coordinates
  (airwars_gaza is informational: its texts are Airwars' own summaries.)
case2021 (gold ``events[0]``)
  sub_type              first event's ``sub_type`` == gold ``acled_sub_event_type``, over records
                        whose gold ACLED sub-type is not null
  event_type            first event's ``type`` == gold ``type``, same records (diagnostic)
  non_acled_no_event    share of records with gold type null for which the report has no event
lgl, geovirus (toponyms)
  toponym_p/_r/_f1      predicted toponym spans = mentions of kind "location" + every
                        ``places[].mentions`` span; gold spans = gold places + gold mentions of kind
                        "location". P = predicted spans overlapping a gold span / predicted;
                        R = gold spans overlapped / gold.
  toponym_161km         gold places with coordinates that overlap a predicted place mention whose
                        place has coordinates within 161 km (100 miles), over gold places with coords
re3d (entity mentions)
  person_p/_r/_f1, organization_p/_r/_f1, location_p/_r/_f1
                        span-overlap P/R per kind (report mentions of that kind; for location also
                        ``places[].mentions``) against gold mentions of the same kind
polnear (quotes)
  direct_found          gold quotes with direct=true overlapped by some report quote's evidence
  direct_speaker        ... found by a report quote whose speaker is right: its name matches gold
                        ``speaker``, or its span (speaker start/end) overlaps the gold speaker span.
                        PolNeAR leaves pronoun speakers unresolved ("he": 29% of direct quotes), so
                        a pronoun gold speaker also matches the name of the nearest earlier
                        non-pronoun gold speaker of the same document (gold-side coreference).
  direct_speaker_strict diagnostic: name match against the gold ``speaker`` text only
  quote_precision       report quotes whose evidence overlaps any gold attribution span (direct or
                        not) / report quotes (diagnostic: gold also holds indirect attributions)
trafilatura (HTML)
  must_include          share of ``must_include`` snippets inside the report ``text``
  must_exclude          share of ``must_exclude`` snippets absent from the report ``text``
  narrative_must_include / narrative_must_exclude
                        the same over the narrative text only (narrative + title segments joined)
  comments_excluded     share of ``comment_snippets`` absent from the report text (when given)
  body_f1               bag-of-words token F1 of report text vs gold ``body`` (when given)
  Containment is tested after collapsing whitespace runs to one space on both sides.
seed-gold.json (its own shape; see the file's ``bounds_note``)
  figures_required      required (non-optional) gold figures matched: a report figure overlapping
                        the gold evidence, same category, and each bound equal to the gold value
                        when given, in ``<bound>_accept`` when listed, unchecked when null
  figures_optional      the same over optional figures
  figures_found         diagnostic: gold figures overlapped by a report figure of the same category
  quotes_speaker        required gold quotes overlapped by a report quote with a matching speaker
  places_tolerance      required gold places found by name (place name or mention text), and
                        within ``tolerance_km`` when the gold has coordinates
  dates_resolved        required gold dates overlapped by a report date of the same value
  contradictions        gold contradictions flagged (a report contradiction whose two figures
                        overlap the two gold evidences)
  caption_leaks         COUNT of facts (figures, quotes, events) whose evidence overlaps a
                        caption/boilerplate segment or a ``must_drop_from_narrative`` text
  caption_places_in_narrative  COUNT of ``caption_places_not_narrative`` names given a narrative place
  not_figures_produced  COUNT of ``not_figures`` texts overlapped by a report figure's evidence
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

Counts = dict[str, tuple[float, float]]
Span = tuple[int, int]

EMPTY_REPORT: dict[str, Any] = {
    "text": "",
    "segments": [],
    "mentions": [],
    "places": [],
    "actors": [],
    "dates": [],
    "figures": [],
    "quotes": [],
    "events": [],
    "contradictions": [],
}

# Plain counts where lower is better; every other metric is a share where higher is better.
COUNT_METRICS = frozenset({"caption_leaks", "caption_places_in_narrative", "not_figures_produced"})

EARTH_RADIUS_KM = 6371.0088
_WS = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")
_NAME_JUNK = re.compile(r"[^\w\s-]+")
_CIVILIAN = re.compile(
    r"civilian|people|person|child|kid|boy|girl|wom[ae]n|\bm[ae]n\b|famil|resident|villager|farmer|shepherd|"
    r"worker|student|infant|baby|babies|elderly|displaced|refugee",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class MetricValue:
    """A metric summed over a set: ``value`` is hits/total (or the count for count metrics)."""

    hits: float
    total: float
    value: float | None

    def to_dict(self) -> dict[str, float | None]:
        return {"value": self.value, "hits": self.hits, "total": self.total}


# --------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def overlaps_any(span: Span, spans: Iterable[Span]) -> bool:
    return any(overlaps(span, other) for other in spans)


def span_prf_counts(predicted: Iterable[Span], gold: Iterable[Span], name: str) -> Counts:
    """Span-overlap precision and recall counts, as ``<name>_p`` and ``<name>_r``."""
    pred, gold_spans = sorted(set(predicted)), sorted(set(gold))
    tp_pred = sum(overlaps_any(p, gold_spans) for p in pred)
    tp_gold = sum(overlaps_any(g, pred) for g in gold_spans)
    return {f"{name}_p": (tp_pred, len(pred)), f"{name}_r": (tp_gold, len(gold_spans))}


def normalize_ws(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _name_words(name: str | None) -> list[str]:
    if not name:
        return []
    text = name.lower().replace("\u2019", "'")
    text = re.sub(r"'s\b", "", text)
    words = _NAME_JUNK.sub(" ", text).split()
    if words and words[0] == "the":
        words = words[1:]
    return words


def speaker_matches(gold: str | None, predicted: str | None) -> bool:
    """Loose name match: contiguous containment of words either way, or equal last words."""
    g, p = _name_words(gold), _name_words(predicted)
    if not g or not p:
        return False
    gs, ps = f" {' '.join(g)} ", f" {' '.join(p)} "
    return gs in ps or ps in gs or g[-1] == p[-1]


def _first_event(report: Mapping[str, Any]) -> dict[str, Any] | None:
    events = report.get("events") or []
    return events[0] if events else None


def _place_by_id(report: Mapping[str, Any], place_id: str | None) -> dict[str, Any] | None:
    if place_id is None:
        return None
    return next((p for p in report.get("places") or [] if p.get("id") == place_id), None)


def _has_coords(item: Mapping[str, Any] | None) -> bool:
    return bool(item) and item.get("lat") is not None and item.get("lon") is not None


def _within(place: Mapping[str, Any] | None, lat: float, lon: float, km: float) -> bool:
    return _has_coords(place) and haversine_km(place["lat"], place["lon"], lat, lon) <= km


def predicted_fatalities(report: Mapping[str, Any]) -> int:
    """First event's ``fatalities.best``; no event or ``None`` counts as 0."""
    event = _first_event(report)
    best = ((event or {}).get("fatalities") or {}).get("best")
    return int(best) if best is not None else 0


def _first_event_place(report: Mapping[str, Any]) -> dict[str, Any] | None:
    event = _first_event(report)
    return _place_by_id(report, event.get("place")) if event else None


def _hit(ok: bool) -> tuple[int, int]:
    return (1 if ok else 0, 1)


def _figure_value(fig: Mapping[str, Any]) -> int | None:
    for key in ("best", "low", "high"):
        if fig.get(key) is not None:
            return int(fig[key])
    return None


# --------------------------------------------------------------------------------------------
# Events and casualties
# --------------------------------------------------------------------------------------------


def score_acled(report: Mapping[str, Any], gold: Mapping[str, Any]) -> Counts:
    g = gold["events"][0]
    event = _first_event(report) or {}
    fat = predicted_fatalities(report)
    gold_fat = int(g.get("fatalities") or 0)
    counts: Counts = {
        "event_type": _hit(event.get("type") == g.get("type")),
        "fatalities_nonzero": _hit(fat == gold_fat) if gold_fat > 0 else (0, 0),
        "fatalities_all": _hit(fat == gold_fat),
        "date": _hit(event.get("date") is not None and event.get("date") == g.get("date")),
    }
    if _has_coords(g):
        counts["place_25km"] = _hit(_within(_first_event_place(report), g["lat"], g["lon"], 25))
    else:
        counts["place_25km"] = (0, 0)
    return counts


def _in_any_range(value: int, ranges: list[tuple[int, int]]) -> bool:
    return any(lo <= value <= hi for lo, hi in ranges)


def score_airwars(report: Mapping[str, Any], gold: Mapping[str, Any]) -> Counts:
    events = gold.get("events") or []
    ranges = [
        (int(e["killed_min"]), int(e["killed_max"]))
        for e in events
        if e.get("killed_min") is not None and e.get("killed_max") is not None
    ]
    counts: Counts = {"killed_in_range": (0, 0), "killed_fig_in_range": (0, 0), "killed_civ_fig_in_range": (0, 0),
                      "killed_any_fig_in_range": (0, 0)}
    if ranges:
        figs = [f for f in report.get("figures") or [] if f.get("category") == "killed"]
        killed = [v for f in figs if (v := _figure_value(f)) is not None]
        civilians = [v for f in figs if _CIVILIAN.search(f.get("who") or "") and (v := _figure_value(f)) is not None]
        counts["killed_in_range"] = _hit(_in_any_range(predicted_fatalities(report), ranges))
        counts["killed_fig_in_range"] = _hit(_in_any_range(max(killed, default=0), ranges))
        counts["killed_civ_fig_in_range"] = _hit(_in_any_range(max(civilians, default=0), ranges))
        counts["killed_any_fig_in_range"] = _hit(any(_in_any_range(v, ranges) for v in killed or [0]))
    located = [e for e in events if _has_coords(e)]
    if located:
        place = _first_event_place(report)
        counts["place_25km"] = _hit(any(_within(place, e["lat"], e["lon"], 25) for e in located))
    else:
        counts["place_25km"] = (0, 0)
    return counts


def score_case(report: Mapping[str, Any], gold: Mapping[str, Any]) -> Counts:
    g = gold["events"][0]
    event = _first_event(report)
    gold_sub = g.get("acled_sub_event_type")
    counts: Counts = {"sub_type": (0, 0), "event_type": (0, 0), "non_acled_no_event": (0, 0)}
    if gold_sub is not None:
        counts["sub_type"] = _hit(event is not None and event.get("sub_type") == gold_sub)
    if g.get("type") is not None:
        counts["event_type"] = _hit(event is not None and event.get("type") == g["type"])
    else:
        counts["non_acled_no_event"] = _hit(event is None)
    return counts


# --------------------------------------------------------------------------------------------
# Toponyms and entity mentions
# --------------------------------------------------------------------------------------------


def _place_mention_spans(report: Mapping[str, Any]) -> list[tuple[Span, dict[str, Any]]]:
    return [((m["start"], m["end"]), p) for p in report.get("places") or [] for m in p.get("mentions") or []]


def _mention_spans(report: Mapping[str, Any], kind: str) -> list[Span]:
    return [(m["start"], m["end"]) for m in report.get("mentions") or [] if m.get("kind") == kind]


def score_toponyms(report: Mapping[str, Any], gold: Mapping[str, Any]) -> Counts:
    place_spans = _place_mention_spans(report)
    predicted = _mention_spans(report, "location") + [span for span, _ in place_spans]
    gold_places = gold.get("places") or []
    gold_spans = [(p["start"], p["end"]) for p in gold_places]
    gold_spans += [(m["start"], m["end"]) for m in gold.get("mentions") or [] if m.get("kind") == "location"]
    counts = span_prf_counts(predicted, gold_spans, "toponym")
    located = [p for p in gold_places if _has_coords(p)]
    placed = sum(
        any(overlaps((g["start"], g["end"]), span) and _within(place, g["lat"], g["lon"], 161)
            for span, place in place_spans)
        for g in located
    )
    counts["toponym_161km"] = (placed, len(located))
    return counts


ENTITY_KINDS = ("person", "organization", "location")


def score_entities(report: Mapping[str, Any], gold: Mapping[str, Any]) -> Counts:
    counts: Counts = {}
    gold_mentions = gold.get("mentions") or []
    for kind in ENTITY_KINDS:
        predicted = _mention_spans(report, kind)
        if kind == "location":
            predicted += [span for span, _ in _place_mention_spans(report)]
        gold_spans = [(m["start"], m["end"]) for m in gold_mentions if m.get("kind") == kind]
        counts.update(span_prf_counts(predicted, gold_spans, kind))
    return counts


# --------------------------------------------------------------------------------------------
# Quotes
# --------------------------------------------------------------------------------------------


def _quote_span(quote: Mapping[str, Any]) -> Span:
    ev = quote.get("evidence") or {}
    return (ev.get("start", 0), ev.get("end", 0))


def _speaker_name(quote: Mapping[str, Any]) -> str | None:
    speaker = quote.get("speaker")
    return speaker.get("name") if isinstance(speaker, Mapping) else speaker


PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it", "you", "him", "her", "them"})


def _is_pronoun(name: str | None) -> bool:
    return (name or "").strip().lower() in PRONOUNS


def _gold_antecedents(gold_quotes: list[Mapping[str, Any]]) -> dict[int, str]:
    """For each gold attribution with a pronoun speaker (by index), the nearest earlier named speaker."""
    order = sorted(range(len(gold_quotes)), key=lambda i: gold_quotes[i].get("speaker_start") or 0)
    out: dict[int, str] = {}
    last: str | None = None
    for i in order:
        name = gold_quotes[i].get("speaker")
        if _is_pronoun(name):
            if last:
                out[i] = last
        elif name:
            last = name
    return out


def _right_speaker(gold: Mapping[str, Any], antecedent: str | None, quote: Mapping[str, Any]) -> bool:
    name = _speaker_name(quote)
    if speaker_matches(gold.get("speaker"), name) or speaker_matches(antecedent, name):
        return True
    speaker = quote.get("speaker")
    if not isinstance(speaker, Mapping) or speaker.get("start") is None or gold.get("speaker_start") is None:
        return False
    return overlaps((speaker["start"], speaker["end"]), (gold["speaker_start"], gold["speaker_end"]))


def score_quotes(report: Mapping[str, Any], gold: Mapping[str, Any]) -> Counts:
    quotes = report.get("quotes") or []
    gold_quotes = gold.get("quotes") or []
    antecedents = _gold_antecedents(gold_quotes)
    found = speaker = strict = 0
    direct = [i for i, q in enumerate(gold_quotes) if q.get("direct")]
    for i in direct:
        g = gold_quotes[i]
        hits = [q for q in quotes if overlaps(_quote_span(q), (g["start"], g["end"]))]
        found += bool(hits)
        speaker += any(_right_speaker(g, antecedents.get(i), q) for q in hits)
        strict += any(speaker_matches(g.get("speaker"), _speaker_name(q)) for q in hits)
    gold_spans = [(g["start"], g["end"]) for g in gold_quotes]
    precise = sum(overlaps_any(_quote_span(q), gold_spans) for q in quotes)
    return {
        "direct_found": (found, len(direct)),
        "direct_speaker": (speaker, len(direct)),
        "direct_speaker_strict": (strict, len(direct)),
        "quote_precision": (precise, len(quotes)),
    }


# --------------------------------------------------------------------------------------------
# HTML main text
# --------------------------------------------------------------------------------------------


def narrative_text(report: Mapping[str, Any]) -> str:
    """Narrative and title segments joined; the whole text when the report has no segments."""
    text = report.get("text") or ""
    segs = report.get("segments") or []
    if not segs:
        return text
    return "\n".join(text[s["start"] : s["end"]] for s in segs if s.get("kind") in ("narrative", "title"))


def token_f1(predicted: str, gold: str) -> float:
    """Bag-of-words F1 over lower-cased ``\\w+`` tokens (trafilatura's evaluation style)."""
    p, g = Counter(_TOKEN.findall(predicted.lower())), Counter(_TOKEN.findall(gold.lower()))
    common = sum((p & g).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def _contained(snippets: list[str], text: str) -> int:
    return sum(normalize_ws(s) in text for s in snippets if normalize_ws(s))


def _absent(snippets: list[str], text: str) -> int:
    return sum(normalize_ws(s) not in text for s in snippets if normalize_ws(s))


def _nonempty(snippets: list[str]) -> int:
    return sum(bool(normalize_ws(s)) for s in snippets)


def score_html(report: Mapping[str, Any], gold: Mapping[str, Any]) -> Counts:
    full = normalize_ws(report.get("text") or "")
    narrative = normalize_ws(narrative_text(report))
    include = list(gold.get("must_include") or [])
    exclude = list(gold.get("must_exclude") or [])
    comments = list(gold.get("comment_snippets") or [])
    counts: Counts = {
        "must_include": (_contained(include, full), _nonempty(include)),
        "must_exclude": (_absent(exclude, full), _nonempty(exclude)),
        "narrative_must_include": (_contained(include, narrative), _nonempty(include)),
        "narrative_must_exclude": (_absent(exclude, narrative), _nonempty(exclude)),
        "comments_excluded": (_absent(comments, full), _nonempty(comments)),
        "body_f1": (0, 0),
    }
    if gold.get("body"):
        counts["body_f1"] = (token_f1(report.get("text") or "", gold["body"]), 1)
    return counts


# --------------------------------------------------------------------------------------------
# seed-gold.json
# --------------------------------------------------------------------------------------------


def _locate(text: str, evidence: str, start: int | None) -> Span | None:
    """The gold span in the analysed text: at ``start`` when it still matches, else the nearest copy."""
    if not evidence:
        return None
    if start is not None and text[start : start + len(evidence)] == evidence:
        return (start, start + len(evidence))
    positions = _occurrences(text, evidence)
    if not positions:
        return None
    best = min(positions, key=lambda s: abs(s[0] - (start or 0)))
    return best


def _occurrences(text: str, snippet: str) -> list[Span]:
    # Gold snippets are located in the text by search: allowed here, the gold carries no offsets.
    spans, i = [], text.find(snippet) if snippet else -1
    while i >= 0:
        spans.append((i, i + len(snippet)))
        i = text.find(snippet, i + 1)
    return spans


def bounds_match(predicted: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    """Each bound: equal to the gold value when given, in ``<bound>_accept`` when listed, else free."""
    for key in ("low", "best", "high"):
        if gold.get(key) is not None:
            if predicted.get(key) != gold[key]:
                return False
        elif gold.get(f"{key}_accept") and predicted.get(key) not in gold[f"{key}_accept"]:
            return False
    return True


def _fig_span(fig: Mapping[str, Any]) -> Span:
    return (fig["evidence"]["start"], fig["evidence"]["end"])


def _seed_figures(report: Mapping[str, Any], gold: Mapping[str, Any], text: str) -> Counts:
    counts = {"figures_required": [0, 0], "figures_optional": [0, 0], "figures_found": [0, 0]}
    figures = report.get("figures") or []
    for g in gold.get("figures") or []:
        key = "figures_optional" if g.get("optional") else "figures_required"
        span = _locate(text, g["evidence"], g.get("start"))
        same = [f for f in figures if span and overlaps(_fig_span(f), span) and f.get("category") == g["category"]]
        counts[key][0] += any(bounds_match(f, g) for f in same)
        counts[key][1] += 1
        counts["figures_found"][0] += bool(same)
        counts["figures_found"][1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _seed_quotes(report: Mapping[str, Any], gold: Mapping[str, Any], text: str) -> Counts:
    hits = total = 0
    for g in gold.get("quotes") or []:
        if g.get("optional"):
            continue
        span = _locate(text, g["evidence"], g.get("start"))
        total += 1
        hits += bool(span) and any(
            overlaps(_quote_span(q), span) and speaker_matches(g.get("speaker"), _speaker_name(q))
            for q in report.get("quotes") or []
        )
    return {"quotes_speaker": (hits, total)}


def _place_names(place: Mapping[str, Any], text: str) -> set[str]:
    names = {str(place.get("name") or "").casefold()}
    names.update(text[m["start"] : m["end"]].casefold() for m in place.get("mentions") or [])
    return names


def _seed_places(report: Mapping[str, Any], gold: Mapping[str, Any], text: str) -> Counts:
    hits = total = 0
    places = report.get("places") or []
    for g in gold.get("places") or []:
        if g.get("optional"):
            continue
        total += 1
        named = [p for p in places if g["name"].casefold() in _place_names(p, text)]
        if _has_coords(g):
            named = [p for p in named if _within(p, g["lat"], g["lon"], float(g.get("tolerance_km", 25)))]
        hits += bool(named)
    leaks = {name.casefold() for name in gold.get("caption_places_not_narrative") or []}
    in_narrative = sum(
        bool(leaks & _place_names(p, text)) for p in places if p.get("role", "narrative") == "narrative"
    )
    return {"places_tolerance": (hits, total), "caption_places_in_narrative": (in_narrative, 1)}


def _seed_dates(report: Mapping[str, Any], gold: Mapping[str, Any], text: str) -> Counts:
    hits = total = 0
    for g in gold.get("dates") or []:
        if g.get("optional"):
            continue
        total += 1
        span = _locate(text, g["evidence"], g.get("start"))
        hits += bool(span) and any(
            overlaps((d["start"], d["end"]), span) and d.get("value") == g["value"] for d in report.get("dates") or []
        )
    return {"dates_resolved": (hits, total)}


def _seed_contradictions(report: Mapping[str, Any], gold: Mapping[str, Any], text: str) -> Counts:
    starts = {f["evidence"]: f.get("start") for f in gold.get("figures") or []}
    by_id = {f["id"]: _fig_span(f) for f in report.get("figures") or [] if "id" in f}
    flagged = total = 0
    for g in gold.get("contradictions") or []:
        total += 1
        a, b = (_locate(text, ev, starts.get(ev)) for ev in g["between"][:2])
        for c in report.get("contradictions") or []:
            spans = [by_id[i] for i in c.get("figures") or [] if i in by_id]
            if a and b and len(spans) >= 2 and (
                (overlaps(spans[0], a) and overlaps(spans[1], b)) or (overlaps(spans[0], b) and overlaps(spans[1], a))
            ):
                flagged += 1
                break
    return {"contradictions": (flagged, total)}


def _fact_spans(report: Mapping[str, Any]) -> list[Span]:
    return [
        (f["evidence"]["start"], f["evidence"]["end"])
        for key in ("figures", "quotes", "events")
        for f in report.get(key) or []
        if f.get("evidence")
    ]


def _seed_leaks(report: Mapping[str, Any], gold: Mapping[str, Any], text: str) -> Counts:
    bad = [(s["start"], s["end"]) for s in report.get("segments") or [] if s.get("kind") in ("caption", "boilerplate")]
    for snippet in (gold.get("boilerplate") or {}).get("must_drop_from_narrative") or []:
        bad += _occurrences(text, snippet)
    leaks = sum(overlaps_any(span, bad) for span in _fact_spans(report))
    figs = [_fig_span(f) for f in report.get("figures") or [] if f.get("evidence")]
    produced = sum(
        any(overlaps(fig, span) for fig in figs for span in _occurrences(text, snippet))
        for snippet in gold.get("not_figures") or []
    )
    return {"caption_leaks": (leaks, 1), "not_figures_produced": (produced, 1)}


def score_seed(report: Mapping[str, Any], gold: Mapping[str, Any]) -> Counts:
    """Score one report of the sample article against ``seed-gold.json`` (the whole file is ``gold``)."""
    text = report.get("text") or ""
    counts: Counts = {}
    for part in (_seed_figures, _seed_quotes, _seed_places, _seed_dates, _seed_contradictions, _seed_leaks):
        counts.update(part(report, gold, text))
    return counts


# --------------------------------------------------------------------------------------------
# Registry and aggregation
# --------------------------------------------------------------------------------------------

Scorer = Callable[[Mapping[str, Any], Mapping[str, Any]], Counts]

SCORERS: dict[str, Scorer] = {
    "acled": score_acled,
    "airwars": score_airwars,
    "case": score_case,
    "toponyms": score_toponyms,
    "entities": score_entities,
    "quotes": score_quotes,
    "html": score_html,
    "seed": score_seed,
}

# Known dev-set names; held-out sets with other names fall back to their family prefix or gold keys.
DATASET_SCORERS = {
    "acled2020": "acled",
    "airwars_syria": "airwars",
    "airwars_gaza": "airwars",
    "case2021": "case",
    "lgl": "toponyms",
    "geovirus": "toponyms",
    "geowebnews": "toponyms",
    "re3d": "entities",
    "polnear": "quotes",
    "trafilatura": "html",
    "seed": "seed",
}
_PREFIXES = (("acled", "acled"), ("airwars", "airwars"), ("case", "case"), ("geo", "toponyms"))


def scorer_name(dataset: str | None, gold: Mapping[str, Any]) -> str | None:
    """Which scorer a record gets: by set name, then name prefix, then by the gold keys it has."""
    if dataset in DATASET_SCORERS:
        return DATASET_SCORERS[dataset]
    for prefix, name in _PREFIXES:
        if dataset and dataset.lower().startswith(prefix):
            return name
    return _scorer_from_gold(gold)


def _scorer_from_gold(gold: Mapping[str, Any]) -> str | None:
    events = gold.get("events") or []
    first = events[0] if events else {}
    if "acled_sub_event_type" in first:
        return "case"
    if "killed_min" in first:
        return "airwars"
    if "fatalities" in first and "type" in first:
        return "acled"
    if gold.get("must_include") is not None or gold.get("body"):
        return "html"
    if gold.get("quotes"):
        return "quotes"
    kinds = {m.get("kind") for m in gold.get("mentions") or []}
    if kinds & {"person", "organization"}:
        return "entities"
    if gold.get("places") or "location" in kinds:
        return "toponyms"
    return None


def aggregate(records: Iterable[Counts]) -> dict[str, MetricValue]:
    """Sum per-record counts into set values; add ``<base>_f1`` for every ``<base>_p``/``_r`` pair."""
    hits: dict[str, float] = {}
    totals: dict[str, float] = {}
    for counts in records:
        for name, (h, t) in counts.items():
            hits[name] = hits.get(name, 0) + h
            totals[name] = totals.get(name, 0) + t
    out: dict[str, MetricValue] = {}
    for name in hits:
        if name in COUNT_METRICS:
            out[name] = MetricValue(hits[name], totals[name], hits[name])
        else:
            out[name] = MetricValue(hits[name], totals[name], hits[name] / totals[name] if totals[name] else None)
    return _with_f1(out)


def _with_f1(values: dict[str, MetricValue]) -> dict[str, MetricValue]:
    # Keep the scorer's order, with P, R and F1 of one base side by side.
    out: dict[str, MetricValue] = {}
    for name, value in values.items():
        if name in out:
            continue
        out[name] = value
        base = name[:-2]
        if name.endswith("_p") and f"{base}_r" in values:
            out[f"{base}_r"] = values[f"{base}_r"]
            out[f"{base}_f1"] = MetricValue(0, 0, f1(value.value, values[f"{base}_r"].value))
    return out


def f1(precision: float | None, recall: float | None) -> float | None:
    """F1 of P and R; no gold -> None; gold but no predictions (P undefined) -> 0."""
    if recall is None:
        return None
    if precision is None:
        return 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def lower_is_better(name: str) -> bool:
    return name in COUNT_METRICS
