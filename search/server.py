"""Run the web service on gunicorn, a production WSGI server.

The application is named by its import string ("web:create_app()"), which gunicorn
loads in each worker, so `search` itself never imports the web package.

gunicorn is not meant to face clients. Its threaded workers read a request in a
worker thread with no deadline, so a client sending its headers a byte at a time
holds a thread, and a few of them stall a replica. In production a replica listens
on loopback behind nginx (deploy/nginx/), which reads whole requests before passing
them on; the limits below bound what one request may hold all the same.
"""

from __future__ import annotations

import os
from pathlib import Path

from gunicorn.app.base import BaseApplication
from gunicorn.util import import_app

APP = "web:create_app()"
THREADS = 4


class Server(BaseApplication):
    """A gunicorn application configured in code rather than by command-line flags."""

    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return import_app(APP)


def on_starting(host: str, port: int):
    def hook(server):
        server.log.info("AAP Search is running at http://%s:%s/", host, port)
        print(f"AAP Search is running at http://{host}:{port}/  (Ctrl+C to stop)", flush=True)

    return hook


def serve(corpus: Path, index: Path, host: str, port: int, workers: int, public_url: str) -> int:
    """Serve the index until interrupted; absolute URLs start with public_url."""
    os.environ["AAP_INDEX_DIR"] = str(index.resolve())
    os.environ["AAP_CORPUS_DIR"] = str(corpus.resolve())
    os.environ["AAP_PUBLIC_URL"] = public_url
    Server(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": THREADS,
            "timeout": 30,
            "graceful_timeout": 10,
            "keepalive": 5,
            # A request line, its headers and their number: what a URL of the API needs, no more.
            "limit_request_line": 8190,
            "limit_request_fields": 50,
            "limit_request_field_size": 8190,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "when_ready": on_starting(host, port),
        }
    ).run()
    return 0
