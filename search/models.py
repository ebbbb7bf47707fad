"""The database backend's index: one row per live app, built from its search document."""

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from search.text import tokens


def padded(words) -> str:
    """« tok1 tok2 »: with a space on each side of every word, « ' tok ' » in the column is an
    exact-word match and « ' tok' » a word-prefix match."""
    text = " ".join(words)
    return f" {text} " if text else " "


def token_column(*texts: str) -> str:
    # Matching is presence-only: a repeated token is kept once (shorter columns to scan).
    return padded(dict.fromkeys(word for text in texts for word in tokens(text)))


def facet_key(facet: str, value: str) -> str:
    """« platform=ios »: values are slugs and codes, never spaces."""
    return f"{facet}={value}"


class SearchDocument(models.Model):
    app = models.OneToOneField(
        "catalogue.AppPage",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    version = models.CharField(max_length=32)
    name_sort = models.CharField(max_length=255)
    name_tokens = models.TextField()
    tagline_tokens = models.TextField()
    meta_tokens = models.TextField()  # publisher name and category names
    body_tokens = models.TextField()  # description
    # English (each falling back to the French where an app has no English), for requests in
    # English; the same analysis (folding, plurals) as French, so both backends still agree.
    name_sort_en = models.CharField(max_length=255, default="")
    name_en_tokens = models.TextField(default=" ")
    tagline_en_tokens = models.TextField(default=" ")
    body_en_tokens = models.TextField(default=" ")
    # {"category": [slugs, universes included], "platform": [...], ..., "verified": ["true"]}
    facets = models.JSONField(default=dict)
    # The same as padded « facet=value » words, which is what a search reads: a search may
    # read every row, and a substring test costs a fraction of json.loads.
    facet_keys = models.TextField(default=" ")
    rating_average = models.FloatField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    popularity = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(null=True)

    # No b-tree indexes on the sort columns: a search reads every row that matches the words
    # (the facets are counted over all of them), so the sort never comes from an index.

    class Meta:
        verbose_name = _("document de recherche")
        verbose_name_plural = _("documents de recherche")

    def __str__(self):
        return f"{self.app_id} {self.name_sort}"

    @classmethod
    def from_document(cls, document: dict) -> "SearchDocument":
        """The row for a search.documents.app_document() dict."""
        facets = {
            "category": document["categories"],
            "platform": document["platforms"],
            "audience": document["audiences"],
            "pricing": [document["pricing"]],
            "publisher": [document["publisher"]],
            "language": document["languages"],
            "accessibility": [document["accessibility"]],
            "verified": ["true" if document["verified"] else "false"],
            "licence": document.get("licences", []),
        }
        return cls(
            app_id=document["id"],
            version=document["version"],
            name_sort=document["name_sort"][:255],
            name_tokens=token_column(document["name"]),
            tagline_tokens=token_column(document["tagline"]),
            meta_tokens=token_column(document["publisher_name"], *document["category_names"]),
            body_tokens=token_column(document["description"]),
            name_sort_en=document.get("name_sort_en", document["name_sort"])[:255],
            name_en_tokens=token_column(document.get("name_en", document["name"])),
            tagline_en_tokens=token_column(document.get("tagline_en", document["tagline"])),
            body_en_tokens=token_column(document.get("description_en", document["description"])),
            facets=facets,
            facet_keys=padded(
                facet_key(facet, value) for facet, values in facets.items() for value in values
            ),
            rating_average=document["rating_average"],
            rating_count=document["rating_count"],
            popularity=document["popularity"],
            published_at=_datetime(document["published_at"]),
            updated_at=_datetime(document["updated_at"]),
        )


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class IndexChange(models.Model):
    """An app whose entry in one backend's index must be brought up to date: the outbox.

    Written in the same transaction as the change that causes it (search.indexing), so a
    change is never lost when the broker or the engine is down; drained by
    search.tasks.drain_index_changes, which deletes a row only once the backend has it.
    """

    backend = models.CharField(max_length=20)
    # No foreign key: a deleted app's entry must still be removed.
    app_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("changement à indexer")
        verbose_name_plural = _("changements à indexer")
        indexes = [models.Index(fields=["backend", "id"], name="index_change_queue")]

    def __str__(self):
        return f"{self.backend}:{self.app_id}"
