"""The report's own frequent phrases ("victim letters", "case progression"), learnt at build time.

Phrases are runs of two or three indexed words that never cross a stop word or a
punctuation mark, so "review of the file" yields no "review file". NLTK's collocation
finders count them and score how much more often the words stand together than apart
(likelihood ratio); the phrases that are both frequent and collocated are kept, each in
the form the report writes most often ("Crown Court", "victim letters").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

from nltk.collocations import (
    BigramAssocMeasures,
    BigramCollocationFinder,
    TrigramAssocMeasures,
    TrigramCollocationFinder,
)
from nltk.probability import FreqDist

from search.text.analysis import TOKEN, TOKEN_PATTERN, normalise_text, normalise_word, reading

# A word, or any run of characters that is not one (punctuation, spaces), which ends a phrase
# unless it is only spaces.
PIECE = re.compile(rf"{TOKEN_PATTERN}|[^\w]+")
MIN_COUNT = 3
MAX_PHRASES = 800
# Words that make a poor first or last word of a suggestion ("Area should", "some Areas"):
# modals, determiners, pronouns and adverbs the analyzer's short stop list keeps.
EDGE_WORDS = frozenset(
    {
        *("all", "also", "any", "both", "could", "do", "does", "each", "every", "further", "many"),
        *("more", "most", "must", "need", "needs", "no", "not", "other", "should", "some", "such"),
        *("than", "them", "then", "these", "they", "those", "very", "well", "what", "where"),
        *("which", "while", "who", "would"),
    }
)


def runs(text: str) -> Iterable[list[str]]:
    """Yield the runs of consecutive indexed words (surface forms) between stop words and marks."""
    for run, _ in word_runs(text):
        yield run


def word_runs(text: str) -> Iterable[tuple[list[str], list[str]]]:
    """Yield each run of `runs` with its words in lower case."""
    run: list[str] = []
    lowered: list[str] = []
    roles = _roles
    for piece in PIECE.findall(normalise_text(text)):
        word = roles.get(piece, _UNREAD)
        if word is _UNREAD:
            word = role(piece)
        if word:
            run.append(piece)
            lowered.append(word)
        elif word is None:
            if len(run) > 1:
                yield run, lowered
            run, lowered = [], []
    if len(run) > 1:
        yield run, lowered


_UNREAD = object()
_roles: dict[str, str | None] = {}
ROLES_KEPT = 100_000  # as search.text.analysis.READINGS_KEPT


def role(piece: str) -> str | None:
    """Return what a piece of text is to a phrase: its lower-case word when it can be one of
    its words, "" when it is only spaces (which a phrase runs over), None when it ends one.

    Codes and numbers ("C1", "4.10") are found by the glossary and ids, not as phrases.
    """
    found: str | None = None
    if piece.isspace():
        found = ""
    elif TOKEN.fullmatch(piece):
        # The analyzer's reading of the word (None for a stop word or a single letter).
        read = reading(piece)
        if read is not None and not any(c.isdigit() for c in read[0]):
            found = read[0]
    if len(_roles) < ROLES_KEPT:
        _roles[piece] = found
    return found


def learn_phrases(texts: Iterable[str], limit: int = MAX_PHRASES) -> list[dict]:
    """Return the texts' frequent collocations as [{"phrase", "count"}], most frequent first."""
    documents: list[list[str]] = []
    surfaces: Counter[tuple[str, ...]] = Counter()
    for text in texts:
        for run, lowered in word_runs(text):
            documents.append(lowered)
            for n in (2, 3):
                for i in range(len(run) - n + 1):
                    surfaces[tuple(run[i : i + n])] += 1
    scored: dict[tuple[str, ...], tuple[float, int]] = {}
    for finder, measure in (
        (bigram_finder(documents), BigramAssocMeasures.likelihood_ratio),
        (trigram_finder(documents), TrigramAssocMeasures.likelihood_ratio),
    ):
        finder.apply_freq_filter(MIN_COUNT)
        for gram, score in finder.score_ngrams(measure):
            scored[gram] = (score, finder.ngram_fd[gram])
    for gram in [g for g in scored if g[0] in EDGE_WORDS or g[-1] in EDGE_WORDS]:
        del scored[gram]
    for gram in [g for g in scored if len(g) == 2 and subsumed(g, scored)]:
        del scored[gram]
    # Frequency orders suggestions; the likelihood ratio decides which phrases are worth it.
    best = sorted(scored.items(), key=lambda kv: -kv[1][0])[:limit]
    forms = surface_forms(surfaces)
    phrases = [{"phrase": forms.get(gram, " ".join(gram)), "count": count} for gram, (_, count) in best]
    return sorted(phrases, key=lambda p: (-p["count"], p["phrase"].lower()))


def bigram_finder(documents: list[list[str]]) -> BigramCollocationFinder:
    """Return NLTK's finder of the documents' bigrams, as its `from_documents` makes it
    (no pair crosses two documents), its counts made by Counter in one pass each."""
    return BigramCollocationFinder(
        FreqDist(Counter(w for d in documents for w in d)),
        FreqDist(Counter(p for d in documents for p in pairwise(d))),
    )


def trigram_finder(documents: list[list[str]]) -> TrigramCollocationFinder:
    """Return NLTK's finder of the documents' trigrams, as its `from_documents` makes it."""
    return TrigramCollocationFinder(
        FreqDist(Counter(w for d in documents for w in d)),
        FreqDist(Counter(p for d in documents for p in pairwise(d))),
        FreqDist(Counter(p for d in documents for p in zip(d, d[2:], strict=False))),
        FreqDist(Counter(t for d in documents for t in zip(d, d[1:], d[2:], strict=False))),
    )


def subsumed(pair: tuple[str, ...], scored: dict[tuple[str, ...], tuple[float, int]]) -> bool:
    """Tell whether a two-word phrase only ever occurs inside one three-word phrase ("C2 Case")."""
    count = scored[pair][1]
    return any(
        len(g) == 3 and (g[:2] == pair or g[1:] == pair) and c == count for g, (_, c) in scored.items()
    )


def surface_forms(surfaces: Counter[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """Return each lower-case n-gram's most frequent written form, lower case on a tie."""
    forms: dict[tuple[str, ...], tuple[int, bool, str]] = {}
    for written, count in surfaces.items():
        key = tuple(normalise_word(w) for w in written)
        text = " ".join(written)
        candidate = (count, text == text.lower(), text)
        if key not in forms or candidate[:2] > forms[key][:2]:
            forms[key] = candidate
    return {key: text for key, (_, _, text) in forms.items()}
