"""Read Annex B: every Area's issues to address, good practice and strengths.

Takes Annex B's lines, a table per kind and Part of "Area<TAB>number<TAB>text" rows;
gives one `issue`, `good-practice` or `strength` entry per row, its HTML turned into
plain text, and notes duplicate rows and list markup that cannot be split into items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from search.ingest.report.context import ParseContext
from search.ingest.report.headings import PART_HEADING
from search.ingest.textclean import clean_markup, strip_emphasis
from search.models import ANNEX_B_HEADINGS, ANNEX_B_KINDS, KIND_LABELS, Entry

ROW = re.compile(r"^([^\t]+)\t(\d+)\t(.*)$")
HEADING_KINDS = {ANNEX_B_HEADINGS[kind]: kind for kind in ANNEX_B_KINDS}


@dataclass(frozen=True)
class AnnexBRow:
    """One row of Annex B as printed: the Area's spelling, its number and text, where it stands."""

    area: str
    number: str
    text: str
    kind: str
    part: str
    part_title: str


def read_annex_b(context: ParseContext, lines: list[str]) -> None:
    """Add an entry for every row of Annex B, leaving out a row whose id is taken."""
    seen: set[str] = set()
    for row in read_rows(context, lines):
        add_row(context, row, seen)


def read_rows(context: ParseContext, lines: list[str]) -> list[AnnexBRow]:
    """Read the rows under each kind's heading and Part heading."""
    kind: str | None = None
    part: str | None = None
    part_title = ""
    rows: list[AnnexBRow] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if stripped in HEADING_KINDS:
            kind, part = HEADING_KINDS[stripped], None
        elif match := PART_HEADING.match(stripped):
            part, part_title = match.group(1).lower(), stripped
        elif line.startswith("\t\t") and rows:
            # A row cut by a page break goes on in the second column's place.
            rows[-1] = replace(rows[-1], text=rows[-1].text + " " + stripped)
        elif (match := ROW.match(line)) and kind and part:
            area, number, text = match.groups()
            rows.append(AnnexBRow(area.strip(), number, text, kind, part, part_title))
        elif kind is None:
            continue  # the Annex's title, set over three lines before the first kind's heading
        else:
            context.note("structure", f"Annex B: unexpected line {stripped[:60]!r}")
    return rows


def add_row(context: ParseContext, row: AnnexBRow, seen: set[str]) -> None:
    """Add one row's entry unless its id is in seen, which it joins."""
    slug = context.area_slug(row.area, f"Annex B {row.kind} {row.number}")
    entry_id = f"{row.kind}-{slug}-{row.number}"
    shown = context.id_prefix + entry_id
    if entry_id in seen:
        context.note("duplicate-id", f"Annex B: {shown} appears twice; the second is left out", id=shown)
        return
    seen.add(entry_id)
    # Some rows were pasted from the web as HTML, a few with a <ul> but no <li> items.
    text, unsplit_list = clean_markup(strip_emphasis(row.text))
    if unsplit_list:
        message = f"{shown}: list markup without item boundaries; kept as one run of text"
        context.note("unsplit-list", message, id=shown)
    name = context.area_name(slug, row.area)
    context.add(
        Entry(
            id=entry_id,
            kind=row.kind,
            part=row.part,
            title=f"{name}: {KIND_LABELS[row.kind].lower()} {row.number}",
            text=text,
            source=context.doc_id,
            order=context.next_order(),
            areas=(slug,),
            number=row.number,
            section=f"Annex B: {ANNEX_B_HEADINGS[row.kind]} › {row.part_title}",
        )
    )
