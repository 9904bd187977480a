"""``sitroom watch URL... --every 15m``: the only networked command.

Each round fetches every URL (an RSS/Atom feed: its entries; an HTML page: the page) and stores
what it has not seen before. Fetching is defensive: http(s) only, a timeout per request, a size
limit on every body, at most a few redirects (each hop checked again), and no private, loopback,
link-local or reserved addresses unless ``--allow-private`` (so a feed cannot make the watcher
probe the local network). What was seen is remembered in ``DB.watch.json`` (entry ids per URL,
bounded) and, for content, by the store's content hash: restarting the watcher adds nothing twice.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from . import __version__
from .feeds import looks_like_feed, read_feed
from .model import Document, Report
from .parallel import analyse_one
from .pipeline import Failure

Say = Callable[[str], None]
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_SEEN_PER_URL = 5000  # entry ids remembered per URL (feeds show their latest few dozen)


class FetchError(Exception):
    """A URL that could not be fetched safely; the message is the reason."""


@dataclass(frozen=True, slots=True)
class Limits:
    timeout: float = 20.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False


def parse_interval(text: str) -> float:
    """'15m', '1h', '30s', '2d' or plain seconds."""
    match = _INTERVAL.match(text)
    if not match:
        raise ValueError(f"unreadable interval {text!r} (e.g. 30s, 15m, 1h)")
    seconds = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if seconds <= 0:
        raise ValueError("the interval must be positive")
    return seconds


def check_url(url: str, limits: Limits) -> None:
    """Refuse other schemes and (unless allowed) hosts that resolve to non-public addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http(s) URLs are fetched, not {parts.scheme or 'no scheme'!r}")
    if not parts.hostname:
        raise FetchError("no host in URL")
    if limits.allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {parts.hostname}: {exc.strerror}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise FetchError(f"{parts.hostname} resolves to a non-public address ({address}); "
                             "use --allow-private to watch it")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - urllib's signature
        return None  # redirects are followed by ``fetch`` itself, each hop checked


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, limits: Limits) -> tuple[str, bytes, str]:
    """(final URL, body, content type) of a GET, within the limits."""
    for _ in range(limits.max_redirects + 1):
        check_url(url, limits)
        request = urllib.request.Request(url, headers={"User-Agent": f"sitroom/{__version__} (+watch)"})
        try:
            with _OPENER.open(request, timeout=limits.timeout) as response:
                body = response.read(limits.max_bytes + 1)
                ctype = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            location = exc.headers.get("Location") if exc.code in (301, 302, 303, 307, 308) else None
            if location:
                url = urljoin(url, location)
                continue
            raise FetchError(f"HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise FetchError(f"cannot fetch: {getattr(exc, 'reason', exc)}") from None
        if len(body) > limits.max_bytes:
            raise FetchError(f"response larger than {limits.max_bytes:,} bytes")
        return url, body, ctype
    raise FetchError(f"more than {limits.max_redirects} redirects")


class Seen:
    """Entry ids seen per watched URL, in a small JSON file beside the store."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.data: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}

    def has(self, url: str, key: str) -> bool:
        return key in self.data.get(url, ())

    def add(self, url: str, key: str) -> None:
        keys = self.data.setdefault(url, [])
        keys.append(key)
        del keys[:-_SEEN_PER_URL]

    def save(self) -> None:
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        tmp.write_text(json.dumps(self.data), encoding="utf-8")
        tmp.replace(self.path)  # atomic: a killed watcher never leaves half a file


def documents(url: str, limits: Limits) -> list[Document | Failure]:
    final, body, ctype = fetch(url, limits)
    if looks_like_feed(body) or "xml" in ctype.lower() and "html" not in ctype.lower():
        return list(read_feed(body, url, url))
    text = body.decode(_charset(ctype), errors="replace")
    return [Document(id=final, text=text, format="html", source=url, url=final)]


def _charset(ctype: str) -> str:
    match = re.search(r"charset=[\"']?([\w.-]+)", ctype, re.I)
    return match.group(1) if match and _known(match.group(1)) else "utf-8"


def _known(codec: str) -> bool:
    import codecs

    try:
        codecs.lookup(codec)
    except LookupError:
        return False
    return True


def watch_once(urls: list[str], db: Path, limits: Limits, say: Say) -> dict[str, int]:
    """One round over every URL; returns counts (stored, seen, failed)."""
    from .store import Store

    seen = Seen(db.with_name(db.name + ".watch.json"))
    counts = {"stored": 0, "seen": 0, "failed": 0}
    with Store(db) as store:
        for url in urls:
            try:
                items = documents(url, limits)
            except FetchError as exc:
                counts["failed"] += 1
                say(f"{url}: {exc}")
                continue
            for item in items:
                _store_item(store, seen, url, item, counts, say)
            seen.save()
    return counts


def _store_item(store, seen: Seen, url: str, item: Document | Failure, counts: dict[str, int], say: Say) -> None:
    if isinstance(item, Failure):
        counts["failed"] += 1
        say(f"{item.document.id}: {item.reason}")
        return
    if seen.has(url, item.id) or store.has(item.content_hash):
        counts["seen"] += 1
        if not seen.has(url, item.id):
            seen.add(url, item.id)
        return
    result = analyse_one(item)
    if isinstance(result, Report):
        store.add(result, item.content_hash)
        counts["stored"] += 1
    else:
        store.add_failure(result)
        counts["failed"] += 1
        say(f"{item.id}: {result.reason}")
    seen.add(url, item.id)


def watch(urls: list[str], db: Path, every: float, limits: Limits, say: Say, rounds: int | None = None) -> None:
    """Watch until interrupted (or for ``rounds`` rounds); each round waits ``every`` seconds after the last."""
    done = 0
    while rounds is None or done < rounds:
        started = time.monotonic()
        counts = watch_once(urls, db, limits, say)
        say(f"round {done + 1}: stored {counts['stored']}, already seen {counts['seen']}, failed {counts['failed']}")
        done += 1
        if rounds is not None and done >= rounds:
            return
        time.sleep(max(0.0, every - (time.monotonic() - started)))
