"""The benchmark's peers as Flask apps, served by gunicorn on the service's own layout.

- `create_noop_app()`: an endpoint that does no work and answers a fixed JSON body of
  `AAP_BENCH_BODY_BYTES` bytes, whatever the path: the most a Flask app on this layout
  can serve, the limit the service is measured against.
- `create_fts5_app()`: SQLite FTS5 over the same entries (`search.bench.fts5`), answering
  `/api/search` with its total, facet counts and a page of snippets as JSON.

`python -m search.bench.peers` runs them (`search.server.run_gunicorn`); the service never
imports this module.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from flask import Flask, Response, request

from search.bench.fts5 import Fts5Peer
from search.index.reader import open_current

DEFAULT_BODY_BYTES = 8000


def noop_body(size: int) -> bytes:
    """Return a JSON object of exactly `size` bytes (at least a few)."""
    head = b'{"padding":"'
    tail = b'"}'
    return head + b"x" * max(0, size - len(head) - len(tail)) + tail


def create_noop_app() -> Flask:
    """Return an app answering every GET with the same JSON body and doing nothing else."""
    app = Flask(__name__)
    body = noop_body(int(os.environ.get("AAP_BENCH_BODY_BYTES") or DEFAULT_BODY_BYTES))

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def noop(path: str) -> Response:
        return Response(body, mimetype="application/json")

    return app


def create_fts5_app() -> Flask:
    """Return an app answering /api/search from SQLite FTS5 over the entries of $AAP_INDEX_DIR."""
    app = Flask(__name__)
    build = open_current(Path(os.environ["AAP_INDEX_DIR"]))
    entries = build.entries
    build.close()
    local = threading.local()  # one in-memory database per thread: a query uses a temp table

    def peer() -> Fts5Peer:
        found = getattr(local, "peer", None)
        if found is None:
            found = local.peer = Fts5Peer(entries)
        return found

    @app.get("/api/search")
    def search() -> Response:
        params = {key: request.args.getlist(key) for key in request.args}
        body = json.dumps(peer().search(params), ensure_ascii=False)
        return Response(body, mimetype="application/json")

    return app
