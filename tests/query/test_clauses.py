"""The query pieces every stage builds from, on a small in-memory Whoosh index."""

from __future__ import annotations

import pytest
from whoosh import query as wq
from whoosh.fields import TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from search.query.clauses import word_query
from search.query.nodes import WhooshBestOf


@pytest.fixture()
def searcher():
    ix = RamStorage().create_index(Schema(title=TEXT, text=TEXT))
    with ix.writer() as w:
        w.add_document(title="budget", text="budget budget budget")  # 0: the word in both fields
        w.add_document(title="other", text="budget among many other words of a long text")  # 1: text only
        w.add_document(title="budget", text="nothing here")  # 2: only in the title, scoring higher
    with ix.searcher() as s:
        yield s


def scores(searcher, q) -> dict[int, float]:
    return {hit.docnum: hit.score for hit in searcher.search(q, limit=None)}


def test_whooshs_dismax_scores_a_document_with_another_ones_score(searcher):
    terms = [wq.Term("title", "budget"), wq.Term("text", "budget")]
    best = {d: max(scores(searcher, t).get(d, 0.0) for t in terms) for d in range(3)}
    assert scores(searcher, wq.DisjunctionMax(terms)) != best  # the frozen library's flaw
    assert scores(searcher, WhooshBestOf(terms)) == pytest.approx(best)


def test_a_word_counts_its_best_field_not_the_sum(searcher):
    summed = scores(searcher, word_query("budget", best_field=False).to_whoosh())
    best = scores(searcher, word_query("budget").to_whoosh())
    assert best[0] < summed[0]  # in both fields: the title no longer adds to the text
    assert best[1] == pytest.approx(summed[1])  # in one field: the same
    assert set(best) == set(summed) == {0, 1, 2}
