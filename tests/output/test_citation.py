"""Citations in every format: fields, escaping, and the permanent URL."""

from __future__ import annotations

from dataclasses import replace

from search.output.citation import bibtex_citation, bibtex_text, citation_formats, ris_citation

DOCUMENTS = [
    {
        "id": "r",
        "title": "A & B report",
        "publisher": "HMCPSI",
        "publisher_short": "HMCPSI",
        "date": "2019-10",
    }
]


def test_bibtex_escapes_its_special_characters(entries):
    entry = replace(entries["para-4.10"], source="r", text="100% of cases_ok")
    assert bibtex_text("50% & {x}_#") == r"50\% \& \{x\}\_\#"
    text = bibtex_citation(entry, DOCUMENTS, str, "https://x.example/entries/para-4.10")
    assert r"title = {A \& B report: para 4.10}" in text and r"annote = {“100\% of cases\_ok”}" in text
    assert text.startswith("@techreport{HMCPSI2019:para-4.10,\n") and "  month = oct,\n" in text


def test_ris_leaves_out_what_the_document_does_not_say(entries):
    entry = replace(entries["para-4.10"], source="unknown")
    record = ris_citation(entry, DOCUMENTS, str, "https://x.example/entries/para-4.10")
    assert record.startswith("TY  - RPRT\r\n") and record.endswith("ER  - \r\n")
    assert "UR  - https://x.example/entries/para-4.10\r\n" in record and "AU  -" not in record


def test_every_form_carries_number_place_quote_report_page_and_permalink(entries):
    document = {**DOCUMENTS[0], "publication_number": "CP001:1266", "page_url": "https://pub.example/report/"}
    entry = replace(entries["para-4.10"], source="r", text="Line one;\n- a bullet")
    url = "https://x.example/entries/para-4.10"
    forms = citation_formats(entry, [document], str, url)
    for form in forms.values():
        assert "CP001:1266" in form and "para 4.10" in form and "https://pub.example/report/" in form
        assert url in form and "“Line one; - a bullet”" in form  # quoted on one line
    assert "M1  - CP001:1266\r\n" in forms["ris"] and "SE  - para 4.10\r\n" in forms["ris"]
    assert "L2  - https://pub.example/report/\r\n" in forms["ris"]
    assert "  number = {CP001:1266},\n" in forms["bibtex"]
