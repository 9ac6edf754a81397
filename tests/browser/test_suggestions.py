"""Suggestions in the search box, used with the keyboard as the ARIA combobox pattern says."""

from __future__ import annotations

import re
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_suggestions_with_the_keyboard(page: Page, live_server):
    expected = [s["text"] for s in live_server.api("/api/suggest?q=victim+li")["suggestions"]]
    assert len(expected) >= 2
    page.goto("/")
    box = page.get_by_role("combobox", name="Words to search for")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("victim li", delay=20)
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", "q-suggestions")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(len(expected))
    expect(page.get_by_role("status").filter(has_text="suggestion")).to_have_text(
        f"{len(expected)} suggestions: use the up and down arrows to choose."
    )

    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "q-option-0")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "q-option-1")
    box.press("ArrowUp")
    box.press("ArrowUp")  # wraps round to the last
    expect(box).to_have_attribute("aria-activedescendant", f"q-option-{len(expected) - 1}")
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))
    expect(box).to_have_value("victim li")  # Escape closes the list and keeps what was typed

    box.press("ArrowDown")  # opens again on the first
    expect(box).to_have_attribute("aria-activedescendant", "q-option-0")
    box.press("Enter")
    expect(box).to_have_value(expected[0])
    expect(box).to_be_focused()
    expect(page).to_have_url(re.compile(rf"/\?q={re.escape(quote_plus(expected[0]))}$"))
    total = live_server.api(f"/api/search?q={quote_plus(expected[0])}")["total"]
    expect(page.locator("#result-count")).to_contain_text(f"of {total} results for “{expected[0]}”")
    expect(listbox).to_be_hidden()


def test_a_suggestion_can_be_clicked(page: Page):
    page.goto("/")
    box = page.locator("#q")
    box.press_sequentially("iqa", delay=20)
    page.get_by_role("option").filter(has_text="IQA").first.click()
    expect(box).to_have_value("IQA")
    expect(page).to_have_url(re.compile(r"/\?q=IQA$"))
