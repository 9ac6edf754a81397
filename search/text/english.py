"""Which words are English at all: the words wordfreq counts at least once a million words.

A word the report never uses is a typo to correct only when it is not a real word or
a name; "jury" or "Leeds" is left as typed. The list is read from `wordfreq` at build
time and kept with the build, so serving never loads wordfreq's tables.
"""

from __future__ import annotations

# Zipf 3: once per million words. Common misspellings ("recieve", "definately") fall
# below it, and the 20,000 most frequent English words are all above it.
MIN_ZIPF = 3.0
CANDIDATES = 60_000


def english_words(min_zipf: float = MIN_ZIPF) -> list[str]:
    """Return the English words (letters only, lower case) at least as frequent as min_zipf."""
    from wordfreq import top_n_list, zipf_frequency

    return sorted(
        w for w in top_n_list("en", CANDIDATES) if w.isalpha() and zipf_frequency(w, "en") >= min_zipf
    )
