"""Search analytics: what readers search for, what fails, what they open — nothing personal.

Takes in events (a search run, a result opened) and gives out a report:

    events ─recorder→ <host>-<n>.sqlite3, one per process ─rollup→ daily.sqlite3
    every file in the folder ─figures→ report (tables, JSON, CSV)

- `events`    what is recorded of a search and of a click, from a SearchResult
- `masking`   query text case-folded, whitespace collapsed, e-mail, phone and postcode masked
- `recorder`  a bounded queue on the request path; a thread per process writes batches
- `storage`   the folder: a file per process (a lock per slot), WAL, one transaction a batch
- `figures`   tallies per day from the merged rows, typing steps and refinements told apart
- `rollup`    rows older than N days into daily counts, so the folder stays bounded
- `report`    the merged figures, as data, CSV or tables
"""

from search.analytics.events import ClickEvent, SearchEvent, search_event
from search.analytics.recorder import DEFAULT_KEEP_DAYS, Recorder
from search.analytics.report import build_report

__all__ = ["DEFAULT_KEEP_DAYS", "ClickEvent", "Recorder", "SearchEvent", "build_report", "search_event"]
