"""Turn the tab-separated tables of chapters 1–6 into entries.

Takes a `BodyTable` (its rows, and the caption printed after it); gives one `table`
entry, or for a scores table (first cell a Part heading) one `rating` entry per Area
row with the row's structured ratings. Also renders any table's rows as text, for
Annex C's tables too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.ingest.report.context import ParseContext
from search.ingest.report.headings import part_of
from search.ingest.textclean import split_footnote_refs
from search.models import Entry, Footnote, Rating

SCORE_CODE = re.compile(r"^([A-E])(\d+):\s*(.+)$")


@dataclass
class BodyTable:
    """A table as read from chapters 1–6; its caption comes after its rows."""

    part: str
    chapter: str
    order: int
    rows: list[list[str]] = field(default_factory=list)
    caption: str = ""
    number: str = ""


@dataclass(frozen=True)
class ScoreColumn:
    """One column of a scores table: the criterion's code and name, and its printed label."""

    code: str
    criterion: str
    label: str


def is_table_row(line: str) -> bool:
    """Tell whether a line is a table row: the PDF extraction separates cells by tabs."""
    return "\t" in line


def table_cells(line: str) -> list[str]:
    """Split a table row into its stripped cells."""
    return [cell.strip() for cell in line.split("\t")]


def table_text(rows: list[list[str]]) -> str:
    """Render rows one per line, as "first cell: other | cells"."""
    return "\n".join(f"{row[0]}: " + " | ".join(row[1:]) for row in rows)


def add_table(context: ParseContext, table: BodyTable) -> None:
    """Add a table's entry, or its rating entries when it is a scores table."""
    caption, refs = split_footnote_refs(table.caption)
    footnotes = context.attach_footnotes(refs, caption or "a table")
    header = table.rows[0]
    part = part_of(header[0])
    if part and len(header) > 2:
        add_ratings(context, table, caption, footnotes, part)
        return
    context.add(
        Entry(
            id=f"table-{table.number or table.order}",
            kind="table",
            part=table.part,
            title=caption or header[0],
            text=caption + "\n" + table_text(table.rows),
            source=context.doc_id,
            order=table.order,
            number=table.number or None,
            section=table.chapter,
            footnotes=footnotes,
        )
    )


def score_columns(context: ParseContext, labels: list[str], part: str, table_name: str) -> list[ScoreColumn]:
    """Read a scores table's column labels, coding each criterion by its column's position."""
    columns = []
    for position, label in enumerate(labels, start=1):
        match = SCORE_CODE.match(label)
        if not match:
            columns.append(ScoreColumn(part.upper(), label, label))  # "Overall score for Part A"
            continue
        code = f"{part.upper()}{position}"
        # Table 4 prints "C1" and "C2" twice, for magistrates' courts and then for the
        # Crown Court (criteria C3 and C4); the column's position is what is right.
        if match.group(1).lower() + match.group(2) != code.lower():
            message = f"{table_name} labels column {position} {label!r}; read as {code}"
            context.note("score-code", message, label=label, code=code)
        columns.append(ScoreColumn(code, match.group(3), label))
    return columns


def add_ratings(
    context: ParseContext, table: BodyTable, caption: str, footnotes: tuple[Footnote, ...], part: str
) -> None:
    """Add one rating entry per Area row of a scores table."""
    header = table.rows[0]
    table_name = caption.split(":")[0]
    columns = score_columns(context, header[1:], part, table_name)
    for row in table.rows[1:]:
        slug = context.area_slug(row[0], caption)
        if len(row) != len(header):
            context.note("structure", f"{caption}: row {row[0]!r} has {len(row)} cells, header {len(header)}")
        ratings = tuple(
            Rating(column.code, column.criterion, value, column.label)
            for column, value in zip(columns, row[1:], strict=False)
        )
        name = context.area_name(slug, row[0])
        scores = "; ".join(f"{r.code} {r.criterion}: {r.rating}" for r in ratings)
        context.add(
            Entry(
                id=f"rating-{part}-{slug}",
                kind="rating",
                part=part,
                title=f"{name}: Part {part.upper()} scores ({table_name})",
                text=f"{name} — {header[0]}. {scores}.",
                source=context.doc_id,
                order=table.order,
                areas=(slug,),
                number=table_name.replace("Table ", "") or None,
                section=table.chapter,
                footnotes=footnotes,
                ratings=ratings,
            )
        )
