"""The index: entries → an immutable build on disk, and reading a build back.

- `schema`   the Whoosh schema and analyzer: the one contract between writing and reading
- `layout`   the folder: CURRENT names the served build; meta, damage, staleness, leases, pruning
- `forward`  each entry's terms in order, memory-mapped, for phrase checks
- `reader`   a build folder → `OpenBuild` (the Whoosh index and every file beside it)
- `build`    the writer: a `Catalogue` → a new build, swapped in atomically
- `publish`  a build → other index folders (replicas), each switched atomically

The writer is imported from `search.index.build` by the build command only, never
from here: reading a build (as every web worker does) must not load the parser.
"""

from search.index.forward import ForwardIndex
from search.index.layout import (
    BUILDS,
    CURRENT,
    current_build,
    damage,
    is_stale,
    read_meta,
    source_fingerprint,
)
from search.index.reader import OpenBuild, open_build, open_current
from search.index.schema import FIELD_BOOSTS, SCHEMA_VERSION, make_analyzer, make_schema

__all__ = [
    "BUILDS",
    "CURRENT",
    "FIELD_BOOSTS",
    "SCHEMA_VERSION",
    "ForwardIndex",
    "OpenBuild",
    "current_build",
    "damage",
    "is_stale",
    "make_analyzer",
    "make_schema",
    "open_build",
    "open_current",
    "read_meta",
    "source_fingerprint",
]
