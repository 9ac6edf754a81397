"""The benchmark command runs and prints its table; its parts compute what they claim."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from search.bench.fts5 import Fts5Peer, translate
from search.bench.stats import percentile, summarise
from search.bench.workload import QUERIES, api_path, distinct_paths, requests, typed_prefixes
from search.query.request import parse_request

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_bench_quick_prints_the_table_and_writes_json(tmp_path):
    out = tmp_path / "bench.json"
    env = {**os.environ, "AAP_BENCH_DIR": str(tmp_path / "work")}
    done = subprocess.run(
        [sys.executable, "-m", "search", "bench", "--quick", "--out", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    table = done.stdout
    for row in (
        "build (ingest + index)",
        "in-process /api/search work",
        "in-process /api/suggest work",
        "FTS5 peer, same work",
        "ratio ours / FTS5",
        "HTTP, 2 workers, concurrency 1",
        "HTTP, 2 workers, concurrency 8",
        "HTTP, 2 workers, concurrency 32",
        "server memory (RSS)",
        "in-process p95 (ms)",
        "in-process suggest p95 (ms)",
        "sustained requests/s, zero errors",
        "limit: the service, distinct queries",
        "limit: no-op endpoint, distinct queries",
        "limit: FTS5 in Flask, distinct queries",
        "ratio service / no-op, req/s at c8",
        "ratio service / FTS5 in Flask, p50 at c1",
        "throughput ÷ no-op endpoint's",
    ):
        assert row in table, row
    report = json.loads(out.read_text())
    assert report["build"]["entries"] > 400
    assert report["inprocess"]["warm"]["n"] == 2 * len(requests())
    assert report["inprocess"]["suggest"]["n"] == 2 * len(typed_prefixes())
    runs = report["http"]["main"]["runs"]
    assert [r["concurrency"] for r in runs] == [1, 8, 32]
    assert all(r["errors"] == 0 and r["requests"] > 0 for r in runs)
    assert all(rss > 0 for rss in report["http"]["main"]["rss_mib"]["workers"])
    assert report["machine"]["nproc"] >= 1
    limit = report["limit"]
    assert limit["errors"] == 0 and limit["ratio_to_noop"] > 0 and limit["p50_to_fts5"] > 0
    assert 1000 < limit["body_bytes"] < 100_000
    for row in limit["rounds"]:  # no load sent any path twice
        for name in ("service", "noop", "fts5"):
            assert all(
                0 < row[name][level]["requests"] <= row[name][level]["paths"] for level in ("c8", "c1")
            )


def test_distinct_paths_never_repeat_and_are_valid_requests():
    paths = distinct_paths(3000)
    assert len(set(paths)) == 3000 and paths == distinct_paths(3000)
    assert distinct_paths(100, seed=1) != paths[:100]
    for path in paths[:500]:
        params = parse_qs(urlsplit(path).query, keep_blank_values=True)
        parse_request(params)  # raises on anything the API would refuse


class PathRecorder:
    """A local HTTP server answering 200 to every GET and noting the paths asked for."""

    def __init__(self):
        import http.server
        import threading

        seen = self.seen = []

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                seen.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_a_load_of_distinct_paths_sends_each_once_and_ends_when_all_are_sent():
    from search.bench.load import run_load

    recorder = PathRecorder()
    try:
        paths = [f"/api/search?q=w{n}" for n in range(300)]
        result = run_load(recorder.port, paths, 8, max_requests=10**9, max_seconds=30, once=True)
        assert result.requests == 300 and sorted(recorder.seen) == sorted(paths)
        recorder.seen.clear()
        cycled = run_load(recorder.port, paths[:20], 4, max_requests=100, max_seconds=30)
        # Without `once`, the list is cycled: 100 requests from 20 paths, so paths recur.
        assert cycled.requests == len(recorder.seen) == 100 and set(recorder.seen) <= set(paths[:20])
    finally:
        recorder.close()


def test_the_noop_peer_answers_the_size_it_is_given(monkeypatch):
    from web.peers import create_noop_app

    monkeypatch.setenv("AAP_BENCH_BODY_BYTES", "7649")
    client = create_noop_app().test_client()
    for path in ("/api/search?q=disclosure", "/anything"):
        response = client.get(path)
        assert response.status_code == 200 and len(response.data) == 7649
        assert json.loads(response.data)


def test_the_fts5_peer_app_answers_searches(index_dir, monkeypatch):
    from web.peers import create_fts5_app

    monkeypatch.setenv("AAP_INDEX_DIR", str(index_dir))
    body = create_fts5_app().test_client().get("/api/search?q=victim+letters&kind=issue").get_json()
    assert body["total"] > 0 and len(body["results"]) <= 10
    assert {"area", "theme", "part", "kind"} == set(body["facets"])


def test_every_workload_request_is_valid():
    labels = {label for label, _ in QUERIES}
    assert {"word", "phrase", "acronym", "typo"} <= labels
    work = requests()
    assert len(work) == 2 * len(QUERIES)
    for _, params in work:
        parse_request(params)
        assert api_path(params).startswith("/api/search?q=")


def test_percentiles_interpolate_between_ranks():
    samples = [float(x) for x in range(1, 101)]
    assert percentile(samples, 50) == pytest.approx(50.5)
    assert percentile(samples, 95) == pytest.approx(95.05)
    assert percentile([3.0], 95) == 3.0
    assert summarise([])["n"] == 0
    assert summarise([1.0, 2.0, 3.0])["p50"] == 2.0


@pytest.mark.parametrize(
    "text, match, filters",
    [
        ("victim letters", '"victim" OR "letters"', {}),
        ('"unused material" schedules', '"unused material" OR "schedules"', {}),
        ("disclos*", '"disclos"*', {}),
        ("disclosure -police", '("disclosure") NOT ("police")', {}),
        ("disclosure NOT police", '("disclosure") NOT ("police")', {}),
        ('area:"London North" police', '"police"', {"area": ["london-north"]}),
        ("-police", "", {}),
        ("", "", {}),
    ],
)
def test_fts5_reads_our_query_syntax(text, match, filters):
    assert translate(text) == (match, filters)


def test_fts5_peer_counts_facets_disjunctively(search_index):
    peer = Fts5Peer(search_index.entries)
    plain = peer.search({"q": ["letters"]})
    both = peer.search({"q": ["letters"], "area": ["london-north", "wessex"]})
    assert both["facets"]["area"] == plain["facets"]["area"]
    counts = dict(plain["facets"]["area"])
    assert both["total"] <= counts.get("london-north", 0) + counts.get("wessex", 0)
    assert 0 < len(both["results"]) <= 10
    assert all("<mark>" in snippet for _, snippet in plain["results"])
    # An unbalanced quote reads as the phrase closed at the end.
    unbalanced = peer.search({"q": ['"victim letters']})
    assert unbalanced["total"] == peer.search({"q": ['"victim letters"']})["total"] > 0


def test_recommended_workers_favour_latency_among_near_best_throughput():
    from search.bench.run import recommend_workers

    def result(workers, rps8, p95, rps32, errors=0):
        runs = [
            {"concurrency": 8, "rps": rps8, "errors": errors, "latency_ms": {"p95": p95}},
            {"concurrency": 32, "rps": rps32, "errors": 0, "latency_ms": {"p95": 3 * p95}},
        ]
        return {"workers": workers, "runs": runs}

    sweep = [
        result(1, 190, 63, 195),
        result(2, 436, 36, 500),
        result(3, 512, 41, 510),
        result(4, 600, 20, 600, 1),
    ]
    assert recommend_workers(sweep) == 2  # 4 had an error; 1 is too slow; 2 beats 3 on p95
    assert recommend_workers([]) == 2


def test_export_benchmark_times_json_and_csv_of_each_query(index_dir):
    from search.bench.export import QUERIES, measure_export

    rows = measure_export(index_dir, repeats=1)
    assert [r["query"] for r in rows] == [label for label, _ in QUERIES]
    assert rows[0]["rows"] > 100  # the costly query gives several pages of rows
    assert all(r["json_ms"] > 0 and r["csv_ms"] > 0 and r["ratio"] > 0 for r in rows)


def test_hostile_inputs_are_measured(search_index):
    from search.bench.hostile import PARAMETERS, inputs, measure

    labels = [label for label, _ in inputs(search_index)]
    assert len(labels) > 20 and len(set(labels)) == len(labels)
    assert {
        "acronyms joined by hyphens",
        "a phrase of one acronym repeated",
        "phrases nested in phrases",
    } <= set(labels)
    rows = measure(search_index, repeats=1)
    assert len(rows) == len(labels) * len(PARAMETERS)
    assert [r["input"] for r in rows][:2] == ["a 500-letter word", "500 full-width letters"]
    keys = {"parameters", "characters", "matches", "median_ms", "max_ms", "ordinary_ms", "ratio", "met"}
    assert all(keys <= set(r) for r in rows)
    assert rows[0]["characters"] == 500 and rows[3]["characters"] > 2000
    assert all(r["ordinary_ms"] > 0 and r["ratio"] > 0 for r in rows)


def test_analytics_benchmark_interleaves_rounds_and_records(index_dir, tmp_path):
    out = tmp_path / "analytics.json"
    command = [sys.executable, "-m", "search.bench.analytics", "--index", str(index_dir), "--corpus",
               str(REPO / "corpus"), "--rounds", "2", "--seconds", "1", "--out", str(out)]  # fmt: skip
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "cost of recording:" in done.stdout and "--no-analytics" in done.stdout
    figures = json.loads(out.read_text())
    assert len(figures["rps"]["on"]) == len(figures["rps"]["off"]) == 2
    assert figures["errors"] == {"on": 0, "off": 0}
    assert figures["recorded"]["searches"] > 0 and figures["recorded"]["clicks"] > 0


@pytest.mark.parametrize("module", ["relevance", "hostile"])
def test_a_benchmark_without_an_index_says_so_in_one_line(module, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", f"search.bench.{module}", "--index", str(tmp_path / "nothing")],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == f"error: no index in {tmp_path / 'nothing'}; run `python -m search build`"
