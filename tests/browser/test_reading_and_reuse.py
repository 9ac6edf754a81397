"""What readers who cite and reuse the findings do: pages that fit any screen, filters they can
reach, downloads that open well, the ratings as data, the API page, forms that keep choices."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

WIDTHS = (320, 390, 768, 1280, 1920)
# One of every kind of page, the widest of each.
PAGE_KINDS = (
    "/",
    "/?q=case&area=london-north&theme=case-progression",
    "/?q=which+areas+were+rated+poor+for+communication+with+victims",
    "/?q=xylophone",
    "/entries/para-1.20",
    "/entries/rating-c-wessex",
    "/entries/table-2",
    "/entries/finding-code-compliance-3",
    "/areas",
    "/areas/yorkshire-and-humberside",
    "/compare",
    "/compare?area=yorkshire-and-humberside&area=thames-and-chiltern&area=east-of-england&area=wessex",
    "/compare?area=wessex",
    "/ratings",
    "/ratings?criterion=C1&rating=Poor",
    "/themes",
    "/glossary",
    "/api",
    "/entries/nope",
)
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def page_width(page: Page) -> tuple[int, int]:
    return tuple(
        page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_the_window(browser, live_server, width):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    wide = []
    for url in PAGE_KINDS:
        page.goto(url)
        scroll, client = page_width(page)
        if scroll > client:
            wide.append((url, scroll, client))
    context.close()
    assert wide == []


def test_the_ratings_grid_shows_every_column_at_1280(page: Page):
    page.goto("/areas")
    frame = page.locator("#ratings .table-scroll")
    scroll, client = frame.evaluate("f => [f.scrollWidth, f.clientWidth]")
    assert scroll <= client
    expect(page.locator(".ratings-matrix thead th", has_text="D").last).to_be_in_viewport()


def test_on_a_phone_row_labels_stay_narrow_and_in_view(browser, live_server):
    context = browser.new_context(base_url=live_server.url, **PHONE)
    page = context.new_page()
    page.goto("/areas")
    frame = page.locator("#ratings .table-scroll")
    label = page.locator(".ratings-matrix tbody th").first
    assert label.bounding_box()["width"] <= 130  # was ~245 px: two ratings in view
    frame.evaluate("f => f.scrollLeft = 400")
    assert abs(label.bounding_box()["x"] - frame.bounding_box()["x"]) < 2  # pinned while scrolling
    visible = page.evaluate(
        """() => { const f = document.querySelector('#ratings .table-scroll').getBoundingClientRect();
        return [...document.querySelectorAll('.ratings-matrix tbody tr:first-child td')].filter(
            c => { const r = c.getBoundingClientRect(); return r.left >= f.left && r.right <= f.right; }).length; }"""
    )
    assert visible >= 4
    context.close()


WIDE_TABLES = (
    "/areas",
    "/ratings",
    "/compare?area=yorkshire-and-humberside&area=thames-and-chiltern&area=east-of-england&area=wessex",
    "/themes",
    "/api",
    "/entries/table-2",
)


@pytest.mark.parametrize("url", WIDE_TABLES)
def test_on_a_phone_every_wide_table_keeps_its_row_labels_in_view(browser, live_server, url):
    context = browser.new_context(base_url=live_server.url, **PHONE)
    page = context.new_page()
    page.goto(url)
    frames = page.locator(".table-scroll:has(tbody th[scope=row])")
    wide = 0
    for n in range(frames.count()):
        frame = frames.nth(n)
        scroll, client = frame.evaluate("f => [f.scrollWidth, f.clientWidth]")
        if scroll <= client:
            continue
        wide += 1
        label = frame.locator("tbody th[scope=row]").first
        label.scroll_into_view_if_needed()
        assert label.bounding_box()["width"] <= 130, url
        frame.evaluate("f => f.scrollLeft = f.scrollWidth")
        assert abs(label.bounding_box()["x"] - frame.bounding_box()["x"]) < 2, url  # pinned
    context.close()
    assert wide, f"{url}: no table wider than a phone, so nothing was checked"


# -- filters -----------------------------------------------------------------------------


def test_a_phone_opens_the_filters_and_goes_back_to_the_results(browser, live_server):
    context = browser.new_context(base_url=live_server.url, **PHONE)
    page = context.new_page()
    page.goto("/?q=case")
    filters = page.locator("#filters")
    expect(filters).to_be_hidden()
    toggle = page.get_by_role("button", name="Filters")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(filters).to_be_visible()
    expect(page.locator("#filters-heading")).to_be_focused()
    page.locator("input[name='area'][value='wessex']").check()
    expect(page).to_have_url(re.compile("area=wessex"))
    total = live_server.api("/api/search?q=case&area=wessex")["total"]
    show = page.get_by_role("button", name=f"Show {total} results")
    expect(show).to_be_visible()  # the count follows each tick, while the filters stay open
    show.click()
    expect(filters).to_be_hidden()
    expect(page.locator("#result-count")).to_contain_text(f"of {total} results")
    expect(page.get_by_role("button", name="Filters (1 chosen)")).to_be_focused()
    context.close()


def test_a_skip_link_reaches_the_filters_in_one_step(page: Page):
    page.goto("/?q=case")
    page.wait_for_load_state("networkidle")  # the script has wired the page before keys are pressed
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to filters")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#filters-heading")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#filters a.clear")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#facet-area summary")).to_be_focused()


def test_clear_all_filters_is_always_there_and_empty_facets_are_not_drawn(page: Page):
    page.goto("/?q=case")
    expect(page.locator("#filters").get_by_role("link", name="Clear all filters")).to_be_visible()
    page.goto("/?q=case&kind=issue&area=wessex")
    page.locator("#filters").get_by_role("link", name="Clear all filters").click()
    expect(page).to_have_url(re.compile(r"/\?q=case$"))
    page.goto("/?q=xylophone")
    expect(page.locator("details.facet")).to_have_count(0)
    expect(page.get_by_text("None among these results.")).to_have_count(0)


@pytest.mark.parametrize(
    ("typed", "option", "facet", "value", "query"),
    [
        ("disclosure wess", "disclosure Wessex", "area", "wessex", "disclosure"),
        ("hate cr", "Hate crime", "theme", "hate-crime", ""),
        ("good pra", "Good practice", "kind", "good-practice", ""),
        ("part d", "Part D: Public confidence", "part", "d", ""),
    ],
)
def test_choosing_an_area_theme_kind_or_part_applies_its_filter(
    page: Page, typed, option, facet, value, query
):
    page.goto("/")
    page.locator("#q").press_sequentially(typed, delay=30)
    page.get_by_role("option").filter(has_text=option).first.click()
    expect(page.locator(f"input[name='{facet}'][value='{value}']")).to_be_checked()
    expect(page.locator("#q")).to_have_value(query)
    expect(page.locator(".chips a.chip")).to_have_count(1)
    assert (facet, value) in [tuple(kv.split("=")) for kv in urlsplit(page.url).query.split("&")]


def test_no_results_does_not_flash_while_typing(page: Page):
    page.goto("/")
    page.evaluate(
        """() => { window.__counts = [];
        new MutationObserver(() => { const c = document.getElementById('result-count');
          if (c && c.textContent.trim()) window.__counts.push(c.textContent.trim()); })
          .observe(document.body, { subtree: true, childList: true, characterData: true }); }"""
    )
    box = page.locator("#q")
    for letter in "vic":
        box.press_sequentially(letter)
        page.wait_for_timeout(450)  # longer than the pause after which results follow the typing
    box.press_sequentially("tim", delay=60)
    expect(page.locator("#result-count")).to_contain_text("for “victim”")
    seen = page.evaluate("window.__counts")
    assert seen and not [c for c in seen if c.startswith("No results")], seen
    box.fill("xylophone")  # a search with no results still says so once typing stops
    expect(page.locator("#result-count")).to_have_text("No results for “xylophone”")


def test_counts_read_one_result(page: Page):
    page.goto("/?kind=report&area=wessex")
    expect(page.locator("#result-count")).to_have_text("1–1 of 1 result")
    expect(page.locator(".export")).to_contain_text("Download this result")
    expect(page.get_by_text("1 results")).to_have_count(0)


# -- downloads -------------------------------------------------------------------------------


def download(page: Page, link) -> tuple[str, bytes]:
    with page.expect_download() as info:
        link.click()
    done = info.value
    with open(done.path(), "rb") as handle:
        return done.suggested_filename, handle.read()


@pytest.fixture()
def downloading(browser, live_server):
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def read_csv(body: bytes) -> list[dict]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_every_download_link_downloads_every_result(downloading: Page, live_server):
    page = downloading
    page.goto("/?q=disclosure&area=wessex")
    total = live_server.api("/api/search?q=disclosure&area=wessex")["total"]
    export = page.locator(".export")
    expect(export).to_contain_text(f"Download all {total} results")
    name, body = download(page, export.get_by_role("link", name="CSV"))
    rows = read_csv(body)
    assert name == "aap-disclosure-wessex.csv" and len(rows) == total
    assert rows[0]["areas"] and rows[0]["area_slugs"] and "score" not in rows[0]
    name, body = download(page, export.get_by_role("link", name="JSON"))
    assert name == "aap-disclosure-wessex.json"
    assert [r["id"] for r in json.loads(body)["results"]] == [r["id"] for r in rows]

    page.goto("/?q=casework")  # more results than a page shows: the files have them all
    total = live_server.api("/api/search?q=casework")["total"]
    name, body = download(page, page.locator(".export").get_by_role("link", name="CSV"))
    assert total > 100 and len(read_csv(body)) == total


def test_area_pages_comparisons_and_the_ratings_download_as_csv(downloading: Page, live_server):
    page = downloading
    page.goto("/areas/wessex")
    name, body = download(page, page.get_by_role("link", name="CSV"))
    rows = read_csv(body)
    assert name == "aap-area-wessex.csv" and {"issue-wessex-4", "rating-c-wessex"} <= {r["id"] for r in rows}

    page.goto("/compare?area=wessex&area=london-north")
    name, body = download(page, page.get_by_role("link", name="the ratings side by side (CSV)"))
    rows = read_csv(body)
    assert name == "aap-compare-wessex-london-north.csv"
    assert rows[0]["Code"] == "A1" and {"Wessex", "London North", "Ratings differ"} <= set(rows[0])

    page.goto("/areas")
    name, body = download(page, page.locator("#ratings").get_by_role("link", name="CSV"))
    rows = read_csv(body)
    assert name == "aap-ratings.csv" and len(rows) == 14
    wessex = next(r for r in rows if r["area_slug"] == "wessex")
    assert wessex["C1 Reviews and decisions in magistrates' courts"] == "Poor"


def test_area_pages_comparisons_and_the_ratings_download_as_json(downloading: Page, live_server):
    page = downloading
    page.goto("/areas/wessex")
    name, body = download(page, page.get_by_role("link", name="JSON", exact=True))
    assert (name, json.loads(body)) == ("aap-area-wessex.json", live_server.api("/api/areas/wessex"))

    page.goto("/compare?area=wessex&area=london-north")
    name, body = download(page, page.get_by_role("link", name="the whole comparison (JSON)"))
    expected = live_server.api("/api/compare?area=wessex&area=london-north")
    assert (name, json.loads(body)) == ("aap-compare-wessex-london-north.json", expected)

    page.goto("/areas")
    name, body = download(page, page.locator("#ratings").get_by_role("link", name="JSON"))
    assert (name, json.loads(body)) == ("aap-ratings.json", live_server.api("/api/ratings"))

    page.goto("/ratings?criterion=C1&criterion=D1&rating=Poor&rating=Fair")
    name, body = download(page, page.locator(".export").get_by_role("link", name="JSON"))
    expected = live_server.api("/api/ratings?criterion=C1&criterion=D1&rating=Poor&rating=Fair")
    assert (name, json.loads(body)) == ("aap-ratings-c1-d1-poor-fair.json", expected)


# -- the ratings as data ------------------------------------------------------------------------


def test_the_ratings_filter_and_sort(page: Page, live_server):
    page.goto("/areas")
    page.get_by_role("link", name="Filter and sort the ratings").click()
    expect(page).to_have_url(re.compile("/ratings$"))
    page.get_by_label("C1", exact=True).check()
    page.get_by_label("Poor", exact=True).check()
    page.get_by_role("button", name="Show these ratings").click()
    expect(page).to_have_url(re.compile(r"/ratings\?rating=Poor&criterion=C1$"))
    rows = live_server.api("/api/ratings?criterion=C1&rating=Poor")["results"]
    names = [live_server.api(f"/api/areas/{r['area']}")["name"] for r in rows]
    expect(page.locator(".ratings-table tbody th")).to_have_text(names)
    expect(page.locator("#ratings-count")).to_have_text(f"{len(rows)} rows with C1 rated Poor.")

    page.goto("/ratings?part=b")
    page.get_by_role("link", name="B2 Resource management: sort").click()
    best = [r["area"] for r in live_server.api("/api/ratings?criterion=B2&sort=rating")["results"]]
    first = page.locator(".ratings-table tbody th a").first
    expect(first).to_have_attribute("href", f"/areas/{best[0]}")
    expect(page.locator("th[aria-sort]")).to_have_count(1)


def test_an_answer_about_ratings_links_to_the_ratings(page: Page):
    page.goto("/?q=which+areas+were+rated+poor+for+communication+with+victims")
    page.get_by_role("link", name="See these ratings in the ratings table").click()
    expect(page).to_have_url(re.compile(r"/ratings\?criterion=D1&rating=Poor$"))
    expect(page.locator(".ratings-table tbody tr")).to_have_count(3)


def test_the_page_and_the_api_agree_on_pages_marks_and_unknown_filters(page: Page, browser, live_server):
    """What the API says a developer can rely on (`links`, `snippet_text` with `highlights`,
    a 400 listing the valid values) is what a reader sees on the page."""
    body = live_server.api("/api/search?q=disclosure+record&page=2")
    page.goto("/?q=disclosure+record&page=2")
    for rel in ("next", "prev"):
        href = page.locator(f".pagination a[rel={rel}]").get_attribute("href")
        assert parse_qs(urlsplit(href).query) == parse_qs(urlsplit(body["links"][rel]).query)
    items = page.locator(".result-list > li")
    expect(items).to_have_count(len(body["results"]))
    shown = []
    for n, hit in enumerate(body["results"]):
        marked = [hit["snippet_text"][h["start"] : h["end"]] for h in hit["highlights"]]
        assert items.nth(n).locator(".snippet mark").all_inner_texts() == marked, hit["id"]
        shown += marked
    assert len(shown) > len(body["results"])

    with pytest.raises(urllib.error.HTTPError) as refused:
        live_server.api("/api/search?q=disclosure&kind=issues")
    error = json.load(refused.value)
    assert (refused.value.code, error["param"]) == (400, "kind") and "issue" in error["allowed"]
    context = browser.new_context(base_url=live_server.url)  # a 400 page logs a console error
    refused_page = context.new_page()
    response = refused_page.goto("/?q=disclosure&kind=issues")
    assert response.status == 400
    for value in error["allowed"]:
        expect(refused_page.locator("main")).to_contain_text(value)
    context.close()


# -- the API page ---------------------------------------------------------------------------------


def test_the_api_page_shows_every_endpoint_from_the_openapi_document(page: Page, live_server):
    origins = set()
    page.on("request", lambda request: origins.add(urlsplit(request.url).netloc))
    page.goto("/api")
    document = live_server.api("/api/openapi.json")
    sections = page.locator("section.endpoint")
    expect(sections).to_have_count(len(document["paths"]))
    for path, item in document["paths"].items():
        section = sections.filter(has=page.get_by_role("heading", name=f"GET {path}", exact=True))
        for param in item["get"]["parameters"]:
            expect(section.locator("table.params th", has_text=param["name"]).first).to_be_visible()
        example = item["get"]["responses"]["200"]["content"].get("application/json", {}).get("example")
        if example is not None:
            shown = json.loads(section.locator(".example code").inner_text())
            assert shown == example
    assert origins == {urlsplit(live_server.url).netloc}  # nothing from a CDN


# -- citations ---------------------------------------------------------------------------------------


def test_citations_and_the_footer_lead_to_the_report(page: Page, live_server):
    page.goto("/entries/issue-wessex-4")
    expect(page.locator("#citation")).to_contain_text("publication CP001:1266")
    expect(page.locator("#citation")).to_contain_text("issue to address 4")
    report = live_server.api("/api/entries/issue-wessex-4")["citations"]["text"]
    page_url = re.search(r"Report: (\S+)\.", report)[1]
    assert page_url.startswith("https://www.justiceinspectorates.gov.uk/hmcpsi/inspections/")
    expect(page.get_by_role("link", name="the report on the publisher’s site")).to_have_attribute(
        "href", page_url
    )


# -- forms ----------------------------------------------------------------------------------------


FIVE_AREAS = ("Wessex", "North East", "South East", "South West", "West Midlands")


@pytest.mark.parametrize(
    "names, said", [(("Wessex",), "1 is ticked"), ((), "none is ticked"), (FIVE_AREAS, "5 are ticked")]
)
def test_compare_says_what_is_wrong_before_sending(page: Page, names, said):
    page.goto("/compare")
    for name in names:
        page.get_by_label(name).check()
    page.get_by_role("button", name="Compare").click()
    problem = page.locator(".chooser-problem")
    expect(problem).to_have_text(f"Choose 2 to 4 Areas to compare; {said}.")
    expect(page).to_have_url(re.compile(r"/compare$"))  # not sent
    expect(page.locator("input[name=area]:checked")).to_have_count(len(names))


def test_compare_without_script_keeps_one_area_ticked(page_without_js: Page):
    page = page_without_js
    page.goto("/compare")
    page.get_by_label("Wessex").check()
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".chooser-problem")).to_have_text(
        "choose 2 to 4 different Areas to compare; 1 was chosen"
    )
    expect(page.get_by_label("Wessex")).to_be_checked()
    expect(page.locator("input[name=area]:checked")).to_have_count(1)


def test_compare_without_script_keeps_the_choices(page_without_js: Page):
    page = page_without_js
    page.goto("/compare")
    for name in FIVE_AREAS:
        page.get_by_label(name).check()
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".chooser-problem")).to_have_text(
        "choose 2 to 4 different Areas to compare; 5 were chosen"
    )
    expect(page.locator("input[name=area]:checked")).to_have_count(5)
    page.get_by_label("South West").uncheck()
    page.get_by_label("West Midlands").uncheck()
    page.get_by_label("North East").uncheck()
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("h1")).to_have_text("Compare South East and Wessex")
