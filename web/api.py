"""The JSON API under /api/: the same data as the pages, in the shapes of search/output/serialize.py."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, redirect, request, url_for

from search.errors import QueryError
from search.output.serialize import (
    area_profile_to_json,
    area_summary_to_json,
    comparison_to_json,
    entry_detail_to_json,
    result_to_json,
    score_table_to_json,
    suggestions_to_json,
    suggestions_to_opensearch,
    theme_to_json,
)
from search.output.table import CsvTable
from search.query.request import MAX_DEPTH, parse_request, parse_suggest
from web.holder import get_index
from web.openapi import openapi_document
from web.present import external_url
from web.views import (
    area_data,
    area_summaries,
    areas_data,
    canonical_area_slug,
    comparison_data,
    find_entry,
    run_search,
    themes_data,
)

bp = Blueprint("api", __name__, url_prefix="/api")

SUGGEST_FORMATS = ("json", "opensearch")
# The media type browsers expect of OpenSearch suggestions.
OPENSEARCH_SUGGESTIONS = "application/x-suggestions+json"
# One per process: each entry's quoted cells are made once and reused by every download.
CSV_TABLE = CsvTable()


@bp.get("/search")
def search():
    """Return a search: results, facet counts, spelling correction (`SearchResult` in the OpenAPI document)."""
    return jsonify(result_to_json(run_search(request.args)))


@bp.get("/suggest")
def suggest():
    """Return completions of the text typed so far; `format=opensearch` gives [query, [texts]]."""
    text, limit = parse_suggest(request.args.to_dict(flat=False))
    found = get_index().suggest(text, limit)
    form = request.args.get("format", "json")
    if form not in SUGGEST_FORMATS:
        raise QueryError(f"format must be one of {', '.join(SUGGEST_FORMATS)}", "format")
    if form == "opensearch":
        response = jsonify(suggestions_to_opensearch(text, found))
        response.mimetype = OPENSEARCH_SUGGESTIONS
        return response
    return jsonify(suggestions_to_json(text, found))


@bp.get("/search.csv")
def search_csv():
    """Return the entries a search matches (all pages, up to 10,000) as CSV, with permalinks."""
    # One run of the search for every row; the same depth limit as paging bounds it.
    result = get_index().export(parse_request(request.args.to_dict(flat=False)), MAX_DEPTH)
    # The router builds one permalink and the rows append their ids: url_for for each of
    # thousands of rows cost more than the search itself.
    entry_url = external_url("pages.entry_page", entry_id="_")[:-1]
    body = CSV_TABLE.write(result.hits, entry_url, result.build)
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="aap-search.csv"'
    response.headers["X-Total-Count"] = str(result.total)
    if len(result.hits) < result.total:
        response.headers["X-Truncated"] = f"first {len(result.hits)} of {result.total} rows"
    return response


@bp.get("/entries/<entry_id>")
def entry(entry_id: str):
    """Return one entry with its citation, neighbours, related entries and counterparts elsewhere."""
    view = find_entry(entry_id)
    return jsonify(
        entry_detail_to_json(
            view.entry,
            view.citation,
            view.citations,
            view.previous,
            view.next,
            view.related,
            view.counterparts,
        )
    )


@bp.get("/areas")
def areas():
    """Return every Area with its scores and entry counts, and the scored criteria."""
    _, tables, _ = areas_data()
    return jsonify(
        {
            "areas": [
                area_summary_to_json(a, counts, tables, report) for a, counts, report in area_summaries()
            ],
            "score_tables": [score_table_to_json(t) for t in tables],
        }
    )


@bp.get("/areas/<slug>")
def area(slug: str):
    """Return one Area: scores, issues, good practice, strengths, mentions and report link."""
    canonical = canonical_area_slug(slug)
    if canonical:
        return redirect(url_for("api.area", slug=canonical), 301)
    found, profile = area_data(slug)
    return jsonify(area_profile_to_json(found, profile))


@bp.get("/compare")
def compare():
    """Return two to four Areas side by side: ratings (differences marked) and Annex B rows by theme."""
    index = get_index()
    return jsonify(
        comparison_to_json(comparison_data(request.args), index.areas.by_slug, index.taxonomy.label)
    )


@bp.get("/themes")
def themes():
    """Return the theme taxonomy with entry counts."""
    return jsonify({"themes": [theme_to_json(theme, counts) for theme, counts in themes_data()]})


@bp.get("/glossary")
def glossary():
    """Return the acronyms: learnt from the report's own definitions, or curated."""
    return jsonify({"acronyms": get_index().glossary.to_list()})


@bp.get("/quality")
def quality():
    """Return the data-quality findings of the served build."""
    return jsonify(get_index().quality)


@bp.get("/openapi.json")
def openapi():
    """Return the OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document())
