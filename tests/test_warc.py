"""WARC/ARC input: only HTML 200 responses are analysed, others counted, truncation reported."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest

from sitroom.model import Document
from sitroom.pipeline import Failure
from sitroom.sources import read_path

warcio = pytest.importorskip("warcio", reason="warcio is not installed (a sitroom dependency)")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

ARTICLE = """<html><head><title>Market attack in Goma</title></head><body>
<nav>Home | World | Africa</nav>
<article><h1>Market attack in Goma</h1>
<p>Gunmen attacked a crowded market in Goma on Monday, killing at least 12 civilians and wounding
dozens of others, local officials said on Tuesday.</p>
<p>The attackers fled into the hills north of the city before soldiers arrived, a police spokesman
told reporters. Residents said the market had been closed for two days after the attack.</p>
<p>“We heard gunfire for an hour,” said Jean Mbala, a trader who escaped with his two children.</p>
</article><footer>Copyright 2023</footer></body></html>"""


def _response(writer: WARCWriter, uri: str, status: str, ctype: str, body: bytes) -> None:
    http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=http))


def make_warc(path: Path, gzip: bool) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        writer.write_record(writer.create_warc_record("https://news.example/a", "request",
                                                      payload=BytesIO(b"GET /a HTTP/1.1\r\n\r\n")))
        _response(writer, "https://news.example/a", "200 OK", "text/html; charset=utf-8", ARTICLE.encode())
        _response(writer, "https://news.example/missing", "404 Not Found", "text/html", b"<html>gone</html>")
        _response(writer, "https://news.example/moved", "301 Moved Permanently", "text/html", b"")
        _response(writer, "https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n")
        _response(writer, "https://news.example/b", "200 OK", "text/html", ARTICLE.replace("Goma", "Beni").encode())


@pytest.mark.parametrize("gzip", [False, True])
def test_only_html_200_responses_become_documents(tmp_path: Path, gzip: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    make_warc(path, gzip)
    notes: list[tuple[str, str]] = []
    items = list(read_path(str(path), on_note=lambda i, m: notes.append((i, m))))
    assert [type(i) for i in items] == [Document, Document]
    assert [d.url for d in items] == ["https://news.example/a", "https://news.example/b"]
    assert all(d.format == "html" and "Goma" in items[0].text for d in items)
    summary = notes[-1][1]
    assert "2 HTML pages analysed" in summary and "status 404 skipped" in summary
    assert "status 301 skipped" in summary and "non-HTML responses skipped" in summary
    assert "request records skipped" in summary


def test_warc_documents_are_analysed(tmp_path: Path) -> None:
    import sitroom

    path = tmp_path / "crawl.warc.gz"
    make_warc(path, gzip=True)
    doc = next(i for i in read_path(str(path)) if isinstance(i, Document))
    report = sitroom.analyze(doc)
    assert any(f.category == "killed" and f.low == 12 for f in report.figures)  # "at least 12"
    assert report.document.url == "https://news.example/a"


def test_truncated_record_is_a_clear_failure(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    make_warc(whole, gzip=True)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 200])  # the last record loses its end
    items = list(read_path(str(cut)))
    docs = [i for i in items if isinstance(i, Document)]
    failures = [i for i in items if isinstance(i, Failure)]
    assert len(docs) == 1 and len(failures) == 1
    assert "truncated or corrupt archive record" in failures[0].reason


def test_uncompressed_truncated_record(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc"
    make_warc(whole, gzip=False)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole.read_bytes()[:-150])
    items = list(read_path(str(cut)))  # must not raise
    assert [i.url for i in items if isinstance(i, Document)][0] == "https://news.example/a"


def _cc_response(writer: WARCWriter, uri: str, body: bytes, http_headers: list[tuple[str, str]],
                 extra: dict[str, str] | None = None) -> None:
    """A response record shaped as Common Crawl (CC-NEWS) writes them: the payload stored decoded,
    the original encodings kept as X-Crawler-* headers, the detected type and, for pages over the
    crawler's limit, WARC-Truncated."""
    http = StatusAndHeaders("200 OK", http_headers, protocol="HTTP/1.1")
    headers = {"WARC-Identified-Payload-Type": "text/html", "WARC-IP-Address": "192.0.2.7", **(extra or {})}
    record = writer.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=http,
                                       warc_headers_dict=headers)
    writer.write_record(record)
    meta = writer.create_warc_record(uri, "metadata", payload=BytesIO(b"fetchTimeMs: 212\r\n"),
                                     warc_content_type="application/warc-fields")
    writer.write_record(meta)


def test_common_crawl_news_shaped_archive(tmp_path: Path) -> None:
    path = tmp_path / "CC-NEWS-20230502101010-00001.warc.gz"
    latin = ARTICLE.replace("Jean Mbala", "José Mbala").replace("“", "\"").replace("”", "\"").encode("iso-8859-1")
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="WARC/1.0")
        writer.write_record(writer.create_warcinfo_record("CC-NEWS-20230502101010-00001.warc.gz", {
            "software": "StormCrawler 1.18", "format": "WARC File Format 1.0", "operator": "Common Crawl"}))
        request = BytesIO(b"GET /a HTTP/1.1\r\nHost: news.example\r\n\r\n")
        writer.write_record(writer.create_warc_record("https://news.example/a", "request", payload=request))
        _cc_response(writer, "https://news.example/a", ARTICLE.encode(),
                     [("Content-Type", "text/html; charset=UTF-8"), ("X-Crawler-Content-Encoding", "gzip"),
                      ("X-Crawler-Transfer-Encoding", "chunked")])
        _cc_response(writer, "https://news.example/fr", latin, [("Content-Type", "text/html; charset=ISO-8859-1")])
        _cc_response(writer, "https://news.example/long", ARTICLE.encode()[:700],
                     [("Content-Type", "text/html")], {"WARC-Truncated": "length"})
    notes: list[tuple[str, str]] = []
    docs = list(read_path(str(path), on_note=lambda i, m: notes.append((i, m))))
    assert [d.url for d in docs] == ["https://news.example/a", "https://news.example/fr", "https://news.example/long"]
    assert "José Mbala" in docs[1].text  # the declared charset decodes the page
    summary = notes[-1][1]
    assert "3 HTML pages analysed" in summary and "3 metadata records skipped" in summary
    assert "1 warcinfo records skipped" in summary and "1 cut by the crawler (analysed as stored)" in summary
