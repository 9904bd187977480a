"""Input reading: files, HTML, directories, JSONL, gzip, stdin, encodings and ids."""

from __future__ import annotations

import gzip
import io
import json
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitroom.errors import InputError
from sitroom.model import Document
from sitroom.pipeline import Failure
from sitroom.settings import Settings
from sitroom.sources import count_documents, decode, read_paths

TEXT = "Two soldiers were killed near the border on Monday, officials said."


def _items(*paths, **kw):
    notes: list[tuple[str, str]] = []
    items = list(read_paths([str(p) for p in paths], on_note=lambda i, m: notes.append((i, m)), **kw))
    return items, notes


def _ids(items):
    return [(type(i).__name__, i.id if isinstance(i, Document) else i.document.id) for i in items]


def test_text_and_html_files(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.HTML").write_text(f"<html><body><p>{TEXT}</p></body></html>", encoding="utf-8")
    items, _ = _items(tmp_path / "a.txt", tmp_path / "b.HTML")
    assert [(d.id, d.format) for d in items] == [("a.txt", "text"), ("b.HTML", "html")]
    assert items[0].text == TEXT and items[0].source.endswith("a.txt")


def test_directory_is_recursive_sorted_and_stable(tmp_path):
    (tmp_path / "z.txt").write_text(TEXT)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "2.txt").write_text(TEXT + " 2")
    (tmp_path / "a" / "1.htm").write_text(f"<p>{TEXT}</p>")
    (tmp_path / "a" / "image.png").write_bytes(b"\x89PNG\x00\x00")  # unknown kinds are skipped in directories
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text(TEXT)
    items, _ = _items(tmp_path)
    assert [d.id for d in items] == ["z.txt", "a/1.htm", "a/2.txt"]
    assert [d.id for d in _items(tmp_path)[0]] == [d.id for d in items]
    assert count_documents([str(tmp_path)]) == 3


def test_jsonl_records_and_line_errors(tmp_path):
    lines = [
        json.dumps({"id": "r1", "text": TEXT, "published": "2020-05-09", "url": "u", "title": "t", "outlet": "o"}),
        "{not json",
        "",
        json.dumps({"id": 7, "html": f"<p>{TEXT}</p>"}),
        json.dumps({"format": "html", "text": f"<p>{TEXT}</p>", "published": "2020-05-09T12:00:00Z"}),
        json.dumps(["a list"]),
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "bad-format", "format": "pdf", "text": TEXT}),
        json.dumps({"id": "bad-date", "text": TEXT, "published": "yesterday"}),
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items, notes = _items(path)
    kinds = _ids(items)
    assert kinds[0] == ("Document", "r1") and kinds[1] == ("Failure", "c.jsonl:2")
    assert kinds[2] == ("Document", "7") and items[2].format == "html"
    assert items[3].format == "html" and items[3].id.startswith("sha256:") and items[3].published == "2020-05-09"
    assert [k for k, _ in kinds[4:7]] == ["Failure"] * 3
    assert items[0].published == "2020-05-09" and items[0].outlet == "o" and items[0].url == "u"
    assert items[-1].published is None and notes and "yesterday" in notes[0][1]
    assert all(f.stage == "read" and f.reason.startswith("line ") for f in items if isinstance(f, Failure))
    assert count_documents([str(path)]) == len(lines)


def test_gzip_is_transparent(tmp_path):
    with gzip.open(tmp_path / "a.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write(TEXT)
    with gzip.open(tmp_path / "b.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "g1", "text": TEXT}) + "\n")
    (tmp_path / "broken.txt.gz").write_bytes(b"not gzip at all")
    items, _ = _items(tmp_path)
    assert _ids(items) == [("Document", "a.txt.gz"), ("Document", "g1"), ("Failure", "broken.txt.gz")]
    assert items[0].text == TEXT and "gzip" in items[2].reason


def test_published_default_fills_only_missing_dates(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "a", "text": TEXT, "published": "2020-01-01"}) + "\n"
                    + json.dumps({"id": "b", "text": TEXT}) + "\n")
    items, _ = _items(path, published="2017-06-19")
    assert [d.published for d in items] == ["2020-01-01", "2017-06-19"]


def test_stdin_text_html_and_jsonl(monkeypatch):
    def stdin(data: bytes):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))

    stdin(TEXT.encode())
    [doc] = read_paths(["-"])
    assert doc.id.startswith("sha256:") and doc.format == "text" and doc.source == "stdin"
    stdin(b"<!DOCTYPE html><html><body><p>x</p></body></html>")
    assert next(read_paths(["-"])).format == "html"
    stdin((json.dumps({"id": "s1", "text": TEXT}) + "\n").encode())
    assert next(read_paths(["-"])).id == "s1"


def test_unknown_extension_given_explicitly_is_sniffed(tmp_path):
    (tmp_path / "page.dat").write_text(f"<!doctype html><html><body><p>{TEXT}</p></body></html>")
    (tmp_path / "notes.md").write_text(TEXT)
    items, _ = _items(tmp_path / "page.dat", tmp_path / "notes.md")
    assert [d.format for d in items] == ["html", "text"]
    assert _items(tmp_path)[0] == []  # but a directory only yields known kinds


def test_missing_path_is_a_failure_not_a_crash(tmp_path):
    items, _ = _items(tmp_path / "nope.txt")
    assert isinstance(items[0], Failure) and items[0].reason == "no such file or directory"


@pytest.mark.parametrize(
    ("raw", "expected", "noted"),
    [
        (TEXT.encode("utf-8"), TEXT, False),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), TEXT, False),
        (TEXT.encode("utf-16"), TEXT, False),  # with BOM
        (TEXT.encode("utf-16-le"), TEXT, True),
        (TEXT.encode("utf-16-be"), TEXT, True),
        ("Café “quoted” text, déjà vu.".encode("cp1252"), "Café “quoted” text, déjà vu.", True),
        ("Truncated café".encode() + "é".encode()[:1], "Truncated café", True),
        (("Good “UTF-8” – déjà vu. " * 5).encode() + b"\xff", "Good “UTF-8” – déjà vu. " * 5 + "\ufffd", True),
    ],
)
def test_decode(raw, expected, noted):
    decoded = decode(raw)
    assert decoded.text == expected
    assert (decoded.note is not None) == noted


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (bytes(range(256)) * 4, "binary"),
        (bytes(range(1, 32)) * 50, "binary"),
    ],
)
def test_decode_rejects(raw, reason):
    with pytest.raises(InputError, match=reason):
        decode(raw)


def test_too_large_is_refused_without_reading(tmp_path):
    small = Settings(max_bytes=100)
    (tmp_path / "big.txt").write_text("word " * 100)
    with gzip.open(tmp_path / "big.txt.gz", "wt") as fh:
        fh.write("word " * 100)
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "huge", "text": "word " * 100}) + "\n" + json.dumps({"id": "ok", "text": TEXT})
                    + "\n")
    items = list(read_paths([str(tmp_path / "big.txt"), str(tmp_path / "big.txt.gz"), str(path)], small))
    assert all("too large" in i.reason for i in items[:3])
    assert items[3].id == "ok"


@given(st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufffd"), max_size=200))
def test_decode_round_trips_any_text(text):
    if not text.strip():
        return
    assert decode(text.encode("utf-8")).text == text
    assert decode(text.encode("utf-16")).text == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")).text == text
