"""The engine: a compiled Whoosh query + an index → matching documents, scores, facet counts.

- `postings`  a term's documents and BM25F scores, read once from Whoosh and cached
- `ranking`   the query as sets and sums: which documents match, the top k by score
- `scoring`   BM25F with one IDF shared by every text field
- `bitsets`   sets of documents as integers
- `facets`    per facet value, its documents; filters and disjunctive counts
"""

from search.query.engine.bitsets import docnums_of, mask_of
from search.query.engine.facets import FacetIndex
from search.query.engine.postings import Postings, PostingsCache
from search.query.engine.ranking import Ranker, Ranking
from search.query.engine.scoring import make_weighting

__all__ = [
    "FacetIndex",
    "Postings",
    "PostingsCache",
    "Ranker",
    "Ranking",
    "docnums_of",
    "make_weighting",
    "mask_of",
]
