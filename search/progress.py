"""Progress of long work (`build`, `bench`): reported as (stage, done, total), shown by tqdm.

The build and the benchmark call a `Progress` with how far each stage has gone; the
command line passes `terminal_progress()`, which draws one bar per stage on standard
error (with the time left when the total is known) only when that is a terminal and
`--quiet` was not given, so output to files and pipes is the same as without it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

# (stage, done so far, total or None when unknown)
Progress = Callable[[str, int, "int | None"], None]


def silent(_stage: str, _done: int, _total: int | None) -> None:
    """Report nothing (the default of every function that takes a Progress)."""


class TerminalProgress:
    """A tqdm bar for the current stage on standard error; a new stage closes the last bar."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.stage: str | None = None
        self.bar = None

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm  # only when drawing: builds in web workers and tests never need it

        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(desc=stage, total=total, file=sys.stderr, leave=True, dynamic_ncols=True)
        if total is not None and self.bar.total != total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        """Finish the bar being drawn, if any."""
        if self.bar is not None:
            self.bar.close()
            self.bar, self.stage = None, None


def terminal_progress(quiet: bool = False) -> TerminalProgress:
    """Return bars on standard error when it is a terminal and not quiet; close() it when done."""
    return TerminalProgress(not quiet and sys.stderr.isatty())
