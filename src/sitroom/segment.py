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
_TERMINAL_CHARS = frozenset(""".!?:;…"”’')]""")  # a paragraph ending with one of these is a sentence
_WORD = re.compile(r"\w+")
# The last word of every ``_CREDIT``, alone or before ")": ``_CAPTION_CREDIT`` (anchored at the
# line's end) is searched only on lines ending so, instead of from every character of every line.
_CREDIT_LAST = ("Getty", "Images", "Reuters", "AP", "AFP", "EPA", "PA", "Anadolu", "Xinhua", "Shutterstock", "Alamy",
                "Rex", "Photo", "EFE", "Sipa", "Corbis", "Bloomberg", "NurPhoto")
_CREDIT_ENDINGS = _CREDIT_LAST + tuple(f"{word})" for word in _CREDIT_LAST)


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
    return _classify(line, opening, cleaned, _word_count(line))


def _classify(line: str, opening: bool, cleaned: bool, words: int) -> tuple[str, str | None]:
    credit = _CAPTION_CREDIT.search(line) if line.rstrip().endswith(_CREDIT_ENDINGS) else None
    if _CAPTION_NUMBERED.match(line) or _CAPTION_LEAD.match(line):
        return "caption", credit.group(1) if credit else None
    if _BOILERPLATE.match(line):
        return "boilerplate", None
    terminal = _terminal(line)
    if words <= 3 and not cleaned and (line.rstrip().endswith(":") or not terminal):
        return "boilerplate", None  # a label ("News", "Date:", "Copy link"), not a headline
    if credit and not _terminal(line[: credit.start()]) and words > 4:
        return "caption", credit.group(1)
    if terminal or words > 30:
        return "narrative", None
    # A short unpunctuated line: the headline when it opens the text, otherwise an inline
    # related-article link or navigation label.
    if opening:
        return "title", None
    return ("narrative" if cleaned else "boilerplate"), None


def _terminal(line: str) -> bool:
    """Whether the line ends (before trailing white space) with sentence punctuation: a test of
    its last character instead of a regex search from every character (hand-written for speed)."""
    stripped = line.rstrip()
    return bool(stripped) and stripped[-1] in _TERMINAL_CHARS


_WORDS_CAP = _LINK_TEXT_MAX_WORDS + 1  # every word-count threshold here is below this


def _word_count(line: str) -> int:
    """Number of words, exact up to ``_WORDS_CAP``: a long paragraph is counted on its first part
    only (a cut can shorten a word, never add one), which is all the thresholds need."""
    head = 8 * _WORDS_CAP
    found = len(_WORD.findall(line, 0, head))
    if found >= _WORDS_CAP or len(line) <= head:
        return found
    return len(_WORD.findall(line))


def segment(text: str, cleaned: bool = False) -> list[Segment]:
    segments: list[Segment] = []
    opening = True
    in_link_list = False
    for start, end in paragraphs(text):
        line = text[start:end]
        words = _word_count(line)
        kind, credit = _classify(line, opening, cleaned, words)
        if in_link_list and kind == "narrative" and words <= _LINK_TEXT_MAX_WORDS:
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
# "[.!?…][.!?…]*", not "[.!?…]+": a pattern opening with a character class lets the regex engine
# skip to the next stop in a tight C loop instead of trying the pattern at every character
# (hand-written for measured speed; the same matches).
_BOUNDARY = re.compile(r"""[.!?…][.!?…]*["”’')\]]*(?=\s+["“‘(\[]?[A-Z0-9])""")


_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _ends_sentence(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return True
    word = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if not word:
        return True
    token = word.group(1).lower()
    if token in _ABBREV:
        return False
    # Single capital initials ("George W. Bush") do not end sentences.
    return not (len(token) == 1 and text[dot - 1].isupper())


def split_sentences(text: str, segments: list[Segment]) -> list[Sentence]:
    sentences: list[Sentence] = []
    append = sentences.append
    for index, seg in enumerate(segments):
        kind = seg.kind
        if kind not in ("narrative", "title"):
            continue
        start, stop = seg.start, seg.end
        for match in _BOUNDARY.finditer(text, start, stop):
            # "!", "?", "…" always end one: the abbreviation test is for a full stop only (measured hot)
            if text[match.start()] == "." and not _ends_sentence(text, match.start()):
                continue
            end = match.end()
            append(Sentence(start, end, index, kind))
            start = end
            while start < stop and text[start].isspace():
                start += 1
        if start < stop:
            append(Sentence(start, stop, index, kind))
    return sentences
