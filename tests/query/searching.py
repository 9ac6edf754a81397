"""Helpers the query tests share: run a search from plain parameters, list the ids found."""

from __future__ import annotations

from search.query.request import parse_request


def search(index, q: str = "", **params):
    """Run a search with parameters given as keywords (lists for repeated ones)."""
    raw = {"q": [q], **{k: v if isinstance(v, list) else [str(v)] for k, v in params.items()}}
    return index.search(parse_request(raw))


def ids(result) -> list[str]:
    """Return the ids of a result's hits, in order."""
    return [h.entry.id for h in result.hits]
