"""What a person does in the browser, in headless Chromium against a live server."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

QUERY = "case"
AREAS = ("london-north", "london-south")
THEME = "case-progression"


def params(page: Page) -> list[tuple[str, str]]:
    """Return the query parameters of the page's current URL (the plain form also sends the default sort)."""
    return [kv for kv in parse_qsl(urlsplit(page.url).query) if kv != ("sort", "relevance")]


def count_text(live_server, query: str, page_number: int = 1) -> str:
    """Return the result count the search page should announce, from the JSON API."""
    body = live_server.api(f"/api/search?{query}&page={page_number}")
    first = (page_number - 1) * 10 + 1
    last = first + len(body["results"]) - 1
    return f"{first}–{last} of {body['total']} results for “{body['query']}”"


def checkbox(page: Page, facet: str, value: str):
    return page.locator(f"input[name='{facet}'][value='{value}']")


def test_search_filter_chips_paging_and_back_button(page: Page, live_server):
    page.goto("/")
    page.fill("#q", QUERY)  # no submit: the results follow the typing
    expect(page).to_have_url(re.compile(rf"/\?q={QUERY}$"))
    status = page.locator("#result-count")
    expect(status).to_have_text(count_text(live_server, f"q={QUERY}"))
    # The suggestions lie over the page while the box has focus; Escape puts them away.
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#q")).to_have_value(QUERY)

    for area in AREAS:
        checkbox(page, "area", area).check()
        expect(page).to_have_url(re.compile(f"area={area}"))
    checkbox(page, "theme", THEME).check()
    expect(page).to_have_url(re.compile(f"theme={THEME}"))
    selected = f"q={QUERY}&area={AREAS[0]}&area={AREAS[1]}&theme={THEME}"
    assert sorted(params(page)) == sorted(parse_qsl(selected))
    expect(status).to_have_text(count_text(live_server, selected))
    expect(page.locator(".chips a.chip")).to_have_count(3)
    assert checkbox(page, "theme", THEME).is_checked()

    page.get_by_role("link", name="Remove filter Theme: Case progression and grip").click()
    expect(page.locator(".chips a.chip")).to_have_count(2)
    expect(page).not_to_have_url(re.compile("theme="))
    unfiltered = f"q={QUERY}&area={AREAS[0]}&area={AREAS[1]}"
    expect(status).to_have_text(count_text(live_server, unfiltered))
    assert not checkbox(page, "theme", THEME).is_checked()

    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile("page=2"))
    expect(status).to_have_text(count_text(live_server, unfiltered, 2))
    expect(page.locator("ol.result-list")).to_have_attribute("start", "11")

    page.go_back()  # the back button returns to page 1, then to the theme filter
    expect(status).to_have_text(count_text(live_server, unfiltered))
    page.go_back()
    expect(status).to_have_text(count_text(live_server, selected))
    assert checkbox(page, "theme", THEME).is_checked()


def test_keyboard_ticking_keeps_focus(page: Page):
    page.goto(f"/?q={QUERY}")
    box = checkbox(page, "area", AREAS[0])
    box.focus()
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(f"area={AREAS[0]}"))
    expect(checkbox(page, "area", AREAS[0])).to_be_focused()
    expect(checkbox(page, "area", AREAS[0])).to_be_checked()


def test_open_entry_follow_related_and_open_area_page(page: Page, live_server):
    page.goto("/?q=disclosure+record+sheets&kind=issue")
    first = page.locator("li.result h3 a").first
    title = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(title)
    entry_id = page.url.rsplit("/", 1)[1]
    entry = live_server.api(f"/api/entries/{entry_id}")
    expect(page.locator("#citation")).to_have_text(entry["citation"])
    expect(page.get_by_role("button", name="Copy citation")).to_be_visible()

    related = page.locator("section.related li.result h3 a").first
    related_id = entry["related"][0]["id"]
    expect(related).to_have_attribute("href", f"/entries/{related_id}")
    related.click()
    expect(page).to_have_url(re.compile(f"/entries/{related_id}$"))
    other = live_server.api(f"/api/entries/{related_id}")
    assert not set(other["areas"]) & set(entry["areas"])  # related entries come from other Areas

    area = other["areas"][0]
    page.locator(f"a[href='/areas/{area}']").first.click()
    expect(page).to_have_url(re.compile(f"/areas/{area}$"))
    name = live_server.api(f"/api/areas/{area}")["name"]
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator("table.scores")).to_be_visible()
    expect(page.locator(f"a[href='/entries/{related_id}']").first).to_be_visible()


def test_same_search_without_javascript(page_without_js: Page, live_server):
    page = page_without_js
    page.goto("/")
    page.fill("#q", QUERY)
    page.get_by_role("button", name="Search", exact=True).click()
    assert params(page) == [("q", QUERY)]
    for area in AREAS:
        checkbox(page, "area", area).check()
    checkbox(page, "theme", THEME).check()
    page.get_by_role("button", name="Apply filters").click()
    selected = f"q={QUERY}&area={AREAS[0]}&area={AREAS[1]}&theme={THEME}"
    assert sorted(params(page)) == sorted(parse_qsl(selected))
    expect(page.locator("#result-count")).to_have_text(count_text(live_server, selected))

    page.get_by_role("link", name="Remove filter Theme: Case progression and grip").click()
    unfiltered = f"q={QUERY}&area={AREAS[0]}&area={AREAS[1]}"
    assert sorted(params(page)) == sorted(parse_qsl(unfiltered))
    page.get_by_role("link", name="Next page").click()
    expect(page.locator("#result-count")).to_have_text(count_text(live_server, unfiltered, 2))

    page.locator("li.result h3 a").first.click()
    expect(page.locator("#citation")).to_be_visible()
    expect(page.get_by_role("button", name="Copy citation")).to_be_hidden()  # needs JavaScript


def test_phone_layout_does_not_scroll_sideways(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    for url in (
        f"/?q={QUERY}&area={AREAS[0]}&theme={THEME}",
        "/entries/para-4.10",
        "/areas",
        "/areas/wessex",
    ):
        page.goto(url)
        width = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert width[0] <= width[1], (url, width)
    page.goto(f"/?q={QUERY}&area={AREAS[0]}")
    # On a phone the results come first; the filters open from a button naming how many are chosen.
    expect(page.locator(".chips a.chip")).to_have_count(1)
    expect(page.get_by_role("button", name="Filters (1 chosen)")).to_have_attribute("href", "#filters")
    expect(page.locator("details#facet-area")).to_be_hidden()
    context.close()


def test_a_question_about_ratings_is_answered_above_the_results(page: Page, live_server):
    page.goto("/")
    page.fill("#q", "which areas were rated poor for communication with victims")
    expect(page).to_have_url(re.compile(r"/\?q=which\+areas"))  # the results follow the typing
    page.keyboard.press("Escape")
    answer = page.locator("section.answer")
    expect(answer.locator(".answer-text")).to_have_text(
        "3 Areas were rated Poor for D1 Communication with victims: East Midlands, Thames and Chiltern, Wessex."
    )
    body = live_server.api("/api/search?q=which+areas+were+rated+poor+for+communication+with+victims")
    expect(answer.locator("tbody tr")).to_have_count(len(body["answer"]["ratings"]))
    answer.get_by_role("link", name="East Midlands", exact=True).click()
    expect(page).to_have_url(re.compile("/areas/east-midlands$"))


def test_a_named_area_scopes_the_results_and_one_link_widens_them(page: Page):
    page.goto("/?q=wessex+disclosure")
    expect(page.locator("p.scope")).to_contain_text("Showing entries about Wessex only")
    expect(page.locator("ol.result-list .result")).not_to_have_count(0)
    page.get_by_role("link", name="Search every Area for “disclosure”").click()
    expect(page).to_have_url(re.compile(r"/\?q=disclosure$"))
    expect(page.locator("p.scope")).to_have_count(0)
