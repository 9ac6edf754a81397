"""The production deployment, for real: nginx in front of two replicas, faults injected under load.

nginx (deploy/nginx/, rendered into a temporary folder and run unprivileged) proxies
to two `python -m search serve --no-build` replicas, each with its own index folder
fed by `python -m search publish` from a builder's index. Under bounded load
(thousands of requests at concurrency 16) one replica is killed with SIGKILL and
restarted, a new build is published to both, and sixteen slow clients dribble their
headers: no request may fail and none may answer 5xx. Both replicas record their
searches into one analytics folder, and the merged report has them all. Everything
listens on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from search.analytics import build_report
from search.bench.live import HOST, LiveServer
from search.bench.load import run_load
from search.bench.proxy import LiveNginx, SlowLoris, find_nginx
from search.bench.workload import api_path, requests
from search.index.build import build_index
from search.index.publish import publish

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
CONCURRENCY = 16
SLOW_CLIENTS = 16
MIN_REQUESTS = 2000
PAGES = ["/", "/entries/para-4.10", "/areas/wessex", "/api/themes", "/api/entries/issue-london-north-7"]


@pytest.fixture(scope="module")
def nginx_installed():
    if find_nginx() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is not installed, and CI must run the deployment test (.ci/run installs it)")
        pytest.skip("nginx is not installed (apt-get install nginx); CI installs it and runs this test")


@dataclass
class Deployment:
    nginx: LiveNginx
    replicas: list[LiveServer]
    builder: Path
    analytics: Path

    def get(self, path: str, headers: dict | None = None, port: int | None = None):
        conn = http.client.HTTPConnection(HOST, port or self.nginx.port, timeout=30)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def restart(self, n: int) -> None:
        """Start replica n again on its port, as a supervisor (systemd) would after a crash."""
        old = self.replicas[n]
        self.replicas[n] = LiveServer(
            old.corpus, old.index, workers=old.workers, lifetime=old.lifetime, env=old.env,
            log=old.log, port=old.port, serve_options=old.serve_options,
        ).start()  # fmt: skip


@pytest.fixture(scope="module")
def deployment(nginx_installed, tmp_path_factory, index_dir):
    root = tmp_path_factory.mktemp("deployment")
    builder = root / "builder"
    shutil.copytree(index_dir, builder, ignore=shutil.ignore_patterns(".build.lock", ".lease"))
    indexes = [root / f"replica-{n}" / "index" for n in "ab"]
    for index in indexes:
        index.parent.mkdir()
    assert all(o.startswith("now serves") for _, o in publish(builder, indexes))
    analytics = root / "analytics"  # one folder for both replicas: a file per process
    replicas = [
        LiveServer(CORPUS, index, workers=2, lifetime=600, log=index.parent / "server.log",
                   serve_options=("--no-build", "--analytics-dir", str(analytics)))
        for index in indexes
    ]  # fmt: skip
    nginx = LiveNginx(root / "nginx", [r.port for r in replicas], lifetime=600)
    for replica in replicas:
        replica.env = {"AAP_PUBLIC_URL": nginx.base_url}
    try:
        for replica in replicas:
            replica.start()
        nginx.start()
        yield Deployment(nginx, replicas, builder, analytics)
    finally:
        nginx.stop()
        for replica in replicas:
            replica.stop()


def log_lines(deployment: Deployment, containing: str = "", at_least: int = 0) -> list[str]:
    """Return the access log's lines (those containing a string), waiting up to 5 s for `at_least`.

    nginx logs a request once it has answered it, so a client can read the answer first.
    """
    deadline = time.monotonic() + 5
    while True:
        text = deployment.nginx.access_log.read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if containing in line]
        if len(lines) >= at_least or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


def test_nginx_serves_the_app_and_its_static_files(deployment):
    status, headers, body = deployment.get("/api/search.csv?q=wessex")
    assert status == 200
    second_row = body.decode().splitlines()[1]
    assert f",{deployment.nginx.base_url}/entries/" in second_row  # the public URL, not a replica's
    status, _, page = deployment.get("/")
    versioned = re.search(r'href="(/static/style\.css\?v=[0-9a-f]+)"', page.decode())[1]
    status, headers, body = deployment.get(versioned, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Encoding"] == "gzip" and b"{" in gzip.decompress(body)
    status, headers, _ = deployment.get("/static/style.css")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=300"
    static_lines = log_lines(deployment, "/static/", at_least=2)
    assert len(static_lines) >= 2 and all("upstream=-" in line for line in static_lines)
    status, headers, body = deployment.get("/api/search?q=victim+letters", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(body))["total"] > 0


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "a b"])
def test_a_host_that_is_not_trusted_never_reaches_a_replica(deployment, host):
    status, _, body = deployment.get(f"/api/search.csv?q=evil-host-{len(host)}", {"Host": host})
    assert status == 400
    lines = log_lines(deployment, f"evil-host-{len(host)}", at_least=1)
    assert lines and all("upstream=-" in line for line in lines)


def test_csv_downloads_are_rate_limited_per_address(deployment):
    statuses = []
    for _ in range(12):
        status, headers, body = deployment.get("/api/search.csv?q=disclosure")
        statuses.append(status)
        if status == 429:
            assert headers["Retry-After"] and json.loads(body)["status"] == 429
    assert set(statuses) == {200, 429} and statuses[0] == 200
    assert deployment.get("/api/search?q=disclosure")[0] == 200  # the rest of the API is not limited


def test_faults_under_load_lose_no_request(deployment, catalogue, tmp_path, capsys):
    paths = [api_path(params) for _, params in requests()] + PAGES
    etags = [deployment.get("/api/themes", port=r.port)[1]["ETag"] for r in deployment.replicas]
    stop, outcome = threading.Event(), {}
    loader = threading.Thread(
        target=lambda: outcome.update(
            load=run_load(deployment.nginx.port, paths, CONCURRENCY, 50_000, max_seconds=240, stop=stop)
        )
    )
    started = time.monotonic()
    loader.start()
    faults: list[dict] = []

    def fault(what: str) -> None:
        faults.append({"at_s": round(time.monotonic() - started, 1), "fault": what})

    time.sleep(2)
    slowloris = SlowLoris(deployment.nginx.port, SLOW_CLIENTS, interval=2.0, max_seconds=150)
    slowloris.start()
    fault(f"{SLOW_CLIENTS} slow clients connected at all times, each sending a header byte every 2 s")
    time.sleep(2)

    deployment.replicas[0].kill()
    fault("replica a killed with SIGKILL (master and workers)")
    time.sleep(2)
    deployment.restart(0)
    fault("replica a restarted")
    time.sleep(2)

    name = build_index(CORPUS, deployment.builder, catalogue)["name"]
    outcomes = publish(deployment.builder, [r.index for r in deployment.replicas])
    assert all(o.startswith(f"now serves {name}") for _, o in outcomes), outcomes
    fault(f"build {name} published to both replicas")
    deadline = time.monotonic() + 20
    for replica, before in zip(deployment.replicas, etags, strict=True):
        while deployment.get("/api/themes", port=replica.port)[1]["ETag"] == before:
            assert time.monotonic() < deadline, "a replica never moved to the published build"
            time.sleep(0.2)
    fault("both replicas serve the new build")

    time.sleep(2)
    slowloris.stop()
    fault(f"slow clients stopped ({len(slowloris.clients)} connections in all)")
    time.sleep(2)
    assert loader.is_alive(), "the load ended before the faults did: raise its request bound"
    stop.set()
    loader.join(300)
    load = outcome["load"]
    summary = load.summary()
    report = {
        "requests": load.requests,
        "failed": load.errors,
        "statuses": summary["statuses"],
        "concurrency": CONCURRENCY,
        "seconds": summary["seconds"],
        "requests_per_second": summary["rps"],
        "latency_ms": summary["latency_ms"],
        "faults": faults,
        "slow_clients": {
            "connections": len(slowloris.clients),
            "answered": sum(bool(c.answer) for c in slowloris.clients),
            "longest_held_s": round(max(c.held_seconds for c in slowloris.clients), 1),
        },
    }
    (tmp_path / "deployment.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    with capsys.disabled():
        latency = summary["latency_ms"]
        print(
            f"\ndeployment under faults: {load.requests} requests, {load.errors} failed, "
            f"statuses {summary['statuses']}, p50 {latency['p50']} ms, p95 {latency['p95']} ms, "
            f"{summary['rps']} req/s over {summary['seconds']} s; faults: "
            + "; ".join(f"{f['at_s']} s {f['fault']}" for f in faults)
            + f"\n(figures in {tmp_path / 'deployment.json'})"
        )

    assert load.requests >= MIN_REQUESTS
    assert load.errors == 0, load.failures[:5]
    assert set(summary["statuses"]) == {"200"}
    # Slow clients never got a request through: nginx hung up on each once its 10 s header
    # deadline passed, and never opened a connection to a replica for them.
    finished = [c for c in slowloris.clients if c.hung_up]
    assert len(finished) >= SLOW_CLIENTS
    for client in finished:
        assert client.sent < len(client.headers) and 9 < client.held_seconds < 15
        assert not client.answer.startswith(b"HTTP/1.1 2")
    slow_lines = log_lines(deployment, "slow-client", at_least=len(finished))
    assert len(slow_lines) >= len(finished)
    assert all(" 408 " in line and "upstream=-" in line for line in slow_lines), slow_lines[:3]


def test_both_replicas_searches_reach_the_merged_report(deployment):
    expected = {"replica a probe": 5, "replica b probe": 5, "through nginx probe": 6}
    for replica, query in zip(deployment.replicas, ("replica+a+probe", "replica+b+probe"), strict=True):
        for _ in range(5):
            assert deployment.get(f"/api/search?q={query}", port=replica.port)[0] == 200
    for n in range(6):
        assert deployment.get(f"/?q=through+nginx+probe&page={n % 2 + 1}")[0] == 200
    deadline = time.monotonic() + 15  # each worker writes its batch within a second or so
    while True:
        report = build_report(deployment.analytics, None, time.time(), limit=10_000)
        found = {q["query"]: q["count"] for q in report["top_queries"] if q["query"] in expected}
        if found == expected or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert found == expected
    assert report["files"]["skipped"] == [] and report["files"]["read"] >= 2
    assert report["searches"] + report["browses"] > 1000  # the load through nginx, too
