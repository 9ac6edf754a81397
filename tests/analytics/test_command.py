"""`python -m search analytics`: the merged report as tables, JSON or CSV; serve's options."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from search.cli import make_parser
from tests.analytics.conftest import EXPECTED
from tests.conftest import REPO


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "search", "analytics", *args],
        cwd=REPO, capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})},
    )  # fmt: skip


def test_json_holds_the_merged_figures(recorded):
    done = run("--analytics-dir", str(recorded), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["files"]["read"] == 2
    # Recorded in March 2024: the whole history has them, the last 30 days do not.
    assert {k: report[k] for k in EXPECTED} == EXPECTED
    recent = json.loads(run("--analytics-dir", str(recorded), "--json", "--since", "30").stdout)
    assert recent["searches"] == 0


def test_csv_and_tables_from_the_folder_in_the_environment(recorded):
    done = run("--csv", env={"AAP_ANALYTICS_DIR": str(recorded)})
    assert done.returncode == 0 and done.stdout.startswith("section,query,detail,count\n")
    assert "top_queries,disclosure,,2\n" in done.stdout
    done = run("--limit", "3", env={"AAP_ANALYTICS_DIR": str(recorded)})
    assert done.returncode == 0
    assert "Top queries" in done.stdout and "ring me on [phone]" in done.stdout
    assert "Searches refined within a minute" in done.stdout and "rasso cases" in done.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--analytics-dir", "/no/such/folder"], "no analytics folder /no/such/folder"),
        (["--since", "0"], "must be at least 1"),
        (["--since", "week"], "expected a whole number"),
        (["--json", "--csv"], "not allowed with"),
    ],
)
def test_bad_arguments_give_a_message(args, message, tmp_path):
    done = run(*args, env={"AAP_ANALYTICS_DIR": str(tmp_path)})
    assert done.returncode != 0 and message in done.stderr and "Traceback" not in done.stderr


def test_serve_takes_the_analytics_options():
    args = make_parser().parse_args(["serve", "--analytics-dir", "stats", "--analytics-keep-days", "7"])
    assert (args.analytics_dir, args.analytics_keep_days, args.no_analytics) == ("stats", 7, False)
    args = make_parser().parse_args(["serve", "--no-analytics"])
    assert args.no_analytics and args.analytics_keep_days == 30
    with pytest.raises(SystemExit):
        make_parser().parse_args(["serve", "--analytics-keep-days", "0"])
