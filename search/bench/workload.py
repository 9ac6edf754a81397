"""The fixed query set every section of the benchmark runs: words, phrases, acronyms, typos.

Each query runs twice per pass: alone, and with facet filters (two Areas, or a kind
and a Part, or a theme), so the disjunctive counts are exercised both ways.
"""

from __future__ import annotations

import random
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


# Words and phrases of the report's subjects, for queries that differ from request to request.
TOPIC_WORDS: tuple[str, ...] = (
    "disclosure", "victim", "letters", "witness", "care", "police", "file", "quality", "casework",
    "court", "magistrates", "crown", "trial", "hearing", "charging", "decisions", "review", "initial",
    "training", "staff", "wellbeing", "sickness", "absence", "recruitment", "retention", "budget",
    "counsel", "agents", "advocates", "performance", "data", "meetings", "leadership", "communication",
    "engagement", "community", "panels", "scrutiny", "hate", "crime", "uplift", "rape", "sexual",
    "offences", "schedules", "unused", "material", "record", "sheet", "defence", "statement", "digital",
    "working", "partnership", "board", "improvement", "inspection", "framework", "criteria", "rating",
    "strengths", "practice", "issues", "managers", "prosecutors", "paralegal", "legal", "guidance",
    "timeliness", "grip", "progression", "custody", "time", "limits", "applications", "bad", "character",
    "pleas", "sentencing", "complaints", "feedback", "escalation", "national", "standard", "assessment",
    "individual", "dip", "sampling", "checks", "assurance", "people", "survey", "inclusion", "bullying",
    "vision", "newsletters", "visibility", "plans", "development", "induction", "learning", "mentoring",
    "resources", "allocation", "structure", "spend", "value", "money", "personal", "breaches", "security",
    "victims", "bereaved", "families", "liaison", "unit", "code", "threshold", "test",
)  # fmt: skip
ACRONYMS: tuple[str, ...] = ("IQA", "MG3", "LSIP", "CCP", "VLU", "NFS", "BCM", "TSJ", "RASSO", "HMCTS")
AREAS: tuple[str, ...] = ("Wessex", "London North", "North East", "Cymru-Wales", "Thames and Chiltern",
                          "Mersey-Cheshire", "South West", "East Midlands", "Yorkshire")  # fmt: skip
FRAMES: tuple[str, ...] = ("what did inspectors find about {}", "how good is {}", "which areas were told to fix {}",
                           "what good practice exists on {}", "{} problems")  # fmt: skip
DISTINCT_FILTERS: tuple[dict[str, list[str]], ...] = (
    *FILTERS,
    {"kind": ["good-practice", "strength"]},
    {"area": ["north-west"]},
    {"part": ["a", "b"]},
)


def distinct_query(rng) -> dict[str, list[str]]:
    """Return the parameters of one made-up search: a few of the report's words, said one of many ways."""
    words = rng.sample(TOPIC_WORDS, rng.choice((1, 2, 2, 3, 3, 4)))
    shape = rng.random()
    if shape < 0.35:
        text = " ".join(words)
    elif shape < 0.45:
        text = f'"{" ".join(words[:2])}"'
    elif shape < 0.55:
        text = rng.choice(FRAMES).format(" ".join(words))
    elif shape < 0.65:
        text = f"{rng.choice(AREAS)} {' '.join(words)}"
    elif shape < 0.72:
        text = f"{rng.choice(ACRONYMS)} {words[0]}"
    elif shape < 0.80:
        word = words[0]
        cut = rng.randrange(1, len(word) - 1) if len(word) > 4 else len(word)
        text = " ".join([word[:cut] + word[cut + 1 :], *words[1:]])  # a letter dropped: a typo
    elif shape < 0.86:
        text = " ".join([f"{words[0][:5]}*", *words[1:]])
    elif shape < 0.92:
        text = f"+{words[0]} {' '.join(words[1:])}" if len(words) > 1 else f"{words[0]} -police"
    else:
        text = f"{' '.join(words)} -{rng.choice(TOPIC_WORDS)}"
    params: dict[str, list[str]] = {"q": [text]}
    if rng.random() < 0.35:
        params.update(rng.choice(DISTINCT_FILTERS))
    if rng.random() < 0.15:
        params["page"] = ["2"]
    return params


def distinct_paths(count: int, seed: int = 2019) -> list[str]:
    """Return `count` different /api/search paths, the same for the same seed.

    No path repeats, so a benchmark sending them cannot be helped by a cache of
    whole answers, only by reusing what searches share (a word's postings, a
    correction, an expansion).
    """
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        found.setdefault(api_path(distinct_query(rng)), None)
    return list(found)
