"""A web worker loads what serving needs, and not the parser or the index writer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Runs `python -m search serve` as far as gunicorn's worker: the master's own work
# (checking the index, building it when missing), then what each worker does after the
# fork — load the app by its import string and answer a search — and reports the
# modules loaded by then. The forked worker inherits the master's modules, so both count.
WORKER = """
import json, sys
import search.server
from werkzeug.test import Client

def run_worker(server):
    response = Client(server.load()).get("/api/search?q=disclosure")
    assert response.status_code == 200, response.status_code
    print(json.dumps(sorted(sys.modules)))

search.server.Server.run = run_worker
from search.cli import main
sys.exit(main(sys.argv[1:]))
"""
BUILD_ONLY = (
    "search.ingest",
    "search.ingest.catalogue",
    "search.ingest.report",
    "search.index.build",
    "search.bench",
    "multiprocessing",
)


def worker_modules(index: Path) -> set[str]:
    command = [sys.executable, "-c", WORKER, "--index", str(index), "--corpus", str(REPO / "corpus"), "serve",
               "--analytics-dir", str(index.parent / "analytics")]  # fmt: skip
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_a_worker_serving_an_existing_index_loads_no_build_code(index_dir):
    modules = worker_modules(index_dir)
    assert "search.query.searcher" in modules and "web" in modules and "search.analytics.recorder" in modules
    assert not modules & set(BUILD_ONLY)


def test_a_missing_index_is_built_in_a_child_so_workers_stay_lean(tmp_path):
    index = tmp_path / "index"
    modules = worker_modules(index)
    assert (index / "CURRENT").is_file()
    assert not modules & set(BUILD_ONLY)
