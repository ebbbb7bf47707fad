"""Helpers for tests that use the real Elasticsearch node."""

from elasticsearch import Elasticsearch


def delete_indices(url: str, prefix: str) -> None:
    """Delete every index whose name starts with prefix (wildcard deletes are refused)."""
    client = Elasticsearch(url)
    names = list(client.indices.get(index=f"{prefix}*", expand_wildcards="all"))
    if names:
        client.indices.delete(index=",".join(names))
