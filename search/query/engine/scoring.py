"""BM25F with one notion of how rare a word is, shared by every text field.

Whoosh's BM25F takes each field's own inverse document frequency, so a common
word that happens to be rare in titles ("performance" in "performance expectation")
would outweigh the same word in the body. Here titles, aliases and context borrow
the body's IDF: a word is as informative wherever it matches.
"""

from __future__ import annotations

from whoosh.scoring import BM25F, BM25FScorer

IDF_FIELD = "text"
SHARED_IDF_FIELDS = frozenset({"title", "aliases", "context"})


class SharedIdfBM25F(BM25F):
    """BM25F whose title, aliases and context fields use the text field's IDF."""

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if fieldname in SHARED_IDF_FIELDS and isinstance(scorer, BM25FScorer):
            parent = searcher.get_parent()
            if parent.doc_frequency(IDF_FIELD, text):
                scorer.idf = parent.idf(IDF_FIELD, text)
        return scorer


def make_weighting() -> SharedIdfBM25F:
    """Return the ranking model used by every searcher."""
    # Titles are short and formulaic ("Wessex: strength 2"): little length normalisation there.
    # In the text, a paragraph that treats a subject at length is often the answer a reader
    # wants, so length counts for less than BM25's usual 0.75, and a word's repeats saturate
    # sooner (chosen on the tuning judgments from B 0.3–0.9 × K1 0.9–2.0).
    return SharedIdfBM25F(B=0.4, K1=0.9, title_B=0.3)
