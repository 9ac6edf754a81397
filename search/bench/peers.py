"""Run the benchmark's peer apps (`web/peers.py`) on the service's gunicorn layout.

    python -m search.bench.peers noop --port P [--workers N] [--body-bytes B]
    python -m search.bench.peers fts5 --port P --index DIR [--workers N]

The apps are named by import string, as the service is, so `search` never imports
Flask; `LivePeer` starts one on a free loopback port for a benchmark run.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from search.bench.entry import run
from search.bench.live import HOST, LiveServer
from search.server import run_gunicorn

APPS = {"noop": "web.peers:create_noop_app()", "fts5": "web.peers:create_fts5_app()"}


class LivePeer(LiveServer):
    """A peer app on gunicorn on 127.0.0.1, started and stopped like the service."""

    def __init__(self, app: str, index: Path, workers: int = 2, body_bytes: int = 0, lifetime: float = 600.0):
        super().__init__(index, index, workers=workers, lifetime=lifetime)
        self.app = app
        self.body_bytes = body_bytes

    @property
    def ready_path(self) -> str:
        return "/api/search?q=disclosure"

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "search.bench.peers", self.app, "--port", str(self.port),
            "--workers", str(self.workers), "--index", str(self.index), "--body-bytes", str(self.body_bytes),
        ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m search.bench.peers", description=__doc__.splitlines()[0])
    parser.add_argument("app", choices=sorted(APPS))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--body-bytes", type=int, default=0, help="the no-op body's size (default 8,000)")
    args = parser.parse_args(argv)
    os.environ["AAP_INDEX_DIR"] = str(args.index.resolve())
    if args.body_bytes:
        os.environ["AAP_BENCH_BODY_BYTES"] = str(args.body_bytes)
    return run_gunicorn(APPS[args.app], HOST, args.port, args.workers)


if __name__ == "__main__":
    run(main)
