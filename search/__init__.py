"""AAP Search: full-text search over HMCPSI's Area Assurance Programme reports.

Data flows one way, one package a stage:

    corpus/ ─ingest→ entries ─index→ index/builds/<name>/        (build time)
    request ─query→ SearchResult ─output→ JSON (web/ renders HTML)  (request time)

- `curated`  the curated data in corpus/ (Areas, themes, language), validated on load
- `text`     words, sentences, acronyms, spelling and snippets, shared by every stage
- `ingest`   corpus folder → entries, glossary and data-quality findings (no index)
- `index`    entries → an immutable build on disk; which build is served; reading one
- `query`    search parameters → validated request → ranked, faceted, highlighted result
- `output`   results, entries, Areas and themes as the JSON the API and the CLI print
- `bench`    speed, memory and scale benchmarks, and synthetic corpora

`models` holds the plain data passed between stages, `errors` the domain errors,
`cli` the command line and `server` the production WSGI server it starts, `public`
the public URL absolute links start with, `deploy` the nginx configuration of
deploy/ rendered for a set of replicas, and `progress` the progress bars of long work.
"""
