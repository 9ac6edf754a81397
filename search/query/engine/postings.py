"""Term postings read once from Whoosh and kept: matching documents, scores, a bitset.

A term's postings are read a block at a time and scored with Whoosh's own scorer
(its `bm25`, idf, average and quantised field lengths), so the numbers are exactly
the ones Whoosh's matchers would give; `search.query.engine.ranking` combines them.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from whoosh.scoring import BM25FScorer, bm25

from search.query.engine.bitsets import mask_of

POSTINGS_BUDGET = 8_000_000  # cached postings per process (12 bytes each, plus bitsets)


@dataclass(frozen=True)
class Postings:
    """One term's matching documents and their unboosted scores, document order."""

    ids: array
    scores: array
    mask: int
    top: float

    def score_of(self, doc: int) -> float:
        """Return the term's score in one document (0 when absent)."""
        i = bisect_left(self.ids, doc)
        return self.scores[i] if i < len(self.ids) and self.ids[i] == doc else 0.0


EMPTY = Postings(array("i"), array("d"), 0, 0.0)


class Segments:
    """The leaf searchers of one Whoosh searcher, with their document offsets."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.leaves = list(searcher.leaf_searchers())
        self.offsets = [offset for _, offset in self.leaves]

    def locate(self, doc: int):
        """Return the leaf searcher holding a document and its number there."""
        n = bisect_right(self.offsets, doc) - 1
        sub, offset = self.leaves[n]
        return sub, doc - offset


class PostingsCache:
    """Per (field, term), the postings and scores, least recently used out first."""

    def __init__(self, weighting, budget: int = POSTINGS_BUDGET):
        self.weighting = weighting
        self.budget = budget
        self.held = 0
        self._items: OrderedDict[tuple, Postings] = OrderedDict()
        self._lengths: dict[tuple[int, str], array] = {}
        self._lock = threading.Lock()

    def get(self, segments: Segments, fieldname: str, text: bytes) -> Postings:
        """Return a term's postings, reading them from the index on first use."""
        key = (fieldname, text)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        return self.keep(key, self.read(segments, fieldname, text))

    def remember(self, key: tuple, make: Callable[[], Postings]) -> Postings:
        """Return postings derived from others (a word's best field), made once and kept like them."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        return self.keep(key, make())

    def keep(self, key: tuple, postings: Postings) -> Postings:
        """Keep postings under a key within the budget, least recently used out first."""
        with self._lock:
            if key not in self._items:
                self._items[key] = postings
                self.held += len(postings.ids) + 1
                while self.held > self.budget and len(self._items) > 1:
                    _, old = self._items.popitem(last=False)
                    self.held -= len(old.ids) + 1
        return postings

    def read(self, segments: Segments, fieldname: str, text: bytes) -> Postings:
        ids, scores = array("i"), array("d")
        for sub, offset in segments.leaves:
            if (fieldname, text) not in sub.reader():
                continue
            matcher = sub.postings(fieldname, text, weighting=self.weighting)
            scorer = getattr(matcher, "scorer", None)
            if isinstance(scorer, BM25FScorer):
                lengths = self.lengths(sub, offset, fieldname)
                idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
                for block_ids, weights in read_blocks(matcher):
                    ids.extend(d + offset for d in block_ids)
                    scores.extend(
                        bm25(idf, w, lengths[d], avgfl, b, k1)
                        for d, w in zip(block_ids, weights, strict=True)
                    )
            else:
                while matcher.is_active():
                    ids.append(matcher.id() + offset)
                    scores.append(matcher.score())
                    matcher.next()
        if not ids:
            return EMPTY
        return Postings(ids, scores, mask_of(ids), max(scores))

    def lengths(self, sub, offset: int, fieldname: str) -> array:
        """Return a segment's quantised field lengths, as Whoosh's scorer reads them."""
        key = (offset, fieldname)
        found = self._lengths.get(key)
        if found is None:
            reader = sub.reader()
            found = array(
                "i", (reader.doc_field_length(d, fieldname, 1) or 0 for d in range(reader.doc_count_all()))
            )
            self._lengths[key] = found
        return found


def read_blocks(matcher) -> Iterator[tuple[tuple, array]]:
    """Yield (document numbers, weights) of a fresh leaf matcher, a block at a time.

    Whoosh's W3 leaf matcher decodes whole blocks; reading them directly avoids a
    Python call per posting. Any other matcher is read posting by posting.
    """
    blockwise = all(hasattr(matcher, a) for a in ("_read_ids", "_read_weights", "_next_block", "_ids"))
    while matcher.is_active():
        if blockwise:
            matcher._read_ids()
            matcher._read_weights()
            yield tuple(matcher._ids), matcher._weights
            matcher._next_block()
        else:
            yield (matcher.id(),), (matcher.weight(),)
            matcher.next()
