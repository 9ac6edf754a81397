"""The query stage: search parameters → a ranked, faceted, highlighted `SearchResult`.

- `request`    raw parameters (URL or command line) → a validated `SearchRequest`, bounded
- `syntax`     the query string → a `QueryPlan` (words, phrases, filters, operators)
- `lexicon`    what the build knows about its words (acronyms, spelling, stems, themes)
- `compiler`   a plan → a Whoosh query, built without touching an index
- `selection`  facet values as people type them, merged with filters in the query
- `related`    the entries most like one, from other Areas
- `searcher`   `SearchIndex`: one open build answering requests (`backend` is its protocol)
- `engine`     running a compiled query: postings, ranking, facet bitsets
"""

from search.query.backend import SearchBackend
from search.query.request import parse_request
from search.query.searcher import SearchIndex
from search.query.syntax import QueryPlan, parse_query

__all__ = ["QueryPlan", "SearchBackend", "SearchIndex", "parse_query", "parse_request"]
