"""A known sequence of searches and clicks, written by two processes' recorders."""

from __future__ import annotations

import datetime as dt

import pytest

from search.analytics import ClickEvent, Recorder, SearchEvent

# Noon UTC on 5 March 2024.
T = dt.datetime(2024, 3, 5, 12, tzinfo=dt.UTC).timestamp()


def S(at, query, total, **fields) -> SearchEvent:
    return SearchEvent(at=T + at, query=query, total=total, **fields)


# (recorder, event): recorder 0 and 1 stand for two server processes.
SEQUENCE = [
    (0, S(0, "Disclosure", 42, source="page")),
    (1, S(1, "  disclosure ", 42)),
    (0, S(2, "victim letters", 10)),
    (0, ClickEvent(T + 3, "DISCLOSURE", "para-4.10", 3)),
    (1, ClickEvent(T + 4, "victim letters", "issue-wessex-2", 1)),
    (0, S(10, "comunity engagment", 5, corrected_query="community engagement")),
    (1, S(12, "victim latter", 6, suggested_query="victim letter")),
    (1, S(20, "xyzzy", 0)),
    (0, S(25, "xyzzy", 0)),
    (1, S(30, "how many issues does Wessex have", 7, answered=True)),
    # Typing on the search page: only the last step counts.
    (0, S(100, "disc", 3, source="page")),
    (1, S(101, "disclos", 4, source="page", previous_query="disc")),
    (0, S(102, "disclosure record", 6, source="page", previous_query="disclos")),
    # A refinement 30 s later, and a change of words after 100 s that is not one.
    (0, S(200, "rape", 9, source="page")),
    (1, S(230, "rasso cases", 8, source="page", previous_query="rape")),
    (0, S(300, "training", 30, source="page")),
    (1, S(400, "staff training", 12, source="page", previous_query="training")),
    # The front page and filters without words: browses, not searches.
    (0, S(500, "", 600, filters={"kind": ("issue",)}, source="page")),
    (1, ClickEvent(T + 510, "rasso cases", "para-3.2", None)),
    # Personal data typed into the box and a filter.
    (0, S(600, "ring me on 07700 900123", 0, filters={"area": ("me@example.com",)})),
]

EXPECTED = {
    "searches": 14,
    "distinct_queries": 12,
    "browses": 1,
    "searches_with_results": 11,
    "zero_result_searches": 3,
    "clicks": 3,
    "click_through_rate": 0.273,
    "mean_clicked_rank": 2.0,
    "answers_shown": 1,
    "refined": 1,
    "top_queries": [
        {"query": "disclosure", "count": 2},
        {"query": "xyzzy", "count": 2},
        {"query": "comunity engagment", "count": 1},
        {"query": "disclosure record", "count": 1},
        {"query": "how many issues does wessex have", "count": 1},
        {"query": "rape", "count": 1},
        {"query": "rasso cases", "count": 1},
        {"query": "ring me on [phone]", "count": 1},
        {"query": "staff training", "count": 1},
        {"query": "training", "count": 1},
        {"query": "victim latter", "count": 1},
        {"query": "victim letters", "count": 1},
    ],
    "zero_result_queries": [{"query": "xyzzy", "count": 2}, {"query": "ring me on [phone]", "count": 1}],
    "no_click_queries": [
        {"query": "comunity engagment", "count": 1},
        {"query": "disclosure record", "count": 1},
        {"query": "how many issues does wessex have", "count": 1},
        {"query": "rape", "count": 1},
        {"query": "staff training", "count": 1},
        {"query": "training", "count": 1},
        {"query": "victim latter", "count": 1},
    ],
    "corrections": [
        {"query": "comunity engagment", "correction": "community engagement", "how": "applied", "count": 1},
        {"query": "victim latter", "correction": "victim letter", "how": "offered", "count": 1},
    ],
    "refined_queries": [{"query": "rape", "refined_to": "rasso cases", "count": 1}],
    "answered_queries": [{"query": "how many issues does wessex have", "count": 1}],
}


@pytest.fixture()
def recorded(tmp_path):
    """Write the sequence through two recorders (two process files) into a folder; return it."""
    folder = tmp_path / "analytics"
    recorders = [Recorder(folder, keep_days=30, clock=lambda: T + 1000) for _ in range(2)]
    for n, event in SEQUENCE:
        recorders[n].pending.append(event)  # as record() does, without starting the thread
    for recorder in recorders:
        recorder.flush()
    for recorder in recorders:
        recorder.close()
    return folder
