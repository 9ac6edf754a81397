"""Aggregates over entries for the Area and theme pages: scores tables, Annex B rows, matrices,
and comparisons of a few Areas side by side.

Pure functions over plain entries, so the web pages and the JSON API show the same
numbers and both can be tested without Flask.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from search.models import ANNEX_B_KINDS, PARTS, Entry, Footnote

# Kinds that are the report's own narrative: the "paragraphs that mention" an Area.
NARRATIVE_KINDS = ("paragraph", "finding", "table")


@dataclass(frozen=True)
class Criterion:
    """One scored column of a scores table ("A1 Leadership", or "A" for the overall score)."""

    part: str
    code: str
    criterion: str


@dataclass(frozen=True)
class ScoreTable:
    """One scores table (Tables 1, 3, 4, 5): its criteria and each Area's ratings."""

    part: str
    number: str
    criteria: tuple[Criterion, ...]
    footnotes: tuple[Footnote, ...]
    rows: dict[str, dict[str, str]] = field(compare=False)
    entry_ids: dict[str, str] = field(compare=False)


@dataclass(frozen=True)
class AreaProfile:
    """Everything the report says about one Area."""

    slug: str
    report: Entry | None
    scores: tuple[tuple[ScoreTable, dict[str, str] | None], ...]
    annex_b: dict[str, dict[str, tuple[Entry, ...]]]
    mentions: tuple[Entry, ...]


@dataclass(frozen=True)
class IssueMatrix:
    """How many entries of one kind each Area has per theme, with distinct totals."""

    kind: str
    counts: dict[tuple[str, str], int]
    area_totals: dict[str, int]
    theme_totals: dict[str, int]
    total: int

    def count(self, area: str, theme: str) -> int:
        """Return the number of entries of this Area carrying this theme."""
        return self.counts.get((area, theme), 0)

    def peak(self) -> int:
        """Return the largest cell count (at least 1, for scaling shades)."""
        return max(self.counts.values(), default=0) or 1


def score_tables(entries: Iterable[Entry]) -> list[ScoreTable]:
    """Gather the rating rows into their scores tables, in document order."""
    grouped: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries:
        if entry.kind == "rating" and entry.ratings:
            grouped.setdefault((entry.part, entry.number or ""), []).append(entry)
    tables = []
    for (part, number), rows in grouped.items():
        criteria: dict[str, Criterion] = {}
        for row in rows:
            for rating in row.ratings:
                criteria.setdefault(rating.code, Criterion(part, rating.code, rating.criterion))
        footnotes = tuple(dict.fromkeys(f for row in rows for f in row.footnotes))
        tables.append(
            ScoreTable(
                part=part,
                number=number,
                criteria=tuple(criteria.values()),
                footnotes=footnotes,
                rows={row.areas[0]: {r.code: r.rating for r in row.ratings} for row in rows if row.areas},
                entry_ids={row.areas[0]: row.id for row in rows if row.areas},
            )
        )
    return tables


def annex_b_rows(entries: Iterable[Entry], slug: str) -> dict[str, dict[str, tuple[Entry, ...]]]:
    """Return an Area's issues, good practice and strengths, by kind then Part (framework order)."""
    found: dict[str, dict[str, list[Entry]]] = {kind: {} for kind in ANNEX_B_KINDS}
    for entry in entries:
        if entry.kind in found and slug in entry.areas:
            found[entry.kind].setdefault(entry.part, []).append(entry)
    return {
        kind: {part: tuple(by_part[part]) for part in PARTS if part in by_part}
        for kind, by_part in found.items()
    }


def area_mentions(entries: Iterable[Entry], slug: str) -> tuple[Entry, ...]:
    """Return the narrative entries (paragraphs, findings, tables) that name an Area."""
    return tuple(e for e in entries if e.kind in NARRATIVE_KINDS and slug in e.areas)


def area_report(entries: Iterable[Entry], slug: str) -> Entry | None:
    """Return the Annex D link to an Area's own inspection report, if the report lists one."""
    return next((e for e in entries if e.kind == "report" and slug in e.areas), None)


def area_profile(entries: list[Entry], tables: list[ScoreTable], slug: str) -> AreaProfile:
    """Collect an Area's scores, Annex B rows, mentions and own report."""
    return AreaProfile(
        slug=slug,
        report=area_report(entries, slug),
        scores=tuple((table, table.rows.get(slug)) for table in tables),
        annex_b=annex_b_rows(entries, slug),
        mentions=area_mentions(entries, slug),
    )


def kind_counts(entries: Iterable[Entry], slug: str) -> dict[str, int]:
    """Count an Area's entries by kind."""
    return dict(Counter(e.kind for e in entries if slug in e.areas))


def issue_matrix(
    entries: Iterable[Entry], areas: Iterable[str], themes: Iterable[str], kind: str = "issue"
) -> IssueMatrix:
    """Count entries of one kind per (Area, theme); totals count each entry once."""
    area_set, theme_set = set(areas), set(themes)
    counts: Counter[tuple[str, str]] = Counter()
    area_totals: Counter[str] = Counter()
    theme_totals: Counter[str] = Counter()
    total = 0
    for entry in entries:
        if entry.kind != kind:
            continue
        total += 1
        own_areas = [a for a in entry.areas if a in area_set]
        own_themes = [t for t in entry.themes if t in theme_set]
        area_totals.update(own_areas)
        theme_totals.update(own_themes)
        counts.update((a, t) for a in own_areas for t in own_themes)
    return IssueMatrix(kind, dict(counts), dict(area_totals), dict(theme_totals), total)


def theme_counts(entries: Iterable[Entry], themes: Iterable[str]) -> dict[str, dict[str, int]]:
    """Count each theme's entries, in all ("all") and by kind."""
    counts: dict[str, Counter[str]] = {slug: Counter() for slug in themes}
    for entry in entries:
        for slug in entry.themes:
            if slug in counts:
                counts[slug]["all"] += 1
                counts[slug][entry.kind] += 1
    return {slug: dict(c) for slug, c in counts.items()}


@dataclass(frozen=True)
class CriterionComparison:
    """One scored criterion across the compared Areas: each one's rating (None if not scored)."""

    criterion: Criterion
    ratings: tuple[str | None, ...]

    @property
    def differs(self) -> bool:
        """Tell whether the Areas that were scored were scored differently (pilot Areas have gaps)."""
        return len({r for r in self.ratings if r is not None}) > 1


@dataclass(frozen=True)
class ThemeComparison:
    """One theme across the compared Areas: each Area's Annex B rows of each kind."""

    theme: str
    rows: dict[str, tuple[tuple[Entry, ...], ...]]  # kind → per Area, in the Areas' order


@dataclass(frozen=True)
class Comparison:
    """Two to four Areas side by side: ratings, and issues, good practice and strengths by theme."""

    areas: tuple[str, ...]
    scores: tuple[tuple[ScoreTable, tuple[CriterionComparison, ...]], ...]
    themes: tuple[ThemeComparison, ...]


def compare_areas(
    entries: list[Entry], tables: list[ScoreTable], slugs: tuple[str, ...], themes: Iterable[str]
) -> Comparison:
    """Compare Areas (already validated, in the order chosen) criterion by criterion and theme by theme."""
    scores = tuple(
        (
            table,
            tuple(
                CriterionComparison(c, tuple((table.rows.get(s) or {}).get(c.code) for s in slugs))
                for c in table.criteria
            ),
        )
        for table in tables
    )
    rows = {slug: annex_b_rows(entries, slug) for slug in slugs}
    by_theme = []
    for theme in themes:
        kinds = {
            kind: tuple(
                tuple(e for part in rows[slug][kind].values() for e in part if theme in e.themes)
                for slug in slugs
            )
            for kind in ANNEX_B_KINDS
        }
        if any(found for per_area in kinds.values() for found in per_area):
            by_theme.append(ThemeComparison(theme, kinds))
    return Comparison(slugs, scores, tuple(by_theme))
