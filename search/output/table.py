"""Downloads as CSV: search results one line an entry, and the tables of the Area pages.

Every file is UTF-8 with a byte-order mark, so that spreadsheet programs read ’ and –
as written, and names things as a reader does (Areas, Parts, kinds and themes by their
names), with the slugs in columns of their own for scripts.

Quoting a row's cells means scanning every character of the entry's full text, and for
a cheap search that is most of a download's cost. The cells that depend only on the
entry are the same in every download, so a `CsvTable` quotes them the first time an
entry is written and reuses them after that; only the permalink is written per download.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

from search.models import KIND_LABELS, PART_LABELS, Entry, Hit

CSV_COLUMNS = (
    "id",
    "kind",
    "part",
    "number",
    "title",
    "areas",
    "themes",
    "section",
    "text",
    "url",
    "kind_code",
    "part_code",
    "area_slugs",
    "theme_slugs",
)
LINE_END = "\r\n"
LINE_END_BYTES = LINE_END.encode()
BOM = "\ufeff".encode()
NAME_WORD = re.compile(r"[^a-z0-9]+")
MAX_NAME = 80


@dataclass(frozen=True)
class Labels:
    """How a build names its Areas and themes (slug → name)."""

    area: Callable[[str], str]
    theme: Callable[[str], str]


def file_name(*words: str, extension: str = "csv") -> str:
    """Return a download's file name from what it holds: file_name("disclosure", "wessex") → aap-disclosure-wessex.csv."""
    stem = NAME_WORD.sub("-", " ".join(words).lower()).strip("-")[:MAX_NAME].strip("-")
    return f"aap-{stem or 'all-entries'}.{extension}"


def quote_cells(cells: Iterable[object]) -> str:
    """Return cells as one CSV line without its line end, quoted as the csv module quotes them."""
    out = io.StringIO()
    # The line end must be the real one: the writer quotes cells holding its characters.
    csv.writer(out, lineterminator=LINE_END).writerow(cells)
    return out.getvalue()[: -len(LINE_END)]


def csv_document(header: Iterable[object], rows: Iterable[Iterable[object]]) -> bytes:
    """Return a small table as a CSV file: a byte-order mark, the header, then the rows."""
    lines = [quote_cells(header), *(quote_cells(row) for row in rows)]
    return BOM + "".join(line + LINE_END for line in lines).encode()


def entry_cells(entry: Entry, labels: Labels) -> tuple[str, str, str]:
    """Return an entry's fixed cells: the quoted line start (ending in a comma), its quoted id and the
    quoted line end (starting with a comma)."""
    head = quote_cells(
        (
            entry.id,
            KIND_LABELS.get(entry.kind, entry.kind),
            PART_LABELS.get(entry.part, entry.part),
            entry.number or "",
            entry.title,
            "; ".join(labels.area(a) for a in entry.areas),
            "; ".join(labels.theme(t) for t in entry.themes),
            entry.section or "",
            entry.text,
        )
    )
    tail = quote_cells((entry.kind, entry.part, ";".join(entry.areas), ";".join(entry.themes)))
    return head + ",", quote(entry.id, safe=""), "," + tail


class CsvTable:
    """Writes hits as CSV rows in UTF-8, quoting and encoding each entry's fixed cells once.

    Lines are kept by entry id together with the entry they were made from, and used only
    for that same entry object: a new build's entries (new objects, perhaps new text) get
    new lines. The lines are of one build: the first download from another build starts
    the table afresh, so it never holds more than about one build's entries.
    """

    def __init__(self) -> None:
        self._build: str | None = None
        self._lines: dict[str, tuple[Entry, bytes, bytes, bytes]] = {}

    def cells(self, entry: Entry, labels: Labels) -> tuple[bytes, bytes, bytes]:
        """Return the entry's quoted line start, quoted id and line end in UTF-8, kept from before if made."""
        kept = self._lines.get(entry.id)
        if kept is None or kept[0] is not entry:
            kept = (entry, *(cell.encode() for cell in entry_cells(entry, labels)))
            # Threads may race to fill the same id; both write the same line, so either wins.
            self._lines[entry.id] = kept
        return kept[1], kept[2], kept[3]

    def write(self, hits: Iterable[Hit], entry_url: str, build: str, labels: Labels) -> bytes:
        """Return the CSV document: a byte-order mark, the header, then one line a hit, its url
        `entry_url` + the id. `build` names the index build the hits come from, `labels` its names."""
        if build != self._build:
            # Swapped whole, so a thread still writing an older build's rows keeps a valid table.
            self._build, self._lines = build, {}
        parts = [BOM, quote_cells(CSV_COLUMNS).encode(), LINE_END_BYTES]
        # Quoted ids need no quoting; a base URL with a comma or a quote in it makes every url need it.
        if quote_cells((entry_url,)) != entry_url:
            for hit in hits:
                head, entry_id, tail = self.cells(hit.entry, labels)
                url = quote_cells((entry_url + entry_id.decode(),)).encode()
                parts += (head, url, tail, LINE_END_BYTES)
            return b"".join(parts)
        url = entry_url.encode()
        for hit in hits:
            head, entry_id, tail = self.cells(hit.entry, labels)
            parts += (head, url, entry_id, tail, LINE_END_BYTES)
        return b"".join(parts)
