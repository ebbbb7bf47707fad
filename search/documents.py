"""The search document of an app: one plain dict that both search backends index.

Elasticsearch maps it in search/mapping.py; the database backend stores it as a
search.models.SearchDocument row. Built only from live, public apps. `version` is a hash of
the content, so a backend can tell a stale entry (search_index --check) without comparing
every field.
"""

import hashlib
import html
import json
import re
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch

from catalogue import licences
from catalogue.models import AppListing, AppPage, Category
from search.text import sort_key

DOCUMENT_BATCH = 500
TAG = re.compile(r"<[^>]*>")


def searchable_apps():
    """Live and publicly viewable apps, with everything a document needs prefetched."""
    return (
        AppPage.objects.visible()
        .select_related("publisher")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.select_related("parent")),
            Prefetch("listings", queryset=AppListing.objects.order_by("sort_order")),
            "audiences",
            "languages",
        )
        .order_by("pk")
    )


def app_document(app) -> dict:
    categories, category_names = [], []
    for category in app.categories.all():
        for node in (category.parent, category):
            if node is not None and node.slug not in categories:
                categories.append(node.slug)
                category_names.append(node.name)
    document = {
        "id": app.pk,
        "slug": app.slug,
        "name": app.title,
        "name_sort": sort_key(app.title),
        "tagline": app.tagline,
        "description": plain_text(app.description),
        # English, each text falling back to the French where the app has none.
        "name_en": app.title_en or app.title,
        "name_sort_en": sort_key(app.title_en or app.title),
        "tagline_en": app.tagline_en or app.tagline,
        "description_en": plain_text(app.description_en or app.description),
        "licences": licence_values(app.licence),
        "publisher": app.publisher.slug,
        "publisher_name": app.publisher.name,
        "verified": app.publisher.verified,
        "categories": categories,
        "category_names": category_names,
        "platforms": sorted({listing.platform for listing in app.listings.all()}),
        "audiences": sorted(audience.slug for audience in app.audiences.all()),
        "pricing": app.pricing,
        "languages": sorted(language.code for language in app.languages.all()),
        "accessibility": app.accessibility,
        "rating_average": float(app.rating_average),
        "rating_count": app.rating_count,
        "popularity": app.popularity,
        "published_at": _iso(app.first_published_at),
        "updated_at": _iso(app.last_published_at or app.first_published_at),
    }
    document["version"] = document_version(document)
    return document


def licence_values(licence: str) -> list[str]:
    """The licence facet's values: « free » or « proprietary », then the SPDX ids."""
    if not licence:
        return []
    return [licences.kind(licence), *licences.licence_ids(licence)]


def document_version(document: dict) -> str:
    content = {key: value for key, value in document.items() if key != "version"}
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.blake2b(encoded, digest_size=12).hexdigest()


def iter_documents(app_ids: Iterable[int] | None = None) -> Iterator[dict]:
    """Documents of live apps (all, or those among app_ids), in batches of queries."""
    queryset = searchable_apps()
    if app_ids is not None:
        queryset = queryset.filter(pk__in=list(app_ids))
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk)[:DOCUMENT_BATCH])
        if not batch:
            return
        for app in batch:
            yield app_document(app)
        last_pk = batch[-1].pk


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def plain_text(rich_text: str | None) -> str:
    """Rich text as words: tags become spaces, so paragraphs don't run into each other."""
    return " ".join(html.unescape(TAG.sub(" ", rich_text or "")).split())
