"""Relevance on independent judgments: realistic queries of six kinds, judged by reading the entries.

`data/realistic_judgments.json` holds 48 queries (questions, an Area with a topic,
keywords, typos, jargon, lay words) written and judged without the search engine.
The figures guard against regressions; they are not tuned per query.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from search.bench.relevance import evaluate, load_judgments, summarise

JUDGMENTS = Path(__file__).parent / "data" / "realistic_judgments.json"


@pytest.fixture(scope="module")
def figures(search_index):
    return summarise(evaluate(search_index, load_judgments(JUDGMENTS)))


def test_realistic_queries_rank_well_overall(figures):
    assert figures["queries"] == 48
    assert figures["all"]["ndcg"] >= 0.85
    assert figures["all"]["recall"] >= 0.85


@pytest.mark.parametrize("kind", ["question", "area-topic", "keyword", "typo", "jargon", "mismatch"])
def test_every_kind_of_query_beats_a_plain_engine(figures, kind):
    by_kind = figures["by_kind"][kind]
    assert by_kind["ndcg"] > by_kind["fts5_ndcg"]
    assert by_kind["ndcg"] >= 0.65
