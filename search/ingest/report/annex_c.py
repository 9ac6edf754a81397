"""Read Annex C, the casework findings: paragraphs and tables under headings.

Takes Annex C's lines; gives one `finding` entry per paragraph or table, numbered
within its heading ("finding-code-compliance-2"), with the heading it comes under and
the group heading above that, and its footnotes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from search.ingest.report.context import ParseContext, slugify
from search.ingest.report.headings import is_heading
from search.ingest.report.tables import is_table_row, table_cells, table_text
from search.ingest.textclean import FOOTNOTE_LINE, split_footnote_refs, strip_emphasis
from search.models import Entry

ANNEX_C = "Annex C: Casework findings"
TITLE = "Casework findings"


@dataclass(frozen=True)
class FindingBlock:
    """One paragraph, or one table's text, under its heading and group heading."""

    heading: str
    group: str | None
    text: str


@dataclass
class CaseworkReading:
    """Where the reader is in Annex C, and the blocks read so far."""

    heading: str | None = None
    group: str | None = None
    after_heading: bool = False
    table: list[list[str]] = field(default_factory=list)
    blocks: list[FindingBlock] = field(default_factory=list)

    def add_block(self, text: str) -> None:
        """Keep a block of text under the current heading."""
        self.blocks.append(FindingBlock(self.heading or TITLE, self.group, text))

    def end_table(self) -> None:
        """Keep the open table, if any, as one block."""
        if self.table:
            self.add_block(table_text(self.table))
            self.table = []

    def enter_heading(self, heading: str) -> None:
        """Make heading the one the next blocks come under."""
        if heading == TITLE and self.heading is None:
            return  # the Annex's own title
        # A heading straight after another is a subheading of it ("Charging and review
        # decisions", then "Code compliance"); the first becomes the group heading.
        self.group = self.heading if self.after_heading else None
        self.heading, self.after_heading = heading, True


def read_annex_c(context: ParseContext, lines: list[str]) -> None:
    """Add an entry for every paragraph and table of Annex C."""
    counts: Counter[str] = Counter()
    for block in read_blocks(lines):
        counts[block.heading] += 1
        add_finding(context, block, counts[block.heading])


def read_blocks(lines: list[str]) -> list[FindingBlock]:
    """Split Annex C into paragraphs and tables, each under its heading."""
    reading = CaseworkReading()
    for line in lines:
        stripped = line.strip()
        if not stripped or FOOTNOTE_LINE.match(stripped):
            continue  # neither a blank line nor a footnote at a page's foot ends a table
        if is_table_row(line):
            reading.table.append(table_cells(line))
            reading.after_heading = False
            continue
        reading.end_table()
        if is_heading(stripped):
            reading.enter_heading(stripped)
        else:
            reading.after_heading = False
            reading.add_block(stripped)
    reading.end_table()
    return reading.blocks


def add_finding(context: ParseContext, block: FindingBlock, n: int) -> None:
    """Add the entry of the n-th block under its heading."""
    text, refs = split_footnote_refs(strip_emphasis(block.text))
    context.add(
        Entry(
            id=f"finding-{slugify(block.heading)}-{n}",
            kind="finding",
            part="c",
            title=f"{TITLE}: {block.heading} ({n})",
            text=text,
            source=context.doc_id,
            order=context.next_order(),
            areas=context.areas.mentions(text),
            number=str(n),
            section=" › ".join(s for s in (ANNEX_C, block.group, block.heading) if s),
            footnotes=context.attach_footnotes(refs, f"Annex C {block.heading}"),
        )
    )
