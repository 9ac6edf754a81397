"""The scores tables as data: every Area's rating for every criterion, filtered and sorted.

A `RatingTable` holds the ratings that match a request in three shapes: `cells`, one
per Area × criterion (the JSON API); `rows`, one per Area × Part with a column per
criterion (the /ratings page); and `by_area`, one per Area (the CSV). Several values
of one filter are OR-ed, different filters AND-ed: `criterion=C1&rating=Poor` keeps
the Areas rated Poor on C1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from search.curated.areas import Area
from search.models import RATINGS
from search.output.overview import Criterion, ScoreTable

# Best first: the order a rating column sorts in.
RANK = {rating: n for n, rating in enumerate(RATINGS)}


class RatingFilters(Protocol):
    """What a ratings request chooses (search.api.params.RatingsParams)."""

    area: list[str]
    part: list[str]
    criterion: list[str]
    rating: list[str]
    sort: str


@dataclass(frozen=True)
class RatingCell:
    """One Area's rating for one criterion, and the scores entry it comes from."""

    area: Area
    part: str
    table: str
    criterion: Criterion
    rating: str
    entry_id: str


@dataclass(frozen=True)
class RatingRow:
    """One Area's ratings in one Part (one row of a scores table)."""

    area: Area
    part: str
    table: str
    entry_id: str
    ratings: dict[str, str] = field(compare=False)


@dataclass(frozen=True)
class AreaRatings:
    """One Area's ratings in every Part."""

    area: Area
    ratings: dict[str, str] = field(compare=False)


@dataclass(frozen=True)
class RatingTable:
    """The ratings a request keeps, in the three shapes it is shown in, and the columns they use."""

    criteria: tuple[Criterion, ...]  # the columns of the Parts shown
    choices: tuple[Criterion, ...]  # every criterion a request may filter by
    cells: tuple[RatingCell, ...]
    rows: tuple[RatingRow, ...]
    by_area: tuple[AreaRatings, ...]
    sort: str


def matches(cell: RatingCell, chosen: RatingFilters) -> bool:
    """Tell whether a cell is one a request's criterion and rating filters ask for."""
    return (not chosen.criterion or cell.criterion.code in chosen.criterion) and (
        not chosen.rating or cell.rating in chosen.rating
    )


def rating_key(ratings: dict[str, str], code: str) -> tuple[int, int]:
    """Sort key of a criterion column: best rating first, unrated last."""
    rating = ratings.get(code)
    return (rating is None, RANK.get(rating, len(RANK)) if rating else 0)


def sort_by(items: Sequence, sort: str, key_of) -> list:
    """Sort items by a column, reversed when the column is given as "-name"."""
    name = sort.removeprefix("-")
    return sorted(items, key=lambda item: key_of(item, name), reverse=sort.startswith("-"))


def rating_table(tables: Sequence[ScoreTable], areas: Sequence[Area], chosen: RatingFilters) -> RatingTable:
    """Return the ratings of the scores tables that a request's filters keep, sorted as it asks."""
    order = {a.slug: n for n, a in enumerate(areas)}
    by_slug = {a.slug: a for a in areas}
    parts = set(chosen.part)
    kept_tables = [t for t in tables if not parts or t.part in parts]
    cells, rows = [], []
    for table in kept_tables:
        for slug in sorted(table.rows, key=lambda s: order.get(s, len(order))):
            if slug not in by_slug or (chosen.area and slug not in chosen.area):
                continue
            ratings = table.rows[slug]
            row_cells = [
                RatingCell(by_slug[slug], table.part, table.number, c, ratings[c.code], table.entry_ids[slug])
                for c in table.criteria
                if c.code in ratings
            ]
            wanted = [c for c in row_cells if matches(c, chosen)]
            cells += wanted
            if wanted:
                rows.append(
                    RatingRow(by_slug[slug], table.part, table.number, table.entry_ids[slug], ratings)
                )
    shown_parts = {r.part for r in rows}
    criteria = tuple(c for t in kept_tables if t.part in shown_parts for c in t.criteria)
    by_area: dict[str, dict[str, str]] = {}
    for row in rows:
        by_area.setdefault(row.area.slug, {}).update(row.ratings)
    part_order = {t.part: n for n, t in enumerate(kept_tables)}
    code_order = {c.code: n for n, c in enumerate(criteria)}

    def cell_key(cell: RatingCell, name: str):
        place = (order[cell.area.slug], part_order[cell.part], code_order.get(cell.criterion.code, 0))
        if name == "part":
            return (part_order[cell.part], *place)
        if name == "code":
            return (code_order.get(cell.criterion.code, 0), *place)
        if name == "rating":
            return (RANK.get(cell.rating, len(RANK)), *place)
        if name in code_order:
            return (cell.criterion.code != name, RANK.get(cell.rating, len(RANK)), *place)
        return place

    def row_key(row: RatingRow, name: str):
        place = (order[row.area.slug], part_order[row.part])
        if name == "part":
            return (part_order[row.part], order[row.area.slug])
        if name in code_order:
            return (*rating_key(row.ratings, name), *place)
        return place

    def area_key(area: AreaRatings, name: str):
        if name in code_order:
            return (*rating_key(area.ratings, name), order[area.area.slug])
        return (order[area.area.slug],)

    return RatingTable(
        criteria=criteria,
        choices=tuple(c for t in tables for c in t.criteria),
        cells=tuple(sort_by(cells, chosen.sort, cell_key)),
        rows=tuple(sort_by(rows, chosen.sort, row_key)),
        by_area=tuple(
            sort_by([AreaRatings(by_slug[s], r) for s, r in by_area.items()], chosen.sort, area_key)
        ),
        sort=chosen.sort,
    )
