"""Search results as CSV: the download of every row a search matches, one line an entry.

Quoting a row's cells means scanning every character of the entry's full text, and for
a cheap search that is most of a download's cost. The cells that depend only on the
entry are the same in every download, so a `CsvTable` quotes them the first time an
entry is written and reuses the line after that; only the score and the permalink are
written per download.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from urllib.parse import quote

from search.models import Entry, Hit

CSV_COLUMNS = ("id", "kind", "part", "number", "title", "areas", "themes", "section", "text", "score", "url")
LINE_END = "\r\n"
LINE_END_BYTES = LINE_END.encode()


def quote_cells(cells: Iterable[object]) -> str:
    """Return cells as one CSV line without its line end, quoted as the csv module quotes them."""
    out = io.StringIO()
    # The line end must be the real one: the writer quotes cells holding its characters.
    csv.writer(out, lineterminator=LINE_END).writerow(cells)
    return out.getvalue()[: -len(LINE_END)]


def entry_cells(entry: Entry) -> tuple[str, str]:
    """Return an entry's fixed cells as a quoted CSV line start (ending in a comma) and its quoted id."""
    head = quote_cells(
        (
            entry.id,
            entry.kind,
            entry.part,
            entry.number or "",
            entry.title,
            ";".join(entry.areas),
            ";".join(entry.themes),
            entry.section or "",
            entry.text,
        )
    )
    return head + ",", quote(entry.id, safe="")


class CsvTable:
    """Writes hits as CSV rows in UTF-8, quoting and encoding each entry's fixed cells once.

    Lines are kept by entry id together with the entry they were made from, and used only
    for that same entry object: a new build's entries (new objects, perhaps new text) get
    new lines. The lines are of one build: the first download from another build starts
    the table afresh, so it never holds more than about one build's entries.
    """

    def __init__(self) -> None:
        self._build: str | None = None
        self._lines: dict[str, tuple[Entry, bytes, bytes]] = {}

    def cells(self, entry: Entry) -> tuple[bytes, bytes]:
        """Return the entry's quoted line start and quoted id in UTF-8, from the table when it has them."""
        kept = self._lines.get(entry.id)
        if kept is None or kept[0] is not entry:
            kept = (entry, *(cell.encode() for cell in entry_cells(entry)))
            # Threads may race to fill the same id; both write the same line, so either wins.
            self._lines[entry.id] = kept
        return kept[1], kept[2]

    def write(self, hits: Iterable[Hit], entry_url: str, build: str) -> bytes:
        """Return the CSV document in UTF-8: the header, then one line a hit, its url `entry_url` + the id.

        `build` names the index build the hits come from.
        """
        if build != self._build:
            # Swapped whole, so a thread still writing an older build's rows keeps a valid table.
            self._build, self._lines = build, {}
        parts = [quote_cells(CSV_COLUMNS).encode(), LINE_END_BYTES]
        # Quoted ids need no quoting; a base URL with a comma or a quote in it makes every url need it.
        if quote_cells((entry_url,)) != entry_url:
            for hit in hits:
                head, entry_id = self.cells(hit.entry)
                score = "" if hit.score is None else repr(hit.score)
                parts += (head, quote_cells((score, entry_url + entry_id.decode())).encode(), LINE_END_BYTES)
            return b"".join(parts)
        url = f",{entry_url}".encode()
        for hit in hits:
            head, entry_id = self.cells(hit.entry)
            score = b"" if hit.score is None else repr(hit.score).encode()
            parts += (head, score, url, entry_id, LINE_END_BYTES)
        return b"".join(parts)
