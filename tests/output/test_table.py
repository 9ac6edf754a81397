"""CSV rows: the same bytes as the csv module writes, each entry's cells quoted once, new entries new lines."""

import csv
import io
from dataclasses import replace

import pytest

from search.models import Entry, Hit
from search.output import table as table_module
from search.output.table import BOM, CSV_COLUMNS, CsvTable, Labels, file_name

LABELS = Labels(
    area={"wessex": "Wessex", "london-north": "London North"}.get, theme={"disclosure": "Disclosure"}.get
)

ENTRY = Entry(
    id="para-1.2",
    kind="paragraph",
    part="general",
    title='A "quoted", comma title',
    text="First line;\nsecond line, with a comma and a \"quote\"\r\nand 'é' ✓",
    source="report",
    order=3,
    areas=("wessex", "london-north"),
    themes=("disclosure",),
    number="1.2",
    section="1. Summary",
)
# A line break alone (no comma, no quote) must make a cell quoted too.
BARE = Entry(
    id="rating-x/1", kind="rating", part="c", title="Plain", text="one\ntwo", source="report", order=4
)


def expected_rows(entry_url: str) -> list[list[str]]:
    """Return the cells the rows of HITS must read back as."""
    return [
        list(CSV_COLUMNS),
        [
            "para-1.2",
            "Paragraph",
            "General",
            "1.2",
            'A "quoted", comma title',
            "Wessex; London North",
            "Disclosure",
            "1. Summary",
            ENTRY.text,
            entry_url + "para-1.2",
            "paragraph",
            "general",
            "wessex;london-north",
            "disclosure",
        ],
        [
            "rating-x/1",
            "Scores",
            "C: High quality casework",
            "",
            "Plain",
            "",
            "",
            "",
            "one\ntwo",
            entry_url + "rating-x%2F1",
            "rating",
            "c",
            "",
            "",
        ],
    ]


HITS = [Hit(ENTRY, 12.5, ""), Hit(BARE, None, "")]


@pytest.mark.parametrize(
    "entry_url",
    ["http://localhost:8000/entries/", 'https://example.org/a,"b"/entries/', "https://example.org/é/"],
)
def test_rows_are_the_csv_modules_bytes(entry_url):
    table = CsvTable()
    written = table.write(HITS, entry_url, "b1", LABELS)
    assert written.startswith(BOM)  # so that spreadsheets read it as UTF-8
    assert list(csv.reader(io.StringIO(written.decode("utf-8-sig"), newline=""))) == expected_rows(entry_url)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(expected_rows(entry_url))
    assert written == BOM + out.getvalue().encode()  # quoted only where the csv module quotes
    assert table.write(HITS, entry_url, "b1", LABELS) == written  # again, from the kept lines


def test_each_entry_is_quoted_once(monkeypatch):
    made = []
    real = table_module.entry_cells
    monkeypatch.setattr(
        table_module, "entry_cells", lambda entry, labels: made.append(entry.id) or real(entry, labels)
    )
    table = CsvTable()
    for _ in range(3):
        table.write([Hit(ENTRY, 1.0, ""), Hit(BARE, 2.0, "")], "http://x/", "b1", LABELS)
    assert made == ["para-1.2", "rating-x/1"]


def test_a_new_entry_with_the_same_id_gets_a_new_line():
    table = CsvTable()
    table.write([Hit(ENTRY, 1.0, "")], "http://x/", "b1", LABELS)
    rebuilt = replace(ENTRY, text="Text of a newer build")
    written = table.write([Hit(rebuilt, 1.0, "")], "http://x/", "b1", LABELS)
    rows = list(csv.reader(io.StringIO(written.decode("utf-8-sig"))))
    assert rows[1][8] == "Text of a newer build"


def test_no_hits_is_the_header_alone():
    assert (
        CsvTable().write([], "http://x/", "b1", LABELS)
        == BOM
        + b"id,kind,part,number,title,areas,themes,section,text,url,kind_code,part_code,area_slugs,theme_slugs\r\n"
    )


@pytest.mark.parametrize(
    ("words", "name"),
    [(("disclosure", "wessex"), "aap-disclosure-wessex.csv"), (('"Victim letters"', "issue"), "aap-victim-letters-issue.csv"),
     (("",), "aap-all-entries.csv"), (("x" * 200,), "aap-" + "x" * 80 + ".csv")],
)  # fmt: skip
def test_file_names_say_what_they_hold(words, name):
    assert file_name(*words) == name


def test_lines_are_kept_for_one_build_at_a_time(monkeypatch):
    made = []
    real = table_module.entry_cells
    monkeypatch.setattr(
        table_module, "entry_cells", lambda entry, labels: made.append(entry.id) or real(entry, labels)
    )
    table = CsvTable()
    table.write([Hit(ENTRY, 1.0, ""), Hit(BARE, 2.0, "")], "http://x/", "b1", LABELS)
    table.write([Hit(BARE, 2.0, "")], "http://x/", "b2", LABELS)
    assert made == ["para-1.2", "rating-x/1", "rating-x/1"]  # another build's lines are not reused
    assert len(table._lines) == 1  # nor kept: the table holds one build's lines
