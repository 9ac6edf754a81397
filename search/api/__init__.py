"""The JSON API's typed contract, with no web framework in it.

- `params`  query parameters → validated models (`read`), or a `QueryError` naming the parameter
- `bodies`  the response bodies as pydantic models; `dump` turns one into JSON-ready data

The web service validates and answers with these, the CLI prints the same bodies, and
web/openapi.py describes the API from them, so the three cannot drift apart.
"""

from search.api.bodies import dump
from search.api.params import SearchParams, read

__all__ = ["SearchParams", "dump", "read"]
