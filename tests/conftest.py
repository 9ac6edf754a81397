"""Shared fixtures: the real corpus, one index built per session, the app and its client."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.indexer import build_index
from search.ingest import ingest
from search.searcher import SearchIndex

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
