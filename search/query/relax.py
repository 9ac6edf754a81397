"""A scope that would answer nothing relaxes, step by step, and says which step it took.

A query naming an Area searches only the entries about it. When none of them matches
the query's words ("Wessex finances", where Wessex's entries say "spending" and
"resource management"), the scope relaxes before it returns nothing:

1. `theme`: the Area's entries on the topic's themes — the themes of what the same
   words find in every Area (the first results, by rank), so no word list is needed;
2. `area`: every entry about the Area, its own first;
3. `everywhere`: the words in every Area.

The first step that finds something is the answer, and the result says which it was.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from search.models import KIND_LABELS
from search.query.clauses import theme_query
from search.query.nodes import Every, Node

STEPS = ("theme", "area", "everywhere")
# The themes of a topic: those of the first results found in every Area …
FEEDBACK_DEPTH = 10
# … that at least this share of them carry, the most common first, at most this many.
THEME_SHARE = 0.3
MAX_THEMES = 2


@dataclass(frozen=True)
class Relaxed:
    """Which step a relaxed scope took, and what to tell the reader."""

    step: str
    message: str
    themes: tuple[str, ...] = ()
    query: Node | None = field(default=None, compare=False)  # what was run instead

    def to_dict(self) -> dict:
        return {"step": self.step, "message": self.message, "themes": list(self.themes)}


def topic_themes(ranking, entries, allowed: int) -> tuple[str, ...]:
    """Return the themes most of a query's first results (in every Area) share."""
    top = ranking.top(ranking.matched & allowed, FEEDBACK_DEPTH)
    if not top:
        return ()
    counts = Counter(t for d, _ in top for t in entries[d].themes)
    common = [t for t, n in counts.most_common() if n >= THEME_SHARE * len(top)]
    return tuple(common[:MAX_THEMES])


def relax(index, prepared, allowed: int):
    """Return (ranking, matched, Relaxed) for a scoped query none of the Area's entries matches.

    `allowed` is what the query may match without its scope (filters typed in the query
    applied). `index` is the `SearchIndex` running it.
    """
    adjust = prepared.adjustments
    u = prepared.understanding
    names = " and ".join(index.areas.label(a) for a in u.areas)
    missing = f"No entry about {names} matches these words"
    if u.kinds and not u.topic:
        kinds = " or ".join(KIND_LABELS[k].lower() for k in u.kinds)
        missing = f"{names} {'has' if len(u.areas) == 1 else 'have'} no entries of the kind {kinds}"
    scope = adjust.scope & allowed
    searcher = index.searcher()
    everywhere = index.ranker.run(prepared.compiled.query, searcher, allowed)
    themes = topic_themes(everywhere, index.entries, allowed) if u.topic else ()
    if themes:
        ranking = index.ranker.run(theme_query(themes), searcher, scope, None, adjust.lifts)
        if ranking.matched:
            labels = " and ".join(index.taxonomy.label(t) for t in themes)
            whose = "its" if len(prepared.understanding.areas) == 1 else "their"
            message = f"{missing}; showing {whose} entries on {labels}."
            return ranking, ranking.matched, Relaxed("theme", message, themes, theme_query(themes))
    if scope:
        ranking = index.ranker.run(Every(), searcher, scope, None, adjust.lifts)
        return (
            ranking,
            ranking.matched,
            Relaxed("area", f"{missing}; showing every entry about {names}.", query=Every()),
        )
    return (
        everywhere,
        everywhere.matched,
        Relaxed("everywhere", f"{missing}; showing results from every Area."),
    )
