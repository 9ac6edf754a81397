"""The query stage: search parameters → a ranked, faceted, highlighted `SearchResult`.

One route: `pipeline.prepare(request) → PreparedQuery` (syntax → read → correct → compile →
answer → adjust) is what search, explain, downloads and the tests' oracle all run on.

- `request`        raw parameters (URL or command line) → a validated `SearchRequest`, bounded
- `syntax`         the query string → a `QueryPlan` (words, phrases, filters, operators)
- `limits`         a plan → the same plan within what a query may ask for, counted in stems
- `understanding`  a plan's words → an `Understanding`: frame, topic, Areas, places, kinds, criteria, question
- `lexicon`        what the build knows about its words (acronyms, spelling, stems, themes, lay terms, English)
- `corrections`    typos corrected, real words left as typed, slips in context
- `parts`          the switchable parts by name: `--without` and the benchmark's ablation
- `nodes`          the query representation: small nodes that match and score themselves
- `clauses`        the labelled queries every part builds from (a word over its best field)
- `expanders`      what the parts add around the words: acronyms, lay words, families, proximity, definitions, themes
- `compiler`       an understood plan → query nodes of labelled clauses, without touching an index
- `adjustments`    an understanding → scope and lifts (an answer's rows, kinds named, quantities)
- `answers`        a question about ratings or counts → an `Answer` from the structured data
- `pipeline`       the route above, and the `PreparedQuery` it gives
- `relax`          a scope that would answer nothing relaxes, and says which step it took
- `explain`        why an entry scored as it did
- `selection`      facet values as people type them, merged with filters in the query
- `related`        the entries most like one, from other Areas; an issue's counterparts
- `suggest`        completions of what is being typed
- `searcher`       `SearchIndex`: one open build answering requests (`backend` is its protocol)
- `engine`         running compiled nodes: postings, phrases, ranking, facet bitsets
"""

from search.query.backend import SearchBackend
from search.query.request import parse_request
from search.query.searcher import SearchIndex
from search.query.syntax import QueryPlan, parse_query

__all__ = ["QueryPlan", "SearchBackend", "SearchIndex", "parse_query", "parse_request"]
