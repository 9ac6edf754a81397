"""The report parser on small hand-written report texts: one test per section and quirk."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from search.curated.areas import Area, AreaRegistry
from search.ingest.report import ParsedReport, is_heading, parse_report, slugify
from search.models import Entry, Footnote, Rating

REPO = Path(__file__).resolve().parents[2]
DOC = "doc"
TITLE = "Composite report"
AREAS = AreaRegistry(
    [
        Area("mersey-cheshire", "Mersey-Cheshire", ("Merseyside & Cheshire",)),
        Area("north-east", "North East", ("North-East",)),
        Area("wessex", "Wessex", ()),
    ],
    [],
)
# Every report's text starts with chapter 1; the text before it (cover, contents) is skipped.
SUMMARY = ["Contents", "1. Summary\t5", "Annexes", "", "1. Summary", "", "1.1. Text."]


def parse(*lines: str, id_prefix: str = "") -> ParsedReport:
    return parse_report("\n".join(lines), DOC, TITLE, AREAS, id_prefix)


def findings(parsed: ParsedReport) -> list[tuple[str, str]]:
    return [(f.kind, f.message) for f in parsed.findings]


def by_id(parsed: ParsedReport) -> dict[str, Entry]:
    return {e.id: e for e in parsed.entries}


# -- sections --------------------------------------------------------------------------


def test_text_without_chapter_one_gives_no_entries_and_says_so():
    parsed = parse("Contents", "1. Summary\t5", "Some text.")
    assert parsed.entries == []
    assert findings(parsed) == [("structure", "no chapter '1.' found; the report body is empty")]


def test_helpers_stay_importable_from_the_package():
    assert slugify("Thames & Chiltern's report") == "thames-chilterns-report"
    assert is_heading("Code compliance")
    assert not is_heading("Code compliance.")
    assert not is_heading("nine words is too many for a heading to have here")


def test_parsing_imports_no_index_query_or_web_code():
    script = (
        "import json, sys\n"
        "from search.ingest.report import parse_report\n"
        "from search.curated.areas import AreaRegistry\n"
        "parse_report('1. Summary\\n1.1. Text.', 'doc', 'Title', AreaRegistry([], []))\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    modules = json.loads(done.stdout)
    banned = [m for m in modules if m.split(".")[0] in {"whoosh", "flask", "web"}]
    banned += [m for m in modules if m.startswith(("search.index", "search.query"))]
    assert banned == []


# -- chapters 1–6: paragraphs -----------------------------------------------------------


def test_paragraph_cut_by_a_page_break_is_joined_across_header_and_footnote():
    parsed = parse(
        *SUMMARY[:-1],
        "1.1. Wessex met the *standard* in most cases¹ and the",
        "",
        TITLE,
        "",
        "¹ Based on   the file sample. ",
        "",
        "rest of the   sentence follows here.",
        "",
        "1.2. Second paragraph.",
    )
    assert parsed.entries[0] == Entry(
        id="para-1.1",
        kind="paragraph",
        part="general",
        title="Summary — paragraph 1.1",
        text="Wessex met the standard in most cases and the rest of the sentence follows here.",
        source=DOC,
        order=1,
        areas=("wessex",),
        number="1.1",
        section="1. Summary",
        footnotes=(Footnote("1", "Based on   the file sample."),),
    )
    assert [(e.id, e.text, e.order) for e in parsed.entries[1:]] == [("para-1.2", "Second paragraph.", 2)]
    assert findings(parsed) == []


def test_footnote_is_attached_by_its_superscript_and_a_missing_one_reported():
    parsed = parse(
        *SUMMARY[:-1],
        "1.1. Cited twice¹² and again¹.",
        "¹² A two-digit footnote.",
        "3. Part B: Continuous improvement",
        "3.1. Cites a note with no text³.",
        "¹ The first footnote.",
    )
    entries = by_id(parsed)
    assert entries["para-1.1"].text == "Cited twice and again."
    assert entries["para-1.1"].footnotes == (
        Footnote("12", "A two-digit footnote."),
        Footnote("1", "The first footnote."),
    )
    assert entries["para-3.1"].part == "b"
    assert entries["para-3.1"].title == "Part B: Continuous improvement — paragraph 3.1"
    assert entries["para-3.1"].footnotes == ()
    assert findings(parsed) == [("missing-footnote", "footnote 3 cited in paragraph 3.1 has no text")]


def test_pull_quote_is_left_out_and_reported():
    quote = "Leaders were visible and staff felt well informed"
    parsed = parse(
        *SUMMARY[:-1],
        "1.1. Leaders were visible and staff felt well informed about change.",
        quote,
        "and the paragraph goes on after the quote.",
        "Short Pull Quote",
    )
    assert [(e.id, e.text) for e in parsed.entries] == [
        (
            "para-1.1",
            "Leaders were visible and staff felt well informed about change. and the paragraph goes on after the quote.",
        )
    ]
    assert findings(parsed) == [("pull-quote", f"pull quote left out: {quote!r}")]
    assert parsed.findings[0].detail == {"text": quote}


def test_bullets_stay_with_their_paragraph_and_a_heading_ends_it():
    parsed = parse(
        *SUMMARY[:-1],
        "1.1. The framework has three sections:",
        "- people",
        "–   high quality  casework.",
        "Headlines",
        "- a bullet with no paragraph",
        "1.2. After the heading.",
    )
    assert [(e.id, e.title, e.text, e.section) for e in parsed.entries] == [
        (
            "para-1.1",
            "Summary — paragraph 1.1",
            "The framework has three sections:\n- people\n- high quality casework.",
            "1. Summary",
        ),
        ("para-1.2", "Summary: Headlines — paragraph 1.2", "After the heading.", "1. Summary › Headlines"),
    ]
    assert findings(parsed) == [("structure", "text outside any paragraph: '- a bullet with no paragraph'")]


# -- chapters 1–6: tables -----------------------------------------------------------------


def test_table_with_its_caption_after_it_becomes_a_table_entry():
    parsed = parse(
        *SUMMARY[:-1],
        "2. Part A: The success of CPS people",
        "2.1. Table 2 compares the results.",
        "Survey scores\t2017\t2018",
        "My work\t 75%\t73%",
        "",
        "¹ Civil Service People Survey.",
        "My team\t75%\t74%",
        "Table 2: People Survey results¹",
        "2.2. After the table.",
        "Rate\tA\tB",
        "2.3. After a table without a caption.",
    )
    assert [e.id for e in parsed.entries] == ["para-2.1", "para-2.2", "para-2.3", "table-2", "table-4"]
    assert by_id(parsed)["table-2"] == Entry(
        id="table-2",
        kind="table",
        part="a",
        title="Table 2: People Survey results",
        text="Table 2: People Survey results\nSurvey scores: 2017 | 2018\nMy work: 75% | 73%\nMy team: 75% | 74%",
        source=DOC,
        order=2,
        number="2",
        section="2. Part A: The success of CPS people",
        footnotes=(Footnote("1", "Civil Service People Survey."),),
    )
    uncaptioned = by_id(parsed)["table-4"]
    assert (uncaptioned.title, uncaptioned.text, uncaptioned.number, uncaptioned.order) == (
        "Rate",
        "\nRate: A | B",
        None,
        4,
    )
    assert findings(parsed) == [
        ("structure", "table without a caption before '2.3. After a table without a caption.'")
    ]


def test_scores_table_gives_one_rating_entry_per_area_row():
    parsed = parse(
        *SUMMARY[:-1],
        "4. Part C: Delivering high quality casework",
        "4.1. Scores follow.",
        "Part C: High quality casework\tC1: Reviews in magistrates' courts\tC1: Reviews in Crown Court\tOverall score",
        "Wessex\tGood\tFair\tGood",
        "Merseyside & Cheshire\tFair\tPoor",
        "Table 4: Scores for Part C¹",
        "¹ Excludes the pilot Areas.",
    )
    entries = by_id(parsed)
    assert [e.id for e in parsed.entries] == ["para-4.1", "rating-c-wessex", "rating-c-mersey-cheshire"]
    assert entries["rating-c-wessex"] == Entry(
        id="rating-c-wessex",
        kind="rating",
        part="c",
        title="Wessex: Part C scores (Table 4)",
        text=(
            "Wessex — Part C: High quality casework. C1 Reviews in magistrates' courts: Good; "
            "C2 Reviews in Crown Court: Fair; C Overall score: Good."
        ),
        source=DOC,
        order=2,
        areas=("wessex",),
        number="4",
        section="4. Part C: Delivering high quality casework",
        footnotes=(Footnote("1", "Excludes the pilot Areas."),),
        ratings=(
            Rating("C1", "Reviews in magistrates' courts", "Good", "C1: Reviews in magistrates' courts"),
            Rating("C2", "Reviews in Crown Court", "Fair", "C1: Reviews in Crown Court"),
            Rating("C", "Overall score", "Good", "Overall score"),
        ),
    )
    short = entries["rating-c-mersey-cheshire"]
    assert (short.title, short.areas, short.order) == (
        "Mersey-Cheshire: Part C scores (Table 4)",
        ("mersey-cheshire",),
        2,
    )
    assert [r.rating for r in short.ratings] == ["Fair", "Poor"]
    assert findings(parsed) == [
        ("score-code", "Table 4 labels column 2 'C1: Reviews in Crown Court'; read as C2"),
        ("structure", "Table 4: Scores for Part C: row 'Merseyside & Cheshire' has 3 cells, header 4"),
    ]
    assert parsed.findings[0].detail == {"label": "C1: Reviews in Crown Court", "code": "C2"}


# -- Annex A ----------------------------------------------------------------------------


def test_annex_a_reads_expectation_criteria_and_sub_criteria():
    parsed = parse(
        *SUMMARY,
        "Annex A",
        "Inspection framework",
        "Introduction",
        "The framework is split into five sections.",
        "It takes   account of other initiatives.",
        "Part A: The success of CPS people",
        "Performance expectation",
        "The Area is led and managed effectively.",
        "Criteria",
        "1. Senior management demonstrates effective leadership.",
        " - a. Senior managers act as role models.",
        "- b. Senior managers engage with staff.",
        "Crown Court casework",
        "- 2. Senior managers work with partners.",
        "stray lower-case line",
        "Part B: Continuous improvement",
        "- a. A sub-criterion before any criterion.",
    )
    part_a = "Annex A: Inspection framework › Part A: The success of CPS people"
    assert [(e.id, e.part, e.title, e.text, e.number, e.section, e.order) for e in parsed.entries[1:]] == [
        (
            "criterion-a-expectation",
            "a",
            "Part A: The success of CPS people: performance expectation",
            "The Area is led and managed effectively.",
            None,
            part_a,
            3,
        ),
        (
            "criterion-a-1",
            "a",
            "Part A criterion 1",
            "Senior management demonstrates effective leadership.",
            "1",
            part_a,
            4,
        ),
        (
            "criterion-a-1a",
            "a",
            "Part A sub-criterion 1a",
            "Senior managers act as role models.",
            "1a",
            part_a,
            5,
        ),
        (
            "criterion-a-1b",
            "a",
            "Part A sub-criterion 1b",
            "Senior managers engage with staff.",
            "1b",
            part_a,
            6,
        ),
        (
            "criterion-a-2",
            "a",
            "Part A criterion 2 (Crown Court casework)",
            "Senior managers work with partners.",
            "2",
            f"{part_a} › Crown Court casework",
            7,
        ),
        (
            "criterion-introduction",
            "general",
            "Inspection framework: introduction",
            "The framework is split into five sections.\n\nIt takes account of other initiatives.",
            None,
            "Annex A: Inspection framework",
            2,
        ),
    ]
    assert all(e.kind == "criterion" for e in parsed.entries[1:])
    assert findings(parsed) == [
        ("structure", "Annex A: unexpected line 'stray lower-case line'"),
        ("structure", "Annex A: unexpected line '- a. A sub-criterion before any criterion.'"),
    ]


# -- Annex B ----------------------------------------------------------------------------

ANNEX_B = [
    "Annex B",
    "**Issues to address,",
    "good practice",
    "and strengths**",
    "Issues to address",
    "Part A: The success of CPS people",
    "Wessex\t1\tThe Area should *review* its training.",
    "North-East\t2\tThe Area needs to review the resourcing of",
    "",
    f"Annexes – {TITLE}",
    "\t\tits units   across the Area.",
    "Atlantis\t1\tThe Area should float.",
    "Part C: Delivering high quality casework",
    "North East\t3\t<p>Legal managers should:</p> <ul><li>analyse cracked trials</li><li>act on &amp; record</li></ul>",
    'North East\t4\t<p>Legal managers must:</p> <ul style="list-style-type: none"> rectify schedules</ul>',
    "Wessex\t1\tThe Area should review its training again.",
    "Good practice",
    "Part B: Continuous improvement",
    "Merseyside & Cheshire\t1\tThe Area's data integrity group.",
    "Strengths",
    "Part D: Ensuring public confidence",
    "Wessex\t1\tThe Area engages well with communities.",
    "an unexpected line",
]


def test_annex_b_reads_each_kind_of_row():
    parsed = parse(*SUMMARY, *ANNEX_B)
    rows = parsed.entries[1:]
    assert [(e.id, e.kind, e.part, e.title, e.order) for e in rows] == [
        ("issue-wessex-1", "issue", "a", "Wessex: issue to address 1", 3),
        ("issue-north-east-2", "issue", "a", "North East: issue to address 2", 4),
        ("issue-atlantis-1", "issue", "a", "Atlantis: issue to address 1", 5),
        ("issue-north-east-3", "issue", "c", "North East: issue to address 3", 6),
        ("issue-north-east-4", "issue", "c", "North East: issue to address 4", 7),
        ("good-practice-mersey-cheshire-1", "good-practice", "b", "Mersey-Cheshire: good practice 1", 8),
        ("strength-wessex-1", "strength", "d", "Wessex: strength 1", 9),
    ]
    assert [e.text for e in rows] == [
        "The Area should review its training.",
        "The Area needs to review the resourcing of its units across the Area.",
        "The Area should float.",
        "Legal managers should:\n- analyse cracked trials\n- act on & record",
        "Legal managers must:\nrectify schedules",
        "The Area's data integrity group.",
        "The Area engages well with communities.",
    ]
    assert [(e.areas, e.number) for e in rows][-2:] == [(("mersey-cheshire",), "1"), (("wessex",), "1")]
    assert [e.section for e in rows][::3] == [
        "Annex B: Issues to address › Part A: The success of CPS people",
        "Annex B: Issues to address › Part C: Delivering high quality casework",
        "Annex B: Strengths › Part D: Ensuring public confidence",
    ]
    assert findings(parsed) == [
        ("structure", "Annex B: unexpected line 'an unexpected line'"),
        ("unknown-area", "unknown Area spelling 'Atlantis' in Annex B issue 1"),
        ("unsplit-list", "issue-north-east-4: list markup without item boundaries; kept as one run of text"),
        ("duplicate-id", "Annex B: issue-wessex-1 appears twice; the second is left out"),
    ]
    assert [f.detail for f in parsed.findings[1:]] == [
        {"spelling": "Atlantis"},
        {"id": "issue-north-east-4"},
        {"id": "issue-wessex-1"},
    ]


# -- Annex C ----------------------------------------------------------------------------


def test_annex_c_reads_findings_under_headings_subheadings_and_tables():
    parsed = parse(
        *SUMMARY,
        "Annex C",
        "Casework findings",
        "Findings come from 1,830 files.",
        "Charging and review decisions",
        "Code compliance",
        "There were 1,830 cases in our sample³.",
        "Rate of compliance\tMagistrates' court cases\tCrown Court cases",
        "Area charging decisions\t93.9%\t96.2%",
        "",
        "Police charges\t*93.8%*\t88.6%",
        "Wessex recorded 100% on Code compliance.",
        "³ Footnote three.",
        "Initial reviews",
        "Nearly a quarter of cases had no initial review⁴.",
    )
    compliance = "Annex C: Casework findings › Charging and review decisions › Code compliance"
    assert [(e.id, e.title, e.text, e.section, e.number, e.order) for e in parsed.entries[1:]] == [
        (
            "finding-casework-findings-1",
            "Casework findings: Casework findings (1)",
            "Findings come from 1,830 files.",
            "Annex C: Casework findings › Casework findings",
            "1",
            3,
        ),
        (
            "finding-code-compliance-1",
            "Casework findings: Code compliance (1)",
            "There were 1,830 cases in our sample.",
            compliance,
            "1",
            4,
        ),
        (
            "finding-code-compliance-2",
            "Casework findings: Code compliance (2)",
            "Rate of compliance: Magistrates' court cases | Crown Court cases\n"
            "Area charging decisions: 93.9% | 96.2%\nPolice charges: 93.8% | 88.6%",
            compliance,
            "2",
            5,
        ),
        (
            "finding-code-compliance-3",
            "Casework findings: Code compliance (3)",
            "Wessex recorded 100% on Code compliance.",
            compliance,
            "3",
            6,
        ),
        (
            "finding-initial-reviews-1",
            "Casework findings: Initial reviews (1)",
            "Nearly a quarter of cases had no initial review.",
            "Annex C: Casework findings › Initial reviews",
            "1",
            7,
        ),
    ]
    entries = by_id(parsed)
    assert entries["finding-code-compliance-1"].footnotes == (Footnote("3", "Footnote three."),)
    assert entries["finding-code-compliance-3"].areas == ("wessex",)
    assert {e.kind for e in parsed.entries[1:]} == {"finding"} and {e.part for e in parsed.entries[1:]} == {
        "c"
    }
    assert findings(parsed) == [
        ("missing-footnote", "footnote 4 cited in Annex C Initial reviews has no text")
    ]


# -- Annex D ----------------------------------------------------------------------------


def test_annex_d_reads_the_links_and_ignores_the_back_matter():
    parsed = parse(
        *SUMMARY,
        "Annex D",
        "Links to Area Assurance",
        "Programme reports",
        "Area Assurance Inspection of CPS Wessex; December 2016",
        "justiceinspectorates.gov.uk/hmcpsi/inspections/area-assurance-inspection-of-cps-wessex",
        TITLE,
        "Area Assurance Inspection of Merseyside & Cheshire; April 2018",
        "https://example.gov.uk/mersey",
        "HM Crown Prosecution Service Inspectorate",
        "Area Assurance Inspection of CPS North East; August 2017",
        "justiceinspectorates.gov.uk/north-east",
    )
    assert parsed.entries[1:] == [
        Entry(
            id="report-wessex",
            kind="report",
            part="general",
            title="Area Assurance Inspection of CPS Wessex; December 2016",
            text="Area Assurance Inspection of CPS Wessex, published December 2016.",
            source=DOC,
            order=3,
            areas=("wessex",),
            section="Annex D: Links to Area Assurance Programme reports",
            url="https://justiceinspectorates.gov.uk/hmcpsi/inspections/area-assurance-inspection-of-cps-wessex",
        ),
        Entry(
            id="report-mersey-cheshire",
            kind="report",
            part="general",
            title="Area Assurance Inspection of Merseyside & Cheshire; April 2018",
            text="Area Assurance Inspection of CPS Mersey-Cheshire, published April 2018.",
            source=DOC,
            order=4,
            areas=("mersey-cheshire",),
            section="Annex D: Links to Area Assurance Programme reports",
            url="https://example.gov.uk/mersey",
        ),
    ]
    assert findings(parsed) == []


# -- the whole report -------------------------------------------------------------------


def test_id_prefix_goes_before_every_id_and_the_ids_in_findings():
    parsed = parse(
        *SUMMARY,
        "Table\t1",
        "Table 9: A table",
        "Annex A",
        "Part E: Efficiency and value for money",
        "Criteria",
        "1. Area managers promote value for money.",
        *ANNEX_B,
        "Annex C",
        "Likely plea",
        "The police identified the plea.",
        "Annex D",
        "Area Assurance Inspection of CPS Wessex; December 2016",
        "example.gov.uk/wessex",
        id_prefix="synthetic-0001-",
    )
    assert [e.id for e in parsed.entries] == [
        "synthetic-0001-para-1.1",
        "synthetic-0001-table-9",
        "synthetic-0001-criterion-e-1",
        "synthetic-0001-issue-wessex-1",
        "synthetic-0001-issue-north-east-2",
        "synthetic-0001-issue-atlantis-1",
        "synthetic-0001-issue-north-east-3",
        "synthetic-0001-issue-north-east-4",
        "synthetic-0001-good-practice-mersey-cheshire-1",
        "synthetic-0001-strength-wessex-1",
        "synthetic-0001-finding-likely-plea-1",
        "synthetic-0001-report-wessex",
    ]
    # 3 is Annex A's introduction's place in reading order, taken though it has no introduction.
    assert [e.order for e in parsed.entries] == [1, 2] + list(range(4, 14))
    assert [m for _, m in findings(parsed)][2:] == [
        "synthetic-0001-issue-north-east-4: list markup without item boundaries; kept as one run of text",
        "Annex B: synthetic-0001-issue-wessex-1 appears twice; the second is left out",
    ]
