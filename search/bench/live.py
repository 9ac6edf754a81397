"""Run the real server (`python -m search serve`, gunicorn) on a free loopback port.

The server runs in its own session so it can be stopped with all its workers; it
is told to die with the process that started it (Linux PR_SET_PDEATHSIG), and a
timer stops it after `lifetime` seconds whatever happens, so none outlives a run.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from search.bench.stats import children, rss_kib
from search.index.build import die_with_parent

HOST = "127.0.0.1"


@contextlib.contextmanager
def index_to_serve(corpus: Path, index: Path | None) -> Iterator[Path]:
    """Yield the index given, or one built now from the corpus into a temporary folder."""
    if index is not None:
        yield index
        return
    from search.index.build import build_index

    with tempfile.TemporaryDirectory(prefix="aap-bench-index-") as tmp:
        build_index(corpus, Path(tmp) / "index")
        yield Path(tmp) / "index"


def free_port() -> int:
    """Return a loopback port nobody is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_session(
    command: list[str], out, lifetime: float, on_expiry, env: dict | None = None, cwd: Path | None = None
) -> tuple[subprocess.Popen, threading.Timer]:
    """Start a command in a session of its own that dies with this process; call on_expiry after lifetime s."""
    process = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=die_with_parent,
    )
    timer = threading.Timer(lifetime, on_expiry)
    timer.daemon = True
    timer.start()
    return process, timer


def stop_session(process: subprocess.Popen | None, first: signal.Signals, grace: float) -> None:
    """Send `first` to a process's session (it and its children), then SIGKILL after `grace` seconds."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, first)
        process.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(grace)
    except ProcessLookupError:
        pass


class LiveServer:
    """`python -m search serve` on 127.0.0.1, started and stopped by its owner.

    With `code`, the server runs the code of another checkout of the project (its
    `search` and `web` packages), for comparing two versions in one run.
    """

    def __init__(
        self,
        corpus: Path,
        index: Path,
        workers: int = 2,
        lifetime: float = 600.0,
        env: dict | None = None,
        log: Path | None = None,
        port: int | None = None,
        serve_options: tuple[str, ...] = (),
        code: Path | None = None,
    ):
        self.corpus, self.index, self.workers = Path(corpus).resolve(), Path(index).resolve(), workers
        self.code = code
        self.lifetime = lifetime
        self.env = env or {}
        self.log = log
        self.port = port or free_port()
        # A server under test or benchmark load records no analytics unless told where.
        if not any(o in ("--no-analytics", "--analytics-dir") for o in serve_options):
            serve_options = (*serve_options, "--no-analytics")
        self.serve_options = serve_options
        self.process: subprocess.Popen | None = None
        self._timer: threading.Timer | None = None
        self._log_handle = None

    ready_path = "/api/search?q="

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def command(self) -> list[str]:
        """Return the command that runs the server."""
        return [
            sys.executable, "-m", "search", "--corpus", str(self.corpus), "--index", str(self.index),
            "serve", "--host", HOST, "--port", str(self.port), "--workers", str(self.workers),
            *self.serve_options,
        ]  # fmt: skip

    def start(self, ready_timeout: float = 120.0) -> LiveServer:
        """Start the server and wait until it answers /api/search."""
        self._log_handle = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        env = {**os.environ, **self.env}
        if self.code is not None:
            # `python -m` puts the working folder first on the path: that checkout's packages load.
            env["PYTHONPATH"] = str(self.code)
        self.process, self._timer = start_session(
            self.command(), self._log_handle, self.lifetime, self.stop, env, self.code
        )
        self.wait_ready(ready_timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode} before answering")
            try:
                if self.get(self.ready_path)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server on port {self.port} did not answer within {timeout:.0f} s")

    def get(self, path: str, timeout: float = 10.0) -> tuple[int, bytes]:
        """Fetch one path on a fresh connection; return status and body."""
        conn = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def pids(self) -> list[int]:
        """Return the gunicorn master's and its workers' process ids."""
        if self.process is None or self.process.poll() is not None:
            return []
        # `python -m search serve` is the gunicorn master (it runs gunicorn in-process).
        return [self.process.pid, *children(self.process.pid)]

    def worker_rss_mib(self) -> dict:
        """Return the resident memory of the master and each worker, in MiB."""
        master, *workers = self.pids() or [0]
        return {
            "master": round(rss_kib(master) / 1024, 1),
            "workers": [round(rss_kib(w) / 1024, 1) for w in workers],
        }

    def kill(self) -> None:
        """Kill the server and its workers at once with SIGKILL, as a crash would."""
        if self._timer is not None:
            self._timer.cancel()
        stop_session(self.process, signal.SIGKILL, 10.0)
        self.stop()

    def pause(self) -> None:
        """Stop the server and its workers with SIGSTOP: they hold their sockets and answer nothing (hung)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        """Let a paused server go on (SIGCONT)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGCONT)

    def stop(self, grace: float = 10.0) -> None:
        """Stop the server and all its workers (TERM, then KILL after `grace` seconds)."""
        if self._timer is not None:
            self._timer.cancel()
        self.resume()  # a paused server would not act on TERM
        stop_session(self.process, signal.SIGTERM, grace)
        if self._log_handle not in (None, subprocess.DEVNULL):
            self._log_handle.close()
            self._log_handle = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
