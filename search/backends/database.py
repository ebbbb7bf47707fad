"""The embedded search backend: the search.SearchDocument table, on SQLite or PostgreSQL.

The words narrow the rows in SQL (every word must match, LIKE on space-padded token columns);
the facets, the relevance score and the sort are then computed in Python over the few columns
a search needs, in one query. Same contract and facet semantics as the Elasticsearch backend,
minus typo tolerance: a misspelt word matches nothing here.
"""

import re
from bisect import bisect_left
from collections import Counter
from itertools import chain, islice
from operator import itemgetter

from django.db import transaction
from django.db.models import F, Q, Window
from django.db.models.functions import DenseRank

from search.backends import Drift, SearchBackend
from search.contract import DEFAULT_SORT_WITHOUT_QUERY, FACETS, RATING_THRESHOLDS, RawResults
from search.documents import DOCUMENT_BATCH, iter_documents
from search.models import SearchDocument, facet_key
from search.text import tokens

# Per word, the best field it matched; a word that matched none of these matched the body.
NAME_EXACT, NAME_PREFIX, TAGLINE, META, BODY = 4.0, 3.0, 2.0, 1.5, 1.0

UPDATE_FIELDS = [
    field.name for field in SearchDocument._meta.concrete_fields if field.name != "app"
]

# Columns of a row, as search() fetches them, then the sort's own: EXTRA onwards.
ID, KEYS, RATING, NAME_SORT, EXTRA = range(5)
SORT_COLUMNS = {
    "relevance": ("name_tokens", "tagline_tokens", "meta_tokens"),
    "rating": ("rating_count",),
    "popular": ("popularity",),
    "newest": ("date_rank",),
    "updated": ("date_rank",),
    "name": (),
}
# Turning 10,000 timestamps into datetimes costs more than the rest of a search: the
# database ranks the rows by date instead (a dense rank: equal dates share one).
DATE_ORDER = {
    "newest": F("published_at").desc(nulls_last=True),
    "updated": F("updated_at").desc(nulls_last=True),
}


# The columns searched, per language: (name, tagline, body); meta (publisher, categories)
# is shared.
TEXT_COLUMNS = {
    "fr": ("name_tokens", "tagline_tokens", "body_tokens"),
    "en": ("name_en_tokens", "tagline_en_tokens", "body_en_tokens"),
}
NAME_SORT_COLUMN = {"fr": "name_sort", "en": "name_sort_en"}


def word_filter(word: str, language: str = "fr") -> Q:
    """The word as an exact token of tagline, meta or body, or a prefix of a name token.

    Tokens are [0-9a-z]+ (search.text.WORD), so they never hold a LIKE wildcard or quote;
    Django escapes `%` and `_` in `contains` anyway.
    """
    exact = f" {word} "
    name, tagline, body = TEXT_COLUMNS[language]
    return (
        Q(**{f"{name}__contains": f" {word}"})
        | Q(**{f"{tagline}__contains": exact})
        | Q(meta_tokens__contains=exact)
        | Q(**{f"{body}__contains": exact})
    )


def score(words: list[str], name: str, tagline: str, meta: str) -> float:
    total = 0.0
    for word in words:
        exact = f" {word} "
        if exact in name:
            total += NAME_EXACT
        elif f" {word}" in name:
            total += NAME_PREFIX
        elif exact in tagline:
            total += TAGLINE
        elif exact in meta:
            total += META
        else:
            total += BODY
    return total


def _batches(ids, size=DOCUMENT_BATCH):
    ids = iter(ids)
    while batch := list(islice(ids, size)):
        yield batch


class DatabaseBackend(SearchBackend):
    """Searches the search_searchdocument table. No typo tolerance (Elasticsearch only)."""

    name = "database"

    # --- Indexing ------------------------------------------------------------------------

    def index_apps(self, app_ids) -> None:
        for batch in _batches(app_ids):
            rows = [SearchDocument.from_document(document) for document in iter_documents(batch)]
            with transaction.atomic():
                live = [row.app_id for row in rows]
                SearchDocument.objects.filter(app_id__in=batch).exclude(app_id__in=live).delete()
                SearchDocument.objects.bulk_create(
                    rows, update_conflicts=True, unique_fields=["app"], update_fields=UPDATE_FIELDS
                )

    def remove_apps(self, app_ids) -> None:
        for batch in _batches(app_ids):
            SearchDocument.objects.filter(app_id__in=batch).delete()

    def rebuild(self, progress=None) -> int:
        """Replace every row in one transaction: readers see the old rows until it commits.

        progress(n) is called after each batch with the number of apps it indexed.
        """
        count = 0
        with transaction.atomic():
            SearchDocument.objects.all().delete()
            documents = iter_documents()
            while batch := list(islice(documents, DOCUMENT_BATCH)):
                SearchDocument.objects.bulk_create(map(SearchDocument.from_document, batch))
                count += len(batch)
                if progress:
                    progress(len(batch))
        return count

    def check(self) -> Drift:
        indexed = dict(SearchDocument.objects.values_list("app_id", "version"))
        live = {document["id"]: document["version"] for document in iter_documents()}
        return Drift(
            missing=sorted(live.keys() - indexed.keys()),
            stale=sorted(pk for pk in live.keys() & indexed.keys() if live[pk] != indexed[pk]),
            extra=sorted(indexed.keys() - live.keys()),
        )

    # --- Search --------------------------------------------------------------------------

    def search(self, request) -> RawResults:
        words = tokens(request.query)
        sort = request.sort
        if sort == "relevance" and not words:
            # Only stop words (« de la »): no query, so the browsing order.
            sort = DEFAULT_SORT_WITHOUT_QUERY
        language = request.language
        queryset = SearchDocument.objects.filter(*(word_filter(w, language) for w in words))
        if sort in DATE_ORDER:
            queryset = queryset.annotate(date_rank=Window(DenseRank(), order_by=DATE_ORDER[sort]))
        extra = SORT_COLUMNS[sort]
        if sort == "relevance" and language == "en":
            extra = ("name_en_tokens", "tagline_en_tokens", "meta_tokens")
        columns = ("app_id", "facet_keys", "rating_average", NAME_SORT_COLUMN[language], *extra)
        rows = list(queryset.values_list(*columns))  # the one query

        hits, near_misses = self._apply_filters(request, rows)
        facet_counts = self._count_facets(hits, near_misses)
        hits.sort(key=self._sort_key(sort, words))
        page = hits[request.offset : request.offset + request.page_size]
        return RawResults(
            total=len(hits), hits=[row[ID] for row in page], facet_counts=facet_counts
        )

    @staticmethod
    def _sort_key(sort, words):
        """Each sort, then name and id: ties never depend on the database's row order."""
        if sort == "relevance":
            return lambda row: (-score(words, *row[EXTRA:]), row[NAME_SORT], row[ID])
        if sort == "rating":
            return lambda row: (-row[RATING], -row[EXTRA], row[NAME_SORT], row[ID])
        if sort == "popular":
            return lambda row: (-row[EXTRA], row[NAME_SORT], row[ID])
        if sort in DATE_ORDER:
            return itemgetter(EXTRA, NAME_SORT, ID)
        return itemgetter(NAME_SORT, ID)

    @staticmethod
    def _apply_filters(request, rows):
        """Split rows into hits (every filter passes) and near misses (exactly one fails).

        A facet is counted with every filter but its own, so its counts come from the hits
        plus the rows that only its own filter turned away.
        """
        # One regular expression per facet: « any selected value » is a single C call.
        filters = [
            (facet, re.compile("|".join(re.escape(f" {facet_key(facet, v)} ") for v in values)))
            for facet, values in request.filters.items()
            if facet != "rating"
        ]
        min_rating = request.min_rating()
        near_misses = {facet: [] for facet in FACETS}
        if not filters and min_rating is None:
            return rows, near_misses
        hits = []
        for row in rows:
            failed = None
            for facet, selected in filters:
                if not selected.search(row[KEYS]):
                    if failed is not None:
                        break
                    failed = facet
            else:
                if min_rating is not None and row[RATING] < min_rating:
                    if failed is not None:
                        continue
                    failed = "rating"
                if failed is None:
                    hits.append(row)
                else:
                    near_misses[failed].append(row)
        return hits, near_misses

    @staticmethod
    def _count_facets(hits, near_misses) -> dict[str, dict[str, int]]:
        counts = {facet: {} for facet in FACETS}
        for key, count in _count_keys(hits).items():
            facet, _, value = key.partition("=")
            counts[facet][value] = count
        for facet, rows in near_misses.items():
            if not rows or facet == "rating":
                continue
            prefix = f"{facet}="
            for key, count in _count_keys(rows).items():
                if key.startswith(prefix):
                    value = key[len(prefix) :]
                    counts[facet][value] = counts[facet].get(value, 0) + count
        ratings = sorted(row[RATING] for row in chain(hits, near_misses["rating"]))
        counts["rating"] = {
            threshold: len(ratings) - bisect_left(ratings, int(threshold))
            for threshold in RATING_THRESHOLDS
        }
        return counts


def _count_keys(rows) -> Counter:
    # One join and one split, counted in C: no Python loop per value, and no list per row
    # for the garbage collector to walk (a search may hold every row of the table).
    return Counter(" ".join([row[KEYS] for row in rows]).split())
