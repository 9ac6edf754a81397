"""Bound the work a query asks for, counting what it costs: stems, not characters or spaces.

A query's text is at most 500 characters (`search.query.request`), but what a search
costs grows with the stems it compiles: every stem adds clauses, and every acronym or
lay word among them adds expansions. So the parts of a parsed query are bounded here,
once, before anything expands them:

- words are counted by their stems once repeats are removed ("disclosure disclosure"
  is one; "IQA-CPS-NFS" is three): at most `MAX_WORDS` distinct stems, and at most
  `MAX_COMPOUND` stems in one word, however its parts are joined;
- phrases (quoted, required or excluded) are cut to `MAX_PHRASE` stems before their
  words are expanded, and a phrase said twice counts once;
- at most `MAX_OPERATORS` distinct phrases, prefixes and fuzzy words, each of which
  stands for at most `MAX_EXPANSIONS` of the report's words, and the prefixes and fuzzy
  words of a query together for at most `MAX_OPERATOR_WORDS`;
- what the words are expanded to is bounded too: at most `MAX_ACRONYMS` acronyms
  spelled out, `MAX_ALTERNATIVES` synonyms and report words for lay words, and
  `MAX_SPELLED` unknown words (or unknown pairs) tried by the spelling corrector.

What is cut is cut from the end, so a question's opening and its first words are
read as typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from search.text.analysis import SHORT_TEXT, tokens, word_tokens

if TYPE_CHECKING:
    from search.query.syntax import QueryPlan

MAX_WORDS = 12
# Words kept in all, counting repeats and words with no stem ("the", "of").
MAX_WORD_COUNT = 2 * MAX_WORDS
MAX_COMPOUND = 3
MAX_PHRASE = 12
MAX_OPERATORS = 8
MAX_EXPANSIONS = 20
MAX_OPERATOR_WORDS = 2 * MAX_EXPANSIONS
# Required or excluded words and phrases kept, repeats removed.
MAX_REQUIRED = MAX_WORDS
MAX_ACRONYMS = 2
MAX_ALTERNATIVES = 12
MAX_SPELLED = 4


def cut_to_stems(text: str, limit: int) -> tuple[str, tuple[str, ...]]:
    """Return text up to the end of its `limit`-th indexed word, and the stems kept.

    ("IQA-CPS-NFS", 2) gives ("IQA-CPS", ("iqa", "cps")): the stems are what a piece of
    a query searches for, and what makes two pieces the same.
    """
    # A query's words repeat from query to query: short ones are kept, as `stems` keeps them.
    found = word_tokens(text) if len(text) <= SHORT_TEXT else tokens(text)
    if len(found) > limit:
        text, found = text[: found[limit - 1].end], found[:limit]
    return text, tuple(t.stem for t in found)


def bound_words(words: Iterable[str]) -> list[str]:
    """Keep words, in order, while they add up to at most MAX_WORDS distinct stems.

    Each word is cut to MAX_COMPOUND stems first. A repeated word adds no stem and is
    kept (it may matter to how a question reads), but no more than MAX_WORD_COUNT words are.
    """
    kept: list[str] = []
    seen: set[str] = set()
    for word in words:
        if len(kept) >= MAX_WORD_COUNT:
            break
        word, stems = cut_to_stems(word, MAX_COMPOUND)
        new = set(stems) - seen
        if len(seen) + len(new) > MAX_WORDS:
            break
        seen |= new
        kept.append(word)
    return kept


def bound_phrases(phrases: Iterable[str], limit: int) -> list[str]:
    """Return at most `limit` distinct phrases, each cut to MAX_PHRASE stems; phrases of no stem are dropped."""
    kept: dict[tuple[str, ...], str] = {}
    for phrase in phrases:
        if len(kept) >= limit:
            break
        phrase, stems = cut_to_stems(phrase, MAX_PHRASE)
        if stems:
            kept.setdefault(stems, phrase)
    return list(kept.values())


def bound_operators(items: Iterable[str], limit: int = MAX_OPERATORS) -> list[str]:
    """Return at most `limit` distinct prefixes or fuzzy words (compared in lower case)."""
    kept: dict[str, str] = {}
    for item in items:
        if len(kept) >= limit:
            break
        kept.setdefault(item.lower(), item)
    return list(kept.values())


def bound_plan(plan: QueryPlan) -> QueryPlan:
    """Return the plan within the limits above; filters are left as they are."""
    return replace(
        plan,
        words=bound_words(plan.words),
        phrases=bound_phrases(plan.phrases, MAX_OPERATORS),
        prefixes=bound_operators(plan.prefixes),
        fuzzy=bound_operators(plan.fuzzy),
        required=bound_phrases(plan.required, MAX_REQUIRED),
        excluded=bound_phrases(plan.excluded, MAX_REQUIRED),
    )
