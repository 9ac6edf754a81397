"""Write a large synthetic corpus in the report's own text format, for the scale benchmark.

Each synthetic "report" has the structure of the real one — chapters 1–6 of numbered
paragraphs under the same headings, the four scores tables and the People Survey
table, Annex A (the framework, the same in every report), Annex B rows for the 14
Areas, Annex C findings and Annex D links — with the real report's sentences
reshuffled, so vocabulary and term frequencies are realistic. A few of the source's
quirks are kept on purpose so the parser does real work: running headers, paragraphs
cut by a page break, footnotes, bullet lists, "•" bullets and spelling variants of
Area names. Every synthetic report has an `id_prefix` in its manifest row, so entry
ids stay unique across the corpus; the real report, first, keeps its own ids.

    python -m search.bench.synthetic OUT_DIR --entries 100000 [--seed 7] [--corpus corpus]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from search.bench.entry import run
from search.curated.ordering import ORDERING_FILE
from search.ingest.catalogue import Catalogue, ingest
from search.ingest.corpus import MANIFEST
from search.models import ANNEX_B_HEADINGS, Entry

CURATED = ("areas.json", "themes.json", "language.json", "glossary.json", "places.json")
RUNNING_HEADER = "Area Assurance Programme composite report"
SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z‘“(])")
RATINGS = ("Poor", "Fair", "Fair", "Good", "Good", "Good", "Excellent")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
PAGE_BREAK_EVERY = 7  # every n-th long paragraph is cut by a page break


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences at a full stop followed by a capital."""
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def prose_and_list(text: str) -> tuple[str, list[str]]:
    """Split an entry's text into its prose and its "- item" list lines."""
    lines = text.split("\n")
    items = [line[2:] for line in lines[1:] if line.startswith("- ")]
    return lines[0], items


def superscript(number: int) -> str:
    return str(number).translate(SUPERSCRIPTS)


@dataclass
class Template:
    """What the real report offers a generator: its structure and pools of text."""

    paragraphs: list[Entry]
    tables: dict[str, list[Entry]]
    people_table: Entry | None
    criteria: list[Entry]
    annex_b: dict[tuple[str, str], list[Entry]]
    part_titles: dict[str, str]
    findings: list[Entry]
    reports: list[Entry]
    spellings: dict[str, list[str]]
    sentences: dict[str, list[str]] = field(default_factory=dict)
    finding_sentences: list[str] = field(default_factory=list)

    @classmethod
    def from_catalogue(cls, catalogue: Catalogue) -> Template:
        """Read the structure and the sentence pools of the catalogue's first report."""
        source = catalogue.documents[0]["id"]
        entries = [e for e in catalogue.entries if e.source == source]
        by_kind: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            by_kind[entry.kind].append(entry)
        tables: dict[str, list[Entry]] = defaultdict(list)
        for entry in by_kind["rating"]:
            tables[entry.number].append(entry)
        annex_b: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        part_titles = {}
        for kind in ANNEX_B_HEADINGS:
            for entry in by_kind[kind]:
                annex_b[(kind, entry.part)].append(entry)
                part_titles[entry.part] = entry.section.split(" › ")[1]
        spellings = {a.slug: [a.name, *a.aliases] for a in catalogue.areas.areas}
        template = cls(
            paragraphs=by_kind["paragraph"],
            tables=dict(tables),
            people_table=next(iter(by_kind["table"]), None),
            criteria=by_kind["criterion"],
            annex_b=dict(annex_b),
            part_titles=part_titles,
            findings=by_kind["finding"],
            reports=by_kind["report"],
            spellings=spellings,
        )
        pools: dict[str, list[str]] = defaultdict(list)
        for para in template.paragraphs:
            pools[para.part] += split_sentences(prose_and_list(para.text)[0])
        # Each sentence once per pool: a sentence printed twice reads as a pull quote.
        template.sentences = {part: list(dict.fromkeys(s)) for part, s in pools.items()}
        template.finding_sentences = list(
            dict.fromkeys(s for f in template.findings if "\n" not in f.text for s in split_sentences(f.text))
        )
        return template

    def annex_b_rows(self) -> int:
        return sum(len(rows) for rows in self.annex_b.values())

    def entries_per_report(self) -> int:
        """Return how many entries one full synthetic report yields."""
        return (
            len(self.paragraphs)
            + sum(len(rows) for rows in self.tables.values())
            + (1 if self.people_table else 0)
            + len(self.criteria)
            + self.annex_b_rows()
            + len(self.findings)
            + len(self.reports)
        )


class ReportWriter:
    """Write one synthetic report's text from the template, with its own random draw."""

    def __init__(self, template: Template, rng: random.Random, annex_b_rows: int | None = None):
        self.t = template
        self.rng = rng
        self.annex_b_rows = template.annex_b_rows() if annex_b_rows is None else annex_b_rows
        self.lines: list[str] = []
        self.footnotes = 0

    def emit(self, *lines: str) -> None:
        for line in lines:
            self.lines += [line, ""]

    def area_name(self, slug: str) -> str:
        return self.rng.choice(self.t.spellings[slug])

    def write(self) -> str:
        """Return the whole report text."""
        self.emit("HMCPSI", "HM Crown Prosecution Service Inspectorate", RUNNING_HEADER)
        self.emit("Synthetic report generated from the Area Assurance Programme composite report")
        self.emit("Contents", "1. Summary\t5", "Annexes")
        self.write_body()
        self.write_annex_a()
        self.write_annex_b()
        self.write_annex_c()
        self.write_annex_d()
        return "\n".join(self.lines)

    # -- chapters 1–6 ----------------------------------------------------------

    def write_body(self) -> None:
        pools = {part: self.rng.sample(s, len(s)) for part, s in self.t.sentences.items()}
        items = [(p.order, "paragraph", p) for p in self.t.paragraphs]
        items += [(rows[0].order, "scores", rows) for rows in self.t.tables.values()]
        if self.t.people_table:
            items.append((self.t.people_table.order, "people", self.t.people_table))
        chapter, subheading, long_paragraphs = None, None, 0
        for _, what, item in sorted(items, key=lambda i: i[0]):
            if what == "scores":
                self.write_scores(item)
                continue
            if what == "people":
                self.write_people_table(item)
                continue
            parts = item.section.split(" › ")
            if parts[0] != chapter:
                chapter, subheading = parts[0], None
                self.emit(chapter)
            if len(parts) > 1 and parts[1] != subheading:
                subheading = parts[1]
                self.emit(subheading)
            prose, bullets = prose_and_list(item.text)
            wanted = max(1, len(split_sentences(prose)))
            pool = pools[item.part]
            sentences = [pool.pop() for _ in range(min(wanted, len(pool)))] or [prose]
            long_paragraphs += len(sentences) >= 4 and not bullets
            self.write_paragraph(item, sentences, bullets, cut=long_paragraphs % PAGE_BREAK_EVERY == 1)

    def write_paragraph(self, para: Entry, sentences: list[str], bullets: list[str], cut: bool) -> None:
        notes = []
        for footnote in para.footnotes:
            self.footnotes += 1
            notes.append((superscript(self.footnotes), footnote.text))
        marks = "".join(mark for mark, _ in notes)
        if cut and len(sentences) >= 4:
            half = len(sentences) // 2
            # A page break: the paragraph goes on after the running header.
            self.emit(f"{para.number}. " + " ".join(sentences[:half]), RUNNING_HEADER)
            self.emit(" ".join(sentences[half:]) + marks)
        else:
            self.emit(f"{para.number}. " + " ".join(sentences) + marks)
        if bullets:
            self.lines += [f"- {item}" for item in bullets] + [""]
        for mark, text in notes:
            self.emit(f"{mark} {text}")

    def write_scores(self, rows: list[Entry]) -> None:
        first = rows[0]
        header = [first.text.split(" — ", 1)[1].split(". ", 1)[0]] + [r.label for r in first.ratings]
        self.lines.append("\t".join(header))
        for row in rows:
            cells = [self.rng.choice(RATINGS) for _ in first.ratings]
            self.lines.append("\t".join([self.area_name(row.areas[0]), *cells]))
        self.lines.append("")
        caption = first.title.split("(")[-1].rstrip(")")
        self.emit(f"{caption}: Scores for CPS Areas' performance against Part {first.part.upper()} "
                  "of the AAP inspection framework")  # fmt: skip

    def write_people_table(self, table: Entry) -> None:
        caption, header, *rows = table.text.split("\n")
        self.lines.append(header.replace(": ", "\t").replace(" | ", "\t"))
        for row in rows:
            label = row.split(": ", 1)[0]
            base = self.rng.randint(30, 80)
            cells = [f"{min(99, max(1, base + self.rng.randint(-6, 6)))}%" for _ in header.split(" | ")]
            self.lines.append("\t".join([label, *cells]))
        self.lines.append("")
        self.emit(caption)

    # -- Annex A: the framework, the same in every report -----------------------------

    def write_annex_a(self) -> None:
        self.emit(
            "Annex A", "Inspection framework", "Area Assurance Programme inspection framework", "Introduction"
        )
        intro = next((c for c in self.t.criteria if c.part == "general"), None)
        if intro:
            self.emit(*intro.text.split("\n\n"))
        part, subsection = None, None
        for criterion in (c for c in self.t.criteria if c.part != "general"):
            sections = criterion.section.split(" › ")
            if sections[1] != part:
                part, subsection = sections[1], None
                self.emit(part)
            if criterion.id.endswith("expectation"):
                self.emit("Performance expectation", criterion.text, "Criteria")
                continue
            if len(sections) > 2 and sections[2] != subsection:
                subsection = sections[2]
                self.emit(subsection)
            number = criterion.number
            if number[-1].isalpha():
                self.lines.append(f" - {number[-1]}. {criterion.text}")
            else:
                self.lines.append(f"{number}. {criterion.text}")
        self.lines.append("")

    # -- Annex B: rows for Areas drawn at random, numbered per Area and kind ----------

    def write_annex_b(self) -> None:
        self.emit("Annex B", "Issues to address, good practice and strengths")
        budget = self.annex_b_rows
        for kind, heading in ANNEX_B_HEADINGS.items():
            self.emit(heading)
            numbers: dict[str, int] = defaultdict(int)
            for part in sorted({p for k, p in self.t.annex_b if k == kind}):
                pool = self.t.annex_b[(kind, part)]
                count = min(len(pool), budget)
                if not count:
                    continue
                budget -= count
                self.emit(self.t.part_titles[part])
                rows = sorted(
                    (
                        (self.rng.choice(sorted(self.t.spellings)), text)
                        for text in self.rng.sample(pool, count)
                    ),
                    key=lambda r: r[0],
                )
                for slug, entry in rows:
                    numbers[slug] += 1
                    text = entry.text.replace("\n- ", " • ").replace("\n", " ")
                    self.lines.append(f"{self.area_name(slug)}\t{numbers[slug]}\t{text}")
                self.lines.append("")

    # -- Annex C and D -------------------------------------------------------------------

    def write_annex_c(self) -> None:
        self.emit("Annex C", "Casework findings")
        pool = self.rng.sample(self.t.finding_sentences, len(self.t.finding_sentences))
        group, heading = None, None
        for finding in self.t.findings:
            sections = finding.section.split(" › ")[1:]
            new_group = sections[0] if len(sections) > 1 else None
            if sections[-1] != heading:
                if new_group and new_group != group:
                    self.emit(new_group)
                group, heading = new_group, sections[-1]
                self.emit(heading)
            if "\n" in finding.text:  # a table: header and rows, numbers redrawn
                self.write_findings_table(finding.text)
                continue
            wanted = max(1, len(split_sentences(finding.text)))
            sentences = [pool.pop() for _ in range(min(wanted, len(pool)))] or [finding.text]
            self.emit(" ".join(sentences))

    def write_findings_table(self, text: str) -> None:
        for n, row in enumerate(text.split("\n")):
            label, _, cells = row.partition(": ")
            values = cells.split(" | ")
            if n:  # the header row stays; the figures are redrawn
                values = [f"{self.rng.uniform(40, 99):.1f}%" for _ in values]
            self.lines.append("\t".join([label, *values]))
        self.lines.append("")

    def write_annex_d(self) -> None:
        self.emit("Annex D", "Links to Area Assurance", "Programme reports")
        for report in self.t.reports:
            slug = report.areas[0]
            year = self.rng.randint(2016, 2024)
            name = self.rng.choice(
                self.t.spellings[slug][:1] + [s for s in self.t.spellings[slug] if "&" in s]
            )
            self.emit(
                f"Area Assurance Inspection of CPS {name}; {self.rng.choice(MONTHS)} {year}",
                f"justiceinspectorates.gov.uk/hmcpsi/inspections/area-assurance-inspection-of-cps-{slug}-{year}",
            )
        self.emit("HM Crown Prosecution Service Inspectorate", "© Crown copyright")


def manifest_row(number: int) -> dict:
    """Return the manifest row of synthetic report `number`."""
    return {
        "id": f"synthetic-aap-{number:04d}",
        "file": f"synthetic-aap-{number:04d}.txt",
        "format": "aap-composite",
        "title": RUNNING_HEADER,
        "subtitle": f"Synthetic report {number} (sentences of the 2019 report, reshuffled)",
        "publisher": "AAP Search benchmark generator (from HM Crown Prosecution Service Inspectorate text)",
        "date": "2019-10",
        "source_url": "https://www.justiceinspectorates.gov.uk/hmcpsi/",
        "licence": "Open Government Licence v3.0",
        "id_prefix": f"synthetic-{number:04d}-",
    }


def write_corpus(source_dir: Path, out_dir: Path, entries: int, seed: int = 7) -> dict:
    """Write a corpus of about `entries` entries (the real report first); return a summary.

    The count is exact when the real report parses as the template expects: the last
    synthetic report is shortened in Annex B to land on it.
    """
    catalogue = ingest(source_dir)
    template = Template.from_catalogue(catalogue)
    per_report = template.entries_per_report()
    fixed = per_report - template.annex_b_rows()
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in CURATED:
        shutil.copyfile(source_dir / name, out_dir / name)
    if (source_dir / ORDERING_FILE).is_file():  # the learned order, as the service ranks
        shutil.copyfile(source_dir / ORDERING_FILE, out_dir / ORDERING_FILE)
    rows = []
    for row in catalogue.documents:
        shutil.copyfile(source_dir / row["file"], out_dir / row["file"])
        rows.append(row)
    total = len(catalogue.entries)
    rng = random.Random(seed)
    while total < entries:
        annex_b = min(template.annex_b_rows(), max(0, entries - total - fixed))
        writer = ReportWriter(template, random.Random(rng.random()), annex_b_rows=annex_b)
        row = manifest_row(len(rows))
        (out_dir / row["file"]).write_text(writer.write(), encoding="utf-8")
        rows.append(row)
        total += fixed + annex_b
    (out_dir / MANIFEST).write_text(json.dumps({"documents": rows}, indent=1), encoding="utf-8")
    return {"documents": len(rows), "entries": total, "per_report": per_report}


def main(argv: list[str] | None = None) -> int:
    """Write a synthetic corpus from the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m search.bench.synthetic", description=__doc__.splitlines()[0]
    )
    parser.add_argument("out", type=Path, help="folder to write (created if missing)")
    parser.add_argument("--entries", type=int, default=10_000, help="entries in all (default 10000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), help="the real corpus folder")
    args = parser.parse_args(argv)
    summary = write_corpus(args.corpus, args.out, args.entries, args.seed)
    print(f"Wrote {summary['documents']} documents, {summary['entries']} entries, to {args.out}")
    return 0


if __name__ == "__main__":
    run(main)
