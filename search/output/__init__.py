"""Output: results, entries and aggregates in the shapes the API and the CLI share.

- `serialize`  `SearchResult`, entries, Areas and themes → the JSON bodies of /api/*
- `overview`   entries → scores tables, an Area's profile, Area × theme matrices, comparisons
- `citation`   an entry → its citation: the short form, plain text, RIS and BibTeX
- `table`      hits → the CSV download, each entry's cells quoted once and reused
"""

from search.output.citation import citation, citation_formats
from search.output.overview import area_profile, issue_matrix, score_tables, theme_counts
from search.output.serialize import entry_to_json, hit_to_json, permalink, result_to_json
from search.output.table import CSV_COLUMNS, CsvTable

__all__ = [
    "CSV_COLUMNS",
    "CsvTable",
    "area_profile",
    "citation",
    "citation_formats",
    "entry_to_json",
    "hit_to_json",
    "issue_matrix",
    "permalink",
    "result_to_json",
    "score_tables",
    "theme_counts",
]
