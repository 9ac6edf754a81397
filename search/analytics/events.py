"""What is recorded of a search and of a result opened, taken from what the request already has.

Nothing personal: no address, user agent, cookie or identifier is ever part of an
event. The query text is kept as typed until the recorder's thread stores it, and
masked then (masking.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from search.analytics.masking import normalise_query
from search.models import SearchResult


@dataclass(frozen=True, slots=True)
class SearchEvent:
    """One search run: its words, filters and paging, and what it found."""

    at: float
    query: str
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    sort: str = "relevance"
    total: int = 0
    corrected_query: str | None = None
    suggested_query: str | None = None
    answered: bool = False
    took_ms: float = 0.0
    source: str = "api"
    previous_query: str | None = None

    def row(self) -> tuple:
        """Return the stored row (storage.SEARCH_COLUMNS): texts normalised and masked."""
        filters = {k: [normalise_query(v) for v in values] for k, values in sorted(self.filters.items())}
        previous = normalise_query(self.previous_query) or None
        query = normalise_query(self.query)
        return (
            self.at,
            query,
            json.dumps(filters, ensure_ascii=False, separators=(",", ":")),
            self.page,
            self.sort,
            self.total,
            normalise_query(self.corrected_query) or None,
            normalise_query(self.suggested_query) or None,
            int(self.answered),
            self.took_ms,
            self.source,
            previous if previous != query else None,
        )


@dataclass(frozen=True, slots=True)
class ClickEvent:
    """A result opened: the entry, the search it came from, and its place in those results."""

    at: float
    query: str
    entry_id: str
    rank: int | None = None

    def row(self) -> tuple:
        """Return the stored row (storage.CLICK_COLUMNS)."""
        return (self.at, normalise_query(self.query), self.entry_id[:200], self.rank)


def search_event(
    result: SearchResult, source: str, at: float, previous_query: str | None = None
) -> SearchEvent:
    """Describe a search that was run, from its result."""
    request = result.request
    return SearchEvent(
        at=at,
        query=request.q,
        filters={facet: values for facet, values in request.selections().items() if values},
        page=request.page,
        sort=request.sort,
        total=result.total,
        corrected_query=result.corrected_query,
        suggested_query=result.suggested_query,
        answered=result.answer is not None,
        took_ms=result.took_ms,
        source=source,
        previous_query=previous_query,
    )
