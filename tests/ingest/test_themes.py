"""Theme taxonomy: validation on load, tagging quality against a hand-labelled set, edits."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from search.curated.taxonomy import load_taxonomy
from search.errors import CorpusError
from search.ingest.catalogue import ingest
from search.text.wordstats import measure_words

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

GOLD = Path(__file__).parent / "data" / "theme_labels.json"
TAXONOMY_THEMES = {
    "disclosure",
    "case-progression",
    "charging-decisions",
    "police-file-quality",
    "victims-and-witnesses",
    "hate-crime",
    "rasso",
    "community-engagement",
    "leadership-and-communication",
    "staff-wellbeing",
    "training-and-development",
    "performance-management",
    "quality-assurance",
    "resourcing",
    "value-for-money",
    "partnership-working",
    "data-protection",
    "digital-working",
}


def precision_recall(entries) -> tuple[float, float, dict]:
    gold = json.loads(GOLD.read_text())["labels"]
    tp, fp, fn = Counter(), Counter(), Counter()
    for entry_id, labels in gold.items():
        predicted, expected = set(entries[entry_id].themes), set(labels)
        for theme in predicted & expected:
            tp[theme] += 1
        for theme in predicted - expected:
            fp[theme] += 1
        for theme in expected - predicted:
            fn[theme] += 1
    t = sum(tp.values())
    return t / (t + sum(fp.values())), t / (t + sum(fn.values())), {"tp": tp, "fp": fp, "fn": fn}


def test_taxonomy_has_the_eighteen_themes():
    taxonomy = load_taxonomy(CORPUS / "themes.json")
    assert set(taxonomy.slugs) == TAXONOMY_THEMES
    assert all(t.label and t.description and t.signals for t in taxonomy.themes)


def test_tagging_matches_the_hand_labelled_set(entries):
    precision, recall, _ = precision_recall(entries)
    assert precision >= 0.85, precision
    assert recall >= 0.85, recall


def test_every_theme_is_used_and_entries_get_at_most_three(catalogue):
    used = Counter(t for e in catalogue.entries for t in e.themes)
    assert set(used) == TAXONOMY_THEMES
    for entry in catalogue.entries:
        if entry.kind != "rating":
            assert len(entry.themes) <= 3, entry.id
    tagged = [e for e in catalogue.entries if e.kind in ("issue", "good-practice", "strength")]
    assert sum(1 for e in tagged if e.themes) / len(tagged) > 0.95


def test_plurals_and_inflections_match(catalogue):
    taxonomy = catalogue.taxonomy
    assert "victims-and-witnesses" in taxonomy.tag("Letters to victims were sent late.")
    assert "disclosure" in taxonomy.tag("The schedules of unused materials were defective.")
    assert "hate-crime" in taxonomy.tag("Sentencing uplifts were sought in hate crimes.")


def test_longer_phrases_claim_their_words(catalogue):
    themes = catalogue.taxonomy.tag(
        "Personal details of victims and witnesses are only endorsed on the correct part of the witness statement form."
    )
    assert themes[0] == "data-protection"


def test_rating_rows_take_their_criteria_themes(entries):
    criteria = set(entries["criterion-c-1"].themes) | set(entries["criterion-c-3"].themes)
    assert criteria and criteria <= set(entries["rating-c-wessex"].themes)


@pytest.mark.parametrize("area", ["wessex", "london-north", "north-east"])
def test_rating_rows_take_what_their_criteria_cover_below_them(entries, area):
    # C1 covers disclosure in sub-criterion 1e ("complies with its duties of disclosure").
    subs = [
        e
        for e in entries.values()
        if e.kind == "criterion" and e.id[:-1] in ("criterion-c-1", "criterion-c-3")
    ]
    covered = {t for e in subs for t in e.themes}
    assert "disclosure" in covered
    assert covered <= set(entries[f"rating-c-{area}"].themes)


def test_what_a_word_is_about_is_measured_without_the_scores_rows(catalogue):
    # A scores row's themes are its criteria's: giving it others changes no word's topicality.
    plain = measure_words(catalogue.entries)
    moved = [
        dataclasses.replace(e, themes=("hate-crime",)) if e.kind == "rating" else e for e in catalogue.entries
    ]
    assert measure_words(moved).topicality == plain.topicality
    assert not plain.is_generic("casework")


def test_a_build_measures_the_same_words_whatever_the_process_hash_seed():
    # A set's order varies with the process's hash seed; the statistics must not.
    script = (
        "import hashlib, json, sys\n"
        "from pathlib import Path\n"
        "from search.ingest.catalogue import ingest\n"
        "from search.text.wordstats import measure_words\n"
        "words = measure_words(ingest(Path(sys.argv[1])).entries).to_dict()\n"
        "print(hashlib.sha256(json.dumps(words, sort_keys=True).encode()).hexdigest())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script, str(CORPUS)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["themes"][0].update(slug="Bad Slug"), "lower-case"),
        (lambda d: d["themes"].append(dict(d["themes"][0])), "appears twice"),
        (lambda d: d["themes"][0].update(strong=[], weak=[]), "no signal terms"),
        (lambda d: d["themes"][0].update(label=""), "label"),
        (lambda d: d.update(tagging={"relative": 5}), "relative"),
        (lambda d: d["themes"][0].update(readers="burnout"), "list of phrases"),
        (lambda d: d["themes"][0].update(readers=["the"]), "no indexable words"),
        (lambda d: d["themes"][0].update(readers=["NDIP"]), "acronym"),
        (lambda d: d["themes"][0].update(readers=["e-files"]), "one word when read"),
        # A reader's phrase that is any theme's signal would read a query two ways.
        (lambda d: d["themes"][0].update(readers=["witness care"]), "is a signal of 'victims-and-witnesses'"),
    ],
)
def test_invalid_taxonomy_is_rejected(tmp_path, change, message):
    data = json.loads((CORPUS / "themes.json").read_text())
    change(data)
    path = tmp_path / "themes.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CorpusError, match=message):
        load_taxonomy(path)


def test_readers_words_signal_a_theme_in_a_query_and_never_tag_an_entry(tmp_path, entries):
    taxonomy = load_taxonomy(CORPUS / "themes.json")
    # "burnout" is no word of the report's: only a reader's word for staff wellbeing.
    assert taxonomy.tag("prosecutors burnout", readers=True) == ("staff-wellbeing",)
    assert taxonomy.tag("prosecutors burnout") == ()
    readers = {p for theme in taxonomy.themes for p in theme.readers}
    phrases = {p for theme in taxonomy.themes for p, _ in theme.signals}
    assert len(readers) > 500 and not readers & phrases
    # Entries are tagged by the report's phrases alone: without the readers' words, the same themes.
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    data = json.loads((corpus / "themes.json").read_text())
    for theme in data["themes"]:
        theme["readers"] = []
    (corpus / "themes.json").write_text(json.dumps(data))
    assert {e.id: e.themes for e in ingest(corpus).entries} == {i: e.themes for i, e in entries.items()}


def test_an_analyst_can_change_the_taxonomy_and_rebuild(tmp_path, entries):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    data = json.loads((corpus / "themes.json").read_text())
    data["themes"].append(
        {
            "slug": "bail-and-remand",
            "label": "Bail and remand",
            "description": "Bail and remand decisions.",
            "strong": ["bail", "remand"],
            "weak": [],
        }
    )
    (corpus / "themes.json").write_text(json.dumps(data))
    changed = {e.id: e for e in ingest(corpus).entries}
    assert "bail-and-remand" not in entries["criterion-d-2b"].themes
    assert "bail-and-remand" in changed["criterion-d-2b"].themes
