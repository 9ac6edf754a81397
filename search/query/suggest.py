"""Suggestions as you type: Areas, places and police forces, themes, kinds, Parts, acronyms and the
report's frequent phrases.

Every candidate is kept under each of its word starts ("Victim Liaison Unit" under
"victim liaison unit", "liaison unit" and "unit"), in one sorted list, so the text
typed is found by binary search. A candidate completes the typed text when one of its
keys starts with the typed text, or with its last words ("wessex vic" → "wessex victim
letters"). Candidates whose first word matches rank above those matched further in,
and then by how many entries use them.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from search.models import KIND_LABELS, PART_LABELS, SUGGESTION_KINDS, Entry, Suggestion
from search.text.analysis import TOKEN, normalise_word, stems
from search.text.glossary import Glossary

DEFAULT_LIMIT = 8
# How many of the typed text's last words a completion may start from, and how much of
# them must be typed first ("victim l" would otherwise offer every "l…" after "victim").
TAIL_WORDS = 3
MIN_TAIL = 2
# On equal match and frequency, Areas come before themes, acronyms and phrases.
KIND_ORDER = {kind: n for n, kind in enumerate(SUGGESTION_KINDS)}


def normalise(text: str) -> str:
    """Return text as suggestion keys are written: lower-case words, one space apart."""
    return " ".join(m.group(0).lower() for m in TOKEN.finditer(text))


@dataclass(frozen=True)
class Candidate:
    """Something the box can offer: its written forms (the first is the main one) and weight."""

    kind: str
    forms: tuple[str, ...]
    count: int
    value: str | None = None  # the facet value of an Area, theme, kind or Part
    detail: str | None = None  # what is shown beside it, if not its other form


class Suggester:
    """Complete typed text from a build's Areas, themes, acronyms and phrases."""

    def __init__(self, candidates: list[Candidate]):
        self.candidates = candidates
        keyed: list[tuple[str, int, int, int]] = []
        for n, candidate in enumerate(candidates):
            for f, form in enumerate(candidate.forms):
                words = normalise(form).split(" ")
                for start in range(len(words)):
                    keyed.append((" ".join(words[start:]), n, f, min(start, 1)))
        keyed.sort()
        self.keys = [k for k, *_ in keyed]
        self.targets = [t for _, *t in keyed]

    @classmethod
    def from_build(
        cls,
        entries: list[Entry],
        areas,
        taxonomy,
        glossary: Glossary,
        vocabulary: dict[str, int],
        phrases: list[dict],
        places=None,
    ) -> Suggester:
        """Gather the candidates of one build, weighted by how many entries use each."""
        area_counts = Counter(a for e in entries for a in e.areas)
        theme_counts = Counter(t for e in entries for t in e.themes)
        kind_counts = Counter(e.kind for e in entries)
        part_counts = Counter(e.part for e in entries)
        candidates = [Candidate("area", (a.name,), area_counts[a.slug], a.slug) for a in areas.areas]
        # A place or police force, with the CPS Area that covers it: chosen, it scopes the search.
        candidates += [
            Candidate(
                "place",
                (p.name, *p.aliases),
                min(area_counts[a] for a in p.areas),
                detail=" and ".join(f"CPS {areas.label(a)}" for a in p.areas),
            )
            for p in (places.places if places is not None else ())
        ]
        candidates += [Candidate("theme", (t.label,), theme_counts[t.slug], t.slug) for t in taxonomy.themes]
        candidates += [
            Candidate("kind", (label,), kind_counts[kind], kind)
            for kind, label in KIND_LABELS.items()
            if kind_counts[kind]
        ]
        candidates += [
            Candidate("part", (f"Part {label}" if len(part) == 1 else label,), part_counts[part], part)
            for part, label in PART_LABELS.items()
            if part_counts[part]
        ]
        candidates += [
            Candidate("acronym", (a.acronym, a.expansion), vocabulary.get(normalise_word(a.acronym), 0))
            for a in glossary.items
        ]
        # A phrase that is also an Area, a theme, an expansion or a more frequent phrase,
        # but for inflections ("Victim Liaison Unit", "Victim Liaison Units"), is offered once.
        known = {tuple(stems(form)) for c in candidates for form in c.forms}
        for phrase in phrases:
            key = tuple(stems(phrase["phrase"]))
            if key not in known:
                known.add(key)
                candidates.append(Candidate("phrase", (phrase["phrase"],), phrase["count"]))
        return cls(candidates)

    def matches(self, prefix: str) -> Iterable[tuple[int, int, int]]:
        """Yield (candidate, form, rank) for every key starting with a normalised prefix."""
        i = bisect_left(self.keys, prefix)
        while i < len(self.keys) and self.keys[i].startswith(prefix):
            yield self.targets[i]
            i += 1

    def suggest(self, text: str, limit: int = DEFAULT_LIMIT) -> list[Suggestion]:
        """Return up to `limit` completions of text, best first."""
        words = list(TOKEN.finditer(text))
        if not words:
            return []
        ending = " " if text[-1].isspace() else ""
        ranked: dict[str, tuple] = {}
        for first in range(max(0, len(words) - TAIL_WORDS), len(words)):
            head = text[: words[first].start()]
            if first and not head[-1].isspace():
                continue  # "mersey-ch" is one thing typed, not "mersey-" and a new start
            prefix = " ".join(m.group(0).lower() for m in words[first:]) + ending
            if first and len(prefix.strip()) < MIN_TAIL:
                continue
            for n, f, rank in self.matches(prefix):
                if first and rank:
                    continue  # after typed words, only what starts with the last ones continues them
                candidate = self.candidates[n]
                completed = head + candidate.forms[f]
                key = (first, rank, -candidate.count, KIND_ORDER[candidate.kind], completed.lower())
                known = ranked.get(completed.lower())
                if known is None or key < known[0]:
                    ranked[completed.lower()] = (key, completed, candidate, f, head)
        best = heapq.nsmallest(limit, ranked.values(), key=lambda r: r[0])
        return [make_suggestion(completed, candidate, f, head) for _, completed, candidate, f, head in best]


def make_suggestion(text: str, candidate: Candidate, form: int, head: str = "") -> Suggestion:
    """Return what is shown for a candidate matched by one of its forms, after the text `head`."""
    others = [f for i, f in enumerate(candidate.forms) if i != form]
    return Suggestion(
        text=text,
        kind=candidate.kind,
        detail=candidate.detail or (others[0] if others else None),
        count=candidate.count,
        value=candidate.value,
        rest=head if candidate.value is not None else "",
    )
