"""The counts a report is made of, computed from the rows of every process file at once.

Both the report and the roll-up go through here, so a day's figures are the same
whether they are read from its rows or from the daily counts they were rolled into.
Each count is a tally: (day, figure, query, detail, count), `detail` being a
correction or a refinement's new query, else ''.

The search page searches as the reader types, and every search it runs carries the
results page it was typed on (the Referer's `q`, never the Referer itself). A search
followed within `TYPING_SECONDS` by one typed on its page whose text extends or trims
it ("disclos" → "disclosure") was a step of typing: only the last step counts. A
search typed on the page of another query searched less than `REFINE_SECONDS`
before, and not a step of typing, is a refinement.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from search.analytics.storage import CLICK_COLUMNS, SEARCH_COLUMNS

TYPING_SECONDS = 5.0
REFINE_SECONDS = 60.0
FOREVER = 1e12

MERGED_SCHEMA = f"""
CREATE TABLE searches ({", ".join(SEARCH_COLUMNS)});
CREATE TABLE clicks ({", ".join(CLICK_COLUMNS)});
"""


class Tally(NamedTuple):
    day: str
    figure: str
    query: str
    detail: str
    count: int


class Skipped(NamedTuple):
    file: str
    reason: str


def merge(
    files: Iterable[Path], start: float = 0.0, end: float = FOREVER
) -> tuple[sqlite3.Connection, list[Skipped]]:
    """Copy every file's rows from `start` to `end` into one database in memory; list the files skipped."""
    merged = sqlite3.connect("file:merged?mode=memory", uri=True)
    merged.executescript(MERGED_SCHEMA)
    skipped = []
    for path in files:
        try:
            merged.execute("ATTACH DATABASE ? AS source", (f"{Path(path).resolve().as_uri()}?mode=ro",))
        except sqlite3.Error as exc:
            skipped.append(Skipped(Path(path).name, str(exc)))
            continue
        try:
            with merged:
                for table, columns in (("searches", SEARCH_COLUMNS), ("clicks", CLICK_COLUMNS)):
                    names = ", ".join(columns)
                    merged.execute(
                        f"INSERT INTO main.{table} ({names}) SELECT {names} FROM source.{table} "
                        "WHERE at >= ? AND at < ?",
                        (start, end),
                    )
        except sqlite3.Error as exc:
            skipped.append(Skipped(Path(path).name, str(exc)))
        finally:
            merged.execute("DETACH DATABASE source")
    merged.execute("CREATE INDEX searches_query ON searches (query, at)")
    return merged, skipped


# Rows of `searches` that were a step of typing: for each search typed on another's page
# that extends or trims its text, the latest search of that text in the seconds before.
SUPERSEDED = """
CREATE TEMP TABLE superseded AS
SELECT DISTINCT (
    SELECT a.rowid FROM searches a
    WHERE a.query = b.previous_query AND a.at <= b.at AND a.at >= b.at - :typing
    ORDER BY a.at DESC LIMIT 1
) AS id
FROM searches b
WHERE b.previous_query IS NOT NULL
  AND (substr(b.query, 1, length(b.previous_query)) = b.previous_query
       OR substr(b.previous_query, 1, length(b.query)) = b.query)
"""
COUNTED = """
CREATE TEMP TABLE counted AS
SELECT rowid AS id, date(at, 'unixepoch') AS day, * FROM searches
WHERE at >= :start AND at < :end
  AND rowid NOT IN (SELECT id FROM superseded WHERE id IS NOT NULL)
"""
TALLIES = """
SELECT day, 'searches', query, '', count(*) FROM counted GROUP BY day, query
UNION ALL
SELECT day, 'zero', query, '', count(*) FROM counted WHERE total = 0 GROUP BY day, query
UNION ALL
SELECT day, 'with_results', query, '', count(*) FROM counted WHERE total > 0 GROUP BY day, query
UNION ALL
SELECT day, 'answered', query, '', count(*) FROM counted WHERE answered GROUP BY day, query
UNION ALL
SELECT day, 'corrected', query, corrected_query, count(*) FROM counted
WHERE corrected_query IS NOT NULL GROUP BY day, query, corrected_query
UNION ALL
SELECT day, 'offered', query, suggested_query, count(*) FROM counted
WHERE suggested_query IS NOT NULL GROUP BY day, query, suggested_query
UNION ALL
SELECT day, 'refined', previous_query, query, count(*) FROM counted b
WHERE previous_query IS NOT NULL
  AND EXISTS (SELECT 1 FROM searches a WHERE a.query = b.previous_query
              AND a.at < b.at AND a.at >= b.at - :refine)
  AND NOT ((substr(b.query, 1, length(b.previous_query)) = b.previous_query
            OR substr(b.previous_query, 1, length(b.query)) = b.query)
           AND EXISTS (SELECT 1 FROM searches a WHERE a.query = b.previous_query
                       AND a.at <= b.at AND a.at >= b.at - :typing))
GROUP BY day, previous_query, query
UNION ALL
SELECT date(at, 'unixepoch'), 'clicks', query, '', count(*) FROM clicks
WHERE at >= :start AND at < :end GROUP BY 1, query
UNION ALL
SELECT date(at, 'unixepoch'), 'ranked_clicks', query, '', count(*) FROM clicks
WHERE at >= :start AND at < :end AND rank IS NOT NULL GROUP BY 1, query
UNION ALL
SELECT date(at, 'unixepoch'), 'rank_sum', query, '', sum(rank) FROM clicks
WHERE at >= :start AND at < :end AND rank IS NOT NULL GROUP BY 1, query
"""


def tally(merged: sqlite3.Connection, start: float = 0.0, end: float = FOREVER) -> list[Tally]:
    """Return the tallies of the merged rows from `start` to `end` (earlier rows only pair with them)."""
    params = {"start": start, "end": end, "typing": TYPING_SECONDS, "refine": REFINE_SECONDS}
    merged.execute("DROP TABLE IF EXISTS temp.superseded")
    merged.execute("DROP TABLE IF EXISTS temp.counted")
    merged.execute(SUPERSEDED, params)
    merged.execute(COUNTED, params)
    return [Tally(*row) for row in merged.execute(TALLIES, params)]
