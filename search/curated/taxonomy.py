"""The theme taxonomy (data in `corpus/themes.json`) and tagging entries with it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from search.curated.jsonfile import read_json
from search.errors import CorpusError
from search.text.analysis import TOKEN, normalise_text, stems

SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz-")
STRONG, WEAK = 2.0, 1.0


@dataclass(frozen=True)
class Theme:
    """One theme: slug, label, description, its stemmed signal phrases with weights, and the
    stemmed phrases readers use for its subject (signals of a query only)."""

    slug: str
    label: str
    description: str
    signals: tuple[tuple[tuple[str, ...], float], ...]
    readers: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, eq=False)
class Taxonomy:
    """All themes plus the tagging thresholds."""

    themes: tuple[Theme, ...]
    min_score: float
    relative: float
    max_themes: int

    @cached_property
    def signals_by_first_stem(self) -> dict[str, list[tuple[tuple[str, ...], str, float]]]:
        """Every signal phrase, looked up by its first stem (one pass over a text)."""
        return self.table(readers=False)

    @cached_property
    def query_signals_by_first_stem(self) -> dict[str, list[tuple[tuple[str, ...], str, float]]]:
        """Every signal phrase and every reader's phrase (as strong), by its first stem."""
        return self.table(readers=True)

    def table(self, readers: bool) -> dict[str, list[tuple[tuple[str, ...], str, float]]]:
        """Return the signal phrases (with the readers' phrases, if asked) by first stem."""
        table: dict[str, list] = {}
        for theme in self.themes:
            for phrase, weight in theme.signals:
                table.setdefault(phrase[0], []).append((phrase, theme.slug, weight))
            for phrase in theme.readers if readers else ():
                table.setdefault(phrase[0], []).append((phrase, theme.slug, STRONG))
        return table

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(t.slug for t in self.themes)

    def label(self, slug: str) -> str:
        """Return a theme's display label."""
        return next(t.label for t in self.themes if t.slug == slug)

    def found(self, text: str, readers: bool = False) -> dict[tuple[str, tuple[str, ...]], tuple[int, float]]:
        """Return the signal phrases in text (and, for a query's words, `readers`, the readers'
        phrases), by theme and phrase: how often each stands there, and its weight.

        Longer phrases claim their words first, so "witness statement form" is not
        also read as "witness".
        """
        seq = stems(text)
        matches = []
        by_first = self.query_signals_by_first_stem if readers else self.signals_by_first_stem
        for start, first in enumerate(seq):
            for phrase, slug, weight in by_first.get(first, ()):
                if tuple(seq[start : start + len(phrase)]) == phrase:
                    matches.append((len(phrase), start, phrase, slug, weight))
        matches.sort(key=lambda m: (-m[0], m[1]))
        owner: dict[int, tuple[str, ...]] = {}
        counts: dict[tuple[str, tuple[str, ...]], tuple[int, float]] = {}
        for length, start, phrase, slug, weight in matches:
            span = range(start, start + length)
            if any(owner.get(i, phrase) != phrase for i in span):
                continue
            for i in span:
                owner[i] = phrase
            n, _ = counts.get((slug, phrase), (0, weight))
            counts[(slug, phrase)] = (n + 1, weight)
        return counts

    def scores(self, text: str, readers: bool = False) -> dict[str, float]:
        """Score every theme on text from its signal phrases; repeats of one phrase count
        with diminishing weight."""
        return self.scored(self.found(text, readers))

    @staticmethod
    def scored(counts: dict[tuple[str, tuple[str, ...]], tuple[int, float]]) -> dict[str, float]:
        """Score every theme from the phrases found for it."""
        found: dict[str, float] = {}
        strong = set()
        for (slug, _), (n, weight) in counts.items():
            found[slug] = found.get(slug, 0.0) + weight * math.sqrt(n)
            if weight >= STRONG:
                strong.add(slug)
        # Weak signals only support a theme; alone they never make it a subject.
        return {slug: score for slug, score in found.items() if slug in strong}

    def tag(self, text: str, readers: bool = False) -> tuple[str, ...]:
        """Return the themes that are a main subject of text, strongest first; a query's
        words are read with the readers' phrases too (`readers`), an entry's never."""
        return self.chosen(self.scores(text, readers))

    def signalled(self, text: str, readers: bool = False) -> dict[str, tuple[tuple[str, ...], ...]]:
        """Return the themes `tag` gives text, strongest first, each with the phrases that
        signal it (so a page can say which words did)."""
        counts = self.found(text, readers)
        return {slug: tuple(p for s, p in counts if s == slug) for slug in self.chosen(self.scored(counts))}

    def chosen(self, scores: dict[str, float]) -> tuple[str, ...]:
        """Return the themes scoring enough, and near enough the best, strongest first."""
        if not scores:
            return ()
        best = max(scores.values())
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], self.slugs.index(kv[0])))
        chosen = [slug for slug, score in ranked if score >= self.min_score and score >= self.relative * best]
        return tuple(chosen[: self.max_themes])

    @cached_property
    def themes_by_label(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Every theme's slug, by the stems of its label."""
        table: dict[tuple[str, ...], tuple[str, ...]] = {}
        for theme in self.themes:
            key = tuple(stems(theme.label))
            table[key] = table.get(key, ()) + (theme.slug,)
        return table

    def matching_themes(self, text: str) -> tuple[str, ...]:
        """Return the themes a query names outright, by label ("police file quality")."""
        return self.themes_by_label.get(tuple(stems(text)), ())


def load_taxonomy(path: Path) -> Taxonomy:
    """Read and validate the theme taxonomy."""
    data = read_json(path)
    themes, seen = [], set()
    written: list[dict[tuple[str, ...], str]] = []  # each theme's readers' phrases, as written
    for item in data.get("themes", []):
        slug = item.get("slug", "")
        if not slug or not set(slug) <= SLUG_CHARS:
            raise CorpusError(f"{path.name}: theme slug {slug!r} must be lower-case words and hyphens")
        if slug in seen:
            raise CorpusError(f"{path.name}: theme {slug!r} appears twice")
        if not item.get("label") or not item.get("description"):
            raise CorpusError(f"{path.name}: theme {slug!r} needs a label and a description")
        signals: dict[tuple[str, ...], float] = {}
        for key, weight in (("strong", STRONG), ("weak", WEAK)):
            for phrase in item.get(key, []):
                stemmed = tuple(stems(phrase))
                if not stemmed:
                    raise CorpusError(f"{path.name}: theme {slug!r} signal {phrase!r} has no indexable words")
                # Phrases that stem alike ("recruit", "recruiting") count once, at the higher weight.
                signals[stemmed] = max(weight, signals.get(stemmed, 0.0))
        if not signals:
            raise CorpusError(f"{path.name}: theme {slug!r} has no signal terms")
        seen.add(slug)
        readers = reader_phrases(path, slug, item.get("readers", []))
        written.append(readers)
        themes.append(Theme(slug, item["label"], item["description"], tuple(signals.items()), tuple(readers)))
    if not themes:
        raise CorpusError(f"{path.name}: no themes defined")
    # A reader's phrase that is a signal too would read a query two ways.
    signalled = {phrase: theme.slug for theme in themes for phrase, _ in theme.signals}
    for theme, readers in zip(themes, written, strict=True):
        for phrase, as_written in readers.items():
            if phrase in signalled:
                raise CorpusError(
                    f"{path.name}: theme {theme.slug!r} reader's phrase {as_written!r}"
                    f" is a signal of {signalled[phrase]!r}"
                )
    rules = data.get("tagging", {})
    try:
        min_score = float(rules.get("min_score", 2))
        relative = float(rules.get("relative", 0.4))
        max_themes = int(rules.get("max_themes", 3))
    except (TypeError, ValueError) as exc:
        raise CorpusError(f"{path.name}: bad tagging thresholds: {exc}") from exc
    if not (0 <= relative <= 1 and max_themes >= 1):
        raise CorpusError(f"{path.name}: 'relative' must be in [0, 1] and 'max_themes' at least 1")
    return Taxonomy(tuple(themes), min_score, relative, max_themes)


def reader_phrases(path: Path, slug: str, phrases: object) -> dict[tuple[str, ...], str]:
    """Return a theme's readers' phrases, stemmed, once each, with each as written; refuse
    one with no indexable words, one that is an acronym (the glossary's business), or one
    of several words that is read as one."""
    if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
        raise CorpusError(f"{path.name}: theme {slug!r} 'readers' must be a list of phrases")
    found: dict[tuple[str, ...], str] = {}
    for phrase in phrases:
        stemmed = tuple(stems(phrase))
        if not stemmed:
            raise CorpusError(
                f"{path.name}: theme {slug!r} reader's phrase {phrase!r} has no indexable words"
            )
        if phrase.isupper():
            raise CorpusError(f"{path.name}: theme {slug!r} reader's phrase {phrase!r} is an acronym")
        if len(stemmed) == 1 and len(TOKEN.findall(normalise_text(phrase))) > 1:
            # "e-files" is read as "files", "in the dark" as "dark": a word not meant alone.
            raise CorpusError(f"{path.name}: theme {slug!r} reader's phrase {phrase!r} is one word when read")
        found.setdefault(stemmed, phrase)
    return found
