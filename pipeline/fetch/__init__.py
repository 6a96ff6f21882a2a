"""Feeds in: the sources a user follows (`sources`), a polite HTTP client (`http`), feed
parsing (`feeds`), the SQLite article store (`store`) and the fetch driver (`fetcher`).
`newsdigest fetch` fills the store; `run --store`, `batch --store` and `daily` read it
through the one input stream (`pipeline.ingest.stream`). See docs/fetch.md."""
