"""Spelling suggestions from the report's own unstemmed vocabulary.

Candidates are found through a table of deletions (the SymSpell idea): a word and
a vocabulary word within the edit distance share a deletion variant, so lookups
need no scan of the vocabulary. Candidates are then ranked by true edit distance
(with transpositions) and by how often the report uses them.
"""

from __future__ import annotations

from itertools import combinations

MIN_LENGTH = 4
# Words whose neighbours are kept between queries, at most (then forgotten all at once).
NEIGHBOURS_KEPT = 50_000


def max_distance(word: str) -> int:
    """Return the edits allowed for a word: one for short words, two for long ones."""
    return 1 if len(word) <= 7 else 2


def deletions(word: str, distance: int) -> set[str]:
    """Return every string made by deleting up to `distance` characters of word."""
    out = {word}
    for d in range(1, distance + 1):
        if len(word) - d < 2:
            break
        for positions in combinations(range(len(word)), d):
            out.add("".join(c for i, c in enumerate(word) if i not in positions))
    return out


def one_edit(word: str) -> set[str]:
    """Return every string one edit from a lower-case word: a letter deleted, swapped with the
    next, replaced or inserted (a-z)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters}
    out |= {a + c + b for a, b in splits for c in letters}
    out.discard(word)
    return out


def edit_distance(a: str, b: str) -> int:
    """Return the optimal-string-alignment distance (Levenshtein plus transpositions)."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


class SpellingCorrector:
    """Suggest the report's own word for a misspelt one.

    The work per word is bounded: a word more than two letters longer than the
    report's longest word cannot be within two edits of it, so it is not tried,
    and a shorter one generates at most (n choose 2) deletions.
    """

    def __init__(self, vocabulary: dict[str, int], protected: frozenset[str] = frozenset()):
        self.vocabulary = vocabulary
        self.protected = protected
        self._deletes: dict[str, list[str]] = {}
        self._neighbours: dict[str, tuple[str, ...]] = {}
        self._corrections: dict[str, str | None] = {}
        self.longest = 0
        for word in vocabulary:
            if len(word) >= MIN_LENGTH - 1 and word.isalpha():
                self.longest = max(self.longest, len(word))
                for variant in deletions(word, 2 if len(word) > 7 else 1):
                    self._deletes.setdefault(variant, []).append(word)

    def can_correct(self, word: str) -> bool:
        """Tell whether a word is one the corrector looks at (a plausible length, letters only)."""
        return MIN_LENGTH <= len(word) <= self.longest + 2 and word.isalpha() and word not in self.protected

    def neighbours(self, word: str) -> list[str]:
        """Return the report's words one edit from a word it uses, most frequent first.

        Asked of every word of every query, and fixed for a build: kept once found.
        """
        found = self._neighbours.get(word)
        if found is None:
            found = self._neighbours[word] = self.find_neighbours(word)
            if len(self._neighbours) > NEIGHBOURS_KEPT:
                self._neighbours.clear()  # a bound on what hostile queries can make it hold
        return list(found)

    def find_neighbours(self, word: str) -> tuple[str, ...]:
        if not self.can_correct(word):
            return ()
        candidates = {c for variant in deletions(word, 1) for c in self._deletes.get(variant, ())}
        close = [c for c in candidates if c != word and edit_distance(word, c) == 1]
        return tuple(sorted(close, key=lambda c: (-self.vocabulary[c], c)))

    def known(self, word: str) -> bool:
        """Tell whether the report uses the word."""
        return word in self.vocabulary

    def correct(self, word: str) -> str | None:
        """Return the best correction for an unknown word, or None to leave it alone.

        Fixed for a build, like `neighbours`: kept once found.
        """
        if word in self._corrections:
            return self._corrections[word]
        found = self._corrections[word] = self.find_correction(word)
        if len(self._corrections) > NEIGHBOURS_KEPT:
            self._corrections.clear()
        return found

    def find_correction(self, word: str) -> str | None:
        """Work out `correct`'s answer."""
        if not self.can_correct(word) or word in self.vocabulary:
            return None
        limit = max_distance(word)
        candidates = set()
        for variant in deletions(word, limit):
            candidates.update(self._deletes.get(variant, ()))
        scored = []
        for candidate in candidates:
            distance = edit_distance(word, candidate)
            if distance <= limit:
                scored.append((distance, -self.vocabulary[candidate], candidate))
        return min(scored)[2] if scored else None
