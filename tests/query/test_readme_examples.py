"""The README's query-syntax examples work as it says."""

from __future__ import annotations

import re
from pathlib import Path

from search.query.request import parse_request

README = Path(__file__).resolve().parents[2] / "README.md"


def query_examples() -> list[str]:
    section = README.read_text().split("## Query syntax", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [example for row in rows for example in re.findall(r"`([^`]+)`", row.split("|")[1])]


def test_every_query_syntax_example_finds_something(search_index):
    examples = query_examples()
    assert len(examples) >= 12
    for example in examples:
        result = search_index.search(parse_request({"q": [example]}))
        assert result.total > 0, example


def test_the_spelling_example_is_corrected(search_index):
    assert (
        search_index.search(parse_request({"q": ["comunity engagment"]})).corrected_query
        == "community engagement"
    )
