"""Benchmarks: speed, memory and scale, measured against peers in the same run.

- `run`        `python -m search bench`: build, in-process search, FTS5 peer, HTTP, scale
- `workload`   the fixed query set every section runs
- `fts5`       an SQLite FTS5 peer doing the same work over the same entries
- `inprocess`  the in-process timing, run in a fresh process (`python -m search.bench.inprocess`)
- `export`     a CSV download against the JSON of the same search (`python -m search.bench.export`)
- `serving`, `live`, `load`  the real server on loopback under bounded load
- `scale`, `synthetic`       synthetic corpora of N entries (`python -m search.bench.synthetic`)
- `stats`      percentiles and what the machine and its processes look like

Its modules run with `python -m`, so this package imports none of them itself.
"""
