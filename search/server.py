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
from gunicorn.http import wsgi
from gunicorn.util import import_app

APP = "web:create_app()"
THREADS = 4
# How long a replica keeps an idle connection open. nginx lets its pooled connections to a
# replica go sooner (`search.deploy`), so it never sends a request down one being closed.
KEEPALIVE_SECONDS = 5


class HeadFirst:
    """A socket that holds what is written while `holding`, and sends it in front of the next data."""

    def __init__(self, sock):
        self.sock = sock
        self.head = b""
        self.holding = True

    def sendall(self, data) -> None:
        if self.holding:
            self.head += bytes(data)
            return
        head, self.head = self.head, b""
        self.sock.sendall(head + bytes(data))

    def flush(self) -> None:
        """Send what is held, if anything."""
        if self.head:
            head, self.head = self.head, b""
            self.sock.sendall(head)

    def sendfile(self, *args, **kwargs):
        self.flush()
        return self.sock.sendfile(*args, **kwargs)

    def fileno(self) -> int:
        self.flush()  # whoever writes to the descriptor itself must find the head sent
        return self.sock.fileno()

    def __getattr__(self, name: str):
        return getattr(self.sock, name)


class WholeResponse(wsgi.Response):
    """A gunicorn response whose status line and headers go out with its body, in one write.

    gunicorn writes the headers, then the body. A worker killed between the two (and a
    threaded worker may run another request's Python in between) leaves nginx with
    headers it has already passed to the client and no body: the client gets a broken
    response that nginx cannot retry on another replica. Sent in one write, a
    response is on the wire whole or not at all, and a replica that dies before
    writing it gives nginx a closed connection it retries elsewhere.
    """

    def send_headers(self) -> None:
        if self.headers_sent:
            return
        held = HeadFirst(self.sock)
        self.sock = held
        super().send_headers()  # gunicorn builds the headers; they are held, not sent
        held.holding = False

    def close(self) -> None:
        super().close()
        if isinstance(self.sock, HeadFirst):
            self.sock.flush()  # a response without a body: the headers alone


def send_whole_responses() -> None:
    """Make gunicorn's HTTP/1 workers write each response with one write (see WholeResponse)."""
    wsgi.Response = WholeResponse


class Server(BaseApplication):
    """A gunicorn application configured in code rather than by command-line flags.

    `app` names the WSGI application by import string, loaded in each worker.
    """

    def __init__(self, options: dict, app: str = APP):
        self.options = options
        self.app = app
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return import_app(self.app)


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
    os.environ["AAP_FREEZE_GC"] = "1"  # each worker serves one build at a time: see web/holder.py
    return run_gunicorn(APP, host, port, workers)


def run_gunicorn(app: str, host: str, port: int, workers: int) -> int:
    """Run a WSGI app (an import string) on gunicorn with the service's layout until interrupted.

    The benchmark's peers (`search.bench.peers`) run on exactly this layout too.
    """
    send_whole_responses()
    Server(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": THREADS,
            "timeout": 30,
            "graceful_timeout": 10,
            "keepalive": KEEPALIVE_SECONDS,
            # A request line, its headers and their number: what a URL of the API needs, no more.
            "limit_request_line": 8190,
            "limit_request_fields": 50,
            "limit_request_field_size": 8190,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "when_ready": on_starting(host, port),
        },
        app,
    ).run()
    return 0
