"""The JSON shapes of the API, defined once for the web service and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from search.curated.areas import Area
from search.curated.taxonomy import Theme
from search.models import KINDS, Answer, Entry, Hit, SearchResult, Suggestion
from search.output.overview import AreaProfile, Comparison, ScoreTable

ANNEX_B_KEYS = {"issue": "issues", "good-practice": "good_practice", "strength": "strengths"}


def permalink(entry_id: str) -> str:
    """Return the path of an entry's page."""
    return f"/entries/{entry_id}"


def hit_to_json(hit: Hit) -> dict:
    """Return one search result (with its explanation when one was asked for)."""
    entry = hit.entry
    body = {
        "id": entry.id,
        "kind": entry.kind,
        "part": entry.part,
        "areas": list(entry.areas),
        "themes": list(entry.themes),
        "number": entry.number,
        "title": entry.title,
        "text": entry.text,
        "snippet": hit.snippet,
        "score": hit.score,
        "url": permalink(entry.id),
    }
    if hit.explanation is not None:
        body["explanation"] = hit.explanation
    return body


def answer_to_json(answer: Answer) -> dict:
    """Return an answer from the scores or the Annex B rows, with links to what it rests on."""
    return {
        "kind": answer.kind,
        "question": answer.question,
        "text": answer.text,
        "count": answer.count,
        "ratings": [
            {
                "area": row.area,
                "area_name": row.area_name,
                "code": row.code,
                "criterion": row.criterion,
                "rating": row.rating,
                "entry": row.entry_id,
                "url": permalink(row.entry_id),
                "area_url": f"/areas/{row.area}",
            }
            for row in answer.rows
        ],
        "entries": list(answer.entry_ids),
        "search_url": "/?" + urlencode([(k, v) for k, vs in answer.search.items() for v in vs])
        if answer.search
        else None,
        "notes": list(answer.notes),
    }


def result_to_json(result: SearchResult) -> dict:
    """Return the body of /api/search."""
    request = result.request
    body = {
        "query": request.q,
        "corrected_query": result.corrected_query,
        "total": result.total,
        "page": request.page,
        "per_page": request.per_page,
        "results": [hit_to_json(h) for h in result.hits],
        "facets": {
            facet: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for facet, values in result.facets.items()
        },
        "took_ms": result.took_ms,
        "answer": answer_to_json(result.answer) if result.answer else None,
        "scope": {
            "areas": list(result.scope),
            "all_areas_query": result.widened_query,
            "places": [{"name": n, "areas": list(a), "note": note} for n, a, note in result.places],
            "relaxed": result.relaxed.to_dict() if result.relaxed else None,
        }
        if result.scope
        else None,
    }
    if result.explanation is not None:
        body["explanation"] = result.explanation
    return body


def suggestions_to_json(text: str, suggestions: list[Suggestion]) -> dict:
    """Return the body of /api/suggest: the text typed and its completions, best first."""
    return {
        "query": text,
        "suggestions": [
            {
                "text": s.text,
                "kind": s.kind,
                "detail": s.detail,
                "count": s.count,
                "url": "/?" + urlencode({"q": s.text}),
            }
            for s in suggestions
        ],
    }


def suggestions_to_opensearch(text: str, suggestions: list[Suggestion]) -> list:
    """Return the OpenSearch suggestions form of /api/suggest: [query, [completions]]."""
    return [text, [s.text for s in suggestions]]


def entry_to_json(entry: Entry) -> dict:
    """Return an entry with its permalink."""
    return {**entry.to_dict(), "permalink": permalink(entry.id)}


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
    return {
        **entry_to_json(entry),
        "citation": cite,
        "citations": citations,
        "previous": previous.id if previous else None,
        "next": following.id if following else None,
        "related": [hit_to_json(h) for h in related],
        "counterparts": [hit_to_json(h) for h in counterparts],
    }


def score_table_to_json(table: ScoreTable) -> dict:
    """Return a scores table's identity and criteria."""
    return {
        "table": table.number,
        "part": table.part,
        "criteria": [{"code": c.code, "criterion": c.criterion} for c in table.criteria],
        "footnotes": [{"number": f.number, "text": f.text} for f in table.footnotes],
    }


def area_summary_to_json(
    area: Area, counts: dict[str, int], tables: list[ScoreTable], report: Entry | None
) -> dict:
    """Return one row of /api/areas: the Area, its scores and how many entries of each kind."""
    return {
        "slug": area.slug,
        "name": area.name,
        "url": f"/areas/{area.slug}",
        "report_url": report.url if report else None,
        "counts": {kind: counts.get(kind, 0) for kind in KINDS},
        "scores": {code: rating for t in tables for code, rating in (t.rows.get(area.slug) or {}).items()},
    }


def area_profile_to_json(area: Area, profile: AreaProfile) -> dict:
    """Return the body of /api/areas/<slug>."""
    return {
        "slug": area.slug,
        "name": area.name,
        "aliases": list(area.aliases),
        "url": f"/areas/{area.slug}",
        "report": entry_to_json(profile.report) if profile.report else None,
        "scores": [
            {
                **score_table_to_json(table),
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
            ANNEX_B_KEYS[kind]: [entry_to_json(e) for rows in by_part.values() for e in rows]
            for kind, by_part in profile.annex_b.items()
        },
        "mentions": [entry_to_json(e) for e in profile.mentions],
    }


def area_link_to_json(area: Area) -> dict:
    """Return an Area's slug, name and page."""
    return {"slug": area.slug, "name": area.name, "url": f"/areas/{area.slug}"}


def comparison_to_json(
    comparison: Comparison, areas: dict[str, Area], theme_label: Callable[[str], str]
) -> dict:
    """Return the body of /api/compare: ratings side by side, then Annex B rows by theme and Area."""
    slugs = comparison.areas
    return {
        "areas": [area_link_to_json(areas[slug]) for slug in slugs],
        "scores": [
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
        "themes": [
            {
                "slug": theme.theme,
                "label": theme_label(theme.theme),
                **{
                    ANNEX_B_KEYS[kind]: {
                        slug: [entry_to_json(e) for e in found]
                        for slug, found in zip(slugs, per_area, strict=True)
                    }
                    for kind, per_area in theme.rows.items()
                },
            }
            for theme in comparison.themes
        ],
    }


def theme_to_json(theme: Theme, counts: dict[str, int]) -> dict:
    """Return one theme of /api/themes with its entry counts (in all and by kind)."""
    return {
        "slug": theme.slug,
        "label": theme.label,
        "description": theme.description,
        "count": counts.get("all", 0),
        "counts": {kind: n for kind, n in counts.items() if kind != "all"},
        "url": f"/?theme={theme.slug}",
    }
