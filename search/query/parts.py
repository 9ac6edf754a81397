"""The query stage's switchable parts, by name.

Every step that changes what a query finds or how it ranks — a way of reading the
words, an expansion, a prior or a lift — is a named part that can be switched off:
`python -m search query --without lay-words,proximity …`, and the same on the
relevance benchmark, which switches each off in turn (`--ablate`) to show what it is
worth. The lay thesaurus's families switch off one by one too (`lay-words:money`).
The parts themselves live with their stage: reading in `understanding`, expansions in
`expanders`, scope and lifts in `adjustments`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# A family of the lay thesaurus: `lay-words:<family>`.
FAMILY = ":"


@dataclass(frozen=True)
class PartInfo:
    """A switchable part: its name, the stage it belongs to, and what it does."""

    name: str
    stage: str
    about: str


PARTS = (
    PartInfo("question-frames", "read", "a question's frame (\"which Areas were\", \"what does … mean\") is not searched for"),
    PartInfo("areas", "read", "an Area named scopes the search to entries about it (alone, its own entries first)"),
    PartInfo("places", "read", "a place or police force named scopes the search to its CPS Area"),
    PartInfo("kinds", "read", "a kind of entry named (\"good practice\") or asked for (\"rated\", \"criteria\") leads"),
    PartInfo("best-field", "compile", "a word counts by its best field, not the sum over fields: a common word never outweighs a rare one"),
    PartInfo("spelling", "expand", "words the report never uses are corrected to its nearest words"),
    PartInfo("acronyms", "expand", "acronyms also find their expansion, and expansions their acronym"),
    PartInfo("acronym-words", "expand", "a rare acronym the report uses also finds its expansion's words, loosely (NFS → file, standard)"),
    PartInfo("lay-words", "expand", "a reader's words also find the report's words for the same thing"),
    PartInfo("proximity", "expand", "entries where the words stand together rank higher"),
    PartInfo("theme-signals", "expand", "a query naming a theme also finds the entries tagged with it"),
    PartInfo("theme-lift", "expand", "the themes a query's words signal lift the entries it finds that are tagged with them"),
    PartInfo("theme-readers", "expand", "a reader's everyday words for a theme's subject (\"burnout\") signal the theme too"),
    PartInfo("answer-rows", "adjust", "the scores rows an answer rests on lead"),
    PartInfo("quantities", "adjust", "for \"how many\", the entries that give a number of the topic lead"),
    PartInfo("learned-order", "order", "the first 30 candidates are put in the order learned from the tuning judgments (corpus/ordering.json)"),
)  # fmt: skip
PART_NAMES = tuple(p.name for p in PARTS)
LEARNED_ORDER = "learned-order"


@dataclass(frozen=True)
class Switches:
    """Which parts are off for one query (everything is on by default)."""

    off: frozenset[str] = frozenset()

    def on(self, name: str) -> bool:
        """Tell whether a part (or a lay family, `lay-words:money`) is on."""
        if name in self.off:
            return False
        head, _, _ = name.partition(FAMILY)
        return head not in self.off


ALL_ON = Switches()


def parse_without(value: str | Iterable[str], families: Iterable[str] = ()) -> frozenset[str]:
    """Read a comma-separated list of parts to switch off, or raise ValueError naming the unknown."""
    names = value.split(",") if isinstance(value, str) else list(value)
    wanted = [n.strip().lower() for n in names if n.strip()]
    known = set(PART_NAMES) | {f"lay-words{FAMILY}{f}" for f in families}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise ValueError(
            f"unknown part {unknown[0]!r}; the parts are {', '.join(PART_NAMES)}"
            + (", and lay-words:FAMILY" if families else "")
        )
    return frozenset(wanted)
