"""RSS and Atom feeds (``feedparser``): one document per entry.

An entry's full content (``content:encoded``, Atom ``content``) is used when the feed carries it,
else its summary. Entry HTML is a fragment, not a page, so it is turned into plain paragraphs here
(the page extractor would look for a main text in it and often find none); the title opens the
text as its own paragraph, as on a page.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Iterator
from datetime import date

from .model import Document
from .pipeline import Failure

NoteHandler = Callable[[str, str], None]

_BLOCK = re.compile(r"<\s*/?\s*(?:p|div|br|li|ul|ol|h[1-6]|blockquote|tr|table|section|article)\b[^>]*>", re.I)
_DROP = re.compile(r"<\s*(script|style)\b[^>]*>.*?<\s*/\s*\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"[ \t\r\f\v\xa0]+")
_FEED_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S)


def looks_like_feed(raw: bytes) -> bool:
    return bool(_FEED_START.match(raw[:4096]))


def fragment_text(fragment: str) -> str:
    """HTML fragment to paragraphs separated by blank lines (entities decoded, tags dropped)."""
    text = _DROP.sub(" ", fragment)
    text = _BLOCK.sub("\n\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = (_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n\n".join(line for line in lines if line)


def read_feed(raw: bytes, name: str, source: str, on_note: NoteHandler | None = None) -> Iterator[Document | Failure]:
    import feedparser

    parsed = feedparser.parse(raw)
    if not parsed.entries:
        reason = "no feed entries"
        if parsed.get("bozo"):
            reason += f" (not a readable RSS/Atom feed: {str(parsed.get('bozo_exception'))[:120]})"
        yield Failure(Document(id=name, text="", source=source), "read", reason)
        return
    outlet = (parsed.feed.get("title") or "").strip() or None
    for number, entry in enumerate(parsed.entries, start=1):
        yield _entry(entry, name, source, number, outlet)


def _entry(entry, name: str, source: str, number: int, outlet: str | None) -> Document | Failure:
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    body = fragment_text(max(contents, key=len) if contents else entry.get("summary", "") or "")
    title = fragment_text(entry.get("title", "") or "").replace("\n\n", " ") or None
    link = entry.get("link") or None
    doc_id = entry.get("id") or link or f"{name}#entry-{number}"
    text = f"{title}\n\n{body}" if title and body and not body.startswith(title) else (body or title or "")
    if not text.strip():
        return Failure(Document(id=doc_id, text="", source=source, url=link), "read", "feed entry without text")
    return Document(id=doc_id, text=text, format="text", source=f"{source}#entry-{number}", url=link, title=title,
                    published=_day(entry), outlet=outlet)


def _day(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            try:
                return date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
            except ValueError:
                continue
    return None


def entry_key(doc: Document) -> str:
    """What a watcher remembers of an entry it has seen (its id, else its text)."""
    return doc.id if doc.id else hashlib.sha256(doc.text.encode()).hexdigest()
