"""Whoosh's ranking, computed without scoring every match: sets first, then the top k.

Whoosh runs a query by walking a tree of Python matchers over every matching
document and scoring each one, so its cost grows with matches × clauses, and the
query builder's many clauses (every word in four fields, proximity phrases,
expansions) make that tens of milliseconds on the report and seconds at 100,000
entries. Here the compiled Whoosh query is read for what it means instead:

- which documents match: big-int bitsets, built from postings that are read once
  per term and cached (phrases are checked on positions only where membership is
  in doubt, i.e. where no cheaper clause already matched the document);
- what each match scores: a weighted sum of its leaves' scores — a term's BM25F,
  a phrase's terms where the phrase occurs, a constant — accumulated from the
  cached postings; phrase bonuses are bounded from above, so only the documents
  that can reach the requested page have their phrases checked.

Scores are Whoosh's own: term scores come from Whoosh's scorer (its `bm25`, idf,
average and quantised field lengths); phrases are matched with the span rule of
Whoosh's `SpanNear2` on the positions the analyzer gave (the forward index, or the
postings); a query type not listed here is run by Whoosh itself.
`tests/query/test_ranker.py` checks rankings against `Searcher.search(limit=None)`. One
difference: an excluded clause (`-word`) is applied to every match, where Whoosh's
AndNotMatcher lets the first match through unchecked when the excluded side starts
earlier (`_find_first`).
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.query.spans import Span, bisect_spans

from search.query.engine.bitsets import docnums_of, mask_of
from search.query.engine.postings import EMPTY, POSTINGS_BUDGET, Postings, PostingsCache, Segments

SAFETY = 1 + 1e-9  # float sums in another order may differ in the last bit


def phrase_occurs(positions: list[list[int]], slop: int) -> bool:
    """Tell whether the words occur in order within `slop` (Whoosh's SpanNear2 rule)."""
    aspans = [Span(p) for p in positions[0]]
    for word_positions in positions[1:]:
        if not aspans:
            return False
        bspans = [Span(p) for p in word_positions]
        spans = set()
        for aspan in aspans:
            j = bisect_spans(bspans, aspan.start)
            while j < len(bspans):
                bspan = bspans[j]
                j += 1
                if bspan.end < aspan.start - slop or aspan.start > bspan.start:
                    continue
                if bspan.start > aspan.end + slop:
                    break
                if 1 <= aspan.distance_to(bspan) <= slop:
                    spans.add(aspan.to(bspan))
        aspans = sorted(spans)
    return bool(aspans)


@dataclass
class PhraseState:
    """A phrase in one field: candidates from its terms, and what checking them found."""

    query: wq.Phrase
    terms: list[Postings]
    texts: list[bytes | None]
    candidates: int
    checked: set[int] = field(default_factory=set)
    matching: set[int] = field(default_factory=set)
    _bits: bytes | None = None

    def is_candidate(self, doc: int) -> bool:
        """Tell whether a document has every word of the phrase (a byte lookup, not a shift)."""
        if self._bits is None:
            self._bits = self.candidates.to_bytes((self.candidates.bit_length() + 7) >> 3, "little")
        byte = doc >> 3
        return byte < len(self._bits) and bool(self._bits[byte] >> (doc & 7) & 1)

    def unknown(self, doc: int) -> bool:
        """Tell whether the phrase may occur in a document but was not checked there."""
        return doc not in self.checked and self.is_candidate(doc)

    def check(self, run: QueryRun, docs: list[int]) -> None:
        """Check the phrase in the given documents (ascending), remembering the answers."""
        todo = [d for d in docs if self.unknown(d)]
        if not todo:
            return
        words = self.query.words
        fieldname = self.query.fieldname
        if fieldname in run.fields:
            for doc in todo:
                if phrase_occurs(run.positions_of(fieldname, doc, words), self.query.slop):
                    self.matching.add(doc)
        else:
            matchers: dict[int, list] = {}
            for doc in todo:
                sub, local = run.segments.locate(doc)
                if id(sub) not in matchers:
                    reader = sub.reader()
                    matchers[id(sub)] = [reader.postings(fieldname, t) for t in self.texts]
                positions = []
                for m in matchers[id(sub)]:
                    m.skip_to(local)
                    positions.append(m.value_as("positions"))
                if phrase_occurs(positions, self.query.slop):
                    self.matching.add(doc)
        self.checked.update(todo)


@dataclass
class PhraseLeaf:
    """A phrase's place in the score: its state and the weight of its path."""

    state: PhraseState
    weight: float

    @property
    def bound(self) -> float:
        """Return the most the phrase can add to any document's score."""
        return self.weight * self.state.query.boost * sum(t.top for t in self.state.terms) * SAFETY

    def if_present(self, doc: int) -> float:
        """Return what the phrase adds to a document's score if it occurs there."""
        return self.weight * self.state.query.boost * sum(t.score_of(doc) for t in self.state.terms)

    def score_of(self, doc: int) -> float:
        """Return the phrase's contribution to a checked document."""
        return self.if_present(doc) if doc in self.state.matching else 0.0

    def ceiling(self, doc: int) -> float:
        """Return the most the phrase can add to one document, given what is known."""
        state = self.state
        return self.if_present(doc) if doc in state.matching or state.unknown(doc) else 0.0


@dataclass
class Scored:
    """A leaf whose every match and score is known: a term, a constant, a Whoosh-run query."""

    ids: array | list
    scores: array | list | None
    constant: float
    weight: float


@dataclass
class Ranking:
    """The documents a query matches and, on demand, its best documents with scores."""

    run: QueryRun
    matched: int

    def top(self, docs: int, k: int) -> list[tuple[int, float]]:
        """Return the k best of the documents in a bitset, best first, ties in document order."""
        return self.run.top(docs, k)

    def scores(self, docs: list[int]) -> list[float]:
        """Return the exact scores of some matching documents."""
        return self.run.exact(docs)


@dataclass
class QueryRun:
    """One query against one index: its leaves, with what was learnt about them."""

    cache: PostingsCache
    segments: Segments
    doc_count: int
    fields: frozenset[str] = frozenset()
    positions_of: Callable[[str, int, tuple[str, ...]], list[list[int]]] | None = None
    scored: list[Scored] = field(default_factory=list)
    phrases: list[PhraseLeaf] = field(default_factory=list)
    _phrase_of: dict[int, PhraseState] = field(default_factory=dict)
    _postings_of: dict[int, Postings] = field(default_factory=dict)
    _whoosh_run: dict[int, tuple[array, array]] = field(default_factory=dict)
    _base: list[float] | None = None
    # A document's score is multiplied by its prior (1 for documents not listed), then its
    # lift is added: a factor that is never negative keeps every bound an upper bound.
    priors: dict[int, float] | None = None
    lifts: dict[int, float] | None = None

    def prior(self, doc: int) -> float:
        """Return the factor a document's score is multiplied by."""
        return 1.0 if self.priors is None else self.priors.get(doc, 1.0)

    @property
    def everything(self) -> int:
        return (1 << self.doc_count) - 1

    # -- membership ---------------------------------------------------------------

    def postings(self, q: wq.Term) -> Postings:
        """Return a term's postings, looked up once per query object (explanations ask again)."""
        found = self._postings_of.get(id(q))
        if found is None:
            found = self._postings_of[id(q)] = self.lookup(q)
        return found

    def lookup(self, q: wq.Term) -> Postings:
        schema = self.segments.searcher.schema
        if q.fieldname not in schema:
            return EMPTY
        try:
            text = schema[q.fieldname].to_bytes(q.text)
        except ValueError:
            return EMPTY
        return self.cache.get(self.segments, q.fieldname, text)

    def phrase(self, q: wq.Phrase) -> PhraseState:
        """Return the state of a phrase query, made once per query object."""
        state = self._phrase_of.get(id(q))
        if state is None:
            fieldtype = self.segments.searcher.schema[q.fieldname]
            texts, terms = [], []
            for word in q.words:
                try:
                    text = fieldtype.to_bytes(word)
                except ValueError:
                    text = None
                terms.append(self.cache.get(self.segments, q.fieldname, text) if text else EMPTY)
                texts.append(text)
            candidates = self.everything
            for term in terms:
                candidates &= term.mask
            state = self._phrase_of[id(q)] = PhraseState(q, terms, texts, candidates)
        return state

    def has_positions(self, q: wq.Phrase) -> bool:
        """Tell whether a phrase can be checked here (else Whoosh runs it, and says why not)."""
        schema = self.segments.searcher.schema
        return q.fieldname in schema and bool(schema[q.fieldname].format.supports("positions"))

    def mask(self, q: wq.Query, care: int) -> int:
        """Return the documents matching q; exact within `care`, a superset outside it."""
        if isinstance(q, wq.Term):
            return self.postings(q).mask
        if isinstance(q, wq.Phrase) and self.has_positions(q):
            state = self.phrase(q)
            doubtful = state.candidates & care
            if doubtful:
                state.check(self, docnums_of(doubtful))
            return mask_of(state.matching) | (state.candidates & ~care)
        if isinstance(q, wq.Or):
            found = 0
            for sub in sorted(q.subqueries, key=has_phrase):
                # A document another clause already matched needs no phrase check.
                found |= self.mask(sub, care & ~found)
            return found
        if isinstance(q, wq.And):
            found = care
            for sub in q.subqueries:
                found &= self.mask(sub, care & found)
            return found
        if is_term_max(q):
            found = 0
            for sub in q.subqueries:
                found |= self.postings(sub).mask
            return found
        if isinstance(q, wq.AndMaybe):
            return self.mask(q.a, care)
        if isinstance(q, wq.AndNot):
            positive = self.mask(q.a, care)
            return positive & ~self.mask(q.b, care & positive)
        if isinstance(q, wq.ConstantScoreQuery):
            return self.mask(q.child, care)
        if is_every(q):
            return self.everything
        if q is wq.NullQuery:
            return 0
        return mask_of(self.run_whoosh(q)[0])

    def run_whoosh(self, q: wq.Query) -> tuple[array, array]:
        """Run a query Whoosh's way, once: every match and its score."""
        found = self._whoosh_run.get(id(q))
        if found is None:
            ids, scores = array("i"), array("d")
            context = self.segments.searcher.context()
            for sub, offset in self.segments.leaves:
                m = q.matcher(sub, context)
                while m.is_active():
                    ids.append(m.id() + offset)
                    scores.append(m.score())
                    m.next()
            found = self._whoosh_run[id(q)] = (ids, scores)
        return found

    def term_max(self, q: wq.DisjunctionMax) -> tuple[list[int], list[float]]:
        """Return every document a word's terms match, with its best field's boosted score."""
        best: dict[int, float] = {}
        for sub in q.subqueries:
            p = self.postings(sub)
            boost = sub.boost
            for d, score in zip(p.ids, p.scores, strict=True):
                value = boost * score
                if value > best.get(d, 0.0):
                    best[d] = value
        ids = sorted(best)
        return ids, [best[d] for d in ids]

    # -- one document, clause by clause (explanations) --------------------------------

    def contribution(self, q: wq.Query, doc: int, weight: float = 1.0) -> tuple[float, dict[str, float]]:
        """Return what q adds to one document's score before its prior, and how much per field.

        The same arithmetic as the ranking, one document at a time: a term's BM25F,
        a phrase's terms where it occurs, a constant where its child matches.
        """
        boost = getattr(q, "boost", 1.0)
        if isinstance(q, wq.Term):
            score = weight * q.boost * self.postings(q).score_of(doc)
            return score, ({q.fieldname: score} if score else {})
        if isinstance(q, wq.Phrase) and self.has_positions(q):
            state = self.phrase(q)
            state.check(self, [doc])
            score = PhraseLeaf(state, weight).score_of(doc)
            return score, ({q.fieldname: score} if score else {})
        if is_term_max(q):
            best, field = 0.0, None
            for sub in q.subqueries:
                score = weight * sub.boost * self.postings(sub).score_of(doc)
                if score > best:
                    best, field = score, sub.fieldname
            return best, ({field: best} if field else {})
        if isinstance(q, (wq.Or, wq.And, wq.AndMaybe, wq.AndNot)):
            # An Or adds what its matching children add (the others add nothing); the
            # rest add nothing unless they match as a whole.
            if not isinstance(q, wq.Or) and not self.mask(q, 1 << doc) >> doc & 1:
                return 0.0, {}
            subs = {wq.AndMaybe: lambda: [q.a, q.b], wq.AndNot: lambda: [q.a]}.get(type(q), q.children)()
            total, fields = 0.0, {}
            for sub in subs:
                part, by_field = self.contribution(
                    sub, doc, weight * (1.0 if isinstance(q, (wq.AndMaybe, wq.AndNot)) else boost)
                )
                total += part
                for name, value in by_field.items():
                    fields[name] = fields.get(name, 0.0) + value
            return total, fields
        if isinstance(q, wq.ConstantScoreQuery):
            matches = self.mask(q.child, 1 << doc) >> doc & 1
            return (weight * q.score, {}) if matches else (0.0, {})
        if is_every(q):
            return weight * q.boost, {}
        if q is wq.NullQuery:
            return 0.0, {}
        ids, scores = self.run_whoosh(q)
        found = dict(zip(ids, scores, strict=True)).get(doc, 0.0) * weight
        return found, {}

    # -- scores ---------------------------------------------------------------------

    def collect(self, q: wq.Query, weight: float, gated: bool) -> None:
        """Split q's score into weighted leaves.

        A score is a sum over the leaves that match, except under an And (all or
        nothing) — linear only where the documents scored are known to match it
        ("gated": the root, and the required side of AndMaybe and AndNot).
        """
        boost = getattr(q, "boost", 1.0)
        if isinstance(q, wq.Term):
            p = self.postings(q)
            self.scored.append(Scored(p.ids, p.scores, 0.0, weight * q.boost))
        elif isinstance(q, wq.Phrase) and self.has_positions(q):
            self.phrases.append(PhraseLeaf(self.phrase(q), weight))
        elif is_term_max(q):
            ids, scores = self.term_max(q)
            self.scored.append(Scored(ids, scores, 0.0, weight))
        elif isinstance(q, wq.Or) and not (q.minmatch or q.scale):
            for sub in q.subqueries:
                self.collect(sub, weight * boost, gated=False)
        elif isinstance(q, wq.And) and gated:
            for sub in q.subqueries:
                self.collect(sub, weight * boost, gated=True)
        elif isinstance(q, wq.AndMaybe) and gated and boost == 1.0:
            self.collect(q.a, weight, gated=True)
            self.collect(q.b, weight, gated=False)
        elif isinstance(q, wq.AndNot) and gated and boost == 1.0:
            self.collect(q.a, weight, gated=True)
        elif isinstance(q, wq.ConstantScoreQuery):
            # Whoosh gives each match the constant (a ListMatcher of all_weights=score).
            self.scored.append(Scored(docnums_of(self.mask(q.child, self.everything)), None, q.score, weight))
        elif is_every(q):
            self.scored.append(Scored(range(self.doc_count), None, q.boost, weight))
        elif q is wq.NullQuery:
            return
        else:
            ids, scores = self.run_whoosh(q)
            self.scored.append(Scored(ids, scores, 0.0, weight))

    def base(self) -> list[float]:
        """Return every document's score from its fully known leaves."""
        if self._base is None:
            acc = [0.0] * self.doc_count
            for leaf in self.scored:
                w = leaf.weight
                if leaf.scores is None:
                    value = leaf.constant * w
                    for d in leaf.ids:
                        acc[d] += value
                else:
                    for d, s in zip(leaf.ids, leaf.scores, strict=True):
                        acc[d] += s * w
            for doc, prior in (self.priors or {}).items():
                acc[doc] *= prior
            for doc, lift in (self.lifts or {}).items():
                acc[doc] += lift
            self._base = acc
        return self._base

    def exact(self, docs: list[int]) -> list[float]:
        """Return the exact scores of documents that match the query."""
        docs_sorted = sorted(docs)
        for leaf in self.phrases:
            leaf.state.check(self, docs_sorted)
        base = self.base()
        return [base[d] + self.prior(d) * sum(leaf.score_of(d) for leaf in self.phrases) for d in docs]

    def ceiling(self, doc: int) -> float:
        """Return the most a document can score: unchecked phrases counted as present."""
        return self.base()[doc] + self.prior(doc) * sum(leaf.ceiling(doc) for leaf in self.phrases)

    def top(self, docs: int, k: int) -> list[tuple[int, float]]:
        """Return the k best documents of a bitset with their scores, ties in document order.

        Without phrases this is a plain top k of the accumulated scores. With them,
        documents come off a heap in order of a loose bound (each candidate phrase at
        its largest possible score), are given a tight bound (each candidate phrase at
        its score in that document) and are checked, best tight bound first, until no
        unchecked document's bound can reach the k-th exact score.
        """
        candidates = docnums_of(docs)
        if k <= 0 or not candidates:
            return []
        base = self.base()
        if not self.phrases:
            return [(d, base[d]) for d in heapq.nlargest(k, candidates, key=base.__getitem__)]
        if k >= len(candidates):
            # Every match is wanted (a download): score them all, no bounds to keep.
            scored = sorted(
                zip(self.exact(candidates), candidates, strict=True), key=lambda sd: (-sd[0], sd[1])
            )
            return [(d, score) for score, d in scored]
        loose = list(base)
        for leaf in self.phrases:
            state, most = leaf.state, leaf.bound
            absent = state.checked - state.matching
            for d in docnums_of(state.candidates & docs):
                if d not in absent:
                    loose[d] += most * self.prior(d)
        by_loose = [(-loose[d], d) for d in candidates]
        heapq.heapify(by_loose)
        by_ceiling: list[tuple[float, int]] = []
        best: list[tuple[float, int]] = []  # the k best so far: a min-heap of (score, -doc)
        batch = max(k, 16)
        while by_loose or by_ceiling:
            kth = best[0][0] if len(best) == k else float("-inf")
            next_loose = -by_loose[0][0] if by_loose else float("-inf")
            next_ceiling = -by_ceiling[0][0] if by_ceiling else float("-inf")
            if max(next_loose, next_ceiling) < kth:
                break  # no unchecked document can reach the k-th score
            if next_loose >= next_ceiling:
                for _ in range(min(batch, len(by_loose))):
                    _, d = heapq.heappop(by_loose)
                    heapq.heappush(by_ceiling, (-self.ceiling(d), d))
                continue
            chosen = [heapq.heappop(by_ceiling)[1] for _ in range(min(batch, len(by_ceiling)))]
            for d, score in zip(chosen, self.exact(chosen), strict=True):
                if len(best) < k:
                    heapq.heappush(best, (score, -d))
                elif (score, -d) > best[0]:
                    heapq.heapreplace(best, (score, -d))
        return [(-d, score) for score, d in sorted(best, reverse=True)]


def has_phrase(q: wq.Query) -> bool:
    """Tell whether a query holds a phrase (checked last, on what is still in doubt)."""
    if isinstance(q, wq.Phrase):
        return True
    return any(has_phrase(sub) for sub in q.children()) if q.children() else False


def is_term_max(q: wq.Query) -> bool:
    """Tell whether q takes the best of some terms (a word over its fields), unboosted itself."""
    return (
        isinstance(q, wq.DisjunctionMax)
        and q.boost == 1.0
        and bool(q.subqueries)
        and all(isinstance(sub, wq.Term) for sub in q.subqueries)
    )


def is_every(q: wq.Query) -> bool:
    return isinstance(q, wq.Every) and q.fieldname in (None, "", "*")


class Ranker:
    """Run compiled Whoosh queries against one open index with a shared postings cache.

    `positions(field, doc, words)` gives where each word stands in a document's field,
    for the `fields` it knows (from the forward index, or the text re-analysed);
    phrases in other fields are checked on Whoosh's postings.
    """

    def __init__(
        self,
        weighting,
        doc_count: int,
        positions: Callable[[str, int, tuple[str, ...]], list[list[int]]] | None = None,
        fields: tuple[str, ...] = (),
        budget: int = POSTINGS_BUDGET,
    ):
        self.cache = PostingsCache(weighting, budget)
        self.doc_count = doc_count
        self.positions = positions
        self.fields = frozenset(fields) if positions is not None else frozenset()

    def postings_mask(self, searcher, fieldname: str, text: str) -> int:
        """Return the documents whose field holds a term (from the shared postings cache)."""
        return (
            QueryRun(self.cache, Segments(searcher), self.doc_count).postings(wq.Term(fieldname, text)).mask
        )

    def run(
        self,
        q: wq.Query,
        searcher,
        care: int,
        priors: dict[int, float] | None = None,
        lifts: dict[int, float] | None = None,
    ) -> Ranking:
        """Return the documents q matches (exact within `care`) and a way to rank them.

        `priors`, non-negative factors by document, multiply those documents' scores;
        `lifts` are then added to those of some documents.
        """
        run = QueryRun(
            self.cache,
            Segments(searcher),
            self.doc_count,
            self.fields,
            self.positions,
            priors=priors,
            lifts=lifts,
        )
        matched = run.mask(q, care) & care
        run.collect(q, 1.0, gated=True)
        return Ranking(run, matched)
