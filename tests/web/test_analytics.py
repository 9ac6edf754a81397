"""Searches and results opened are recorded from the requests themselves, with nothing personal."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from search.analytics.storage import process_files
from tests.conftest import CORPUS
from web import create_app


@pytest.fixture()
def recording(index_dir, tmp_path):
    """An app recording into a folder of its own; yields its client and a reader of what was stored."""
    folder = tmp_path / "analytics"
    app = create_app(
        {
            "TESTING": True,
            "INDEX_DIR": str(index_dir),
            "CORPUS_DIR": str(CORPUS),
            "ANALYTICS_DIR": str(folder),
        }
    )
    recorder = app.extensions["analytics"]

    def stored(table: str) -> list[dict]:
        recorder.flush()
        rows = []
        for path in process_files(folder):
            conn = sqlite3.connect(path)
            conn.row_factory = sqlite3.Row
            rows += [dict(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY at")]
            conn.close()
        return rows

    yield app.test_client(), stored, folder
    recorder.close()


def test_a_page_search_is_recorded_with_its_filters_paging_and_outcome(recording):
    client, stored, _ = recording
    assert (
        client.get("/?q=Comunity++Engagment&area=wessex&kind=issue&page=1&sort=document").status_code == 200
    )
    [row] = stored("searches")
    assert row["query"] == "comunity engagment" and row["source"] == "page"
    assert json.loads(row["filters"]) == {"area": ["wessex"], "kind": ["issue"]}
    assert (row["page"], row["sort"], row["answered"]) == (1, "document", 0)
    assert row["corrected_query"] == "community engagement" and row["suggested_query"] is None
    assert (
        row["total"]
        == client.get("/api/search?q=comunity+engagment&area=wessex&kind=issue").get_json()["total"]
    )
    assert row["took_ms"] > 0 and row["previous_query"] is None


def test_a_correction_offered_rather_than_applied_is_recorded_as_offered(recording):
    client, stored, _ = recording
    body = client.get("/api/search?q=victim+latter").get_json()
    assert body["suggested_query"] and body["corrected_query"] is None
    client.get("/?q=victim+latter")
    rows = stored("searches")
    assert [(r["source"], r["suggested_query"], r["corrected_query"]) for r in rows] == [
        ("api", body["suggested_query"], None),
        ("page", body["suggested_query"], None),
    ]


def test_an_api_search_and_its_answer_are_recorded(recording):
    client, stored, _ = recording
    body = client.get("/api/search?q=how+many+strengths+does+Wessex+have").get_json()
    assert body["answer"]
    [row] = stored("searches")
    assert (row["source"], row["answered"], row["total"]) == ("api", 1, body["total"])


def test_a_search_typed_on_a_results_page_names_that_query(recording):
    client, stored, _ = recording
    client.get("/?q=victim+letters", headers={"Referer": "http://localhost/?q=Victims&area=wessex"})
    client.get("/?q=victim+care", headers={"Referer": "http://elsewhere.example/?q=secret"})
    client.get("/?q=witness+care", headers={"Referer": "http://localhost/areas/wessex?q=x"})
    assert [r["previous_query"] for r in stored("searches")] == ["victims", None, None]


def test_an_entry_opened_from_a_result_is_a_click_with_its_rank(recording):
    client, stored, _ = recording
    page = client.get("/?q=disclosure&page=2").get_data(as_text=True)
    links = re.findall(r'<h3 class="result-title"><a href="([^"]+)"', page)
    assert links[0].endswith("&amp;page=2&amp;rank=11") and links[1].endswith("rank=12")
    assert client.get(links[1].replace("&amp;", "&")).status_code == 200
    client.get("/entries/para-4.10")  # not from a search: no click
    client.get("/entries/para-4.10?q=Disclosure&rank=nonsense")
    client.get("/entries/no-such-entry?q=disclosure&rank=1")  # a 404 is no click
    clicks = stored("clicks")
    assert [(c["query"], c["rank"]) for c in clicks] == [("disclosure", 12), ("disclosure", None)]
    assert clicks[0]["entry_id"] in links[1] and clicks[1]["entry_id"] == "para-4.10"


def test_nothing_personal_is_stored(recording):
    client, stored, folder = recording
    headers = {
        "User-Agent": "agent-0f3a9c",
        "X-Forwarded-For": "203.0.113.77",
        "Cookie": "session=cookie-8d1e",
        "Referer": "http://localhost/?q=write+to+jo%40example.com",
    }
    client.get(
        "/?q=call+07700+900123+or+SW1A+1AA", headers=headers, environ_base={"REMOTE_ADDR": "198.51.100.23"}
    )
    client.get("/entries/para-4.10?q=jo@example.com&rank=1", headers=headers)
    [row] = stored("searches")
    assert row["query"] == "call [phone] or [postcode]" and row["previous_query"] == "write to [email]"
    assert stored("clicks")[0]["query"] == "[email]"
    everything = b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())
    for secret in (
        b"agent-0f3a9c",
        b"203.0.113.77",
        b"198.51.100.23",
        b"cookie-8d1e",
        b"example.com",
        b"900123",
    ):
        assert secret not in everything


def test_a_rejected_search_is_not_recorded(recording):
    client, stored, _ = recording
    assert client.get("/api/search?q=x&page=0").status_code == 400
    assert client.get("/?q=x&per_page=1000").status_code == 400
    assert stored("searches") == []


def test_analytics_are_off_unless_a_folder_is_given(app, index_dir, tmp_path, monkeypatch):
    monkeypatch.delenv("AAP_ANALYTICS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    quiet = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})
    assert quiet.test_client().get("/?q=disclosure").status_code == 200
    assert "analytics" not in quiet.extensions and list(tmp_path.iterdir()) == []


def test_nothing_of_it_is_served_over_http(recording):
    client, stored, _ = recording
    client.get("/?q=disclosure")
    rules = [rule.rule for rule in client.application.url_map.iter_rules()]
    assert not [rule for rule in rules if "analytic" in rule]
    for path in ("/analytics", "/analytics/", "/api/analytics", "/static/../analytics/"):
        assert client.get(path).status_code == 404
