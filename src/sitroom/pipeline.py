"""The runner: one document in, one report out, every stage in order.

Each stage is a pure function over what earlier stages produced, so the same code runs in one
process, a process pool or on Dask workers. ``analyze`` raises on bad input; ``analyze_many``
owns the error policy (record the failure with its stage and reason, go on with the batch).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter

from . import actors, contradictions, dates, events, figures, places, quotes
from .errors import InputError, SitroomError
from .extract import extract_text, published_from_url
from .language import detect_language
from .model import Document, DocumentInfo, Parsed, Report
from .segment import segment, split_sentences
from .settings import DEFAULT, Settings


@dataclass(slots=True)
class Failure:
    document: Document
    stage: str
    reason: str


def analyze(doc: Document, settings: Settings = DEFAULT) -> Report:
    extracted = extract_text(doc, settings)
    text = extracted.text
    if len(text.strip()) < settings.min_chars:
        raise InputError(f"empty document ({len(text.strip())} characters of text)")
    published = doc.published or _day(extracted.published) or published_from_url(doc.url or extracted.url)
    language = doc.language or extracted.language or detect_language(text)
    segs = segment(text, cleaned=doc.format == "html")
    parsed = Parsed(text, segs, split_sentences(text, segs), published)
    info = DocumentInfo(
        id=doc.id,
        source=doc.source,
        url=doc.url or extracted.url,
        title=doc.title or extracted.title,
        published=published,
        outlet=doc.outlet or extracted.outlet,
        language=language,
    )
    report = Report(document=info, text=text, segments=segs)
    if language not in (None, "en"):
        # Only English is analysed; the document is kept with its segments and no facts.
        return report
    report.dates = dates.find_dates(parsed)
    report.places, place_mentions = places.find_places(parsed)
    report.actors, actor_mentions = actors.find_actors(parsed, place_mentions)
    report.quotes = quotes.find_quotes(parsed, actor_mentions)
    report.figures = figures.find_figures(parsed, report.places, report.actors, report.dates)
    report.events = events.find_events(parsed, report.places, report.actors, report.dates, report.figures)
    report.contradictions = contradictions.find_contradictions(report.figures)
    report.mentions = sorted(place_mentions + actor_mentions + figures.number_mentions(report.figures)
                             + dates.date_mentions(parsed, report.dates), key=_SPAN)
    return report


def analyze_many(docs: Iterable[Document], settings: Settings = DEFAULT) -> Iterator[Report | Failure]:
    """Analyse a stream of documents; a document that fails becomes a ``Failure`` and the batch goes on."""
    for doc in docs:
        try:
            yield analyze(doc, settings)
        except SitroomError as exc:
            yield Failure(doc, type(exc).__name__, str(exc))
        except Exception as exc:  # noqa: BLE001
            # An analyser bug must cost one document, not a batch of thousands: record it, go on.
            yield Failure(doc, "analysis", f"{type(exc).__name__}: {exc}")


_SPAN = attrgetter("start", "end")


def _day(value: str | None) -> str | None:
    return value[:10] if value and len(value) >= 10 else None
