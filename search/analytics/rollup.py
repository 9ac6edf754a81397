"""Keep the folder's size bounded: rows older than N days become daily counts.

Whichever process holds `rollup.lock` (the others skip) reads every process file's
rows before the cut-off (midnight UTC, N days back), computes their tallies as the
report would (figures.py), writes them and the days they cover into `daily.sqlite3`
in one transaction, then deletes those rows from each file. The report ignores rows
of days already rolled up, so a roll-up stopped half-way never counts a search twice;
the next one deletes what was left.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from search.analytics.figures import merge, tally
from search.analytics.storage import (
    DAILY,
    ROLLUP_LOCK,
    Damaged,
    delete_before,
    open_daily,
    open_read_only,
    process_files,
    transaction,
    try_lock,
    unlock,
)

UPSERT = """
INSERT INTO tallies (day, figure, query, detail, count) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (day, figure, query, detail) DO UPDATE SET count = count + excluded.count
"""


def cutoff(now: float, keep_days: int) -> float:
    """Return the start (UTC midnight) of the oldest day whose rows are kept."""
    today = dt.datetime.fromtimestamp(now, dt.UTC).date()
    start = dt.datetime.combine(today - dt.timedelta(days=keep_days), dt.time(), dt.UTC)
    return start.timestamp()


def rolled_days(folder: Path) -> set[str]:
    """Return the days already rolled up into the daily counts (none when there are none yet)."""
    path = Path(folder) / DAILY
    if not path.exists():
        return set()
    conn = open_read_only(path)
    try:
        return {day for (day,) in conn.execute("SELECT day FROM rolled")}
    finally:
        conn.close()


def roll_up(folder: Path, keep_days: int, now: float) -> list[str]:
    """Roll every file's rows older than `keep_days` days into daily counts; return the days rolled.

    Returns at once with nothing done when another process is rolling up.
    """
    folder = Path(folder)
    lock = try_lock(folder / ROLLUP_LOCK)
    if lock is None:
        return []
    try:
        end = cutoff(now, keep_days)
        files = process_files(folder)
        daily = open_daily(folder)
        try:
            done = {day for (day,) in daily.execute("SELECT day FROM rolled")}
            merged, _ = merge(files, 0.0, end)
            tallies = [t for t in tally(merged, 0.0, end) if t.day not in done]
            merged.close()
            days = sorted({t.day for t in tallies})
            with transaction(daily):
                daily.executemany(UPSERT, tallies)
                daily.executemany("INSERT OR IGNORE INTO rolled (day) VALUES (?)", [(d,) for d in days])
        finally:
            daily.close()
        for path in files:
            try:
                delete_before(path, end)
            except (sqlite3.Error, Damaged):
                continue  # a damaged file is skipped here as in the report
        return days
    finally:
        unlock(lock)
