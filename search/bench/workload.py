"""The fixed query set every section of the benchmark runs: words, phrases, acronyms, typos.

Each query runs twice per pass: alone, and with facet filters (two Areas, or a kind
and a Part, or a theme), so the disjunctive counts are exercised both ways.
"""

from __future__ import annotations

from urllib.parse import urlencode

# (label, query text)
QUERIES: tuple[tuple[str, str], ...] = (
    ("word", "disclosure"),
    ("word", "training"),
    ("word", "recruitment"),
    ("words", "victim letters"),
    ("words", "sickness absence"),
    ("words", "hate crime uplift"),
    ("words", "case progression magistrates courts"),
    ("words", "leadership communication staff engagement"),
    ("phrase", '"disclosure record sheet"'),
    ("phrase", '"unused material"'),
    ("phrase", '"case management panels"'),
    ("acronym", "IQA"),
    ("acronym", "MG3"),
    ("acronym", "LSIP"),
    ("expansion", "Chief Crown Prosecutor"),
    ("expansion", "Victim Liaison Unit"),
    ("typo", "comunity engagment"),
    ("typo", "disclosre"),
    ("typo", "wittness care"),
    ("operators", "disclos*"),
    ("operators", "disclosure -police"),
    ("operators", "+police file quality"),
    ("field", "area:wessex police"),
    ("empty", ""),
)
FILTERS: tuple[dict[str, list[str]], ...] = (
    {"area": ["london-north", "wessex"]},
    {"kind": ["issue"], "part": ["c"]},
    {"theme": ["victims-and-witnesses", "disclosure"]},
)


def requests() -> list[tuple[str, dict[str, list[str]]]]:
    """Return (label, parameters) for every request of one pass, filters cycled."""
    out = []
    for n, (label, text) in enumerate(QUERIES):
        out.append((label, {"q": [text]}))
        out.append((label + "+facets", {"q": [text], **FILTERS[n % len(FILTERS)]}))
    return out


def api_path(params: dict[str, list[str]]) -> str:
    """Return the /api/search path of a request."""
    return "/api/search?" + urlencode(params, doseq=True)


def typed_prefixes() -> list[str]:
    """Return what the search box sends for suggestions while each query is typed, letter by letter."""
    return [text[:n] for _, text in QUERIES for n in range(1, len(text) + 1)]
