"""Spelling corrections for a query: typos fixed, real words left as typed, slips in context.

Three readings, from the report's own text and an English word list:

- a word that is neither the report's nor English ("procecution") is a typo: it is
  corrected to the report's nearest word (`search.text.spelling`: within one or two
  edits, the more frequent first) and the correction is *applied* — unless an English
  word the report never uses is nearer ("goverment" is one edit from "government", two
  from the report's "movement"): then it is that word's typo, corrected to it;
- a real English word or a name the report never uses ("jury", "Leeds") is never
  rewritten: the report's nearest word is only *offered* ("Did you mean …?");
- a word the report uses, or a real word, that makes a pair the report never uses
  beside its neighbour ("witness cure") is corrected when a word one edit away makes a
  pair the report uses often ("witness care", `search.text.wordstats` bigrams): the
  typed pair never occurs and the corrected one does, so the slip is plain.

A word whose stem the report uses is found as typed: it is never replaced by another
word, and only a typo of it ("engagment") is put right in the query shown; a typo that
happens to share a stem with a report word ("prosecuters", read as "prosecution") is
found as typed too, and the report's nearest word ("prosecutors") offered. Acronyms, Area names and protected terms are left
alone. Every applied correction is reported (`corrected`), so the reader can search
for what they typed instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from search.query.lexicon import Lexicon
from search.query.limits import MAX_SPELLED
from search.text.analysis import TOKEN, stem, word_tokens
from search.text.spelling import edit_distance, one_edit

# A pair the report uses at least this often makes a right word in the wrong place obvious.
MIN_PAIR = 3


@dataclass(frozen=True)
class Correction:
    """Words after correction, the corrected query to report, and corrections only offered."""

    words: list[str]
    corrected: str | None = None
    replacements: dict[str, str] = field(default_factory=dict)
    # Real words the report never uses, and the report's nearest word for each.
    offered: dict[str, str] = field(default_factory=dict)
    suggested: str | None = None


def rewrite(text: str, replacements: dict[str, str]) -> str:
    """Return text with whole words replaced (case-insensitively), spaces collapsed."""
    return " ".join(TOKEN.sub(lambda m: replacements.get(m.group(0).lower(), m.group(0)), text).split())


class Corrector:
    """Corrects the words of queries against one build's vocabulary, word pairs and English words."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        language = lexicon.language
        # The words that shape a question ("most", "which", "every", "highest") say how to
        # answer, not what about: no pair of the report's makes one of them a slip.
        self.shaping = frozenset(
            (language.superlatives or {}).keys()
            | language.universal_words
            | language.question_words
            | language.cue_followers
            | language.definition_words
        )

    def correct(self, text: str, words: list[str]) -> Correction:
        """Correct typos and slips in context, and offer the report's word for real words it never uses.

        `text` is the query as typed, `words` the words to search for.
        """
        replacements, offered, typos = self.misspelt(words)
        replacements.update(self.misplaced(words, replacements))
        for word in replacements:
            offered.pop(word, None)
        offered = {**self.plausible(words, offered), **typos}
        corrected = rewrite(text, replacements) if replacements else text
        suggested = rewrite(corrected, offered) if offered else None
        if not replacements:
            return Correction(words, None, {}, offered, suggested)
        return Correction(
            [rewrite(w, replacements) for w in words],
            corrected,
            replacements,
            offered,
            suggested,
        )

    def misspelt(self, words: list[str]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        """Return replacements for typos, offers for real words, and offers for typos found as
        typed, among the words the report never uses."""
        replacements: dict[str, str] = {}
        offered: dict[str, str] = {}
        typos: dict[str, str] = {}
        unknown = {
            t.word: t
            for word in words
            for t in word_tokens(word)
            if not self.lex.speller.known(t.word) and not self.protected(t.word)
        }
        # Only the first few unknown words are tried: a query's cost stays bounded.
        for tok in list(unknown.values())[:MAX_SPELLED]:
            better = self.lex.speller.correct(tok.word)
            if not better:
                continue
            english = self.lex.is_english(tok.word)
            if tok.stem in self.lex.indexed_stems:
                # Found as typed; a typo of the same stem ("engagment") is still put right, and
                # the report's word for one of another ("prosecuters", read as "prosecution")
                # is offered: a word neither the report's nor English is a slip, not a choice.
                if not english and stem(better) == tok.stem:
                    replacements[tok.word] = better
                elif not english:
                    typos[tok.word] = better
            elif english:
                offered[tok.word] = better
            else:
                replacements[tok.word] = self.nearer_english(tok.word, better)
        return replacements, offered, typos

    def nearer_english(self, word: str, better: str) -> str:
        """Return the English word a typo is one edit from, where the report's nearest word
        is two away ("goverment": "government", not "movement"); else the report's word.

        A typo one edit from several English words is no one word's: the report's word stands.
        """
        if edit_distance(word, better) < 2:
            return better
        near = [w for w in one_edit(word.lower()) if self.lex.is_english(w)]
        return near[0] if len(near) == 1 else better

    def plausible(self, words: list[str], offered: dict[str, str]) -> dict[str, str]:
        """Keep the offers the words around them support: the report word makes a pair the
        report uses with a neighbour ("cracked trails" → "trials"), where the word typed makes
        none. A real word alone ("jury") is not offered another ("july")."""
        toks = [t for word in words for t in word_tokens(word)]
        kept = {}
        for i, tok in enumerate(toks):
            better = offered.get(tok.word)
            if better is None:
                continue
            neighbours = [(toks[i - 1].stem, 0)] if i else []
            neighbours += [(toks[i + 1].stem, 1)] if i + 1 < len(toks) else []
            for other, after in neighbours:
                pair = (other, stem(better)) if after == 0 else (stem(better), other)
                if self.lex.words.pair_count(*pair):
                    kept[tok.word] = better
        return kept

    def misplaced(self, words: list[str], done: dict[str, str]) -> dict[str, str]:
        """Return replacements for words that make a pair the report never uses, beside a word it does."""
        toks = [t for word in words for t in word_tokens(word)]
        found: dict[str, str] = {}
        pairs = self.lex.words
        unused = [  # pairs of words the report never puts side by side
            (i, left, right)
            for i, (left, right) in enumerate(zip(toks, toks[1:], strict=False))
            if not (left.word in done or right.word in done or pairs.pair_count(left.stem, right.stem))
        ]
        tried: set[tuple[str, str]] = set()
        for i, left, right in unused:
            if (left.word, right.word) in tried or len(tried) >= MAX_SPELLED:
                continue
            tried.add((left.word, right.word))
            best = None
            for changed, keep, position in ((left, right, 0), (right, left, 1)):
                if (
                    self.protected(changed.word)
                    or changed.word.lower() in self.shaping
                    or keep.stem not in self.lex.indexed_stems
                ):
                    continue
                # The word on the changed word's other side, if the report uses it.
                at = i - 1 if position == 0 else i + 2
                other = toks[at] if 0 <= at < len(toks) and toks[at].stem in self.lex.indexed_stems else None
                for candidate in self.lex.speller.neighbours(changed.word):
                    pair = (stem(candidate), keep.stem) if position == 0 else (keep.stem, stem(candidate))
                    count = pairs.pair_count(*pair)
                    # A slip is put right only where the correction reads as the report on both
                    # sides: "witness cure units", not "cases falling apart" ("failing apart").
                    if other is not None:
                        beside = (
                            (other.stem, stem(candidate)) if position == 0 else (stem(candidate), other.stem)
                        )
                        if not pairs.pair_count(*beside):
                            continue
                    if count >= MIN_PAIR and (best is None or count > best[0]):
                        best = (count, changed.word, candidate)
            if best:
                found[best[1]] = best[2]
        return found

    def protected(self, word: str) -> bool:
        """Tell whether a word is never corrected (Area and place names, legal terms, acronyms)."""
        return word in self.lex.speller.protected or bool(self.lex.acronym(word))
