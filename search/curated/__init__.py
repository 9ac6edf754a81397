"""Curated knowledge: the data files in corpus/ beside the reports, validated when loaded.

Takes `areas.json` (the Areas, their other spellings, collective phrases),
`themes.json` (the theme taxonomy and its signal phrases) and `language.json`
(sentence abbreviations, protected words, the lay thesaurus, question frames); gives `AreaRegistry`,
`Taxonomy` and `Language`, or a `CorpusError` naming what is wrong. Ingest tags
entries with them; every build keeps a copy, which the query stage reads.
"""

from search.curated.areas import Area, AreaRegistry, load_areas, normalise_name
from search.curated.jsonfile import read_json
from search.curated.language import Language, load_language
from search.curated.taxonomy import Taxonomy, Theme, load_taxonomy

__all__ = [
    "Area",
    "AreaRegistry",
    "Language",
    "Taxonomy",
    "Theme",
    "load_areas",
    "load_language",
    "load_taxonomy",
    "normalise_name",
    "read_json",
]
