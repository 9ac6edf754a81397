"""Read what a query asks for: its topic, the Areas and kinds it names, scores, counts, questions.

Takes the free words of a parsed query (`search.query.syntax`) and the build's
`Lexicon`; gives an `Understanding`, a small, plain record of what the person asked:

- the *frame* of a question ("which Areas were", "what did inspectors find about",
  "how many"), from `corpus/language.json`, is taken off: it says how to answer, not what about;
- the *Areas* it names ("east midlands", "both London Areas") scope the search to them;
- the *kinds of entry* it names ("good practice") and the *structural kinds* it asks for
  ("rated", "criteria", "table") decide which kinds of entry lead;
- the *criteria* and *Parts* it names ("resource management", "casework"), and the
  rating values ("excellent"), let a question about scores be answered from the ratings;
- of the words left, those the report uses everywhere without a topic ("Area", "CPS",
  measured from the corpus, see `search.text.wordstats`) count only beside other words.

Nothing here touches an index; `search.query.compiler` turns the result into a query.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from search.models import ANNEX_KINDS, PARAGRAPH_ID, RATINGS
from search.query.lexicon import Lexicon
from search.query.parts import ALL_ON, Switches
from search.text.analysis import contains, stems, word_tokens
from search.text.glossary import ACRONYM

QUESTION_START = re.compile(
    r"^(which|what|who|how|why|when|where|did|do|does|is|are|was|were|has|have|can)\b"
)
# The report's sections a reader names by letter ("part c", "annex b"), by their word.
SECTION_LETTERS = {"part": frozenset("abcde"), "annex": frozenset(ANNEX_KINDS)}
# The words a reader cites a paragraph by number with ("para 2.5"; "§" is read joined or apart).
PARAGRAPH_WORDS = frozenset({"para", "paras", "paragraph", "paragraphs", "§"})
# "what is X" asks what X means when X is a term: a few words at most.
MAX_DEFINED_WORDS = 4
# How a question asking which Areas got a rating opens ("area": "areas rated poor for victims").
WHICH_OPENINGS = (("which",), ("what",), ("who",), ("area",), ("areas",))
# The words that name Areas in general, not one of them.
AREA_WORDS = frozenset({"area", "areas"})
# The stems of "how many (CPS) areas (were inspected)": a count of the Areas themselves.
AREA_COUNT_STEMS = frozenset({"area", "cps", "inspect"})
# A stem this long or longer is a word family's root: "partner" for "partnership".
FAMILY_ROOT = 5
# What may stand between "areas" and the word asking for ratings ("areas that were rated").
RELATIVE_WORDS = frozenset({"that", "which", "who"})
BE_WORDS = frozenset({"is", "are", "was", "were", "have", "has", "had", "been"})
# Words between how an Area came out and its superlative ("came out on top", "finished at the bottom").
BEFORE_SUPERLATIVE = frozenset({"on", "at", "the"})
# What may stand between "areas" and a rating value they were given ("areas with poor …").
HAVING_WORDS = frozenset({"with", "having"})
# An article between a verb of receiving and the rating value ("got a poor rating").
ARTICLES = frozenset({"a", "an"})


@dataclass(frozen=True)
class Word:
    """A word left to search for, as typed, and whether it carries a topic in this report."""

    text: str
    topical: bool = True


@dataclass(frozen=True)
class Understanding:
    """What a query asks for, read from its words."""

    words: tuple[Word, ...] = ()
    frame: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    asks_for: frozenset[str] = frozenset()
    parts: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
    ratings: tuple[str, ...] = ()
    question: str = ""
    # "max" or "min" for a question asking for the most or the fewest ("which Area had the most …").
    superlative: str = ""
    # How many Areas a superlative asks for ("the top 3 areas"); 0: those ranked first only.
    limit: int = 0
    # "how many areas (are there)": the question counts the CPS Areas themselves.
    counts_areas: bool = False
    # The question asks about every criterion of a Part ("rated good for every part of casework").
    every: bool = False
    # Places named ("Leeds"), each with the CPS Areas that cover it; their Areas are in `areas`.
    places: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The words as said, question words included: lay phrases ("too many emails") are read here.
    said: tuple[str, ...] = ()
    # A question's topic words that name no scored criterion or Part ("disclosure" in "which
    # Areas were rated Poor for disclosure"): the scores tables cannot answer for them.
    unscored: tuple[str, ...] = ()
    # The overall scores are asked about ("rated excellent overall"), not every criterion.
    overall: bool = False
    # The report's sections named by letter, as "part-c" or "annex-b": their entries lead,
    # and named alone they are what is listed. A Part named so is in `parts` too.
    sections: tuple[str, ...] = ()

    @property
    def wants_ratings(self) -> bool:
        """Tell whether scores are in question: asked for, or a scored criterion named in a
        question or beside an Area ("wales casework" is about Cymru-Wales's Part C scores too)."""
        named = bool(self.criteria or self.parts) and bool(self.areas or self.frame)
        return "rating" in self.asks_for or bool(self.ratings) or named

    @property
    def topic(self) -> tuple[str, ...]:
        """The words that carry the subject, as typed."""
        return tuple(w.text for w in self.words if w.topical)

    def to_dict(self) -> dict:
        """Return JSON-ready data."""
        return {
            "question": self.question or None,
            "frame": " ".join(self.frame) or None,
            "topic": " ".join(w.text for w in self.words) or None,
            "areas": list(self.areas),
            "kinds": list(self.kinds),
            "asks_for": sorted(self.asks_for),
            "parts": list(self.parts),
            "sections": list(self.sections),
            "criteria": list(self.criteria),
            "ratings": list(self.ratings),
            "overall": self.overall,
            "places": [{"name": name, "areas": list(areas)} for name, areas in self.places],
            "context_words": [w.text for w in self.words if not w.topical],
        }


def same_family(a: str, b: str) -> bool:
    """Tell whether two stems are one word or of one family ("partner", "partnership"):
    one extends the other, which has at least FAMILY_ROOT letters."""
    if a == b:
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return len(short) >= FAMILY_ROOT and long.startswith(short)


def names_all(name: Sequence[str], topical: set[str]) -> bool:
    """Tell whether a criterion's or Part's name holds every topic stem, or one of its family."""
    return all(any(same_family(t, s) for s in name) for t in topical)


class QueryReader:
    """Reads the words of queries against one build's lexicon."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        # Worked out once per build, not per query: the one-word cues asking for ratings
        # ("rated"), and the stems of the overall scores' names ("overall", "score").
        self.rating_cues = frozenset(
            p for p, kind in lexicon.structural_cues.items() if kind == "rating" and len(p) == 1
        )
        self.overall_stems = frozenset(s for name in lexicon.overall_names for s in name)
        # Stems that name no topic of a ratings question: the words asking for a kind
        # ("scores"), the rating values ("poor") and the word that names Parts.
        self.untopical = frozenset(
            {s for phrase in lexicon.structural_cues for s in phrase}
            | {s for value in lexicon.rating_values.values() for s in stems(value)}
            | {"part"}
        )
        # The word every overall score's name holds and no other criterion's ("overall").
        shared = [frozenset(name) for name in lexicon.overall_names]
        self.overall_word = frozenset.intersection(*shared) - self.untopical if shared else frozenset()
        # The criteria's and Parts' names by their first stem: a query is checked only
        # against the names it holds the first word of. A scored criterion is named by its
        # code too ("C1 ratings").
        self.names_by_first: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
        for group, names in (("criterion", lexicon.criteria), ("part", lexicon.part_names)):
            for code, name in names.items():
                for said in (name, tuple(stems(code)) if group == "criterion" else ()):
                    if said:
                        self.names_by_first.setdefault(said[0], []).append((group, code, tuple(said)))

    def read(self, words: list[str], switches: Switches = ALL_ON) -> Understanding:
        """Return what the words of a query ask for; a step whose part is off is skipped.

        Words of extent ("most", "every") are taken out only for a question they shape (the
        most issues, every criterion of a Part); otherwise the question is read with them.
        """
        language = self.lex.language
        extent = (language.superlatives or {}).keys() | language.universal_words
        if not any(w.lower().strip("?!.,;:") in extent for w in words):
            return self.read_words(words, switches, extent=False)
        understanding = self.read_words(words, switches, extent=True)
        uses_extent = understanding.question == "superlative" or (
            understanding.every and understanding.question == "which-areas"
        )
        return understanding if uses_extent else self.read_words(words, switches, extent=False)

    def read_words(self, words: list[str], switches: Switches, extent: bool) -> Understanding:
        """Read the words, with or without taking words of extent out."""
        words = [w for w in (w.strip("?!.,;:") for w in words) if w]
        frames = switches.on("question-frames")
        words = self.expand_contractions(words) if frames else words
        words = self.expand_rating_comparisons(words) if switches.on("kinds") else words
        frame, words = self.take_frame(words) if frames else ([], words)
        if frames and not frame and len(words) > 1 and words[0].lower() in self.lex.language.question_words:
            frame, words = [words[0].lower()], words[1:]  # "what training has …": a question all the same
        if frames and not frame:
            frame, words = self.take_area_opening(words)
        sections, words = self.take_sections(words)
        areas, places, words = self.take_names(words, switches.on("areas"), switches.on("places"))
        if frame and (areas or places) and not any(self.is_topical(w) for w in words):
            frame, words = self.give_back_kinds(frame, words)
        # "compare Wessex and South West": the comparison asks for their scores, not a topic.
        compared = self.comparison_words(words) if len(areas) > 1 and switches.on("kinds") else set()
        words = [w for i, w in enumerate(words) if i not in compared]
        # Two places in one Area ("Kent and Medway") scope to it once.
        areas = list(dict.fromkeys([*areas, *(a for _, slugs in places for a in slugs)]))
        superlative, every, counted, limit, words = (
            self.take_extent(words) if frame and extent else ("", False, False, 0, words)
        )
        counting = frame[:2] == ["how", "many"] or counted
        # "what is meant by an issue to address" asks what the kind's name means.
        defining = bool(set(frame) & self.lex.language.definition_words)
        kinds, words = (
            self.take_kinds(words, counting or self.only_kinds(words, areas or places))
            if switches.on("kinds") and not defining
            else ([], words)
        )
        said = tuple(words)
        # "got poor for leadership": the verb asks for ratings; neither it nor "a" is a topic.
        # The verb may end the question's opening ("which Areas got").
        tail = frame[-1:]
        rated = self.rating_verbs(tail + words) if switches.on("kinds") else set()
        # "areas with poor victim communication": a rating value after "areas with" is a rating.
        valued = bool(frame) and frame[0] in AREA_WORDS and frame[-1] in HAVING_WORDS and self.valued(words)
        words = [w for i, w in enumerate(words, start=len(tail)) if i not in rated]
        if frame:
            # Inside a question too, who reported ("did inspectors raise") and its own words
            # ("did", "how") say how to answer, not what about.
            reported, words = self.take_reporting(words)
            frame += reported
            frame += [w.lower() for w in words if w.lower() in self.lex.language.question_words]
            words = [w for w in words if w.lower() not in self.lex.language.question_words]
        if frames:
            ending, words = self.take_ending(words, whole=bool(areas or kinds))
            frame += ending
        cued = switches.on("kinds")
        asks_for = (
            self.asked_for(words) | ({"rating"} if rated or compared or valued else set()) if cued else set()
        )
        lettered = [s.partition("-")[2] for s in sections if s.startswith("part-")]
        parts, criteria, unscored = self.named_criteria(words, areas, frame, lettered, switches)
        if defining and criteria:
            # "what counts as good leadership": the framework's criterion, not entries saying "good".
            words = [w for w in words if w.lower() not in self.lex.rating_values] or words
        # "good", "fair", "poor" are ratings only where scores are asked for ("rated good").
        ratings = self.rating_values(words) if "rating" in asks_for else []
        cues = self.cue_words(words) if cued else set()
        # "best area", "which area performed best": the best rated overall, nothing else to search.
        alone = self.ranks_areas_alone(frame, superlative, kinds, parts, criteria, words)
        counts_areas = self.counts_areas(frame, areas, kinds, parts, criteria, ratings, words)
        if alone or counts_areas:
            frame, words = frame + [w.lower() for w in words], []
        kept = tuple(
            Word(w, i not in cues) for i, w in enumerate(words) if stems(w) or self.joined_acronym(w)
        )
        understanding = Understanding(
            words=kept,
            frame=tuple(frame),
            areas=tuple(areas),
            kinds=tuple(kinds),
            asks_for=frozenset(asks_for),
            parts=tuple(parts),
            criteria=tuple(criteria),
            ratings=tuple(ratings),
            places=tuple(places),
            said=said,
            superlative=superlative,
            limit=limit,
            counts_areas=counts_areas,
            every=every,
            unscored=tuple(unscored),
            overall=alone or (not criteria and any(set(stems(w)) & self.overall_word for w in words)),
            sections=tuple(sections),
        )
        named = frozenset(
            s
            for name in [self.lex.criteria[c] for c in criteria] + [self.lex.part_names[p] for p in parts]
            for s in name
        )
        question = question_kind(understanding, self.lex.language.definition_words, named)
        return replace(understanding, question=question)

    # -- the steps ----------------------------------------------------------------------

    @staticmethod
    def joined_acronym(word: str) -> bool:
        """Tell whether a word is letters joined by ampersands, as an acronym is ("E&D", "R&D"),
        which the tokenizer would split into letters too short to search."""
        return "&" in word and ACRONYM.match(word) is not None

    def expand_contractions(self, words: list[str]) -> list[str]:
        """Read each contraction as the words it stands for ("what's" → "what is")."""
        table = self.lex.language.contractions or {}
        if not table:
            return words
        out: list[str] = []
        for word in words:
            out.extend(table.get(word.lower().replace("\u2019", "'"), (word,)))
        return out

    def expand_rating_comparisons(self, words: list[str]) -> list[str]:
        """Read a rating value set against the scale as the values it stands for: "less than
        good" as "fair or poor", "at least good" as "excellent or good" (a value naming a kind,
        "better than good practice", is left alone, and so is a comparison that leaves none)."""
        table = self.lex.language.rating_comparisons or {}
        low = [w.lower() for w in words]
        if not table or not any(w in self.lex.rating_values for w in low[1:]):
            return words
        scale = [v for v in RATINGS if v.lower() in self.lex.rating_values]
        out: list[str] = []
        i = 0
        while i < len(words):
            for phrase, way in table.items():  # the longest first
                end = i + len(phrase)
                if tuple(low[i:end]) != phrase or end >= len(words) or not self.valued(words[end:]):
                    continue
                at = scale.index(self.lex.rating_values[low[end]])
                chosen = {
                    "below": scale[at + 1 :],
                    "above": scale[:at],
                    "at_least": scale[: at + 1],
                    "at_most": scale[at:],
                }[way]
                if chosen:
                    out += " or ".join(v.lower() for v in chosen).split()
                    i = end + 1
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    def take_frame(self, words: list[str]) -> tuple[list[str], list[str]]:
        """Take the question's opening ("which Areas were", "how many") off the words."""
        return strip(words, self.lex.language.question_frames, at_end=False, whole=False)

    def take_ending(self, words: list[str], whole: bool = False) -> tuple[list[str], list[str]]:
        """Take a question's closing words off ("… mean", "… does Wessex have").

        With `whole`, the ending may be all that is left ("how many strengths did Wessex
        get": "get", once the kind and the Area are taken).
        """
        return strip(words, self.lex.language.question_endings, at_end=True, whole=whole)

    def take_area_opening(self, words: list[str]) -> tuple[list[str], list[str]]:
        """Take "area" or "areas" off a query asking about Areas without a question's opening.

        "worst area for casework" (a word of the most or fewest before it, with "rated" or
        "performing" between them or not), "areas rated poor for victims" (a word asking
        for ratings right after it) and "area with the most issues" ask which Area; "area"
        (with its "with") is their opening, as "which area" would be. Elsewhere ("areas
        for improvement", "area business manager") it is left where it stands.
        """
        low = [w.lower() for w in words]
        superlatives = self.lex.language.superlatives or {}
        start = 1 if low[:1] == ["the"] else 0
        for i in range(min(len(low), start + 4)):
            if low[i] not in AREA_WORDS:
                continue
            # "worst area", "worst rated area", "best performing areas", "top 3 areas", "the five worst areas"
            if i > start and self.ranks_areas(low[start:i], superlatives):
                return [low[i]], words[:i] + words[i + 1 :]
            if i + 1 == len(low):
                break  # "area" last, after no word ranking Areas: not a question's opening
            if i == 0:
                # "areas rated poor", "areas that were rated poor", "areas that got poor"
                k = 2 if low[1] in RELATIVE_WORDS else 1
                k += k < len(low) and low[k] in BE_WORDS
                if k < len(low) and (tuple(stems(low[k])) in self.rating_cues or self.rating_verbs(low[k:])):
                    return low[:k], words[k:]
            # "area with the most issues", "the 3 areas with the most issues"
            after = low[i + 2 : i + 4] if low[i + 2 : i + 3] != ["the"] else low[i + 3 : i + 4]
            lead = all(w == "the" or self.number(w) for w in low[:i])
            if lead and low[i + 1] == "with" and after[:1] and after[0] in superlatives:
                counted = [w for w in words[:i] if self.number(w)]  # how many: read with the superlative
                return low[i : i + 2], counted + words[i + 2 :]
            if i == 0 and low[1] in HAVING_WORDS and self.valued(low[2:]):
                return low[:2], words[2:]  # "areas with poor victim communication"
        return [], words

    @staticmethod
    def counts_areas(frame, areas, kinds, parts, criteria, ratings, words: list[str]) -> bool:
        """Tell whether "how many" asks only how many Areas there are ("how many CPS areas are
        there", "how many areas were inspected"), not how many did something."""
        if frame[:2] != ["how", "many"] or areas or kinds or criteria or ratings:
            return False
        said = {s for w in words for s in stems(w)}
        # "CPS" alone reads as Part A ("The success of CPS people"): beside "areas" it names no Part.
        return "area" in said and said <= AREA_COUNT_STEMS and (not parts or "cps" in said)

    def ranks_areas_alone(self, frame, superlative: str, kinds, parts, criteria, words: list[str]) -> bool:
        """Tell whether a question asks for the best or worst Areas and names nothing to rank
        them on ("best area", "which area performed best"): it asks about the overall scores."""
        if not superlative or not set(frame) & AREA_WORDS or kinds or parts or criteria:
            return False
        return all(
            not stems(w) or tuple(stems(w)) in self.rating_cues or stems(w) == ["perform"] for w in words
        )

    def ranks_areas(self, head: list[str], superlatives) -> bool:
        """Tell whether the words before "area" rank Areas: a word of the most or fewest, a
        number before or after it, and rating cues or "performing" between it and "area"."""
        at = next((k for k, w in enumerate(head) if w in superlatives), None)
        if at is None or at > 1 or (at == 1 and not self.number(head[0])):
            return False
        return all(
            tuple(stems(w)) in self.rating_cues or w == "performing" or self.number(w) for w in head[at + 1 :]
        )

    def valued(self, words: list[str]) -> bool:
        """Tell whether words open with a rating value that is not part of a kind's name
        ("poor victim communication", not "good practice")."""
        if not words or words[0].lower() not in self.lex.rating_values:
            return False
        return tuple(stems(" ".join(words[:2]))) not in self.lex.kind_phrases | self.lex.count_phrases

    def only_kinds(self, words: list[str], scoped: bool) -> bool:
        """Tell whether, beside an Area, the words name only a kind of entry ("Wessex issues"):
        then "issues" names the issues to address, as in a count."""
        if not scoped:
            return False
        _, left = self.take_kinds(words, counting=True)
        return len(left) < len(words) and not any(self.is_topical(w) for w in left)

    def give_back_kinds(self, frame: list[str], words: list[str]) -> tuple[list[str], list[str]]:
        """Give a word naming a kind of entry back from a question's opening once the names
        are taken and nothing else says what is asked about: in "what are the issues for
        Leeds", the issues to address are what is asked for, of the Area Leeds is in."""
        back = [w for w in frame if tuple(stems(w)) in self.lex.count_phrases]
        return [w for w in frame if w not in back], back + words

    def comparison_words(self, words: list[str]) -> set[int]:
        """Return the positions of the words comparing the Areas named ("compare", "vs",
        "better"), but for a word the report uses with the next one ("Better Case Management")."""
        low = [w.lower() for w in words]
        found = set()
        for i, word in enumerate(low):
            if word not in self.lex.language.comparison_words:
                continue
            following = low[i + 1] if i + 1 < len(low) else ""
            here, after = stems(word), stems(following)
            if (
                here
                and after
                and following not in self.lex.language.comparison_words  # "difference between"
                and self.lex.words.pair_count(here[-1], after[0])
            ):
                continue
            found.add(i)
        return found

    def rating_verbs(self, words: list[str]) -> set[int]:
        """Return the positions of the verbs of receiving that ask for ratings, with the article
        after them: those a rating value follows as a noun ("got poor for leadership", "received
        a poor rating", "achieved excellent"), not as an adjective ("got good training")."""
        low = [w.lower() for w in words]
        found: set[int] = set()
        for i, word in enumerate(low):
            if word not in self.lex.language.rating_verbs:
                continue
            j = i + 2 if low[i + 1 : i + 2] and low[i + 1] in ARTICLES else i + 1
            if j >= len(low) or low[j] not in self.lex.rating_values:
                continue
            after = tuple(stems(low[j + 1])) if j + 1 < len(low) else ()
            if not after or after in self.rating_cues:  # "a poor rating"
                found |= set(range(i, j))
        return found

    def take_extent(self, words: list[str]) -> tuple[str, bool, bool, int, list[str]]:
        """Take the words asking for the most or fewest ("most", "lowest"), or for every criterion
        ("every", "all"), out of a question's words; say whether a kind is what is counted ("the
        most issues", not "the most common issues"), and how many Areas are asked for: a number
        beside the superlative ("top 3", "the five worst", "which three areas were rated
        highest") is taken out with it."""
        language = self.lex.language
        superlatives = language.superlatives or {}
        # A word of a kind's name ("best practice") is the kind, not a superlative.
        naming = self.find_phrases(words, self.lex.kind_phrases, [])
        extent = [
            i
            for i, w in enumerate(words)
            if i not in naming and (w.lower() in superlatives or w.lower() in language.universal_words)
        ]
        ways = [superlatives[words[i].lower()] for i in extent if words[i].lower() in superlatives]
        every = any(words[i].lower() in language.universal_words for i in extent)
        firsts = [[phrase[0]] for phrase in {**self.lex.count_phrases, **self.lex.kind_phrases}]
        counted = any(
            words[i].lower() in superlatives and i + 1 < len(words) and stems(words[i + 1])[:1] in firsts
            for i in extent
        )
        limit, extent = self.take_limit(words, extent)
        said_how = self.outcome_verbs(words, [i for i in extent if words[i].lower() in superlatives])
        kept = [w for i, w in enumerate(words) if i not in extent and i not in said_how]
        return (ways[0] if ways else ""), every, counted, limit, kept

    def outcome_verbs(self, words: list[str], superlatives: list[int]) -> set[int]:
        """Return the positions of the verb saying how an Area came out right before a
        superlative ("came out best", "fared worst", "came out on top"): how, not what about."""
        low = [w.lower() for w in words]
        found: set[int] = set()
        for at in superlatives:
            end = at
            while end > 0 and low[end - 1] in BEFORE_SUPERLATIVE:
                end -= 1
            for phrase in self.lex.language.outcome_verbs:
                start = end - len(phrase)
                if start >= 0 and tuple(low[start:end]) == phrase:
                    found |= set(range(start, at))
                    break
        return found

    def take_limit(self, words: list[str], extent: list[int]) -> tuple[int, list[int]]:
        """Return how many a superlative asks for ("top 3", "five worst") and the extent with the
        number's place added; 0 and the extent as it was when no number stands beside one."""
        superlatives = self.lex.language.superlatives or {}
        ranking = [i for i in extent if words[i].lower() in superlatives]
        # Beside the superlative ("top 3", "five worst", "3 … the most"), or before "areas"
        # ("which three areas").
        places = [
            j for i in ranking for j in (i + 1, i - 1, i - 2) if j != i - 2 or words[i - 1].lower() == "the"
        ]
        places += [j for j in range(len(words) - 1) if words[j + 1].lower() in AREA_WORDS] if ranking else []
        for j in places:
            n = self.number(words[j]) if 0 <= j < len(words) and j not in extent else 0
            if n:
                return n, [*extent, j]
        return 0, extent

    def number(self, word: str) -> int:
        """Return the whole number a word says ("3", "three"), or 0."""
        word = word.lower()
        if word.isdigit() and 0 < len(word) <= 2:
            return int(word)
        return (self.lex.language.number_words or {}).get(word, 0)

    def take_reporting(self, words: list[str]) -> tuple[list[str], list[str]]:
        """Take clauses saying who reported ("did inspectors raise") out of a question's words."""
        text = " ".join(w.lower() for w in words)
        spans = [
            (m.start(), m.end())
            for pattern in self.lex.language.reporting_clauses
            for m in re.finditer(r"\b" + pattern.pattern, text)
        ]
        if not spans:
            return [], words
        kept = words_outside(words, spans)
        taken = [w.lower() for w in words if w not in kept]
        return taken, kept

    def take_names(
        self, words: list[str], with_areas: bool = True, with_places: bool = True
    ) -> tuple[list[str], list[tuple[str, tuple[str, ...]]], list[str]]:
        """Take the Areas ("London North", "both London Areas") and the places ("Leeds", "Kent
        Police") named out of the words: the Areas' slugs, the places with their CPS Areas,
        and the words left.

        Where an Area's name lies inside a longer place's name, the place is what was named:
        "Thames Valley Police" is a police force, not the word "Thames" and two words more.
        """
        if not words:
            return [], [], words
        text = " ".join(words)
        areas_found = self.lex.areas.find(text) if with_areas and self.lex.areas is not None else []
        places_found = self.lex.places.find(text) if with_places else []
        areas_found = [
            (start, end, slugs)
            for start, end, slugs in areas_found
            if not any(
                m.start <= start and end <= m.end and m.end - m.start > end - start for m in places_found
            )
        ]
        places_found = [m for m in places_found if all(m.end <= s or m.start >= e for s, e, _ in areas_found)]
        areas = list(dict.fromkeys(s for _, _, slugs in areas_found for s in slugs if s))
        places = list(dict.fromkeys((m.place.name, m.place.areas) for m in places_found))
        spans = [(start, end) for start, end, _ in areas_found] + [(m.start, m.end) for m in places_found]
        return areas, places, words_outside(words, spans)

    def take_kinds(self, words: list[str], counting: bool) -> tuple[list[str], list[str]]:
        """Take the kinds of entry named ("good practice", "strengths") out of the words.

        "issues" alone names issues to address only in a count ("how many issues …"):
        elsewhere it is an ordinary word ("disclosure issues").
        """
        phrases = self.lex.counting_phrases if counting else self.lex.kind_phrases
        kinds: list[str] = []
        used = self.find_phrases(words, phrases, kinds)
        return kinds, [w for i, w in enumerate(words) if i not in used]

    def take_sections(self, words: list[str]) -> tuple[list[str], list[str]]:
        """Take the report's sections named out of the words: by letter ("part c", "annex b"),
        returned as "part-c", "annex-b", and paragraphs by number ("para 2.5", "§2.5"), as
        their entry's id, "para-2.5". A number the report gives no paragraph stays a word."""
        lowered = [w.lower() for w in words]
        sections: list[str] = []
        used: set[int] = set()
        for i, word in enumerate(lowered):
            if i in used:
                continue
            after = lowered[i + 1] if i + 1 < len(lowered) else ""
            if after in SECTION_LETTERS.get(word, ()):
                sections.append(f"{word}-{after}")
                used |= {i, i + 1}
            elif word in PARAGRAPH_WORDS and after in self.lex.paragraphs:
                sections.append(PARAGRAPH_ID + after)
                used |= {i, i + 1}
            elif word.startswith("§") and word[1:] in self.lex.paragraphs:
                sections.append(PARAGRAPH_ID + word[1:])
                used.add(i)
        return list(dict.fromkeys(sections)), [w for i, w in enumerate(words) if i not in used]

    def cue_words(self, words: list[str]) -> set[int]:
        """Return the positions of the words that ask for a kind ("rated", "criteria"): they
        say what to show, and count only beside the topic."""
        return {i for _, positions in self.structural_cues(words) for i in positions}

    def asked_for(self, words: list[str]) -> set[str]:
        """Return the structural kinds of entry the words ask for (scores, criteria, tables…)."""
        return {kind for kind, _ in self.structural_cues(words)}

    def structural_cues(self, words: list[str]) -> list[tuple[str, set[int]]]:
        """Return each phrase asking for a structural kind, with its word positions, in context.

        A one-word cue asks for its kind only where the words around it mean that: not in
        a compound the report itself uses ("engagement score") or one with a word that
        names nothing scored ("staff survey score"), and not as an adjective before another
        word ("a marked improvement"). Beside a scored criterion ("casework scores"), a
        rating value ("rated poor") or a word of comparison ("scored highest") it asks.
        """
        found = []
        for kind, positions in self.phrases_in(words, self.lex.structural_cues):
            if len(positions) == 1 and not self.cue_in_context(words, min(positions)):
                continue
            found.append((kind, positions))
        return found

    def cue_in_context(self, words: list[str], i: int) -> bool:
        """Tell whether the one-word cue at position i asks for its kind where it stands."""
        cue = stems(words[i])
        before = stems(words[i - 1]) if i > 0 else []
        after = stems(words[i + 1]) if i + 1 < len(words) else []
        # "advices were rated worse": what was rated is the sentence's subject, not an Area.
        subject = next((stems(w) for w in reversed(words[max(0, i - 3) : i]) if stems(w)), [])
        if not before and subject and subject[-1] not in self.lex.scored_stems | {"area"}:
            return False
        if cue and before and not self.is_rating_word(words[i - 1]):
            pair = (before[-1], cue[0])
            # "overall score", "areas rated": what is scored, named as the report names it.
            if pair[0] != "area" and not any(contains(name, pair) for name in self.lex.overall_names):
                if self.lex.words.pair_count(*pair):
                    return False  # the report's own compound: "engagement score"
                if pair[0] not in self.lex.scored_stems and self.is_topical(words[i - 1]):
                    return False  # a compound naming something not scored
        # Before another word, a cue is an adjective ("a marked improvement").
        return not (after and not self.is_rating_word(words[i + 1]))

    def is_rating_word(self, word: str) -> bool:
        """Tell whether a word is a rating value or a word of comparison ("poor", "highest")."""
        low = word.lower()
        return low in self.lex.rating_values or low in self.lex.language.cue_followers

    def named_criteria(
        self,
        words: list[str],
        areas: list[str],
        frame: list[str],
        lettered: list[str],
        switches: Switches = ALL_ON,
    ) -> tuple[list[str], list[str], list[str], list[str]]:
        """Return the Parts (those named by letter, then by name: "casework") and scored
        criteria ("resource management") named, and the topic words of a question that name
        neither.

        A whole name counts anywhere; a word or two of a name ("victims", "casework")
        counts only in a question or beside an Area, where it is what is being scored, and
        so do the report's words for a reader's ("statistics": "performance data").
        """
        parts = list(lettered)
        seq = [t.stem for w in words for t in word_tokens(w)]
        named = {
            (group, code)
            for first in set(seq)
            for group, code, name in self.names_by_first.get(first, ())
            if contains(seq, name)
        }
        criteria = [code for code in self.lex.criteria if ("criterion", code) in named]
        parts += [part for part in self.lex.part_names if ("part", part) in named and part not in parts]
        # "every part of casework": "part" names Parts, not a topic.
        topical = {s for s in seq if s not in self.untopical and not self.lex.words.is_generic(s)}
        unscored: list[str] = []
        # "rated poor overall for casework": the overall score of what the other words name.
        named_by = {s for s in topical - self.overall_word if not s.isdigit()}  # "top 3", "in 2019"
        if named_by and (areas or frame) and not criteria and not parts:
            criteria = [code for code, name in self.lex.criteria.items() if names_all(name, named_by)]
            parts = [part for part, name in self.lex.part_names.items() if names_all(name, named_by)]
            if not criteria and not parts and switches.on("lay-words"):
                criteria = self.named_in_report_words(tuple(seq), named_by, switches)
            # Neither "overall" (every Part's overall score is a criterion) nor a number
            # ("in 2019") is a topic the scores tables leave out.
            unnamed = {s for s in topical - self.overall_stems if not s.isdigit()}
            if not criteria and not parts:
                unscored = [w for w in words if set(stems(w)) & unnamed]
        return parts, criteria, unscored

    def named_in_report_words(
        self, seq: tuple[str, ...], named_by: set[str], switches: Switches
    ) -> list[str]:
        """Return the criteria the report's words for a lay phrase name, with the other
        topic words ("who scored worst at using statistics": B1, use of performance data)."""
        found: list[str] = []
        for phrase, report in self.lex.lay_groups(seq, switches):
            rest = named_by - set(phrase)
            for words in report:
                topic = rest | {s for s in words if s not in self.untopical}
                found += [
                    code
                    for code, name in self.lex.criteria.items()
                    if code not in found and names_all(name, topic)
                ]
        return found

    def rating_values(self, words: list[str]) -> list[str]:
        """Return the rating values the words name ("excellent" → "Excellent")."""
        found = []
        for word in words:
            value = self.lex.rating_values.get(word.lower())
            if value and value not in found:
                found.append(value)
        return found

    def is_topical(self, word: str) -> bool:
        """Tell whether a word says what an entry is about in this report."""
        seq = stems(word)
        return bool(seq) and not all(self.lex.words.is_generic(s) for s in seq)

    # -- helpers ------------------------------------------------------------------------

    @classmethod
    def find_phrases(
        cls, words: list[str], phrases: dict[tuple[str, ...], str], found: list[str]
    ) -> set[int]:
        """Note the value of every stem phrase in the words; return the word positions used."""
        used: set[int] = set()
        for value, positions in cls.phrases_in(words, phrases):
            if value not in found:
                found.append(value)
            used |= positions
        return used

    @staticmethod
    def phrases_in(words: list[str], phrases: dict[tuple[str, ...], str]) -> list[tuple[str, set[int]]]:
        """Return (value, word positions) for each stem phrase in the words, the longer first.

        Longer phrases claim their words first: "issues to address" before "issues".
        """
        seq = [(i, t.stem) for i, w in enumerate(words) for t in word_tokens(w)]
        stem_seq = tuple(s for _, s in seq)
        present = set(stem_seq)
        used: set[int] = set()
        found = []
        for phrase, value in longest_first(phrases):
            if phrase[0] not in present:
                continue
            n = len(phrase)
            for j in range(len(stem_seq) - n + 1):
                if stem_seq[j : j + n] != phrase:
                    continue
                positions = {seq[k][0] for k in range(j, j + n)}
                if not positions & used:
                    found.append((value, positions))
                    used |= positions
        return found


_ORDERED: dict[int, tuple[dict, list]] = {}


def longest_first(phrases: dict[tuple[str, ...], str]) -> list[tuple[tuple[str, ...], str]]:
    """Return a phrase table's items, the longer phrases first (sorted once per table)."""
    known = _ORDERED.get(id(phrases))
    if known is None or known[0] is not phrases:
        known = _ORDERED[id(phrases)] = (phrases, sorted(phrases.items(), key=lambda kv: -len(kv[0])))
    return known[1]


def words_outside(words: list[str], spans: list[tuple[int, int]]) -> list[str]:
    """Return the words that start outside the character spans of the words joined by spaces."""
    kept, position = [], 0
    for word in words:
        if not any(start <= position < end for start, end in spans):
            kept.append(word)
        position += len(word) + 1
    return kept


def strip(words: list[str], patterns, at_end: bool, whole: bool) -> tuple[list[str], list[str]]:
    """Take whole words matched by the patterns off the start (or the end) of words, repeatedly.

    Return the words taken and the words left; unless `whole`, the last word is never taken
    (a frame alone is what was asked for).
    """
    taken: list[str] = []
    changed = True
    while changed and words:
        changed = False
        text = " ".join(w.lower() for w in words)
        for pattern in patterns:
            match = pattern.search(text) if at_end else pattern.match(text)
            if not match or match.end() == match.start():
                continue
            if at_end:
                bounded = match.start() == 0 or text[match.start() - 1] == " "
                count = len(text[match.start() :].split())
            else:
                bounded = match.end() == len(text) or text[match.end()] == " "
                count = len(text[: match.end()].split())
            if not bounded or (count >= len(words) and not whole):
                continue
            if at_end:
                taken, words = (
                    [w.lower() for w in words[len(words) - count :]] + taken,
                    words[: len(words) - count],
                )
            else:
                taken, words = taken + [w.lower() for w in words[:count]], words[count:]
            changed = True
            break
    return taken, words


def question_kind(
    u: Understanding, definition_words: frozenset[str] = frozenset(), named: frozenset[str] = frozenset()
) -> str:
    """Classify what sort of answer a query wants.

    "which-areas": which Areas got a rating; "area-scores": how an Area was rated;
    "count": how many entries of a kind; "definition": what a term means ("what does
    IQA stand for", "define NFS", "what is a hearing record sheet"); "question": another
    question; "" for keywords. `named` holds the stems of the Parts and criteria named:
    "how many issues on casework" counts issues of Part C.
    """
    opening = " ".join(u.frame[:2])
    if u.counts_areas:
        return "count"
    if opening == "how many" and u.kinds and all(set(stems(w)) <= named for w in u.topic):
        return "count"
    if u.superlative and (
        u.kinds
        or u.criteria
        or u.parts
        or u.ratings
        or u.overall
        or "rating" in u.asks_for
        or (u.unscored and bool(set(u.frame) & AREA_WORDS))  # "which area has the best disclosure"
    ):
        return "superlative"
    if set(u.frame) & definition_words or (
        u.frame
        in (("what", "is"), ("what", "are"), ("what", "is", "a"), ("what", "is", "an"), ("what", "is", "the"))
        and 0 < len(u.topic) <= MAX_DEFINED_WORDS
        and not (u.areas or u.kinds)
    ):
        return "definition"
    # "how did Wessex do overall": beside an Area, "overall" asks for its overall scores.
    scores = "rating" in u.asks_for or bool(u.ratings) or (u.overall and bool(u.areas))
    # "were any areas rated excellent", "how many areas were rated poor": the Areas are
    # what is asked about, as in "which areas …".
    about_areas = u.frame[:1] in WHICH_OPENINGS or (
        bool(u.frame) and any(w.text.lower() in AREA_WORDS for w in u.words)
    )
    if scores and u.ratings and about_areas:
        return "which-areas"
    # A rating value beside an Area ("did Wessex get any excellent ratings") picks among
    # its ratings; it is not a topic the tables cannot answer for.
    values = {r.lower() for r in u.ratings}
    if (
        scores
        and u.areas
        and (u.criteria or u.parts or u.overall or all(w.lower() in values for w in u.topic))
    ):
        return "area-scores"
    if u.frame and QUESTION_START.match(u.frame[0]):
        return "question"
    return ""
