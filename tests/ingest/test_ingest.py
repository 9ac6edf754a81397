"""Ingest on the real report: counts, ids, repaired paragraphs, Areas, data quality."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

import pytest

from search.models import Entry

ID_FORMS = {
    "paragraph": r"^para-\d\.\d{1,2}$",
    "issue": r"^issue-[a-z]+(-[a-z]+)*-\d+$",
    "good-practice": r"^good-practice-[a-z]+(-[a-z]+)*-\d+$",
    "strength": r"^strength-[a-z]+(-[a-z]+)*-\d+$",
    "rating": r"^rating-[a-e]-[a-z-]+$",
    "criterion": r"^criterion-([a-e]-(\d+[a-z]?|expectation)|introduction)$",
    "finding": r"^finding-[a-z0-9-]+-\d+$",
    "report": r"^report-[a-z-]+$",
    "table": r"^table-\d+$",
}
AREAS = {
    "cymru-wales",
    "east-midlands",
    "east-of-england",
    "london-north",
    "london-south",
    "mersey-cheshire",
    "north-east",
    "north-west",
    "south-east",
    "south-west",
    "thames-and-chiltern",
    "wessex",
    "west-midlands",
    "yorkshire-and-humberside",
}


def test_counts_by_kind(catalogue):
    counts = Counter(e.kind for e in catalogue.entries)
    assert counts["paragraph"] == 94
    assert counts["issue"] == 135
    assert counts["good-practice"] == 30
    assert counts["strength"] == 51
    assert counts["rating"] == 12 + 12 + 14 + 12
    assert counts["report"] == 14
    assert counts["table"] == 1
    assert counts["criterion"] == 78
    assert counts["finding"] >= 20


def test_annex_b_split_by_part_matches_the_report(catalogue):
    counts = Counter(
        (e.part, e.kind) for e in catalogue.entries if e.kind in ("issue", "good-practice", "strength")
    )
    assert (
        counts[("a", "good-practice")] == 6
        and counts[("a", "strength")] == 23
        and counts[("a", "issue")] == 16
    )
    assert (
        counts[("b", "good-practice")] == 13
        and counts[("b", "strength")] == 14
        and counts[("b", "issue")] == 23
    )
    assert counts[("c", "good-practice")] == 7 and counts[("c", "strength")] == 5
    assert counts[("c", "issue")] == 70  # 75 stated; five rows are missing from the source
    assert (
        counts[("d", "good-practice")] == 4
        and counts[("d", "strength")] == 9
        and counts[("d", "issue")] == 26
    )


def test_ids_unique_and_in_spec_form(catalogue):
    ids = [e.id for e in catalogue.entries]
    assert len(ids) == len(set(ids))
    for entry in catalogue.entries:
        assert re.match(ID_FORMS[entry.kind], entry.id), entry.id
        assert entry.source == "hmcpsi-aap-composite-report-2019"
        assert entry.part in {"a", "b", "c", "d", "e", "general"}
        assert set(entry.areas) <= AREAS


def test_paragraph_numbers_run_from_1_1_to_6_8(entries):
    numbers = [e.number for e in entries.values() if e.kind == "paragraph"]
    assert numbers[0] == "1.1" and numbers[-1] == "6.8"
    per_chapter = Counter(n.split(".")[0] for n in numbers)
    assert per_chapter == {"1": 24, "2": 20, "3": 15, "4": 15, "5": 12, "6": 8}


def test_paragraphs_are_clean(catalogue):
    for entry in catalogue.entries:
        if entry.kind != "paragraph":
            continue
        assert entry.text.strip(), entry.id
        assert "Area Assurance Programme composite report\n" not in entry.text
        assert not re.search(r"[¹²³⁴⁵⁶⁷⁸⁹]", entry.text), entry.id
        assert "justiceinspectorates.gov.uk" not in entry.text, entry.id
        assert "Table 1:" not in entry.text and "\t" not in entry.text
        assert "Excludes the pilot Areas" not in entry.text


@pytest.mark.parametrize(
    "entry_id, joined",
    [
        ("para-1.9", "In some Areas, there was evidence that a drive for continuous improvement"),
        ("para-1.15", "within investigations and prosecutions. This includes focused classroom training"),
        ("para-2.4", "keep them informed about important developments. This was effective"),
        ("para-2.9", "including consulting staff consultation and involving them"),
        ("para-2.17", "In all the AAP reports, inspectors highlight significant interaction"),
        ("para-3.9", "across the Areas (reducing the spans of control)"),
        ("para-3.11", "suggested resource imbalances may be having an adverse impact"),
        ("para-4.13", "both CPS London North and CPS London South have been working with the police"),
        ("para-5.7", "handling victims' personal data. In these four reports"),
        ("para-6.5", "which was struggling to recruit because of geographical issues"),
    ],
)
def test_page_break_halves_rejoined(entries, entry_id, joined):
    assert joined in entries[entry_id].text


def test_pull_quotes_left_out(catalogue, entries):
    quote = "Changes in senior management had resulted in improved visibility"
    assert quote not in entries["para-2.13"].text
    assert "changes in senior management had resulted in improved visibility" in entries["para-2.16"].text
    assert entries["para-3.10"].text.count("open and proactive approach") == 0
    assert entries["para-3.13"].text.count("An open and proactive approach to sharing information") == 1
    kinds = [f.kind for f in catalogue.findings]
    assert kinds.count("pull-quote") == 2


def test_bullets_belong_to_their_paragraph(entries):
    assert entries["para-2.6"].text.count("\n- ") == 9
    assert "\n- leadership and managing change." in entries["para-2.6"].text
    assert entries["para-6.2"].text.endswith("- the robustness of the magistrates and the judiciary.")
    assert entries["para-1.20"].text.count("\n- ") == 5


def test_footnotes_attached_to_the_citing_paragraph(entries):
    assert [f.number for f in entries["para-1.2"].footnotes] == ["1"]
    assert entries["para-1.2"].footnotes[0].text.startswith("justiceinspectorates.gov.uk/hmcpai")
    assert [f.number for f in entries["para-4.8"].footnotes] == ["7"]
    assert [f.number for f in entries["para-5.5"].footnotes] == ["9"]
    assert entries["para-5.5"].footnotes[0].text.startswith("Victim Liaison Units produce")
    assert not entries["para-4.13"].footnotes  # footnote 7 sits inside 4.13 but belongs to 4.8
    assert [f.number for f in entries["rating-a-wessex"].footnotes] == ["4"]


def test_area_tagging_of_narrative(entries):
    assert set(entries["para-4.13"].areas) == {"london-north", "london-south"}
    assert set(entries["para-3.9"].areas) == {
        "london-north",
        "london-south",
    }  # "both London Areas", "London North and South"
    assert set(entries["para-2.12"].areas) == {"west-midlands", "london-north", "london-south"}
    assert set(entries["para-1.3"].areas) == {"cymru-wales", "south-west"}  # "CPS Wales", "CPS South West"
    assert set(entries["para-4.5"].areas) == {"cymru-wales"}
    assert entries["para-2.5"].areas == ()


def test_annex_b_rows(entries):
    row = entries["issue-west-midlands-3"]
    assert row.text.endswith(
        "especially with regard to the impact of agent spend and use of external counsel."
    )
    assert (row.part, row.areas, row.number) == ("b", ("west-midlands",), "3")
    assert entries["issue-mersey-cheshire-1"].areas == ("mersey-cheshire",)
    assert entries["issue-thames-and-chiltern-1"].text == "The Area needs to instil a one Area ethos."
    bulleted = entries["issue-south-east-9"].text
    assert bulleted.splitlines() == [
        "Legal managers must ensure:",
        "- police are asked to rectify defective unused material schedules",
        "- there is quality assurance of disclosure record sheets",
        "- full compliance with the prosecution’s disclosure obligations.",
    ]
    for entry in entries.values():
        assert "<" not in entry.text and "•" not in entry.text, entry.id


def test_scores_tables_as_structured_ratings(entries):
    row = entries["rating-c-south-west"]
    assert [(r.code, r.rating) for r in row.ratings] == [
        ("C1", "Good"),
        ("C2", "Fair"),
        ("C3", "Poor"),
        ("C4", "Fair"),
        ("C", "Fair"),
    ]
    assert row.ratings[2].criterion == "Reviews and decisions in Crown Court"
    assert entries["rating-a-mersey-cheshire"].areas == ("mersey-cheshire",)
    assert entries["rating-b-thames-and-chiltern"].ratings[0].rating == "Poor"
    assert "rating-a-cymru-wales" not in entries  # the pilot Areas are not in Tables 1, 3, 5
    assert "Employee engagement: 54% | 59% | 61% | 61%" in entries["table-2"].text


def test_annex_a_criteria(entries):
    assert entries["criterion-c-3d"].text.startswith("Reviews and decisions: comply with the Code")
    assert entries["criterion-c-3d"].section.endswith("Crown Court casework")
    assert entries["criterion-d-1"].text.startswith("Communications with victims")
    assert entries["criterion-e-5"].part == "e"
    assert entries["criterion-b-expectation"].text.startswith("The Area continuously improves")


def test_annex_c_and_d(entries):
    table = entries["finding-code-compliance-3"]
    assert "CPS Direct charging decisions: 94.6% | 95.1% | 95.0%" in table.text
    assert table.part == "c"
    assert (
        entries["report-wessex"].url
        == "https://justiceinspectorates.gov.uk/hmcpsi/inspections/area-assurance-inspection-of-cps-wessex"
    )
    assert entries["report-mersey-cheshire"].areas == ("mersey-cheshire",)


def test_data_quality_findings(catalogue):
    findings = {(f.kind, f.message) for f in catalogue.findings}
    messages = " | ".join(m for _, m in findings)
    assert "north-east: issue numbers 8, 9, 10 are missing from the source" in messages
    assert "mersey-cheshire: issue numbers 7, 8 are missing from the source" in messages
    assert "Part C issue: 70 found, 75 stated (para-4.6)" in messages
    assert "Part A strength: 23 found, 23 stated (para-2.20)" in messages
    assert "para-4.7: author placeholder '[add link to Disclosure report]'" in messages
    assert "author placeholder 'paragraph #'" in messages
    assert not [f for f in catalogue.findings if f.kind == "unknown-area"]
    short = [f for f in catalogue.findings if f.kind == "count" and f.detail["status"] != "ok"]
    assert [(f.detail["part"], f.detail["entry_kind"]) for f in short] == [("c", "issue")]


def test_unknown_area_spelling_is_reported(catalogue):
    from search.ingest.report import parse_report

    text = "1. Summary\n\nAnnex B\nIssues to address\nPart A: The success of CPS people\nAtlantis\t1\tThe Area should float.\n"
    parsed = parse_report(text, "doc", "Title", catalogue.areas)
    assert [f.kind for f in parsed.findings] == ["unknown-area"]
    assert parsed.entries[0].id == "issue-atlantis-1"


def test_an_entry_as_data_is_every_field_that_applies_in_the_fields_order(catalogue):
    def reference(entry):
        data = dataclasses.asdict(entry)
        for key, value in list(data.items()):
            if value is None or (key in ("footnotes", "ratings") and not value):
                del data[key]
            elif isinstance(value, tuple):
                data[key] = [dict(v) if isinstance(v, dict) else v for v in value]
        return data

    kinds = set()
    for entry in catalogue.entries:
        data = entry.to_dict()
        assert list(data.items()) == list(reference(entry).items()), entry.id
        assert Entry.from_dict(data) == entry
        kinds.update(k for k in ("footnotes", "ratings", "number", "section", "url") if k in data)
    assert kinds == {"footnotes", "ratings", "number", "section", "url"}
