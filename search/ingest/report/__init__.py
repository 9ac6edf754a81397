"""Parse an Area Assurance Programme composite report (plain text from its PDF) into entries.

The text comes straight from the PDF, so the parser repairs what the extraction
broke rather than expecting a clean document: running headers, paragraphs cut by
page breaks, footnotes, pull quotes, tables and the Annex B rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from search.curated.areas import AreaRegistry
from search.ingest.textclean import (
    FOOTNOTE_LINE,
    clean_markup,
    one_line,
    split_footnote_refs,
    strip_emphasis,
    superscript_number,
)
from search.models import Entry, Finding, Footnote, Rating

CHAPTER = re.compile(r"^(\d)\.\s+(\S.*)$")
PARAGRAPH = re.compile(r"^(\d+\.\d+)\.\s+(.*)$")
BULLET = re.compile(r"^[-–]\s+(.*)$")
CAPTION = re.compile(r"^Table (\d+):\s*(.*)$")
PART_HEADING = re.compile(r"^Part ([A-E]):\s*(.+)$")
CRITERION = re.compile(r"^(?:-\s*)?(\d+)\.\s+(.*)$")
SUB_CRITERION = re.compile(r"^-\s*([a-z])\.\s+(.*)$")
ANNEX_B_ROW = re.compile(r"^([^\t]+)\t(\d+)\t(.*)$")
ANNEX_B_KINDS = {"Issues to address": "issue", "Good practice": "good-practice", "Strengths": "strength"}
SCORE_CODE = re.compile(r"^([A-E])(\d+):\s*(.+)$")
REPORT_LINK = re.compile(r"^Area Assurance Inspection of (?:CPS )?(.+?);\s*(.+)$")
URL = re.compile(r"^(?:https?://)?[\w.-]+\.[a-z]{2,}/\S*$")
ANNEX = re.compile(r"^Annex ([A-D])$")
KIND_TITLES = {"issue": "issue to address", "good-practice": "good practice", "strength": "strength"}


def slugify(text: str) -> str:
    """Return a lower-case, hyphenated slug of text."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def is_heading(line: str) -> bool:
    """Tell whether a lone line reads as a heading: short, capitalised, unpunctuated."""
    words = line.split()
    return 0 < len(words) <= 8 and line[0].isupper() and line[-1] not in ".,;:!?"


@dataclass
class _Paragraph:
    number: str
    chapter: str
    part: str
    subheading: str | None
    lines: list[str]
    order: int


@dataclass
class _Table:
    rows: list[list[str]]
    part: str
    chapter: str
    order: int
    caption: str = ""
    number: str = ""


@dataclass
class ParsedReport:
    """Entries and data-quality findings read from one report."""

    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    stated_counts: dict[tuple[str, str], int] = field(default_factory=dict)


class ReportParser:
    """Read one composite report's lines into entries, noting what is odd on the way."""

    def __init__(self, doc_id: str, title: str, areas: AreaRegistry, id_prefix: str = ""):
        self.doc_id = doc_id
        self.title = title
        self.areas = areas
        self.id_prefix = id_prefix
        self.result = ParsedReport()
        self.footnotes: dict[str, str] = {}
        self._order = 0

    # -- helpers -------------------------------------------------------------

    def next_order(self) -> int:
        self._order += 1
        return self._order

    def note(self, kind: str, message: str, **detail) -> None:
        self.result.findings.append(Finding(kind, message, self.doc_id, detail))

    def add(self, entry: Entry) -> None:
        # Ids are formed per report; a corpus of several reports gives each but the
        # first a prefix in its manifest row, so that ids stay unique and permanent.
        if self.id_prefix:
            entry = replace(entry, id=self.id_prefix + entry.id)
        self.result.entries.append(entry)

    def is_running_header(self, line: str) -> bool:
        return line == self.title or re.sub(r"^.*\s[–-]\s", "", line) == self.title

    def area_slug(self, name: str, where: str) -> str:
        slug = self.areas.resolve(name)
        if slug is None:
            self.note("unknown-area", f"unknown Area spelling {name!r} in {where}", spelling=name)
            return slugify(name)
        return slug

    def attach_footnotes(self, refs: tuple[str, ...], where: str) -> tuple[Footnote, ...]:
        notes = []
        for ref in dict.fromkeys(refs):
            if ref in self.footnotes:
                notes.append(Footnote(ref, self.footnotes[ref]))
            else:
                self.note("missing-footnote", f"footnote {ref} cited in {where} has no text", ref=ref)
        return tuple(notes)

    # -- the whole document -----------------------------------------------------

    def parse(self, text: str) -> ParsedReport:
        """Parse the report text."""
        lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
        sections = self.split_sections(lines)
        for line in sections.get("body", []) + sections.get("C", []):
            match = FOOTNOTE_LINE.match(line.strip())
            if match:
                self.footnotes[superscript_number(match.group(1))] = match.group(2).strip()
        self.parse_body(sections.get("body", []))
        self.parse_annex_a(sections.get("A", []))
        self.parse_annex_b(sections.get("B", []))
        self.parse_annex_c(sections.get("C", []))
        self.parse_annex_d(sections.get("D", []))
        return self.result

    def split_sections(self, lines: list[str]) -> dict[str, list[str]]:
        """Split the text into the body (chapters 1–6) and Annexes A–D."""
        sections: dict[str, list[str]] = {}
        current = None
        for line in lines:
            stripped = line.strip()
            if self.is_running_header(stripped):
                continue
            if current is None:
                # The contents page lists chapters with a tab and page number.
                match = CHAPTER.match(stripped)
                if match and "\t" not in line and match.group(1) == "1":
                    current = "body"
                else:
                    continue
            annex = ANNEX.match(stripped)
            if annex:
                current = annex.group(1)
                continue
            sections.setdefault(current, []).append(line)
        if "body" not in sections:
            self.note("structure", "no chapter '1.' found; the report body is empty")
        return sections

    # -- chapters 1–6 ------------------------------------------------------------

    def parse_body(self, lines: list[str]) -> None:
        """Read the numbered paragraphs, tables and their captions."""
        blocks = [line for line in lines if line.strip()]
        haystack = " ".join(one_line(b).casefold() for b in blocks)
        paragraphs: list[_Paragraph] = []
        tables: list[_Table] = []
        chapter, part, subheading = "", "general", None
        current: _Paragraph | None = None
        table: _Table | None = None
        for line in blocks:
            stripped = line.strip()
            if FOOTNOTE_LINE.match(stripped):
                continue
            if "\t" in line:
                if table is None:
                    table = _Table([], part, chapter, self.next_order())
                    tables.append(table)
                table.rows.append([cell.strip() for cell in line.split("\t")])
                continue
            caption = CAPTION.match(stripped)
            if caption and table is not None:
                table.number, table.caption = caption.group(1), stripped
                table = None
                continue
            if table is not None:
                self.note("structure", f"table without a caption before {stripped[:40]!r}")
                table = None
            if match := PARAGRAPH.match(stripped):
                current = _Paragraph(
                    match.group(1), chapter, part, subheading, [match.group(2)], self.next_order()
                )
                paragraphs.append(current)
                continue
            if match := CHAPTER.match(stripped):
                chapter = stripped
                heading = match.group(2)
                part_match = PART_HEADING.match(heading)
                part = part_match.group(1).lower() if part_match else "general"
                subheading, current = None, None
                continue
            if (match := BULLET.match(stripped)) and current is not None:
                current.lines.append("\n- " + match.group(1))
                continue
            words = stripped.split()
            if len(words) >= 4 and haystack.count(one_line(stripped).casefold()) > 1:
                # A pull quote repeats a sentence printed elsewhere on the page.
                self.note("pull-quote", f"pull quote left out: {stripped[:60]!r}", text=stripped)
                continue
            if is_heading(stripped):
                subheading, current = stripped, None
                continue
            if current is None:
                self.note("structure", f"text outside any paragraph: {stripped[:60]!r}")
                continue
            # A paragraph cut by a page break, footnote or caption goes on here.
            current.lines.append(" " + stripped)
        for para in paragraphs:
            self.add_paragraph(para)
        for tab in tables:
            self.add_table(tab)

    def add_paragraph(self, para: _Paragraph) -> None:
        raw = "".join(para.lines)
        text, refs = split_footnote_refs(strip_emphasis(raw))
        text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
        chapter_title = CHAPTER.match(para.chapter).group(2) if para.chapter else ""
        where = f"{chapter_title}: {para.subheading}" if para.subheading else chapter_title
        section = " › ".join(s for s in (para.chapter, para.subheading) if s)
        self.add(
            Entry(
                id=f"para-{para.number}",
                kind="paragraph",
                part=para.part,
                title=f"{where} — paragraph {para.number}",
                text=text,
                source=self.doc_id,
                order=para.order,
                areas=self.areas.mentions(text),
                number=para.number,
                section=section,
                footnotes=self.attach_footnotes(refs, f"paragraph {para.number}"),
            )
        )

    def add_table(self, table: _Table) -> None:
        caption, refs = split_footnote_refs(table.caption)
        footnotes = self.attach_footnotes(refs, caption or "a table")
        header, rows = table.rows[0], table.rows[1:]
        part_match = PART_HEADING.match(header[0])
        if part_match and len(header) > 2:
            self.add_score_rows(table, caption, footnotes, part_match.group(1).lower())
            return
        lines = [f"{header[0]}: " + " | ".join(header[1:])]
        lines += [f"{row[0]}: " + " | ".join(row[1:]) for row in rows]
        self.add(
            Entry(
                id=f"table-{table.number or table.order}",
                kind="table",
                part=table.part,
                title=caption or header[0],
                text=caption + "\n" + "\n".join(lines),
                source=self.doc_id,
                order=table.order,
                number=table.number or None,
                section=table.chapter,
                footnotes=footnotes,
            )
        )

    def add_score_rows(self, table: _Table, caption: str, footnotes, part: str) -> None:
        header = table.rows[0]
        columns = []
        for position, label in enumerate(header[1:], start=1):
            match = SCORE_CODE.match(label)
            if match:
                code = f"{part.upper()}{position}"
                if match.group(1).lower() + match.group(2) != code.lower():
                    self.note(
                        "score-code",
                        f"{caption.split(':')[0]} labels column {position} {label!r}; read as {code}",
                        label=label,
                        code=code,
                    )
                columns.append((code, match.group(3), label))
            else:
                columns.append((part.upper(), label, label))
        for row in table.rows[1:]:
            slug = self.area_slug(row[0], caption)
            if len(row) != len(header):
                self.note(
                    "structure", f"{caption}: row {row[0]!r} has {len(row)} cells, header {len(header)}"
                )
            ratings = tuple(
                Rating(code, name, value, label)
                for (code, name, label), value in zip(columns, row[1:], strict=False)
            )
            name = self.areas.label(slug) if slug in self.areas.by_slug else row[0]
            scores = "; ".join(f"{r.code} {r.criterion}: {r.rating}" for r in ratings)
            self.add(
                Entry(
                    id=f"rating-{part}-{slug}",
                    kind="rating",
                    part=part,
                    title=f"{name}: Part {part.upper()} scores ({caption.split(':')[0]})",
                    text=f"{name} — {header[0]}. {scores}.",
                    source=self.doc_id,
                    order=table.order,
                    areas=(slug,),
                    number=caption.split(":")[0].replace("Table ", "") or None,
                    section=table.chapter,
                    footnotes=footnotes,
                    ratings=ratings,
                )
            )

    # -- Annex A ---------------------------------------------------------------

    def parse_annex_a(self, lines: list[str]) -> None:
        """Read the inspection framework: expectations, criteria, sub-criteria."""
        part, subsection, mode = None, None, "intro"
        intro: list[str] = []
        intro_order = self.next_order()
        last_criterion = None
        for line in (line.strip() for line in lines):
            if not line:
                continue
            if match := PART_HEADING.match(line):
                part, subsection, mode, last_criterion = match.group(1).lower(), None, "part", None
                part_title = line
                continue
            if part is None:
                if not is_heading(line):
                    intro.append(line)
                continue
            if line == "Performance expectation":
                mode = "expectation"
                continue
            if line == "Criteria":
                mode = "criteria"
                continue
            section = " › ".join(s for s in ("Annex A: Inspection framework", part_title, subsection) if s)
            if mode == "expectation":
                self.add_criterion(
                    f"criterion-{part}-expectation",
                    part,
                    f"{part_title}: performance expectation",
                    line,
                    section,
                    None,
                )
                continue
            if (match := SUB_CRITERION.match(line)) and last_criterion:
                number = f"{last_criterion}{match.group(1)}"
                self.add_criterion(
                    f"criterion-{part}-{number}",
                    part,
                    f"Part {part.upper()} sub-criterion {number}",
                    match.group(2),
                    section,
                    number,
                )
                continue
            if match := CRITERION.match(line):
                last_criterion = match.group(1)
                self.add_criterion(
                    f"criterion-{part}-{last_criterion}",
                    part,
                    f"Part {part.upper()} criterion {last_criterion}",
                    match.group(2),
                    section,
                    last_criterion,
                )
                continue
            if is_heading(line):
                subsection = line
                continue
            self.note("structure", f"Annex A: unexpected line {line[:60]!r}")
        if intro:
            self.add_criterion(
                "criterion-introduction",
                "general",
                "Inspection framework: introduction",
                "\n\n".join(intro),
                "Annex A: Inspection framework",
                None,
                order=intro_order,
            )

    def add_criterion(self, entry_id, part, title, text, section, number, order=None) -> None:
        text = "\n\n".join(one_line(p) for p in text.split("\n\n"))
        if subsection := section.split(" › ")[2:]:
            title = f"{title} ({subsection[0]})"
        self.add(
            Entry(
                id=entry_id,
                kind="criterion",
                part=part,
                title=title,
                text=text,
                source=self.doc_id,
                order=order or self.next_order(),
                number=number,
                section=section,
            )
        )

    # -- Annex B ---------------------------------------------------------------

    def parse_annex_b(self, lines: list[str]) -> None:
        """Read the issues to address, good practice and strengths."""
        kind = part = part_title = None
        rows: list[dict] = []
        for line in lines:
            stripped = line.strip()
            if not stripped:
                continue
            if stripped in ANNEX_B_KINDS:
                kind, part = ANNEX_B_KINDS[stripped], None
                continue
            if match := PART_HEADING.match(stripped):
                part, part_title = match.group(1).lower(), stripped
                continue
            if line.startswith("\t\t") and rows:
                # A row cut by a page break goes on in the second column's place.
                rows[-1]["text"] += " " + stripped
                continue
            match = ANNEX_B_ROW.match(line)
            if match and kind and part:
                area, number, text = match.groups()
                rows.append(
                    {
                        "area": area.strip(),
                        "number": number,
                        "text": text,
                        "kind": kind,
                        "part": part,
                        "part_title": part_title,
                    }
                )
                continue
            if kind is None:
                continue  # the Annex's title lines
            self.note("structure", f"Annex B: unexpected line {stripped[:60]!r}")
        seen: set[str] = set()
        for row in rows:
            self.add_annex_b_row(row, seen)

    def add_annex_b_row(self, row: dict, seen: set[str]) -> None:
        kind = row["kind"]
        slug = self.area_slug(row["area"], f"Annex B {kind} {row['number']}")
        entry_id = f"{kind}-{slug}-{row['number']}"
        shown = self.id_prefix + entry_id
        if entry_id in seen:
            self.note("duplicate-id", f"Annex B: {shown} appears twice; the second is left out", id=shown)
            return
        seen.add(entry_id)
        text, unsplit_list = clean_markup(strip_emphasis(row["text"]))
        if unsplit_list:
            self.note(
                "unsplit-list",
                f"{shown}: list markup without item boundaries; kept as one run of text",
                id=shown,
            )
        name = self.areas.label(slug) if slug in self.areas.by_slug else row["area"]
        kind_title = {
            "issue": "Issues to address",
            "good-practice": "Good practice",
            "strength": "Strengths",
        }[kind]
        self.add(
            Entry(
                id=entry_id,
                kind=kind,
                part=row["part"],
                title=f"{name}: {KIND_TITLES[kind]} {row['number']}",
                text=text,
                source=self.doc_id,
                order=self.next_order(),
                areas=(slug,),
                number=row["number"],
                section=f"Annex B: {kind_title} › {row['part_title']}",
            )
        )

    # -- Annex C ---------------------------------------------------------------

    def parse_annex_c(self, lines: list[str]) -> None:
        """Read the casework findings, one entry per paragraph or table under its heading."""
        heading, group = None, None
        blocks: list[tuple[str, str | None, object]] = []
        table: list[list[str]] | None = None
        previous_was_heading = False
        for line in lines:
            stripped = line.strip()
            if not stripped or FOOTNOTE_LINE.match(stripped):
                continue
            if "\t" in line:
                if table is None:
                    table = []
                    blocks.append((heading, group, table))
                table.append([cell.strip() for cell in line.split("\t")])
                previous_was_heading = False
                continue
            table = None
            if is_heading(stripped):
                if stripped == "Casework findings" and heading is None:
                    continue
                # A heading straight after another is a subheading of it.
                group = heading if previous_was_heading else None
                heading, previous_was_heading = stripped, True
                continue
            previous_was_heading = False
            blocks.append((heading, group, stripped))
        counts: dict[str, int] = {}
        for heading, group, content in blocks:
            heading = heading or "Casework findings"
            counts[heading] = counts.get(heading, 0) + 1
            n = counts[heading]
            if isinstance(content, list):
                header, rows = content[0], content[1:]
                text = "\n".join(
                    [f"{header[0]}: " + " | ".join(header[1:])]
                    + [f"{r[0]}: " + " | ".join(r[1:]) for r in rows]
                )
            else:
                text = content
            text, refs = split_footnote_refs(strip_emphasis(text))
            section = " › ".join(s for s in ("Annex C: Casework findings", group, heading) if s)
            self.add(
                Entry(
                    id=f"finding-{slugify(heading)}-{n}",
                    kind="finding",
                    part="c",
                    title=f"Casework findings: {heading} ({n})",
                    text=text,
                    source=self.doc_id,
                    order=self.next_order(),
                    areas=self.areas.mentions(text),
                    number=str(n),
                    section=section,
                    footnotes=self.attach_footnotes(refs, f"Annex C {heading}"),
                )
            )

    # -- Annex D ---------------------------------------------------------------

    def parse_annex_d(self, lines: list[str]) -> None:
        """Read the links to each Area's own report; stop at the back matter."""
        pending = None
        for line in (line.strip() for line in lines):
            if not line:
                continue
            if match := REPORT_LINK.match(line):
                pending = match
                continue
            if pending and URL.match(line):
                self.add_report(pending, line)
                pending = None
                continue
            if any(e.kind == "report" for e in self.result.entries):
                break  # the address and licence that close the report

    def add_report(self, match: re.Match, url: str) -> None:
        name, date = match.group(1), match.group(2)
        slug = self.area_slug(name, "Annex D")
        if not url.startswith("http"):
            url = "https://" + url
        label = self.areas.label(slug) if slug in self.areas.by_slug else name
        self.add(
            Entry(
                id=f"report-{slug}",
                kind="report",
                part="general",
                title=match.group(0),
                text=f"Area Assurance Inspection of CPS {label}, published {date}.",
                source=self.doc_id,
                order=self.next_order(),
                areas=(slug,),
                section="Annex D: Links to Area Assurance Programme reports",
                url=url,
            )
        )


def parse_report(
    text: str, doc_id: str, title: str, areas: AreaRegistry, id_prefix: str = ""
) -> ParsedReport:
    """Parse one composite report's text into entries and data-quality findings.

    `id_prefix` (from the document's manifest row) is put before every entry id.
    """
    return ReportParser(doc_id, title, areas, id_prefix).parse(text)
