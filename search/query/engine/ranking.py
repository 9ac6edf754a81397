"""Whoosh's ranking, computed without scoring every match: sets first, then the top k.

Whoosh runs a query by walking a tree of Python matchers over every matching
document and scoring each one, so its cost grows with matches × clauses, and the
query builder's many clauses (every word in four fields, proximity phrases,
expansions) make that tens of milliseconds on the report and seconds at 100,000
entries. Here the compiled query (`search.query.nodes`) is read for what it means:

- which documents match: big-int bitsets, from postings read once per term and kept
  while the build is current (phrases are checked on positions only where
  membership is in doubt, i.e. where no cheaper clause already matched the document);
- what each match scores: a weighted sum of its leaves' scores — a term's BM25F,
  a phrase's terms where the phrase occurs, a constant — accumulated from the
  cached postings; phrase bonuses are bounded from above, so only the documents
  that can reach the requested page have their phrases checked.

Each node gives its own bitset, leaves and contribution; a `QueryRun` holds what one
query learns, and a `Ranker` what every query on the build shares: postings, a word's
best field over its terms, and what was learnt about each phrase. Scores are Whoosh's
own (its `bm25`, idf, average and quantised field lengths); phrases are matched with
the span rule of Whoosh's `SpanNear2`. `tests/query/test_ranker.py` checks rankings
against Whoosh's `Searcher.search(limit=None)` on each node's `to_whoosh()`. One
difference: an excluded clause (`-word`) is applied to every match, where Whoosh's
AndNotMatcher lets the first match through unchecked when the excluded side starts
earlier (`_find_first`).
"""

from __future__ import annotations

import heapq
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from search.query.engine.bitsets import docnums_of, mask_of
from search.query.engine.phrases import SAFETY, PhraseLeaf, PhraseState
from search.query.engine.postings import EMPTY, POSTINGS_BUDGET, Postings, PostingsCache, Segments
from search.query.nodes import BestOf, Node, Phrase, Term

# Phrases whose checked documents are kept per build (each holds its candidates' bitset).
PHRASES_KEPT = 2048


@dataclass
class Scored:
    """A leaf whose every match and score is known: a term, a word's best field, a constant."""

    ids: array | list | range
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
    """One query against one index: its leaves, with what was learnt about them.

    The nodes ask it for postings, phrase states and a word's best field (`postings`,
    `phrase`, `best_of`, all shared with every query on the build through the `Ranker`)
    and give it their score's leaves (`add_scored`, `add_phrase`).
    """

    ranker: Ranker
    segments: Segments
    doc_count: int
    fields: frozenset[str] = frozenset()
    positions_of: Callable[[str, int, tuple[str, ...]], list[list[int]]] | None = None
    scored: list[Scored] = field(default_factory=list)
    phrases: list[PhraseLeaf] = field(default_factory=list)
    _postings: dict[tuple[str, str], Postings] = field(default_factory=dict)
    # Phrase states and best fields by node id, each kept with its node (so no id is reused).
    _shared: dict[int, tuple[Node, PhraseState | Postings]] = field(default_factory=dict)
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

    # -- what the nodes ask for ------------------------------------------------------

    def postings(self, term: Term) -> Postings:
        """Return a term's postings (looked up once per query; explanations ask again)."""
        key = (term.fieldname, term.text)
        found = self._postings.get(key)
        if found is None:
            found = self._postings[key] = self.ranker.term_postings(self.segments, *key)
        return found

    def phrase(self, node: Phrase) -> PhraseState:
        """Return what is known of a phrase on this build (asked of the ranker once per query)."""
        found = self._shared.get(id(node))
        if found is None:
            found = self._shared[id(node)] = (node, self.ranker.phrase_state(self.segments, node))
        return found[1]

    def best_of(self, node: BestOf) -> Postings:
        """Return every document a word's terms match, with its best field's boosted score."""
        found = self._shared.get(id(node))
        if found is None:
            found = self._shared[id(node)] = (node, self.ranker.best_of(self, node))
        return found[1]

    def phrase_leaf(self, state: PhraseState, weight: float) -> PhraseLeaf:
        """Return a phrase's place in the score, for one document's contribution."""
        return PhraseLeaf(state, weight)

    def add_scored(self, ids, scores, constant: float, weight: float) -> None:
        """Add a leaf whose matches and scores are all known."""
        self.scored.append(Scored(ids, scores, constant, weight))

    def add_phrase(self, state: PhraseState, weight: float) -> None:
        """Add a phrase leaf, checked only where it can change the page (a phrase that no
        document holds every word of adds nothing anywhere, and is left out)."""
        if state.candidates:
            self.phrases.append(PhraseLeaf(state, weight))

    # -- scores ---------------------------------------------------------------------

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

        Without phrases this is a plain top k of the accumulated scores. With them, a
        document every phrase was already checked in (on this build, by any request) has
        its exact score at once; the others come off a heap in order of a loose bound
        (each unchecked phrase at its largest possible score), are given a tight bound
        (each unchecked phrase at its score in that document) and are checked, best tight
        bound first, until no unchecked document's bound can reach the k-th exact score.
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
        # Each document's phrases as far as they are known: the exact sum of those checked
        # (leaf by leaf, as `exact` adds them), and the most those not yet checked may add.
        # What is checked is read before what matched, which is set first.
        known: dict[int, float] = {}
        room: dict[int, float] = {}
        for leaf in self.phrases:
            state, weight = leaf.state, leaf.weight
            checked = state.checked_bits
            for d in docnums_of(state.matched & checked & docs):
                known[d] = known.get(d, 0) + weight * state.sum_of(d)
            unchecked = state.candidates & ~checked & docs
            if unchecked:
                most = leaf.bound
                for d in docnums_of(unchecked):
                    room[d] = room.get(d, 0.0) + most
        prior = self.prior
        # A document's exact score where every phrase was checked in it; otherwise a bound
        # (a known sum nudged up: sums in another order may differ in the last bit).
        bounds = [
            base[d] + prior(d) * (known.get(d, 0) * SAFETY + room[d])
            if d in room
            else base[d] + prior(d) * known.get(d, 0)
            for d in candidates
        ]
        if not room:
            order = heapq.nlargest(k, range(len(candidates)), key=bounds.__getitem__)
            return [(candidates[n], bounds[n]) for n in order]
        by_loose = [(-bound, d) for bound, d in zip(bounds, candidates, strict=True)]
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
                # A document every phrase was checked in is scored at once; the others wait
                # for their tight bound.
                scored, scores = [], []
                for _ in range(min(batch, len(by_loose))):
                    key, d = heapq.heappop(by_loose)
                    if d in room:
                        heapq.heappush(by_ceiling, (-self.ceiling(d), d))
                    else:
                        scored.append(d)
                        scores.append(-key)
                keep_best(best, k, scored, scores)
                continue
            chosen = [heapq.heappop(by_ceiling)[1] for _ in range(min(batch, len(by_ceiling)))]
            keep_best(best, k, chosen, self.exact(chosen))
        return [(-d, score) for score, d in sorted(best, reverse=True)]


def keep_best(best: list[tuple[float, int]], k: int, docs: list[int], scores: list[float]) -> None:
    """Keep the k best of scored documents in a min-heap of (score, −document)."""
    for d, score in zip(docs, scores, strict=True):
        if len(best) < k:
            heapq.heappush(best, (score, -d))
        elif (score, -d) > best[0]:
            heapq.heapreplace(best, (score, -d))


class Ranker:
    """Run compiled queries against one open index, sharing what queries learn while the build is current.

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
        self._phrases: OrderedDict[tuple, PhraseState] = OrderedDict()
        self._lock = threading.Lock()

    def term_postings(self, segments: Segments, fieldname: str, text: str) -> Postings:
        """Return a term's postings from the shared cache (EMPTY for a field or text the index cannot hold)."""
        schema = segments.searcher.schema
        if fieldname not in schema:
            return EMPTY
        try:
            key = schema[fieldname].to_bytes(text)
        except ValueError:
            return EMPTY
        return self.cache.get(segments, fieldname, key)

    def best_of(self, run: QueryRun, node: BestOf) -> Postings:
        """Return a word's best field over its terms, each document once, kept like postings."""

        def make() -> Postings:
            best: dict[int, float] = {}
            for term in node.terms:
                p = run.postings(term)
                boost = term.boost
                for d, score in zip(p.ids, p.scores, strict=True):
                    value = boost * score
                    if value > best.get(d, 0.0):
                        best[d] = value
            if not best:
                return EMPTY
            ids = sorted(best)
            scores = array("d", (best[d] for d in ids))
            return Postings(array("i", ids), scores, mask_of(ids), max(scores))

        return self.cache.remember(("best-of", node.terms), make)

    def phrase_state(self, segments: Segments, node: Phrase) -> PhraseState:
        """Return the state of a phrase on this build, made once and kept (least recently used out)."""
        key = (node.fieldname, node.words, node.slop)
        with self._lock:
            state = self._phrases.get(key)
            if state is not None:
                self._phrases.move_to_end(key)
                return state
        schema = segments.searcher.schema
        texts, terms = [], []
        for word in node.words:
            try:
                text = schema[node.fieldname].to_bytes(word) if node.fieldname in schema else None
            except ValueError:
                text = None
            terms.append(self.cache.get(segments, node.fieldname, text) if text else EMPTY)
            texts.append(text)
        candidates = (1 << self.doc_count) - 1
        for term in terms:
            candidates &= term.mask
        state = PhraseState(node.fieldname, node.words, node.slop, terms, texts, candidates)
        with self._lock:
            state = self._phrases.setdefault(key, state)
            while len(self._phrases) > PHRASES_KEPT:
                self._phrases.popitem(last=False)
        return state

    def postings_mask(self, searcher, fieldname: str, text: str) -> int:
        """Return the documents whose field holds a term (from the shared postings cache)."""
        return self.term_postings(Segments(searcher), fieldname, text).mask

    def run(
        self,
        q: Node,
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
            self,
            Segments(searcher),
            self.doc_count,
            self.fields,
            self.positions,
            priors=priors,
            lifts=lifts,
        )
        matched = q.bitset(run, care) & care
        q.add_leaves(run, 1.0, gated=True)
        return Ranking(run, matched)
