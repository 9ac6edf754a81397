"""Read the corpus folder: the manifest, the documents and the curated data beside them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from search.curated.jsonfile import read_json
from search.errors import CorpusError

MANIFEST = "manifest.json"
DOCUMENT_FIELDS = ("id", "file", "format", "title", "publisher", "date", "source_url", "licence")
FORMATS = ("aap-composite",)
# Links a row may give: the publisher's site, the report's own page there, the licence.
URL_FIELDS = ("source_url", "page_url", "licence_url")


@dataclass(frozen=True)
class Document:
    """One source report named in the manifest, with its text."""

    meta: dict
    text: str

    @property
    def id(self) -> str:
        return self.meta["id"]


def read_documents(corpus_dir: Path) -> list[Document]:
    """Read every document the manifest names, validating the manifest rows."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder {corpus_dir} does not exist")
    rows = read_json(corpus_dir / MANIFEST).get("documents")
    if not isinstance(rows, list) or not rows:
        raise CorpusError(f"{corpus_dir / MANIFEST}: 'documents' must be a non-empty list")
    documents, seen = [], set()
    for row in rows:
        missing = [f for f in DOCUMENT_FIELDS if not row.get(f)]
        if missing:
            raise CorpusError(f"{MANIFEST}: document {row.get('id', '?')!r} lacks {', '.join(missing)}")
        bad_urls = [f for f in URL_FIELDS if f in row and not str(row[f]).startswith(("https://", "http://"))]
        if bad_urls:
            raise CorpusError(
                f"{MANIFEST}: document {row['id']!r}: {', '.join(bad_urls)} must be http(s) URLs"
            )
        if row["format"] not in FORMATS:
            raise CorpusError(f"{MANIFEST}: document {row['id']!r} has unknown format {row['format']!r}")
        if row["id"] in seen:
            raise CorpusError(f"{MANIFEST}: document id {row['id']!r} appears twice")
        seen.add(row["id"])
        path = corpus_dir / row["file"]
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CorpusError(f"cannot read document {path}: {exc}") from exc
        documents.append(Document(row, text))
    return documents
