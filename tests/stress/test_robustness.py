"""Hostile input, faults and rebuilds: never a 500, always a documented answer.

- property tests (Hypothesis) over query strings and every search parameter;
- schema-based fuzzing of the JSON API (schemathesis, from /api/openapi.json);
- input limits answered with 400 over HTTP;
- rebuilding under load, a damaged or missing index, a build killed mid-way.
Servers run on 127.0.0.1 only and stop by themselves; load is bounded.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from search.bench.live import HOST, LiveServer
from search.errors import IndexMissing, QueryError
from search.index.build import build_index
from search.index.layout import BUILDS, CURRENT, current_build, is_stale
from search.models import FACETS
from search.output.serialize import result_to_json
from search.query.request import MAX_DEPTH, MAX_PAGE, MAX_PER_PAGE, MAX_QUERY, MAX_VALUES, parse_request
from search.query.searcher import SearchIndex

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# -- what a query string may hold ----------------------------------------------------------

SYNTAX = ['"', "'", "+", "-", "*", "~", ":", "(", ")", "NOT", "AND", "OR", " ", "\\", "<", ">", "&"]
WORDS = ["disclosure", "victim", "letters", "IQA", "MG3", "Wessex", "London", "police", "2.4", "para-4.10",
         "comunity", "engagment", "the", "of", "a", "Area's", "pan-London", "work-life"]  # fmt: skip
FIELDS = ["area", "theme", "part", "kind", "id", "title", "text", "foo", "AREA", "Area", ""]
SCRIPTS = [
    "Ελλάδα",
    "Україна",
    "東京",
    "العربية",
    "हिन्दी",
    "ﬁle",
    "Straße",
    "naïve",
    "😀",
    "\u200b",
    "\ufeff",
]
CONTROL = [chr(c) for c in (0, 1, 7, 8, 9, 10, 13, 27, 127, 0x85, 0x9F)]

pieces = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(SYNTAX),
    st.sampled_from(SCRIPTS),
    st.sampled_from(CONTROL),
    st.builds(
        lambda f, v: f"{f}:{v}", st.sampled_from(FIELDS), st.sampled_from(WORDS + ['"London North', '""', ""])
    ),
    st.builds(lambda w, op: w + op, st.sampled_from(WORDS), st.sampled_from(["*", "~", "**", "~~", ":"])),
    st.text(max_size=12),
)
query_strings = st.one_of(
    st.lists(pieces, max_size=12).map(" ".join),
    st.lists(pieces, max_size=12).map("".join),
    st.text(max_size=80),
    st.sampled_from(['"', '""', '"""', "*", "**", "~", "+", "-", "NOT", "NOT NOT", "- - -", ":", "::", "a:"]),
    st.integers(min_value=MAX_QUERY - 5, max_value=MAX_QUERY + 50).map(
        lambda n: "disclosure " * (n // 11) + "x"
    ),
)


def check_result(result, request, learned: int = 0) -> None:
    """Assert a search result is whole and self-consistent; `learned`: how many first
    candidates the learned order put in its own order (their scores need not fall)."""
    body = result_to_json(result)
    json.dumps(body)  # serialisable as the API serialises it
    assert body["total"] >= 0
    assert len(body["results"]) <= request.per_page
    start = (request.page - 1) * request.per_page
    if body["results"]:
        assert body["total"] >= start + len(body["results"])
    if body["total"] > start:
        assert len(body["results"]) == min(request.per_page, body["total"] - start)
    ids = [r["id"] for r in body["results"]]
    assert len(ids) == len(set(ids))
    scores = [r["score"] for r in body["results"]]
    if request.sort == "relevance" and None not in scores:
        beyond = scores[max(0, learned - start) :]  # past the learned order's candidates
        assert beyond == sorted(beyond, reverse=True)
    for hit in body["results"]:
        snippet = hit["snippet"]
        assert snippet.count("<mark>") == snippet.count("</mark>")
    assert set(body["facets"]) == set(FACETS)
    for facet, values in body["facets"].items():
        assert all(v["count"] >= 0 for v in values)
        selected = getattr(request, facet)
        assert {v["value"] for v in values} >= set(selected)  # a selection stays listed, to be removed
        # Every entry has one Part and one kind: with nothing selected there (in the
        # parameters or as a field in the query), their counts add up to the total.
        if not selected and facet in ("part", "kind") and ":" not in request.q:
            assert sum(v["count"] for v in values) == body["total"]


def run(index, params) -> None:
    """Validate and run parameters; only QueryError may come out of validation."""
    try:
        request = parse_request(params)
    except QueryError as exc:
        assert exc.param in (*FACETS, "q", "page", "per_page", "sort")
        assert exc.message
        return
    learned = index.reorderer.candidates if index.learns_order(index.prepare(request)) else 0
    check_result(index.search(request), request, learned)


@PROPERTY
@given(q=query_strings)
def test_any_query_string_gives_a_whole_result_or_a_query_error(search_index, q):
    run(search_index, {"q": [q]})


@PROPERTY
@given(q=query_strings, sort=st.sampled_from(["relevance", "document"]), page=st.integers(1, 4))
def test_any_query_sorted_and_paged(search_index, q, sort, page):
    run(search_index, {"q": [q], "sort": [sort], "page": [str(page)], "per_page": ["7"]})


values = st.one_of(
    st.sampled_from(["wessex", "london-north", "London North", "Thames & Chiltern", "disclosure", "c", "Part C",
                     "issue", "issues", "good practice", "atlantis", "", " ", "WESSEX"]),
    st.text(max_size=30),
    st.text(min_size=95, max_size=110),
)  # fmt: skip
numbers = st.one_of(
    st.integers(-5, 1200).map(str),
    st.sampled_from(
        ["", " 3 ", "1e3", "0x10", "½", "٣", "99999999999999999999999", "-0", "+2", "1.5", "NaN"]
    ),
    st.text(max_size=6),
)
parameters = st.fixed_dictionaries(
    {},
    optional={
        "q": st.lists(query_strings, max_size=2),
        "area": st.lists(values, max_size=MAX_VALUES + 3),
        "theme": st.lists(values, max_size=4),
        "part": st.lists(values, max_size=4),
        "kind": st.lists(values, max_size=4),
        "page": st.lists(numbers, max_size=2),
        "per_page": st.lists(numbers, max_size=2),
        "sort": st.lists(
            st.one_of(
                st.sampled_from(["relevance", "document", "RELEVANCE", " document "]), st.text(max_size=10)
            ),
            max_size=2,
        ),
        "unknown": st.lists(st.text(max_size=10), max_size=2),
    },
)


@PROPERTY
@given(params=parameters)
def test_any_parameters_give_a_whole_result_or_a_query_error(search_index, params):
    run(search_index, params)


# -- schema-based fuzzing of the JSON API --------------------------------------------------


IDENTITY = {"Accept-Encoding": "identity"}


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


# schemathesis's own pytest plugin (schema.parametrize) does not run on pytest 9, so
# its case strategies drive plain Hypothesis tests instead.
def test_api_conforms_to_its_openapi_description(api_schema):
    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case=api_schema.as_strategy())
    def check(case):
        # No 5xx, documented status codes and content types, bodies that match their schemas.
        # Not positive_data_acceptance: OpenAPI cannot say "page × per_page ≤ 10,000", so
        # in-range values whose product is too deep get their documented 400.
        # Uncompressed: a WSGI call hands back the body as sent, not decoded as a client would
        # (compression has its own tests in tests/web/test_compression.py).
        case.call_and_validate(headers=IDENTITY, excluded_checks=[positive_data_acceptance])

    check()


def test_api_never_fails_on_input_outside_its_description(api_schema):
    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case=api_schema.as_strategy(GenerationMode.NEGATIVE))
    def check(case):
        response = case.call(headers=IDENTITY)
        assert response.status_code < 500, (case.path, case.query, response.text[:300])
        if response.status_code >= 400 and case.path.startswith("/api/"):
            headers = {k.lower(): v for k, v in response.headers.items()}
            content_type = headers["content-type"]
            content_type = content_type[0] if isinstance(content_type, list) else content_type
            assert content_type.startswith("application/json")

    check()


# -- input limits over HTTP ------------------------------------------------------------


@pytest.fixture(scope="module")
def server(index_dir):
    with LiveServer(CORPUS, index_dir, workers=1, lifetime=300) as live:
        yield live


@pytest.mark.parametrize(
    "query, status, param",
    [
        ("q=" + "a" * (MAX_QUERY + 1), 400, "q"),
        (f"per_page={MAX_PER_PAGE + 1}", 400, "per_page"),
        ("per_page=-1", 400, "per_page"),
        ("per_page=" + "9" * 40, 400, "per_page"),
        (f"page={MAX_PAGE + 1}", 400, "page"),
        (f"page={MAX_DEPTH // MAX_PER_PAGE + 1}&per_page={MAX_PER_PAGE}", 400, "page"),
        ("page=1e9", 400, "page"),
        ("&".join(f"area=a{i}" for i in range(MAX_VALUES + 1)), 400, "area"),
        ("&".join(f"kind=k{i}" for i in range(MAX_VALUES + 1)), 400, "kind"),
        ("theme=" + "x" * 101, 400, "theme"),
        ("sort=random", 400, "sort"),
    ],
)
def test_absurd_values_get_a_400_naming_the_parameter(server, query, status, param):
    code, body = server.get("/api/search?" + query)
    assert code == status
    answer = json.loads(body)
    assert answer["status"] == status and answer["param"] == param and answer["error"]


def test_a_request_line_too_long_for_the_server_is_refused_not_failed(server):
    code, _ = server.get("/api/search?q=" + "a" * 20_000)
    assert code in (400, 414)
    code, _ = server.get("/api/search?" + "&".join(["area=wessex"] * 2000))
    assert code in (400, 414)
    assert server.get("/api/search?q=disclosure")[0] == 200  # and the server carries on


# -- rebuilding while serving -------------------------------------------------------------


def copy_index(index_dir: Path, to: Path) -> Path:
    shutil.copytree(index_dir, to, ignore=shutil.ignore_patterns(".build.lock"))
    return to


class Watcher(threading.Thread):
    """Ask the server for complete answers until told to stop; remember any that were not."""

    def __init__(self, port: int, expected_total: int, limit_seconds: float = 60):
        super().__init__(daemon=True)
        self.port, self.expected_total = port, expected_total
        self.deadline = time.monotonic() + limit_seconds
        self.stop = threading.Event()
        self.answers, self.problems, self.etags = 0, [], set()

    def run(self) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        paths = [
            "/api/search?q=&per_page=3",
            "/api/search?q=disclosure&area=wessex",
            "/api/search?q=victim+letters",
        ]
        n = 0
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            path = paths[n % len(paths)]
            n += 1
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as exc:
                self.problems.append(f"{path}: {exc!r}")
                conn.close()
                continue
            self.answers += 1
            if response.status != 200:
                self.problems.append(f"{path}: HTTP {response.status} {body[:200]!r}")
                continue
            answer = json.loads(body)
            if path.startswith("/api/search?q=&") and answer["total"] != self.expected_total:
                self.problems.append(f"{path}: total {answer['total']}, not {self.expected_total}")
            if path.startswith("/api/search?q=&"):
                self.etags.add(response.getheader("ETag"))
        conn.close()


def test_rebuilding_under_load_loses_no_request_and_shows_no_half_index(tmp_path, index_dir, catalogue):
    index = copy_index(index_dir, tmp_path / "index")
    with LiveServer(CORPUS, index, workers=2, lifetime=180) as live:
        watchers = [Watcher(live.port, len(catalogue.entries)) for _ in range(4)]
        for watcher in watchers:
            watcher.start()
        time.sleep(0.5)
        names = set()
        for _ in range(3):
            names.add(build_index(CORPUS, index, catalogue)["name"])
            time.sleep(0.3)
        time.sleep(1.5)  # each worker looks at index/CURRENT at most once a second
        for watcher in watchers:
            watcher.stop.set()
        for watcher in watchers:
            watcher.join(30)
    assert len(names) == 3
    assert all(w.answers > 10 for w in watchers)
    assert [p for w in watchers for p in w.problems] == []
    # The builds were really served: the answers' validators changed with the build.
    assert len(set().union(*(w.etags for w in watchers))) >= 2


# -- a damaged or missing index ----------------------------------------------------------


def damage_entries(index: Path) -> Path:
    entries = current_build(index) / "entries.json"
    entries.write_bytes(entries.read_bytes()[:1000])
    return entries


def test_a_damaged_build_is_reported_stale_and_cannot_be_opened(tmp_path, index_dir):
    index = copy_index(index_dir, tmp_path / "index")
    assert not is_stale(index, CORPUS)
    damage_entries(index)
    assert is_stale(index, CORPUS)
    with pytest.raises(IndexMissing, match="damaged.*entries.json.*rebuild"):
        SearchIndex.open(index)


def test_a_missing_segment_file_is_damage_too(tmp_path, index_dir):
    index = copy_index(index_dir, tmp_path / "index")
    segment = next((current_build(index) / "whoosh").glob("*.seg"))
    segment.unlink()
    assert is_stale(index, CORPUS)
    with pytest.raises(IndexMissing, match="missing"):
        SearchIndex.open(index)


def test_serve_rebuilds_a_damaged_index_and_serves(tmp_path, index_dir):
    index = copy_index(index_dir, tmp_path / "index")
    damaged = current_build(index).name
    damage_entries(index)
    log = tmp_path / "server.log"
    with LiveServer(CORPUS, index, workers=1, lifetime=120, log=log) as live:
        assert live.get("/api/search?q=disclosure")[0] == 200
    assert current_build(index).name != damaged
    assert "missing or stale" in log.read_text()


def test_serve_builds_a_missing_index_and_serves(tmp_path):
    index = tmp_path / "empty-index"
    with LiveServer(CORPUS, index, workers=1, lifetime=120) as live:
        code, body = live.get("/api/search?q=")
        assert code == 200 and json.loads(body)["total"] > 400
    assert current_build(index) is not None


def test_without_a_usable_index_the_app_answers_503_until_one_is_built(tmp_path, index_dir):
    from web import create_app

    index = copy_index(index_dir, tmp_path / "index")
    damage_entries(index)
    app = create_app(
        {"TESTING": True, "INDEX_DIR": str(index), "CORPUS_DIR": str(CORPUS), "INDEX_CHECK_INTERVAL": 0}
    )
    client = app.test_client()
    for _ in range(3):  # the same clear answer every time: no crash, no restart loop
        response = client.get("/api/search?q=disclosure")
        assert response.status_code == 503
        assert "not available" in response.get_json()["error"]
    build_index(CORPUS, index)  # a new build name in index/CURRENT: the next request opens it
    assert client.get("/api/search?q=disclosure").status_code == 200


# -- a build killed mid-way -------------------------------------------------------------------


def answer_of(live: LiveServer, path: str) -> dict:
    code, body = live.get(path)
    assert code == 200
    answer = json.loads(body)
    answer.pop("took_ms")
    return answer


def test_a_killed_build_leaves_the_previous_index_serving(tmp_path, index_dir):
    index = copy_index(index_dir, tmp_path / "index")
    serving = (index / CURRENT).read_text()
    with LiveServer(CORPUS, index, workers=1, lifetime=120) as live:
        before = answer_of(live, "/api/search?q=victim+letters")
        build = subprocess.Popen(
            [sys.executable, "-m", "search", "--corpus", str(CORPUS), "--index", str(index), "build"],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while not any((index / BUILDS).glob(".tmp-*")) and time.monotonic() < deadline:
                time.sleep(0.005)
            assert any((index / BUILDS).glob(".tmp-*")), "the build never started writing"
        finally:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait(30)
        assert (index / CURRENT).read_text() == serving
        time.sleep(1.2)
        assert answer_of(live, "/api/search?q=victim+letters") == before
    # The next build succeeds and clears what the killed one left.
    build_index(CORPUS, index)
    assert not any((index / BUILDS).glob(".tmp-*"))
    assert (index / CURRENT).read_text() != serving
