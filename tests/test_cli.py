"""The command line, run as a user would: build, export, query, related, errors, staleness."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from search.index.layout import current_build, is_stale

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
RESULT_KEYS = [
    "id",
    "kind",
    "part",
    "areas",
    "themes",
    "number",
    "title",
    "text",
    "snippet",
    "snippet_text",
    "highlights",
    "score",
    "url",
]


def run(*args, corpus=CORPUS, index=None, check=True):
    command = [sys.executable, "-m", "search", "--corpus", str(corpus)]
    if index is not None:
        command += ["--index", str(index)]
    out = subprocess.run(command + list(args), capture_output=True, text=True, cwd=REPO, timeout=120)
    if check and out.returncode != 0:
        raise AssertionError(f"exit {out.returncode}: {out.stderr}")
    return out


def test_build_prints_entries_and_findings(tmp_path):
    out = run("build", index=tmp_path / "index")
    assert "Entries: 477" in out.stdout
    assert "issue          135" in out.stdout
    assert "[numbering-gap] north-east: issue numbers 8, 9, 10 are missing from the source" in out.stdout
    assert "[count] Part C issue: 70 found, 75 stated (para-4.6)" in out.stdout
    assert current_build(tmp_path / "index") is not None
    assert out.stderr == ""  # progress bars are drawn only on a terminal
    quiet = run("build", "--quiet", index=tmp_path / "index")
    assert quiet.stdout.splitlines()[1:] == out.stdout.splitlines()[1:] and quiet.stderr == ""


def test_export_prints_every_entry(index_dir):
    out = run("export", index=index_dir)
    lines = out.stdout.splitlines()
    assert len(lines) == 477
    first = json.loads(lines[0])
    assert (
        first["id"] == "para-1.1"
        and first["kind"] == "paragraph"
        and first["source"] == "hmcpsi-aap-composite-report-2019"
    )
    for line in lines:
        entry = json.loads(line)
        assert {"id", "kind", "part", "areas", "themes", "title", "text", "source"} <= set(entry)


def test_query_json_is_the_api_body(index_dir):
    body = json.loads(run("query", "MG3", "--json", "--limit", "3", index=index_dir).stdout)
    assert list(body) == [
        "query",
        "corrected_query",
        "suggested_query",
        "missing_words",
        "searched_as",
        "nothing_searched",
        "outside",
        "total",
        "page",
        "per_page",
        "results",
        "facets",
        "took_ms",
        "answer",
        "scope",
        "sections",
        "links",
    ]
    assert body["query"] == "MG3" and body["per_page"] == 3 and body["page"] == 1
    assert len(body["results"]) == 3
    for result in body["results"]:
        assert list(result) == RESULT_KEYS
        assert result["url"] == f"/entries/{result['id']}"
    assert list(body["facets"]) == ["area", "theme", "part", "kind"]
    assert all({"value", "label", "count"} == set(v) for vs in body["facets"].values() for v in vs)


def test_query_with_filters_and_plain_output(index_dir):
    out = run("query", "victim letters", "--area", "wessex", "--kind", "issue", index=index_dir)
    assert "[issue-wessex-8]" in out.stdout
    assert out.stdout.splitlines()[0].startswith("1 result (")


def test_query_counts_read_as_english(index_dir):
    many = run("query", "disclosure", "--limit", "1", index=index_dir).stdout.splitlines()
    assert many[0].split(" (")[0].endswith(" results") and int(many[0].split()[0]) > 1


def test_query_names_a_reader_word_the_report_never_uses(index_dir):
    lines = run("query", "acquittals", "--limit", "1", index=index_dir).stdout.splitlines()
    assert (
        lines[0] == "The report does not use 'acquittals'; searched for: unsuccessful outcomes, unsuccessful"
    )


def test_related_and_glossary(index_dir):
    body = json.loads(run("related", "issue-london-north-5", "--json", index=index_dir).stdout)
    assert body["related"] and all("london-north" not in r["areas"] for r in body["related"])
    assert (
        "NDIP     National Disclosure Improvement Plan (defined in para-4.8)"
        in run("glossary", index=index_dir).stdout
    )


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["query", "x", "--limit", "0"], 2, "must be at least 1"),
        (["query", "x", "--limit", "lots"], 2, "expected a whole number"),
        (["query", "x", "--sort", "random"], 2, "invalid choice"),
        (["query", "x", "--limit", "500"], 1, "--limit must be between 1 and 100"),
        (["query", "x", "--page", "5000"], 1, "page must be between 1 and 1000"),
        (["related", "no-such-entry"], 1, "no entry 'no-such-entry'"),
        (["serve", "--port", "70000"], 2, "a port is at most 65535"),
        (["serve", "--public-url", "search.example.org"], 1, "the public URL must look like"),
        (["serve", "--public-url", "ftp://x"], 1, "the public URL must look like"),
        (["frobnicate"], 2, "invalid choice"),
        (["query", "x", "--without", "lay-words,magic"], 1, "--without: unknown part 'magic'"),
        (["explain", "x", "para-4.10", "--without", "spelling,"], 0, ""),
    ],
)
def test_bad_arguments_give_a_message_and_non_zero_exit(index_dir, args, code, message):
    out = run(*args, index=index_dir, check=False)
    assert out.returncode == code
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_missing_corpus_is_a_clear_error(tmp_path):
    out = run("build", corpus=tmp_path / "nowhere", index=tmp_path / "index", check=False)
    assert out.returncode == 1
    assert "error: corpus folder" in out.stderr and "does not exist" in out.stderr
    assert "Traceback" not in out.stderr


def test_stale_index_is_rebuilt_before_querying(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(CORPUS, corpus)
    run("build", corpus=corpus, index=index)
    assert not is_stale(index, corpus)
    areas = json.loads((corpus / "areas.json").read_text())
    areas["areas"][11]["aliases"].append("Wessex Area")
    (corpus / "areas.json").write_text(json.dumps(areas))
    assert is_stale(index, corpus)
    out = run("query", "budget", corpus=corpus, index=index)
    assert "missing or stale; building it" in out.stderr
    assert not is_stale(index, corpus)


def test_explain_prints_why_an_entry_scored(index_dir):
    done = run(
        "explain", "did areas spend too much on barristers fees?", "issue-west-midlands-3", index=index_dir
    )
    assert done.returncode == 0
    assert (
        "Read as: question: question; frame: did much; topic: areas spend too barristers fees" in done.stdout
    )
    assert "The report does not use 'barristers'; searched for: agent spend, external counsel" in done.stdout
    assert "the report's word for a lay word: agent spend" in done.stdout
    assert "score" in done.stdout.splitlines()[-1]
    as_json = json.loads(run("explain", "wessex disclosure", "para-4.10", "--json", index=index_dir).stdout)
    assert as_json["matched"] is False and as_json["scope"] == ["wessex"]


def test_parts_switched_off_change_what_a_query_finds(index_dir):
    def top(*extra):
        body = json.loads(
            run("query", "barristers fees", "--json", "--limit", "5", *extra, index=index_dir).stdout
        )
        return [r["id"] for r in body["results"]]

    assert top() and top("--without", "lay-words") != top()  # "barristers fees" is the report's "agent spend"
    assert top("--without", "spelling,proximity") == top()
    explained = run("explain", "barristers fees", top()[0], "--without", "lay-words", index=index_dir).stdout
    assert "lay word" not in explained


def test_explain_says_what_a_place_an_offer_and_a_missing_word_did(index_dir):
    placed = run("explain", "disclosure in leeds", "para-4.10", index=index_dir)
    assert placed.returncode == 0 and "Traceback" not in placed.stderr
    assert "places: Leeds (Yorkshire and Humberside)" in placed.stdout
    assert "Searched only in: Yorkshire and Humberside\n" in placed.stdout
    named = run("explain", "Leicester team", "issue-london-south-1", index=index_dir).stdout
    assert "Searched only in: East Midlands, and the entries naming Leicester" in named
    assert "place 'Leicester', by name" in named
    query = run("query", "Leicester team", index=index_dir).stdout
    assert "About East Midlands only, and the entries naming the places above" in query
    offered = run("explain", "victim latter", "para-4.10", index=index_dir).stdout
    assert "Did you mean: victim letter" in offered
    assert "Not found in the report: latter" in offered
    corrected = run("explain", "procecution", "para-4.10", index=index_dir).stdout
    assert "Corrected to: prosecution" in corrected
    searched = run("explain", "jury", "para-4.10", index=index_dir).stdout
    assert "The report does not use 'jury'; searched for: Crown Court" in searched


def test_a_query_with_no_word_to_search_for_says_nothing_was_searched(index_dir):
    done = run("query", "of the", index=index_dir)
    assert done.stdout.splitlines()[0].startswith("Nothing searched: the query holds no word to search for")
    assert "0 results" in done.stdout
    explained = run("explain", "what is", "para-1.1", index=index_dir).stdout
    assert "Nothing searched:" in explained


def test_a_scoped_query_names_its_areas_and_the_same_search_in_every_area(index_dir):
    lines = run("query", "disclosure in wales", index=index_dir).stdout.splitlines()
    assert "About Cymru-Wales only; in every Area: 'disclosure'" in lines
    # An Area alone has no search to widen: nothing to offer, and no empty query shown.
    assert "About Cymru-Wales only" in run("query", "wales", index=index_dir).stdout.splitlines()


def test_a_place_outside_england_and_wales_is_named_by_query(index_dir):
    lines = run("query", "Scotland", index=index_dir).stdout.splitlines()
    assert lines[1].startswith("Scotland is outside the report: the CPS prosecutes in England and Wales")
    assert lines[2].startswith("0 results")


def test_explain_of_a_question_only_an_answer_was_asked_for_says_so(index_dir):
    listed = run("explain", "how many areas", "report-wessex", index=index_dir).stdout
    assert "Not matched: only an answer was asked for, and it rests on this entry, listed unscored." in listed
    other = run("explain", "how many areas", "para-1.1", index=index_dir).stdout
    assert "Not matched: only an answer was asked for, and it rests on others." in other


def test_explain_of_an_unknown_entry_is_a_clear_error(index_dir):
    done = run("explain", "disclosure", "para-99.9", index=index_dir, check=False)
    assert done.returncode == 1 and "no entry 'para-99.9'" in done.stderr


def test_query_prints_the_answer(index_dir):
    out = run("query", "how many strengths does wessex have", index=index_dir).stdout
    assert out.splitlines()[1] == "Answer: The report lists 8 strengths for Wessex (Annex B)."


def test_a_build_into_a_folder_that_cannot_be_written_is_one_sentence(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = run("build", "--quiet", index=blocker / "index", check=False)
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.splitlines() == [f"error: cannot write to {blocker / 'index'}: Not a directory"]


def test_a_build_into_a_full_folder_is_one_sentence_and_leaves_nothing_half_written(
    tmp_path, monkeypatch, capsys
):
    import errno
    import os

    import search.index.build as build
    from search import cli

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(build, "write_sidecars", full)
    index = tmp_path / "index"
    assert cli.main(["--corpus", str(CORPUS), "--index", str(index), "build", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [f"error: cannot write to {index}: No space left on device"]
    assert current_build(index) is None and list((index / "builds").iterdir()) == []
