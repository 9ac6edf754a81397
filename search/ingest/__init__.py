"""Ingest: a corpus folder → entries, a glossary and data-quality findings.

Takes `corpus/manifest.json`, the report texts it names and the curated data
(`search.curated`); gives a `Catalogue` of frozen `Entry` dataclasses in document
order, each tagged with its Areas and themes, the acronyms learnt from the text,
and what looked odd in the source (`quality`). Each report is read by its format's
parser (`ingest.report`, the AAP composite report). Nothing here imports Whoosh, so
entries can be exported, tested or indexed by another backend without an index.
"""

from search.ingest.catalogue import Catalogue, export_lines, ingest, tag_themes
from search.ingest.corpus import Document, read_documents
from search.ingest.report import ParsedReport, parse_report

__all__ = [
    "Catalogue",
    "Document",
    "ParsedReport",
    "export_lines",
    "ingest",
    "parse_report",
    "read_documents",
    "tag_themes",
]
