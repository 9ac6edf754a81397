"""Domain errors, each carrying the message a user needs."""


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
