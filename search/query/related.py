"""Entries like a given one, from other Areas: its most distinctive words, searched for.

An entry's related entries are found with an ordinary ranked query over its
distinctive words (weighted by tf·idf); those about the same Areas, or of kinds
without content of their own (scores, criteria, report links), are left out, and
those sharing one of its themes come first.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

from whoosh import query as wq

from search.models import Entry
from search.text.analysis import stems

RELATED_KINDS = frozenset({"paragraph", "issue", "good-practice", "strength", "finding"})
RELATED_TERMS = 12
# How many of the ranked matches are looked at for the few related entries shown.
CANDIDATES = 100


def distinctive_terms(text: str, doc_frequency: Callable[[str], int], total: int) -> list[tuple[str, float]]:
    """Return the text's most distinctive stems with tf·idf weights; words in over a quarter
    of the entries are too common to say what an entry is about."""
    weights = {}
    for term, count in Counter(stems(text)).items():
        df = doc_frequency(term)
        if 0 < df <= total // 4:
            weights[term] = (1 + math.log(count)) * math.log(total / df)
    return sorted(weights.items(), key=lambda kv: -kv[1])[:RELATED_TERMS]


def related_query(terms: list[tuple[str, float]]) -> wq.Query:
    """Return the query for an entry's distinctive terms, each boosted by its weight."""
    return wq.Or([wq.Term("text", t, boost=w) for t, w in terms])


def pick_related(
    source: Entry, ranked: list[tuple[int, float]], entries: list[Entry], limit: int
) -> list[tuple[int, float]]:
    """Keep the ranked entries of other Areas with content, those sharing a theme first."""
    own, themes = set(source.areas), set(source.themes)
    candidates = []
    for docnum, score in ranked:
        entry = entries[docnum]
        if entry.id == source.id or entry.kind not in RELATED_KINDS or not entry.areas:
            continue
        if own & set(entry.areas):
            continue
        candidates.append((bool(themes & set(entry.themes)), score, docnum))
    candidates.sort(key=lambda c: (not c[0], -c[1], c[2]))
    return [(docnum, score) for _, score, docnum in candidates[:limit]]
