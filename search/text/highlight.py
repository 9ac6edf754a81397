"""Highlighted snippets: whole sentences around the matched words, original forms marked."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from html import escape
from operator import itemgetter

from search.text.analysis import tokens

MAX_CHARS = 300
# What html.escape changes (with quote=True).
NEEDS_ESCAPE = re.compile("[&<>\"']")
ELLIPSIS = "…"
mark_start, mark_end = itemgetter(0), itemgetter(1)


@dataclass(frozen=True)
class HighlightTerms:
    """What to mark: single stems, and stem phrases marked only as a whole."""

    stems: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.stems or self.phrases)

    @cached_property
    def phrases_by_first(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        """The phrases, by their first stem: a word is checked only against those it can start."""
        found: dict[str, list[tuple[str, ...]]] = {}
        for phrase in dict.fromkeys(p for p in self.phrases if p):
            found.setdefault(phrase[0], []).append(phrase)
        return {first: tuple(group) for first, group in found.items()}


# Entries are immutable, so their tokens are worth keeping between requests.
cached_tokens = lru_cache(maxsize=8192)(tokens)


@lru_cache(maxsize=8192)
def stem_places(text: str) -> dict[str, tuple[int, ...]]:
    """Return where each stem stands among a text's tokens (kept, as its tokens are)."""
    found: dict[str, list[int]] = {}
    for i, tok in enumerate(cached_tokens(text)):
        found.setdefault(tok.stem, []).append(i)
    return {stem: tuple(places) for stem, places in found.items()}


@lru_cache(maxsize=8192)
def stem_marks(text: str) -> dict[str, tuple[tuple[int, int, str], ...]]:
    """Return, for each stem of a text, the (start, end, stem) spans of its words (kept)."""
    toks = cached_tokens(text)
    return {
        stem: tuple((toks[i].start, toks[i].end, stem) for i in places)
        for stem, places in stem_places(text).items()
    }


def find_marks(text: str, terms: HighlightTerms) -> list[tuple[int, int, str]]:
    """Return (start, end, key) character spans of matched words and phrases in text.

    Only the places of the stems asked for are visited, not every token of the text.
    """
    by_stem = stem_marks(text)
    marks: list[tuple[int, int, str]] = []
    # Visit the smaller side: a query of many stems meets a text through the text's own stems.
    for stem in terms.stems if len(terms.stems) <= len(by_stem) else terms.stems & by_stem.keys():
        marks.extend(by_stem.get(stem, ()))
    by_first = terms.phrases_by_first
    if by_first:
        toks = cached_tokens(text)
        places = stem_places(text)
        firsts = by_first if len(by_first) <= len(places) else by_first.keys() & places.keys()
        for first in firsts:
            phrases = by_first[first]
            for i in places.get(first, ()):
                for phrase in phrases:
                    n = len(phrase)
                    if tuple(t.stem for t in toks[i : i + n]) == phrase:
                        marks.append((toks[i].start, toks[i + n - 1].end, " ".join(phrase)))
    marks.sort()
    if not by_first:
        return marks  # words never overlap one another: only phrases need merging
    merged: list[tuple[int, int, str]] = []
    for start, end, key in marks:
        if merged and start <= merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, key))
    return merged


def best_window(spans: list[tuple[int, int]], marks: list[tuple[int, int, str]], limit: int):
    """Pick the run of consecutive sentences, at most `limit` long, covering most matches.

    A run scores by the distinct words it marks, then by its marks, then by starting
    earlier. `marks` are sorted and do not overlap (as `find_marks` gives them), so
    their ends are sorted too: the marks inside a run are one slice, found by
    bisection, and a run one sentence longer adds the marks of that sentence only.
    """
    best, best_score = (spans[0][0], spans[0][1]), (-1, -1, 0)
    for i, (start, _) in enumerate(spans):
        lo = hi = bisect_left(marks, start, key=mark_start)
        keys: set[str] = set()
        for j in range(i, len(spans)):
            end = spans[j][1]
            if end - start > limit and j > i:
                break
            reach = bisect_right(marks, end, key=mark_end)
            if reach > hi:
                keys.update(m[2] for m in marks[hi:reach])
                hi = reach
            score = (len(keys), hi - lo, -i)
            if score > best_score:
                best, best_score = (start, end), score
    return best


def trim_to(text: str, start: int, end: int, anchor: int, limit: int) -> tuple[int, int]:
    """Narrow [start, end) to at most `limit` characters around anchor, at word breaks."""
    if end - start <= limit:
        return start, end
    lo = max(start, anchor - limit // 3)
    hi = min(end, lo + limit)
    lo = max(start, hi - limit)
    if lo > start:
        space = text.find(" ", lo)
        lo = space + 1 if 0 <= space < hi else lo
    if hi < end:
        space = text.rfind(" ", lo, hi)
        hi = space if space > lo else hi
    return lo, hi


def make_snippet(
    text: str, spans: list[tuple[int, int]], terms: HighlightTerms, limit: int = MAX_CHARS
) -> str:
    """Return an HTML snippet of text: escaped, matches wrapped in <mark>, ≤ ~limit chars."""
    if not text:
        return ""
    spans = spans or [(0, len(text))]
    marks = find_marks(text, terms) if terms else []
    start, end = best_window(spans, marks, limit)
    anchor = next((m[0] for m in marks if start <= m[0] < end), start)
    start, end = trim_to(text, start, end, anchor, limit)
    pieces = [ELLIPSIS] if start > 0 else []
    pieces.append(marked(text, start, end, marks))
    tail = text[:end].rstrip()
    # Whole sentences need no trailing ellipsis; a sentence cut short does.
    if end < len(text.rstrip()) and not tail.endswith((".", "!", "?", ":", ";")):
        pieces.append(ELLIPSIS)
    snippet = "".join(pieces)
    # From a text already single-spaced, only the ends need trimming.
    return snippet.strip() if single_spaced(text) else " ".join(snippet.split())


@lru_cache(maxsize=8192)
def single_spaced(text: str) -> bool:
    """Tell whether a text's words are parted by single spaces, with none at its ends."""
    return text == " ".join(text.split())


def marked(text: str, start: int, end: int, marks: list[tuple[int, int, str]]) -> str:
    """Return text[start:end] escaped, with the marks that lie wholly inside it in <mark> tags."""
    # Most of the report has no character HTML gives a meaning to: such a window needs
    # no escaping, piece by piece.
    clean = NEEDS_ESCAPE.search(text, start, end) is None
    pieces = []
    cursor = start
    # Marks are sorted and do not overlap: those inside the window are one slice.
    inside_from = bisect_left(marks, start, key=mark_start)
    for m_start, m_end, _ in marks[inside_from:]:
        if m_start >= end:
            break
        if m_end > end:
            continue
        inside = text[m_start:m_end]
        pieces.append(text[cursor:m_start] if clean else escape(text[cursor:m_start]))
        pieces.append(f"<mark>{inside if clean else escape(inside)}</mark>")
        cursor = m_end
    pieces.append(text[cursor:end] if clean else escape(text[cursor:end]))
    return "".join(pieces)


def highlight_all(text: str, terms: HighlightTerms) -> str:
    """Return the whole text escaped, every matched word and phrase in <mark> tags."""
    return marked(text, 0, len(text), find_marks(text, terms) if terms else [])
