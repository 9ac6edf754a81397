"""`python -m search.bench.hostile`: what the costliest inputs cost a search, against ordinary ones.

Each input is built to make the engine work: a word of 500 letters (the spelling
corrector's deletion table), queries of 500 terms (clauses), queries made of nothing
but operators (fuzzy words, prefixes, required words, long quoted phrases), acronyms
and report words joined into one word by hyphens and other punctuation (one word of
many stems), phrases of one word repeated, phrases nested in phrases, and so on.
Every one goes straight to `SearchIndex.search` (the API's 500-character limit on
`q` is not applied, so the engine's own bounds are what is measured).

Each is measured with the parameters of an ordinary page of results (10 hits) and
with the costliest ones the API allows (`explain=1&per_page=100`), against the
workload's ordinary queries (`search.bench.workload`) with the same parameters, all
in one run: every round times each query once, an ordinary one between every two
costly ones, so that a busy machine slows both alike. A row gives the median and
maximum of its rounds, the ordinary queries' median, and the median over rounds of
its time divided by that round's ordinary median; the target is 5× at most.

    python -m search.bench.hostile [--index DIR] [--repeats N] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

from search.bench.entry import run
from search.bench.workload import QUERIES
from search.models import SearchRequest
from search.query.searcher import SearchIndex

MAX_RATIO = 5.0
SEED = 500
# (label, per_page, explain): an ordinary page, and the costliest the API allows.
PARAMETERS = (("10 hits", 10, False), ("explain, 100 hits", 100, True))
JOINERS = {"hyphens": "-", "slashes": "/", "apostrophes": "'", "commas": ",", "en dashes": "–", "dots": "·"}


def inputs(index: SearchIndex) -> list[tuple[str, str]]:
    """Return (label, query) pairs of costly inputs, drawn from the report's own words and acronyms."""
    words = sorted({w for e in index.entries for w in e.text.lower().split() if w.isalpha() and len(w) > 4})
    acronyms = [a["acronym"] for a in index.glossary.to_list()]
    rng = random.Random(SEED)

    def some(n: int) -> list[str]:
        return [rng.choice(words) for _ in range(n)]

    def joined(items: list[str], joiner: str, length: int = 500) -> str:
        return joiner.join(items * (length // len(items) + 1))[:length]

    letters = "abcdefghijklmnopqrstuvwxyz"
    rows = [
        ("a 500-letter word", "".join(rng.choice(letters) for _ in range(500))),
        ("500 full-width letters", "ｚ" * 500),
        ("a 500-letter near-word", "disclosure" * 50),
        ("500 words of the report", " ".join(some(500))),
        ("500 misspelt words", " ".join(w[:-1] + "q" for w in some(500))),
        ("500 fuzzy words", " ".join(w + "~" for w in some(500))),
        ("500 prefixes", " ".join(w[:2] + "*" for w in some(500))),
        ("500 required words", " ".join("+" + w for w in some(500))),
        ("500 excluded words", "police " + " ".join("-" + w for w in some(500))),
        ("a quoted phrase of 500 words", '"' + " ".join(some(500)) + '"'),
    ]
    rows += [(f"acronyms joined by {name}", joined(acronyms, joiner)) for name, joiner in JOINERS.items()]
    rows += [
        ("acronyms joined by hyphens, reversed", joined(acronyms[::-1], "-")),
        ("acronyms apart", joined(acronyms, " ")),
        ("acronyms as short phrases", joined([f'"{a}"' for a in acronyms], " ")),
        ("acronyms required, joined", "+" + joined(acronyms, "-", 499)),
        ("acronyms excluded, joined", "police -" + joined(acronyms, "-", 492)),
        ("report words joined by hyphens", joined(some(100), "-")),
        ("report words as short phrases", joined([f'"{w}"' for w in some(100)], " ")),
        ("one word repeated", joined(["disclosure"], " ")),
        ("one compound repeated", joined(["work-life"], " ")),
        ("a phrase of one acronym repeated", '"' + joined(["IQA"], " ", 498) + '"'),
        ("a phrase of one word repeated", '"' + joined(["disclosure"], " ", 498) + '"'),
        ("a phrase of hyphen-joined acronyms", '"' + joined(acronyms, "-", 498) + '"'),
        ("phrases nested in phrases", joined(['"victim "letters "IQA" care" witness"'], " ")),
        ("one phrase repeated", joined(['"victim letters"'], " ")),
        ("lay words and synonyms", joined(["barristers locums admin staff sickness budget control"], " ")),
    ]
    return rows


def time_search(index: SearchIndex, request: SearchRequest) -> tuple[float, int]:
    """Return how long one search took (ms) and how many entries it matched."""
    started = time.perf_counter()
    result = index.search(request)
    return (time.perf_counter() - started) * 1000, result.total


def measure(index: SearchIndex, repeats: int) -> list[dict]:
    """Time every costly input against the ordinary queries, under each set of parameters.

    Each round times every query once, an ordinary one between every two costly ones,
    and divides each costly input's time by the median of that round's ordinary
    queries; a row's ratio is the median of its rounds' ratios.
    """
    hostile = inputs(index)
    ordinary = [text for _, text in QUERIES if text]
    rows = []
    for label, per_page, explain in PARAMETERS:
        ask = [SearchRequest(q=q, per_page=per_page, explain=explain) for _, q in hostile]
        usual = [SearchRequest(q=q, per_page=per_page, explain=explain) for q in ordinary]
        totals = [time_search(index, r)[1] for r in ask + usual]  # warm-up: postings, lazily built tables
        samples: list[list[float]] = [[] for _ in ask]
        ratios: list[list[float]] = [[] for _ in ask]
        references = []
        for _ in range(repeats):
            times = [0.0] * len(ask)
            usual_times = []
            for n in range(max(len(ask), len(usual))):
                if n < len(usual):
                    usual_times.append(time_search(index, usual[n])[0])
                if n < len(ask):
                    times[n] = time_search(index, ask[n])[0]
            reference = statistics.median(usual_times)
            references.append(reference)
            for n, elapsed in enumerate(times):
                samples[n].append(elapsed)
                ratios[n].append(elapsed / reference)
        for n, (name, q) in enumerate(hostile):
            ratio = statistics.median(ratios[n])
            rows.append(
                {
                    "input": name,
                    "parameters": label,
                    "characters": len(q),
                    "matches": totals[n],
                    "median_ms": round(statistics.median(samples[n]), 2),
                    "max_ms": round(max(samples[n]), 2),
                    "ordinary_ms": round(statistics.median(references), 2),
                    "ratio": round(ratio, 2),
                    "met": ratio <= MAX_RATIO,
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print what each costly input costs against ordinary queries."""
    parser = argparse.ArgumentParser(
        prog="python -m search.bench.hostile", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    index = SearchIndex.open(args.index)
    try:
        rows = measure(index, max(1, args.repeats))
    finally:
        index.close()
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0 if all(r["met"] for r in rows) else 1
    print(
        f"{'input':38} {'parameters':18} {'chars':>5} {'matches':>7} {'median':>9} {'max':>9}"
        f" {'ordinary':>9} {'ratio':>6}  ≤ {MAX_RATIO:.0f}×"
    )
    for row in rows:
        print(
            f"{row['input']:38} {row['parameters']:18} {row['characters']:5} {row['matches']:7}"
            f" {row['median_ms']:7.2f}ms {row['max_ms']:7.2f}ms {row['ordinary_ms']:7.2f}ms"
            f" {row['ratio']:5.1f}×  {'yes' if row['met'] else 'NO'}"
        )
    return 0 if all(r["met"] for r in rows) else 1


if __name__ == "__main__":
    run(main)
