"""Text extraction: HTML pages through trafilatura; plain text is analysed as it is."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ExtractionError
from .model import Document
from .settings import Settings


@dataclass(frozen=True, slots=True)
class Extracted:
    text: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None


def extract_text(doc: Document, settings: Settings) -> Extracted:
    if doc.format != "html":
        return Extracted(doc.text)
    return _extract_html(doc.text, settings)


def _extract_html(html: str, settings: Settings) -> Extracted:
    import trafilatura  # imported here: plain-text runs should not pay for lxml start-up

    result = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=False,
        favor_precision=settings.html_favor_precision,
        with_metadata=True,
    )
    if result is None or not (result.text or "").strip():
        raise ExtractionError("no main text found in HTML")
    # Title first, as its own paragraph: it is labelled "title" by segmentation.
    body = result.text.strip()
    title = (result.title or "").strip() or None
    text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    return Extracted(
        text=text,
        title=title,
        published=result.date,
        outlet=result.sitename or result.hostname,
        url=result.url,
        language=result.language,
    )
