"""What a query's understanding does to ranking: its scope, and the lifts of some entries.

Each adjustment is a small named part (`search.query.parts`) that reads the same
`AdjustContext` and returns what it adds — a scope or lifts,
each lift with the reason `explain` gives for it:

- `areas` (scope): a query that names an Area is about that Area: only entries about
  it match (its own and the national text that names it), and a place, its Area's and
  those the report names the place in;
  and, named with no topic, lists its own entries (Annex B rows, scores, report) before
  the national text that names it;
- `kinds` and `structural-cues`: a kind of entry a query names ("good practice") or
  asks for ("scores") comes first;
- `answer-rows`: the scores rows an answer rests on lead;
- `quantities`: for "how many …?", the entries that give a number of the topic lead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from search.models import KINDS, PARTS, Entry, section_fields
from search.query.engine.bitsets import docnums_of, mask_of
from search.query.parts import ALL_ON, Switches
from search.query.understanding import Understanding

STRUCTURAL_KINDS = frozenset({"rating", "criterion", "report", "table"})
# The entries that are an Area's own, not national text that names it.
OWN_KINDS = frozenset({"issue", "good-practice", "strength", "rating", "report"})
SUBJECT_LIFT = 30.0
# The entries a definition comes from come first, above every entry merely holding the term
# (each scores row holds a criterion's whole name).
DEFINITION_LIFT = 100.0
# "How many …?" is answered by a number: entries that give one of the topic get this much.
QUANTITY_LIFT = 10.0
# A structural kind asked for ("case progression scores", "rated") leads among the entries as
# good on the topic, not above every one that treats it: "was any Area rated excellent on
# leadership" finds the paragraphs saying who was rated what, the scores rows beside them.
ASKED_LIFT = 3.0


@dataclass(frozen=True)
class Lift:
    """A value added to the score of every entry in a set, and why."""

    reason: str
    docs: int
    value: float


@dataclass(frozen=True)
class AdjustContext:
    """What the adjustments read: the understanding, the answer's rows, the quantities."""

    understanding: Understanding
    answered: tuple[int, ...] = ()
    quantities: tuple[int, ...] = ()
    counted: tuple[int, ...] = ()  # a count's entries ("how many issues … on casework": Part C's)
    # Per place named that the report names too ("Leicester"), the entries naming it.
    mentions: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Adjustment:
    """What one part adds: a scope (None: everything) and lifts."""

    scope: int | None = None
    lifts: tuple[Lift, ...] = ()


@dataclass(frozen=True)
class Adjustments:
    """A query's scope (a bitset, None for everything) and lifts."""

    scope: int | None
    lifts: dict[int, float]
    rules: tuple[Lift, ...] = ()
    quantities: frozenset[int] = frozenset()

    def lift_reasons(self, doc: int) -> list[tuple[str, float]]:
        """Return why a document's score was lifted, and by how much."""
        return [(rule.reason, rule.value) for rule in self.rules if rule.docs >> doc & 1]


class Adjuster:
    """Per-document kinds and Areas of one build, for turning understandings into adjustments."""

    def __init__(self, entries: list[Entry], by_id: dict[str, int]):
        self.by_kind = {k: mask_of(n for n, e in enumerate(entries) if e.kind == k) for k in KINDS}
        self.by_part = {p: mask_of(n for n, e in enumerate(entries) if e.part == p) for p in PARTS}
        # Document numbers by entry id, not one-bit masks: a mask of entry n takes n bits, so
        # masks of every entry would take memory growing with the square of their number.
        self.docnum = by_id
        by_area: dict[str, list[int]] = {}
        own: dict[str, list[int]] = {}
        for n, entry in enumerate(entries):
            for area in entry.areas:
                by_area.setdefault(area, []).append(n)
                if entry.kind in OWN_KINDS:
                    own.setdefault(area, []).append(n)
        self.by_area = {area: mask_of(docs) for area, docs in by_area.items()}
        self.own = {area: mask_of(docs) for area, docs in own.items()}
        self.parts = (
            ("areas", self.area_scope),
            ("areas", self.own_entries),
            ("kinds", self.kinds_named),
            ("kinds", self.kinds_asked),
            ("kinds", self.sections_named),
            ("answer-rows", self.answer_rows),
            ("quantities", self.quantity_lift),
        )

    def adjust(
        self,
        understanding: Understanding,
        answer: tuple[int, ...] = (),
        quantities: tuple[int, ...] = (),
        switches: Switches = ALL_ON,
        counted: tuple[int, ...] = (),
        mentions: dict[str, int] | None = None,
    ) -> Adjustments:
        """Return the scope, priors and lifts a query's understanding calls for.

        `answer` lists the documents an answer from the scores rests on: they lead;
        `quantities`, for a "how many" question, those that give a number of its topic;
        `counted`, for a count of a kind, the entries counted; `mentions`, per place named
        that the report names too, the entries naming it (they join its Area's in scope).
        """
        context = AdjustContext(understanding, answer, quantities, counted, mentions or {})
        scope, rules = None, []
        for name, part in self.parts:
            if not switches.on(name):
                continue
            made = part(context)
            if made.scope is not None:
                scope = made.scope if scope is None else scope & made.scope
            rules += made.lifts
        lifts: dict[int, float] = {}
        for rule in rules:
            for doc in docnums_of(rule.docs):
                lifts[doc] = lifts.get(doc, 0.0) + rule.value
        return Adjustments(scope, lifts, tuple(rules), frozenset(quantities))

    # -- the parts ------------------------------------------------------------------------

    def area_scope(self, c: AdjustContext) -> Adjustment:
        """Scope the search to the entries about the Areas named."""
        if not c.understanding.areas:
            return Adjustment()
        scope = 0
        for area in c.understanding.areas:
            scope |= self.by_area.get(area, 0)
        # A place the report names is about the entries naming it too, whichever Area they are.
        for name, _ in c.understanding.places:
            scope |= c.mentions.get(name, 0)
        return Adjustment(scope=scope)

    def own_entries(self, c: AdjustContext) -> Adjustment:
        """For an Area named with no topic ("Wessex"), put its own record (Annex B rows, scores,
        report) before the national text that names it; with a topic, the topic ranks."""
        if c.understanding.topic:
            return Adjustment()
        return Adjustment(
            lifts=tuple(
                Lift(f"its own entry for {area}", self.own[area], SUBJECT_LIFT)
                for area in c.understanding.areas
                if area in self.own
            )
        )

    def kinds_named(self, c: AdjustContext) -> Adjustment:
        """Lift the kinds of entry the query names ("good practice"); in a count, those counted."""
        if c.counted:
            reason = "one of the entries counted"
            return Adjustment(lifts=(Lift(reason, mask_of(c.counted), SUBJECT_LIFT),))
        return Adjustment(
            lifts=tuple(
                Lift(f"a kind named in the query ({kind})", self.by_kind[kind], SUBJECT_LIFT)
                for kind in c.understanding.kinds
                if kind in self.by_kind
            )
        )

    def sections_named(self, c: AdjustContext) -> Adjustment:
        """Lift the entries of the report's sections named by letter ("part c", "annex b")."""
        return Adjustment(
            lifts=tuple(
                Lift(f"in a section the query names ({section})", self.section_mask(section), SUBJECT_LIFT)
                for section in c.understanding.sections
            )
        )

    def section_mask(self, section: str) -> int:
        """Return the entries of one section named by letter."""
        masks = {"part": self.by_part, "kind": self.by_kind}
        found = 0
        for field_name, value in section_fields(section):
            if field_name == "id":
                found |= 1 << self.docnum[value] if value in self.docnum else 0
            else:
                found |= masks[field_name].get(value, 0)
        return found

    def kinds_asked(self, c: AdjustContext) -> Adjustment:
        """Lift the structural kinds asked for ("scores", "criteria") a little, unless an answer's
        rows lead."""
        if c.answered:
            return Adjustment()
        asked = sorted(set(c.understanding.asks_for) & STRUCTURAL_KINDS)
        return Adjustment(
            lifts=tuple(
                Lift(f"a kind the query asks for ({kind})", self.by_kind[kind], ASKED_LIFT) for kind in asked
            )
        )

    @staticmethod
    def answer_rows(c: AdjustContext) -> Adjustment:
        """Lift the rows an answer from the scores rests on, and above all else the entries a
        definition comes from."""
        if not c.answered:
            return Adjustment()
        if c.understanding.question == "definition":
            return Adjustment(
                lifts=(Lift("the definition comes from it", mask_of(c.answered), DEFINITION_LIFT),)
            )
        return Adjustment(lifts=(Lift("the answer rests on it", mask_of(c.answered), SUBJECT_LIFT),))

    @staticmethod
    def quantity_lift(c: AdjustContext) -> Adjustment:
        """Lift, for a "how many" question, the entries that give a number of its topic; above the
        entries counted, when a kind is counted (the report's own total comes first)."""
        if not c.quantities:
            return Adjustment()
        reason = "it gives a number of what the question asks about"
        value = QUANTITY_LIFT + (SUBJECT_LIFT if c.understanding.kinds else 0.0)
        return Adjustment(lifts=(Lift(reason, mask_of(c.quantities), value),))
