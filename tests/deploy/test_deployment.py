"""The production deployment, for real: nginx in front of two replicas, faults injected under load.

nginx (deploy/nginx/, rendered into a temporary folder and run unprivileged) proxies
to two `python -m search serve --no-build` replicas, each with its own index folder
fed by `python -m search publish` from a builder's index. Under bounded load
(thousands of requests at concurrency 16) one replica is killed with SIGKILL and
restarted, a new build is published to both, and sixteen slow clients dribble their
headers: no request may fail and none may answer 5xx. Then, each under load of its
own: a flood of half-sent requests from one address, a replica hung with SIGSTOP,
and one address sending costly queries. Both replicas record their searches into one
analytics folder, and the merged report has them all. Everything listens on 127.0.0.1
and stops by itself.

nginx limits requests per client address, so the readers' load comes from many
loopback addresses (127.0.0.0/8), a few requests each in turn; each attacker has an
address of its own.
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
from search.bench.hostile import inputs
from search.bench.live import HOST, LiveServer, free_port
from search.bench.load import run_load
from search.bench.proxy import CostlyClient, HalfRequestFlood, LiveNginx, SlowLoris, find_nginx
from search.bench.stats import percentile
from search.bench.workload import api_path, requests
from search.index.build import build_index
from search.index.publish import publish
from search.query.request import MAX_QUERY

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
CONCURRENCY = 16
SLOW_CLIENTS = 16
MIN_REQUESTS = 2000
PAGES = ["/", "/entries/para-4.10", "/areas/wessex", "/api/themes", "/api/entries/issue-london-north-7"]
# Readers, each a few requests at a time; and one address for each attacker.
READERS = [f"127.0.0.{n}" for n in range(10, 250)]
FLOOD_FROM, COSTLY_FROM, BUSY_FROM = "127.0.0.2", "127.0.0.3", "127.0.0.4"
# More half-sent requests than one nginx worker held before (1,024 connections): 1,100 starved it.
FLOOD = 2000
# A replica that answers nothing is skipped after proxy_read_timeout (3 s), and its requests
# are tried on the other: none may wait much longer.
MOST_WAIT_S = 5.0
# The readers' 95th percentile while one address sends costly queries, against without.
MOST_SLOWDOWN = 3.0


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
    for refused in ("gzip;q=0", "br;q=0, gzip;q=0"):
        status, headers, body = deployment.get("/api/search?q=victim+letters", {"Accept-Encoding": refused})
        assert status == 200 and "Content-Encoding" not in headers and json.loads(body)["total"] > 0


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
    assert deployment.get("/api/search?q=disclosure")[0] == 200  # searches have a limit of their own


def get_from(port: int, source: str, path: str) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30, source_address=(source, 0))
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_searches_and_pages_are_rate_limited_per_address_with_a_burst(deployment):
    port = deployment.nginx.port
    statuses = [get_from(port, BUSY_FROM, f"/api/search?q=burst-{n}")[0] for n in range(80)]
    assert statuses[:40] == [200] * 40  # a burst no reader sends at once
    assert 429 in statuses and set(statuses) == {200, 429}
    status, headers, body = get_from(port, BUSY_FROM, "/api/search?q=one-more")
    assert status == 429 and headers["Retry-After"] and json.loads(body)["status"] == 429
    status, headers, body = get_from(port, BUSY_FROM, "/?q=one-more")
    assert status == 429 and headers["Content-Type"].startswith("text/html") and b"Too many requests" in body
    assert get_from(port, BUSY_FROM, "/static/style.css")[0] == 200  # static files are not limited
    assert get_from(port, READERS[0], "/api/search?q=disclosure")[0] == 200  # other addresses are not


def test_nginx_answers_for_replicas_that_cannot_in_the_services_shape(nginx_installed, tmp_path):
    with LiveNginx(tmp_path / "nginx", [free_port(), free_port()], lifetime=60) as nginx:
        answers = {}
        for path in ("/api/search?q=disclosure", "/api/search.csv?q=x", "/?q=disclosure", "/areas/wessex"):
            status, headers, body = get_from(nginx.port, HOST, path)
            answers[path] = (status, headers["Content-Type"], body)
            assert headers["Retry-After"] == "10"
    for path in ("/api/search?q=disclosure", "/api/search.csv?q=x"):
        status, kind, body = answers[path]
        assert status == 503 and kind == "application/json" and json.loads(body)["status"] == 503
    for path in ("/?q=disclosure", "/areas/wessex"):
        status, kind, body = answers[path]
        assert status == 503 and kind == "text/html; charset=utf-8" and b"Service unavailable" in body


def test_faults_under_load_lose_no_request(deployment, catalogue, tmp_path, capsys):
    paths = [api_path(params) for _, params in requests()] + PAGES
    etags = [deployment.get("/api/themes", port=r.port)[1]["ETag"] for r in deployment.replicas]
    stop, outcome = threading.Event(), {}
    loader = threading.Thread(
        target=lambda: outcome.update(
            load=run_load(
                deployment.nginx.port, paths, CONCURRENCY, 50_000, max_seconds=240, stop=stop, sources=READERS
            )
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


def readers_paths() -> list[str]:
    return [api_path(params) for _, params in requests()] + PAGES


def report(tmp_path, capsys, name: str, figures: dict) -> None:
    """Print a fault's figures and keep them as <name>.json in the test's tmp folder."""
    (tmp_path / f"{name}.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    with capsys.disabled():
        print(f"\n{name}: {json.dumps(figures)}\n(figures in {tmp_path / (name + '.json')})")


def load_figures(load) -> dict:
    summary = load.summary()
    return {
        "requests": load.requests,
        "failed": load.errors,
        "statuses": summary["statuses"],
        "latency_ms": summary["latency_ms"],
        "requests_per_second": summary["rps"],
        "first_failures": summary["first_failures"],
    }


def raise_open_file_limit(needed: int) -> None:
    """Let this process hold `needed` sockets, as far as the hard limit allows."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def test_a_flood_of_half_sent_requests_from_one_address_starves_no_one(deployment, tmp_path, capsys):
    raise_open_file_limit(FLOOD + 1000)
    flood = HalfRequestFlood(deployment.nginx.port, FLOOD, FLOOD_FROM, max_seconds=60)
    flood.start()
    try:
        deadline = time.monotonic() + 20
        while flood.most_held < FLOOD and time.monotonic() < deadline:
            time.sleep(0.1)
        # Past nginx's 10 s header deadline: the flood's connections are dropped and opened again.
        load = run_load(deployment.nginx.port, readers_paths(), 8, 50_000, max_seconds=12, sources=READERS)
    finally:
        flood.stop()
    figures = load_figures(load)
    figures["flood"] = {"held_at_once": flood.most_held, "opened": flood.opened, "refused": flood.refused}
    report(tmp_path, capsys, "half-sent-flood", figures)
    assert flood.most_held >= FLOOD and flood.refused == 0
    assert flood.opened > FLOOD  # nginx dropped the first ones at its deadline, and they came back
    assert load.requests >= 500 and load.errors == 0, load.failures[:5]
    assert set(figures["statuses"]) == {"200"}


def test_a_hung_replica_is_skipped_and_no_request_waits_long(deployment, tmp_path, capsys):
    stop, outcome = threading.Event(), {}
    loader = threading.Thread(
        target=lambda: outcome.update(
            load=run_load(
                deployment.nginx.port, readers_paths(), 8, 50_000, max_seconds=60, stop=stop, sources=READERS
            )
        )
    )
    loader.start()
    time.sleep(2)
    hung = deployment.replicas[0]
    hung.pause()
    try:
        time.sleep(8)
    finally:
        hung.resume()
    time.sleep(2)
    stop.set()
    loader.join(90)
    load = outcome["load"]
    figures = load_figures(load)
    figures["hung_seconds"] = 8
    report(tmp_path, capsys, "hung-replica", figures)
    assert load.requests >= 500 and load.errors == 0, load.failures[:5]
    assert set(figures["statuses"]) == {"200"}
    assert max(load.latencies_ms) <= MOST_WAIT_S * 1000


@pytest.fixture(scope="module")
def costly_paths(search_index) -> list[str]:
    """The hostile benchmark's inputs the API accepts, as searches, explained pages of 100, and pages."""
    queries = [q for _, q in inputs(search_index) if len(q) <= MAX_QUERY]
    paths = []
    for q in queries:
        paths.append(api_path({"q": [q]}))
        paths.append(api_path({"q": [q], "explain": ["1"], "per_page": ["100"]}))
        paths.append("/" + api_path({"q": [q], "explain": ["1"], "per_page": ["100"]})[len("/api/search") :])
    return paths


def test_costly_queries_from_one_address_leave_other_readers_within_3x(
    deployment, costly_paths, tmp_path, capsys
):
    port, paths = deployment.nginx.port, readers_paths()

    def readers(seconds: float):
        return run_load(port, paths, 8, 50_000, max_seconds=seconds, sources=READERS)

    before = readers(6)
    # Sixteen connections, each sending a costly query every 40 ms: 400 a second, about all
    # that the two replicas serve on this machine.
    attacker = CostlyClient(port, costly_paths, COSTLY_FROM, connections=16, interval=0.04)
    attacker.start()
    try:
        during = readers(6)
    finally:
        attacker.stop()
    after = readers(6)
    normal = percentile(before.latencies_ms + after.latencies_ms, 95)
    attacked = percentile(during.latencies_ms, 95)
    figures = {
        "normal": {"p95_ms": round(normal, 1), "requests": before.requests + after.requests},
        "attacked": load_figures(during),
        "slowdown_p95": round(attacked / normal, 2),
        "attacker_statuses": {str(k): v for k, v in sorted(attacker.statuses.items())},
    }
    report(tmp_path, capsys, "costly-queries", figures)
    for load in (before, during, after):
        assert load.errors == 0, load.failures[:5]
    assert attacked <= MOST_SLOWDOWN * normal
    assert set(attacker.statuses) <= {200, 429} and attacker.statuses.get(429, 0) > 0
