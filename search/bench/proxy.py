"""nginx in front of replicas on loopback, and clients that send their headers slowly.

`LiveNginx` renders deploy/nginx/ into a folder of its own (prefix, pid, logs and
temporary files there) and runs Debian's nginx in the foreground as the current
user; like `LiveServer` it dies with the process that started it and is stopped by
a timer after `lifetime` seconds whatever happens. `SlowClient` dribbles a request's
headers a byte at a time, as an attacker holding connections open would;
`HalfRequestFlood` holds hundreds of connections from one address, each having sent
half a request, and `CostlyClient` sends costly queries from one address at a pace.
"""

from __future__ import annotations

import http.client
import itertools
import os
import selectors
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

from search.bench.live import HOST, free_port, start_session, stop_session
from search.deploy import NginxSite, nginx_command, write_nginx_config

DEBIAN_NGINX = "/usr/sbin/nginx"


def find_nginx() -> str | None:
    """Return the nginx executable, or None when it is not installed."""
    found = shutil.which("nginx")
    if found:
        return found
    return DEBIAN_NGINX if os.access(DEBIAN_NGINX, os.X_OK) else None


class LiveNginx:
    """nginx on 127.0.0.1 in front of the given replicas, started and stopped by its owner."""

    def __init__(self, folder: Path, replicas: list[int], lifetime: float = 600.0, **site_options):
        self.folder = Path(folder)
        self.port = free_port()
        self.site = NginxSite(
            listen=f"{HOST}:{self.port}",
            server_name=HOST,
            replicas=tuple(f"{HOST}:{port}" for port in replicas),
            **site_options,
        )
        self.lifetime = lifetime
        self.process: subprocess.Popen | None = None
        self._timer: threading.Timer | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.folder / "logs" / "access.log"

    def start(self, ready_timeout: float = 20.0) -> LiveNginx:
        """Write the configuration, start nginx and wait until it accepts connections."""
        nginx = find_nginx()
        if nginx is None:
            raise RuntimeError("nginx is not installed (apt-get install nginx)")
        write_nginx_config(self.folder, self.site)
        check = subprocess.run([*nginx_command(nginx, self.folder), "-t"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx refused the configuration:\n{check.stderr}")
        with open(self.folder / "logs" / "nginx.out", "ab") as out:
            self.process, self._timer = start_session(
                nginx_command(nginx, self.folder), out, self.lifetime, self.stop
            )
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.process.returncode}: see {self.folder / 'logs'}")
            try:
                socket.create_connection((HOST, self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx on port {self.port} did not start within {ready_timeout:.0f} s")

    def stop(self, grace: float = 10.0) -> None:
        """Stop nginx (QUIT lets it finish what it is sending, then KILL after `grace` seconds)."""
        if self._timer is not None:
            self._timer.cancel()
        stop_session(self.process, signal.SIGQUIT, grace)

    def __enter__(self) -> LiveNginx:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class SlowClient(threading.Thread):
    """Send a request line, then its headers one byte every `interval` seconds (slowloris).

    Stops when the server hangs up, when the headers are all sent, or after
    `max_seconds`, whichever comes first; records how long the connection was held
    and what, if anything, came back.
    """

    def __init__(self, port: int, path: str, interval: float = 2.0, max_seconds: float = 60.0):
        super().__init__(daemon=True)
        self.port, self.interval, self.max_seconds = port, interval, max_seconds
        self.request_line = f"GET {path} HTTP/1.1\r\n".encode()
        self.headers = f"Host: {HOST}\r\nUser-Agent: slow-client\r\nAccept: */*\r\n\r\n".encode()
        self.sent = 0  # header bytes sent
        self.held_seconds = 0.0
        self.answer = b""
        self.hung_up = False

    def run(self) -> None:
        started = time.monotonic()
        try:
            with socket.create_connection((HOST, self.port), timeout=self.interval) as sock:
                sock.sendall(self.request_line)
                while self.sent < len(self.headers) and time.monotonic() - started < self.max_seconds:
                    try:
                        chunk = sock.recv(4096)  # waits up to `interval`: the pace of the dribble
                    except TimeoutError:
                        sock.sendall(self.headers[self.sent : self.sent + 1])
                        self.sent += 1
                        continue
                    self.answer += chunk
                    if not chunk:
                        self.hung_up = True
                        break
        except OSError:
            self.hung_up = True  # reset by the server
        self.held_seconds = time.monotonic() - started


class SlowLoris(threading.Thread):
    """Keep `count` slow clients connected, opening a new one whenever one is hung up, until stopped.

    Every client is kept in `clients`; the whole attack ends after `max_seconds`.
    """

    def __init__(self, port: int, count: int = 16, interval: float = 2.0, max_seconds: float = 120.0):
        super().__init__(daemon=True)
        self.port, self.count, self.interval = port, count, interval
        self.deadline = time.monotonic() + max_seconds
        self.stopped = threading.Event()
        self.clients: list[SlowClient] = []

    def run(self) -> None:
        live: list[SlowClient] = []
        while not self.stopped.is_set() and time.monotonic() < self.deadline:
            live = [c for c in live if c.is_alive()]
            while len(live) < self.count:
                client = SlowClient(
                    self.port, f"/api/search?q=slow-client-{len(self.clients)}", self.interval,
                    max_seconds=max(1.0, self.deadline - time.monotonic()),
                )  # fmt: skip
                client.start()
                live.append(client)
                self.clients.append(client)
            self.stopped.wait(0.2)
        for client in live:
            client.join(self.interval + 5)

    def stop(self) -> None:
        """Open no more clients; wait for those still connected to finish."""
        self.stopped.set()
        self.join(120)


class HalfRequestFlood(threading.Thread):
    """Hold `count` connections from one address, each having sent half a request, until stopped.

    Every connection sends a request line and one header, then nothing more; one that
    the server closes (at its header deadline) is replaced at once. Records how many
    were opened in all, the most held at once, and what the server answered (by status line).
    """

    def __init__(self, port: int, count: int, source: str, max_seconds: float = 60.0):
        super().__init__(daemon=True)
        self.port, self.count, self.source = port, count, source
        self.deadline = time.monotonic() + max_seconds
        self.stopped = threading.Event()
        self.opened = 0
        self.most_held = 0
        self.refused = 0
        self.answers: dict[str, int] = {}
        self.half = f"GET /api/search?q=flood HTTP/1.1\r\nHost: {HOST}\r\n".encode()

    def open_one(self, selector: selectors.BaseSelector) -> None:
        sock = socket.socket()
        sock.bind((self.source, 0))
        sock.settimeout(5)
        try:
            sock.connect((HOST, self.port))
            sock.sendall(self.half)
        except OSError:
            self.refused += 1
            sock.close()
            return
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ)
        self.opened += 1

    def run(self) -> None:
        selector = selectors.DefaultSelector()
        try:
            while not self.stopped.is_set() and time.monotonic() < self.deadline:
                while len(selector.get_map()) < self.count and not self.stopped.is_set():
                    self.open_one(selector)
                self.most_held = max(self.most_held, len(selector.get_map()))
                for key, _ in selector.select(timeout=0.2):
                    try:
                        data = key.fileobj.recv(4096)
                    except OSError:
                        data = b""
                    if data:
                        status = data.split(b"\r\n", 1)[0].decode("latin-1")
                        self.answers[status] = self.answers.get(status, 0) + 1
                    selector.unregister(key.fileobj)
                    key.fileobj.close()
        finally:
            for key in list(selector.get_map().values()):
                key.fileobj.close()
            selector.close()

    def stop(self) -> None:
        """Close every connection and open no more."""
        self.stopped.set()
        self.join(30)


class CostlyClient(threading.Thread):
    """Send costly queries from one address on `connections` keep-alive connections, one every
    `interval` seconds on each, until stopped; count the answers by status."""

    def __init__(
        self, port: int, paths: list[str], source: str, connections: int = 16, interval: float = 0.04
    ):
        super().__init__(daemon=True)
        self.port, self.paths, self.source = port, paths, source
        self.connections, self.interval = connections, interval
        self.stopped = threading.Event()
        self.statuses: dict[int, int] = {}
        self.lock = threading.Lock()

    def one_connection(self, offset: int) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30, source_address=(self.source, 0))
        for n in itertools.count(offset):
            if self.stopped.is_set():
                break
            sent = time.monotonic()
            try:
                conn.request("GET", self.paths[n % len(self.paths)])
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
            self.stopped.wait(max(0.0, self.interval - (time.monotonic() - sent)))
        conn.close()

    def run(self) -> None:
        threads = [
            threading.Thread(target=self.one_connection, args=(n,), daemon=True)
            for n in range(self.connections)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def stop(self) -> None:
        self.stopped.set()
        self.join(60)
