"""How a benchmark run from the command line ends: with a sentence, never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import NoReturn

from search.errors import SearchError


def run(main: Callable[[], int]) -> NoReturn:
    """Run a benchmark's `main` and exit with its code; a missing index or a bad input
    (any `SearchError`) prints one line on stderr and exits 1, Ctrl+C exits 130."""
    try:
        code = main()
    except SearchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = 1
    except KeyboardInterrupt:
        code = 130
    raise SystemExit(code)
