"""The forward index: each entry's title, text and aliases as the index's own term sequence.

Checking whether a phrase occurs in one document needs its positions. Whoosh keeps
positions only in the postings, in document order, so reaching one document's means
walking a posting list; re-analysing the text costs ~0.1 ms a document. Here every
title, text and aliases field is stored, at build time, as the term ids the analyzer produced
(positions are list indices), so the ranker checks a phrase in a few microseconds.
The files are memory-mapped, so the worker processes of one server share one copy.

    forward-terms.json   the terms, by id
    forward-ids.bin      uint32 term ids: per entry, its title, text and aliases
    forward-starts.bin   uint32 offsets: entry n's title starts at [3n], its text at
                         [3n + 1], its aliases at [3n + 2]; it ends where n + 1 starts
"""

from __future__ import annotations

import json
import mmap
from array import array
from functools import cached_property
from pathlib import Path

TERMS, IDS, STARTS = "forward-terms.json", "forward-ids.bin", "forward-starts.bin"
FIELDS = ("title", "text", "aliases")


class ForwardWriter:
    """Collect entries' term sequences, with term ids local to this writer."""

    def __init__(self):
        self.terms: dict[str, int] = {}
        self.ids = array("I")
        self.starts = array("I")

    def add(self, *fields: list[str]) -> None:
        """Add the next entry's title, text and aliases terms, in order."""
        for terms in fields:
            self.starts.append(len(self.ids))
            ids = self.terms
            self.ids.extend(ids.setdefault(t, len(ids)) for t in terms)

    def save(self, folder: Path) -> None:
        """Write this writer's part (local term ids) to folder."""
        (folder / TERMS).write_text(json.dumps(list(self.terms)), encoding="utf-8")
        (folder / IDS).write_bytes(self.ids.tobytes())
        (folder / STARTS).write_bytes(self.starts.tobytes())


def join_parts(parts: list[Path], folder: Path) -> None:
    """Write one forward index from consecutive parts, renumbering their terms."""
    terms: dict[str, int] = {}
    ids, starts = array("I"), array("I")
    for part in parts:
        local = json.loads((part / TERMS).read_text(encoding="utf-8"))
        renumber = [terms.setdefault(t, len(terms)) for t in local]
        part_ids, part_starts = array("I"), array("I")
        part_ids.frombytes((part / IDS).read_bytes())
        part_starts.frombytes((part / STARTS).read_bytes())
        offset = len(ids)
        starts.extend(s + offset for s in part_starts)
        ids.extend(map(renumber.__getitem__, part_ids))
    starts.append(len(ids))
    (folder / TERMS).write_text(json.dumps(list(terms)), encoding="utf-8")
    (folder / IDS).write_bytes(ids.tobytes())
    (folder / STARTS).write_bytes(starts.tobytes())


def save_single(writer: ForwardWriter, folder: Path) -> None:
    """Write the forward index of a writer that saw every entry."""
    writer.starts.append(len(writer.ids))
    writer.save(folder)


class ForwardIndex:
    """Read a build's forward index (memory-mapped)."""

    def __init__(self, folder: Path):
        self.terms: list[str] = json.loads((folder / TERMS).read_text(encoding="utf-8"))
        self.term_ids = {term: n for n, term in enumerate(self.terms)}
        self._maps = []
        self.ids = self._map(folder / IDS)
        self.starts = self._map(folder / STARTS)

    @classmethod
    def open(cls, folder: Path) -> ForwardIndex | None:
        """Return the build's forward index, or None for a build made without one."""
        return cls(folder) if (folder / TERMS).is_file() else None

    def _map(self, path: Path):
        if path.stat().st_size == 0:
            return memoryview(array("I"))
        with open(path, "rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        raw = memoryview(mapped)
        self._maps.append((mapped, raw))
        return raw.cast("I")

    def positions(self, fieldname: str, doc: int, words: tuple[str, ...]) -> list[list[int]]:
        """Return where each of some terms stands in one field of a document."""
        first = len(FIELDS) * doc + FIELDS.index(fieldname)
        sequence = self.ids[self.starts[first] : self.starts[first + 1]].tolist()
        found = []
        for word in words:
            term_id = self.term_ids.get(word)
            found.append([i for i, t in enumerate(sequence) if t == term_id] if term_id is not None else [])
        return found

    def counted(self, doc: int, words: tuple[str, ...], reach: int = 1) -> bool:
        """Tell whether a whole number stands just before one of the words in a document's text
        ("1,830 files"; not "44.8% of cases", a share)."""
        numbers = self.numeric_ids
        first = len(FIELDS) * doc + FIELDS.index("text")
        sequence = self.ids[self.starts[first] : self.starts[first + 1]].tolist()
        wanted = {self.term_ids[w] for w in words if w in self.term_ids}
        return any(
            t in wanted and any(p in numbers for p in sequence[max(0, i - reach) : i])
            for i, t in enumerate(sequence)
        )

    @cached_property
    def numeric_ids(self) -> frozenset[int]:
        """The ids of the terms that are whole numbers."""
        return frozenset(n for n, term in enumerate(self.terms) if term.isdigit())

    def close(self) -> None:
        """Release the mappings."""
        self.ids.release()
        self.starts.release()
        for mapped, raw in self._maps:
            raw.release()
            mapped.close()
        self._maps = []
