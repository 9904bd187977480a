"""Segmentation: label every paragraph of the analysed text, then split narrative into sentences.

Cleaning labels ranges instead of deleting them, so offsets stay valid in the stored text.
Only ``narrative`` and ``title`` segments yield sentences; captions and boilerplate never reach
the fact extractors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .model import Segment, Sentence

# Photo agencies and credit words that end a gallery caption.
_CREDIT = (
    r"Getty(?: Images)?|Reuters|AP|AFP|EPA|PA|Anadolu|Xinhua|Shutterstock|Alamy|Rex|"
    r"AP Photo|AFP/Getty(?: Images)?|EPA-EFE|Sipa|Corbis|Bloomberg|NurPhoto|SOPA Images"
)
_CAPTION_NUMBERED = re.compile(r"^\s*\d{1,3}\s*/\s*\d{1,3}\s+\S")
_CAPTION_CREDIT = re.compile(rf"(?:\(|\s|—|-|\|)(?:Photo:?\s*)?({_CREDIT})\)?\s*$")
_CAPTION_LEAD = re.compile(r"^\s*(?:Photo|Image|Picture|Caption|Pictured|Above|Top|Main image)\s*[:|]", re.I)

_BOILERPLATE = re.compile(
    r"""^\s*(?:
        in\ pictures\b | \d+\s+show\ all\b | show\ all\b | (?:see\ )?more\ photos?\b | gallery\b |
        share\ (?:this|on|via)\b | click\ to\ (?:share|email|print)\b | (?:read|see)\ more\b |
        related(?:\ articles?|\ stories|\ content|\ news)?\s*[:|]? | more\ (?:on\ this|from)\b |
        prev(?:ious)?\ post\b | next\ post\b | advertisement\b | sponsored\b | sign\ up\b |
        subscribe\b | follow\ us\b | newsletter\b | comments?\b | you\ may\ also\ like\b |
        most\ (?:read|popular)\b | (?:image|photo|video)\ (?:source|credit|caption)\b |
        copyright\b | ©  | all\ rights\ reserved\b | watch\b\s*: | listen\b\s*:
    )""",
    re.I | re.X,
)
# Labels after which a page lists other articles: what follows is link text, not this story.
_LINK_LIST = re.compile(
    r"^\s*(?:prev(?:ious)?\ post|next\ post|related(?:\ articles?|\ stories|\ content|\ news)?|"
    r"(?:read|see)\ (?:more|also)|you\ may\ also\ like|more\ (?:on\ this|from|stories)|most\ (?:read|popular)|"
    r"recommended|trending)\b\W*$",
    re.I | re.X,
)
_LINK_TEXT_MAX_WORDS = 40  # a related-article headline or teaser; a longer paragraph is narrative again
_TERMINAL = re.compile(r"""[.!?:;…"”’')\]]\s*$""")
_WORD = re.compile(r"\w+")


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Non-blank lines as (start, end), trimmed of surrounding white space."""
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = match.start() + (len(line) - len(line.lstrip()))
        yield start, start + len(stripped)


def classify(line: str, opening: bool, cleaned: bool = False) -> tuple[str, str | None]:
    """Kind of one paragraph and, for captions, its photo credit.

    ``opening``: no narrative or title paragraph came before it (only labels and navigation),
    so a short unpunctuated line there is the headline. ``cleaned``: the text comes from an HTML
    extractor that already removed navigation, so short unpunctuated lines later on are the
    article's own subheadings and list items rather than related links.
    """
    credit = _CAPTION_CREDIT.search(line)
    if _CAPTION_NUMBERED.match(line) or _CAPTION_LEAD.match(line):
        return "caption", credit.group(1) if credit else None
    if _BOILERPLATE.match(line):
        return "boilerplate", None
    words = len(_WORD.findall(line))
    if words <= 3 and not cleaned and (line.rstrip().endswith(":") or not _TERMINAL.search(line)):
        return "boilerplate", None  # a label ("News", "Date:", "Copy link"), not a headline
    if credit and not _TERMINAL.search(line[: credit.start()]) and words > 4:
        return "caption", credit.group(1)
    if _TERMINAL.search(line) or words > 30:
        return "narrative", None
    # A short unpunctuated line: the headline when it opens the text, otherwise an inline
    # related-article link or navigation label.
    if opening:
        return "title", None
    return ("narrative" if cleaned else "boilerplate"), None


def segment(text: str, cleaned: bool = False) -> list[Segment]:
    segments: list[Segment] = []
    opening = True
    in_link_list = False
    for start, end in paragraphs(text):
        line = text[start:end]
        kind, credit = classify(line, opening, cleaned)
        if in_link_list and kind == "narrative" and len(_WORD.findall(line)) <= _LINK_TEXT_MAX_WORDS:
            kind = "boilerplate"
        if _LINK_LIST.match(line):
            in_link_list = True
        elif kind == "narrative":
            in_link_list = False
        opening = opening and kind in ("boilerplate", "caption")
        segments.append(Segment(kind, start, end, credit))  # type: ignore[arg-type]
    return segments


# Abbreviations after which a full stop does not end a sentence.
_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "cpl", "pvt",
    "adm", "cmdr", "brig", "rep", "sen", "gov", "pres", "st", "mt", "ft", "no", "nos", "vs",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.n", "u.k", "e.g", "i.e", "etc", "inc", "ltd", "co", "corp", "jr", "sr", "approx",
    "est", "dept", "govt", "km", "al", "op", "rev", "hon", "fig", "a.m", "p.m",
}
_BOUNDARY = re.compile(r"""[.!?…]+["”’')\]]*(?=\s+["“‘(\[]?[A-Z0-9])""")


def _ends_sentence(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return True
    word = re.search(r"([\w.]+)$", text[max(0, dot - 12) : dot])
    if not word:
        return True
    token = word.group(1).lower()
    if token in _ABBREV:
        return False
    # Single capital initials ("George W. Bush") do not end sentences.
    return not (len(token) == 1 and text[dot - 1].isupper())


def split_sentences(text: str, segments: list[Segment]) -> list[Sentence]:
    sentences: list[Sentence] = []
    for index, seg in enumerate(segments):
        if seg.kind not in ("narrative", "title"):
            continue
        start = seg.start
        for match in _BOUNDARY.finditer(text, seg.start, seg.end):
            if not _ends_sentence(text, match.start()):
                continue
            sentences.append(Sentence(start, match.end(), index, seg.kind))
            start = match.end()
            while start < seg.end and text[start].isspace():
                start += 1
        if start < seg.end:
            sentences.append(Sentence(start, seg.end, index, seg.kind))
    return sentences
