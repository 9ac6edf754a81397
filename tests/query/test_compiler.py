"""Query parsing and building, without an index."""

from __future__ import annotations

import random
from pathlib import Path

from search.curated.taxonomy import load_taxonomy
from search.query import nodes
from search.query.compiler import QueryCompiler
from search.query.corrections import Corrector
from search.query.lexicon import Lexicon
from search.query.syntax import QueryPlan, parse_query, pattern_lexemes, read_lexemes, read_words
from search.query.understanding import QueryReader
from search.text.glossary import Acronym, Glossary
from search.text.spelling import SpellingCorrector

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def compiler():
    lexicon = Lexicon(
        glossary=Glossary([Acronym("IQA", "individual quality assessment", "defined", "para-3.8")]),
        speller=SpellingCorrector({"disclosure": 10, "community": 5, "letters": 3}),
        indexed_stems=frozenset({"disclosur", "communiti", "letter", "iqa", "individu", "qualiti", "assess"}),
        taxonomy=load_taxonomy(CORPUS / "themes.json"),
    )
    return QueryCompiler(lexicon)


def parse_query_request(text: str):
    from search.query.request import parse_request

    return parse_request({"q": [text]})


def compile_text(text: str):
    """Read, correct and compile a query as the pipeline does, against the small lexicon."""
    lexicon = compiler().lex
    plan = parse_query(text)
    understanding = QueryReader(lexicon).read(plan.words)
    correction = Corrector(lexicon).correct(text, [w.text for w in understanding.words])
    return QueryCompiler(lexicon).compile(plan, understanding, correction)


def terms(query):
    found = query.to_whoosh().iter_all_terms()
    return {(t[0], t[1].decode() if isinstance(t[1], bytes) else t[1]) for t in found}


def test_parse_words_phrases_filters_and_operators():
    plan = parse_query(
        'victim "record sheet" area:"London North" kind:issue disclos* grip~ +police -agents NOT counsel'
    )
    assert plan.words == ["victim"]
    assert plan.phrases == ["record sheet"]
    assert plan.filters == {"area": ["London North"], "kind": ["issue"]}
    assert plan.prefixes == ["disclos"]
    assert plan.fuzzy == ["grip"]
    assert plan.required == ["police"]
    assert plan.excluded == ["agents", "counsel"]


def test_words_split_on_spaces_read_as_the_pattern_reads_them():
    # A query with no quote and no colon is split on spaces: the same plan, every time.
    rng = random.Random(7)
    pieces = [
        "+",
        "-",
        "*",
        "~",
        "NOT",
        "a",
        "disclos*",
        "fuzzy~",
        "-police",
        "+file",
        "é",
        "ｚ",
        " ",
        "  ",
        "\t",
        "\u00a0",
        "\u3000",
    ]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        split, by_pattern = QueryPlan(text=text), QueryPlan(text=text)
        read_words(split, text.split())
        read_lexemes(by_pattern, pattern_lexemes(text))
        assert split == by_pattern, text


def test_unknown_fields_and_stray_syntax_are_words():
    plan = parse_query('colour:blue "unbalanced * ')
    assert plan.words == ["colour:blue"]
    assert plan.phrases == ["unbalanced *"]
    assert compile_text("* ** -").query is None  # nothing to search: browse
    assert parse_query("-area:wessex").excluded_filters == {"area": ["wessex"]}


def test_words_are_or_ed_over_weighted_fields():
    compiled = compile_text("disclosure letters")
    # The theme the words signal (victims' letters) only lifts what the words find.
    assert isinstance(compiled.query, nodes.AndMaybe)
    assert isinstance(compiled.query.required, nodes.Or)
    found = terms(compiled.query)
    assert {
        ("title", "disclosur"),
        ("text", "disclosur"),
        ("aliases", "letter"),
        ("context", "letter"),
    } <= found
    assert compiled.highlight.stems == {"disclosur", "letter"}


def test_a_theme_the_words_signal_is_explained_by_the_words_that_signal_it():
    reasons = [c.reason for c in compile_text("disclosure letters to bereaved relatives").clauses]
    # A reader's phrase ("bereaved relatives") signals a theme as the report's own words do.
    assert (
        "theme the words signal: victims-and-witnesses (letters bereaved relatives), disclosure (disclosure)"
        in reasons
    )
    # A theme named outright by its label is named alone.
    assert "theme disclosure" in [c.reason for c in compile_text("disclosure").clauses]


def test_an_acronym_the_index_holds_finds_itself_and_one_it_lacks_its_expansion():
    held = compile_text("IQA")  # "iqa" is indexed: the acronym is found as written
    assert not any(c.reason.startswith("acronym IQA:") for c in held.clauses)
    assert ("text", "iqa") in terms(held.query)
    # Where it is found as the alias of an entry spelling it out, the spelling is marked.
    assert ("individu", "qualiti", "assess") in held.highlight.phrases
    lexicon = compiler().lex
    lexicon.indexed_stems = lexicon.indexed_stems - {"iqa"}  # a reader's acronym the report never writes
    plan = parse_query("IQA")
    lacked = QueryCompiler(lexicon).compile(plan, QueryReader(lexicon).read(plan.words))
    assert any(c.reason.startswith("acronym IQA:") for c in lacked.clauses)
    assert ("individu", "qualiti", "assess") in lacked.highlight.phrases
    assert ("text", "assess") in terms(lacked.query)


def test_expansion_adds_its_acronym():
    compiled = compile_text("individual quality assessments")
    assert "iqa" in compiled.highlight.stems


def test_unknown_word_is_corrected():
    compiled = compile_text("comunity")
    assert compiled.corrected == "community"
    assert ("text", "communiti") in terms(compiled.query)


def test_required_and_excluded_clauses():
    compiled = compile_text("+disclosure -letters")
    assert isinstance(compiled.query, nodes.AndNot)
    assert terms(compiled.query.positive) == {("text", "disclosur"), ("title", "disclosur")}
    assert terms(compiled.query.negative) == {("text", "letter"), ("title", "letter")}
    assert [c.reason for c in compiled.required] == ["required 'disclosure'"]


def test_required_and_excluded_words_decide_what_matches(search_index):
    result = search_index.search(parse_query_request("+disclosure -letters"))
    assert result.total > 0
    for hit in search_index.export(parse_query_request("+disclosure -letters")).hits:
        text = f"{hit.entry.title} {hit.entry.text}".lower()
        assert "disclos" in text and "letter" not in text


def test_filters_only_is_a_browse():
    compiled = compile_text("kind:issue")
    assert compiled.query is None and compiled.filters == {"kind": ["issue"]}


def test_theme_named_outright_matches_its_entries():
    compiled = compile_text("police file quality")
    assert ("themes", "police-file-quality") in terms(compiled.query)
