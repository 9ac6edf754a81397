"""Word-level text analysis shared by tagging, indexing, querying and highlighting.

One tokenizer and one stemmer (NLTK's Snowball English) are used everywhere, so a
term matched in the index is the same term highlighted in a snippet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from nltk.stem.snowball import SnowballStemmer

# Word characters with inner dots kept ("1.15", "e.g"); apostrophes and hyphens split
# ("Area's" → "area" + "s", "pan-London" → "pan" + "london").
TOKEN_PATTERN = r"\w+(?:\.\w+)*"
TOKEN = re.compile(TOKEN_PATTERN)
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "for",
        "from",
        "have",
        "if",
        "in",
        "is",
        "it",
        "may",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "us",
        "we",
        "when",
        "will",
        "with",
        "yet",
        "you",
        "your",
        "its",
        "their",
        "there",
        "been",
        "has",
        "had",
        "was",
        "were",
    ]
)
MIN_SIZE = 2
# Texts up to this long (words, phrases, labels) have their tokens cached.
SHORT_TEXT = 64
# "VLUs", "CCPs": an acronym's plural "s" would defeat the stemmer ("ccps" is not "ccp").
ACRONYM_PLURAL = re.compile(r"^[A-Z][A-Z0-9]+s$")
_stemmer = SnowballStemmer("english", ignore_stopwords=False)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Return the Snowball stem of a lower-case word."""
    return _stemmer.stem(word)


@dataclass(frozen=True)
class Token:
    """A word of a text with its character span and its stem."""

    start: int
    end: int
    word: str
    stem: str


def is_indexed(word: str) -> bool:
    """Tell whether a lower-case word is kept by the analyzer (not a stop word, not too short)."""
    return (len(word) >= MIN_SIZE or word.isdigit()) and word not in STOP_WORDS


def tokens(text: str) -> list[Token]:
    """Split text into indexed tokens (stop words dropped), each with its stem."""
    out = []
    for match in TOKEN.finditer(text):
        word = normalise_word(match.group(0))
        if is_indexed(word):
            out.append(Token(match.start(), match.end(), word, stem(word)))
    return out


def normalise_word(raw: str) -> str:
    """Lower-case a raw token, dropping the plural "s" of an upper-case acronym."""
    if ACRONYM_PLURAL.match(raw):
        raw = raw[:-1]
    return raw.lower()


@lru_cache(maxsize=65_536)
def word_tokens(text: str) -> tuple[Token, ...]:
    """Return the tokens of a short text (a query's word or phrase), cached: queries repeat them."""
    return tuple(tokens(text))


def stems(text: str) -> list[str]:
    """Return the stems of the indexed words of text, in order."""
    if len(text) <= SHORT_TEXT:
        return [t.stem for t in word_tokens(text)]
    return [t.stem for t in tokens(text)]


def words(text: str) -> list[str]:
    """Return the lower-case indexed words of text, unstemmed, in order."""
    return [t.word for t in tokens(text)]


def contains(seq: Sequence[str], phrase: Sequence[str]) -> bool:
    """Tell whether a stem phrase occurs, word for word, in a stem sequence."""
    phrase = tuple(phrase)
    if not phrase:
        return False
    n = len(phrase)
    return any(tuple(seq[i : i + n]) == phrase for i, s in enumerate(seq) if s == phrase[0])
