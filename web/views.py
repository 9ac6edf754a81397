"""HTML pages and their CSV downloads; the data they show is gathered in web/data.py, as the API's is."""

from __future__ import annotations

from flask import Blueprint, Response, g, redirect, render_template, request, url_for

from search.errors import QueryError
from search.models import KIND_LABELS, PART_LABELS, PARTS, Hit
from search.output.citation import FORMATS
from search.output.ratings import RATINGS
from search.output.table import CsvTable, Labels, csv_document, file_name
from search.query.request import COMPARE_MAX, COMPARE_MIN, parse_request
from search.text.highlight import HighlightTerms
from web.data import (
    area_data,
    areas_data,
    canonical_area_slug,
    canonical_entry_id,
    compared_areas,
    comparison_data,
    find_entry,
    ratings_data,
    run_search,
    search_context,
    themes_data,
)
from web.holder import get_index
from web.openapi import served_document
from web.present import args, attachment, entry_base_url, paginate

bp = Blueprint("pages", __name__)


@bp.app_context_processor
def labels() -> dict:
    """Give every template the display names of Areas, themes, Parts and kinds."""
    index = g.get("index")

    def area_name(slug: str) -> str:
        return index.areas.label(slug) if index and slug in index.areas.by_slug else slug

    def theme_label(slug: str) -> str:
        return index.taxonomy.label(slug) if index and slug in index.taxonomy.slugs else slug

    return {
        "area_name": area_name,
        "theme_label": theme_label,
        "part_labels": PART_LABELS,
        "kind_labels": KIND_LABELS,
        "documents": index.documents if index else [],
        "compare_min": COMPARE_MIN,
        "compare_max": COMPARE_MAX,
    }


@bp.get("/")
def search_page():
    """Show the search page: query box, facets, results; an empty query browses everything."""
    result = run_search(args(), explain=False)
    facets = dict(result.facets)
    facets["part"] = tuple(
        sorted(facets["part"], key=lambda v: PARTS.index(v.value) if v.value in PARTS else 99)
    )
    return render_template(
        "search.html", result=result, req=result.request, facets=facets, pages=paginate(result)
    )


@bp.get("/entries/<entry_id>")
def entry_page(entry_id: str):
    """Show one entry whole, with its place in the report, citation and related entries."""
    canonical = canonical_entry_id(entry_id)
    if canonical:
        return redirect(url_for("pages.entry_page", entry_id=canonical), 301)
    view = find_entry(entry_id)
    per_page = parse_request({}).per_page
    found_by = search_context(args())
    terms = get_index().highlight_terms(found_by.q) if found_by and found_by.q else HighlightTerms()
    return render_template(
        "entry.html",
        view=view,
        entry=view.entry,
        context_page=view.position // per_page + 1,
        found_by=found_by,
        terms=terms,
    )


@bp.get("/entries/<entry_id>.<any(txt, ris, bib):extension>")
def entry_citation(entry_id: str, extension: str):
    """Download an entry's citation as plain text, RIS or BibTeX, pointing at its permanent URL."""
    view = find_entry(entry_id)
    key, mimetype = FORMATS[extension]
    return attachment(view.citations[key], mimetype, f"{entry_id}.{extension}")


@bp.get("/areas")
def areas_page():
    """Compare all Areas: the ratings matrix and issues to address per Area and theme."""
    areas, tables, matrix = areas_data()
    themes = get_index().taxonomy.themes
    return render_template("areas.html", areas=areas, tables=tables, matrix=matrix, themes=themes)


@bp.get("/ratings")
def ratings_page():
    """Show every Area's ratings, one row per Area and Part, filtered and sorted as the URL says."""
    chosen, table = ratings_data(args())
    return render_template("ratings.html", chosen=chosen, table=table, ratings=RATINGS)


@bp.get("/ratings.csv")
def ratings_csv():
    """Download the ratings the URL's filters keep: one row per Area, one column per criterion."""
    chosen, table = ratings_data(args())
    header = ["Area", *(f"{c.code} {c.criterion}" for c in table.criteria), "area_slug"]
    rows = [
        [row.area.name, *(row.ratings.get(c.code, "") for c in table.criteria), row.area.slug]
        for row in table.by_area
    ]
    return attachment(csv_document(header, rows), "text/csv", file_name("ratings", *chosen.chosen_words()))


@bp.get("/areas/<slug>")
def area_page(slug: str):
    """Show one Area: its scores, Annex B rows by Part, the paragraphs naming it, its report."""
    canonical = canonical_area_slug(slug)
    if canonical:
        return redirect(url_for("pages.area_page", slug=canonical), 301)
    area, profile = area_data(slug)
    return render_template("area.html", area=area, profile=profile, all_areas=get_index().areas.areas)


@bp.get("/areas/<slug>.csv")
def area_csv(slug: str):
    """Download the entries an Area's page shows: its report, scores, Annex B rows and mentions."""
    area, profile = area_data(slug)
    index = get_index()
    entries = [
        *([profile.report] if profile.report else []),
        *(index.entry(table.entry_ids[slug]) for table, row in profile.scores if row),
        *(e for by_part in profile.annex_b.values() for rows in by_part.values() for e in rows),
        *profile.mentions,
    ]
    body = CsvTable().write(
        [Hit(e, None, "") for e in entries],
        entry_base_url(),
        index.name,
        Labels(index.areas.label, index.taxonomy.label),
    )
    return attachment(body, "text/csv", file_name("area", area.slug))


@bp.get("/compare")
def compare_page():
    """Compare two to four Areas: ratings side by side, then issues, good practice and strengths by theme.

    With too few, too many or unknown Areas, the chooser comes back with the boxes ticked
    as they were and the problem said beside them.
    """
    areas = get_index().areas.areas
    if "area" not in request.args:
        return render_template("compare.html", comparison=None, areas=areas)
    try:
        slugs = compared_areas(args())
    except QueryError as exc:
        chosen = [get_index().areas.resolve(v) or v for v in request.args.getlist("area")]
        body = render_template(
            "compare.html", comparison=None, areas=areas, chosen=chosen, problem=exc.message
        )
        return Response(body, status=400, mimetype="text/html")
    return render_template("compare.html", comparison=comparison_data(slugs), areas=areas)


@bp.get("/compare.csv")
def compare_csv():
    """Download the ratings of two to four Areas side by side, with whether they differ."""
    slugs = compared_areas(args())
    comparison = comparison_data(slugs)
    names = [get_index().areas.label(s) for s in slugs]
    header = ["Part", "Table", "Code", "Criterion", *names, "Ratings differ"]
    rows = [
        [
            PART_LABELS.get(table.part, table.part),
            table.number,
            row.criterion.code,
            row.criterion.criterion,
            *(r or "" for r in row.ratings),
            "yes" if row.differs else "no",
        ]
        for table, rows in comparison.scores
        for row in rows
    ]
    return attachment(csv_document(header, rows), "text/csv", file_name("compare", *slugs))


@bp.get("/themes")
def themes_page():
    """List the themes with their descriptions and counts."""
    return render_template("themes.html", themes=themes_data())


@bp.get("/glossary")
def glossary_page():
    """List the acronyms and what they stand for."""
    return render_template("glossary.html", items=get_index().glossary.to_list())


@bp.get("/api")
def api_page():
    """Describe the JSON API for people: every endpoint, its parameters and an example response,
    rendered from the OpenAPI document the API serves."""
    return render_template("api.html", document=served_document())
