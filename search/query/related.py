"""Entries like a given one, from other Areas: its most distinctive words, searched for.

An entry's related entries are found with an ordinary ranked query over its
distinctive words (weighted by tf·idf); those about the same Areas, or of kinds
without content of their own (scores, criteria, report links), are left out, and
those sharing one of its themes come first.

Its counterparts answer it across Areas: for an issue to address, the good practice
and strengths of other Areas on its themes; for good practice or a strength, the
issues of other Areas it could answer. They are ranked by the themes they share,
then by the same distinctive-words score.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

from search.models import Entry
from search.query.nodes import Node, Or, Term
from search.text.analysis import stems

RELATED_KINDS = frozenset({"paragraph", "issue", "good-practice", "strength", "finding"})
COUNTERPART_KINDS = {
    "issue": ("good-practice", "strength"),
    "good-practice": ("issue",),
    "strength": ("issue",),
}
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


def related_query(terms: list[tuple[str, float]]) -> Node:
    """Return the query for an entry's distinctive terms, each boosted by its weight."""
    return Or(tuple(Term("text", t, boost=w) for t, w in terms))


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


def counterpart_candidates(source: Entry, entries: list[Entry]) -> list[int]:
    """Return the entries of other Areas, of the kinds that answer source, sharing one of its themes."""
    kinds = COUNTERPART_KINDS.get(source.kind, ())
    own, themes = set(source.areas), set(source.themes)
    return [
        n
        for n, e in enumerate(entries)
        if e.kind in kinds and themes & set(e.themes) and e.areas and not own & set(e.areas)
    ]


def rank_counterparts(
    source: Entry, candidates: list[int], scores: dict[int, float], entries: list[Entry], limit: int
) -> list[tuple[int, float]]:
    """Order counterparts: more shared themes first, then the higher score, then document order."""
    themes = set(source.themes)

    def key(docnum: int) -> tuple:
        return (-len(themes & set(entries[docnum].themes)), -scores.get(docnum, 0.0), docnum)

    return [(d, scores.get(d, 0.0)) for d in sorted(candidates, key=key)[:limit]]
