"""What a query's understanding does to ranking: scope, priors by kind, and lifts.

- *Scope*: a query that names an Area is about that Area: only entries about it
  match (its own and the national text that names it); "search all Areas" is the
  same query without the name.
- *Priors by kind*: scores rows, framework criteria, report links and tables repeat
  the words of many topics; they rank below the entries that carry the findings
  (paragraphs, issues, good practice, strengths, casework findings) unless the query
  asks for them ("rated", "criteria", "table") or names what is scored.
- *Lifts*: an Area's own entries (its Annex B rows, scores, report) come before the
  national text that names it, and a kind of entry a query names ("good practice")
  comes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from search.models import KINDS, Entry
from search.query.engine.bitsets import docnums_of, mask_of
from search.query.understanding import Understanding

# Score factors of the structural kinds when a query does not ask for them.
KIND_PRIORS = {"rating": 0.3, "criterion": 0.8, "report": 0.3, "table": 0.6}
STRUCTURAL_KINDS = frozenset(KIND_PRIORS)
# The entries that are an Area's own, not national text that names it.
OWN_KINDS = frozenset({"issue", "good-practice", "strength", "rating", "report"})
SUBJECT_LIFT = 30.0
# "How many …?" is answered by a number: entries that give one of the topic get this much.
QUANTITY_LIFT = 10.0


@dataclass(frozen=True)
class Adjustments:
    """A query's scope (a bitset, None for everything), score factors and lifts."""

    scope: int | None
    priors: dict[int, float] | None
    lifts: dict[int, float]
    factors: dict[str, float]
    quantities: frozenset[int] = frozenset()


class PriorTable:
    """Per-document kinds and Areas of one build, for turning understandings into adjustments."""

    def __init__(self, entries: list[Entry]):
        self.by_kind = {k: mask_of(n for n, e in enumerate(entries) if e.kind == k) for k in KINDS}
        self.by_area: dict[str, int] = {}
        self.own: dict[str, int] = {}
        for n, entry in enumerate(entries):
            for area in entry.areas:
                self.by_area[area] = self.by_area.get(area, 0) | 1 << n
                if entry.kind in OWN_KINDS:
                    self.own[area] = self.own.get(area, 0) | 1 << n
        self.priors_for_factors = lru_cache(maxsize=32)(self._priors)

    def adjust(
        self, understanding: Understanding, answer: tuple[int, ...] = (), quantities: tuple[int, ...] = ()
    ) -> Adjustments:
        """Return the scope, priors and lifts a query's understanding calls for.

        `answer` lists the documents an answer from the scores rests on: they lead;
        `quantities`, for a "how many" question, those that give a number of its topic.
        """
        factors = kind_factors(understanding)
        priors = self.priors_for_factors(tuple(sorted(factors.items()))) if factors else None
        scope = None
        lifts: dict[int, float] = {}
        if understanding.areas:
            scope = 0
            for area in understanding.areas:
                scope |= self.by_area.get(area, 0)
                for doc in docnums_of(self.own.get(area, 0)):
                    lifts[doc] = SUBJECT_LIFT
        for kind in understanding.kinds:
            for doc in docnums_of(self.by_kind.get(kind, 0)):
                lifts[doc] = lifts.get(doc, 0.0) + SUBJECT_LIFT
        # What the answer rests on leads; without an answer, the structural kinds asked
        # for ("scores", "criteria") lead, as a kind named does.
        asked = set() if answer else set(understanding.asks_for) & STRUCTURAL_KINDS
        for kind in asked:
            for doc in docnums_of(self.by_kind.get(kind, 0)):
                lifts[doc] = lifts.get(doc, 0.0) + SUBJECT_LIFT
        for doc in answer:
            lifts[doc] = lifts.get(doc, 0.0) + SUBJECT_LIFT
        for doc in quantities:
            lifts[doc] = lifts.get(doc, 0.0) + QUANTITY_LIFT
        return Adjustments(scope, priors, lifts, factors, frozenset(quantities))

    def _priors(self, factors: tuple[tuple[str, float], ...]) -> dict[int, float]:
        """Return the factor of every document whose kind has one (the rest keep 1)."""
        priors: dict[int, float] = {}
        for kind, factor in factors:
            priors.update(dict.fromkeys(docnums_of(self.by_kind[kind]), factor))
        return priors


def lift_reasons(
    understanding: Understanding, entry: Entry, answered: bool, answer: bool, quantity: bool = False
) -> list[tuple[str, float]]:
    """Say why an entry's score was lifted, matching `PriorTable.adjust`.

    `answered`: the query got an answer; `answer`: this entry is one it rests on;
    `quantity`: it gives a number of what a "how many" question asks about.
    """
    reasons = [
        (f"its own entry for {area}", SUBJECT_LIFT)
        for area in understanding.areas
        if area in entry.areas and entry.kind in OWN_KINDS
    ]
    if entry.kind in understanding.kinds:
        reasons.append((f"a kind named in the query ({entry.kind})", SUBJECT_LIFT))
    if not answered and entry.kind in STRUCTURAL_KINDS & understanding.asks_for:
        reasons.append((f"a kind the query asks for ({entry.kind})", SUBJECT_LIFT))
    if answer:
        reasons.append(("the answer rests on it", SUBJECT_LIFT))
    if quantity:
        reasons.append(("it gives a number of what the question asks about", QUANTITY_LIFT))
    return reasons


def kind_factors(understanding: Understanding) -> dict[str, float]:
    """Return the score factor of each structural kind the query does not ask for."""
    asked = set(understanding.asks_for) | set(understanding.kinds)
    if understanding.wants_ratings:
        asked.add("rating")
    return {kind: factor for kind, factor in KIND_PRIORS.items() if kind not in asked}
