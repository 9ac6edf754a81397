"""What the corpus says about its own words: how topical each is, and which stand together.

Measured at build time from the entries (no general word list is involved):

- *topicality*: how far the themes of the entries that use a word are from the themes
  of all entries (Kullback–Leibler divergence, smoothed), as a multiple of how far
  those of as many entries drawn at random are (a small sample strays by chance).
  "disclosure" lives in a few themes and scores ten times chance; "Area", "CPS",
  "which", "they" stray no more than twice chance: in this report they say nothing
  about what an entry is about.
- *bigrams*: how often two stems stand side by side (NLTK's collocation finder), so a
  query word that makes no sense beside its neighbour can be read as the report's phrase.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from search.models import Entry
from search.text.analysis import stems

# Topicality is kept for words in this many entries; a word is judged generic only
# once it is in enough entries for its spread over themes to mean something.
MEASURED_FROM = 3
MIN_DOCUMENTS = 20
# A word whose themes stray less than this many times chance carries no topic.
GENERIC_BELOW = 2.0
SMOOTHING = 0.5
# Chance is measured on random samples of entries (a fixed seed: builds repeat);
# beyond SAMPLE_CAP entries the divergence of chance falls as 1/n.
SAMPLES = 40
SAMPLE_CAP = 400
SEED = 2019
MIN_BIGRAM = 2
NO_THEME = ""


@dataclass(frozen=True)
class WordStatistics:
    """Per stem, its topicality; per pair of adjacent stems, how often the report uses it."""

    topicality: dict[str, float] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)
    bigrams: dict[tuple[str, str], int] = field(default_factory=dict)
    entries: int = 0

    def share(self, stem: str) -> float:
        """Return the share of entries that use a stem (0 when not measured)."""
        return self.documents.get(stem, 0) / self.entries if self.entries else 0.0

    def is_generic(self, stem: str) -> bool:
        """Tell whether a stem is common in the report but carries no topic in it."""
        score = self.topicality.get(stem)
        return score is not None and score < GENERIC_BELOW and self.documents.get(stem, 0) >= MIN_DOCUMENTS

    def pair_count(self, first: str, second: str) -> int:
        """Return how often the report puts these two stems side by side."""
        return self.bigrams.get((first, second), 0)

    def to_dict(self) -> dict:
        """Return JSON-ready data."""
        return {
            "topicality": {s: round(v, 4) for s, v in sorted(self.topicality.items())},
            "documents": dict(sorted(self.documents.items())),
            "entries": self.entries,
            "bigrams": {f"{a} {b}": n for (a, b), n in sorted(self.bigrams.items())},
        }

    @classmethod
    def from_dict(cls, data: dict) -> WordStatistics:
        """Rebuild from `to_dict` output."""
        bigrams = {}
        for key, count in data.get("bigrams", {}).items():
            first, _, second = key.partition(" ")
            bigrams[(first, second)] = int(count)
        topicality = {s: float(v) for s, v in data.get("topicality", {}).items()}
        documents = {s: int(n) for s, n in data.get("documents", {}).items()}
        return cls(topicality, documents, bigrams, int(data.get("entries", 0)))


def measure_words(entries: list[Entry]) -> WordStatistics:
    """Measure the topicality and the bigrams of the entries' words."""
    sequences = [stems(e.text) for e in entries]
    documents = Counter(s for sequence in sequences for s in set(sequence))
    measured = {s: n for s, n in documents.items() if n >= MEASURED_FROM}
    return WordStatistics(
        topicality(entries, sequences, measured), measured, bigram_counts(sequences), len(entries)
    )


def topicality(
    entries: list[Entry], sequences: list[list[str]], measured: dict[str, int]
) -> dict[str, float]:
    """Return each measured stem's divergence from the report's spread of themes, over chance's."""
    # A scores row's words are the tables' own (criteria's names, rating values), and its
    # themes those of the criteria it rates: they say nothing of what its words are about.
    kept = [(e, seq) for e, seq in zip(entries, sequences, strict=True) if e.kind != "rating"]
    shares = [theme_shares(entry) for entry, _ in kept]
    overall: Counter[str] = Counter()
    for entry_shares in shares:
        overall.update(entry_shares)
    labels = list(overall)
    background = distribution(overall, labels)
    by_stem: dict[str, Counter[str]] = defaultdict(Counter)
    for entry_shares, (_, sequence) in zip(shares, kept, strict=True):
        for stem in set(sequence) & measured.keys():
            by_stem[stem].update(entry_shares)
    chance = ChanceDivergence(shares, labels, background)
    return {
        stem: divergence(distribution(counts, labels), background) / chance.expected(measured[stem])
        for stem, counts in by_stem.items()
    }


def theme_shares(entry: Entry) -> Counter[str]:
    """Return an entry's weight per theme: one in all, shared among its themes."""
    themes = entry.themes or (NO_THEME,)
    return Counter({theme: 1 / len(themes) for theme in themes})


class ChanceDivergence:
    """The divergence a random set of n entries shows from the report's spread of themes."""

    def __init__(self, shares: list[Counter[str]], labels: list[str], background: list[float]):
        self.shares, self.labels, self.background = shares, labels, background
        self.known: dict[int, float] = {}

    def expected(self, n: int) -> float:
        """Return the mean divergence of random samples of n entries."""
        size = min(n, SAMPLE_CAP, len(self.shares))
        if size not in self.known:
            # Each size has its own draws, so a build measures the same whatever order its
            # words (a set's, which varies from process to process) ask for sizes in.
            rng = random.Random(f"{SEED}-{size}")
            total = 0.0
            for _ in range(SAMPLES):
                counts: Counter[str] = Counter()
                for index in rng.sample(range(len(self.shares)), size):
                    counts.update(self.shares[index])
                total += divergence(distribution(counts, self.labels), self.background)
            self.known[size] = max(total / SAMPLES, 1e-9)
        return self.known[size] * size / n


def distribution(counts: Counter[str], labels: list[str]) -> list[float]:
    """Return smoothed probabilities over the labels."""
    total = sum(counts.values()) + SMOOTHING * len(labels)
    return [(counts[label] + SMOOTHING) / total for label in labels]


def divergence(p: list[float], q: list[float]) -> float:
    """Return the Kullback–Leibler divergence of p from q, in nats."""
    return sum(a * math.log(a / b) for a, b in zip(p, q, strict=True))


def bigram_counts(sequences: list[list[str]]) -> dict[tuple[str, str], int]:
    """Return the pairs of adjacent stems used at least twice, with their counts."""
    counts = Counter(pair for sequence in sequences for pair in pairwise(sequence))
    return {pair: n for pair, n in counts.items() if n >= MIN_BIGRAM}
