"""The OpenSearch description, the sitemap and robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET

OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_opensearch_description_names_the_search_and_its_suggestions(client):
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    root = ET.fromstring(response.data)
    assert root.find(f"{OPENSEARCH}ShortName").text == "AAP Search"
    urls = {u.get("type"): u.get("template") for u in root.findall(f"{OPENSEARCH}Url")}
    assert urls == {
        "text/html": "http://localhost:8000/?q={searchTerms}",
        "application/x-suggestions+json": "http://localhost:8000/api/suggest?q={searchTerms}&format=opensearch",
        "application/opensearchdescription+xml": "http://localhost:8000/opensearch.xml",
    }
    suggestions = client.get("/api/suggest?q=vic&format=opensearch")
    assert suggestions.mimetype == "application/x-suggestions+json" and suggestions.get_json()[0] == "vic"


def test_every_page_links_the_opensearch_description(client):
    for url in ("/", "/entries/para-4.10", "/areas", "/compare", "/entries/nope"):
        html = client.get(url).get_data(as_text=True)
        assert (
            '<link rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml" '
            'title="AAP Search">' in html
        ), url


def test_sitemap_lists_every_entry_and_area_page(client, search_index):
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    locations = [u.find(f"{SITEMAP}loc").text for u in ET.fromstring(response.data)]
    expected = {f"http://localhost:8000/entries/{e.id}" for e in search_index.entries}
    expected |= {f"http://localhost:8000/areas/{a.slug}" for a in search_index.areas.areas}
    assert expected <= set(locations) and len(locations) == len(set(locations))
    assert "http://localhost:8000/" in locations
    for path in ("/areas/wessex", "/entries/para-4.10", "/compare"):
        assert client.get(path).status_code == 200


def test_robots_allows_crawling_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert (
        response.get_data(as_text=True)
        == "User-agent: *\nAllow: /\nSitemap: http://localhost:8000/sitemap.xml\n"
    )
