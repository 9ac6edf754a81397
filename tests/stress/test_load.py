"""A short, bounded load test of the real server on loopback: no request may fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.bench.live import LiveServer
from search.bench.load import run_load
from search.bench.workload import api_path, requests

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def server(index_dir):
    with LiveServer(CORPUS, index_dir, workers=2, lifetime=300) as live:
        yield live


@pytest.mark.parametrize("concurrency, budget", [(1, 60), (8, 400), (32, 400)])
def test_load_gives_no_errors(server, concurrency, budget):
    paths = [api_path(params) for _, params in requests()]
    result = run_load(server.port, paths, concurrency, max_requests=budget, max_seconds=20)
    assert result.requests > 0
    assert result.errors == 0, result.failures[:5]
    assert set(result.statuses) == {200}


def test_load_counts_bad_answers_as_errors(server):
    # One thread walks the paths in turn: every other request is a bad one.
    result = run_load(
        server.port, ["/api/search?page=0", "/api/search?q=x"], 1, max_requests=20, max_seconds=10
    )
    assert result.requests == 20
    assert result.errors == 10 and result.statuses == {400: 10, 200: 10}


def test_server_workers_hold_the_index_in_memory(server):
    rss = server.worker_rss_mib()
    assert rss["master"] > 0 and len(rss["workers"]) == 2 and all(w > 0 for w in rss["workers"])
