"""Phrases checked on positions, once per build: which candidates hold the words in order.

A phrase's candidates are the documents holding every word (an intersection of
bitsets); whether the words stand in order is checked on positions only where it
matters, and what was found is kept for the build's life (`PhraseState`), so the
next request asking for the same phrase checks only documents not yet seen.
The span rule is Whoosh's `SpanNear2`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from whoosh.query.spans import Span, bisect_spans

from search.query.engine.bitsets import mask_of

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
    """A phrase in one field: its terms' postings, its candidates, and what checking them found.

    Shared by every request on a build; `check` holds a lock, so a document is in
    `checked` only once its answer is in `matching`.
    """

    fieldname: str
    words: tuple[str, ...]
    slop: int
    terms: list  # each word's Postings
    texts: list[bytes | None]
    candidates: int
    checked: set[int] = field(default_factory=set)
    matching: set[int] = field(default_factory=set)
    matched: int = 0  # `matching` as a bitset
    checked_bits: int = 0  # `checked` as a bitset, set after `matched`
    # Each document's sum of its terms' scores, kept as asked for (a phrase's weight varies by query).
    sums: dict[int, float] = field(default_factory=dict)
    _bits: bytes | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def is_candidate(self, doc: int) -> bool:
        """Tell whether a document has every word of the phrase (a byte lookup, not a shift)."""
        if self._bits is None:
            self._bits = self.candidates.to_bytes((self.candidates.bit_length() + 7) >> 3, "little")
        byte = doc >> 3
        return byte < len(self._bits) and bool(self._bits[byte] >> (doc & 7) & 1)

    def unknown(self, doc: int) -> bool:
        """Tell whether the phrase may occur in a document but was not checked there."""
        return doc not in self.checked and self.is_candidate(doc)

    def sum_of(self, doc: int) -> float:
        """Return the sum of the phrase's terms' scores in a document (worked out once a build)."""
        found = self.sums.get(doc)
        if found is None:
            found = self.sums[doc] = sum(t.score_of(doc) for t in self.terms)
        return found

    def check(self, run, docs: list[int]) -> None:
        """Check the phrase in the given documents (ascending), remembering the answers."""
        if not any(self.unknown(d) for d in docs):
            return
        with self._lock:
            todo = [d for d in docs if self.unknown(d)]
            if todo:
                found = [d for d in todo if phrase_occurs(self.positions(run, d), self.slop)]
                self.matched |= mask_of(found)
                self.matching.update(found)
                self.checked.update(todo)
                self.checked_bits |= mask_of(todo)

    def positions(self, run, doc: int) -> list[list[int]]:
        """Return where each word stands in one document: from the forward index, else the postings."""
        if self.fieldname in run.fields:
            return run.positions_of(self.fieldname, doc, self.words)
        sub, local = run.segments.locate(doc)
        reader = sub.reader()
        found = []
        for text in self.texts:
            m = reader.postings(self.fieldname, text)
            m.skip_to(local)
            found.append(m.value_as("positions") if m.is_active() and m.id() == local else [])
        return found


@dataclass
class PhraseLeaf:
    """A phrase's place in the score: its state and the weight of its path (its boost included)."""

    state: PhraseState
    weight: float

    @property
    def bound(self) -> float:
        """Return the most the phrase can add to any document's score."""
        return self.weight * sum(t.top for t in self.state.terms) * SAFETY

    def if_present(self, doc: int) -> float:
        """Return what the phrase adds to a document's score if it occurs there."""
        return self.weight * self.state.sum_of(doc)

    def score_of(self, doc: int) -> float:
        """Return the phrase's contribution to a checked document."""
        return self.if_present(doc) if doc in self.state.matching else 0.0

    def ceiling(self, doc: int) -> float:
        """Return the most the phrase can add to one document, given what is known."""
        state = self.state
        return self.if_present(doc) if doc in state.matching or state.unknown(doc) else 0.0
