"""Quotes: direct quotations with their speakers.

Quote marks are paired per paragraph (“ ” and straight "). A paragraph that ends inside an open
quote continues it: the next paragraph, when it opens with a quote mark, is the same speaker's
(the journalistic convention for multi-paragraph quotes).

The speaker comes from the attribution cues of the paragraph (``attribution.find_attributions``),
never from a cue inside quoted words, in this order:

1. a cue right after the quote ("“...,” said X", "“...,” X told Y");
2. the nearest cue before the quote in the same sentence or paragraph ("X said: “...”",
   "X said the task was not an “easy task”");
3. the speaker of the previous quote in the same or the preceding paragraph (a quote with no
   attribution of its own continues the last speaker).

Pronoun speakers ("he said") take the most recent named person speaker, or failing that the
most recent person mention; "it"/"they" take the most recent organisation. Role-only speakers
("the spokesman said") keep the phrase as both name and role.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .actors import is_generic_actor
from .attribution import ORG_HEADS, TITLES, Attribution, find_attributions
from .model import Evidence, Mention, Parsed, Quote, Speaker, stable_id
from .textmatch import SpanIndex

_OPEN = {"“": "”", '"': '"', "«": "»", "„": "“"}
_CLOSE = {"”", '"', "»"}
_MARKS = re.compile(r"[“”\"«»„]")
_WORD = re.compile(r"\w+")
_MAX_AFTER = 160  # chars between a closing mark and its cue ("...,” Sabah al-Numan, spokesperson ..., told")
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_GROUP_PRONOUNS = {"it", "they", "we"}
_NAME_PARTICLES = {"al", "bin", "ibn", "de", "da", "van", "von", "der", "la", "le", "el", "du", "di", "del", "y"}
_HONORIFICS = {"mr.", "mrs.", "ms.", "dr.", "mr", "mrs", "ms", "dr"}


@dataclass(slots=True)
class _Span:
    start: int  # content start (after the opening mark)
    end: int  # content end (before the closing mark)
    paragraph: int
    opened: bool  # began with an opening mark in this paragraph (False: continued from before)
    closed: bool  # ended with a closing mark (False: runs to the end of the paragraph)
    mark_end: int  # end including the closing mark


def find_quotes(parsed: Parsed, mentions: list[Mention]) -> list[Quote]:
    """Direct quotes in narrative text with speaker name and role."""
    text = parsed.text
    paragraphs = sorted({s.paragraph for s in parsed.sentences})
    spans = _quote_spans(parsed, paragraphs)
    if not spans:
        return []
    atts = _attributions(parsed, spans)
    ctx = _Context(text, mentions, atts)
    lines = _Lines(text)
    by_line: dict[int, list[Attribution]] = {}  # cues by the line (paragraph) they stand on
    for a in atts:
        by_line.setdefault(lines.of(a.cue_start), []).append(a)
    starts = [s.start for s in spans]
    quotes: list[Quote] = []
    previous: tuple[int, Speaker | None] | None = None  # (paragraph, speaker) of the last quote
    for span in spans:
        if _WORD.search(text, span.start, span.end) is None:
            continue
        # Spans come in text order: the next quote opens at the first start past this one's end.
        k = bisect_right(starts, span.end)
        nxt = starts[k] if k < len(starts) else len(text)
        para_atts = by_line.get(lines.of(span.start), [])
        att = _attribution_for(text, span, para_atts, nxt) or _lead_in(parsed, span, atts)
        speaker: Speaker | None
        if att is not None:
            speaker = ctx.speaker(att)
        else:
            speaker = _dash_speaker(text, span) or _participle_speaker(text, span, mentions)
        if speaker is None and previous is not None and span.paragraph - previous[0] <= 1:
            speaker = previous[1]
        start, end = _trim(text, span.start, span.end)
        if end <= start or not _is_quote(text, start, end, att or speaker):
            continue
        quotes.append(Quote(stable_id("quote", start, end), True, speaker, Evidence.of(text, start, end)))
        previous = (span.paragraph, speaker)
    return quotes


# ---------------------------------------------------------------------------------------------
# Quote spans


def _quote_spans(parsed: Parsed, paragraphs: list[int]) -> list[_Span]:
    text = parsed.text
    spans: list[_Span] = []
    carry = False  # the previous paragraph ended inside a quote
    last_para = -2
    for index in paragraphs:
        seg = parsed.segments[index]
        if index != last_para + 1:
            carry = False  # a caption or boilerplate block in between breaks the continuation
        last_para = index
        open_at: int | None = None
        closer = ""
        for m in _MARKS.finditer(text, seg.start, seg.end):
            ch = m.group()
            if open_at is None:
                if ch in _OPEN and ch != "”":
                    open_at, closer = m.end(), _OPEN[ch]
                elif ch in _CLOSE and carry and not _has_span_in(spans, index):
                    # A closing mark with no opening: the quote continued from the last paragraph.
                    spans.append(_Span(seg.start, m.start(), index, False, True, m.end()))
            elif ch == closer or _mixed_close(text, m.start(), ch, closer):
                spans.append(_Span(open_at, m.start(), index, True, True, m.end()))
                open_at = None
            elif ch == "“" and closer == "”":
                open_at = m.end()  # a stray opening mark: restart from the later one
        if open_at is not None:
            spans.append(_Span(open_at, seg.end, index, True, False, seg.end))
        carry = open_at is not None
    return spans


def _mixed_close(text: str, pos: int, ch: str, closer: str) -> bool:
    """Sloppy typography: “...\" or \"...”. A straight mark closes only where a closer stands."""
    if closer == '"' and ch == "”":
        return True
    if closer == "”" and ch == '"':
        after = text[pos + 1 : pos + 2]
        return pos > 0 and not text[pos - 1].isspace() and (not after or not after.isalnum())
    return False


def _has_span_in(spans: list[_Span], paragraph: int) -> bool:
    """Has this paragraph already given a quote span (spans come in text order)?"""
    return bool(spans) and spans[-1].paragraph == paragraph


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Evidence is the quoted words: no surrounding space, no trailing comma."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return start, end


def _is_quote(text: str, start: int, end: int, att: Attribution | Speaker | None) -> bool:
    """Keep speech, drop scare quotes and titles: one or two words count only when attributed."""
    words = _WORD.findall(text, start, end)
    if not any(w[:1].islower() and len(w) > 2 and w not in _TITLE_SMALL for w in words):
        return False  # titles and names ("Face the Nation", "13th"), numbers and ids: not speech
    return len(words) >= 3 or att is not None


_TITLE_SMALL = {"the", "and", "for", "from", "with", "into", "onto", "over"}


# ---------------------------------------------------------------------------------------------
# Attribution


def _attributions(parsed: Parsed, spans: list[_Span]) -> list[Attribution]:
    """Cues of every sentence of a paragraph with a quote, minus cues inside quoted words."""
    paras = {s.paragraph for s in spans}
    starts = [s.start for s in spans]  # spans are in text order and disjoint: one is the candidate
    found: list[Attribution] = []
    for sentence in parsed.sentences:
        if sentence.paragraph not in paras and sentence.paragraph - 1 not in paras:
            continue
        for att in find_attributions(parsed, sentence):
            k = bisect_right(starts, att.cue_start) - 1
            if k < 0 or att.cue_start >= spans[k].end:
                found.append(att)
    return found


class _Lines:
    """Which line a position is on (lines counted by newlines before it), by bisection.

    Two positions share a paragraph when no newline lies between them: when their lines are
    equal (hand-written for measured speed: a ``find`` per quote and cue pair was quadratic).
    """

    def __init__(self, text: str) -> None:
        self.newlines = [m.start() for m in _NEWLINE.finditer(text)]

    def of(self, pos: int) -> int:
        return bisect_left(self.newlines, pos)


_NEWLINE = re.compile("\n")


def _attribution_for(text: str, span: _Span, para_atts: list[Attribution], nxt: int) -> Attribution | None:
    """``para_atts``: the cues in the quote's paragraph; ``nxt``: where the next quote opens."""
    # 1. Right after the quote, before the next quote opens.
    for a in para_atts:
        after = span.mark_end <= a.cue_start < min(nxt, span.mark_end + _MAX_AFTER)
        if after and not _leads_next(text, a, nxt) and _attached_after(text, span.mark_end, a):
            return a
    # 2. The nearest cue before the quote in its paragraph.
    before = [a for a in para_atts if a.cue_end <= span.start and a.name_end <= span.start]
    if before:
        return before[-1]
    return None


def _attached_after(text: str, quote_end: int, att: Attribution) -> bool:
    """The cue belongs to the quote before it: no full stop between them ("...” he said")."""
    between = text[quote_end : min(att.cue_start, att.name_start)]
    for stop in _STOP.finditer(between):
        word = _LAST_WORD.search(between, 0, stop.start())
        if not (word and (word.group().lower() + "." in TITLES or len(word.group()) == 1)):
            return False  # a real sentence end, not "Rep." or an initial
    return True


_STOP = re.compile(r"[.!?][\s\u00a0]")
_LAST_WORD = re.compile(r"\w+$")


def _leads_next(text: str, att: Attribution, next_quote: int) -> bool:
    """"X said: “...”": a cue followed by a colon or a comma and a quote introduces the next quote."""
    gap = text[att.cue_end : next_quote]
    return len(gap) <= 4 and bool(re.fullmatch(r"\s*[:,]?\s*[“\"«]?", gap))


def _lead_in(parsed: Parsed, span: _Span, atts: list[Attribution]) -> Attribution | None:
    """"Caddell continued:" closing the previous paragraph introduces this paragraph's quote."""
    if span.paragraph == 0 or not span.opened:
        return None
    prev = parsed.segments[span.paragraph - 1]
    text = parsed.text
    if not text[prev.start : prev.end].rstrip().endswith(":"):
        return None
    inside = [a for a in atts if prev.start <= a.cue_start < prev.end]
    if inside and text[inside[-1].cue_end : prev.end].strip() in (":", ""):
        return inside[-1]
    return None


# A testimonial signed after the quote: "“...” ― Carla Sanchez", "“...” — Jane Doe, nurse".
_DASH_NAME = re.compile(
    r"[ \t\u00a0]*[―—–-][ \t\u00a0]*(?P<name>[A-Z][\w'’.\-]*(?:[ \u00a0]+(?:[A-Z][\w'’.\-]*|al|de|bin|van|von)){0,4})"
    r"(?:,[ \u00a0]*(?P<role>[^\n.“”\"]{2,80}))?"
)


def _dash_speaker(text: str, span: _Span) -> Speaker | None:
    m = _DASH_NAME.match(text, span.mark_end)
    if not m or not span.closed:
        return None
    name = m.group("name").rstrip(".")
    return Speaker(name, m.group("role"), m.start("name"), m.start("name") + len(name))


# "..., saying, “...”": the speaker is the subject of the sentence, its first name.
_PARTICIPLE = re.compile(
    r"\b(?:saying|adding|asking|tweeting|writing|declaring|insisting|noting|telling \w+)\s*[,:]?\s*$"
)


def _participle_speaker(text: str, span: _Span, mentions: list[Mention]) -> Speaker | None:
    lead = text[max(0, span.start - 40) : span.start - 1]
    if not _PARTICIPLE.search(lead):
        return None
    line_start = text.rfind("\n", 0, span.start) + 1
    sentence_start = max(line_start, text.rfind(". ", 0, span.start) + 2)
    for m in mentions:
        if sentence_start <= m.start < span.start and m.kind in ("person", "organization"):
            return Speaker(m.text, None, m.start, m.end)
    return None


# ---------------------------------------------------------------------------------------------
# Speakers


# Subject pronouns only: "him"/"her" after a name usually point at someone else.
_GENDERED = re.compile(r"\b(?:(?P<m>[Hh]e)|(?P<f>[Ss]he))\b")
_MALE_WORDS = {"mr.", "mr", "spokesman", "chairman", "king", "prince", "congressman", "father", "son", "brother"}
_FEMALE_WORDS = {"mrs.", "ms.", "mrs", "ms", "miss", "spokeswoman", "chairwoman", "queen", "princess",
                 "congresswoman", "mother", "daughter", "sister", "madam"}


class _Context:
    """Who may "he", "she" or "it" refer to: named speakers and person mentions, with a gender guess."""

    def __init__(self, text: str, mentions: list[Mention], atts: list[Attribution]) -> None:
        self.text = text
        self.mentions = mentions
        self.atts = atts
        # Only a pronoun speaker needs the candidates and their genders: most articles have none,
        # so both are built on first use (hand-written for measured speed).
        self._candidates: list[tuple[int, Speaker, bool]] | None = None
        self._gender: dict[str, int] | None = None

    @property
    def candidates(self) -> list[tuple[int, Speaker, bool]]:
        """(position, speaker, is_person): every named source and every person mention, in text order."""
        if self._candidates is None:
            self.orgs = SpanIndex([(m.start, m.end) for m in self.mentions if m.kind == "organization"])
            found = []
            for att in self.atts:
                if att.kind == "name":
                    speaker = Speaker(att.name, att.role, att.name_start, att.name_end)
                    found.append((att.name_start, speaker, self._person_name(att)))
            for m in self.mentions:
                if m.kind == "person":
                    found.append((m.start, _mention_speaker(m), True))
            found.sort(key=lambda c: c[0])
            self._candidates = found
        return self._candidates

    @property
    def gender(self) -> dict[str, int]:
        if self._gender is None:
            self._gender = self._genders()
        return self._gender

    def speaker(self, att: Attribution) -> Speaker:
        if att.kind == "pronoun":
            return self._resolve(att)
        return Speaker(att.name, att.role, att.name_start, att.name_end)

    def _person_name(self, att: Attribution) -> bool:
        if self.orgs.overlaps(att.name_start, att.name_end):
            return False
        if is_generic_actor(att.name):  # "Demonstrators said", "Residents told"
            return False
        words = att.name.split()
        if any(not w[:1].isupper() and w.lower() not in _NAME_PARTICLES and "-" not in w for w in words):
            return False  # "Democratic presidential nominee" is a role, not a name
        return words[-1].lower() not in ORG_HEADS and not att.name.isupper()

    def _genders(self) -> dict[str, int]:
        """Surname -> votes (+ male, - female) from titles and the first pronoun after each mention."""
        votes: dict[str, int] = {}
        people = [(pos, sp) for pos, sp, is_person in self.candidates if is_person]
        for i, (_pos, sp) in enumerate(people):
            key = _surname(sp.name)
            words = {w.lower() for w in f"{sp.role or ''} {sp.name}".split()}
            vote = (1 if words & _MALE_WORDS else 0) - (1 if words & _FEMALE_WORDS else 0)
            end = sp.end or 0
            limit = people[i + 1][0] if i + 1 < len(people) else end + 200
            m = _GENDERED.search(self.text, end, min(limit, end + 200))
            if m:
                vote += 1 if m.group("m") else -1
            votes[key] = votes.get(key, 0) + vote
        return votes

    def _resolve(self, att: Attribution) -> Speaker:
        """The antecedent of a pronoun: the latest compatible person (or organisation) before it."""
        pronoun = att.name.lower()
        if pronoun not in _PERSON_PRONOUNS and pronoun not in _GROUP_PRONOUNS:
            return Speaker(att.name, None, att.name_start, att.name_end)
        want_person = pronoun in _PERSON_PRONOUNS
        sign = 1 if pronoun in ("he", "him") else -1 if pronoun in ("she", "her") else 0
        for pos, speaker, is_person in reversed(self.candidates):
            if pos >= att.name_start or is_person != want_person:
                continue
            if sign and self.gender.get(_surname(speaker.name), 0) * sign < 0:
                continue  # "she" never resolves to a man the article calls "he"
            return self._richest(speaker, pos)
        return Speaker(att.name, None, att.name_start, att.name_end)

    def _richest(self, speaker: Speaker, pos: int) -> Speaker:
        """Prefer the earlier full mention of the same person, which carries the role."""
        if speaker.role:
            return speaker
        key = _surname(speaker.name)
        for p, other, is_person in self.candidates:
            if p < pos and is_person and other.role and _surname(other.name) == key:
                return other
        return speaker


def _surname(name: str) -> str:
    return name.split()[-1].rstrip("’'s").lower() if name.split() else ""


def _same_person(name: str, other: str) -> bool:
    return name.split()[-1].strip("’'s") == other.split()[-1].strip("’'s")


def _mention_speaker(mention: Mention) -> Speaker:
    """A person mention as speaker, its leading titles as role: "Gen. Joseph Votel"."""
    words = mention.text.split()
    k = 0
    while k < len(words) - 1 and (words[k].lower() in TITLES or words[k].lower() in _HONORIFICS):
        k += 1
    if k == 0:
        return Speaker(mention.text, None, mention.start, mention.end)
    offset = mention.text.index(words[k], sum(len(w) for w in words[:k]))
    role = mention.text[:offset].strip()
    return Speaker(mention.text[offset:], role, mention.start + offset, mention.end)
