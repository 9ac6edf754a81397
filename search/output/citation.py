"""Citations of an entry: the short form shown on its page, and plain text, RIS and BibTeX.

Every form names the report, its publisher, publication number and date, the entry's
place in the report ("Annex B, Wessex, issue to address 4"); the downloads add the
quoted text, the report's own page on the publisher's site and the entry's permanent
URL, which the caller makes absolute (web/ knows the service's public address).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from search.models import Entry

# What each download is called, the key it has in /api/entries/<id>, and its media type.
FORMATS = {
    "txt": ("text", "text/plain"),
    "ris": ("ris", "application/x-research-info-systems"),
    "bib": ("bibtex", "application/x-bibtex"),
}
BIBTEX_SPECIAL = re.compile(r"([&%$#_{}~^\\])")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def source_document(entry: Entry, documents: list[dict]) -> dict:
    """Return the manifest row of the document an entry comes from ({} if unknown)."""
    return next((d for d in documents if d.get("id") == entry.source), {})


def citation(entry: Entry, documents: list[dict], area_label: Callable[[str], str]) -> str:
    """Return a citation of an entry: "HMCPSI, <title>, publication <number>, <date>, <place in the report>"."""
    document = source_document(entry, documents)
    number = document.get("publication_number")
    parts = [
        document.get("publisher_short") or document.get("publisher"),
        document.get("title"),
        f"publication {number}" if number else None,
        document.get("date_label") or document.get("date"),
        locator(entry, area_label),
    ]
    return ", ".join(p for p in parts if p)


def quoted(entry: Entry) -> str:
    """Return the entry's text on one line, as a quotation."""
    return "“" + " ".join(entry.text.split()) + "”"


def report_page(document: dict) -> str | None:
    """Return the report's own page on its publisher's site (else the publisher's site)."""
    return document.get("page_url") or document.get("source_url")


def locator(entry: Entry, area_label: Callable[[str], str]) -> str:
    """Return where an entry sits in its report, as a reader would cite it ("para 4.10")."""
    area = area_label(entry.areas[0]) if entry.areas else ""
    heading = (entry.section or "").split(" › ")[-1]
    forms = {
        "paragraph": f"para {entry.number}",
        "issue": f"Annex B, {area}, issue to address {entry.number}",
        "good-practice": f"Annex B, {area}, good practice {entry.number}",
        "strength": f"Annex B, {area}, strength {entry.number}",
        "rating": f"Table {entry.number}, {area}",
        "table": f"Table {entry.number}",
        "criterion": f"Annex A, {entry.title}",
        "finding": f"Annex C, {heading} ({entry.number})",
        "report": f"Annex D, {area}",
    }
    return forms.get(entry.kind, entry.title)


def plain_citation(entry: Entry, documents: list[dict], area_label: Callable[[str], str], url: str) -> str:
    """Return the citation as one line of plain text: the reference, the quoted text, the report's
    page and the entry's permanent URL."""
    page = report_page(source_document(entry, documents))
    report = f" Report: {page}." if page else ""
    return f"{citation(entry, documents, area_label)}: {quoted(entry)}.{report} Entry: {url}"


def ris_citation(entry: Entry, documents: list[dict], area_label: Callable[[str], str], url: str) -> str:
    """Return the citation as an RIS record (reference managers: Zotero, EndNote, Mendeley)."""
    document = source_document(entry, documents)
    year, _, month = (document.get("date") or "").partition("-")
    fields = [
        ("TY", "RPRT"),
        ("TI", f"{document.get('title', '')}: {locator(entry, area_label)}"),
        ("T2", document.get("title")),
        ("AU", document.get("publisher")),
        ("PB", document.get("publisher")),
        ("PY", year),
        ("DA", f"{year}/{month}" if month else year),
        ("M1", document.get("publication_number")),  # the report's number
        ("SE", locator(entry, area_label)),  # the section cited
        ("UR", url),
        ("L2", report_page(document)),  # the report's page, with its full text
        ("N1", f"Quoted: {quoted(entry)}"),
        ("ID", entry.id),
        ("ER", ""),
    ]
    # RIS is one "TAG  - value" line per field, CRLF-separated.
    return "".join(f"{tag}  - {value}\r\n" for tag, value in fields if value is not None)


def bibtex_citation(entry: Entry, documents: list[dict], area_label: Callable[[str], str], url: str) -> str:
    """Return the citation as a BibTeX @techreport entry keyed by the entry's id."""
    document = source_document(entry, documents)
    year, _, month = (document.get("date") or "").partition("-")
    fields = [
        ("author", "{" + bibtex_text(document.get("publisher", "")) + "}"),  # a body, not "Last, First"
        ("title", bibtex_text(f"{document.get('title', '')}: {locator(entry, area_label)}")),
        ("institution", bibtex_text(document.get("publisher", ""))),
        ("number", bibtex_text(document.get("publication_number", ""))),
        ("year", year),
        ("month", MONTHS[int(month) - 1] if month.isdigit() and 1 <= int(month) <= 12 else None),
        ("note", bibtex_text(f"{locator(entry, area_label)}. Report page: {report_page(document) or ''}")),
        ("annote", bibtex_text(quoted(entry))),
        ("url", url),
    ]
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in fields
        if value
    )
    key = re.sub(r"[^A-Za-z0-9:.-]", "-", f"{document.get('publisher_short', 'report')}{year}:{entry.id}")
    return f"@techreport{{{key},\n{body}\n}}\n"


def bibtex_text(text: str) -> str:
    """Escape BibTeX's special characters in a field's text."""
    return BIBTEX_SPECIAL.sub(r"\\\1", text)


def citation_formats(entry: Entry, documents: list[dict], area_label: Callable[[str], str], url: str) -> dict:
    """Return the entry's citation in every download format, by its key in the API."""
    return {
        "text": plain_citation(entry, documents, area_label, url),
        "ris": ris_citation(entry, documents, area_label, url),
        "bibtex": bibtex_citation(entry, documents, area_label, url),
    }
