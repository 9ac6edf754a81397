"""An entry opened from a search: its words highlighted, and the way back to the same results."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_highlights_and_back_to_results(page: Page, live_server):
    page.goto("/")
    page.fill("#q", "unused material")
    page.locator("input[name='area'][value='wessex']").check()
    expect(page).to_have_url(re.compile(r"area=wessex"))
    total = live_server.api("/api/search?q=unused+material&area=wessex")["total"]
    count = f"1–{total} of {total} result{'s' if total > 1 else ''} for “unused material”"
    expect(page.locator("#result-count")).to_have_text(count)
    page.locator("li.result h3 a").first.click()
    # The result link carries the search and its rank there (a click, for the analytics).
    expect(page).to_have_url(re.compile(r"/entries/issue-wessex-4\?q=unused\+material&area=wessex&rank=1$"))
    expect(page.locator(".entry-text mark")).to_have_text(["unused", "material"])
    expect(page.locator(".highlight-note")).to_be_visible()

    page.get_by_role("link", name="‹ Back to results for “unused material”").click()
    expect(page).to_have_url(re.compile(r"/\?q=unused\+material&area=wessex$"))
    expect(page.locator("#q")).to_have_value("unused material")
    expect(page.locator("input[name='area'][value='wessex']")).to_be_checked()
    expect(page.locator("#result-count")).to_have_text(count)
