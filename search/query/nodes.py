"""The query representation the compiler emits: small nodes that match and score themselves.

Like Whoosh's `Query.matcher()`, behaviour lives on the node. Every node, given a
`QueryRun` (one query against one build: `search.query.engine.ranking`), can give

- `bitset(run, care)`: the documents it matches, exact within `care` and a superset
  outside it (a phrase is checked on positions only where it matters);
- `candidates(run)`: the documents it may match, without checking any phrase;
- `add_leaves(run, weight, gated)`: its score split into leaves the run accumulates —
  a term's BM25F, a phrase's terms where it occurs, a constant — or, where the score is
  not a sum (an And that is not known to match), its matches with their exact scores;
- `contribution(run, doc)`: what it adds to one document's score, and how much per field
  (explanations);
- `to_whoosh()`: the same query in Whoosh, for the tests' oracle, which ranks it with
  Whoosh itself and checks the engine gives the same matches, order and scores.

Kinds: `Term`, `Phrase`, `BestOf` (a word over its fields: the best field counts), `Or`,
`And`, `AndMaybe` (required, with optional clauses that only add), `AndNot`, `Constant`
(a constant score wherever its child matches) and `Every` (a filter every document
passes, each scored alike). Nodes are frozen values: equal queries are equal nodes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from whoosh import query as wq
from whoosh.matching import DisjunctionMaxMatcher

from search.query.engine.bitsets import docnums_of


def sum_fields(parts: Iterable[tuple[float, dict[str, float]]]) -> tuple[float, dict[str, float]]:
    """Return the sum of several contributions, field by field (a part adding nothing is passed over)."""
    total, fields = 0.0, {}
    for part, by_field in parts:
        if not part:
            continue
        total += part
        for name, value in by_field.items():
            fields[name] = fields.get(name, 0.0) + value
    return total, fields


class Node:
    """A query node; see the module's docstring for what each method gives."""

    boost: float = 1.0

    @cached_property
    def has_phrase(self) -> bool:
        """Tell whether the node holds a phrase (checked last, on what is still in doubt)."""
        return any(child.has_phrase for child in self.children)

    @property
    def children(self) -> tuple[Node, ...]:
        """The nodes this one is made of (none for a leaf)."""
        return ()

    def leaves(self):
        """Yield the nodes at the tips of the tree: terms, phrases, filters."""
        if not self.children:
            yield self
        for child in self.children:
            yield from child.leaves()

    def candidates(self, run) -> int:
        """Return every document the node may match, no phrase checked (a leaf: its bitset so)."""
        return self.bitset(run, 0)

    def matches(self, run, doc: int) -> bool:
        """Tell whether the node matches one document."""
        return bool(self.bitset(run, 1 << doc) >> doc & 1)

    def add_leaves(self, run, weight: float, gated: bool) -> None:
        """Add the node's matches with their exact scores: for a node whose score is no plain sum."""
        ids = docnums_of(self.bitset(run, run.everything))
        run.add_scored(ids, [self.contribution(run, d)[0] for d in ids], 0.0, weight)

    def bitset(self, run, care: int) -> int:
        """Return the documents matched: exact within `care`, a superset outside it."""
        raise NotImplementedError

    def contribution(self, run, doc: int, weight: float = 1.0) -> tuple[float, dict[str, float]]:
        """Return what the node adds to one document's score, in all and per field."""
        raise NotImplementedError

    def to_whoosh(self) -> wq.Query:
        """Return the same query in Whoosh (the tests' oracle ranks it)."""
        raise NotImplementedError


@dataclass(frozen=True, eq=True)
class Term(Node):
    """A word (a stem, or a keyword field's value) in one field."""

    fieldname: str
    text: str
    boost: float = 1.0

    @cached_property
    def has_phrase(self) -> bool:
        return False

    def bitset(self, run, care: int) -> int:
        return run.postings(self).mask

    def contribution(self, run, doc: int, weight: float = 1.0) -> tuple[float, dict[str, float]]:
        postings = run.postings(self)
        if not postings.mask >> doc & 1:
            return 0.0, {}
        score = weight * self.boost * postings.score_of(doc)
        return score, ({self.fieldname: score} if score else {})

    def add_leaves(self, run, weight: float, gated: bool) -> None:
        p = run.postings(self)
        run.add_scored(p.ids, p.scores, 0.0, weight * self.boost)

    def to_whoosh(self) -> wq.Query:
        return wq.Term(self.fieldname, self.text, boost=self.boost)


@dataclass(frozen=True, eq=True)
class Phrase(Node):
    """Words in order in one field, at most `slop` positions apart (1: adjacent)."""

    fieldname: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0

    @cached_property
    def has_phrase(self) -> bool:
        return True

    def bitset(self, run, care: int) -> int:
        state = run.phrase(self)
        doubtful = state.candidates & care
        if doubtful:
            state.check(run, docnums_of(doubtful))
        return state.matched | (state.candidates & ~care)

    def candidates(self, run) -> int:
        return run.phrase(self).candidates

    def contribution(self, run, doc: int, weight: float = 1.0) -> tuple[float, dict[str, float]]:
        state = run.phrase(self)
        state.check(run, [doc])
        score = run.phrase_leaf(state, weight * self.boost).score_of(doc)
        return score, ({self.fieldname: score} if score else {})

    def add_leaves(self, run, weight: float, gated: bool) -> None:
        run.add_phrase(run.phrase(self), weight * self.boost)

    def to_whoosh(self) -> wq.Query:
        return wq.Phrase(self.fieldname, list(self.words), slop=self.slop, boost=self.boost)


@dataclass(frozen=True, eq=True)
class Clauses(Node):
    """A node over several clauses, with a boost: what `BestOf`, `Or` and `And` share."""

    clauses: tuple[Node, ...]
    boost: float = 1.0

    @property
    def children(self) -> tuple[Node, ...]:
        return self.clauses


@dataclass(frozen=True, eq=True)
class BestOf(Clauses):
    """The best-scoring of a word's terms in several fields: a word is worth its best field."""

    clauses: tuple[Term, ...]

    @property
    def terms(self) -> tuple[Term, ...]:
        return self.clauses

    def bitset(self, run, care: int) -> int:
        return run.best_of(self).mask

    def contribution(self, run, doc: int, weight: float = 1.0) -> tuple[float, dict[str, float]]:
        best, found = 0.0, None
        weight = weight * self.boost
        for term in self.terms:
            score = weight * term.boost * run.postings(term).score_of(doc)
            if score > best:
                best, found = score, term.fieldname
        return best, ({found: best} if found else {})

    def add_leaves(self, run, weight: float, gated: bool) -> None:
        p = run.best_of(self)
        run.add_scored(p.ids, p.scores, 0.0, weight * self.boost)

    def to_whoosh(self) -> wq.Query:
        return WhooshBestOf([t.to_whoosh() for t in self.terms], boost=self.boost)


@dataclass(frozen=True, eq=True)
class Or(Clauses):
    """Any of the clauses; a match scores the sum of the clauses it matches."""

    def bitset(self, run, care: int) -> int:
        found = 0
        for clause in self.by_cost:
            # A document another clause already matched needs no phrase check.
            found |= clause.bitset(run, care & ~found)
        return found

    def candidates(self, run) -> int:
        found = 0
        for clause in self.clauses:
            found |= clause.candidates(run)
        return found

    @cached_property
    def by_cost(self) -> tuple[Node, ...]:
        """The clauses, those holding phrases last."""
        return tuple(sorted(self.clauses, key=lambda c: c.has_phrase))

    def contribution(self, run, doc: int, weight: float = 1.0) -> tuple[float, dict[str, float]]:
        return sum_fields(c.contribution(run, doc, weight * self.boost) for c in self.clauses)

    def add_leaves(self, run, weight: float, gated: bool) -> None:
        for clause in self.clauses:
            clause.add_leaves(run, weight * self.boost, gated=False)

    def to_whoosh(self) -> wq.Query:
        return wq.Or([c.to_whoosh() for c in self.clauses], boost=self.boost)


@dataclass(frozen=True, eq=True)
class And(Clauses):
    """Every clause; a match scores the sum of its clauses."""

    def bitset(self, run, care: int) -> int:
        found = care
        for clause in self.clauses:
            found &= clause.bitset(run, care & found)
        return found

    def candidates(self, run) -> int:
        found = run.everything
        for clause in self.clauses:
            found &= clause.candidates(run)
        return found

    def contribution(self, run, doc: int, weight: float = 1.0) -> tuple[float, dict[str, float]]:
        if not self.matches(run, doc):
            return 0.0, {}
        return sum_fields(c.contribution(run, doc, weight * self.boost) for c in self.clauses)

    def add_leaves(self, run, weight: float, gated: bool) -> None:
        if not gated:  # all or nothing: the sum holds only where the whole matches
            return super().add_leaves(run, weight, gated)
        for clause in self.clauses:
            clause.add_leaves(run, weight * self.boost, gated=True)

    def to_whoosh(self) -> wq.Query:
        return wq.And([c.to_whoosh() for c in self.clauses], boost=self.boost)


@dataclass(frozen=True, eq=True)
class AndMaybe(Node):
    """What `required` matches; `optional` adds to those documents' scores and matches nothing itself."""

    required: Node
    optional: Node

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.required, self.optional)

    def bitset(self, run, care: int) -> int:
        return self.required.bitset(run, care)

    def candidates(self, run) -> int:
        return self.required.candidates(run)

    def contribution(self, run, doc: int, weight: float = 1.0) -> tuple[float, dict[str, float]]:
        if not self.matches(run, doc):
            return 0.0, {}
        return sum_fields(c.contribution(run, doc, weight) for c in self.children)

    def add_leaves(self, run, weight: float, gated: bool) -> None:
        if not gated:
            return super().add_leaves(run, weight, gated)
        self.required.add_leaves(run, weight, gated=True)
        self.optional.add_leaves(run, weight, gated=False)

    def to_whoosh(self) -> wq.Query:
        return wq.AndMaybe(self.required.to_whoosh(), self.optional.to_whoosh())


@dataclass(frozen=True, eq=True)
class AndNot(Node):
    """What `positive` matches and `negative` does not, scored as `positive`.

    Every match is checked against the excluded side, where Whoosh's AndNotMatcher
    lets the first match through unchecked when the excluded side starts earlier.
    """

    positive: Node
    negative: Node

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.positive, self.negative)

    def bitset(self, run, care: int) -> int:
        positive = self.positive.bitset(run, care)
        return positive & ~self.negative.bitset(run, care & positive)

    def candidates(self, run) -> int:
        return self.positive.candidates(run)  # what the excluded side matches is not known unchecked

    def contribution(self, run, doc: int, weight: float = 1.0) -> tuple[float, dict[str, float]]:
        if not self.matches(run, doc):
            return 0.0, {}
        return self.positive.contribution(run, doc, weight)

    def add_leaves(self, run, weight: float, gated: bool) -> None:
        if not gated:
            return super().add_leaves(run, weight, gated)
        self.positive.add_leaves(run, weight, gated=True)

    def to_whoosh(self) -> wq.Query:
        return wq.AndNot(self.positive.to_whoosh(), self.negative.to_whoosh())


@dataclass(frozen=True, eq=True)
class Constant(Node):
    """The same score, `score`, for every document its child matches (Whoosh's ConstantScoreQuery)."""

    child: Node
    score: float = 1.0

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.child,)

    def bitset(self, run, care: int) -> int:
        return self.child.bitset(run, care)

    def candidates(self, run) -> int:
        return self.child.candidates(run)

    def contribution(self, run, doc: int, weight: float = 1.0) -> tuple[float, dict[str, float]]:
        return (weight * self.score, {}) if self.child.matches(run, doc) else (0.0, {})

    def add_leaves(self, run, weight: float, gated: bool) -> None:
        run.add_scored(docnums_of(self.child.bitset(run, run.everything)), None, self.score, weight)

    def to_whoosh(self) -> wq.Query:
        return wq.ConstantScoreQuery(self.child.to_whoosh(), self.score)


@dataclass(frozen=True, eq=True)
class Every(Node):
    """The filter every document passes, each scoring `boost` (the search's scope narrows it)."""

    boost: float = 1.0

    @cached_property
    def has_phrase(self) -> bool:
        return False

    def bitset(self, run, care: int) -> int:
        return run.everything

    def contribution(self, run, doc: int, weight: float = 1.0) -> tuple[float, dict[str, float]]:
        return weight * self.boost, {}

    def add_leaves(self, run, weight: float, gated: bool) -> None:
        run.add_scored(range(run.doc_count), None, self.boost, weight)

    def to_whoosh(self) -> wq.Query:
        return wq.Every(boost=self.boost)


class BestMatcher(DisjunctionMaxMatcher):
    """Whoosh's DisjunctionMaxMatcher, scoring only the sub-matchers on the current document.

    Whoosh 2.7's `score()` takes the max of both sides whenever both are active, even
    when one stands on a later document, so a document can take another's score.
    """

    def score(self):
        a, b = self.a, self.b
        if not a.is_active():
            return b.score()
        if not b.is_active():
            return a.score()
        if a.id() != b.id():
            return a.score() if a.id() < b.id() else b.score()
        return max(a.score(), b.score())


class WhooshBestOf(wq.DisjunctionMax):
    """`BestOf` in Whoosh: its DisjunctionMax, with the matcher fixed (see `BestMatcher`)."""

    def _matcher(self, subs, searcher, context):
        reader = searcher.reader()
        return self._tree_matcher(subs, BestMatcher, searcher, context, lambda q: q.estimate_size(reader))
