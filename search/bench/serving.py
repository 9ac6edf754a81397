"""HTTP latency, throughput and memory of the real server under bounded load."""

from __future__ import annotations

from pathlib import Path

from search.bench.live import LiveServer
from search.bench.load import run_load
from search.bench.workload import api_path, requests

LEVELS = (1, 8, 32)


def measure_server(
    corpus: Path,
    index: Path,
    workers: int,
    levels=LEVELS,
    max_requests: int = 3000,
    max_seconds: float = 20.0,
) -> dict:
    """Serve the index with `workers` gunicorn workers and load it at each concurrency."""
    paths = [api_path(params) for _, params in requests()]
    with LiveServer(corpus, index, workers=workers, lifetime=60 + len(levels) * (max_seconds + 40)) as server:
        # One pass at low concurrency warms every worker's caches before measuring.
        run_load(server.port, paths, concurrency=2 * workers, max_requests=4 * len(paths), max_seconds=30)
        runs = [run_load(server.port, paths, c, max_requests, max_seconds).summary() for c in levels]
        memory = server.worker_rss_mib()
    return {"workers": workers, "threads": 4, "runs": runs, "rss_mib": memory}
