"""Word-level text analysis shared by tagging, indexing, querying and highlighting.

One normal form, one tokenizer and one stemmer (NLTK's Snowball English) are used
everywhere, so a term matched in the index is the same term highlighted in a snippet.
Text is read in Unicode's NFKC form without format characters (`normalise_text`):
full-width letters, ligatures and superscripts are read as the plain letters and
digits, and a soft hyphen or a zero-width space inside a word leaves it whole.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import regex
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
# How many distinct written words have their reading (word and stem, or none) kept: far
# more than a corpus writes (the report 2,070; 100,000 synthetic entries 2,778), and at
# some 300 bytes each, a bound on what made-up words in queries can add to a worker.
READINGS_KEPT = 100_000
# Texts up to this long (words, phrases, labels) have their tokens cached.
SHORT_TEXT = 64
# "VLUs", "CCPs": an acronym's plural "s" would defeat the stemmer ("ccps" is not "ccp").
ACRONYM_PLURAL = re.compile(r"^[A-Z][A-Z0-9]+s$")
_stemmer = SnowballStemmer("english", ignore_stopwords=False)
# Unicode's format characters (category Cf): soft hyphens, zero-width spaces and joiners, marks
# of text direction. They are invisible, and never part of a word.
FORMAT = regex.compile(r"\p{Cf}")
# A user-perceived character: a letter with its combining accents, say.
CLUSTER = regex.compile(r"\X")


def is_normal(text: str) -> bool:
    """Tell whether text is already in the normal form (as ASCII text always is)."""
    return text.isascii() or (unicodedata.is_normalized("NFKC", text) and FORMAT.search(text) is None)


def normal_pieces(text: str):
    """Yield (start, end, normal form) for each character of text with its combining marks."""
    for match in CLUSTER.finditer(text):
        yield match.start(), match.end(), unicodedata.normalize("NFKC", FORMAT.sub("", match.group()))


def normalise_text(text: str) -> str:
    """Return text in the form it is indexed and searched in: NFKC, format characters removed."""
    if is_normal(text):
        return text
    return normalise_with_spans(text)[0]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Return the Snowball stem of a lower-case word."""
    return _stemmer.stem(word)


class Token(NamedTuple):
    """A word of a text with its character span and its stem."""

    start: int
    end: int
    word: str
    stem: str


def is_indexed(word: str) -> bool:
    """Tell whether a lower-case word is kept by the analyzer (not a stop word, not too short)."""
    return (len(word) >= MIN_SIZE or word.isdigit()) and word not in STOP_WORDS


def tokens(text: str) -> list[Token]:
    """Split text into indexed tokens (stop words dropped), each with its stem.

    Words are read in the normal form (`normalise_text`); each token's span is where
    the word stands in the text as given, so that it can be marked there.
    """
    if is_normal(text):
        normal, starts, ends = text, None, None
    else:
        normal, starts, ends = normalise_with_spans(text)
    out = []
    kept = _readings
    for match in TOKEN.finditer(normal):
        raw = match.group(0)
        found = kept.get(raw, _UNREAD)
        if found is _UNREAD:
            found = reading(raw)
        if found is not None:
            start, end = match.span()
            if starts is not None:
                start, end = starts[start], ends[end - 1]
            out.append(Token(start, end, *found))
    return out


def readings(text: str) -> list[tuple[str, str]]:
    """Return (word, stem) of each indexed word of text, in order: `tokens` without spans."""
    kept = _readings
    out = []
    for raw in TOKEN.findall(normalise_text(text)):
        found = kept.get(raw, _UNREAD)
        if found is _UNREAD:
            found = reading(raw)
        if found is not None:
            out.append(found)
    return out


_UNREAD = object()
_readings: dict[str, tuple[str, str] | None] = {}


def reading(raw: str) -> tuple[str, str] | None:
    """Return a written word's (lower-case word, stem), or None when the analyzer drops it.

    Kept for the next time the word is written, up to READINGS_KEPT words.
    """
    word = normalise_word(raw)
    found = (word, stem(word)) if is_indexed(word) else None
    if len(_readings) < READINGS_KEPT:
        _readings[raw] = found
    return found


@lru_cache(maxsize=1024)
def normalise_with_spans(text: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """Return text's normal form, and for each of its characters where its source starts and ends.

    Cached: a query not yet in the normal form is read several times while it is compiled.
    """
    pieces, starts, ends = [], [], []
    for start, end, piece in normal_pieces(text):
        pieces.append(piece)
        starts += [start] * len(piece)
        ends += [end] * len(piece)
    return "".join(pieces), tuple(starts), tuple(ends)


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
    return [s for _, s in readings(text)]


def words(text: str) -> list[str]:
    """Return the lower-case indexed words of text, unstemmed, in order."""
    return [w for w, _ in readings(text)]


def contains(seq: Sequence[str], phrase: Sequence[str]) -> bool:
    """Tell whether a stem phrase occurs, word for word, in a stem sequence."""
    phrase = tuple(phrase)
    if not phrase:
        return False
    n = len(phrase)
    return any(tuple(seq[i : i + n]) == phrase for i, s in enumerate(seq) if s == phrase[0])
