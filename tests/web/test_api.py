"""The JSON API: whole bodies, disjunctive counts, errors, CSV, caching and the OpenAPI description."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import jsonschema
import pytest

from search import cli
from search.output.serialize import entry_to_json, hit_to_json
from search.query.request import parse_request
from search.query.searcher import SearchIndex
from web import create_app
from web.openapi import OPERATIONS, openapi_document

AREA_SLUGS = [
    ("cymru-wales", "Cymru-Wales"),
    ("east-midlands", "East Midlands"),
    ("east-of-england", "East of England"),
    ("london-north", "London North"),
    ("london-south", "London South"),
    ("mersey-cheshire", "Mersey-Cheshire"),
    ("north-east", "North East"),
    ("north-west", "North West"),
    ("south-east", "South East"),
    ("south-west", "South West"),
    ("thames-and-chiltern", "Thames and Chiltern"),
    ("wessex", "Wessex"),
    ("west-midlands", "West Midlands"),
    ("yorkshire-and-humberside", "Yorkshire and Humberside"),
]


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.data[:500]
    assert response.mimetype == "application/json"
    return response.get_json()


def without_timing(body: dict) -> dict:
    assert isinstance(body.pop("took_ms"), int | float)
    return body


# -- /api/search: whole bodies ---------------------------------------------------


def test_filter_only_search_body(client):
    body = without_timing(get_json(client, "/api/search?kind=report&area=wessex"))
    assert body == {
        "query": "",
        "corrected_query": None,
        "suggested_query": None,
        "missing_words": [],
        "searched_as": [],
        "nothing_searched": False,
        "outside": [],
        "total": 1,
        "page": 1,
        "per_page": 10,
        "results": [
            {
                "id": "report-wessex",
                "kind": "report",
                "part": "general",
                "areas": ["wessex"],
                "themes": [],
                "number": None,
                "title": "Area Assurance Inspection of CPS Wessex; December 2016",
                "text": "Area Assurance Inspection of CPS Wessex, published December 2016.",
                "snippet": "Area Assurance Inspection of CPS Wessex, published December 2016.",
                "snippet_text": "Area Assurance Inspection of CPS Wessex, published December 2016.",
                "highlights": [],
                "score": None,
                "url": "/entries/report-wessex",
            }
        ],
        "facets": {
            # Disjunctive: the Area counts ignore the Area selection (every Area has a report)…
            "area": [{"value": slug, "label": name, "count": 1} for slug, name in AREA_SLUGS],
            "theme": [],
            "part": [{"value": "general", "label": "General", "count": 1}],
            # … and the kind counts ignore the kind selection: all of Wessex's entries.
            "kind": [
                {"value": "issue", "label": "Issue to address", "count": 8},
                {"value": "strength", "label": "Strength", "count": 8},
                {"value": "rating", "label": "Scores", "count": 4},
                {"value": "report", "label": "Area report", "count": 1},
            ],
        },
        "answer": None,
        "scope": None,
        "sections": [],
        "links": {
            "self": "/api/search?area=wessex&kind=report",
            "first": "/api/search?area=wessex&kind=report",
            "prev": None,
            "next": None,
            "last": "/api/search?area=wessex&kind=report",
        },
    }


def test_phrase_search_body(client):
    body = without_timing(get_json(client, '/api/search?q="unused+material"&area=wessex'))
    assert body == {
        "query": '"unused material"',
        "corrected_query": None,
        "suggested_query": None,
        "missing_words": [],
        "searched_as": [],
        "nothing_searched": False,
        "outside": [],
        "total": 1,
        "page": 1,
        "per_page": 10,
        "results": [
            {
                "id": "issue-wessex-4",
                "kind": "issue",
                "part": "c",
                "areas": ["wessex"],
                "themes": ["disclosure"],
                "number": "4",
                "title": "Wessex: issue to address 4",
                "text": "The Area needs to ensure that prosecutors undertake a full review of unused material "
                "and record their decisions on the disclosure record sheet.",
                "snippet": "The Area needs to ensure that prosecutors undertake a full review of "
                "<mark>unused material</mark> and record their decisions on the disclosure record sheet.",
                "snippet_text": "The Area needs to ensure that prosecutors undertake a full review of "
                "unused material and record their decisions on the disclosure record sheet.",
                "highlights": [{"start": 69, "end": 84}],
                "score": body["results"][0]["score"],
                "url": "/entries/issue-wessex-4",
            }
        ],
        "facets": {
            "area": [
                {"value": slug, "label": name, "count": 1}
                for slug, name in AREA_SLUGS
                if slug
                in {
                    "cymru-wales",
                    "east-of-england",
                    "north-east",
                    "north-west",
                    "south-east",
                    "thames-and-chiltern",
                    "wessex",
                    "west-midlands",
                    "yorkshire-and-humberside",
                }
            ],
            "theme": [{"value": "disclosure", "label": "Disclosure", "count": 1}],
            "part": [{"value": "c", "label": "C: High quality casework", "count": 1}],
            "kind": [{"value": "issue", "label": "Issue to address", "count": 1}],
        },
        "answer": None,
        "scope": None,
        "sections": [],
        "links": {
            "self": "/api/search?q=%22unused+material%22&area=wessex",
            "first": "/api/search?q=%22unused+material%22&area=wessex",
            "prev": None,
            "next": None,
            "last": "/api/search?q=%22unused+material%22&area=wessex",
        },
    }
    assert body["results"][0]["score"] > 0
    hit = body["results"][0]
    assert [hit["snippet_text"][h["start"] : h["end"]] for h in hit["highlights"]] == ["unused material"]


def test_a_reader_word_is_given_with_the_report_words_it_was_searched_as(client):
    body = get_json(client, "/api/search?q=acquittals+in+court")
    assert body["total"] > 0 and body["missing_words"] == []
    assert body["searched_as"] == [
        {"word": "acquittals", "report_words": ["unsuccessful outcomes", "unsuccessful"]}
    ]
    explained = get_json(client, "/api/search?q=acquittals&explain=1")["explanation"]
    assert explained["searched_as"] == {"acquittals": ["unsuccessful outcomes", "unsuccessful"]}


def test_a_query_with_no_word_to_search_for_finds_nothing_and_says_so(client):
    body = get_json(client, "/api/search?q=of+the&explain=1")
    assert body["nothing_searched"] is True
    assert body["total"] == 0 and body["results"] == []
    assert body["explanation"]["nothing_searched"] is True
    # An empty query lists every entry, and says nothing of the kind.
    empty = get_json(client, "/api/search?q=")
    assert empty["nothing_searched"] is False and empty["total"] > 0


def test_a_place_outside_england_and_wales_is_named_with_who_prosecutes_there(client):
    body = get_json(client, "/api/search?q=victims+in+Belfast")
    assert body["outside"] == [
        {
            "name": "Belfast",
            "nation": "Northern Ireland",
            "note": "Belfast is in Northern Ireland, outside the report: the CPS prosecutes in England and "
            "Wales, and in Northern Ireland the Public Prosecution Service for Northern Ireland does",
        }
    ]
    assert body["missing_words"] == ["Belfast"] and body["scope"] is None


def test_how_many_areas_is_answered_with_the_areas_own_reports(client):
    body = get_json(client, "/api/search?q=how+many+areas+are+there&per_page=20")
    answer = body["answer"]
    assert answer["kind"] == "count" and answer["count"] == 14 and len(answer["entries"]) == 14
    assert [r["id"] for r in body["results"]] == answer["entries"]
    assert answer["search_url"] == "/?kind=report"


def test_no_hits_body(client):
    body = without_timing(get_json(client, "/api/search?q=xylophone"))
    assert body == {
        "query": "xylophone",
        "corrected_query": None,
        "suggested_query": None,
        "missing_words": ["xylophone"],
        "searched_as": [],
        "nothing_searched": False,
        "outside": [],
        "total": 0,
        "page": 1,
        "per_page": 10,
        "results": [],
        "facets": {"area": [], "theme": [], "part": [], "kind": []},
        "answer": None,
        "scope": None,
        "sections": [],
        "links": {
            "self": "/api/search?q=xylophone",
            "first": "/api/search?q=xylophone",
            "prev": None,
            "next": None,
            "last": "/api/search?q=xylophone",
        },
    }


def test_spelling_correction_is_reported(client):
    body = get_json(client, "/api/search?q=comunity+engagment&kind=issue&area=east-midlands")
    assert body["query"] == "comunity engagment"
    assert body["corrected_query"] == "community engagement"
    assert [r["id"] for r in body["results"]][0] == "issue-east-midlands-10"
    assert "<mark>community</mark> <mark>engagement</mark>" in body["results"][0]["snippet"]


def test_api_body_is_the_cli_json(client, index_dir, capsys):
    api = without_timing(
        get_json(client, "/api/search?q=victim+letters&theme=victims-and-witnesses&per_page=5")
    )
    code = cli.main(
        [
            "--index",
            str(index_dir),
            "query",
            "victim letters",
            "--theme",
            "victims-and-witnesses",
            "--limit",
            "5",
            "--json",
        ]
    )
    assert code == 0
    assert without_timing(json.loads(capsys.readouterr().out)) == api


def test_paging_and_document_order(client, search_index):
    body = get_json(client, "/api/search?sort=document&per_page=3&page=2")
    assert body["total"] == len(search_index.entries)
    assert [r["id"] for r in body["results"]] == [e.id for e in search_index.entries[3:6]]
    assert all(r["score"] is None for r in body["results"])


# -- disjunctive facet counts ----------------------------------------------------


def facet_counts(body: dict, facet: str) -> dict[str, int]:
    return {v["value"]: v["count"] for v in body["facets"][facet]}


def test_facet_counts_ignore_their_own_selection(client, search_index):
    selection = "q=police&area=london-north&area=wessex&theme=police-file-quality"
    both = get_json(client, f"/api/search?{selection}&per_page=100")
    theme_only = get_json(client, "/api/search?q=police&theme=police-file-quality")
    area_only = get_json(client, "/api/search?q=police&area=london-north&area=wessex")
    assert facet_counts(both, "area") == facet_counts(theme_only, "area")
    assert facet_counts(both, "theme") == facet_counts(area_only, "theme")
    assert facet_counts(both, "area") != facet_counts(area_only, "area")
    # The other facets count the whole selection: Areas OR-ed, facets AND-ed.
    matched = [search_index.entry(r["id"]) for r in both["results"]]
    assert both["total"] == len(matched) > 0
    assert all(
        {"london-north", "wessex"} & set(e.areas) and "police-file-quality" in e.themes for e in matched
    )
    assert facet_counts(both, "kind") == dict(Counter(e.kind for e in matched))
    assert facet_counts(both, "part") == dict(Counter(e.part for e in matched))


def test_several_values_of_one_facet_are_ored(client):
    one = get_json(client, "/api/search?kind=issue&area=wessex")["total"]
    other = get_json(client, "/api/search?kind=issue&area=london-north")["total"]
    assert get_json(client, "/api/search?kind=issue&area=wessex&area=london-north")["total"] == one + other


@pytest.mark.parametrize(
    ("query", "param", "value"),
    [("area=wessex&area=narnia", "area", "narnia"), ("kind=issues", "kind", "issues"),
     ("theme=victims", "theme", "victims"), ("part=f", "part", "f")],
)  # fmt: skip
def test_an_unknown_filter_value_is_a_400_listing_the_valid_ones(client, search_index, query, param, value):
    valid = {
        "area": [slug for slug, _ in AREA_SLUGS],
        "theme": list(search_index.taxonomy.slugs),
        "part": ["a", "b", "c", "d", "e", "general"],
        "kind": ["paragraph", "issue", "good-practice", "strength", "rating", "criterion", "finding",
                 "table", "report"],
    }[param]  # fmt: skip
    for path in ("/api/search", "/api/search.csv", "/api/search.json"):
        assert get_json(client, f"{path}?{query}", 400) == {
            "error": f"{param} has no value {value!r}; valid values: {', '.join(valid)}",
            "param": param,
            "status": 400,
            "allowed": valid,
        }
    page = client.get(f"/?{query}")
    assert page.status_code == 400 and "valid values" in page.get_data(as_text=True)


def test_links_lead_to_the_other_pages(client):
    first = get_json(client, "/api/search?q=casework&per_page=20")
    pages = -(-first["total"] // 20)
    assert first["links"] == {
        "self": "/api/search?q=casework&per_page=20",
        "first": "/api/search?q=casework&per_page=20",
        "prev": None,
        "next": "/api/search?q=casework&per_page=20&page=2",
        "last": f"/api/search?q=casework&per_page=20&page={pages}",
    }
    second = get_json(client, first["links"]["next"])
    assert second["page"] == 2 and second["links"]["prev"] == first["links"]["first"]
    last = get_json(client, first["links"]["last"])
    assert last["links"]["next"] is None and len(last["results"]) == first["total"] - 20 * (pages - 1)
    seen = [r["id"] for r in first["results"]]
    link = first["links"]["next"]
    while link:
        body = get_json(client, link)
        seen += [r["id"] for r in body["results"]]
        link = body["links"]["next"]
    assert len(seen) == len(set(seen)) == first["total"]  # following `next` gives every result once


# -- errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "error", "param"),
    [
        ("page=0", "page must be between 1 and 1000", "page"),
        ("page=abc", "page must be a whole number, not 'abc'", "page"),
        ("per_page=1000", "per_page must be between 1 and 100", "per_page"),
        ("per_page=100&page=101", "page × per_page must be at most 10000; narrow the search instead", "page"),
        ("sort=x", "sort must be one of relevance, document", "sort"),
        ("q=" + "a" * 501, "q must be at most 500 characters", "q"),
        ("area=" + "x" * 101, "area values must be at most 100 characters", "area"),
    ],
)
def test_bad_parameters_get_400_naming_the_parameter(client, query, error, param):
    for path in ("/api/search", "/api/search.csv"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400
        assert response.get_json() == {"error": error, "param": param, "status": 400}
        assert response.headers["Cache-Control"] == "no-store"


def test_not_found_errors(client):
    assert get_json(client, "/api/entries/nope", 404) == {
        "error": "no entry 'nope'",
        "param": "id",
        "status": 404,
    }
    assert get_json(client, "/api/areas/atlantis", 404) == {
        "error": "no Area 'atlantis'; see /areas for the list",
        "param": "slug",
        "status": 404,
    }
    assert get_json(client, "/api/nothing", 404) == {
        "error": "The requested URL was not found on the server. If you entered the URL manually "
        "please check your spelling and try again.",
        "param": None,
        "status": 404,
    }


def test_wrong_method_is_405_json(client):
    response = client.post("/api/search")
    assert response.status_code == 405
    assert response.get_json() == {
        "error": "The method is not allowed for the requested URL.",
        "param": None,
        "status": 405,
    }
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_other_spellings_of_an_area_redirect(client):
    response = client.get("/api/areas/Merseyside%20&%20Cheshire")
    assert response.status_code == 301
    assert response.headers["Location"] == "/api/areas/mersey-cheshire"


# -- other endpoints -------------------------------------------------------------


REPORT_PAGE = (
    "https://www.justiceinspectorates.gov.uk/hmcpsi/inspections/area-assurance-programme-composite-report/"
)
QUOTE = (
    "“The Area must ensure that quality reviews in Crown Court cases are undertaken in a timely "
    "manner, set out a clear case analysis and trial strategy, and facilitate effective grip.”"
)


def test_entry_body(client, search_index):
    body = get_json(client, "/api/entries/issue-london-north-7")
    related = [hit_to_json(h) for h in search_index.related("issue-london-north-7", limit=5)]
    counterparts = [hit_to_json(h) for h in search_index.counterparts("issue-london-north-7")]
    assert body == {
        "id": "issue-london-north-7",
        "kind": "issue",
        "part": "c",
        "title": "London North: issue to address 7",
        "text": "The Area must ensure that quality reviews in Crown Court cases are undertaken in a timely "
        "manner, set out a clear case analysis and trial strategy, and facilitate effective grip.",
        "source": "hmcpsi-aap-composite-report-2019",
        "order": search_index.entry("issue-london-north-7").order,
        "areas": ["london-north"],
        "themes": list(search_index.entry("issue-london-north-7").themes),
        "number": "7",
        "section": "Annex B: Issues to address › Part C: Delivering high quality casework",
        "permalink": "/entries/issue-london-north-7",
        "citation": "HMCPSI, Area Assurance Programme composite report, publication CP001:1266, October 2019, "
        "Annex B, London North, issue to address 7",
        "citations": {
            "text": "HMCPSI, Area Assurance Programme composite report, publication CP001:1266, October 2019, "
            f"Annex B, London North, issue to address 7: {QUOTE}. Report: {REPORT_PAGE}. "
            "Entry: http://localhost:8000/entries/issue-london-north-7",
            "ris": "TY  - RPRT\r\n"
            "TI  - Area Assurance Programme composite report: Annex B, London North, issue to address 7\r\n"
            "T2  - Area Assurance Programme composite report\r\n"
            "AU  - HM Crown Prosecution Service Inspectorate\r\n"
            "PB  - HM Crown Prosecution Service Inspectorate\r\n"
            "PY  - 2019\r\n"
            "DA  - 2019/10\r\n"
            "M1  - CP001:1266\r\n"
            "SE  - Annex B, London North, issue to address 7\r\n"
            "UR  - http://localhost:8000/entries/issue-london-north-7\r\n"
            f"L2  - {REPORT_PAGE}\r\n"
            f"N1  - Quoted: {QUOTE}\r\n"
            "ID  - issue-london-north-7\r\n"
            "ER  - \r\n",
            "bibtex": "@techreport{HMCPSI2019:issue-london-north-7,\n"
            "  author = {{HM Crown Prosecution Service Inspectorate}},\n"
            "  title = {Area Assurance Programme composite report: Annex B, London North, issue to address 7},\n"
            "  institution = {HM Crown Prosecution Service Inspectorate},\n"
            "  number = {CP001:1266},\n"
            "  year = {2019},\n"
            "  month = oct,\n"
            f"  note = {{Annex B, London North, issue to address 7. Report page: {REPORT_PAGE}}},\n"
            f"  annote = {{{QUOTE}}},\n"
            "  url = {http://localhost:8000/entries/issue-london-north-7}\n"
            "}\n",
        },
        "previous": "issue-london-north-6",
        "next": "issue-london-north-8",
        "related": related,
        "counterparts": counterparts,
    }
    assert related and all("london-north" not in r["areas"] for r in related)
    # Good practice and strengths of other Areas on the issue's themes, the best match first.
    assert [c["id"] for c in counterparts] == [
        "good-practice-east-of-england-2",
        "strength-east-of-england-2",
        "good-practice-east-of-england-3",
        "good-practice-north-west-1",
        "strength-east-midlands-4",
        "strength-mersey-cheshire-3",
    ]
    assert get_json(client, "/api/entries/para-4.10")["counterparts"] == []


def test_areas_body(client, search_index):
    body = get_json(client, "/api/areas")
    assert [(a["slug"], a["name"]) for a in body["areas"]] == AREA_SLUGS
    wessex = next(a for a in body["areas"] if a["slug"] == "wessex")
    assert wessex == {
        "slug": "wessex",
        "name": "Wessex",
        "url": "/areas/wessex",
        "report_url": "https://justiceinspectorates.gov.uk/hmcpsi/inspections/area-assurance-inspection-of-cps-wessex",
        "counts": {
            "paragraph": 0,
            "issue": 8,
            "good-practice": 0,
            "strength": 8,
            "rating": 4,
            "criterion": 0,
            "finding": 0,
            "table": 0,
            "report": 1,
        },
        "scores": {
            "A1": "Good",
            "A2": "Good",
            "A3": "Good",
            "A": "Good",
            "B1": "Good",
            "B2": "Excellent",
            "B3": "Good",
            "B": "Excellent",
            "C1": "Poor",
            "C2": "Fair",
            "C3": "Fair",
            "C4": "Good",
            "C": "Fair",
            "D1": "Poor",
            "D2": "Fair",
            "D3": "Good",
            "D": "Fair",
        },
    }
    # The pilot Areas appear only in Table 4.
    south_west = next(a for a in body["areas"] if a["slug"] == "south-west")
    assert list(south_west["scores"]) == ["C1", "C2", "C3", "C4", "C"]
    assert [(t["table"], t["part"], [c["code"] for c in t["criteria"]]) for t in body["score_tables"]] == [
        ("1", "a", ["A1", "A2", "A3", "A"]),
        ("3", "b", ["B1", "B2", "B3", "B"]),
        ("4", "c", ["C1", "C2", "C3", "C4", "C"]),
        ("5", "d", ["D1", "D2", "D3", "D"]),
    ]


def test_area_body(client, search_index):
    body = get_json(client, "/api/areas/wessex")
    assert body["slug"] == "wessex" and body["name"] == "Wessex" and body["url"] == "/areas/wessex"
    assert body["report"]["id"] == "report-wessex"
    assert body["scores"][0] == {
        "table": "1",
        "part": "a",
        "criteria": [
            {"code": "A1", "criterion": "Leadership"},
            {"code": "A2", "criterion": "Work with Partners"},
            {"code": "A3", "criterion": "Values, staff engagement, morale"},
            {"code": "A", "criterion": "Overall score for Part A"},
        ],
        "footnotes": [
            {
                "number": "4",
                "text": "Excludes the pilot Areas, which were inspected under a different framework.",
            }
        ],
        "entry": "rating-a-wessex",
        "ratings": [
            {"code": "A1", "criterion": "Leadership", "rating": "Good"},
            {"code": "A2", "criterion": "Work with Partners", "rating": "Good"},
            {"code": "A3", "criterion": "Values, staff engagement, morale", "rating": "Good"},
            {"code": "A", "criterion": "Overall score for Part A", "rating": "Good"},
        ],
    }
    assert [e["id"] for e in body["issues"]] == [f"issue-wessex-{n}" for n in range(1, 9)]
    assert [e["id"] for e in body["strengths"]] == [f"strength-wessex-{n}" for n in range(1, 9)]
    assert body["good_practice"] == []
    pilot = get_json(client, "/api/areas/cymru-wales")
    assert [(s["table"], s["entry"], len(s["ratings"])) for s in pilot["scores"]] == [
        ("1", None, 0),
        ("3", None, 0),
        ("4", "rating-c-cymru-wales", 5),
        ("5", None, 0),
    ]
    expected_mentions = [
        e.id
        for e in search_index.entries
        if "cymru-wales" in e.areas and e.kind in ("paragraph", "finding", "table")
    ]
    assert [e["id"] for e in pilot["mentions"]] == expected_mentions and expected_mentions


def test_themes_body(client, search_index):
    body = get_json(client, "/api/themes")
    assert [t["slug"] for t in body["themes"]] == list(search_index.taxonomy.slugs)
    disclosure = body["themes"][0]
    tagged = [e for e in search_index.entries if "disclosure" in e.themes]
    assert disclosure == {
        "slug": "disclosure",
        "label": "Disclosure",
        "description": search_index.taxonomy.themes[0].description,
        "count": len(tagged),
        "counts": dict(Counter(e.kind for e in tagged)),
        "url": "/?theme=disclosure",
    }
    # Each theme's count is what its link finds.
    assert get_json(client, "/api/search?theme=disclosure")["total"] == len(tagged)


def test_glossary_and_quality_bodies(client, search_index):
    glossary = get_json(client, "/api/glossary")
    assert glossary == {"acronyms": search_index.glossary.to_list()}
    assert {
        "acronym": "AAP",
        "expansion": "Area Assurance Programme",
        "origin": "defined",
        "defined_in": "para-1.2",
    } in (glossary["acronyms"])
    assert get_json(client, "/api/quality") == search_index.quality


@pytest.mark.parametrize(
    ("extension", "key", "mimetype"),
    [("txt", "text", "text/plain"), ("ris", "ris", "application/x-research-info-systems"),
     ("bib", "bibtex", "application/x-bibtex")],
)  # fmt: skip
def test_citation_downloads_are_the_api_citations(client, extension, key, mimetype):
    response = client.get(f"/entries/para-4.10.{extension}")
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.headers["Content-Disposition"] == f'attachment; filename="para-4.10.{extension}"'
    assert response.get_data(as_text=True) == get_json(client, "/api/entries/para-4.10")["citations"][key]
    assert client.get(f"/entries/para-99.{extension}").status_code == 404


def test_citations_point_at_the_configured_public_url(index_dir):
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "PUBLIC_URL": "https://aap.example.org/"})
    # Only the public URL's host is trusted, so the request comes to it.
    client = app.test_client()
    citations = client.get("/api/entries/para-4.10", base_url="https://aap.example.org").get_json()[
        "citations"
    ]
    assert citations["text"].endswith(". Entry: https://aap.example.org/entries/para-4.10")
    assert "UR  - https://aap.example.org/entries/para-4.10\r\n" in citations["ris"]
    assert "  url = {https://aap.example.org/entries/para-4.10}\n" in citations["bibtex"]


# -- suggestions -------------------------------------------------------------------


def test_suggest_body_completes_areas_and_phrases(client):
    body = get_json(client, "/api/suggest?q=london&limit=4")
    assert body == {
        "query": "london",
        "suggestions": [
            # An Area applies its filter when chosen.
            {
                "text": "London North",
                "kind": "area",
                "detail": None,
                "count": 40,
                "url": "/?area=london-north",
                "filter": {"facet": "area", "value": "london-north", "query": ""},
            },
            {
                "text": "London South",
                "kind": "area",
                "detail": None,
                "count": 39,
                "url": "/?area=london-south",
                "filter": {"facet": "area", "value": "london-south", "query": ""},
            },
            # A place, with the CPS Areas that cover it: chosen, it scopes the search.
            {
                "text": "London",
                "kind": "place",
                "detail": "CPS London North and CPS London South",
                "count": 39,
                "url": "/?q=London",
            },
            # Matches at the start come first; then a word further in.
            {"text": "London Areas", "kind": "phrase", "detail": None, "count": 8, "url": "/?q=London+Areas"},
        ],
    }


def test_suggest_acronyms_either_way_and_the_last_words(client):
    assert get_json(client, "/api/suggest?q=iqa") == {
        "query": "iqa",
        "suggestions": [
            {
                "text": "IQA",
                "kind": "acronym",
                "detail": "individual quality assessments",
                "count": 8,
                "url": "/?q=IQA",
            }
        ],
    }
    expansion = get_json(client, "/api/suggest?q=individual+qu&limit=1")["suggestions"]
    assert [(s["text"], s["detail"]) for s in expansion] == [("individual quality assessments", "IQA")]
    # A trailing space means the word is whole: "police file " continues with the next word.
    assert [s["text"] for s in get_json(client, "/api/suggest?q=police+file+")["suggestions"]] == [
        "Police file quality"
    ]
    tail = get_json(client, "/api/suggest?q=wessex+victim+li&limit=2")["suggestions"]
    assert [s["text"] for s in tail] == ["wessex Victim Liaison Units", "wessex Victim Liaison"]


@pytest.mark.parametrize(
    ("typed", "text", "facet", "value", "query"),
    [
        ("disclosure wess", "disclosure Wessex", "area", "wessex", "disclosure"),
        ("hate cr", "Hate crime", "theme", "hate-crime", ""),
        (
            "east of england good prac",
            "east of england Good practice",
            "kind",
            "good-practice",
            "east of england",
        ),
        ("part c", "Part C: High quality casework", "part", "c", ""),
    ],
)
def test_area_theme_kind_and_part_suggestions_carry_their_filter(client, typed, text, facet, value, query):
    found = get_json(client, f"/api/suggest?q={typed}")["suggestions"]
    suggestion = next(s for s in found if s["kind"] == facet)
    assert suggestion["text"] == text
    assert suggestion["filter"] == {"facet": facet, "value": value, "query": query}
    expected = [("q", query)] if query else []
    assert suggestion["url"] == "/?" + urlencode([*expected, (facet, value)])
    assert get_json(client, "/api" + suggestion["url"].replace("/?", "/search?"))["total"] > 0


def test_suggest_opensearch_format_and_empty_text(client):
    response = client.get("/api/suggest?q=iqa&format=opensearch")
    assert response.mimetype == "application/x-suggestions+json"
    assert response.get_json() == ["iqa", ["IQA"]]
    assert get_json(client, "/api/suggest?q=") == {"query": "", "suggestions": []}
    assert get_json(client, "/api/suggest?q=xylophone") == {"query": "xylophone", "suggestions": []}


@pytest.mark.parametrize(
    ("query", "error", "param"),
    [
        ("limit=0", "limit must be between 1 and 20", "limit"),
        ("limit=x", "limit must be a whole number, not 'x'", "limit"),
        ("q=a&format=xml", "format must be one of json, opensearch", "format"),
        ("q=" + "a" * 501, "q must be at most 500 characters", "q"),
    ],
)
def test_suggest_bad_parameters(client, query, error, param):
    body = get_json(client, f"/api/suggest?{query}", 400)
    assert body == {"error": error, "param": param, "status": 400}


# -- compare -----------------------------------------------------------------------


def test_compare_body(client, search_index):
    body = get_json(client, "/api/compare?area=wessex&area=London+North")
    assert body["areas"] == [
        {"slug": "wessex", "name": "Wessex", "url": "/areas/wessex"},
        {"slug": "london-north", "name": "London North", "url": "/areas/london-north"},
    ]
    assert [(t["table"], t["part"]) for t in body["scores"]] == [
        ("1", "a"),
        ("3", "b"),
        ("4", "c"),
        ("5", "d"),
    ]
    assert body["scores"][2] == {
        "table": "4",
        "part": "c",
        "criteria": [
            {
                "code": "C1",
                "criterion": "Reviews and decisions in magistrates' courts",
                "ratings": {"wessex": "Poor", "london-north": "Fair"},
                "differs": True,
            },
            {
                "code": "C2",
                "criterion": "Case progression in magistrates' courts",
                "ratings": {"wessex": "Fair", "london-north": "Fair"},
                "differs": False,
            },
            {
                "code": "C3",
                "criterion": "Reviews and decisions in Crown Court",
                "ratings": {"wessex": "Fair", "london-north": "Fair"},
                "differs": False,
            },
            {
                "code": "C4",
                "criterion": "Case progression in Crown Court",
                "ratings": {"wessex": "Good", "london-north": "Fair"},
                "differs": True,
            },
            {
                "code": "C",
                "criterion": "Overall score for Part C",
                "ratings": {"wessex": "Fair", "london-north": "Fair"},
                "differs": False,
            },
        ],
    }
    case = next(t for t in body["themes"] if t["slug"] == "case-progression")
    assert case == {
        "slug": "case-progression",
        "label": "Case progression and grip",
        "issues": {
            "wessex": [entry_to_json(search_index.entry(f"issue-wessex-{n}")) for n in (3, 5, 6)],
            "london-north": [
                entry_to_json(search_index.entry(f"issue-london-north-{n}")) for n in (5, 6, 7, 8)
            ],
        },
        "good_practice": {"wessex": [], "london-north": []},
        "strengths": {"wessex": [], "london-north": []},
    }
    every = [e for t in body["themes"] for rows in t["issues"].values() for e in rows]
    assert {e["id"] for e in every} == {
        e.id
        for e in search_index.entries
        if e.kind == "issue" and e.themes and e.areas[0] in ("wessex", "london-north")
    }


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("", "choose 2 to 4 different Areas to compare; none was chosen"),
        ("area=wessex", "choose 2 to 4 different Areas to compare; 1 was chosen"),
        ("area=wessex&area=Wessex", "choose 2 to 4 different Areas to compare; 1 was chosen"),
        ("area=wessex&area=north-east&area=south-east&area=south-west&area=west-midlands",
         "choose 2 to 4 different Areas to compare; 5 were chosen"),
        ("area=wessex&area=atlantis", "unknown Area 'atlantis'; see /areas for the list"),
    ],
)  # fmt: skip
def test_compare_needs_two_to_four_known_areas(client, query, error):
    assert get_json(client, f"/api/compare?{query}", 400) == {"error": error, "param": "area", "status": 400}


# -- CSV -------------------------------------------------------------------------


def csv_rows(response) -> list[dict]:
    """Read a CSV download as a spreadsheet would: UTF-8 after its byte-order mark."""
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_csv_export_has_every_matching_row(client, search_index):
    response = client.get("/api/search.csv?q=disclosure&page=3&per_page=5")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="aap-disclosure.csv"'
    rows = csv_rows(response)
    result = search_index.search(parse_request({"q": ["disclosure"], "per_page": ["100"]}))
    assert 5 < result.total <= 100  # page and per_page are ignored: every row comes
    assert [r["id"] for r in rows] == [h.entry.id for h in result.hits]
    assert response.headers["X-Total-Count"] == str(result.total) == str(len(rows))
    first, entry = rows[0], result.hits[0].entry
    assert list(first) == [
        "id",
        "kind",
        "part",
        "number",
        "title",
        "areas",
        "themes",
        "section",
        "text",
        "url",
        "kind_code",
        "part_code",
        "area_slugs",
        "theme_slugs",
    ]
    assert first["url"] == f"http://localhost:8000/entries/{entry.id}"  # the default public URL
    assert first["text"] == entry.text and first["area_slugs"] == ";".join(entry.areas)
    issue = next(r for r in csv_rows(client.get("/api/search.csv?kind=issue&area=mersey-cheshire")))
    assert (issue["kind"], issue["kind_code"]) == ("Issue to address", "issue")
    assert (issue["areas"], issue["area_slugs"]) == ("Mersey-Cheshire", "mersey-cheshire")
    assert issue["part"] == "A: The success of CPS people" and issue["part_code"] == "a"
    themed = next(r for r in csv_rows(client.get("/api/search.csv?theme=case-progression")))
    assert "Case progression and grip" in themed["themes"].split("; ")


def test_csv_keeps_curly_quotes_and_dashes(client, search_index):
    rows = csv_rows(client.get("/api/search.csv"))
    beyond_ascii = [r for r in rows if any(ord(c) > 127 for c in r["text"] + r["title"])]
    assert len(beyond_ascii) > 100 and any("’" in r["text"] for r in beyond_ascii)
    for row in beyond_ascii:
        entry = search_index.entry(row["id"])
        assert (row["title"], row["text"]) == (entry.title, entry.text)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("q=disclosure&area=wessex", "aap-disclosure-wessex"),
        ("q=%22victim+letters%22&kind=issue&kind=good-practice", "aap-victim-letters-issue-good-practice"),
        ("", "aap-all-entries"),
    ],
)
def test_downloads_are_named_for_what_they_hold(client, query, name):
    for extension in ("csv", "json"):
        response = client.get(f"/api/search.{extension}?{query}")
        assert response.headers["Content-Disposition"] == f'attachment; filename="{name}.{extension}"'


def test_json_download_has_every_result(client, search_index):
    response = client.get("/api/search.json?q=casework&per_page=5&page=2")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    result = search_index.export(parse_request({"q": ["casework"]}))
    assert body["total"] == result.total > 100 and body["truncated"] is False
    assert [r["id"] for r in body["results"]] == [h.entry.id for h in result.hits]  # every page, in order
    assert body["results"][0] == {
        **entry_to_json(result.hits[0].entry),
        "permalink": f"http://localhost:8000/entries/{result.hits[0].entry.id}",
    }
    assert (body["query"], body["filters"], body["sort"]) == ("casework", {}, "relevance")


def test_csv_export_pages_through_large_results(client, search_index):
    rows = csv_rows(client.get("/api/search.csv"))
    assert [r["id"] for r in rows] == [e.id for e in search_index.entries]  # > 100: several pages
    assert "\n" in next(r["text"] for r in rows if r["id"] == "para-1.20")  # line breaks survive quoting


def test_csv_export_runs_the_search_once(client, monkeypatch):
    calls = {"search": 0, "snippet": 0}
    search, make_hit = SearchIndex.search, SearchIndex.make_hit

    def counting_search(self, *args, **kwargs):
        calls["search"] += 1
        return search(self, *args, **kwargs)

    def counting_make_hit(self, *args, **kwargs):
        calls["snippet"] += 1
        return make_hit(self, *args, **kwargs)

    monkeypatch.setattr(SearchIndex, "search", counting_search)
    monkeypatch.setattr(SearchIndex, "make_hit", counting_make_hit)
    for query in ("", "casework", "court+cases"):  # each more than 100 rows: several pages
        calls.update(search=0, snippet=0)
        rows = csv_rows(client.get(f"/api/search.csv?q={query}"))
        assert len(rows) > 100
        assert calls == {"search": 1, "snippet": 0}, query  # one ranking, and no snippets it would not show


# -- caching and headers ---------------------------------------------------------


def test_etag_and_304(client):
    first = client.get("/api/search?q=disclosure")
    etag = first.headers["ETag"]
    assert etag.startswith('W/"') and first.headers["Cache-Control"] == "public, max-age=60"
    assert client.get("/api/search?q=disclosure").headers["ETag"] == etag
    assert client.get("/api/search?q=police").headers["ETag"] != etag
    again = client.get("/api/search?q=disclosure", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert client.get("/api/search?q=disclosure", headers={"If-None-Match": 'W/"other"'}).status_code == 200


@pytest.mark.parametrize(
    "path, status",
    [
        ("/api/entries/no-such-entry", 404),
        ("/entries/no-such-entry", 404),
        ("/api/areas/atlantis", 404),
        ("/api/areas/atlantis.json", 404),
        ("/api/search?page=0", 400),
        ("/api/search.csv?sort=nope", 400),
        ("/?per_page=1000", 400),
        ("/no/such/page", 404),
    ],
)
def test_if_none_match_star_never_hides_an_error(client, path, status):
    response = client.get(path, headers={"If-None-Match": "*"})
    assert response.status_code == status
    assert "ETag" not in response.headers


@pytest.mark.parametrize("path", ["/api/entries/para-4.10", "/api/search?q=disclosure", "/areas/wessex"])
def test_if_none_match_star_is_304_for_what_exists(client, path):
    etag = client.get(path).headers["ETag"]
    response = client.get(path, headers={"If-None-Match": "*"})
    assert response.status_code == 304 and response.data == b""
    assert response.headers["ETag"] == etag and "Content-Type" not in response.headers


def test_etag_follows_the_index_build(tmp_path, index_dir, client):
    """A new build (here: a copy with another name) gives new ETags."""
    build = (index_dir / "CURRENT").read_text().strip()
    copy = tmp_path / "index"
    shutil.copytree(index_dir / "builds" / build, copy / "builds" / "renamed")
    meta = json.loads((copy / "builds" / "renamed" / "meta.json").read_text())
    (copy / "builds" / "renamed" / "meta.json").write_text(json.dumps({**meta, "name": "renamed"}))
    (copy / "CURRENT").write_text("renamed")
    other = create_app({"TESTING": True, "INDEX_DIR": str(copy)}).test_client()
    assert other.get("/api/themes").headers["ETag"] != client.get("/api/themes").headers["ETag"]
    assert other.get("/api/themes").get_json() == client.get("/api/themes").get_json()


@pytest.mark.parametrize("path", ["/api/search.csv?q=wessex", "/entries/para-4.10.ris", "/opensearch.xml"])
def test_etag_follows_every_setting_that_changes_a_body(index_dir, path):
    """Two servers with different public URLs write different links: never the same ETag."""

    def server(public_url: str):
        config = {"TESTING": True, "INDEX_DIR": str(index_dir), "PUBLIC_URL": public_url}
        return create_app(config).test_client()

    one, other = server("https://one.example"), server("https://other.example")
    first, second = (
        one.get(path, base_url="https://one.example"),
        other.get(path, base_url="https://other.example"),
    )
    assert first.status_code == second.status_code == 200 and first.data != second.data
    assert first.headers["ETag"] != second.headers["ETag"]
    stale = other.get(
        path, base_url="https://other.example", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert stale.status_code == 200 and stale.data == second.data


def test_the_etag_covers_every_setting_the_web_service_reads_but_where_and_whom_it_serves():
    from web.headers import BODY_SETTINGS

    web = Path(__file__).resolve().parents[2] / "web"
    read = set()
    for path in web.rglob("*"):
        if path.suffix in (".py", ".html", ".xml"):
            read |= set(re.findall(r"config\[[\"']([A-Z_]+)", path.read_text(encoding="utf-8")))
    # Where the index is and how often it is checked, and which Host names are answered,
    # decide whether a request is answered, not what an answer says; where searches are
    # recorded, and for how long, and how garbage is collected, decide nothing a reader sees.
    served = {
        "INDEX_DIR",
        "INDEX_CHECK_INTERVAL",
        "TRUSTED_HOSTS",
        "ANALYTICS_DIR",
        "ANALYTICS_KEEP_DAYS",
        "FREEZE_GC",
    }
    assert read - served == set(BODY_SETTINGS)


def test_api_headers(client):
    response = client.get("/api/themes")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("path", "status", "cors"),
    [
        ("/api/themes", 200, True),
        ("/api/search?page=0", 400, True),
        ("/api/no-such-endpoint", 404, True),
        ("/api//themes", 308, True),  # Werkzeug's own redirect, answered before any view
        ("/", 200, False),
        ("/areas", 200, False),
        ("/static/no-such-file.css", 404, False),
    ],
)
def test_cors_is_sent_once_on_the_api_and_nowhere_else(client, path, status, cors):
    response = client.get(path)
    assert response.status_code == status
    assert response.headers.getlist("Access-Control-Allow-Origin") == (["*"] if cors else [])
    if status == 308:
        assert response.headers["Location"] == "/api/themes"  # made relative, as before


@pytest.mark.parametrize(
    "path", ["/api/search?q=disclosure", "/", "/api/search?page=0", "/no-such-page", "/areas"]
)
def test_each_security_header_is_sent_once(client, path):
    from web.headers import SECURITY_HEADERS

    response = client.get(path)
    for name in SECURITY_HEADERS:
        assert response.headers.getlist(name) == [SECURITY_HEADERS[name]], name
    etag = response.headers.get("ETag")
    if etag:
        unchanged = client.get(path, headers={"If-None-Match": etag})
        assert unchanged.status_code == 304
        for name in SECURITY_HEADERS:
            assert unchanged.headers.getlist(name) == [SECURITY_HEADERS[name]], name


# -- OpenAPI ---------------------------------------------------------------------

SAMPLES = [
    ("/api/search?q=disclosure&area=wessex", 200),
    ("/api/search?q=comunity+engagment", 200),
    ("/api/search?sort=document&per_page=100", 200),
    ("/api/search?page=0", 400),
    ("/api/search?q=which+areas+were+rated+excellent+for+resource+management", 200),
    ("/api/search?q=how+many+strengths+does+wessex+have", 200),
    ("/api/search?q=london+north+disclosure&explain=1", 200),
    ("/api/search?q=victim+letters&explain=1&kind=issue", 200),
    ("/api/search?explain=maybe", 400),
    ("/api/suggest?q=vic", 200),
    ("/api/suggest?q=vic&format=opensearch", 200),
    ("/api/suggest?limit=99", 400),
    ("/api/search.csv?q=wessex", 200),
    ("/api/search.csv?sort=nope", 400),
    ("/api/search.json?kind=report", 200),
    ("/api/search?area=narnia", 400),
    ("/api/ratings?criterion=C1&rating=Poor&sort=-area", 200),
    ("/api/ratings?criterion=Z9", 400),
    ("/api/ratings.json?criterion=C1&criterion=D1&rating=Poor", 200),
    ("/api/ratings.json?rating=Superb", 400),
    ("/api/entries/para-4.10", 200),
    ("/api/entries/rating-c-wessex", 200),
    ("/api/entries/report-wessex", 200),
    ("/api/entries/para-1.2", 200),
    ("/api/entries/nope", 404),
    ("/api/areas", 200),
    ("/api/areas/wessex", 200),
    ("/api/areas/cymru-wales", 200),
    ("/api/areas/atlantis", 404),
    ("/api/search?q=disclosure+in+leeds&explain=1", 200),
    ("/api/search?q=victim+latter&explain=1", 200),
    ("/api/areas/wessex.json", 200),
    ("/api/areas/atlantis.json", 404),
    ("/api/compare?area=wessex&area=cymru-wales&area=london-north&area=north-east", 200),
    ("/api/compare?area=wessex", 400),
    ("/api/compare.json?area=wessex&area=london-north", 200),
    ("/api/compare.json?area=wessex", 400),
    ("/api/themes", 200),
    ("/api/glossary", 200),
    ("/api/quality", 200),
    ("/api/openapi.json", 200),
]


@pytest.fixture(scope="module")
def document(app):
    with app.test_client() as client:
        return get_json(client, "/api/openapi.json")


def validate(document: dict, url: str, status: int, response) -> None:
    """Validate a real response against what the OpenAPI document says of its path and status."""
    path = url.split("?")[0]
    templated = {p: p.split("{")[0] for p in document["paths"]}
    match = next(
        (p for p, prefix in templated.items() if p == path or ("{" in p and path.startswith(prefix))), None
    )
    assert match, f"{path} is not described"
    described = document["paths"][match]["get"]["responses"][str(status)]
    assert response.mimetype in described["content"]
    media, spec = response.mimetype, described["content"][response.mimetype]
    if not media.endswith("json"):
        return
    schema = {**spec["schema"], "components": document["components"]}
    jsonschema.Draft202012Validator(schema).validate(response.get_json())


def test_openapi_document_is_valid_and_served(app, document):
    with app.test_request_context():
        made = json.loads(json.dumps(openapi_document(with_examples=False)))
    assert made["components"] == document["components"]
    assert made["paths"].keys() == document["paths"].keys()
    assert document["openapi"].startswith("3.1")
    for schema in document["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_openapi_document_comes_from_the_models(document):
    """Parameters and bodies are the pydantic models' own schemas: one source for both."""
    search = document["paths"]["/api/search"]["get"]
    params = {p["name"]: p for p in search["parameters"]}
    assert list(params) == [
        "q",
        "area",
        "theme",
        "part",
        "kind",
        "page",
        "per_page",
        "sort",
        "explain",
        "verbatim",
    ]
    assert params["page"]["schema"] == {"default": 1, "maximum": 1000, "minimum": 1, "type": "integer"}
    assert params["area"]["schema"]["maxItems"] == 20 and params["area"]["explode"] is True
    assert params["sort"]["schema"]["enum"] == ["relevance", "document"]
    hit = document["components"]["schemas"]["Hit"]
    assert hit["additionalProperties"] is False
    assert {"snippet", "snippet_text", "highlights"} <= set(hit["required"])
    assert document["components"]["schemas"]["SearchResult"]["properties"]["links"] == {
        "$ref": "#/components/schemas/Links"
    }


def test_every_example_response_is_a_real_answer(client, document):
    """Each operation's example is what its example URL answers (lists cut short), and fits its schema."""
    examples = 0
    for item in document["paths"].values():
        get = item["get"]
        media = get["responses"]["200"]["content"].get("application/json", {})
        if "example" not in media:
            continue
        examples += 1
        url = get["x-example-url"]
        answer = client.get(url).get_json()
        assert_prefix(media["example"], answer, url)
        schema = {**media["schema"], "components": document["components"]}
        jsonschema.Draft202012Validator(schema).validate(media["example"])
    assert examples >= 11


def assert_prefix(example, answer, where):
    """Assert an example is the answer with its lists cut short (timings aside)."""
    if isinstance(example, dict):
        assert set(example) == set(answer), where
        for key in example:
            if key != "took_ms":
                assert_prefix(example[key], answer[key], f"{where}.{key}")
    elif isinstance(example, list):
        assert len(example) == min(len(answer), 3), where
        for ours, theirs in zip(example, answer, strict=False):
            assert_prefix(ours, theirs, where)
    else:
        assert example == answer, where


@pytest.mark.parametrize(("url", "status"), SAMPLES)
def test_responses_match_the_openapi_document(client, document, url, status):
    response = client.get(url)
    assert response.status_code == status
    validate(document, url, status, response)


def test_openapi_describes_every_api_route(app, document):
    routes = {
        rule.rule.replace("<entry_id>", "{id}").replace("<slug>", "{slug}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
    }
    assert routes == set(document["paths"]) == {op.path for op in OPERATIONS}
    sampled = {url.split("?")[0] for url, _ in SAMPLES}
    for path in routes:
        prefix = path.split("{")[0]
        assert any(s == path or ("{" in path and s.startswith(prefix)) for s in sampled), path


def test_openapi_schemas_reject_drift(document):
    """The schemas are strict: an unexpected or missing field fails validation."""
    schema = {"$ref": "#/components/schemas/Error", "components": document["components"]}
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate({"error": "x", "param": None, "status": 400})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"error": "x", "param": None, "status": 400, "extra": 1})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"error": "x", "status": 400})


def test_readme_documents_the_api(client, document):
    """The README's endpoint table and error example match the service."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Web service and API")[1].split("\n## ")[0]
    documented = set()
    for paths in re.findall(r"^\| `GET ([^`]+)`(?:, `(?:GET )?([^`]+)`)*", section, re.M):
        documented.update(p.split("?")[0] for p in paths if p)
    documented.update(re.findall(r"`(/api/[a-z.]+)`", section))
    described = {p.replace("{id}", "<id>").replace("{slug}", "<slug>") for p in document["paths"]}
    assert documented == described
    example = re.search(r"`GET (/api/search\?page=0)` → `400 (\{.*?\})`", section, re.S)
    assert client.get(example[1]).get_json() == json.loads(example[2].replace("\n", " "))


# -- answers, scope and explanations ---------------------------------------------------------


def test_rating_answer_body(client):
    body = get_json(client, "/api/search?q=which+areas+were+rated+excellent+for+resource+management")
    answer = body["answer"]
    assert answer == {
        "kind": "ratings",
        "source": "the report’s scores tables",
        "question": "which-areas",
        "text": "4 Areas were rated Excellent for B2 Resource management: "
        "Mersey-Cheshire, North West, Wessex, Yorkshire and Humberside.",
        "count": 4,
        "ratings": [
            {
                "area": area,
                "area_name": name,
                "code": "B2",
                "criterion": "Resource management",
                "rating": "Excellent",
                "entry": f"rating-b-{area}",
                "url": f"/entries/rating-b-{area}",
                "area_url": f"/areas/{area}",
            }
            for area, name in [
                ("mersey-cheshire", "Mersey-Cheshire"),
                ("north-west", "North West"),
                ("wessex", "Wessex"),
                ("yorkshire-and-humberside", "Yorkshire and Humberside"),
            ]
        ],
        "entries": [
            f"rating-b-{a}" for a in ("mersey-cheshire", "north-west", "wessex", "yorkshire-and-humberside")
        ],
        "search_url": None,
        "ratings_url": "/ratings?criterion=B2&rating=Excellent",
        "notes": [],
    }
    assert {r["id"] for r in body["results"][:4]} == set(answer["entries"])


def test_count_answer_body(client):
    answer = get_json(client, "/api/search?q=how+many+issues+does+the+north+east+have")["answer"]
    assert answer["kind"] == "count" and answer["count"] == 13 and answer["ratings"] == []
    assert answer["search_url"] == "/?kind=issue&area=north-east"
    assert answer["notes"] == [
        "North East: issue to address numbers 8, 9, 10 are missing from the report's numbering."
    ]


def test_scope_body_says_how_to_search_every_area(client):
    body = get_json(client, "/api/search?q=london+north+disclosure")
    assert body["scope"] == {
        "areas": ["london-north"],
        "all_areas_query": "disclosure",
        "places": [],
        "place_entries": [],
        "relaxed": None,
    }
    assert all("london-north" in r["areas"] for r in body["results"])


def test_sections_body_names_the_sections_read(client):
    body = get_json(client, "/api/search?q=part+c+annex+b")
    assert body["sections"] == [
        {"id": "part-c", "label": "Part C: High quality casework"},
        {"id": "annex-b", "label": "Annex B: the Areas' issues to address, good practice and strengths"},
    ]
    assert get_json(client, "/api/search?q=para+2.5")["sections"] == [
        {"id": "para-2.5", "label": "paragraph 2.5"}
    ]
    assert get_json(client, "/api/search?q=disclosure")["sections"] == []


def test_scope_body_lists_the_entries_of_other_areas_naming_a_place(client):
    scope = get_json(client, "/api/search?q=Leicester+team")["scope"]
    assert scope["areas"] == ["east-midlands"] and scope["place_entries"] == ["issue-london-south-1"]
    assert scope["places"][0]["note"].endswith("(London South), searched too")


def test_explain_is_off_by_default_and_adds_up_when_asked(client):
    plain = get_json(client, "/api/search?q=victim+letters")
    assert "explanation" not in plain and all("explanation" not in r for r in plain["results"])
    body = get_json(client, "/api/search?q=victim+letters+QC&explain=1")
    assert body["explanation"]["understood"]["topic"] == "victim letters QC"
    assert "acronym QC: Queen's Counsel" in body["explanation"]["clauses"]
    for result in body["results"]:
        assert result["explanation"]["score"] == pytest.approx(result["score"], abs=2e-3)


@pytest.fixture()
def served(app):
    """The index the app serves, held for the test."""
    holder = app.extensions["aap_index"]
    index = holder.acquire()
    yield index
    holder.release(index)


def refuse(*_args, **_kwargs):
    raise AssertionError("work whose result the response throws away")


def test_head_checks_the_search_but_does_not_run_it(client, served, monkeypatch):
    got = client.get("/api/search?q=disclosure")
    monkeypatch.setattr(served, "search", refuse)
    for url in ("/api/search?q=disclosure", "/?q=disclosure"):
        head = client.head(url)
        assert head.status_code == 200 and head.data == b"", url
        assert "Content-Length" not in head.headers
    assert client.head("/api/search?q=disclosure").headers["ETag"] == got.headers["ETag"]
    assert client.head("/api/search?q=disclosure").mimetype == "application/json"
    assert client.head("/api/search?page=0").status_code == 400
    assert client.head("/api/search?kind=issues").status_code == 400


def test_citation_downloads_rank_no_related_entries(client, served, monkeypatch):
    monkeypatch.setattr(served, "related", refuse)
    monkeypatch.setattr(served, "counterparts", refuse)
    for extension in ("txt", "ris", "bib"):
        response = client.get(f"/entries/issue-wessex-1.{extension}")
        assert response.status_code == 200 and b"issue-wessex-1" in response.data, extension


def every_rating(search_index) -> set[tuple[str, str, str]]:
    """(Area, criterion code, rating) for every cell of the scores tables, read from the entries."""
    return {
        (e.areas[0], r.code, r.rating)
        for e in search_index.entries
        if e.kind == "rating"
        for r in e.ratings
        if r.rating
    }


def test_the_ratings_api_ors_the_values_of_each_filter_and_ands_the_filters(client, search_index):
    cells = every_rating(search_index)
    body = get_json(client, "/api/ratings?criterion=C1&criterion=D1&rating=Poor&rating=Fair")
    expected = {c for c in cells if c[1] in {"C1", "D1"} and c[2] in {"Poor", "Fair"}}
    got = {(r["area"], r["code"], r["rating"]) for r in body["results"]}
    assert got == expected and body["total"] == len(expected) == len(body["results"])
    assert {c for _, c, _ in got} == {"C1", "D1"} and {r for _, _, r in got} == {"Poor", "Fair"}
    row = body["results"][0]
    assert set(row) == {"area", "area_name", "part", "table", "code", "criterion", "rating", "entry", "url"}
    assert row["url"] == f"/entries/{row['entry']}" and row["entry"].startswith("rating-")
    assert {(r["area"], r["code"], r["rating"]) for r in get_json(client, "/api/ratings")["results"]} == cells


def test_the_filtered_ratings_csv_has_a_row_per_area_kept(client, search_index):
    cells = every_rating(search_index)
    response = client.get("/ratings.csv?criterion=C1&rating=Poor")
    assert response.headers["Content-Disposition"] == 'attachment; filename="aap-ratings-c1-poor.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert {r["area_slug"] for r in rows} == {a for a, c, v in cells if (c, v) == ("C1", "Poor")}
    assert all(r["C1 Reviews and decisions in magistrates' courts"] == "Poor" for r in rows)


@pytest.mark.parametrize(
    "download, api, name",
    [
        ("/api/areas/wessex.json", "/api/areas/wessex", "aap-area-wessex.json"),
        (
            "/api/compare.json?area=wessex&area=london-north",
            "/api/compare?area=wessex&area=london-north",
            "aap-compare-wessex-london-north.json",
        ),
        ("/api/ratings.json", "/api/ratings", "aap-ratings.json"),
        (
            "/api/ratings.json?rating=Poor&part=c",
            "/api/ratings?rating=Poor&part=c",
            "aap-ratings-c-poor.json",
        ),
    ],
)
def test_areas_comparisons_and_ratings_download_as_json_files(client, download, api, name):
    response = client.get(download)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response.get_json() == get_json(client, api)


def test_an_area_download_under_another_spelling_redirects_to_its_own(client):
    response = client.get("/api/areas/Wales.json")
    assert response.status_code == 301 and response.location == "/api/areas/cymru-wales.json"


def test_a_json_download_refuses_what_its_page_refuses(client):
    assert get_json(client, "/api/compare.json?area=wessex", 400)["param"] == "area"
    assert get_json(client, "/api/ratings.json?criterion=Z9", 400)["param"] == "criterion"
    assert client.get("/api/areas/narnia.json").status_code == 404
