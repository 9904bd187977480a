"""Input reading: PATHs in, a stream of ``Document``s (or read-time ``Failure``s) out.

A PATH is a ``.txt`` file, an ``.html``/``.htm`` page, a ``.jsonl`` corpus (one document a line),
a WARC/ARC web archive (``.warc``, ``.arc``: one document per HTML response with status 200, see
``warc.py``), an RSS/Atom feed (``.rss``, ``.atom``, ``.xml``: one document per entry, see ``feeds.py``),
any of those gzipped (``.gz``), a directory of them (recursive, sorted, so ids and order are stable)
or ``-`` for standard input. Everything is streamed: one document in memory at a time, JSONL read
line by line, and a file larger than ``Settings.max_bytes`` is refused from its size alone.

A document that cannot be read never stops the batch: it comes out as a ``pipeline.Failure`` with
stage ``"read"`` and a one-line reason, in input order, so the caller records it and goes on.

Document ids: the input ``id`` when the record carries one, else the file path relative to the
argument (the file name for a file argument), else (stdin, JSONL lines without id) a content hash.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from .errors import InputError
from .feeds import read_feed
from .model import Document
from .pipeline import Failure
from .settings import DEFAULT, Settings
from .warc import read_warc

Item = Document | Failure
NoteHandler = Callable[[str, str], None]  # (document id, message)

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
WARC_SUFFIXES = frozenset({".warc"})
ARC_SUFFIXES = frozenset({".arc"})
FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | WARC_SUFFIXES | ARC_SUFFIXES | FEED_SUFFIXES

_SNIFF = 65536  # bytes looked at to decide text vs binary and the encoding
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# Control characters that never occur in text; tab, newlines and form feed do.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_MAX_CONTROL_SHARE = 0.01
_NON_ASCII_OK = re.compile("[^\x00-\x7f\ufffd]")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    note: str | None = None  # set when the encoding was guessed rather than declared


def read_paths(
    paths: Iterable[str],
    settings: Settings = DEFAULT,
    *,
    published: str | None = None,
    on_note: NoteHandler | None = None,
) -> Iterator[Item]:
    """Every document under every PATH, in argument order; ``published`` fills documents without a date."""
    for path in paths:
        for item in read_path(path, settings, on_note=on_note):
            if published and isinstance(item, Document) and not item.published:
                item.published = published
            yield item


def read_path(path: str, settings: Settings = DEFAULT, *, on_note: NoteHandler | None = None) -> Iterator[Item]:
    if path == "-":
        yield from _read_stdin(settings, on_note)
        return
    p = Path(path)
    if p.is_dir():
        for file in _walk(p):
            rel = file.relative_to(p).as_posix()
            yield from _read_file(file, rel, settings, on_note)
    elif p.exists():
        yield from _read_file(p, p.name, settings, on_note)
    else:
        yield _failure(path, str(path), "no such file or directory")


def count_documents(paths: Iterable[str]) -> int | None:
    """A cheap estimate of how many documents PATHs hold (for a progress bar); None when unknown."""
    total = 0
    for path in paths:
        if path == "-":
            return None
        p = Path(path)
        files = list(_walk(p)) if p.is_dir() else [p]
        for file in files:
            kind, gz = _kind(file)
            if kind in ("warc", "arc", "feed"):
                return None  # many documents per file, unknown until read
            if kind != "jsonl":
                total += 1
            elif gz:
                return None
            else:
                total += _count_lines(file)
    return total


def decode(raw: bytes) -> Decoded:
    """Bytes to text: UTF-8 (BOM or not), UTF-16 (BOM, or detected from its NUL pattern), else cp1252.

    Raises ``InputError`` for empty input and for binary data.
    """
    if not raw:
        raise InputError("empty file (0 bytes)")
    decoded = _decode(raw)
    sample = decoded.text[:_SNIFF]
    controls = len(_CONTROL.findall(sample))
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE:
        raise InputError(f"binary data, not text ({controls / len(sample):.0%} control characters)")
    if not decoded.text.strip():
        raise InputError("empty file (only white space)")
    return decoded


def _decode(raw: bytes) -> Decoded:
    if raw.startswith(b"\xef\xbb\xbf"):
        return _strict(raw, "utf-8-sig", "UTF-8 with BOM")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(raw, "utf-16", "UTF-16 with BOM")
    if b"\x00" in raw[:_SNIFF]:
        guess = _utf16_guess(raw[:_SNIFF])
        if guess is None:
            raise InputError("binary data, not text (NUL bytes)")
        decoded = _strict(raw[: len(raw) - len(raw) % 2], guess, guess.upper())
        return Decoded(decoded.text, guess, f"no byte-order mark; decoded as {guess.upper()}")
    try:
        return Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_error, truncated = exc.start, exc.reason == "unexpected end of data"
    if truncated and _valid_utf8_prefix(raw, first_error):
        # A file cut in the middle of its last character (head -c, a truncated download).
        return Decoded(raw[:first_error].decode("utf-8"), "utf-8", "incomplete UTF-8 character at the end dropped")
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if len(_NON_ASCII_OK.findall(text)) > bad:
        # Mostly good UTF-8 with a few stray bytes: cp1252 would garble every correct character.
        return Decoded(text, "utf-8", f"{bad} invalid UTF-8 byte sequence(s) replaced")
    # Legacy Windows pages are the usual case; cp1252 maps every byte but five.
    text = raw.decode("cp1252", errors="replace")
    return Decoded(text, "cp1252", f"not valid UTF-8 (byte {first_error}); decoded as cp1252")


def _valid_utf8_prefix(raw: bytes, end: int) -> bool:
    try:
        raw[:end].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _strict(raw: bytes, codec: str, label: str) -> Decoded:
    try:
        return Decoded(raw.decode(codec), codec)
    except UnicodeDecodeError as exc:
        raise InputError(f"invalid {label} at byte {exc.start}") from None


def _utf16_guess(sample: bytes) -> str | None:
    """ASCII-heavy UTF-16 has NUL in every other byte: odd positions for LE, even for BE."""
    even, odd = sample[0::2], sample[1::2]
    if not even or not odd:
        return None
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _walk(root: Path) -> Iterator[Path]:
    """Known document files under ``root``, depth first, names sorted; hidden entries skipped."""
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(current, name)
            if not name.startswith(".") and _kind(path)[0] != "unknown":
                yield path


def _kind(path: Path) -> tuple[str, bool]:
    """(text | html | jsonl | unknown, gzipped) from the file name."""
    suffixes = [s.lower() for s in path.suffixes]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    last = suffixes[-2] if gz and len(suffixes) > 1 else (suffixes[-1] if suffixes and not gz else "")
    if last in HTML_SUFFIXES:
        return "html", gz
    if last in JSONL_SUFFIXES:
        return "jsonl", gz
    if last in TEXT_SUFFIXES:
        return "text", gz
    if last in WARC_SUFFIXES or last in ARC_SUFFIXES:
        return ("warc" if last in WARC_SUFFIXES else "arc"), gz
    if last in FEED_SUFFIXES:
        return "feed", gz
    return "unknown", gz


def _read_file(path: Path, doc_id: str, settings: Settings, on_note: NoteHandler | None) -> Iterator[Item]:
    kind, gz = _kind(path)
    source = str(path)
    try:
        if kind == "jsonl":
            with _open(path, gz) as fh:
                yield from _read_jsonl(fh, doc_id, source, settings, on_note)
            return
        if kind in ("warc", "arc"):
            # Streamed record by record; warcio undoes per-record gzip itself.
            yield from read_warc(path, doc_id, settings, on_note, arc=kind == "arc")
            return
        if not gz and path.stat().st_size > settings.max_bytes:
            raise InputError(_too_large(path.stat().st_size, settings))
        with _open(path, gz) as fh:
            raw = _read_limited(fh, settings)
    except InputError as exc:
        yield _failure(doc_id, source, str(exc))
        return
    except (OSError, EOFError, zlib.error) as exc:
        yield _failure(doc_id, source, _os_reason(exc))
        return
    if kind == "feed":
        yield from read_feed(raw, doc_id, source, on_note)
        return
    yield from _document(raw, doc_id, source, kind, settings, on_note)


def _read_stdin(settings: Settings, on_note: NoteHandler | None) -> Iterator[Item]:
    stream: BinaryIO = getattr(sys.stdin, "buffer", None) or io.BytesIO(sys.stdin.read().encode("utf-8"))
    try:
        raw = _read_limited(stream, settings)
    except InputError as exc:
        yield _failure("-", "stdin", str(exc))
        return
    if raw.lstrip()[:1] == b"{":
        # A JSONL stream on stdin (`cat corpus.jsonl | sitroom analyze -`).
        yield from _read_jsonl(io.BytesIO(raw), "stdin", "stdin", settings, on_note)
        return
    doc_id = "sha256:" + hashlib.sha256(raw).hexdigest()[:16]
    yield from _document(raw, doc_id, "stdin", "auto", settings, on_note)


def _document(
    raw: bytes, doc_id: str, source: str, kind: str, settings: Settings, on_note: NoteHandler | None
) -> Iterator[Item]:
    try:
        decoded = decode(raw)
    except InputError as exc:
        yield _failure(doc_id, source, str(exc))
        return
    if decoded.note and on_note:
        on_note(doc_id, decoded.note)
    if kind in ("auto", "unknown"):
        kind = "html" if _HTML_START.match(raw[:4096]) else "text"
    yield Document(id=doc_id, text=decoded.text, format="html" if kind == "html" else "text", source=source)


def _read_jsonl(
    fh: BinaryIO, name: str, source: str, settings: Settings, on_note: NoteHandler | None
) -> Iterator[Item]:
    lineno = 0
    while True:
        line = fh.readline(settings.max_bytes + 1)
        if not line:
            return
        lineno += 1
        where = f"{name}:{lineno}"
        if len(line) > settings.max_bytes:
            _skip_rest_of_line(fh, line)
            yield _failure(where, source, f"line {lineno}: {_too_large(len(line), settings, at_least=True)}")
            continue
        if lineno == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if not line.strip():
            continue
        try:
            yield _record(line, where, source, on_note)
        except InputError as exc:
            yield _failure(where, source, f"line {lineno}: {exc}")


def _record(line: bytes, where: str, source: str, on_note: NoteHandler | None) -> Document:
    try:
        rec = json.loads(line)
    except UnicodeDecodeError:
        raise InputError("not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON ({exc.msg})") from None
    if not isinstance(rec, dict):
        raise InputError(f"expected a JSON object, got {type(rec).__name__}")
    fmt = rec.get("format") or ("html" if "html" in rec and "text" not in rec else "text")
    if fmt not in ("text", "html"):
        raise InputError(f"unknown format {fmt!r} (text or html)")
    body = rec.get("html") if "html" in rec and "text" not in rec else rec.get("text")
    if not isinstance(body, str):
        raise InputError("no 'text' or 'html' string")
    if not body.strip():
        raise InputError("empty text")
    raw_id = rec.get("id")
    doc_id = str(raw_id) if raw_id not in (None, "") else "sha256:" + hashlib.sha256(body.encode()).hexdigest()[:16]
    return Document(
        id=doc_id,
        text=body,
        format=fmt,
        source=f"{source}:{where.rsplit(':', 1)[-1]}",
        url=_opt_str(rec.get("url")),
        title=_opt_str(rec.get("title")),
        published=_published(rec.get("published"), doc_id, on_note),
        outlet=_opt_str(rec.get("outlet")),
        language=_opt_str(rec.get("language")),
    )


def _published(value: object, doc_id: str, on_note: NoteHandler | None) -> str | None:
    if value in (None, ""):
        return None
    text = str(value)
    if _DATE.match(text):
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            pass
    if on_note:
        on_note(doc_id, f"ignored unreadable published date {text[:40]!r} (want YYYY-MM-DD)")
    return None


def _opt_str(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def _open(path: Path, gz: bool) -> BinaryIO:
    return gzip.open(path, "rb") if gz else open(path, "rb")  # type: ignore[return-value]


def _read_limited(fh: BinaryIO, settings: Settings) -> bytes:
    """Read at most max_bytes + 1 bytes: enough to know a stream is too large without holding it."""
    raw = fh.read(settings.max_bytes + 1)
    if len(raw) > settings.max_bytes:
        raise InputError(_too_large(len(raw), settings, at_least=True))
    return raw


def _skip_rest_of_line(fh: BinaryIO, line: bytes) -> None:
    while line and not line.endswith(b"\n"):
        line = fh.readline(1 << 20)


def _count_lines(path: Path) -> int:
    count = 0
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                count += chunk.count(b"\n")
    except OSError:
        return 1
    return max(count, 1)


def _too_large(size: int, settings: Settings, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return f"too large ({more}{size - 1 if at_least else size:,} bytes; the limit is {settings.max_bytes:,})"


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, gzip.BadGzipFile | zlib.error | EOFError):
        return f"not a valid gzip file ({exc})" if str(exc) else "not a valid gzip file"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc)


def _failure(doc_id: str, source: str, reason: str) -> Failure:
    return Failure(Document(id=doc_id, text="", source=source), "read", reason)
