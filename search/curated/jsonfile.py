"""Read the JSON files of the corpus folder, with errors that name the file."""

from __future__ import annotations

import json
from pathlib import Path

from search.errors import CorpusError


def read_json(path: Path) -> dict:
    """Read a JSON object from the corpus, with a clear error when it is absent or broken."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CorpusError(f"missing corpus file {path}") from exc
    except (OSError, ValueError, RecursionError) as exc:  # nested too deep for the parser, too
        raise CorpusError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise CorpusError(f"{path} must hold a JSON object")
    return data
