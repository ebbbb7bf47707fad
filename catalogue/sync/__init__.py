"""Publisher metadata sync (DESIGN.md §6).

This package's parsing layer is pure: bytes in, normalised records out (`records`), no
database, no HTTP. `parsers.parse_feed(format, body, **options)` is the entry point; the
fetch, upsert and scheduling layers build on its `ParseResult`.
"""
