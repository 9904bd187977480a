"""The data model: every record a pipeline stage produces, in one place.

Every fact carries character offsets into ``Report.text`` (the analysed text, immutable once
extracted), so ``text[start:end]`` is always its evidence. ``Report.to_dict`` gives the JSON
contract documented in DESIGN.md (``sitroom.report/1``); field names there are read by the
evaluation and must not be renamed.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA = "sitroom.report/1"

SegmentKind = Literal["narrative", "caption", "boilerplate", "title"]
MentionKind = Literal["person", "organization", "location", "date", "number"]

FIGURE_CATEGORIES = (
    "killed",
    "injured",
    "displaced",
    "trapped",
    "at_risk",
    "detained",
    "missing",
    "combatants",
    "population",
    "affected",
)

ACLED_EVENT_TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)


def stable_id(prefix: str, *parts: object) -> str:
    """A short id that depends only on its parts: same input, same id, run after run."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}_{digest[:12]}"


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Evidence:
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Evidence:
        return cls(start, end, text[start:end])


@dataclass(slots=True)
class Document:
    """One input document before analysis. ``text`` is raw text or raw HTML (``format``)."""

    id: str
    text: str
    format: Literal["text", "html"] = "text"
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    outlet: str | None = None
    language: str | None = None

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(slots=True)
class Segment:
    kind: SegmentKind
    start: int
    end: int
    credit: str | None = None  # photo agency of a caption ("Getty", "Reuters", ...)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int  # index of the segment it belongs to
    kind: SegmentKind = "narrative"  # narrative or title; captions and boilerplate have none


@dataclass(slots=True)
class Mention:
    kind: MentionKind
    start: int
    end: int
    text: str
    label: str | None = None  # finer label or canonical id (e.g. actor id, place id)


@dataclass(slots=True)
class Place:
    id: str
    name: str
    lat: float | None
    lon: float | None
    country: str | None  # ISO 3166-1 alpha-2
    admin1: str | None
    feature: str  # country | admin1 | city | village | region | water | ...
    geonameid: int | None
    mentions: list[Span] = field(default_factory=list)
    role: Literal["narrative", "caption"] = "narrative"
    population: int | None = None


@dataclass(slots=True)
class Actor:
    id: str
    name: str  # canonical name
    type: str  # state_forces | rebel_group | external_forces | igo | ngo | civilians | ...
    country: str | None
    mentions: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class DateRef:
    value: str  # ISO date or prefix: "2017-06-18", "2016-10", "2014"
    precision: Literal["day", "week", "month", "season", "year"]
    start: int
    end: int


@dataclass(slots=True)
class Source:
    name: str
    cue: str  # the attribution words: "according to", "said", "told", "said in a statement"


@dataclass(slots=True)
class Figure:
    id: str
    category: str
    who: str | None
    low: int | None
    best: int | None
    high: int | None
    qualifier: str | None  # the hedge as written: "up to", "around", "fewer than", ...
    place: str | None  # Place.id
    date: str | None
    perpetrators: list[str]
    source: Source | None
    evidence: Evidence


@dataclass(slots=True)
class Speaker:
    name: str
    role: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class Quote:
    id: str
    direct: bool
    speaker: Speaker | None
    evidence: Evidence


@dataclass(slots=True)
class Bounds:
    low: int | None = None
    best: int | None = None
    high: int | None = None


@dataclass(slots=True)
class Event:
    id: str
    type: str  # one of ACLED_EVENT_TYPES
    sub_type: str | None
    actor1: str | None  # Actor.id or a plain name when no actor matched
    actor2: str | None
    date: str | None
    place: str | None  # Place.id
    fatalities: Bounds
    injured: Bounds
    source: str | None
    evidence: Evidence


@dataclass(slots=True)
class Contradiction:
    figures: list[str]
    why: str


@dataclass(slots=True)
class DocumentInfo:
    id: str
    source: str | None
    url: str | None
    title: str | None
    published: str | None
    outlet: str | None
    language: str | None


@dataclass(slots=True)
class Report:
    document: DocumentInfo
    text: str
    segments: list[Segment] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    schema: str = SCHEMA

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        # The contract puts "schema" first; asdict keeps declaration order, so move it.
        return {"schema": data.pop("schema"), **data}

    def place(self, place_id: str | None) -> Place | None:
        return next((p for p in self.places if p.id == place_id), None)

    def actor(self, actor_id: str | None) -> Actor | None:
        return next((a for a in self.actors if a.id == actor_id), None)


@dataclass(frozen=True, slots=True)
class Parsed:
    """What every extractor reads: the analysed text, its segments and narrative sentences.

    Built once per document by the segmentation stage and never changed afterwards.
    """

    text: str
    segments: list[Segment]
    sentences: list[Sentence]
    published: str | None = None  # YYYY-MM-DD, the base for relative dates

    def sentence_text(self, sentence: Sentence) -> str:
        return self.text[sentence.start : sentence.end]
