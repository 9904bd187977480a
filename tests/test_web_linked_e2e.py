"""Linked events end to end in Debian's chromium: the Linked tab, one event's reports with their
differing tolls and the conflict between them, the link to a document, and the map overlay.

The store holds two outlets' reports of one Aleppo air strike (12 and 15 killed) and a report of
another strike, built without the pipeline (``tests.test_api_linked.linked_store``) and linked.
The browser fixtures are those of ``tests.test_web_e2e`` (same chromium, CSP and error checks);
this module's ``server`` fixture replaces theirs. Screenshots go to ``test-output/web/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests import test_web_e2e as e2e
from tests.test_api_linked import linked_store

pytestmark = pytest.mark.slow

# The browser fixtures, reused: they ask for ``server``, which resolves to the one below.
browser = e2e.browser
page = e2e.page


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    e2e._need_browser()
    yield from e2e.serve(linked_store(tmp_path_factory.mktemp("web-linked") / "linked.db"))


def test_linked_tab_shows_each_report_and_the_disagreement(page: Any, server: str) -> None:
    from playwright.sync_api import expect

    page.goto(server + "/#/map")
    page.evaluate("sessionStorage.clear()")
    page.reload()
    page.click('#nav a[data-page="linked"]')
    rows = page.locator("#linked-grid tbody tr")
    expect(rows).to_have_count(1)  # two sources at least, by default: the Aleppo strike only
    aleppo = rows.first
    expect(aleppo).to_contain_text("Aleppo")
    expect(aleppo).to_contain_text("Outlet One, Outlet Two")
    expect(aleppo).to_contain_text("12–15 (best 12)")
    aleppo.click()
    expect(page).to_have_url(re.compile(r"#/linked/link_"))
    reports = page.locator("#linked-reports .report")
    expect(reports).to_have_count(2)
    expect(reports.nth(0)).to_contain_text("Outlet One")
    expect(reports.nth(0)).to_contain_text("12 killed")
    expect(reports.nth(1)).to_contain_text("Outlet Two")
    expect(reports.nth(1)).to_contain_text("15 killed")
    # The toll that differs from the combined best is marked; the figure conflict names both sources.
    expect(reports.nth(1)).to_have_class(re.compile(r"\bdiffers\b"))
    expect(reports.nth(0)).not_to_have_class(re.compile(r"\bdiffers\b"))
    conflict = page.locator("#linked-detail .contradiction")
    expect(conflict).to_have_count(1)
    expect(conflict).to_contain_text("Outlet One")
    expect(conflict).to_contain_text("Outlet Two")
    e2e._shot(page, "11-linked")
    # One source is enough: the other strike shows too.
    page.select_option("#linked-min", "1")
    expect(rows).to_have_count(2)
    page.select_option("#linked-min", "2")
    expect(rows).to_have_count(1)
    # The shared date filter applies: April holds only the other strike.
    page.fill("#f-since", "2021-04-01")
    expect(page.locator("#linked-info")).to_contain_text("no linked events")
    page.fill("#f-since", "")
    expect(rows).to_have_count(1)
    reports.nth(1).locator("a.doc-link").click()
    expect(page).to_have_url(re.compile(r"#/doc/doc-2\?hl=e1"))
    expect(page.locator("#doc-text")).to_contain_text("15 civilians dead")
    expect(page.locator('#doc-text .hl-event[data-id="e1"]')).to_have_class(re.compile(r"\bfocus\b"))
    page.go_back()
    expect(reports).to_have_count(2)  # the address reopens the event
    assert page.errors == []


def test_map_overlay_rings_open_the_linked_event(page: Any, server: str) -> None:
    from playwright.sync_api import expect

    page.goto(server + "/#/map")
    page.evaluate("sessionStorage.clear()")
    page.reload()
    expect(page.locator(".leaflet-linked-pane path.linked-ring")).to_have_count(0)
    page.locator(".leaflet-control-layers label", has_text="Linked events").click()
    ring = page.locator(".leaflet-linked-pane path.linked-ring")
    expect(ring).to_have_count(1)
    expect(page.locator("#status")).to_contain_text("1 linked event")
    e2e._shot(page, "12-linked-map")
    # The fact marker under the ring's middle still opens its facts.
    page.locator('.cell[title^="Aleppo"]').click()
    expect(page.locator("#detail .fact").first).to_be_visible()
    ring.click(position=_on_stroke(ring))
    expect(page).to_have_url(re.compile(r"#/linked/link_"))
    expect(page.locator("#linked-reports .report")).to_have_count(2)
    assert page.errors == []


def _on_stroke(ring: Any) -> dict[str, float]:
    """A point on the ring's stroke (its middle is left to the fact marker under it)."""
    box = ring.bounding_box()
    return {"x": box["width"] / 2, "y": 2}
