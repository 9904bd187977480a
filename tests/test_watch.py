"""`sitroom watch`: feeds fetched from a local server only (127.0.0.1), with the network guards."""

from __future__ import annotations

import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitroom.cli import app
from sitroom.watch import FetchError, Limits, check_url, fetch, parse_interval

from .test_feeds import RSS

runner = CliRunner()
PAGES = {
    "/feed.xml": (200, "application/rss+xml", RSS.encode()),
    "/big": (200, "text/html", b"x" * 5000),
    "/loop": (302, "text/html", b""),
    "/moved": (301, "text/html", b""),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        status, ctype, body = PAGES.get(self.path, (404, "text/plain", b"missing"))
        self.send_response(status)
        if self.path == "/loop":
            self.send_header("Location", "/loop")
        if self.path == "/moved":
            self.send_header("Location", "/feed.xml")
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_watch_stores_entries_once_across_rounds_and_restarts(server: str, tmp_path: Path) -> None:
    db = tmp_path / "watch.db"
    args = ["watch", f"{server}/moved", "--db", str(db), "--allow-private", "--rounds", "2", "--every", "0.1s"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "round 1: stored 2" in first.stderr and "round 2: stored 0, already seen 2" in first.stderr
    again = runner.invoke(app, args[:-4] + ["--rounds", "1"])  # a restarted watcher remembers
    assert "round 1: stored 0, already seen 2" in again.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    assert (tmp_path / "watch.db.watch.json").is_file()


def test_private_addresses_need_allow_private(server: str) -> None:
    with pytest.raises(FetchError, match="non-public address"):
        check_url(f"{server}/feed.xml", Limits())
    check_url(f"{server}/feed.xml", Limits(allow_private=True))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://h/", "http:///nohost"])
def test_only_http_urls(url: str) -> None:
    with pytest.raises(FetchError):
        check_url(url, Limits(allow_private=True))


def test_size_and_redirect_limits(server: str) -> None:
    with pytest.raises(FetchError, match="larger than"):
        fetch(f"{server}/big", Limits(allow_private=True, max_bytes=1000))
    with pytest.raises(FetchError, match="redirects"):
        fetch(f"{server}/loop", Limits(allow_private=True, max_redirects=3))
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(f"{server}/nothing", Limits(allow_private=True))
    final, body, _ = fetch(f"{server}/moved", Limits(allow_private=True))
    assert final.endswith("/feed.xml") and body.startswith(b"<?xml")


def test_unreachable_url_is_a_reason_not_a_crash(tmp_path: Path) -> None:
    result = runner.invoke(app, ["watch", "http://127.0.0.1:9/feed", "--db", str(tmp_path / "w.db"),
                                 "--allow-private", "--rounds", "1", "--timeout", "2"])
    assert result.exit_code == 0 and "cannot fetch" in result.stderr


def test_intervals() -> None:
    assert parse_interval("15m") == 900 and parse_interval("1h") == 3600 and parse_interval("30") == 30
    with pytest.raises(ValueError):
        parse_interval("soon")
