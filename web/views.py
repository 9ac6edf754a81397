"""HTML pages; run_search() and the page data are shared with the JSON API (web/api.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import Blueprint, Response, g, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from search.curated.areas import Area
from search.errors import NotFound, QueryError
from search.models import KIND_LABELS, PART_LABELS, PARTS, Entry, Hit, SearchRequest, SearchResult
from search.output.citation import FORMATS, citation, citation_formats
from search.output.overview import (
    AreaProfile,
    Comparison,
    IssueMatrix,
    ScoreTable,
    area_profile,
    area_report,
    compare_areas,
    issue_matrix,
    kind_counts,
    score_tables,
    theme_counts,
)
from search.output.serialize import permalink
from search.query.request import COMPARE_MAX, COMPARE_MIN, parse_compare, parse_request
from search.text.highlight import HighlightTerms
from web.holder import get_index
from web.present import absolute_url, paginate

bp = Blueprint("pages", __name__)

RELATED_LIMIT = 5


def run_search(args: MultiDict, explain: bool = True) -> SearchResult:
    """Validate the search parameters of a request and run them on the served index.

    Without `explain`, an explain=1 in the request is ignored (a page shows no explanations).
    """
    req = parse_request(args.to_dict(flat=False))
    return get_index().search(req if explain else replace(req, explain=False))


@dataclass(frozen=True)
class EntryView:
    """An entry with its place in the report, citation and related entries."""

    entry: Entry
    previous: Entry | None
    next: Entry | None
    related: list[Hit]
    counterparts: list[Hit]
    citation: str
    citations: dict[str, str]
    position: int


def find_entry(entry_id: str) -> EntryView:
    """Gather everything the entry page and /api/entries/<id> show."""
    index = get_index()
    entry = index.entry(entry_id)
    previous, following = index.neighbours(entry.id)
    return EntryView(
        entry=entry,
        previous=previous,
        next=following,
        related=index.related(entry.id, limit=RELATED_LIMIT),
        counterparts=index.counterparts(entry.id),
        citation=citation(entry, index.documents, index.areas.label),
        citations=citation_formats(
            entry, index.documents, index.areas.label, absolute_url(permalink(entry.id))
        ),
        position=index.by_id[entry.id],
    )


def search_context(args: MultiDict) -> SearchRequest | None:
    """Return the search an entry page was opened from (a result link carries it), if any."""
    try:
        req = parse_request(args.to_dict(flat=False))
    except QueryError:
        return None  # a mangled link still shows the entry, without highlights
    return req if req.q or any(req.selections().values()) else None


def canonical_entry_id(entry_id: str) -> str | None:
    """Return the id an entry URL meant when it differs only in case, else None."""
    lowered = entry_id.lower()
    return lowered if lowered != entry_id and lowered in get_index().by_id else None


def find_area(slug: str) -> Area:
    """Return the Area a slug names, or raise NotFound."""
    area = get_index().areas.by_slug.get(slug)
    if area is None:
        raise NotFound(f"no Area {slug!r}; see /areas for the list")
    return area


def canonical_area_slug(slug: str) -> str | None:
    """Return the slug of an Area named another way ("Wessex", "CPS Wales"), else None."""
    resolved = get_index().areas.resolve(slug.replace("-", " "))
    return resolved if resolved and resolved != slug else None


def area_data(slug: str) -> tuple[Area, AreaProfile]:
    """Return an Area and everything the report says about it."""
    index = get_index()
    area = find_area(slug)
    return area, area_profile(index.entries, score_tables(index.entries), slug)


def areas_data() -> tuple[list[Area], list[ScoreTable], IssueMatrix]:
    """Return the Areas, the scores tables and the issues matrix (Area × theme)."""
    index = get_index()
    areas = index.areas.areas
    matrix = issue_matrix(index.entries, [a.slug for a in areas], index.taxonomy.slugs)
    return areas, score_tables(index.entries), matrix


def comparison_data(args: MultiDict) -> Comparison:
    """Compare the two to four Areas a request names (area=…, repeated), or raise QueryError."""
    index = get_index()
    slugs = parse_compare(args.getlist("area"), index.areas.resolve)
    return compare_areas(index.entries, score_tables(index.entries), slugs, index.taxonomy.slugs)


def area_summaries() -> list[tuple[Area, dict[str, int], Entry | None]]:
    """Return each Area with its entry counts by kind and its own report link."""
    index = get_index()
    return [
        (a, kind_counts(index.entries, a.slug), area_report(index.entries, a.slug)) for a in index.areas.areas
    ]


def themes_data() -> list[tuple[object, dict[str, int]]]:
    """Return each theme with its entry counts (in all and by kind)."""
    taxonomy = get_index().taxonomy
    counts = theme_counts(get_index().entries, taxonomy.slugs)
    return [(theme, counts[theme.slug]) for theme in taxonomy.themes]


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
    }


@bp.get("/")
def search_page():
    """Show the search page: query box, facets, results; an empty query browses everything."""
    result = run_search(request.args, explain=False)
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
    found_by = search_context(request.args)
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
    response = Response(view.citations[key], mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{entry_id}.{extension}"'
    return response


@bp.get("/areas")
def areas_page():
    """Compare all Areas: the ratings matrix and issues to address per Area and theme."""
    areas, tables, matrix = areas_data()
    themes = get_index().taxonomy.themes
    return render_template("areas.html", areas=areas, tables=tables, matrix=matrix, themes=themes)


@bp.get("/areas/<slug>")
def area_page(slug: str):
    """Show one Area: its scores, Annex B rows by Part, the paragraphs naming it, its report."""
    canonical = canonical_area_slug(slug)
    if canonical:
        return redirect(url_for("pages.area_page", slug=canonical), 301)
    area, profile = area_data(slug)
    return render_template("area.html", area=area, profile=profile, all_areas=get_index().areas.areas)


@bp.get("/compare")
def compare_page():
    """Compare two to four Areas: ratings side by side, then issues, good practice and strengths by theme."""
    areas = get_index().areas.areas
    limits = {"compare_min": COMPARE_MIN, "compare_max": COMPARE_MAX}
    if "area" not in request.args:
        return render_template("compare.html", comparison=None, areas=areas, **limits)
    comparison = comparison_data(request.args)
    return render_template("compare.html", comparison=comparison, areas=areas, **limits)


@bp.get("/themes")
def themes_page():
    """List the themes with their descriptions and counts."""
    return render_template("themes.html", themes=themes_data())


@bp.get("/glossary")
def glossary_page():
    """List the acronyms and what they stand for."""
    return render_template("glossary.html", items=get_index().glossary.to_list())
