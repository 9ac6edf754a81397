"""Every page checked by axe-core at WCAG 2.2 AA (and axe's best practices), and for layout shifts
on a phone while it loads."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/?q=case&area=london-north&theme=case-progression",
    "/?q=comunity+engagment",
    "/?q=xylophone",
    "/?q=which+areas+were+rated+poor+for+communication+with+victims",
    "/?q=wessex+disclosure",
    "/?q=victim+latter",
    "/?q=victim+letters+in+leeds",
    "/?q=wessex+bicycles",
    "/entries/para-4.10",
    "/entries/issue-wessex-4?q=unused+material&area=wessex",
    "/entries/good-practice-east-of-england-1",
    "/entries/rating-c-wessex",
    "/areas",
    "/areas/wessex",
    "/areas/cymru-wales",
    "/compare",
    "/compare?area=wessex&area=london-north&area=cymru-wales",
    "/themes",
    "/glossary",
    "/ratings",
    "/ratings?criterion=C1&criterion=D1&rating=Poor&sort=-C1",
    "/api",
    "/entries/nope",
    "/compare?area=wessex",
]
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
# Lighthouse's "good" limit for cumulative layout shift.
MAX_CLS = 0.1
PHONE = {
    "viewport": {"width": 412, "height": 823},
    "device_scale_factor": 1.75,
    "is_mobile": True,
    "has_touch": True,
}
LAYOUT_SHIFTS = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.fixture()
def any_page(browser, live_server):
    """A desktop-sized page that may be an error page (the `page` fixture fails on those)."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def violations(results) -> list[str]:
    """Return each violation as "rule: where", for a readable failure."""
    return [
        f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("url", PAGES)
def test_axe_finds_nothing(any_page, axe, url):
    any_page.goto(url)
    assert violations(axe.run(any_page, options=AXE_OPTIONS)) == [], url


def test_axe_finds_nothing_with_the_suggestions_open(page, axe):
    page.goto("/")
    page.locator("#q").press_sequentially("victim", delay=20)
    page.get_by_role("listbox").wait_for()
    page.keyboard.press("ArrowDown")
    assert violations(axe.run(page, options=AXE_OPTIONS)) == []


@pytest.mark.parametrize("url", ["/?q=case&area=london-north", "/areas", "/ratings", "/api"])
def test_axe_finds_nothing_on_a_phone(browser, live_server, axe, url):
    context = browser.new_context(base_url=live_server.url, **PHONE)
    page = context.new_page()
    page.goto(url)
    if url.startswith("/?"):
        page.get_by_role("button", name="Filters").click()  # the filters panel, open
        expect(page.locator("#filters")).to_be_visible()
    found = violations(axe.run(page, options=AXE_OPTIONS))
    context.close()
    assert found == [], url


@pytest.mark.parametrize("url", PAGES[:-2])
def test_no_layout_shift_on_a_phone(browser, live_server, url):
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.add_init_script(LAYOUT_SHIFTS)
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_timeout(500)  # shifts after load (scripts folding filters, say) count too
    cls = page.evaluate("window.__cls")
    context.close()
    assert cls < MAX_CLS, (url, cls)


def test_results_come_before_the_filters_on_a_phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, **PHONE)
    page = context.new_page()
    page.goto("/?q=case&area=london-north")
    # Results first in the page, so hiding the filters behind their button after load moves nothing.
    assert page.evaluate(
        "document.getElementById('results').compareDocumentPosition(document.getElementById('filters')) & 4"
    )
    expect(page.locator("#results")).to_be_in_viewport()
    context.close()
