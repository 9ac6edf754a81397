"""The JSON shapes of the API, defined once for the web service and the CLI."""

from __future__ import annotations

from search.models import Entry, Hit, SearchResult


def permalink(entry_id: str) -> str:
    """Return the path of an entry's page."""
    return f"/entries/{entry_id}"


def hit_to_json(hit: Hit) -> dict:
    """Return one search result."""
    entry = hit.entry
    return {
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


def result_to_json(result: SearchResult) -> dict:
    """Return the body of /api/search."""
    request = result.request
    return {
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
    }


def entry_to_json(entry: Entry) -> dict:
    """Return an entry with its permalink."""
    return {**entry.to_dict(), "permalink": permalink(entry.id)}
