"""The curated language data (`corpus/language.json`): how the report and its readers write.

- `sentence_abbreviations`: words that end with a full stop without ending a sentence;
- `protected_terms`: words the speller never "corrects";
- `lay_terms`: what readers say ("barristers") mapped to the report's own phrases ("counsel");
- `question_frames` and `question_endings`: how questions open and close ("which Areas
  were", "what does … mean"), as regular expressions over the lower-cased query, and
  `question_words`, the words that frame a question wherever they stand ("did", "how");
- `reporting_clauses`: who reported, inside a question ("did inspectors raise"), not its topic;
- `definition_words`: words that make a question ask what its topic means ("stand for");
- `asks_for`: phrases that ask for a structural kind of entry (scores, criteria, tables),
  and `cue_followers`, the words after which a one-word cue still asks ("scored highest");
- `comparison_words`: words comparing two or more Areas named ("compare", "vs"): they ask
  for their scores side by side;
- `contractions`: what a contraction stands for ("what's" → "what is");
- `rating_verbs`: verbs that ask for ratings where a rating value follows them as a noun
  ("got poor for leadership"), not as an adjective ("got good training");
- `superlatives` and `universal_words`: how a question asks for the most or the fewest, or
  for every criterion of a Part, and `number_words`, how many it asks for in words ("the
  five worst"); `outcome_verbs`, how an Area came out right before a superlative ("came
  out best", "fared worst"), which says how, not what about;
- `rating_comparisons`: a rating value set against the scale ("below good", "at least
  good"), read as the values it stands for;
- `count_kinds`: how a count names the Annex B kinds ("how many issues …"), and
  `kind_words`, how any query names them in everyday words ("praised", "criticised").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from search.curated.jsonfile import read_json
from search.errors import CorpusError
from search.models import ANNEX_B_KINDS, KINDS

# A lay word standing alone must be at least this long: shorter ones mean too many things.
MIN_LAY_WORD = 4
# A reader's acronym ("KPIs", "VAWG") as a lay entry: it belongs in glossary.json.
CAPITALS = re.compile(r"^[A-Z][A-Z0-9&]+s?$")


FAMILY = re.compile(r"^[a-z]+(-[a-z]+)*$")


@dataclass(frozen=True)
class LayTerm:
    """Words a reader uses, and the report's phrases for the same thing, in a family of groups.

    `reasons` says, for a report phrase only one entry uses, why it belongs: a group maps
    vocabulary to vocabulary, so a phrase that points at one passage needs a reason.
    """

    lay: tuple[str, ...]
    report: tuple[str, ...]
    family: str = "general"
    reasons: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Language:
    """How the report and its readers write, as curated in `corpus/language.json`."""

    abbreviations: tuple[str, ...]
    protected: frozenset[str]
    lay_terms: tuple[LayTerm, ...] = ()
    question_frames: tuple[re.Pattern, ...] = ()
    question_endings: tuple[re.Pattern, ...] = ()
    question_words: frozenset[str] = frozenset()
    asks_for: dict[str, tuple[str, ...]] | None = None
    count_kinds: dict[str, tuple[str, ...]] | None = None
    kind_words: dict[str, tuple[str, ...]] | None = None
    reporting_clauses: tuple[re.Pattern, ...] = ()
    definition_words: frozenset[str] = frozenset()
    cue_followers: frozenset[str] = frozenset()
    superlatives: dict[str, str] | None = None  # word → "max" or "min"
    universal_words: frozenset[str] = frozenset()
    rating_verbs: frozenset[str] = frozenset()
    contractions: dict[str, tuple[str, ...]] | None = None
    comparison_words: frozenset[str] = frozenset()
    number_words: dict[str, int] | None = None  # "five" → 5
    outcome_verbs: tuple[tuple[str, ...], ...] = ()  # longest first
    rating_comparisons: dict[tuple[str, ...], str] | None = None  # ("less", "than") → "below", longest first


def phrase_list(value, what: str, path: Path) -> tuple[str, ...]:
    """Return a non-empty list of non-empty strings, or raise naming what is wrong."""
    if not isinstance(value, list) or not value or not all(isinstance(p, str) and p.strip() for p in value):
        raise CorpusError(f"{path.name}: {what} must be a non-empty list of phrases")
    return tuple(value)


def patterns(values, what: str, path: Path) -> tuple[re.Pattern, ...]:
    """Compile regular expressions that match whole words only.

    A match must end at a space or at the end, so "(the|a|an)" takes "an", not the "a" of it.
    """
    compiled = []
    for value in phrase_list(values, what, path) if values else ():
        try:
            compiled.append(re.compile(f"(?:{value})(?![^\\s])"))
        except re.error as exc:
            raise CorpusError(f"{path.name}: {what} pattern {value!r}: {exc}") from exc
    return tuple(compiled)


def read_superlatives(data, path: Path) -> dict[str, str]:
    """Read {"max": [words], "min": [words]} into {word: "max" or "min"}."""
    if not isinstance(data, dict) or set(data) - {"max", "min"}:
        raise CorpusError(f"{path.name}: superlatives must map 'max' and 'min' to words")
    return {w: way for way, words in data.items() for w in word_set(words, f"superlatives[{way!r}]", path)}


COMPARISONS = ("below", "above", "at_least", "at_most")


def read_outcome_verbs(values, path: Path) -> tuple[tuple[str, ...], ...]:
    """Read the outcome verbs as lower-cased word sequences, the longest first."""
    phrases = (
        {tuple(p.lower().split()) for p in phrase_list(values, "outcome_verbs", path)} if values else set()
    )
    return tuple(sorted(phrases, key=lambda p: (-len(p), p)))


def read_comparisons(data, path: Path) -> dict[tuple[str, ...], str]:
    """Read {"below": [phrases], "above": …, "at_least": …, "at_most": …} into {words: way},
    the longest phrase first; a phrase stands for one way only."""
    if not isinstance(data, dict) or set(data) - set(COMPARISONS):
        raise CorpusError(f"{path.name}: rating_comparisons must map {', '.join(COMPARISONS)} to phrases")
    table: dict[tuple[str, ...], str] = {}
    for way, phrases in data.items():
        for phrase in phrase_list(phrases, f"rating_comparisons[{way!r}]", path):
            words = tuple(phrase.lower().split())
            if table.setdefault(words, way) != way:
                raise CorpusError(f"{path.name}: rating_comparisons: {phrase!r} stands for two ways")
    return dict(sorted(table.items(), key=lambda kv: -len(kv[0])))


def read_numbers(data, path: Path) -> dict[str, int]:
    """Read {"five": 5, …}: single lower-case words, each a whole number from 1 to 99."""
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and k.isalpha() and type(v) is int and 0 < v < 100 for k, v in data.items()
    ):
        raise CorpusError(f"{path.name}: number_words must map single words to whole numbers from 1 to 99")
    return {k.lower(): v for k, v in data.items()}


def word_set(values, what: str, path: Path) -> frozenset[str]:
    """Read an optional list of words, lower-cased."""
    return frozenset(w.lower() for w in phrase_list(values, what, path)) if values else frozenset()


def read_contractions(data, path: Path) -> dict[str, tuple[str, ...]]:
    """Read {contraction: "the words it stands for"}, lower-cased, with a straight apostrophe."""
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and k.strip() and isinstance(v, str) and len(v.split()) >= 2
        for k, v in data.items()
    ):
        raise CorpusError(f"{path.name}: contractions must map a word to the two or more words it stands for")
    return {k.lower().replace("\u2019", "'"): tuple(v.lower().split()) for k, v in data.items()}


def kind_map(data, what: str, allowed, path: Path) -> dict[str, tuple[str, ...]]:
    """Read {kind: [phrases]} for known kinds."""
    if not isinstance(data, dict):
        raise CorpusError(f"{path.name}: {what} must map kinds of entry to phrases")
    unknown = set(data) - set(allowed)
    if unknown:
        raise CorpusError(f"{path.name}: {what} names unknown kinds {sorted(unknown)}")
    return {kind: phrase_list(phrases, f"{what}[{kind!r}]", path) for kind, phrases in data.items()}


def read_lay_term(row, path: Path) -> LayTerm:
    """Read one lay group: its family, the readers' phrases, the report's, and reasons."""
    if not isinstance(row, dict):
        raise CorpusError(f"{path.name}: each lay term is an object with 'family', 'lay' and 'report'")
    lay = phrase_list(row.get("lay"), "a lay term's 'lay'", path)
    family = row.get("family", "general")
    if not isinstance(family, str) or not FAMILY.match(family):
        raise CorpusError(f"{path.name}: lay term {lay[0]!r}: family must be lower-case words and hyphens")
    report, reasons = [], []
    for item in row.get("report") or []:
        if (
            isinstance(item, dict)
            and isinstance(item.get("phrase"), str)
            and isinstance(item.get("reason"), str)
        ):
            report.append(item["phrase"])
            reasons.append((item["phrase"], item["reason"]))
        else:
            report.append(item)
    report_phrases = phrase_list(report, "a lay term's 'report'", path)
    for phrase in lay:
        words = phrase.split()
        if len(words) == 1 and len(phrase.strip("-")) < MIN_LAY_WORD:
            raise CorpusError(f"{path.name}: lay word {phrase!r} is too short to mean one thing")
        if len(words) == 1 and CAPITALS.match(phrase):
            raise CorpusError(
                f"{path.name}: lay word {phrase!r} is an acronym: readers' acronyms go in glossary.json"
            )
    return LayTerm(lay, report_phrases, family, tuple(reasons))


def check_lay_phrases_once(terms: list[LayTerm], path: Path) -> None:
    """Refuse a reader's phrase in two groups: it would be searched as two concepts' words."""
    # Spelled with or without hyphens ("hot-desking", "hot desking"), a phrase is the same
    # words to the analyzer; one group may list both spellings.
    seen: dict[str, int] = {}
    for n, term in enumerate(terms):
        for phrase in term.lay:
            key = " ".join(phrase.lower().replace("-", " ").split())
            if seen.setdefault(key, n) != n:
                first = terms[seen[key]]
                raise CorpusError(
                    f"{path.name}: lay phrase {phrase!r} is in two groups "
                    f"({first.family}: {first.report[0]!r}; {term.family}: {term.report[0]!r})"
                )


def load_language(path: Path) -> Language:
    """Read and validate `corpus/language.json`."""
    data = read_json(path)
    abbreviations = data.get("sentence_abbreviations", [])
    protected = data.get("protected_terms", [])
    if not all(isinstance(a, str) and a for a in abbreviations + protected):
        raise CorpusError(f"{path.name}: abbreviations and protected terms must be words")
    lay_terms = [read_lay_term(row, path) for row in data.get("lay_terms", [])]
    check_lay_phrases_once(lay_terms, path)
    return Language(
        tuple(a.lower().rstrip(".") for a in abbreviations),
        frozenset(p.lower() for p in protected),
        tuple(lay_terms),
        patterns(data.get("question_frames"), "question_frames", path),
        patterns(data.get("question_endings"), "question_endings", path),
        frozenset(
            w.lower() for w in phrase_list(data.get("question_words") or ["?"], "question_words", path)
        ),
        kind_map(data.get("asks_for", {}), "asks_for", KINDS, path),
        kind_map(data.get("count_kinds", {}), "count_kinds", ANNEX_B_KINDS, path),
        kind_map(data.get("kind_words", {}), "kind_words", ANNEX_B_KINDS, path),
        patterns(data.get("reporting_clauses"), "reporting_clauses", path),
        word_set(data.get("definition_words"), "definition_words", path),
        word_set(data.get("cue_followers"), "cue_followers", path),
        read_superlatives(data.get("superlatives", {}), path),
        word_set(data.get("universal_words"), "universal_words", path),
        word_set(data.get("rating_verbs"), "rating_verbs", path),
        read_contractions(data.get("contractions", {}), path),
        word_set(data.get("comparison_words"), "comparison_words", path),
        read_numbers(data.get("number_words", {}), path),
        read_outcome_verbs(data.get("outcome_verbs"), path),
        read_comparisons(data.get("rating_comparisons", {}), path),
    )
