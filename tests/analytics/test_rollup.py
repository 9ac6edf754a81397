"""Rows older than N days become daily counts; the report's figures do not change."""

from __future__ import annotations

import sqlite3

import pytest

from search.analytics import rollup
from search.analytics.report import build_report
from search.analytics.storage import DAILY, process_files
from tests.analytics.conftest import EXPECTED, SEQUENCE, T

DAY = 86400


def rows(folder) -> int:
    total = 0
    for path in process_files(folder):
        conn = sqlite3.connect(path)
        total += sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("searches", "clicks"))
        conn.close()
    return total


def figures_of(report: dict) -> dict:
    return {k: v for k, v in report.items() if k not in ("period", "files")}


def test_rows_older_than_n_days_roll_up_into_the_same_figures(recorded):
    assert rollup.roll_up(recorded, keep_days=30, now=T + 29 * DAY) == []  # not old enough yet
    assert rows(recorded) == len(SEQUENCE)
    later = T + 31 * DAY
    assert rollup.roll_up(recorded, keep_days=30, now=later) == ["2024-03-05"]
    assert rows(recorded) == 0
    report = build_report(recorded, None, later)
    assert figures_of(report) == EXPECTED
    assert report["period"]["first_day"] == "2024-03-05"
    assert rollup.roll_up(recorded, keep_days=30, now=later + DAY) == []  # nothing twice
    assert figures_of(build_report(recorded, None, later + DAY)) == EXPECTED
    assert build_report(recorded, 7, later)["searches"] == 0  # --since applies to daily counts too


def test_a_roll_up_stopped_before_deleting_never_counts_twice(recorded, monkeypatch):
    def killed(path, cutoff):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(rollup, "delete_before", killed)
    later = T + 31 * DAY
    assert rollup.roll_up(recorded, keep_days=30, now=later) == ["2024-03-05"]
    assert rows(recorded) > 0  # the rows are still there, their day already counted
    assert figures_of(build_report(recorded, None, later)) == EXPECTED
    monkeypatch.undo()
    assert rollup.roll_up(recorded, keep_days=30, now=later) == []
    assert rows(recorded) == 0
    assert figures_of(build_report(recorded, None, later)) == EXPECTED


def test_only_one_process_rolls_up_at_a_time(recorded):
    lock = rollup.try_lock(recorded / rollup.ROLLUP_LOCK)
    try:
        assert rollup.roll_up(recorded, keep_days=1, now=T + 10 * DAY) == []
        assert not (recorded / DAILY).exists() or rows(recorded) > 0
    finally:
        rollup.unlock(lock)
    assert rollup.roll_up(recorded, keep_days=1, now=T + 10 * DAY) == ["2024-03-05"]


@pytest.mark.parametrize("keep_days", [1, 2, 30])
def test_the_cut_off_is_midnight_n_days_back(keep_days):
    now = T + 3 * DAY  # noon UTC, 8 March 2024
    assert rollup.cutoff(now, keep_days) == (now // DAY - keep_days) * DAY
