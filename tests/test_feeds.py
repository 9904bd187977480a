"""RSS/Atom feeds: one document per entry, with title, link, date and outlet; broken feeds fail clearly."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from sitroom.feeds import fragment_text
from sitroom.model import Document
from sitroom.pipeline import Failure
from sitroom.sources import read_path

pytest.importorskip("feedparser", reason="feedparser is not installed (a sitroom dependency)")

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example Wire</title><link>https://wire.example/</link>
<item><title>Gunmen kill 7 in Maiduguri</title><link>https://wire.example/1</link>
<guid>wire-1</guid><pubDate>Tue, 02 May 2023 10:00:00 GMT</pubDate>
<description>Short teaser.</description>
<content:encoded><![CDATA[<p>Gunmen killed seven villagers near Maiduguri on Monday, police said.</p>
<p>Dozens of families fled to the city.<script>track()</script></p>]]></content:encoded></item>
<item><title>Floods in Sindh</title><link>https://wire.example/2</link>
<description>&lt;p&gt;More than 1,000 people were displaced by floods in Sindh province.&lt;/p&gt;</description>
</item></channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>
<entry><id>tag:desk,2023:9</id><title>Protest in Nairobi</title><link href="https://desk.example/9"/>
<updated>2023-07-07T08:00:00Z</updated>
<summary>Police arrested 20 protesters in Nairobi on Friday, according to the UN.</summary></entry></feed>"""


def test_rss_entries_become_documents(tmp_path: Path) -> None:
    path = tmp_path / "wire.xml"
    path.write_text(RSS, encoding="utf-8")
    docs = list(read_path(str(path)))
    assert [d.id for d in docs] == ["wire-1", "https://wire.example/2"]
    first = docs[0]
    assert isinstance(first, Document) and first.url == "https://wire.example/1"
    assert first.published == "2023-05-02" and first.outlet == "Example Wire"
    # The full content wins over the teaser; the title opens the text; scripts are dropped.
    assert first.text.startswith("Gunmen kill 7 in Maiduguri\n\nGunmen killed seven villagers")
    assert "track()" not in first.text and "Short teaser" not in first.text
    assert "displaced by floods in Sindh" in docs[1].text


def test_atom_and_gzip(tmp_path: Path) -> None:
    path = tmp_path / "desk.atom.gz"
    path.write_bytes(gzip.compress(ATOM.encode()))
    (doc,) = list(read_path(str(path)))
    assert doc.id == "tag:desk,2023:9" and doc.published == "2023-07-07" and doc.url == "https://desk.example/9"


def test_feed_entries_are_analysed(tmp_path: Path) -> None:
    import sitroom

    path = tmp_path / "wire.rss"
    path.write_text(RSS, encoding="utf-8")
    report = sitroom.analyze(next(iter(read_path(str(path)))))
    assert any(f.category == "killed" and f.best == 7 for f in report.figures)


def test_not_a_feed_is_a_clear_failure(tmp_path: Path) -> None:
    path = tmp_path / "notes.xml"
    path.write_text("<notes><note>hello</note></notes>", encoding="utf-8")
    (item,) = list(read_path(str(path)))
    assert isinstance(item, Failure) and "no feed entries" in item.reason


def test_fragment_text_keeps_paragraphs() -> None:
    assert fragment_text("<p>One &amp; two.</p><p>Three<br>four</p>") == "One & two.\n\nThree\n\nfour"
