"""Read chapters 1–6: numbered paragraphs with their bullets, headings, tables and captions.

Takes the body's lines; gives one `paragraph` entry per numbered paragraph (with its
chapter, subheading and footnotes), then the entries of its tables (`tables`), and
notes pull quotes left out and text that belongs to no paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.ingest.report.context import ParseContext
from search.ingest.report.headings import CHAPTER, is_heading, part_of
from search.ingest.report.tables import BodyTable, add_table, is_table_row, table_cells
from search.ingest.textclean import FOOTNOTE_LINE, one_line, split_footnote_refs, strip_emphasis
from search.models import PARAGRAPH_ID, Entry

PARAGRAPH = re.compile(r"^(\d+\.\d+)\.\s+(.*)$")
BULLET = re.compile(r"^[-–]\s+(.*)$")
CAPTION = re.compile(r"^Table (\d+):\s*(.*)$")


@dataclass
class BodyParagraph:
    """A numbered paragraph as read: where it stands, and its text in pieces."""

    number: str
    chapter: str
    part: str
    subheading: str | None
    order: int
    pieces: list[str] = field(default_factory=list)


@dataclass
class BodyReading:
    """Where the reader is in chapters 1–6, and what it has read so far."""

    haystack: str
    chapter: str = ""
    part: str = "general"
    subheading: str | None = None
    paragraph: BodyParagraph | None = None
    table: BodyTable | None = None
    paragraphs: list[BodyParagraph] = field(default_factory=list)
    tables: list[BodyTable] = field(default_factory=list)


def read_body(context: ParseContext, lines: list[str]) -> None:
    """Add the entries of chapters 1–6: every paragraph, then every table."""
    body = read_lines(context, [line for line in lines if line.strip()])
    for paragraph in body.paragraphs:
        context.add(paragraph_entry(context, paragraph))
    for table in body.tables:
        add_table(context, table)


def read_lines(context: ParseContext, lines: list[str]) -> BodyReading:
    """Sort the body's non-blank lines into paragraphs and tables."""
    body = BodyReading(haystack=" ".join(one_line(line).casefold() for line in lines))
    for line in lines:
        stripped = line.strip()
        if FOOTNOTE_LINE.match(stripped):
            continue  # its text was collected with the sections
        if is_table_row(line):
            read_table_row(context, body, line)
            continue
        if body.table is not None:
            # A table's caption is printed after it, and closes it.
            if caption := CAPTION.match(stripped):
                body.table.number, body.table.caption = caption.group(1), stripped
                body.table = None
                continue
            context.note("structure", f"table without a caption before {stripped[:40]!r}")
            body.table = None
        read_text_line(context, body, stripped)
    return body


def read_table_row(context: ParseContext, body: BodyReading, line: str) -> None:
    """Add a row to the open table, opening one at the first row."""
    if body.table is None:
        body.table = BodyTable(body.part, body.chapter, context.next_order())
        body.tables.append(body.table)
    body.table.rows.append(table_cells(line))


def read_text_line(context: ParseContext, body: BodyReading, line: str) -> None:
    """Read a stripped line that is not part of a table."""
    if match := PARAGRAPH.match(line):
        paragraph = BodyParagraph(
            match.group(1), body.chapter, body.part, body.subheading, context.next_order(), [match.group(2)]
        )
        body.paragraphs.append(paragraph)
        body.paragraph = paragraph
    elif match := CHAPTER.match(line):
        body.chapter, body.part = line, part_of(match.group(2)) or "general"
        body.subheading, body.paragraph = None, None
    elif (match := BULLET.match(line)) and body.paragraph is not None:
        body.paragraph.pieces.append("\n- " + match.group(1))
    elif is_pull_quote(line, body.haystack):
        context.note("pull-quote", f"pull quote left out: {line[:60]!r}", text=line)
    elif is_heading(line):
        body.subheading, body.paragraph = line, None
    elif body.paragraph is None:
        context.note("structure", f"text outside any paragraph: {line[:60]!r}")
    else:
        # A paragraph cut by a page break, a footnote or a caption goes on here.
        body.paragraph.pieces.append(" " + line)


def is_pull_quote(line: str, haystack: str) -> bool:
    """Tell whether a line repeats, as a pull quote, a sentence printed elsewhere in the body."""
    # A pull quote repeats a sentence printed elsewhere on the page; the extraction puts
    # it among the paragraphs, where it would be read twice or join the wrong paragraph.
    return len(line.split()) >= 4 and haystack.count(one_line(line).casefold()) > 1


def paragraph_entry(context: ParseContext, paragraph: BodyParagraph) -> Entry:
    """Return a paragraph's entry, its footnote markers turned into footnotes."""
    text, refs = split_footnote_refs(strip_emphasis("".join(paragraph.pieces)))
    text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    chapter_title = CHAPTER.match(paragraph.chapter).group(2) if paragraph.chapter else ""
    where = f"{chapter_title}: {paragraph.subheading}" if paragraph.subheading else chapter_title
    return Entry(
        id=f"{PARAGRAPH_ID}{paragraph.number}",
        kind="paragraph",
        part=paragraph.part,
        title=f"{where} — paragraph {paragraph.number}",
        text=text,
        source=context.doc_id,
        order=paragraph.order,
        areas=context.areas.mentions(text),
        number=paragraph.number,
        section=" › ".join(s for s in (paragraph.chapter, paragraph.subheading) if s),
        footnotes=context.attach_footnotes(refs, f"paragraph {paragraph.number}"),
    )
