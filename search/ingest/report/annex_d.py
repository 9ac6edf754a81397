"""Read Annex D: the links to each Area's own inspection report.

Takes Annex D's lines, pairs of "Area Assurance Inspection of CPS <Area>; <date>" and
an address; gives one `report` entry per Area, and stops at the back matter (the
Inspectorate's addresses and the licence) that follows the last link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.ingest.report.context import ParseContext
from search.models import Entry

ANNEX_D = "Annex D: Links to Area Assurance Programme reports"
REPORT_LINK = re.compile(r"^Area Assurance Inspection of (?:CPS )?(.+?);\s*(.+)$")
URL = re.compile(r"^(?:https?://)?[\w.-]+\.[a-z]{2,}/\S*$")


@dataclass(frozen=True)
class ReportLink:
    """A link's title line: the whole line, the Area's spelling and the date published."""

    title: str
    area: str
    date: str


def read_annex_d(context: ParseContext, lines: list[str]) -> None:
    """Add an entry for every Area report link, up to the back matter."""
    pending: ReportLink | None = None
    found = False
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if match := REPORT_LINK.match(line):
            pending = ReportLink(line, match.group(1), match.group(2))
        elif pending and URL.match(line):
            add_report(context, pending, line)
            pending, found = None, True
        elif found:
            break  # the addresses and licence that close the report


def add_report(context: ParseContext, link: ReportLink, url: str) -> None:
    """Add the entry of one Area's report."""
    slug = context.area_slug(link.area, "Annex D")
    # The report prints its addresses without a scheme.
    if not url.startswith("http"):
        url = "https://" + url
    name = context.area_name(slug, link.area)
    context.add(
        Entry(
            id=f"report-{slug}",
            kind="report",
            part="general",
            title=link.title,
            text=f"Area Assurance Inspection of CPS {name}, published {link.date}.",
            source=context.doc_id,
            order=context.next_order(),
            areas=(slug,),
            section=ANNEX_D,
            url=url,
        )
    )
