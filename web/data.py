"""What the pages and the JSON API both show, gathered from the served `SearchBackend`.

Parameters are read with the models of `search.api.params`, filter values checked
against the served build; everything else comes from the backend's methods and the
pure aggregates of `search.output`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from flask import g, request

from search.api.params import CompareParams, RatingsParams, SearchParams, read
from search.curated.areas import Area
from search.curated.taxonomy import Theme
from search.errors import NotFound, QueryError
from search.models import FACETS, KINDS, PARTS, Entry, Hit, SearchRequest, SearchResult
from search.output.citation import citation, citation_formats
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
from search.output.ratings import RATINGS, RatingTable, rating_table
from search.output.serialize import permalink
from search.query.backend import SearchBackend
from search.query.request import parse_compare
from web.holder import get_index
from web.present import absolute_url

RELATED_LIMIT = 5
Params = Mapping[str, Sequence[str]]


def filter_values() -> dict[str, list[str]]:
    """Return the values each search filter takes in the served build."""
    index = get_index()
    return {
        "area": [a.slug for a in index.areas.areas],
        "theme": list(index.taxonomy.slugs),
        "part": list(PARTS),
        "kind": list(KINDS),
    }


def search_request(params: Params) -> SearchRequest:
    """Validate the search parameters of a request, filter values included."""
    return read(SearchParams, params, filter_values()).to_request()


def run_search(params: Params, explain: bool = True) -> SearchResult:
    """Validate the search parameters of a request and run them on the served index.

    Without `explain`, an explain=1 in the request is ignored (a page shows no explanations).
    """
    req = search_request(params)
    if request.method == "HEAD":
        # The body is thrown away: the parameters are checked, nothing is searched (and
        # nothing is recorded); the headers say what a GET would, but its length.
        g.headless = True
        return SearchResult(req, None, 0, (), {facet: () for facet in FACETS}, 0.0, get_index().name)
    g.search_result = get_index().search(
        req if explain else replace(req, explain=False)
    )  # for web/analytics.py
    return g.search_result


def search_context(params: Params) -> SearchRequest | None:
    """Return the search an entry page was opened from (a result link carries it), if any."""
    try:
        req = search_request(params)
    except QueryError:
        return None  # a mangled link still shows the entry, without highlights
    return req if req.q or any(req.selections().values()) else None


@dataclass(frozen=True)
class EntryView:
    """An entry with its place in the report, citation and related entries.

    The related entries and counterparts are ranked when first asked for: a citation
    download shows neither.
    """

    entry: Entry
    previous: Entry | None
    next: Entry | None
    citation: str
    citations: dict[str, str]
    position: int
    index: SearchBackend = field(repr=False, compare=False)

    @cached_property
    def related(self) -> list[Hit]:
        """The most similar entries from other Areas."""
        return self.index.related(self.entry.id, limit=RELATED_LIMIT)

    @cached_property
    def counterparts(self) -> list[Hit]:
        """What answers the entry in other Areas on its themes."""
        return self.index.counterparts(self.entry.id)


def find_entry(entry_id: str) -> EntryView:
    """Gather everything the entry page and /api/entries/<id> show."""
    index = get_index()
    entry = index.entry(entry_id)
    previous, following = index.neighbours(entry.id)
    return EntryView(
        entry=entry,
        previous=previous,
        next=following,
        citation=citation(entry, index.documents, index.areas.label),
        citations=citation_formats(
            entry, index.documents, index.areas.label, absolute_url(permalink(entry.id))
        ),
        position=index.by_id[entry.id],
        index=index,
    )


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


def compared_areas(params: Params) -> tuple[str, ...]:
    """Return the two to four Areas a request names (area=…, repeated), or raise QueryError."""
    return parse_compare(read(CompareParams, params).area, get_index().areas.resolve)


def comparison_data(slugs: tuple[str, ...]) -> Comparison:
    """Compare Areas already validated by `compared_areas`."""
    index = get_index()
    return compare_areas(index.entries, score_tables(index.entries), slugs, index.taxonomy.slugs)


def area_summaries() -> list[tuple[Area, dict[str, int], Entry | None]]:
    """Return each Area with its entry counts by kind and its own report link."""
    index = get_index()
    return [
        (a, kind_counts(index.entries, a.slug), area_report(index.entries, a.slug)) for a in index.areas.areas
    ]


def themes_data() -> list[tuple[Theme, dict[str, int]]]:
    """Return each theme with its entry counts (in all and by kind)."""
    taxonomy = get_index().taxonomy
    counts = theme_counts(get_index().entries, taxonomy.slugs)
    return [(theme, counts[theme.slug]) for theme in taxonomy.themes]


def ratings_data(params: Params) -> tuple[RatingsParams, RatingTable]:
    """Validate the ratings filters and sort of a request and return the filtered, sorted ratings."""
    index = get_index()
    tables = score_tables(index.entries)
    codes = [c.code for t in tables for c in t.criteria]
    known = {
        "area": [a.slug for a in index.areas.areas],
        "part": [t.part for t in tables],
        "criterion": codes,
        "rating": list(RATINGS),
        "sort": ["area", "part", "code", "rating", *codes],
    }
    chosen = read(RatingsParams, params, known)
    return chosen, rating_table(tables, index.areas.areas, chosen)
