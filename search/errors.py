"""Domain errors, each carrying the message a user needs."""

from __future__ import annotations

import re
import shutil

# How an OSError's text starts ("[Errno 28] No space left on device: '/x'"), inside a
# shutil.Error's list of files that could not be copied.
ERRNO_TEXT = re.compile(r"^\[Errno \d+\] (?P<cause>.*?)(?:: '.*')?$")


class SearchError(Exception):
    """Base class for AAP Search errors."""


class CorpusError(SearchError):
    """The corpus or its curated data cannot be read or is invalid."""


class IndexMissing(SearchError):
    """There is no usable index where one was expected."""


class QueryError(SearchError):
    """A search request is invalid; `param` names the offending parameter."""

    def __init__(self, message: str, param: str):
        super().__init__(message)
        self.message = message
        self.param = param


class NotFound(SearchError):
    """A requested entry, Area or other resource does not exist."""


class StorageError(SearchError):
    """An index folder cannot be written: full, read-only, not a folder…"""

    @classmethod
    def writing(cls, folder, exc: OSError) -> StorageError:
        """Return the error for a failed write into folder, in one sentence: which folder, and why."""
        return cls(f"cannot write to {folder}: {os_cause(exc)}")


def os_cause(exc: OSError) -> str:
    """Return what went wrong, without the paths: "No space left on device", "Permission denied".

    A shutil.Error (a copy of a folder) lists every file that failed; the first says why.
    """
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        why = str(exc.args[0][0][-1])
        match = ERRNO_TEXT.match(why)
        return match["cause"] if match else why
    return exc.strerror or str(exc) or type(exc).__name__
