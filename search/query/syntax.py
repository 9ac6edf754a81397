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


def parse_query(text: str) -> QueryPlan:
    """Split a query string into words, phrases, filters and operators, within the limits."""
    plan = QueryPlan(text=text)
    negate_next = False
    for match in LEXEME.finditer(text):
        sign = "-" if negate_next else match.group("sign")
        negate_next = False
        name = (match.group("field") or "").lower()
        if name in FILTER_FIELDS:
            value = match.group("fquoted") if match.group("fquoted") is not None else match.group("fvalue")
            if value and value.strip():
                target = plan.excluded_filters if sign == "-" else plan.filters
                target.setdefault(name, []).append(value.strip())
            continue
        if match.group("phrase") is not None:
            phrase = match.group("phrase").strip()
            if phrase:
                {"-": plan.excluded, "+": plan.required}.get(sign, plan.phrases).append(phrase)
            continue
        word = match.group(0)[1:] if match.group("sign") else match.group(0)
        if word == "NOT":
            negate_next = True
            continue
        if sign == "-":
            plan.excluded.append(word)
        elif sign == "+":
            plan.required.append(word)
        elif word.endswith("*") and len(word.rstrip("*")) >= 2:
            plan.prefixes.append(word.rstrip("*"))
        elif word.endswith("~") and len(word.rstrip("~")) >= 3:
            plan.fuzzy.append(word.rstrip("~"))
        else:
            plan.words.append(word)
    return bound_plan(plan)
