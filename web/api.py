"""The JSON API under /api/: the same data as the pages, in the bodies of search.api.

Each route reads its parameters with a model of `search.api.params`, answers with a
body of `search.api.bodies` (made in search/output/serialize.py), and is described for
the OpenAPI document where it is defined (`describe`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from flask import Blueprint, Response, jsonify, redirect, request, url_for

from search.api import bodies
from search.api.params import CompareParams, RatingsParams, SearchParams, SuggestParams, read
from search.models import FACETS, SearchRequest
from search.output.ratings import RatingTable
from search.output.serialize import (
    area_profile_to_json,
    areas_to_json,
    comparison_to_json,
    download_to_json,
    entry_detail_to_json,
    glossary_to_json,
    quality_to_json,
    result_to_json,
    suggestions_to_json,
    suggestions_to_opensearch,
    themes_to_json,
)
from search.output.table import CsvTable, Labels, file_name
from search.query.request import MAX_DEPTH
from web.data import (
    area_data,
    area_summaries,
    areas_data,
    canonical_area_slug,
    compared_areas,
    comparison_data,
    find_entry,
    ratings_data,
    run_search,
    search_request,
    themes_data,
)
from web.holder import get_index
from web.openapi import describe, served_document
from web.present import args, attachment, entry_base_url

bp = Blueprint("api", __name__, url_prefix="/api")

Params = Mapping[str, Sequence[str]]
# The media type browsers expect of OpenSearch suggestions.
OPENSEARCH_SUGGESTIONS = "application/x-suggestions+json"
OPENSEARCH_SCHEMA = {
    "type": "array",
    "description": "OpenSearch suggestions: the query, then the completions",
    # [query, [completions]]; one "items" schema for both, as tools read "prefixItems" unevenly.
    "items": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    "minItems": 2,
    "maxItems": 2,
}
NOT_FOUND = {"404": "no such entry"}
TOO_MANY = {"429": "too many downloads from one address: the proxy's rate limit (deploy/)"}
# One per process: each entry's quoted cells are made once and reused by every download.
CSV_TABLE = CsvTable()


def search_file_name(req: SearchRequest, extension: str) -> str:
    """Name a search download by its words and filters: aap-disclosure-wessex.csv."""
    return file_name(req.q, *(v for facet in FACETS for v in getattr(req, facet)), extension=extension)


def search_body(params: Params) -> dict:
    return result_to_json(run_search(params))


@bp.get("/search")
@describe(
    "/api/search",
    "Search entries: results, disjunctive facet counts, spelling correction, links to other pages",
    body=bodies.SearchResult,
    params=SearchParams,
    example="/api/search?q=victim+letters&area=wessex&per_page=2",
    answer=search_body,
)
def search():
    """Return a search: results, facet counts, spelling correction and links to the other pages."""
    return jsonify(search_body(args()))


def suggest_body(params: Params) -> dict:
    chosen = read(SuggestParams, params)
    return suggestions_to_json(chosen.q, get_index().suggest(chosen.q, chosen.limit))


@bp.get("/suggest")
@describe(
    "/api/suggest",
    "Completions of the text typed so far: Areas, themes, kinds, Parts, acronyms and the report's phrases",
    body=bodies.Suggestions,
    params=SuggestParams,
    media={OPENSEARCH_SUGGESTIONS: OPENSEARCH_SCHEMA},
    example="/api/suggest?q=wess&limit=3",
    answer=suggest_body,
)
def suggest():
    """Return completions of the text typed so far; `format=opensearch` gives [query, [texts]]."""
    chosen = read(SuggestParams, args())
    found = get_index().suggest(chosen.q, chosen.limit)
    if chosen.format == "opensearch":
        response = jsonify(suggestions_to_opensearch(chosen.q, found))
        response.mimetype = OPENSEARCH_SUGGESTIONS
        return response
    return jsonify(suggestions_to_json(chosen.q, found))


def export(params: Params):
    """Run a search for a download: every page of it in one ranking, up to the depth limit."""
    req = search_request(params)
    return req, get_index().export(req, MAX_DEPTH)


@bp.get("/search.csv")
@describe(
    "/api/search.csv",
    "Every entry a search matches, as CSV (page and per_page are ignored), to download",
    params=SearchParams,
    media={"text/csv": {"type": "string"}},
    errors=TOO_MANY,
)
def search_csv():
    """Return the entries a search matches (all pages, up to 10,000) as CSV, with permalinks."""
    req, result = export(args())
    index = get_index()
    labels = Labels(index.areas.label, index.taxonomy.label)
    body = CSV_TABLE.write(result.hits, entry_base_url(), result.build, labels)
    response = attachment(body, "text/csv", search_file_name(req, "csv"))
    response.headers["X-Total-Count"] = str(result.total)
    if len(result.hits) < result.total:
        response.headers["X-Truncated"] = f"first {len(result.hits)} of {result.total} rows"
    return response


def json_file(body: dict, name: str) -> Response:
    """Return a JSON body as a file the browser saves under `name` rather than shows."""
    response = jsonify(body)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def json_answer(body: dict, *name: str) -> Response:
    """Answer a body as JSON or, on a route's `.json` twin, as a file named from `name`'s words."""
    if request.endpoint.endswith("_json"):
        return json_file(body, file_name(*name, extension="json"))
    return jsonify(body)


def describe_with_file(path: str, summary: str, file: str, *, example: str, **details) -> Callable:
    """Describe a route and its `.json` twin, which answers the same body as a file to download."""
    at, _, query = example.partition("?")

    def register(view: Callable) -> Callable:
        describe(path, summary, example=example, **details)(view)
        twin = f"{at}.json" + (f"?{query}" if query else "")
        describe(
            f"{path}.json", f"What {path} gives, as a JSON file to download ({file})", example=twin, **details
        )(view)
        return view

    return register


def download_body(params: Params) -> dict:
    _, result = export(params)
    return download_to_json(result, entry_base_url())


@bp.get("/search.json")
@describe(
    "/api/search.json",
    "Every entry a search matches, as a JSON file (page and per_page are ignored), to download",
    body=bodies.Download,
    params=SearchParams,
    errors=TOO_MANY,
    example="/api/search.json?kind=report&area=wessex",
    answer=download_body,
)
def search_json():
    """Return the entries a search matches (all pages, up to 10,000) as a JSON file."""
    req = search_request(args())
    return json_file(download_body(args()), search_file_name(req, "json"))


def entry_body(_params: Params, id: str) -> dict:
    view = find_entry(id)
    return entry_detail_to_json(
        view.entry, view.citation, view.citations, view.previous, view.next, view.related, view.counterparts
    )


@bp.get("/entries/<entry_id>")
@describe(
    "/api/entries/{id}",
    "One entry with its citations, neighbours, related entries and counterparts elsewhere",
    body=bodies.EntryDetail,
    path_params={"id": "entry id, e.g. para-4.10"},
    errors=NOT_FOUND,
    example="/api/entries/issue-wessex-4",
    answer=entry_body,
)
def entry(entry_id: str):
    """Return one entry with its citation, neighbours, related entries and counterparts elsewhere."""
    return jsonify(entry_body(args(), entry_id))


def areas_body(_params: Params) -> dict:
    _, tables, _ = areas_data()
    return areas_to_json(area_summaries(), tables)


@bp.get("/areas")
@describe(
    "/api/areas",
    "All Areas with their scores and counts",
    body=bodies.AreaList,
    example="/api/areas",
    answer=areas_body,
)
def areas():
    """Return every Area with its scores and entry counts, and the scored criteria."""
    return jsonify(areas_body(args()))


def area_body(_params: Params, slug: str) -> dict:
    return area_profile_to_json(*area_data(slug))


@bp.get("/areas/<slug>", endpoint="area")
@bp.get("/areas/<slug>.json", endpoint="area_json")
@describe_with_file(
    "/api/areas/{slug}",
    "Everything about one Area: scores, issues, good practice, strengths, mentions and its report",
    "aap-area-<slug>.json",
    body=bodies.AreaProfile,
    path_params={"slug": "Area slug, e.g. london-north; other spellings redirect"},
    errors={"301": "redirect to the canonical slug", "404": "no such Area"},
    example="/api/areas/wessex",
    answer=area_body,
)
def area(slug: str):
    """Return one Area: scores, issues, good practice, strengths, mentions and report link."""
    canonical = canonical_area_slug(slug)
    if canonical:
        return redirect(url_for(request.endpoint, slug=canonical), 301)
    found, profile = area_data(slug)
    return json_answer(area_profile_to_json(found, profile), "area", found.slug)


def compare_body(params: Params) -> dict:
    index = get_index()
    comparison = comparison_data(compared_areas(params))
    return comparison_to_json(comparison, index.areas.by_slug, index.taxonomy.label)


@bp.get("/compare", endpoint="compare")
@bp.get("/compare.json", endpoint="compare_json")
@describe_with_file(
    "/api/compare",
    "Two to four Areas side by side: ratings with differences marked, and their Annex B rows by theme",
    "aap-compare-<areas>.json",
    body=bodies.Comparison,
    params=CompareParams,
    errors={"400": "fewer than two or more than four Areas, or an unknown one"},
    example="/api/compare?area=wessex&area=london-north",
    answer=compare_body,
)
def compare():
    """Return two to four Areas side by side: ratings (differences marked) and Annex B rows by theme."""
    return json_answer(compare_body(args()), "compare", *compared_areas(args()))


def ratings_body(params: Params) -> dict:
    _, table = ratings_data(params)
    return rating_list(table)


def rating_list(table: RatingTable) -> dict:
    rows = [
        {
            "area": c.area.slug,
            "area_name": c.area.name,
            "part": c.part,
            "table": c.table,
            "code": c.criterion.code,
            "criterion": c.criterion.criterion,
            "rating": c.rating,
            "entry": c.entry_id,
            "url": f"/entries/{c.entry_id}",
        }
        for c in table.cells
    ]
    return bodies.dump(bodies.RatingList(total=len(rows), results=rows))


@bp.get("/ratings", endpoint="ratings")
@bp.get("/ratings.json", endpoint="ratings_json")
@describe_with_file(
    "/api/ratings",
    "Every Area's rating for every criterion, filtered and sorted: one row per Area and criterion",
    "aap-ratings-<filters>.json",
    body=bodies.RatingList,
    params=RatingsParams,
    example="/api/ratings?criterion=C1&rating=Poor",
    answer=ratings_body,
)
def ratings():
    """Return the ratings a request's filters keep, one per Area and criterion."""
    chosen, table = ratings_data(args())
    return json_answer(rating_list(table), "ratings", *chosen.chosen_words())


def themes_body(_params: Params) -> dict:
    return themes_to_json(themes_data())


@bp.get("/themes")
@describe(
    "/api/themes",
    "The theme taxonomy with counts",
    body=bodies.ThemeList,
    example="/api/themes",
    answer=themes_body,
)
def themes():
    """Return the theme taxonomy with entry counts."""
    return jsonify(themes_body(args()))


def glossary_body(_params: Params) -> dict:
    return glossary_to_json(get_index().glossary.to_list())


@bp.get("/glossary")
@describe(
    "/api/glossary",
    "Acronyms and their expansions",
    body=bodies.Glossary,
    example="/api/glossary",
    answer=glossary_body,
)
def glossary():
    """Return the acronyms: learnt from the report's own definitions, or curated."""
    return jsonify(glossary_body(args()))


def quality_body(_params: Params) -> dict:
    return quality_to_json(get_index().quality)


@bp.get("/quality")
@describe(
    "/api/quality",
    "Data-quality findings of the served build",
    body=bodies.Quality,
    example="/api/quality",
    answer=quality_body,
)
def quality():
    """Return the data-quality findings of the served build."""
    return jsonify(quality_body(args()))


@bp.get("/openapi.json")
@describe(
    "/api/openapi.json",
    "This description (OpenAPI 3.1), with an example response of each endpoint",
    media={"application/json": {"type": "object"}},
)
def openapi():
    """Return the OpenAPI 3.1 description of this API."""
    return jsonify(served_document())
