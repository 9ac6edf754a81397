"""Comparing Areas from the Areas overview and from an Area page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_compare_from_the_overview_and_from_an_area(page: Page, live_server):
    page.goto("/areas")
    chooser = page.locator("#compare form.area-chooser")
    chooser.get_by_label("Wessex").check()
    chooser.get_by_label("London North").check()
    chooser.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(re.compile(r"/compare\?area=london-north&area=wessex$"))
    expect(page.locator("h1")).to_have_text("Compare London North and Wessex")
    body = live_server.api("/api/compare?area=london-north&area=wessex")
    differing = sum(c["differs"] for t in body["scores"] for c in t["criteria"])
    expect(page.locator("tr.differs")).to_have_count(differing)
    expect(page.locator(".compare-theme")).to_have_count(len(body["themes"]))

    page.goto("/areas/wessex")
    page.get_by_label("Compare Wessex with").select_option(label="Cymru-Wales")
    page.locator("form.compare-with").get_by_role("button", name="Compare").click()
    expect(page).to_have_url(re.compile(r"/compare\?area=wessex&area=cymru-wales$"))
    expect(page.locator("h1")).to_have_text("Compare Wessex and Cymru-Wales")
