"""Read Annex A, the inspection framework: its introduction and each Part's criteria.

Takes Annex A's lines; gives one `criterion` entry per performance expectation,
criterion and sub-criterion, titled with its Part and, where a Part is split into
subsections (Part C: magistrates' courts, Crown Court), its subsection. The
introduction's paragraphs make one more entry, first in reading order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.ingest.report.context import ParseContext
from search.ingest.report.headings import PART_HEADING, is_heading
from search.ingest.textclean import one_line
from search.models import Entry

ANNEX_A = "Annex A: Inspection framework"
# Criteria and sub-criteria are list items; the extraction keeps some of their dashes.
CRITERION = re.compile(r"^(?:-\s*)?(\d+)\.\s+(.*)$")
SUB_CRITERION = re.compile(r"^-\s*([a-z])\.\s+(.*)$")


@dataclass(frozen=True)
class Criterion:
    """One statement of the framework, ready to become an entry."""

    entry_id: str
    part: str
    title: str
    text: str
    section: str
    number: str | None = None
    subsection: str | None = None


@dataclass
class FrameworkPart:
    """Where the reader is within one Part of the framework."""

    letter: str
    title: str
    subsection: str | None = None
    in_expectation: bool = False
    criterion: str | None = None  # the last criterion's number, which its sub-criteria extend

    def statement(self, key: str, title: str, text: str, number: str | None) -> Criterion:
        """Return a statement of this Part, at the current subsection."""
        entry_id = f"criterion-{self.letter}-{key}"
        section = " › ".join(s for s in (ANNEX_A, self.title, self.subsection) if s)
        return Criterion(entry_id, self.letter, title, text, section, number, self.subsection)


def read_annex_a(context: ParseContext, lines: list[str]) -> None:
    """Add the framework's expectations, criteria and sub-criteria, then its introduction."""
    # The introduction comes first in reading order, but its entry is made once the Annex is read.
    intro_order = context.next_order()
    intro: list[str] = []
    part: FrameworkPart | None = None
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if match := PART_HEADING.match(line):
            part = FrameworkPart(match.group(1).lower(), line)
        elif part is None:
            if not is_heading(line):
                intro.append(line)  # the headings before Part A are the Annex's titles
        elif line == "Performance expectation":
            part.in_expectation = True
        elif line == "Criteria":
            part.in_expectation = False
        elif criterion := read_statement(part, line):
            add_criterion(context, criterion, context.next_order())
        elif is_heading(line):
            part.subsection = line
        else:
            context.note("structure", f"Annex A: unexpected line {line[:60]!r}")
    if intro:
        introduction = Criterion(
            "criterion-introduction",
            "general",
            "Inspection framework: introduction",
            "\n\n".join(intro),
            ANNEX_A,
        )
        add_criterion(context, introduction, intro_order)


def read_statement(part: FrameworkPart, line: str) -> Criterion | None:
    """Return the expectation, criterion or sub-criterion a line of a Part states, or None."""
    label = f"Part {part.letter.upper()}"
    if part.in_expectation:
        return part.statement("expectation", f"{part.title}: performance expectation", line, None)
    if (match := SUB_CRITERION.match(line)) and part.criterion:
        number = part.criterion + match.group(1)
        return part.statement(number, f"{label} sub-criterion {number}", match.group(2), number)
    if match := CRITERION.match(line):
        number = part.criterion = match.group(1)
        return part.statement(number, f"{label} criterion {number}", match.group(2), number)
    return None


def add_criterion(context: ParseContext, criterion: Criterion, order: int) -> None:
    """Add a criterion's entry, its title naming its subsection."""
    title = f"{criterion.title} ({criterion.subsection})" if criterion.subsection else criterion.title
    context.add(
        Entry(
            id=criterion.entry_id,
            kind="criterion",
            part=criterion.part,
            title=title,
            text="\n\n".join(one_line(paragraph) for paragraph in criterion.text.split("\n\n")),
            source=context.doc_id,
            order=order,
            number=criterion.number,
            section=criterion.section,
        )
    )
