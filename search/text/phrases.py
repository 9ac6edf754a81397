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

from nltk.collocations import (
    BigramAssocMeasures,
    BigramCollocationFinder,
    TrigramAssocMeasures,
    TrigramCollocationFinder,
)

from search.text.analysis import TOKEN, TOKEN_PATTERN, is_indexed, normalise_text, normalise_word

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
    run: list[str] = []
    for match in PIECE.finditer(normalise_text(text)):
        piece = match.group(0)
        if piece.isspace():
            continue
        word = normalise_word(piece)
        # Codes and numbers ("C1", "4.10") are found by the glossary and ids, not as phrases.
        if TOKEN.fullmatch(piece) and is_indexed(word) and not any(c.isdigit() for c in word):
            run.append(piece)
            continue
        if len(run) > 1:
            yield run
        run = []
    if len(run) > 1:
        yield run


def learn_phrases(texts: Iterable[str], limit: int = MAX_PHRASES) -> list[dict]:
    """Return the texts' frequent collocations as [{"phrase", "count"}], most frequent first."""
    documents: list[list[str]] = []
    surfaces: Counter[tuple[str, ...]] = Counter()
    for text in texts:
        for run in runs(text):
            lowered = [normalise_word(w) for w in run]
            documents.append(lowered)
            for n in (2, 3):
                for i in range(len(run) - n + 1):
                    surfaces[tuple(run[i : i + n])] += 1
    scored: dict[tuple[str, ...], tuple[float, int]] = {}
    for finder, measure in (
        (BigramCollocationFinder.from_documents(documents), BigramAssocMeasures.likelihood_ratio),
        (TrigramCollocationFinder.from_documents(documents), TrigramAssocMeasures.likelihood_ratio),
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
