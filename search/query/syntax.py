"""Read the query syntax: words, "phrases", field filters, prefixes, fuzzy words, + and -.

Syntax: plain words, "quoted phrases", field filters (area:wessex, theme:disclosure,
part:c, kind:issue, id:para-4.10), prefixes (disclos*), fuzzy words (disclosure~),
+required and -excluded words, phrases or filters, and NOT before a word. Anything
else is a word: a query string never fails to parse. What a plan may hold is
bounded (`search.query.limits`), so no query string asks for unbounded work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.query.limits import bound_plan

FILTER_FIELDS = ("area", "theme", "part", "kind", "id")
LEXEME = re.compile(
    r"""(?P<sign>[+-])?(?:
        (?P<field>[A-Za-z_]+):(?:"(?P<fquoted>[^"]*)"?|(?P<fvalue>[^\s"]+))
      | "(?P<phrase>[^"]*)"?
      | (?P<word>[^\s"]+)
    )""",
    re.VERBOSE,
)

# Two single letters or digits joined by a spaced ampersand: an acronym typed loosely ("E & D").
SPACED_AMPERSAND = re.compile(r"(?<![\w&])([A-Za-z0-9]) & ([A-Za-z0-9])(?![\w&])")


@dataclass
class QueryPlan:
    """The parts of a query string, before analysis."""

    text: str = ""
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)
    required: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    excluded_filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.phrases or self.prefixes or self.fuzzy or self.required)


def pattern_lexemes(text: str):
    """Yield (sign, field, field value, phrase, word) for each lexeme of a query string."""
    for m in LEXEME.finditer(text):
        quoted = m.group("fquoted")
        yield (
            m.group("sign"),
            m.group("field"),
            quoted if quoted is not None else m.group("fvalue"),
            m.group("phrase"),
            m.group(0)[1:] if m.group("sign") else m.group(0),
        )


def parse_query(text: str) -> QueryPlan:
    """Split a query string into words, phrases, filters and operators, within the limits."""
    plan = QueryPlan(text=text)
    if "&" in text:
        text = SPACED_AMPERSAND.sub(r"\1&\2", text)  # "E & D" is the acronym E&D
    if '"' in text or ":" in text:
        read_lexemes(plan, pattern_lexemes(text))
    else:
        read_words(plan, text.split())
    return bound_plan(plan)


def read_lexemes(plan: QueryPlan, found) -> None:
    """Add a query string's lexemes to a plan: filters, phrases, operators and words."""
    negate_next = False
    for given_sign, field_name, field_value, phrase, word in found:
        sign = "-" if negate_next else given_sign
        negate_next = False
        name = (field_name or "").lower()
        if name in FILTER_FIELDS:
            if field_value and field_value.strip():
                target = plan.excluded_filters if sign == "-" else plan.filters
                target.setdefault(name, []).append(field_value.strip())
            continue
        if phrase is not None:
            phrase = phrase.strip()
            if phrase:
                {"-": plan.excluded, "+": plan.required}.get(sign, plan.phrases).append(phrase)
            continue
        if word == "NOT":
            negate_next = True
            continue
        add_word(plan, sign, word)


def read_words(plan: QueryPlan, tokens: list[str]) -> None:
    """Add the words of a query string with no quote and no colon to a plan, as
    `read_lexemes` would: each a run of non-spaces with an optional sign, no lexeme built."""
    negate_next = False
    for token in tokens:
        if len(token) > 1 and token[0] in "+-":
            sign, word = token[0], token[1:]
        else:
            sign, word = None, token
        if negate_next:
            sign, negate_next = "-", False
        if word == "NOT":
            negate_next = True
            continue
        add_word(plan, sign, word)


def add_word(plan: QueryPlan, sign: str | None, word: str) -> None:
    """Add one word to a plan: excluded, required, a prefix, a fuzzy word or a plain word."""
    if sign == "-":
        plan.excluded.append(word)
    elif sign == "+":
        plan.required.append(word)
    elif word[-1] == "*" and len(word.rstrip("*")) >= 2:
        plan.prefixes.append(word.rstrip("*"))
    elif word[-1] == "~" and len(word.rstrip("~")) >= 3:
        plan.fuzzy.append(word.rstrip("~"))
    else:
        plan.words.append(word)
