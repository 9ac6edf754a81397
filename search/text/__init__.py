"""Text processing shared by ingest, index and query, so every stage sees the same words.

- `analysis`   text → tokens: one tokenizer, stop words, NLTK's Snowball stems
- `sentences`  text → sentence spans (Punkt, trained on the corpus itself)
- `glossary`   texts → acronyms learnt from their definitions, plus the curated list
- `spelling`   a word → the report's own nearest word (a deletion table, SymSpell-style)
- `highlight`  text + matched stems → an escaped snippet, or the whole text, with <mark>ed words
- `phrases`    texts → their frequent phrases (NLTK collocations), learnt at build time
"""

from search.text.analysis import Token, stem, stems, tokens, words
from search.text.glossary import Acronym, Glossary, build_glossary, extract_definitions, load_curated
from search.text.highlight import HighlightTerms, highlight_all, make_snippet
from search.text.sentences import SentenceSplitter, parameters_from_dict, parameters_to_dict, train_parameters
from search.text.spelling import SpellingCorrector, edit_distance

__all__ = [
    "Acronym",
    "Glossary",
    "HighlightTerms",
    "SentenceSplitter",
    "SpellingCorrector",
    "Token",
    "build_glossary",
    "edit_distance",
    "extract_definitions",
    "highlight_all",
    "load_curated",
    "make_snippet",
    "parameters_from_dict",
    "parameters_to_dict",
    "stem",
    "stems",
    "tokens",
    "train_parameters",
    "words",
]
