"""Split the report's text into its body and annexes, and collect its footnotes.

Takes the whole text of the report; gives `ReportSections`, the lines of chapters 1–6
and of Annexes A–D with the running headers dropped, and puts the text of every
footnote into the context for the sections that cite them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.ingest.report.context import ParseContext
from search.ingest.report.headings import CHAPTER
from search.ingest.textclean import FOOTNOTE_LINE, superscript_number

ANNEX = re.compile(r"^Annex ([A-D])$")
# The annexes' running header puts a label before the title: "Annexes – <title>".
HEADER_LABEL = re.compile(r"^.*\s[–-]\s")


@dataclass
class ReportSections:
    """The lines of each section of the report, right-stripped, blank lines kept."""

    body: list[str] = field(default_factory=list)
    annex_a: list[str] = field(default_factory=list)
    annex_b: list[str] = field(default_factory=list)
    annex_c: list[str] = field(default_factory=list)
    annex_d: list[str] = field(default_factory=list)

    def annex(self, letter: str) -> list[str]:
        """Return the lines of the annex with this letter."""
        return {"A": self.annex_a, "B": self.annex_b, "C": self.annex_c, "D": self.annex_d}[letter]


def is_running_header(line: str, title: str) -> bool:
    """Tell whether a stripped line is the title repeated at the top of a page."""
    return line == title or HEADER_LABEL.sub("", line) == title


def starts_body(line: str) -> bool:
    """Tell whether a line is chapter 1's heading, where the body begins."""
    match = CHAPTER.match(line.strip())
    # The contents page lists the chapters too, each with a tab and a page number.
    return bool(match) and "\t" not in line and match.group(1) == "1"


def split_sections(context: ParseContext, text: str) -> ReportSections:
    """Split the text into the body (chapters 1–6) and Annexes A–D."""
    sections = ReportSections()
    current: list[str] | None = None
    for line in (line.rstrip() for line in text.replace("\r\n", "\n").split("\n")):
        stripped = line.strip()
        if is_running_header(stripped, context.title):
            continue
        if current is None:
            if not starts_body(line):
                continue  # the cover, the inside cover and the contents page
            current = sections.body
        if annex := ANNEX.match(stripped):
            current = sections.annex(annex.group(1))
            continue
        current.append(line)
    if not sections.body:
        context.note("structure", "no chapter '1.' found; the report body is empty")
    return sections


def collect_footnotes(context: ParseContext, lines: list[str]) -> None:
    """Keep the text of every footnote printed in lines, by its number."""
    for line in lines:
        # A footnote is printed at the foot of its page as a line starting with its
        # number in superscript digits ("¹ justiceinspectorates.gov.uk/…").
        if match := FOOTNOTE_LINE.match(line.strip()):
            context.footnotes[superscript_number(match.group(1))] = match.group(2).strip()
