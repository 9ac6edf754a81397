"""The learned order: the engine's first candidates put in the order of `corpus/ordering.json`.

The engine ranks by its clauses, priors and lifts; the model then reorders its first
candidates (30) by what it learned from the tuning judgments about which of them
readers judge relevant: how much of the query each covers and where, how long it is,
its kind, its themes, and the engine's own score and rank among them. What follows the
candidates keeps the engine's order, and so does a query that says itself what comes
first (`Reorderer.applies`). The features are `search.curated.ordering.FEATURES`, computed here
and nowhere else: `search.bench.learn` learns the model from these same rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from search.curated.ordering import FEATURES, QUESTIONS, OrderModel
from search.models import KINDS, Entry
from search.query.clauses import Clause
from search.query.lexicon import Lexicon
from search.query.nodes import Term
from search.query.pipeline import PreparedQuery
from search.text.analysis import stems
from search.text.wordstats import WordStatistics

# How many entries' word counts are kept between searches (each is worked out on first use).
FACTS_KEPT = 1024
COLUMN = {name: n for n, name in enumerate(FEATURES)}
KIND_COLUMN = {kind: COLUMN[f"kind:{kind}"] for kind in KINDS}
QUESTION_COLUMN = {q: COLUMN[f"question:{q or 'none'}"] for q in QUESTIONS}
# The columns that depend on the query and the candidate both, in the order `rows` gives them.
DYNAMIC = [
    COLUMN[name]
    for name in (
        "rank",
        "score_share",
        "covered",
        "covered_weighted",
        "covered_in_title",
        "density",
        "first_match",
        "area_match",
        "themes_matched",
        "kind_match",
    )
]


@dataclass(frozen=True)
class EntryFacts:
    """What the features read of one entry: each stem's count and first place in its text, its
    title's stems, its length (at least 1), and its own columns (length, Areas, kind)."""

    counts: dict[str, int]
    first: dict[str, int]
    length: int
    title: frozenset[str]
    areas: frozenset[str]
    themes: frozenset[str]
    kind: str
    row: np.ndarray


@dataclass(frozen=True)
class QueryFacts:
    """What the features read of a query, once for all its candidates."""

    topic: tuple[str, ...]
    weights: dict[str, float]
    themes: frozenset[str]
    row: np.ndarray  # the query's own columns, filled in; the candidate's are added to a copy


class Reorderer:
    """Puts a search's first candidates in the learned order."""

    def __init__(self, model: OrderModel, features: CandidateFeatures):
        self.model = model
        self.features = features

    @property
    def candidates(self) -> int:
        """How many of the engine's first candidates the model orders."""
        return self.model.candidates

    @staticmethod
    def applies(prepared: PreparedQuery) -> bool:
        """Tell whether the learned order orders a query's candidates: a query of plain words.

        Not where the query says itself what comes first (an answer's rows, a kind of entry
        it names or asks for, "good practice", "ratings", a section, "part c"), which the
        engine's lifts put first, nor where it uses the query syntax (a quoted phrase, a
        prefix or fuzzy word, a word required or excluded, a field), which says exactly what
        to find.
        """
        u, plan = prepared.understanding, prepared.plan
        operators = (plan.phrases, plan.prefixes, plan.fuzzy, plan.required, plan.excluded, plan.filters)
        return prepared.answer is None and not (u.kinds or u.asks_for or u.sections or any(operators))

    def order(self, prepared: PreparedQuery, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """Return the ranked (document, score) pairs with the first candidates in the learned order."""
        head, tail = ranked[: self.candidates], ranked[self.candidates :]
        if len(head) < 2:
            return ranked
        scores = self.model.score(self.features.rows(prepared, head))
        # Best first; a tie keeps the engine's order (a stable sort).
        return [head[n] for n in np.argsort(-scores, kind="stable")] + tail


class CandidateFeatures:
    """The features of a query's candidates (FEATURES), over one build's entries."""

    def __init__(self, entries: Sequence[Entry], words: WordStatistics, lexicon: Lexicon):
        self.entries = entries
        self.words = words
        self.lexicon = lexicon
        self.facts = lru_cache(maxsize=FACTS_KEPT)(self.entry_facts)

    def rows(self, prepared: PreparedQuery, ranked: list[tuple[int, float]]) -> np.ndarray:
        """Return the features of each candidate, in FEATURES order (candidates × features)."""
        understanding = prepared.understanding
        query = self.query_facts(prepared, clause_themes(prepared.compiled.clauses))
        weighted = tuple(query.weights.items())  # each topic stem and its weight
        total = sum(query.weights.values()) or 1.0
        size = max(1, len(weighted))
        areas, kinds, themes = frozenset(understanding.areas), frozenset(understanding.kinds), query.themes
        # The score as a result reports it (four places), as the model learnt it.
        best = round(ranked[0][1], 4) if ranked else 0.0
        dynamic, static = [], []
        for n, (doc, score) in enumerate(ranked, start=1):
            facts = self.facts(doc)
            counts, title, first, length = facts.counts, facts.title, facts.first, facts.length
            held = in_title = occurrences = 0
            weight = 0.0
            earliest = length
            for s, w in weighted:
                count = counts.get(s, 0)
                if count:
                    occurrences += count
                    earliest = min(earliest, first[s])
                if s in title:
                    in_title += 1
                if count or s in title:
                    held += 1
                    weight += w
            dynamic.append(
                (
                    n,
                    round(score, 4) / best if best else 0.0,
                    held / size,
                    weight / total,
                    in_title / size,
                    occurrences / length,
                    earliest / length,
                    1.0 if areas and not areas.isdisjoint(facts.areas) else 0.0,
                    len(themes & facts.themes) if themes else 0,
                    1.0 if facts.kind in kinds else 0.0,
                )
            )
            static.append(facts.row)
        rows = np.array(static)
        rows += query.row
        rows[:, DYNAMIC] = dynamic
        return rows

    def query_facts(self, prepared: PreparedQuery, themes: frozenset[str]) -> QueryFacts:
        """Return a query's topic stems, their weights by rarity, and its own columns.

        The words are read as searched: an acronym as itself in any form ("ptphs" as PTPH),
        and a word the report never uses that stands for nothing (`missing`) not at all.
        """
        understanding = prepared.understanding
        used = [
            (w.topical, self.stems_of(w.text)) for w in understanding.words if w.text not in prepared.missing
        ]
        topic = tuple(dict.fromkeys(s for topical, found in used if topical for s in found))
        said = tuple(dict.fromkeys(s for _, found in used for s in found))
        entries = max(1, self.words.entries)
        weights = {s: math.log((entries + 1) / (self.words.documents.get(s, 1) + 0.5)) for s in topic}
        row = np.zeros(len(FEATURES))
        row[COLUMN["topic_words"]] = len(topic)
        row[COLUMN["words"]] = len(said)
        row[COLUMN["foreign_words"]] = sum(1 for s in said if s not in self.lexicon.indexed_stems)
        row[COLUMN["areas_named"]] = len(understanding.areas)
        row[COLUMN["themes_signalled"]] = len(themes)
        row[COLUMN["kinds_named"]] = len(understanding.kinds)
        row[QUESTION_COLUMN.get(understanding.question, QUESTION_COLUMN[""])] = 1.0
        return QueryFacts(topic, weights, themes, row)

    def stems_of(self, word: str) -> list[str]:
        """Return a query word's stems; an acronym's are its own, however typed."""
        acronym = self.lexicon.acronym(word)
        return stems(acronym.acronym if acronym else word)

    def entry_facts(self, doc: int) -> EntryFacts:
        """Count an entry's stems, note where each first stands, and fill in its own columns."""
        entry = self.entries[doc]
        counts: dict[str, int] = {}
        first: dict[str, int] = {}
        sequence = stems(entry.text)
        for n, s in enumerate(sequence):
            counts[s] = counts.get(s, 0) + 1
            first.setdefault(s, n)
        length = max(1, len(sequence))
        row = np.zeros(len(FEATURES))
        row[COLUMN["log_length"]] = math.log(length)
        row[COLUMN["entry_areas"]] = len(entry.areas)
        row[KIND_COLUMN[entry.kind]] = 1.0
        title = frozenset(stems(entry.title))
        return EntryFacts(
            counts, first, length, title, frozenset(entry.areas), frozenset(entry.themes), entry.kind, row
        )


def clause_themes(clauses: Sequence[Clause]) -> frozenset[str]:
    """Return the themes a query's theme clauses find or lift: those the engine read in its words."""
    return frozenset(
        leaf.text
        for clause in clauses
        if clause.theme
        for leaf in clause.query.leaves()
        if isinstance(leaf, Term) and leaf.fieldname == "themes"
    )
