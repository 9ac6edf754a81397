"""Spelling corrections for a query: misspelt words, and right words in the wrong place.

Two readings, both from the report's own text:

- a word the report never uses is corrected to its nearest report word
  (`search.text.spelling`: within one or two edits, the more frequent first);
- a word the report uses, but never beside its neighbour ("changing decisions"),
  is corrected when a word one edit away makes a pair the report does use
  ("charging decisions", `search.text.wordstats` bigrams).

In a short query a correction replaces the word and is reported (`corrected`); in a
longer question an unknown word is more likely an ordinary word the report never
uses, so its nearest report word is only searched for beside it (`alternatives`).
"""

from __future__ import annotations

from dataclasses import dataclass

from search.query.lexicon import Lexicon
from search.query.limits import MAX_SPELLED
from search.text.analysis import TOKEN, stem, word_tokens

# Up to this many words a correction replaces the word and is reported.
CORRECT_UP_TO = 3
# A pair the report uses at least this often makes a right word in the wrong place obvious.
MIN_PAIR = 3


@dataclass(frozen=True)
class Correction:
    """Words after correction, weak alternatives, and the corrected query to report."""

    words: list[str]
    alternatives: list[str]
    corrected: str | None
    replacements: dict[str, str]


class Corrector:
    """Corrects the words of queries against one build's vocabulary and word pairs."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    def correct(self, text: str, words: list[str]) -> Correction:
        """Correct misspelt and misplaced words; the text is the query as typed."""
        replacements = self.misspelt(words)
        replacements.update(self.misplaced(words, replacements))
        if not replacements:
            return Correction(words, [], None, {})
        content = [t for word in words for t in word_tokens(word)]
        if len(content) > CORRECT_UP_TO:
            # A spelling of a stem already searched for adds nothing beside it.
            indexed = self.lex.indexed_stems
            alternatives = [
                b for w, b in replacements.items() if stem(w) not in indexed or stem(w) != stem(b)
            ]
            return Correction(words, alternatives, None, replacements)

        def fix(s: str) -> str:
            return TOKEN.sub(lambda m: replacements.get(m.group(0).lower(), m.group(0)), s)

        return Correction([fix(w) for w in words], [], " ".join(fix(text).split()), replacements)

    def misspelt(self, words: list[str]) -> dict[str, str]:
        """Return replacements for words the report never uses.

        Acronyms are left alone.
        """
        replacements: dict[str, str] = {}
        unknown = {
            t.word: t
            for word in words
            for t in word_tokens(word)
            if not self.lex.speller.known(t.word) and not self.lex.glossary.lookup(t.word)
        }
        for tok in list(unknown.values())[:MAX_SPELLED]:
            better = self.lex.speller.correct(tok.word)
            # A word whose stem the report uses is corrected only to a spelling of the
            # same stem ("engagment" → "engagement"), never to another word.
            if better and (tok.stem not in self.lex.indexed_stems or stem(better) == tok.stem):
                replacements[tok.word] = better
        return replacements

    def misplaced(self, words: list[str], done: dict[str, str]) -> dict[str, str]:
        """Return replacements for right words that make a pair the report never uses."""
        toks = [t for word in words for t in word_tokens(word)]
        found: dict[str, str] = {}
        pairs = self.lex.words
        unused = [  # pairs of words the report never puts side by side
            (left, right)
            for left, right in zip(toks, toks[1:], strict=False)
            if not (left.word in done or right.word in done or pairs.pair_count(left.stem, right.stem))
        ]
        tried: set[tuple[str, str]] = set()
        for left, right in unused:
            if (left.word, right.word) in tried or len(tried) >= MAX_SPELLED:
                continue
            tried.add((left.word, right.word))
            best = None
            for changed, keep, position in ((left, right, 0), (right, left, 1)):
                if self.protected(changed.word):
                    continue
                for candidate in self.lex.speller.neighbours(changed.word):
                    pair = (stem(candidate), keep.stem) if position == 0 else (keep.stem, stem(candidate))
                    count = pairs.pair_count(*pair)
                    if count >= MIN_PAIR and (best is None or count > best[0]):
                        best = (count, changed.word, candidate)
            if best:
                found[best[1]] = best[2]
        return found

    def protected(self, word: str) -> bool:
        """Tell whether a word is never corrected (Area names, legal terms, acronyms)."""
        return word in self.lex.speller.protected or bool(self.lex.glossary.lookup(word))
