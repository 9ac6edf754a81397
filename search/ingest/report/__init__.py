"""Parse an Area Assurance Programme composite report (plain text from its PDF) into entries.

Takes the report's text, its document id and title, the Area registry and the id
prefix from its manifest row; gives a `ParsedReport`: the entries in reading order
and the data-quality findings noted on the way.

The text comes straight from the PDF, so the parser repairs what the extraction
broke rather than expecting a clean document: running headers, paragraphs cut by
page breaks, footnotes, pull quotes, tables and the Annex B rows. `parse_report`
is the list of steps; each section of the report has its own module, and every
step reads into and writes to one shared `ParseContext`:

- `sections`: split the text into the body and Annexes A–D; collect the footnotes
- `body` (with `tables`): chapters 1–6, their paragraphs, tables and scores tables
- `annex_a`: the inspection framework's criteria
- `annex_b`: the issues to address, good practice and strengths
- `annex_c`: the casework findings
- `annex_d`: the links to each Area's report
"""

from __future__ import annotations

from dataclasses import dataclass, field

from search.curated.areas import AreaRegistry
from search.ingest.report.annex_a import read_annex_a
from search.ingest.report.annex_b import read_annex_b
from search.ingest.report.annex_c import read_annex_c
from search.ingest.report.annex_d import read_annex_d
from search.ingest.report.body import read_body
from search.ingest.report.context import ParseContext, slugify
from search.ingest.report.headings import is_heading
from search.ingest.report.sections import collect_footnotes, split_sections
from search.models import Entry, Finding

__all__ = ["ParsedReport", "is_heading", "parse_report", "slugify"]


@dataclass
class ParsedReport:
    """Entries and data-quality findings read from one report."""

    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def parse_report(
    text: str, doc_id: str, title: str, areas: AreaRegistry, id_prefix: str = ""
) -> ParsedReport:
    """Parse one report's text into entries and findings, every id led by `id_prefix`."""
    context = ParseContext(doc_id, title, areas, id_prefix)
    sections = split_sections(context, text)
    # Annexes A, B and D print no footnotes.
    collect_footnotes(context, sections.body + sections.annex_c)
    read_body(context, sections.body)
    read_annex_a(context, sections.annex_a)
    read_annex_b(context, sections.annex_b)
    read_annex_c(context, sections.annex_c)
    read_annex_d(context, sections.annex_d)
    return ParsedReport(context.entries, context.findings)
