"""Sentence boundaries from NLTK's Punkt, trained on the corpus itself.

Punkt learns the report's abbreviations and sentence starters without downloaded
data; the curated abbreviations ("para", "e.g") are added so they never end a sentence.
"""

from __future__ import annotations

from collections import defaultdict

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTrainer


def train_parameters(texts: list[str], abbreviations: tuple[str, ...]) -> PunktParameters:
    """Train Punkt on the corpus texts and add the known abbreviations."""
    trainer = PunktTrainer()
    trainer.train("\n\n".join(texts), finalize=True)
    params = trainer.get_params()
    params.abbrev_types.update(a.lower().rstrip(".") for a in abbreviations)
    return params


def parameters_to_dict(params: PunktParameters) -> dict:
    """Return Punkt parameters as JSON-ready data."""
    return {
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted([a, b] for a, b in params.collocations),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": dict(sorted(params.ortho_context.items())),
    }


def parameters_from_dict(data: dict) -> PunktParameters:
    """Rebuild Punkt parameters from `parameters_to_dict` output."""
    params = PunktParameters()
    params.abbrev_types = set(data.get("abbrev_types", ()))
    params.collocations = {tuple(pair) for pair in data.get("collocations", ())}
    params.sent_starters = set(data.get("sent_starters", ()))
    params.ortho_context = defaultdict(int, data.get("ortho_context", {}))
    return params


class SentenceSplitter:
    """Split text into sentence spans; list lines ("- item") are sentences of their own."""

    def __init__(self, params: PunktParameters):
        self._punkt = PunktSentenceTokenizer(params)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Return (start, end) character spans of the sentences of text."""
        spans = []
        offset = 0
        for line in text.split("\n"):
            if line.strip():
                spans += [(offset + s, offset + e) for s, e in self._punkt.span_tokenize(line)]
            offset += len(line) + 1
        return spans
