"""The report's figures, computed from a known sequence written by two processes."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

from search.analytics.report import build_report, print_tables, write_csv
from search.analytics.storage import process_files
from tests.analytics.conftest import EXPECTED, T


def figures_of(report: dict) -> dict:
    return {k: v for k, v in report.items() if k not in ("period", "files")}


def test_two_processes_write_two_files_and_the_report_merges_them(recorded):
    files = process_files(recorded)
    assert len(files) == 2
    counts = [sqlite3.connect(f).execute("SELECT count(*) FROM searches").fetchone()[0] for f in files]
    assert sorted(counts) == [7, 10]
    report = build_report(recorded, None, T + 1000)
    assert report["files"] == {"read": 2, "skipped": []}
    assert report["period"] == {"since_days": None, "first_day": "2024-03-05", "last_day": "2024-03-05"}
    assert figures_of(report) == EXPECTED


def test_since_counts_only_the_last_days(recorded):
    assert figures_of(build_report(recorded, 1, T + 1000)) == EXPECTED
    later = build_report(recorded, 2, T + 3 * 86400)
    assert later["searches"] == later["clicks"] == 0 and later["top_queries"] == []
    assert later["period"]["first_day"] is None


def test_lists_are_cut_at_the_limit_most_frequent_first(recorded):
    report = build_report(recorded, None, T + 1000, limit=2)
    assert report["top_queries"] == EXPECTED["top_queries"][:2]


def test_no_personal_data_reaches_the_files(recorded):
    stored = b"".join(f.read_bytes() for f in recorded.iterdir())
    assert b"07700" not in stored and b"example.com" not in stored
    rows = sqlite3.connect(process_files(recorded)[0]).execute("SELECT filters FROM searches").fetchall()
    assert {"area": ["[email]"]} in [json.loads(f) for (f,) in rows]


def test_the_same_figures_as_csv_and_tables(recorded):
    report = build_report(recorded, None, T + 1000)
    out = io.StringIO()
    write_csv(report, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {"section": "summary", "query": "searches", "detail": "", "count": "14"} in rows
    assert {"section": "corrections", "query": "comunity engagment",
            "detail": "applied: community engagement", "count": "1"} in rows  # fmt: skip
    assert sum(r["section"] == "top_queries" for r in rows) == len(EXPECTED["top_queries"])
    out = io.StringIO()
    print_tables(report, out)
    text = out.getvalue()
    assert "ring me on [phone]" in text and "Queries with no results" in text and "rasso cases" in text


def test_a_damaged_file_is_skipped_and_named(recorded):
    (recorded / "other-7.sqlite3").write_bytes(b"not a database, " * 100)
    report = build_report(recorded, None, T + 1000)
    assert figures_of(report) == EXPECTED
    assert report["files"]["read"] == 2
    assert [s["file"] for s in report["files"]["skipped"]] == ["other-7.sqlite3"]
