"""WARC and ARC web archives (``warcio``), gzipped per record or not, Common Crawl included.

Only HTTP responses with status 200 and an HTML content type become documents; every other
record (requests, metadata, redirects, errors, images, PDFs...) is counted and the counts are
told once per archive through ``on_note``. A truncated or corrupt record ends the archive with
one ``Failure`` saying where; the records read before it are kept.
"""

from __future__ import annotations

import gzip
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import InputError
from .model import Document
from .pipeline import Failure
from .settings import Settings

NoteHandler = Callable[[str, str], None]

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(path: Path, name: str, settings: Settings, on_note: NoteHandler | None = None,
              arc: bool = False) -> Iterator[Document | Failure]:
    """Documents of one archive file, in record order (warcio detects gzip by itself)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    counts: Counter[str] = Counter()
    number = 0
    try:
        with open(path, "rb") as fh:
            records = ArchiveIterator(fh, arc2warc=arc)
            for number, record in enumerate(records, start=1):
                item = _record(record, name, number, settings, counts)
                missing = _missing_bytes(record)
                if not arc and record.rec_headers.get_header("Content-Length") is None:
                    missing = -1  # a WARC header cut before its (mandatory) Content-Length
                if missing:
                    # warcio reads a cut record silently: its declared length tells it is short.
                    counts["truncated"] += 1
                    detail = f"lacks {missing:,} of its bytes" if missing > 0 else "has an incomplete header"
                    yield _truncated(path, name, number, f"record {number} {detail}")
                    break
                if item is not None:
                    yield item
            cut_header = not counts["truncated"] and _trailing_bytes(fh, records.offset)
        if cut_header:
            # warcio ends quietly on a record whose header is cut: bytes after the last record tell.
            counts["truncated"] += 1
            yield _truncated(path, name, number + 1, f"the file ends inside the header of record {number + 1}")
        elif not number and path.stat().st_size:
            counts["truncated"] += 1
            yield _truncated(path, name, 1, "no complete record in the file")
        elif not counts["truncated"] and _gzip_cut(path):
            # A cut inside a record's gzip header loses that record without any error: say so.
            counts["truncated"] += 1
            yield _truncated(path, name, number + 1, f"the gzip stream ends early after record {number}")
    except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError) as exc:
        counts["truncated"] += 1
        yield _truncated(path, name, number + 1, f"{type(exc).__name__}: {str(exc)[:160]}")
    except Exception as exc:  # noqa: BLE001 - warcio trips over some cut headers (AttributeError...)
        counts["truncated"] += 1
        yield _truncated(path, name, number + 1, f"{type(exc).__name__}: {str(exc)[:160]}")
    if on_note:
        on_note(name, "archive: " + ", ".join(f"{count} {what}" for what, count in sorted(counts.items())))


def _truncated(path: Path, name: str, number: int, detail: str) -> Failure:
    return Failure(Document(id=f"{name}#record-{number}", text="", source=str(path)), "read",
                   f"truncated or corrupt archive record ({detail}); the records before it were read")


def _missing_bytes(record) -> int:
    """Bytes a record declared but the file does not hold (after reading the rest of it)."""
    stream = record.raw_stream
    while stream.read(1 << 16):
        pass
    return max(getattr(stream, "limit", 0) or 0, 0)


def _trailing_bytes(fh, offset: int) -> bool:
    """Anything but white space after the end of the last complete record?"""
    fh.seek(offset)
    while chunk := fh.read(1 << 16):
        if chunk.strip():
            return True
    return False


def _gzip_cut(path: Path) -> bool:
    """True when a gzipped archive ends in the middle of a member."""
    with open(path, "rb") as fh:
        if fh.read(2) != b"\x1f\x8b":
            return False
    try:
        with gzip.open(path, "rb") as fh:
            while fh.read(1 << 20):
                pass
    except (EOFError, OSError, zlib.error):
        return True
    return False


def _record(record, name: str, number: int, settings: Settings, counts: Counter[str]) -> Document | Failure | None:
    if record.rec_type != "response":
        counts[f"{record.rec_type} records skipped"] += 1
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or None
    http = record.http_headers
    if http is None:
        counts["non-HTTP responses skipped"] += 1
        return None
    status = http.get_statuscode()
    if status != "200":
        counts[f"status {status} skipped"] += 1
        return None
    ctype = (http.get_header("Content-Type") or "").lower()
    if not any(t in ctype for t in _HTML_TYPES):
        counts["non-HTML responses skipped"] += 1
        return None
    doc_id = uri or record.rec_headers.get_header("WARC-Record-ID") or f"{name}#record-{number}"
    try:
        # content_stream() undoes chunked and gzip transfer/content encodings.
        raw = record.content_stream().read(settings.max_bytes + 1)
        if len(raw) > settings.max_bytes:
            raise InputError(f"too large (more than {settings.max_bytes:,} bytes)")
    except InputError as exc:
        counts["failed"] += 1
        return Failure(Document(id=doc_id, text="", source=name, url=uri), "read", str(exc))
    counts["HTML pages analysed"] += 1
    if record.rec_headers.get_header("WARC-Truncated"):
        # Common Crawl cuts pages over its size limit and says so: the beginning is still the article.
        counts["cut by the crawler (analysed as stored)"] += 1
    return Document(id=doc_id, text=_decode(raw, ctype), format="html", source=f"{name}#record-{number}", url=uri)


def _decode(raw: bytes, ctype: str) -> str:
    """The declared charset, else UTF-8; undecodable bytes are replaced (HTML extraction copes)."""
    charset = "utf-8"
    if "charset=" in ctype:
        charset = ctype.split("charset=", 1)[1].split(";")[0].strip().strip("\"'") or "utf-8"
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")
