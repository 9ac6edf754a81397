"""Facet filtering and disjunctive counts over in-memory document bitsets.

Each facet value holds the set of documents carrying it as a bitset
(`search.query.engine.bitsets`), so filters and counts are a few big-integer ANDs
and popcounts instead of Whoosh's grouped facet collection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from search.models import Entry, FacetValue
from search.query.engine.bitsets import mask_of

FACET_ATTRS = {"area": "areas", "theme": "themes", "part": "part", "kind": "kind"}


@dataclass
class FacetIndex:
    """Per facet, per value, the bitset of documents having that value."""

    values: dict[str, dict[str, int]]
    everything: int
    labels: dict[str, Callable[[str], str]]
    _labelled: dict[tuple[str, str], str] = field(default_factory=dict)
    _rows: dict[tuple[str, str, int, bool], FacetValue] = field(default_factory=dict)

    def label(self, facet: str, value: str) -> str:
        """Return a value's label, looked up once per build."""
        found = self._labelled.get((facet, value))
        if found is None:
            found = self._labelled[(facet, value)] = self.labels[facet](value)
        return found

    def row(self, facet: str, value: str, count: int, selected: bool) -> FacetValue:
        """Return a count's row for a value the build has; rows are immutable, so each is made
        once per build and shared (at most values × entries × 2 of them)."""
        key = (facet, value, count, selected)
        found = self._rows.get(key)
        if found is None:
            found = self._rows[key] = FacetValue(value, self.label(facet, value), count, selected)
        return found

    @classmethod
    def from_entries(cls, entries: list[Entry], labels: dict[str, Callable[[str], str]]):
        """Index the facet values of entries, entry n being document n."""
        docs: dict[str, dict[str, list[int]]] = {f: {} for f in FACET_ATTRS}
        for n, entry in enumerate(entries):
            for facet, attr in FACET_ATTRS.items():
                value = getattr(entry, attr)
                for v in value if isinstance(value, tuple) else (value,):
                    docs[facet].setdefault(v, []).append(n)
        values = {f: {v: mask_of(ns) for v, ns in vs.items()} for f, vs in docs.items()}
        return cls(values, (1 << len(entries)) - 1, labels)

    def selection_mask(self, facet: str, selected: tuple[str, ...]) -> int:
        """Return the documents matching any selected value of one facet (all if none)."""
        if not selected:
            return self.everything
        mask = 0
        for value in selected:
            mask |= self.values[facet].get(value, 0)
        return mask

    def filter_mask(self, selections: dict[str, tuple[str, ...]], skip: str | None = None) -> int:
        """AND the facets' selections together, optionally leaving one facet out."""
        mask = self.everything
        for facet, selected in selections.items():
            if facet != skip and selected:
                mask &= self.selection_mask(facet, selected)
        return mask

    def counts(
        self, matched: int, selections: dict[str, tuple[str, ...]]
    ) -> dict[str, tuple[FacetValue, ...]]:
        """Count each facet value among matches, ignoring that facet's own selection."""
        out = {}
        for facet, values in self.values.items():
            base = matched & self.filter_mask(selections, skip=facet)
            chosen = set(selections.get(facet, ()))
            rows = []
            for value, docs in values.items():
                count = (base & docs).bit_count()
                if count or value in chosen:
                    rows.append(self.row(facet, value, count, value in chosen))
            # A selected value no entry has stays listed, at zero, so it can be removed.
            rows += [FacetValue(v, self.label(facet, v), 0, True) for v in chosen if v not in values]
            rows.sort(key=lambda r: (-r.count, r.label))
            out[facet] = tuple(rows)
        return out
