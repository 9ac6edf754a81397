"""Shared fixtures: the real corpus, one index built per session, the app and its client."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.index.build import build_index
from search.ingest.catalogue import ingest
from search.models import SearchRequest
from search.query.engine.bitsets import docnums_of, mask_of
from search.query.searcher import SearchIndex

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"


@pytest.fixture(scope="session")
def catalogue():
    """Everything ingest reads from the real corpus."""
    return ingest(CORPUS)


@pytest.fixture(scope="session")
def entries(catalogue):
    """Entries by id."""
    return {e.id: e for e in catalogue.entries}


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory, catalogue):
    """An index of the real corpus, built once per test session."""
    folder = tmp_path_factory.mktemp("index")
    build_index(CORPUS, folder, catalogue)
    return folder


@pytest.fixture(scope="session")
def search_index(index_dir):
    """The session index, open for searching."""
    index = SearchIndex.open(index_dir)
    yield index
    index.close()


@pytest.fixture(scope="session")
def app(index_dir):
    """The Flask app over the session index."""
    from web import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "CORPUS_DIR": str(CORPUS)})


@pytest.fixture()
def client(app):
    return app.test_client()


# -- Whoosh's own ranking, the reference the engine is checked against ----------------------


class WhooshReference:
    """Rank queries with Whoosh itself, and check the engine against it."""

    @staticmethod
    def ranking(index, query) -> list[tuple[int, float]]:
        """Return every match of a compiled query with its score, best first, as Whoosh ranks it."""
        results = index.searcher().search(query.to_whoosh(), limit=None, terms=False)
        return sorted(((d, s) for s, d in results.top_n), key=lambda ds: (-ds[1], ds[0]))

    def ranked(self, index, q: str):
        """Compile q as a search would and rank it with Whoosh; (None, None) for a browse."""
        compiled = index.prepare(SearchRequest(q=q)).compiled
        if compiled.query is None:
            return None, None
        return compiled.query, self.ranking(index, compiled.query)

    def ranked_search(self, index, q: str, without: frozenset[str] = frozenset(), kept=None):
        """Rank q as a search does, from Whoosh's own scores: scope and every lift, then the
        first candidates of those `kept` (a filter: every document by default) in the learned order."""
        prepared = index.prepare(SearchRequest(q=q), without)
        adjust = prepared.adjustments
        ranked = []
        for doc, score in self.ranking(index, prepared.compiled.query):
            if (adjust.scope is None or adjust.scope >> doc & 1) and (kept is None or kept(doc)):
                ranked.append((doc, score + adjust.lifts.get(doc, 0.0)))
        ranked.sort(key=lambda ds: (-ds[1], ds[0]))
        return index.reorderer.order(prepared, ranked) if index.learns_order(prepared) else ranked

    def assert_same(self, index, q: str, depth: int = 30) -> None:
        """Assert that the engine matches, orders and scores q's top `depth` as Whoosh does."""
        query, reference = self.ranked(index, q)
        if query is None:
            return
        self.assert_same_query(index, query, reference, depth, q)

    def assert_same_query(self, index, query, reference=None, depth: int = 30, q: str = "") -> None:
        """Assert that the engine runs a query (its nodes) as Whoosh runs `query.to_whoosh()`."""
        reference = self.ranking(index, query) if reference is None else reference
        q = q or repr(query)
        ranking = index.ranker.run(query, index.searcher(), index.facets.everything)
        assert ranking.matched == mask_of(d for d, _ in reference), q
        top = ranking.top(ranking.matched, depth)
        assert [d for d, _ in top] == [d for d, _ in reference[:depth]], q
        for (_, ours), (_, theirs) in zip(top, reference, strict=False):
            assert ours == pytest.approx(theirs, rel=1e-9), q
        docs = docnums_of(ranking.matched)[:depth]
        assert ranking.scores(docs) == pytest.approx([dict(reference)[d] for d in docs], rel=1e-9)


@pytest.fixture(scope="session")
def whoosh():
    """Whoosh's own ranking, for checking the engine from tests in any folder."""
    return WhooshReference()
