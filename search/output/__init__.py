"""Output: results, entries and aggregates in the shapes the API and the CLI share.

- `serialize`  `SearchResult`, entries, Areas and themes → the JSON bodies of /api/*
- `overview`   entries → scores tables, an Area's profile, Area × theme matrices
"""

from search.output.overview import area_profile, issue_matrix, score_tables, theme_counts
from search.output.serialize import citation, entry_to_json, hit_to_json, permalink, result_to_json

__all__ = [
    "area_profile",
    "citation",
    "entry_to_json",
    "hit_to_json",
    "issue_matrix",
    "permalink",
    "result_to_json",
    "score_tables",
    "theme_counts",
]
