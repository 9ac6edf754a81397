"""The HTML pages, the index holder, errors and headers, through the Flask test client."""

from __future__ import annotations

import gc
import re
import time
import weakref
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest

from search.errors import IndexMissing
from search.output.overview import issue_matrix, score_tables, theme_counts
from search.query.request import parse_request
from search.query.searcher import SearchIndex
from web import create_app
from web.holder import IndexHolder, get_index
from web.present import paginate, safe_snippet, text_blocks

VOID = {"input", "meta", "link", "br", "img", "hr"}


class Page(HTMLParser):
    """A parsed page: every element with its attributes and text, for assertions."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i]["tag"] == tag:
                del self.open[i:]
                break

    def handle_data(self, data):
        for element in self.open:
            element["text"] += data

    def find(self, tag: str, **attrs) -> list[dict]:
        """Return elements of a tag whose attributes include the given ones."""
        attrs = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [
            e
            for e in self.elements
            if e["tag"] == tag and all(e["attrs"].get(k) == v for k, v in attrs.items())
        ]

    def text_of(self, tag: str, **attrs) -> str:
        """Return the whitespace-normalised text of the one matching element."""
        (element,) = self.find(tag, **attrs)
        return " ".join(element["text"].split())

    def links(self) -> dict[str, str]:
        """Return link text → href."""
        return {" ".join(a["text"].split()): a["attrs"].get("href") for a in self.find("a")}


def ticked(doc: Page) -> list[str]:
    """Return the values of the ticked checkboxes of a page, in its order."""
    return [i["attrs"]["value"] for i in doc.find("input", type="checkbox") if "checked" in i["attrs"]]


def page(client, url: str, status: int = 200) -> Page:
    response = client.get(url)
    assert response.status_code == status, response.data[:300]
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


# -- search page -----------------------------------------------------------------

SELECTED = "/?q=police&area=london-north&area=wessex&theme=police-file-quality"


def test_search_page_results_facets_and_chips(client, search_index):
    doc = page(client, SELECTED)
    result = search_index.search(
        parse_request({"q": ["police"], "area": ["london-north", "wessex"], "theme": ["police-file-quality"]})
    )
    assert doc.find("input", id="q")[0]["attrs"]["value"] == "police"
    assert doc.text_of("p", id="result-count") == f"1–{result.total} of {result.total} results for “police”"
    assert doc.find("p", id="result-count")[0]["attrs"]["aria-live"] == "polite"
    titles = [a["attrs"]["href"] for a in doc.find("a") if a["attrs"].get("href", "").startswith("/entries/")]
    # The title carries the search (for highlights and the way back); the permalink is plain.
    carried = "?q=police&area=london-north&area=wessex&theme=police-file-quality"
    # Each result carries the search and its rank there (a click, for the analytics).
    assert titles[::2] == [f"/entries/{h.entry.id}{carried}&rank={n}" for n, h in enumerate(result.hits, 1)]
    assert titles[1::2] == [f"/entries/{h.entry.id}" for h in result.hits]
    checked = [
        (i["attrs"]["name"], i["attrs"]["value"])
        for i in doc.find("input", type="checkbox")
        if "checked" in i["attrs"]
    ]
    assert sorted(checked) == [("area", "london-north"), ("area", "wessex"), ("theme", "police-file-quality")]
    links = doc.links()
    assert links["Remove filter Area: London North×"] == "/?q=police&area=wessex&theme=police-file-quality"
    assert links["Remove filter Theme: Police file quality×"] == "/?q=police&area=london-north&area=wessex"
    assert links["Clear all filters"] == "/?q=police"
    assert links["CSV"] == "/api/search.csv?q=police&area=london-north&area=wessex&theme=police-file-quality"


def test_selected_value_without_matches_stays_removable(client):
    doc = page(client, SELECTED)
    # Wessex has no matching entry but stays listed (ticked, count 0) so it can be removed.
    wessex = [i for i in doc.find("input", type="checkbox") if i["attrs"]["value"] == "wessex"]
    assert len(wessex) == 1 and "checked" in wessex[0]["attrs"]
    assert (
        doc.links()["Remove filter Area: Wessex×"] == "/?q=police&area=london-north&theme=police-file-quality"
    )


def test_facets_offer_only_values_with_results(client, search_index):
    doc = page(client, "/?q=police&kind=issue")
    result = search_index.search(parse_request({"q": ["police"], "kind": ["issue"]}))
    for facet, values in result.facets.items():
        offered = [i["attrs"]["value"] for i in doc.find("input", type="checkbox", name=facet)]
        assert sorted(offered) == sorted(v.value for v in values)
        assert all(v.count > 0 or v.selected for v in values)
    labels = [
        " ".join(lab["text"].split())
        for lab in doc.find("label")
        if lab["attrs"].get("for", "").startswith("f-")
    ]
    for text in labels:  # "1 result", "2 results"
        n = int(re.search(r" (\d+) results?$", text)[1])
        assert text.endswith(" 1 result" if n == 1 else f" {n} results"), text
    assert not any(text.endswith(" 0 results") for text in labels)


def test_empty_query_browses_everything_in_document_order(client, search_index):
    doc = page(client, "/")
    total = len(search_index.entries)
    assert doc.text_of("p", id="result-count") == f"1–10 of {total} results"
    first = doc.find("li", class_="result")
    assert [li["attrs"]["id"] for li in first] == [f"r-{e.id}" for e in search_index.entries[:10]]


def test_a_query_with_no_word_to_search_for_says_nothing_was_searched(client):
    doc = page(client, "/?q=of+the")
    said = doc.text_of("p", class_="nothing-searched")
    assert said.startswith("Nothing was searched: “of the” holds no word to search for on its own")
    assert not doc.find("ol", class_="result-list")
    assert "Nothing matches" not in " ".join(doc.find("div", class_="no-results")[0]["text"].split())


def test_a_place_the_report_names_in_another_areas_entry_says_it_is_searched_too(client):
    page = client.get("/?q=Leicester+team").get_data(as_text=True)
    assert "the report also names it in 1 entry about another Area (London South), searched too." in page
    assert "and the entries about other Areas that name the places above." in page


def test_a_place_outside_england_and_wales_is_said_to_be_outside_the_report(client):
    doc = page(client, "/?q=disclosure+in+Glasgow")
    assert doc.text_of("p", class_="outside").startswith("Glasgow is in Scotland, outside the report")
    assert doc.find("ol", class_="result-list")  # the report's entries on disclosure, all the same


def test_pagination_links(client):
    doc = page(client, "/?page=2&sort=document")
    links = doc.links()
    assert links["‹ Previous page"] == "/?sort=document"
    assert links["Next page ›"] == "/?sort=document&page=3"
    current = doc.find("a", aria_current="page")
    assert [" ".join(a["text"].split()) for a in current if a["attrs"]["href"].startswith("/?")] == ["Page 2"]
    assert doc.find("ol", class_="result-list")[0]["attrs"]["start"] == "11"


def test_page_past_the_end_offers_the_last(client, search_index):
    doc = page(client, "/?q=police&kind=issue&page=50")
    total = search_index.search(parse_request({"q": ["police"], "kind": ["issue"]})).total
    last = -(-total // 10)
    assert doc.links()[f"Go to page {last}"] == f"/?q=police&kind=issue&page={last}"


def test_spelling_correction_is_shown(client):
    doc = page(client, "/?q=comunity+engagment")
    assert (
        doc.text_of("p", class_="correction")
    ) == "Showing results for community engagement. Search instead for “comunity engagment”."
    assert doc.links()["community engagement"] == "/?q=community+engagement"
    assert doc.links()["Search instead for “comunity engagment”"] == "/?q=comunity+engagment&verbatim=1"
    typed = page(client, "/?q=comunity+engagment&verbatim=1")
    assert not typed.find("p", class_="correction")
    assert typed.text_of("p", class_="missing") == "Not found in the report: comunity."


def test_a_reader_word_the_report_never_uses_is_named_with_the_words_searched(client):
    doc = page(client, "/?q=acquittals")
    assert doc.text_of("p", class_="searched-as") == (
        "The report does not use “acquittals”; searched for: unsuccessful outcomes, unsuccessful."
    )
    assert not doc.find("p", class_="missing")
    assert not page(client, "/?q=unsuccessful+outcomes").find("p", class_="searched-as")


def test_sort_and_per_page_are_kept_in_the_form(client):
    doc = page(client, "/?q=victim&sort=document&per_page=20")
    assert "selected" in doc.find("option", value="document")[0]["attrs"]
    assert doc.find("input", type="hidden", name="per_page")[0]["attrs"]["value"] == "20"


def test_query_is_escaped_everywhere(client):
    attack = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    for url in (f"/?q={attack}", f"/?area={attack}", f"/?q={attack}&page=0", f"/?q={attack * 9}"):
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or response.status_code == 400, url


def test_bad_parameters_give_an_html_400(client):
    doc = page(client, "/?page=0", 400)
    assert doc.text_of("h1") == "That search cannot be run"
    assert doc.text_of("p", class_="error-message") == "page must be between 1 and 1000"
    assert (
        page(client, "/?sort=x", 400).text_of("p", class_="error-message")
        == "sort must be one of relevance, document"
    )


def test_snippets_keep_only_their_marks(client):
    html = client.get("/?q=%22unused+material%22&area=wessex").get_data(as_text=True)
    assert "<mark>unused material</mark>" in html


# -- entry page ------------------------------------------------------------------


def test_entry_page(client, search_index):
    doc = page(client, "/entries/para-1.20")
    assert doc.text_of("h1") == search_index.entry("para-1.20").title
    text = doc.find("div", class_="entry-text")[0]
    assert "The framework contains five sections:" in text["text"]
    items = [" ".join(li["text"].split()) for li in doc.find("li")]
    for section in ("The success of CPS people", "Continuous improvement", "Efficiency and value for money."):
        assert section in items
    assert doc.text_of("p", id="citation") == (
        "HMCPSI, Area Assurance Programme composite report, publication CP001:1266, October 2019, para 1.20"
    )
    before, after = search_index.neighbours("para-1.20")
    assert doc.find("a", rel="prev")[0]["attrs"]["href"] == f"/entries/{before.id}"
    assert doc.find("a", rel="next")[0]["attrs"]["href"] == f"/entries/{after.id}"
    crumbs = [
        li
        for li in doc.find("li")
        if li["text"].strip() and li["text"] in doc.find("nav", class_="breadcrumb")[0]["text"]
    ]
    assert [" ".join(li["text"].split()) for li in crumbs[:4]] == [
        "The report",
        "1. Summary",
        "Area Assurance Programme methodology",
        "para-1.20",
    ]


def test_entry_page_links_into_search_and_related(client, search_index):
    doc = page(client, "/entries/para-4.10")
    links = doc.links()
    assert links["London North"] == "/?area=london-north"
    assert links["Area page for London North"] == "/areas/london-north"
    for slug in search_index.entry("para-4.10").themes:
        assert links[search_index.taxonomy.label(slug)] == f"/?theme={slug}"
    related = search_index.related("para-4.10", limit=5)
    assert related
    shown = [li["attrs"]["id"] for li in doc.find("li", class_="result")]
    assert shown == [f"r-{h.entry.id}" for h in related]
    assert "hidden" in doc.find("button", class_="button button-secondary copy")[0]["attrs"]  # shown by JS


def entry_marks(html: str) -> list[str]:
    """Return the marked words of an entry page's text."""
    text = html.split('<div class="entry-text">')[1].split("</div>")[0]
    return re.findall(r"<mark>(.*?)</mark>", text)


def test_result_links_carry_the_search_and_the_entry_marks_its_words(client, search_index):
    doc = page(client, "/?q=victim+communication+and+liaison&area=wessex&page=1")
    first = doc.find("li", class_="result")[0]["attrs"]["id"].removeprefix("r-")
    titles = [a["attrs"]["href"] for a in doc.find("a") if a["attrs"].get("href", "").startswith("/entries/")]
    assert titles[0] == f"/entries/{first}?q=victim+communication+and+liaison&area=wessex&rank=1"
    assert titles[1] == f"/entries/{first}"  # the permalink stays plain
    html = client.get(titles[0]).get_data(as_text=True)
    entry = Page(html)
    assert entry.links()["‹ Back to results for “victim communication and liaison”"] == (
        "/?q=victim+communication+and+liaison&area=wessex"
    )
    # The words searched for are marked as the snippets mark them.
    assert {"Victim", "Communication", "Liaison"} <= set(entry_marks(html))
    assert entry.find("link", rel="canonical")[0]["attrs"]["href"] == f"http://localhost:8000/entries/{first}"


def test_entry_without_a_search_or_with_a_broken_one_has_no_marks(client):
    for url in (
        "/entries/issue-wessex-8",
        "/entries/issue-wessex-8?page=0",
        "/entries/issue-wessex-8?area=wessex",
    ):
        html = client.get(url).get_data(as_text=True)
        assert entry_marks(html) == [] and "highlight-note" not in html
    back = page(client, "/entries/issue-wessex-8?area=wessex").links()["‹ Back to results"]
    assert back == "/?area=wessex"
    assert not page(client, "/entries/issue-wessex-8?page=0").find("p", class_="back")


@pytest.mark.parametrize(
    ("entry_id", "place"),
    [
        ("issue-london-north-7", "Annex B, London North, issue to address 7"),
        ("good-practice-east-of-england-1", "Annex B, East of England, good practice 1"),
        ("strength-wessex-2", "Annex B, Wessex, strength 2"),
        ("rating-c-wessex", "Table 4, Wessex"),
        ("table-2", "Table 2"),
        ("criterion-c-1a", "Annex A, Part C sub-criterion 1a (Magistrates' court casework)"),
        ("finding-disclosure-2", "Annex C, Disclosure (2)"),
        ("report-wessex", "Annex D, Wessex"),
    ],
)
def test_citations(client, entry_id, place):
    doc = page(client, f"/entries/{entry_id}")
    assert (
        doc.text_of("p", id="citation")
        == f"HMCPSI, Area Assurance Programme composite report, publication CP001:1266, October 2019, {place}"
    )


def test_rating_entry_shows_a_ratings_table(client, search_index):
    doc = page(client, "/entries/rating-c-wessex")
    rows = doc.find("table", class_="data ratings")[0]["text"]
    for rating in search_index.entry("rating-c-wessex").ratings:
        assert rating.criterion in rows and rating.rating in rows


def test_table_entry_renders_a_table(client):
    doc = page(client, "/entries/table-2")
    headers = [" ".join(th["text"].split()) for th in doc.find("th", scope="col")]
    assert headers == ["Civil Service Engagement Survey scores", "2015", "2016", "2017", "2018"]
    assert len(doc.find("th", scope="row")) == 10


def test_footnotes_are_shown(client, search_index):
    doc = page(client, "/entries/para-1.2")
    (note,) = search_index.entry("para-1.2").footnotes
    assert note.text in doc.find("section", class_="footnotes")[0]["text"]


def test_unknown_entry_is_404_and_case_redirects(client):
    doc = page(client, "/entries/para-99", 404)
    assert doc.text_of("p", class_="error-message") == "no entry 'para-99'"
    response = client.get("/entries/PARA-4.10")
    assert response.status_code == 301 and response.headers["Location"] == "/entries/para-4.10"


# -- Area pages --------------------------------------------------------------------


def test_area_page(client, search_index):
    doc = page(client, "/areas/london-north")
    assert doc.text_of("h1") == "London North"
    scores = doc.find("table", class_="data scores")[0]["text"]
    for entry in (e for e in search_index.entries if e.kind == "rating" and "london-north" in e.areas):
        for rating in entry.ratings:
            assert rating.criterion in scores
    issues = [e for e in search_index.entries if e.kind == "issue" and "london-north" in e.areas]
    section = doc.find("section", id="issue")[0]
    assert doc.text_of("h2", id="issue-heading") == f"Issues to address {len(issues)}"
    for part in {e.part for e in issues}:
        assert f"Part {part.upper()}:" in section["text"]
    links = {a["attrs"]["href"] for a in doc.find("a")}
    assert {f"/entries/{e.id}" for e in issues} <= links
    report = next(e for e in search_index.entries if e.kind == "report" and "london-north" in e.areas)
    assert report.url in links
    mentions = [e for e in search_index.entries if e.kind == "paragraph" and "london-north" in e.areas]
    assert {f"/entries/{e.id}" for e in mentions} <= links


def test_pilot_area_page_explains_missing_scores(client):
    doc = page(client, "/areas/cymru-wales")
    notes = [td for td in doc.find("td", class_="not-scored")]
    assert len(notes) == 3
    assert "Excludes the pilot Areas" in notes[0]["text"]


def test_unknown_area_is_404_and_other_spellings_redirect(client):
    page(client, "/areas/atlantis", 404)
    response = client.get("/areas/CPS%20Wales")
    assert response.status_code == 301 and response.headers["Location"] == "/areas/cymru-wales"


def test_areas_overview_matrices(client, search_index):
    doc = page(client, "/areas")
    cells = [td for td in doc.find("td") if "rating-excellent" in td["attrs"].get("class", "").split()]
    excellent = sum(
        r.rating == "Excellent" for e in search_index.entries if e.kind == "rating" for r in e.ratings
    )
    assert len(cells) == excellent
    # Every non-zero cell of the issues matrix links to the search it counts.
    links = [a for a in doc.find("a") if a["attrs"].get("href", "").startswith("/?kind=issue&area=")]
    linked = [a for a in links if "&theme=" in a["attrs"]["href"]]
    assert linked
    for a in linked:
        area, theme = re.match(r"/\?kind=issue&area=([a-z-]+)&theme=([a-z-]+)$", a["attrs"]["href"]).groups()
        expected = sum(
            e.kind == "issue" and area in e.areas and theme in e.themes for e in search_index.entries
        )
        assert int(a["text"]) == expected > 0
        assert client.get(a["attrs"]["href"].replace("/?", "/api/search?")).get_json()["total"] == expected


def test_overview_aggregates(search_index):
    entries = search_index.entries
    tables = score_tables(entries)
    assert [(t.number, len(t.rows)) for t in tables] == [("1", 12), ("3", 12), ("4", 14), ("5", 12)]
    matrix = issue_matrix(entries, [a.slug for a in search_index.areas.areas], search_index.taxonomy.slugs)
    assert matrix.total == 135 == sum(matrix.area_totals.values())
    assert matrix.count("wessex", "disclosure") == sum(
        e.kind == "issue" and "wessex" in e.areas and "disclosure" in e.themes for e in entries
    )
    counts = theme_counts(entries, search_index.taxonomy.slugs)
    assert counts["disclosure"]["all"] == sum("disclosure" in e.themes for e in entries)


def test_themes_and_glossary_pages(client, search_index):
    doc = page(client, "/themes")
    links = doc.links()
    counts = Counter(t for e in search_index.entries for t in e.themes)
    for theme in search_index.taxonomy.themes:
        assert links[theme.label] == f"/?theme={theme.slug}"
        assert theme.description in doc.find("table")[0]["text"]
        row = next(tr for tr in doc.find("tr") if theme.label in tr["text"])
        assert str(counts[theme.slug]) in row["text"].split()
    glossary = page(client, "/glossary")
    acronyms = [" ".join(dt["text"].split()) for dt in glossary.find("dt")]
    assert acronyms == [a["acronym"] for a in search_index.glossary.to_list()]
    assert glossary.links()["AAP"] == "/?q=AAP"


# -- every page: structure, attribution, headers --------------------------------

PAGES = [
    "/",
    SELECTED,
    "/entries/para-4.10",
    "/areas",
    "/areas/wessex",
    "/themes",
    "/glossary",
    "/entries/nope",
    "/entries/issue-wessex-4?q=unused+material&area=wessex",
    "/compare",
    "/compare?area=wessex&area=london-north",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_accessible_and_attributed(client, url):
    response = client.get(url)
    html = response.get_data(as_text=True)
    doc = Page(html)
    assert doc.find("html")[0]["attrs"]["lang"] == "en-GB"
    assert len(doc.find("h1")) == 1
    assert doc.find("main", id="main") and doc.find("header") and doc.find("footer") and doc.find("nav")
    assert doc.links()["Skip to main content"] == "#main"
    ids = [e["attrs"]["id"] for e in doc.elements if "id" in e["attrs"]]
    assert len(ids) == len(set(ids))
    for field in doc.find("input"):
        if field["attrs"].get("type") not in ("hidden",):
            assert doc.find("label", for_=field["attrs"]["id"]), field
    footer = " ".join(doc.find("footer")[0]["text"].split())
    assert "Contains public sector information licensed under the Open Government Licence v3.0" in footer
    assert "© Crown copyright 2019, HM Crown Prosecution Service Inspectorate" in footer
    # The Content Security Policy allows no inline script or style, so there must be none.
    assert not [s for s in doc.find("script") if "src" not in s["attrs"]]
    assert not doc.find("style") and not [e for e in doc.elements if "style" in e["attrs"]]
    assert not [e for e in doc.elements if any(k.startswith("on") for k in e["attrs"])]


def test_security_headers(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_pages_have_etags_and_304(client):
    first = client.get("/areas")
    assert first.headers["Cache-Control"] == "public, max-age=60"
    again = client.get("/areas", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and "Content-Security-Policy" in again.headers


def test_static_assets_are_versioned_and_cached(client, app):
    doc = page(client, "/")
    href = doc.find("link", rel="stylesheet")[0]["attrs"]["href"]
    assert href == f"/static/style.css?v={app.config['CODE_VERSION']}"
    response = client.get(href)
    assert response.status_code == 200 and "immutable" in response.headers["Cache-Control"]
    response.close()
    script = client.get(doc.find("script")[0]["attrs"]["src"])
    assert script.mimetype in ("text/javascript", "application/javascript")
    assert "history.pushState" in script.get_data(as_text=True)
    script.close()


def test_no_debug_mode_and_no_tracebacks(index_dir):
    app = create_app({"INDEX_DIR": str(index_dir)})
    assert not app.debug

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    @app.get("/api/boom")
    def api_boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500 and response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert "secret detail" not in body and "Traceback" not in body
    assert app.test_client().get("/api/boom").get_json() == {
        "error": "Something went wrong on our side; it has been logged.",
        "param": None,
        "status": 500,
    }


# -- a missing or broken index, and swapping builds -------------------------------


def test_broken_index_gives_503_then_recovers(tmp_path, index_dir):
    broken = tmp_path / "index"
    (broken / "builds" / "bad").mkdir(parents=True)
    (broken / "builds" / "bad" / "meta.json").write_text("{not json")
    (broken / "CURRENT").write_text("bad")
    client = create_app({"TESTING": True, "INDEX_DIR": str(broken), "INDEX_CHECK_INTERVAL": 0}).test_client()
    response = client.get("/api/search?q=x")
    assert response.status_code == 503 and response.headers["Retry-After"] == "10"
    body = response.get_json()
    assert body["param"] is None and body["status"] == 503
    assert body["error"].startswith("The search index is not available")
    html = client.get("/")
    assert html.status_code == 503 and "The search service is not ready" in html.get_data(as_text=True)
    with client.get("/static/style.css") as css:
        assert css.status_code == 200  # the error page keeps its styles
    good = (index_dir / "CURRENT").read_text().strip()
    (broken / "builds" / "good").symlink_to(index_dir / "builds" / good)
    (broken / "CURRENT").write_text("good")
    assert client.get("/api/search?q=disclosure").status_code == 200


def test_missing_index_gives_503(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    assert client.get("/api/themes").get_json()["status"] == 503


class FakeIndex:
    def __init__(self, name):
        self.name = name
        self.closed = False

    def close(self):
        self.closed = True


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def fake_opener(index_dir: Path) -> FakeIndex:
    name = (index_dir / "CURRENT").read_text().strip()
    if name.startswith("broken"):
        raise IndexMissing(f"index build {name} is unreadable")
    return FakeIndex(name)


def make_holder(tmp_path) -> tuple[IndexHolder, FakeClock]:
    (tmp_path / "CURRENT").write_text("one")
    clock = FakeClock()
    return IndexHolder(tmp_path, interval=1.0, opener=fake_opener, clock=clock), clock


def test_holder_swaps_builds_without_dropping_requests(tmp_path):
    holder, clock = make_holder(tmp_path)
    first = holder.acquire()
    (tmp_path / "CURRENT").write_text("two")
    assert holder.acquire() is first  # CURRENT is read at most once per interval
    holder.release(first)
    clock.now = 1.5
    second = holder.acquire()
    assert second.name == "two" and not first.closed  # a request still holds the old build
    holder.release(first)
    assert first.closed and not second.closed  # closed when its last request ends
    holder.release(second)
    assert not second.closed


class CyclicIndex(FakeIndex):
    """A build whose objects refer to each other, as a real build's do: only the cyclic
    garbage collector can free it."""

    def __init__(self, name):
        super().__init__(name)
        self.parts = [self]


@pytest.fixture
def unfrozen():
    """Leave the garbage collector as it was: a test that freezes objects unfreezes them."""
    yield
    gc.unfreeze()


def freezing_holder(tmp_path) -> tuple[IndexHolder, FakeClock]:
    (tmp_path / "CURRENT").write_text("one")
    clock = FakeClock()

    def opener(index_dir: Path) -> CyclicIndex:
        return CyclicIndex((index_dir / "CURRENT").read_text())

    return IndexHolder(tmp_path, interval=1.0, opener=opener, clock=clock, freeze=True), clock


def frozen(obj) -> bool:
    """Tell whether the cyclic garbage collector no longer walks an object (frozen, or untracked)."""
    return not any(o is obj for o in gc.get_objects())


def test_a_freezing_holder_leaves_the_open_build_out_of_collections_and_frees_the_old(tmp_path, unfrozen):
    holder, clock = freezing_holder(tmp_path)
    gc.unfreeze()
    first = holder.acquire()
    assert gc.get_freeze_count() > 0 and frozen(first)  # collections no longer walk the open build
    holder.release(first)
    gone = weakref.ref(first)
    (tmp_path / "CURRENT").write_text("two")
    clock.now = 2
    second = holder.acquire()  # no request holds the old build: it is closed
    assert first.closed and gone() is not None
    # Something still refers to the old build (here, this test): it is not frozen again,
    # and neither is anything else until it has been freed.
    assert not frozen(first) and not frozen(second)
    holder.release(second)
    del first
    clock.now = 3  # a build still referred to is looked for again at most once an interval
    holder.release(holder.acquire())
    assert gone() is None  # unreachable, it was collected though it had been frozen
    assert frozen(second)
    holder.close()
    assert gc.get_freeze_count() == 0


def test_a_freezing_holder_frees_a_retired_build_when_its_last_request_ends(tmp_path, unfrozen):
    holder, clock = freezing_holder(tmp_path)
    first = holder.acquire()  # still held while the next build opens
    gone = weakref.ref(first)
    (tmp_path / "CURRENT").write_text("two")
    clock.now = 2
    second = holder.acquire()
    holder.release(second)
    assert frozen(second) and frozen(first)  # both builds are served
    holder.release(first)
    assert first.closed
    del first
    holder.release(holder.acquire())
    assert gone() is None and frozen(second)


def test_a_holder_freezes_nothing_unless_asked(tmp_path, unfrozen):
    gc.unfreeze()
    holder, _ = make_holder(tmp_path)
    holder.release(holder.acquire())
    assert gc.get_freeze_count() == 0


def test_the_server_freezes_its_builds_and_in_process_apps_do_not(tmp_path, monkeypatch):
    monkeypatch.delenv("AAP_FREEZE_GC", raising=False)
    assert create_app({"INDEX_DIR": str(tmp_path)}).extensions["aap_index"].freeze is False
    monkeypatch.setenv("AAP_FREEZE_GC", "1")
    assert create_app({"INDEX_DIR": str(tmp_path)}).extensions["aap_index"].freeze is True


def test_holder_keeps_serving_when_a_new_build_is_broken(tmp_path):
    holder, clock = make_holder(tmp_path)
    first = holder.acquire()
    holder.release(first)
    (tmp_path / "CURRENT").write_text("broken-2")
    clock.now = 2
    assert holder.acquire() is first and not first.closed
    holder.release(first)
    (tmp_path / "CURRENT").write_text("three")
    clock.now = 4
    assert holder.acquire().name == "three"
    assert first.closed


def test_holder_retries_a_missing_index_cheaply(tmp_path):
    (tmp_path / "CURRENT").write_text("broken-1")
    calls = []

    def opener(index_dir):
        calls.append(1)
        return fake_opener(index_dir)

    clock = FakeClock()
    holder = IndexHolder(tmp_path, interval=1.0, opener=opener, clock=clock)
    for _ in range(3):
        with pytest.raises(IndexMissing):
            holder.acquire()
    assert len(calls) == 1  # the same broken build is not reopened on every request
    (tmp_path / "CURRENT").write_text("fixed")
    assert holder.acquire().name == "fixed" and len(calls) == 2


def test_holder_opens_a_new_build_while_other_requests_go_on_with_the_old(tmp_path):
    import threading

    opening, may_finish = threading.Event(), threading.Event()

    def slow_opener(index_dir):
        if (index_dir / "CURRENT").read_text() == "two":
            opening.set()
            assert may_finish.wait(10)
        return fake_opener(index_dir)

    (tmp_path / "CURRENT").write_text("one")
    clock = FakeClock()
    holder = IndexHolder(tmp_path, interval=1.0, opener=slow_opener, clock=clock)
    first = holder.acquire()
    holder.release(first)
    (tmp_path / "CURRENT").write_text("two")
    clock.now = 2
    got = {}
    noticing = threading.Thread(target=lambda: got.update(noticed=holder.acquire()))
    noticing.start()
    try:
        assert opening.wait(10)  # the request that noticed is opening build two
        others = [threading.Thread(target=lambda n=n: got.update({n: holder.acquire()})) for n in range(3)]
        for other in others:
            other.start()
        for other in others:
            other.join(2)
        assert not any(other.is_alive() for other in others), "requests waited for the new build to open"
        assert all(got[n] is first for n in range(3)) and not first.closed
    finally:
        may_finish.set()
        noticing.join(10)
    assert got["noticed"].name == "two" and holder.acquire() is got["noticed"]
    for _ in range(3):
        holder.release(first)
    assert first.closed  # closed once the last request holding it let go


def test_holder_without_a_build_makes_requests_wait_for_the_one_being_opened(tmp_path):
    import threading

    calls = []
    started = threading.Event()

    def opener(index_dir):
        calls.append(1)
        started.set()
        time.sleep(0.3)
        return fake_opener(index_dir)

    (tmp_path / "CURRENT").write_text("one")
    holder = IndexHolder(tmp_path, interval=1.0, opener=opener, clock=FakeClock())
    got = []
    first = threading.Thread(target=lambda: got.append(holder.acquire()))
    first.start()
    assert started.wait(10)
    rest = [threading.Thread(target=lambda: got.append(holder.acquire())) for _ in range(3)]
    for thread in rest:
        thread.start()
    for thread in [first, *rest]:
        thread.join(10)
    assert len(got) == 4 and len({id(index) for index in got}) == 1 and calls == [1]


# -- presentation helpers -----------------------------------------------------------


def test_text_blocks():
    text = "Intro line\ncontinued.\n- one\n- two\n\nAfter.\nHead: a | b\nRow: 1 | 2"
    blocks = text_blocks(text)
    assert [(b.kind, b.text, b.items, b.header, b.rows) for b in blocks] == [
        ("p", "Intro line continued.", (), (), ()),
        ("ul", "", ("one", "two"), (), ()),
        ("p", "After.", (), (), ()),
        ("table", "", (), ("Head", "a", "b"), (("Row", "1", "2"),)),
    ]


def test_safe_snippet_only_trusts_marks():
    assert str(safe_snippet("a <mark>b</mark> &amp; c")) == "a <mark>b</mark> &amp; c"
    assert str(safe_snippet('<img src=x onerror="1">')) == "&lt;img src=x onerror=&#34;1&#34;&gt;"
    assert str(safe_snippet("<mark onclick=x>b</mark>")).startswith("&lt;mark")


def test_paginate(search_index):
    result = search_index.search(parse_request({"page": ["7"]}))
    pages = paginate(result)
    assert [link.number for link in pages.links] == [1, None, 5, 6, 7, 8, 9, None, pages.last]
    assert pages.last == -(-len(search_index.entries) // 10)
    assert (pages.first_shown, pages.last_shown) == (61, 70)


def test_one_index_is_opened_and_shared_by_every_request(index_dir):
    from web import create_app

    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})
    holder = app.extensions["aap_index"]
    opened = []

    def counting_opener(folder):
        opened.append(SearchIndex.open(folder))
        return opened[-1]

    holder.opener = counting_opener
    client = app.test_client()
    seen = []
    app.before_request(lambda: seen.append(get_index()) and None)
    for url in ("/api/themes", "/api/search?q=disclosure", "/", "/entries/para-4.10"):
        assert client.get(url).status_code == 200
    assert len(opened) == 1
    assert len(seen) == 4 and all(index is opened[0] for index in seen)
    # Every request gave its hold back: a new build can retire this one at once.
    assert holder._users == {}
    holder.close()


@pytest.mark.parametrize(
    ("entry_id", "heading"),
    [
        ("issue-london-north-7", "Good practice and strengths elsewhere"),
        ("good-practice-east-of-england-1", "Issues elsewhere it could answer"),
    ],
)
def test_entry_page_lists_its_counterparts_elsewhere(client, search_index, entry_id, heading):
    doc = page(client, f"/entries/{entry_id}")
    assert doc.text_of("h2", id="counterparts-heading") == heading
    shown = [
        li["attrs"]["id"] for li in doc.find("li", class_="result") if li["attrs"]["id"].startswith("c-")
    ]
    assert shown == [f"c-{h.entry.id}" for h in search_index.counterparts(entry_id)]
    assert shown and not page(client, "/entries/para-4.10").find("h2", id="counterparts-heading")


def test_compare_page_marks_differences_and_is_linked(client):
    doc = page(client, "/compare?area=wessex&area=london-north")
    assert doc.text_of("h1") == "Compare Wessex and London North"
    differing = [" ".join(tr["text"].split()) for tr in doc.find("tr", class_="differs")]
    assert "C1 Reviews and decisions in magistrates' courts PoorFair ≠differ" in differing
    assert not [row for row in differing if row.startswith("C2 ")]
    checked = [i["attrs"]["value"] for i in doc.find("input", type="checkbox") if "checked" in i["attrs"]]
    assert checked == ["london-north", "wessex"]  # the chooser keeps them, in the Areas' order
    assert page(client, "/compare").find("form", class_="area-chooser")
    error = page(client, "/compare?area=wessex", 400)
    assert (
        error.text_of("p", class_="chooser-problem")
        == "choose 2 to 4 different Areas to compare; 1 was chosen"
    )
    # The form comes back with the reader's choice still ticked, the problem said beside the boxes.
    assert ticked(error) == ["wessex"]
    five = ("north-east", "south-east", "south-west", "wessex", "west-midlands")
    assert ticked(page(client, "/compare?" + "&".join(f"area={a}" for a in five), 400)) == list(five)
    assert "5 were chosen" in page(client, "/compare?area=" + "&area=".join(five), 400).text_of(
        "p", class_="chooser-problem"
    )
    area = page(client, "/areas/wessex")
    assert area.find("form", class_="compare-with")[0]["attrs"]["action"] == "/compare"
    assert area.find("input", type="hidden", name="area", value="wessex")
    assert page(client, "/areas").find("form", class_="area-chooser")


# -- answers and scope -----------------------------------------------------------------------


def test_a_rating_question_gets_an_answer_box_above_the_results(client):
    doc = page(client, "/?q=which+areas+were+rated+poor+for+community+engagement")
    assert doc.text_of("p", class_="answer-text") == (
        "1 Area was rated Poor for D3 Community engagement: Thames and Chiltern."
    )
    links = doc.links()
    assert links["Thames and Chiltern"] == "/areas/thames-and-chiltern"
    assert links["Scores row for Thames and Chiltern"] == "/entries/rating-d-thames-and-chiltern"
    html = client.get("/?q=which+areas+were+rated+poor+for+community+engagement").get_data(as_text=True)
    assert html.index('class="answer"') < html.index('class="result-list"')


def test_a_count_question_links_to_the_entries_counted(client):
    doc = page(client, "/?q=how+many+good+practice+examples+does+london+south+have")
    assert (
        doc.text_of("p", class_="answer-text")
        == "The report lists 7 examples of good practice for London South (Annex B)."
    )
    assert doc.links()["List the 7 entries"] == "/?kind=good-practice&area=london-south"


@pytest.mark.parametrize("count, link", [(0, None), (1, "List the entry"), (2, "List the 2 entries")])
def test_the_link_to_the_entries_counted_reads_as_the_count(client, search_index, count, link):
    areas = search_index.areas
    counts = Counter(e.areas[0] for e in search_index.entries if e.kind == "strength")
    area = next(a for a in areas.areas if counts[a.slug] == count)
    doc = page(client, "/?" + urlencode({"q": f"how many strengths does {area.name} have"}))
    assert f" {count} " in doc.text_of("p", class_="answer-text")
    listed = {text: href for text, href in doc.links().items() if text.startswith("List the")}
    assert listed == ({link: f"/?kind=strength&area={area.slug}"} if link else {})


@pytest.mark.parametrize(
    ("q", "origin"),
    [
        ("which areas were rated poor for community engagement", "the report’s scores tables"),
        ("how many strengths does wessex have", "the report’s lists in Annex B"),
        ("how many areas are there", "the Areas the report covers"),
        ("what does PTPH stand for", "the acronyms the report uses"),
        ("what counts as good leadership", "the inspection framework in Annex A"),
    ],
)
def test_an_answer_box_says_where_its_answer_comes_from(client, q, origin):
    doc = page(client, "/?" + urlencode({"q": q}))
    assert doc.text_of("h3", id="answer-heading") == f"Answer from {origin}"
    body = client.get("/api/search?" + urlencode({"q": q})).get_json()
    assert body["answer"]["source"] == origin


def test_no_answer_box_without_a_question_about_scores_or_counts(client):
    assert page(client, "/?q=disclosure").find("section", class_="answer") == []


def test_a_named_area_scopes_the_page_with_a_way_to_search_every_area(client):
    doc = page(client, "/?q=wessex+disclosure")
    assert doc.text_of("p", class_="scope").startswith("Showing entries about Wessex only")
    assert doc.links()["Search every Area for “disclosure”"] == "/?q=disclosure"


def test_a_section_named_is_said_on_the_page(client):
    said = page(client, "/?q=annex+c+disclosure").text_of("p", class_="scope section")
    assert said == "Read as the report’s Annex C: the casework findings: the entries in it come first."
    assert page(client, "/?q=disclosure").find("p", class_="scope section") == []


@pytest.mark.parametrize(
    ("q", "compare"),
    [
        ("north west vs south east", "/compare?area=north-west&area=south-east"),
        ("london victims", "/compare?area=london-north&area=london-south"),
        ("wessex disclosure", None),
    ],
)
def test_a_search_scoped_to_several_areas_offers_to_compare_them(client, q, compare):
    links = page(client, "/?" + urlencode({"q": q})).links()
    offered = {text: href for text, href in links.items() if text.endswith("side by side")}
    if compare is None:
        assert offered == {}
    else:
        assert list(offered.values()) == [compare]
        assert client.get(compare).status_code == 200


def test_a_page_ignores_explain_and_the_api_explains_only_the_first_hits(client, monkeypatch):
    import search.query.searcher as searcher
    from search.query.request import MAX_EXPLAINED

    explained = []
    real = searcher.explain_entry
    monkeypatch.setattr(searcher, "explain_entry", lambda *a: explained.append(a[3]) or real(*a))
    page = client.get("/?q=casework&explain=1&per_page=100")
    assert page.status_code == 200 and page.data.count(b'class="result') >= 100
    assert explained == []  # a page shows no explanations, so it computes none
    body = client.get("/api/search?q=casework&explain=1&per_page=100").get_json()
    assert len(explained) == MAX_EXPLAINED
    assert ["explanation" in hit for hit in body["results"]] == [True] * MAX_EXPLAINED + [False] * 90


def test_the_app_tells_once_per_function_whether_it_is_a_coroutine(index_dir, monkeypatch):
    import flask.app

    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})
    asked = Counter()

    def counting(func):
        asked[func] += 1
        return False

    monkeypatch.setattr(flask.app, "iscoroutinefunction", counting)
    client = app.test_client()
    for q in ("disclosure", "victim letters", "wessex"):
        assert client.get(f"/api/search?q={q}").status_code == 200
    # Each hook and the view is asked about once, however many searches are made.
    assert asked and max(asked.values()) == 1
