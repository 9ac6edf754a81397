"""The JSON bodies of the API, made once for the web service and the CLI.

Each function fills in a model of `search.api.bodies` from the search's dataclasses and
returns it as JSON-ready data (`dump`), so a body can only have the shape its model,
and so the OpenAPI document, declares.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlencode

from search.api import bodies
from search.api.bodies import dump, make
from search.curated.areas import Area
from search.curated.taxonomy import Theme
from search.models import FACETS, KINDS, Answer, Entry, Hit, SearchRequest, SearchResult, Suggestion
from search.output.overview import AreaProfile, Comparison, ScoreTable
from search.query.request import MAX_DEPTH, MAX_PAGE

ANNEX_B_KEYS = {"issue": "issues", "good-practice": "good_practice", "strength": "strengths"}
MARK = re.compile(r"</?mark>")
DEFAULTS = SearchRequest()
SEARCH_PATH = "/api/search"


def permalink(entry_id: str) -> str:
    """Return the path of an entry's page."""
    return f"/entries/{entry_id}"


def request_pairs(req: SearchRequest, **changes) -> list[tuple[str, str]]:
    """Return the URL parameters of a search state, omitting defaults, in a stable order."""
    req = replace(req, **changes)
    pairs: list[tuple[str, str]] = []
    if req.q:
        pairs.append(("q", req.q))
    for facet in FACETS:
        pairs.extend((facet, v) for v in getattr(req, facet))
    if req.sort != DEFAULTS.sort:
        pairs.append(("sort", req.sort))
    if req.per_page != DEFAULTS.per_page:
        pairs.append(("per_page", str(req.per_page)))
    if req.page != DEFAULTS.page:
        pairs.append(("page", str(req.page)))
    if req.explain:
        pairs.append(("explain", "1"))
    if req.verbatim:
        pairs.append(("verbatim", "1"))
    return pairs


def last_page(total: int, per_page: int) -> int:
    """Return the last page a search can show: past the depth limit no page is served."""
    reachable = min(MAX_PAGE, MAX_DEPTH // per_page)
    return max(1, min(math.ceil(total / per_page), reachable))


def search_links(result: SearchResult, path: str = SEARCH_PATH) -> dict:
    """Return the URLs of this page of results, the first, the last and its neighbours."""
    req = result.request
    last = last_page(result.total, req.per_page)
    # The parameters are the same on every link but the page: encoded once.
    pairs = request_pairs(req, page=DEFAULTS.page)
    explain = "explain=1" if req.explain else ""
    head = urlencode(pairs[:-1] if explain else pairs)

    def url(page: int) -> str:
        query = "&".join(p for p in (head, f"page={page}" if page != DEFAULTS.page else "", explain) if p)
        return f"{path}?{query}" if query else path

    return make(
        bodies.Links,
        self_=url(req.page),
        first=url(1),
        prev=url(min(req.page - 1, last)) if req.page > 1 else None,
        next=url(req.page + 1) if req.page < last else None,
        last=url(last),
    )


def snippet_parts(snippet: str) -> tuple[str, list[dict]]:
    """Return a snippet (text escaped, matches in <mark>) as plain text and the spans marked in it."""
    text: list[str] = []
    spans: list[dict] = []
    length, start = 0, None
    pieces = MARK.split(snippet)
    tags = MARK.findall(snippet)
    for n, piece in enumerate(pieces):
        plain = html.unescape(piece)
        text.append(plain)
        length += len(plain)
        if n < len(tags):
            if tags[n] == "<mark>":
                start = length
            elif start is not None:
                spans.append(make(bodies.Highlight, start=start, end=length))
                start = None
    return "".join(text), spans


def hit_body(hit: Hit) -> dict:
    """Return one search result (with its explanation when one was asked for)."""
    entry = hit.entry
    snippet_text, highlights = snippet_parts(hit.snippet)
    fields = {
        "id": entry.id,
        "kind": entry.kind,
        "part": entry.part,
        "areas": list(entry.areas),
        "themes": list(entry.themes),
        "number": entry.number,
        "title": entry.title,
        "text": entry.text,
        "snippet": hit.snippet,
        "snippet_text": snippet_text,
        "highlights": highlights,
        "score": hit.score,
        "url": permalink(entry.id),
    }
    if hit.explanation is not None:
        fields["explanation"] = hit.explanation
    return make(bodies.Hit, **fields)


def hit_to_json(hit: Hit) -> dict:
    """Return one search result as JSON-ready data."""
    return dump(hit_body(hit))


def ratings_href(answer: Answer) -> str | None:
    """Return the ratings table filtered to the criteria and ratings an answer from the scores rests on."""
    if answer.kind != "ratings" or not answer.rows:
        return None
    pairs = [("criterion", c) for c in dict.fromkeys(r.code for r in answer.rows)]
    ratings = list(dict.fromkeys(r.rating for r in answer.rows))
    if answer.question == "which-areas":
        pairs += [("rating", r) for r in ratings]
    else:
        pairs += [("area", a) for a in dict.fromkeys(r.area for r in answer.rows)]
    return "/ratings?" + urlencode(pairs)


def answer_body(answer: Answer) -> dict:
    """Return an answer from the scores or the Annex B rows, with links to what it rests on."""
    return make(
        bodies.Answer,
        kind=answer.kind,
        source=answer.origin,
        question=answer.question,
        text=answer.text,
        count=answer.count,
        ratings=[
            make(
                bodies.AnswerRating,
                area=row.area,
                area_name=row.area_name,
                code=row.code,
                criterion=row.criterion,
                rating=row.rating,
                entry=row.entry_id,
                url=permalink(row.entry_id),
                area_url=f"/areas/{row.area}",
            )
            for row in answer.rows
        ],
        entries=list(answer.entry_ids),
        search_url="/?" + urlencode([(k, v) for k, vs in answer.search.items() for v in vs])
        if answer.search
        else None,
        ratings_url=ratings_href(answer),
        notes=list(answer.notes),
    )


def answer_to_json(answer: Answer) -> dict:
    """Return an answer as JSON-ready data."""
    return dump(answer_body(answer))


def result_to_json(result: SearchResult) -> dict:
    """Return the body of /api/search."""
    request = result.request
    fields = {
        "query": request.q,
        "corrected_query": result.corrected_query,
        "suggested_query": result.suggested_query,
        "missing_words": list(result.missing_words),
        "searched_as": [{"word": w, "report_words": list(names)} for w, names in result.searched_as],
        "nothing_searched": result.nothing_searched,
        "outside": [{"name": n, "nation": nation, "note": note} for n, nation, note in result.outside],
        "total": result.total,
        "page": request.page,
        "per_page": request.per_page,
        "results": [hit_body(h) for h in result.hits],
        "facets": {
            facet: [
                {"value": v.value, "label": v.label, "count": v.count} for v in result.facets.get(facet, ())
            ]
            for facet in FACETS
        },
        "took_ms": result.took_ms,
        "answer": answer_body(result.answer) if result.answer else None,
        "scope": {
            "areas": list(result.scope),
            "all_areas_query": result.widened_query,
            "places": [{"name": n, "areas": list(a), "note": note} for n, a, note in result.places],
            "place_entries": list(result.place_entries),
            "relaxed": result.relaxed.to_dict() if result.relaxed else None,
        }
        if result.scope
        else None,
        "sections": [{"id": section, "label": label} for section, label in result.sections],
        "links": search_links(result),
    }
    if result.explanation is not None:
        fields["explanation"] = result.explanation
    return make(bodies.SearchResult, **fields)


def download_to_json(result: SearchResult, entry_url: str) -> dict:
    """Return every entry a search download holds (/api/search.json), with absolute permalinks."""
    request = result.request
    return dump(
        bodies.Download(
            query=request.q,
            filters={facet: list(values) for facet, values in request.selections().items() if values},
            sort=request.sort,
            total=result.total,
            truncated=len(result.hits) < result.total,
            results=[{**h.entry.to_dict(), "permalink": entry_url + h.entry.id} for h in result.hits],
        )
    )


def suggestion_body(suggestion: Suggestion) -> bodies.Suggestion:
    """Return one completion; an Area, theme, Part or kind carries the filter it applies."""
    fields = {
        "text": suggestion.text,
        "kind": suggestion.kind,
        "detail": suggestion.detail,
        "count": suggestion.count,
        "url": "/?" + urlencode({"q": suggestion.text}),
    }
    if suggestion.value is not None:
        rest = suggestion.rest.strip()
        fields["filter"] = {"facet": suggestion.kind, "value": suggestion.value, "query": rest}
        fields["url"] = "/?" + urlencode(
            [*([("q", rest)] if rest else []), (suggestion.kind, suggestion.value)]
        )
    return bodies.Suggestion(**fields)


def suggestions_to_json(text: str, suggestions: list[Suggestion]) -> dict:
    """Return the body of /api/suggest: the text typed and its completions, best first."""
    return dump(bodies.Suggestions(query=text, suggestions=[suggestion_body(s) for s in suggestions]))


def suggestions_to_opensearch(text: str, suggestions: list[Suggestion]) -> list:
    """Return the OpenSearch suggestions form of /api/suggest: [query, [completions]]."""
    return [text, [s.text for s in suggestions]]


def entry_body(entry: Entry) -> bodies.Entry:
    """Return an entry with its permalink."""
    return bodies.Entry(**entry.to_dict(), permalink=permalink(entry.id))


def entry_to_json(entry: Entry) -> dict:
    """Return an entry with its permalink, as JSON-ready data."""
    return dump(entry_body(entry))


def entry_detail_to_json(
    entry: Entry,
    cite: str,
    citations: dict[str, str],
    previous: Entry | None,
    following: Entry | None,
    related: list[Hit],
    counterparts: list[Hit],
) -> dict:
    """Return the body of /api/entries/<id>: the entry, its citation, neighbours, related hits
    and counterparts (good practice elsewhere for an issue, issues elsewhere for good practice)."""
    return dump(
        bodies.EntryDetail(
            **entry.to_dict(),
            permalink=permalink(entry.id),
            citation=cite,
            citations=citations,
            previous=previous.id if previous else None,
            next=following.id if following else None,
            related=[hit_body(h) for h in related],
            counterparts=[hit_body(h) for h in counterparts],
        )
    )


def score_table_fields(table: ScoreTable) -> dict:
    """Return a scores table's identity and criteria."""
    return {
        "table": table.number,
        "part": table.part,
        "criteria": [{"code": c.code, "criterion": c.criterion} for c in table.criteria],
        "footnotes": [{"number": f.number, "text": f.text} for f in table.footnotes],
    }


def area_summary_body(
    area: Area, counts: dict[str, int], tables: list[ScoreTable], report: Entry | None
) -> bodies.AreaSummary:
    """Return one row of /api/areas: the Area, its scores and how many entries of each kind."""
    return bodies.AreaSummary(
        slug=area.slug,
        name=area.name,
        url=f"/areas/{area.slug}",
        report_url=report.url if report else None,
        counts={kind: counts.get(kind, 0) for kind in KINDS},
        scores={code: rating for t in tables for code, rating in (t.rows.get(area.slug) or {}).items()},
    )


def areas_to_json(
    summaries: list[tuple[Area, dict[str, int], Entry | None]], tables: list[ScoreTable]
) -> dict:
    """Return the body of /api/areas: every Area with its scores and counts, and the scored criteria."""
    return dump(
        bodies.AreaList(
            areas=[area_summary_body(a, counts, tables, report) for a, counts, report in summaries],
            score_tables=[score_table_fields(t) for t in tables],
        )
    )


def area_profile_to_json(area: Area, profile: AreaProfile) -> dict:
    """Return the body of /api/areas/<slug>."""
    return dump(
        bodies.AreaProfile(
            slug=area.slug,
            name=area.name,
            aliases=list(area.aliases),
            url=f"/areas/{area.slug}",
            report=entry_body(profile.report) if profile.report else None,
            scores=[
                {
                    **score_table_fields(table),
                    "entry": table.entry_ids.get(area.slug),
                    "ratings": [
                        {"code": c.code, "criterion": c.criterion, "rating": row[c.code]}
                        for c in table.criteria
                        if row and c.code in row
                    ],
                }
                for table, row in profile.scores
            ],
            **{
                ANNEX_B_KEYS[kind]: [entry_body(e) for rows in by_part.values() for e in rows]
                for kind, by_part in profile.annex_b.items()
            },
            mentions=[entry_body(e) for e in profile.mentions],
        )
    )


def comparison_to_json(
    comparison: Comparison, areas: dict[str, Area], theme_label: Callable[[str], str]
) -> dict:
    """Return the body of /api/compare: ratings side by side, then Annex B rows by theme and Area."""
    slugs = comparison.areas
    return dump(
        bodies.Comparison(
            areas=[{"slug": s, "name": areas[s].name, "url": f"/areas/{s}"} for s in slugs],
            scores=[
                {
                    "table": table.number,
                    "part": table.part,
                    "criteria": [
                        {
                            "code": row.criterion.code,
                            "criterion": row.criterion.criterion,
                            "ratings": dict(zip(slugs, row.ratings, strict=True)),
                            "differs": row.differs,
                        }
                        for row in rows
                    ],
                }
                for table, rows in comparison.scores
            ],
            themes=[
                {
                    "slug": theme.theme,
                    "label": theme_label(theme.theme),
                    **{
                        ANNEX_B_KEYS[kind]: {
                            slug: [entry_body(e) for e in found]
                            for slug, found in zip(slugs, per_area, strict=True)
                        }
                        for kind, per_area in theme.rows.items()
                    },
                }
                for theme in comparison.themes
            ],
        )
    )


def themes_to_json(themes: list[tuple[Theme, dict[str, int]]]) -> dict:
    """Return the body of /api/themes: each theme with its entry counts (in all and by kind)."""
    return dump(
        bodies.ThemeList(
            themes=[
                {
                    "slug": theme.slug,
                    "label": theme.label,
                    "description": theme.description,
                    "count": counts.get("all", 0),
                    "counts": {kind: n for kind, n in counts.items() if kind != "all"},
                    "url": f"/?theme={theme.slug}",
                }
                for theme, counts in themes
            ]
        )
    )


def glossary_to_json(acronyms: list[dict]) -> dict:
    """Return the body of /api/glossary."""
    return dump(bodies.Glossary(acronyms=acronyms))


def quality_to_json(quality: dict) -> dict:
    """Return the body of /api/quality: the data-quality findings of a build."""
    return dump(bodies.Quality(**quality))
