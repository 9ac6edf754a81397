"""The boundary between the web layer (and CLI) and whatever answers searches.

`SearchIndex` (Whoosh on one machine) is the one implementation today. Everything
above it — web/, the CLI, the benchmark — asks only for what `SearchBackend` lists:
validated requests in, `SearchResult`s and `Entry`s out, plus the read-only data a
build carries. A backend for a distributed engine (OpenSearch, say) would implement
the same protocol: translate the `QueryCompiler`'s plan into its query DSL, map the
four facets to terms aggregations (one per facet, each filtered by the other facets'
selections, so counts stay disjunctive), and return the same dataclasses, so the
JSON API and the pages do not change. See README, "Performance and scale".
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from search.curated.areas import AreaRegistry
from search.curated.taxonomy import Taxonomy
from search.models import Entry, Hit, SearchRequest, SearchResult, Suggestion
from search.text.glossary import Glossary
from search.text.highlight import HighlightTerms


@runtime_checkable
class SearchBackend(Protocol):
    """What the service needs from a search backend."""

    name: str  # the build being served; changes when the data does (ETags use it)
    meta: dict  # what the build records of itself (built_at, …)
    entries: list[Entry]  # every entry, in document order
    by_id: dict[str, int]
    areas: AreaRegistry
    taxonomy: Taxonomy
    glossary: Glossary
    documents: list[dict]
    quality: dict

    def search(
        self,
        request: SearchRequest,
        *,
        snippets: bool = True,
        facets: bool = True,
        without: frozenset[str] = ...,
    ) -> SearchResult:
        """Answer a validated search: hits (with snippets unless told not to), total, facet counts
        (likewise); `without` names query-stage parts to switch off (`search.query.parts`)."""
        ...

    def export(self, request: SearchRequest, limit: int = ...) -> SearchResult:
        """Answer a search with up to `limit` hits of one ranking (page and per_page ignored, no facet counts)."""
        ...

    def highlight_terms(self, q: str) -> HighlightTerms:
        """Return what a query marks in an entry's text: its words, expansions and phrases."""
        ...

    def suggest(self, text: str, limit: int) -> list[Suggestion]:
        """Return completions of the text typed so far, best first."""
        ...

    def entry(self, entry_id: str) -> Entry:
        """Return one entry by id, or raise NotFound."""
        ...

    def neighbours(self, entry_id: str) -> tuple[Entry | None, Entry | None]:
        """Return the entries before and after one, in document order."""
        ...

    def related(self, entry_id: str, limit: int = 5) -> list[Hit]:
        """Return the entries most like one, from other Areas."""
        ...

    def counterparts(self, entry_id: str, limit: int = 20) -> list[Hit]:
        """Return what answers an entry in other Areas on its themes (good practice ↔ issues)."""
        ...

    def close(self) -> None:
        """Release what the backend holds open."""
        ...
