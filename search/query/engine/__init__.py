"""The engine: compiled query nodes + an index → matching documents, scores, facet counts.

- `postings`  a term's documents and BM25F scores, read once from Whoosh and cached
- `phrases`   a phrase's candidates, checked on positions where it matters, kept per build
- `ranking`   a query run: the nodes' leaves as sets and sums, the top k by score
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
