"""The Elasticsearch backend: an alias over versioned indices, French analysis, disjunctive facets.

Names are read from settings at each call (tests change ELASTICSEARCH_INDEX_PREFIX):
searches and updates go through the alias `{prefix}-apps`; a rebuild loads a new index
`{prefix}-apps-{timestamp}`, then swaps the alias in one atomic call, so searches never see
a missing or half-filled index.

Scoring mirrors the database backend on purpose: each query word scores the weight of the
best field it matches (name 4, name prefix 3, tagline 2, publisher/categories 1.5,
description 1), words add up, ties are broken by name then id. Elasticsearch adds typo
tolerance on words of 5+ letters, at half weight (2 in the name, 0.5 elsewhere).
"""

import re
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from datetime import UTC, datetime
from itertools import islice

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from elastic_transport import TransportError
from elasticsearch import ApiError, BadRequestError, Elasticsearch, NotFoundError, helpers
from elasticsearch.dsl import Q, Search

from search.backends import Drift, SearchBackend
from search.contract import (
    DEFAULT_SORT_WITHOUT_QUERY,
    FACETS,
    RATING_THRESHOLDS,
    RawResults,
    SearchUnavailable,
)
from search.documents import iter_documents
from search.mapping import AppDocument
from search.text import ELISION, STOP_WORDS, WORD, fold

# --- Query ---------------------------------------------------------------------------------

# Field weights, the database backend's (search.backends.database).
NAME, NAME_PREFIX, TAGLINE, META, BODY = 4.0, 3.0, 2.0, 1.5, 1.0
TEXT_FIELDS = (
    ("name", NAME),
    ("tagline", TAGLINE),
    ("publisher_name", META),
    ("category_names", META),
    ("description", BODY),
)
# Near misses (typos) weigh half: in the name, or in any other text.
FUZZY_MIN_LENGTH = 5
# One edit (a swap counts as one) from 5 letters, two from 12: with two edits at 8 letters
# « formation » found every « Fondation … » publisher's apps. prefix_length 1: the first letter
# is right, so « formation » does not come near « information » either.
FUZZINESS = "AUTO:5,12"
FUZZY_FIELDS = (("name", NAME / 2), ("all_text", BODY / 2))
# The same fields in English, for a request in English.
ENGLISH = {
    "name": "name_en",
    "tagline": "tagline_en",
    "description": "description_en",
    "all_text": "all_text_en",
}

FACET_FIELDS = {
    "category": "categories",
    "platform": "platforms",
    "audience": "audiences",
    "pricing": "pricing",
    "publisher": "publisher",
    "language": "languages",
    "accessibility": "accessibility",
    "verified": "verified",
    "licence": "licences",
}
# Enough buckets for every value of the catalogue's facets; selected values are also
# counted apart (see _facet_aggregation), so they are never lost past the top N.
FACET_SIZE = 1000
TIE_BREAK = [{"name_sort": "asc"}, {"id": "asc"}]
SORTS = {
    "relevance": [{"_score": "desc"}],
    "rating": [{"rating_average": "desc"}, {"rating_count": "desc"}],
    "popular": [{"popularity": "desc"}],
    "newest": [{"published_at": {"order": "desc", "missing": "_last"}}],
    "updated": [{"updated_at": {"order": "desc", "missing": "_last"}}],
    "name": [],
}

# --- Indexing ------------------------------------------------------------------------------

CHUNK_SIZE = 500
IN_FLIGHT = 2  # bulk requests sent while the next chunk is read from the database
BULK_TIMEOUT = 60
FIRST_STAMP = "0" * 20  # versioned names end with 20 digits: %Y%m%d%H%M%S%f

_clients: dict[tuple[str, float | None], Elasticsearch] = {}


def get_client(url: str | None = None) -> Elasticsearch:
    """The indexing client of a URL (patient: 10 s, 2 retries), made on first use."""
    return _client(url, None)


def get_search_client(url: str | None = None) -> Elasticsearch:
    """The client searches use: SEARCH_TIMEOUT_SECONDS and no retry, so that a slow or hung node
    costs a request that much at most before the search falls back on the database."""
    return _client(url, settings.SEARCH_TIMEOUT_SECONDS)


def _client(url: str | None, search_timeout: float | None) -> Elasticsearch:
    url = url or settings.ELASTICSEARCH_URL
    if not url:
        raise ImproperlyConfigured("ELASTICSEARCH_URL n'est pas défini.")
    key = (url, search_timeout)
    if key not in _clients:
        if search_timeout is None:
            options = {"request_timeout": 10, "max_retries": 2, "retry_on_timeout": True}
        else:
            options = {"request_timeout": search_timeout, "max_retries": 0}
        _clients[key] = Elasticsearch(url, **options)
    return _clients[key]


def query_words(query: str) -> list[str]:
    """The words of a query, split like the database backend splits them (search.text):
    folded, elisions and stop words dropped, punctuation gone. So query syntax is only ever
    data, and each word reaches Elasticsearch as one plain token."""
    words = WORD.findall(fold(ELISION.sub(" ", query or "")))
    return [word for word in words if word not in STOP_WORDS]


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    @property
    def client(self) -> Elasticsearch:
        return get_client()

    @property
    def alias(self) -> str:
        return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-apps"

    # --- Search --------------------------------------------------------------------------

    def search(self, request) -> RawResults:
        body = self.build_search(request).to_dict()
        # A search that began on an index a rebuild has just deleted fails or comes back
        # partial; asked again, the alias already points to the new index.
        for attempt in (1, 2):
            try:
                response = get_search_client().search(index=self.alias, body=body).body
            except NotFoundError:
                if attempt == 2:  # never indexed yet: nothing to find
                    return RawResults(total=0, hits=[], facet_counts={})
                continue
            except (TransportError, ApiError) as error:
                raise SearchUnavailable(str(error)) from error
            if not response["_shards"]["failed"]:
                break
        return RawResults(
            total=response["hits"]["total"]["value"],
            hits=[int(hit["_id"]) for hit in response["hits"]["hits"]],
            facet_counts=self._facet_counts(response["aggregations"]),
        )

    def build_search(self, request) -> Search:
        """The request as a dsl Search (bench/search.py sends its .to_dict() raw)."""
        words = query_words(request.query)
        sort = request.sort
        if sort == "relevance" and not words:
            sort = DEFAULT_SORT_WITHOUT_QUERY  # only stop words: browse, as the database does
        filters = {facet: self._filter(facet, values) for facet, values in request.filters.items()}

        search = Search(using=self.client, index=self.alias).source(False)
        search = search.extra(track_total_hits=True)
        if words:
            search = search.query(
                "bool", must=[self._word_query(word, request.language) for word in words]
            )
        if filters:
            # Hits obey every filter; aggregations run before post_filter, each with its own set.
            search = search.post_filter("bool", filter=list(filters.values()))
        for facet in FACETS:
            others = [query for name, query in filters.items() if name != facet]
            bucket = search.aggs.bucket(facet, "filter", filter=Q("bool", filter=others))
            self._facet_aggregation(bucket, facet, request.filters.get(facet, ()))
        tie_break = TIE_BREAK
        if request.language == "en":
            tie_break = [{"name_sort_en": "asc"}, {"id": "asc"}]
        search = search.sort(*SORTS[sort], *tie_break)
        return search[request.offset : request.offset + request.page_size]

    @staticmethod
    def _word_query(word: str, language: str = "fr") -> Q:
        """The weight of the best field the word matches (dis_max), as fixed scores."""

        def named(field: str) -> str:
            return ENGLISH.get(field, field) if language == "en" else field

        prefix = Q("match", **{f"{named('name')}.prefix": word})
        clauses = [Q("constant_score", filter=prefix, boost=NAME_PREFIX)]
        for field, weight in TEXT_FIELDS:
            clauses.append(
                Q("constant_score", filter=Q("match", **{named(field): word}), boost=weight)
            )
        if len(word) >= FUZZY_MIN_LENGTH:
            near = {"query": word, "fuzziness": FUZZINESS, "prefix_length": 1}
            for field, weight in FUZZY_FIELDS:
                field = named(field)
                fuzzy = Q("match", **{field: near})
                clauses.append(Q("constant_score", filter=fuzzy, boost=weight))
        return Q("dis_max", queries=clauses)

    @staticmethod
    def _filter(facet: str, values) -> Q:
        if facet == "rating":
            return Q("range", rating_average={"gte": min(int(value) for value in values)})
        if facet == "verified":
            return Q("terms", verified=[value == "true" for value in values])
        return Q("terms", **{FACET_FIELDS[facet]: list(values)})

    @staticmethod
    def _facet_aggregation(bucket, facet: str, selected) -> None:
        if facet == "rating":
            thresholds = {
                value: Q("range", rating_average={"gte": int(value)}) for value in RATING_THRESHOLDS
            }
            bucket.bucket("values", "filters", filters=thresholds)
            return
        field = FACET_FIELDS[facet]
        bucket.bucket("values", "terms", field=field, size=FACET_SIZE)
        if selected and facet != "verified":  # both booleans always fit in the top N
            selected = list(selected)
            bucket.bucket("selected", "terms", field=field, include=selected, size=len(selected))

    @staticmethod
    def _facet_counts(aggregations: dict) -> dict[str, dict[str, int]]:
        counts = {}
        for facet in FACETS:
            result = aggregations[facet]
            if facet == "rating":
                buckets = result["values"]["buckets"]
                counts[facet] = {value: bucket["doc_count"] for value, bucket in buckets.items()}
                continue
            values = {}
            buckets = result["values"]["buckets"] + result.get("selected", {}).get("buckets", [])
            for bucket in buckets:
                # Booleans come back as 1/0 with key_as_string "true"/"false".
                values[bucket.get("key_as_string", str(bucket["key"]))] = bucket["doc_count"]
            counts[facet] = values
        return counts

    # --- Indexing ------------------------------------------------------------------------

    def ensure_index(self) -> None:
        """Put a first index behind the alias, if there is none yet.

        Its name is fixed (the oldest possible), so workers doing this at the same moment
        create the same index rather than one each behind the alias."""
        if self.client.indices.exists_alias(name=self.alias):
            return
        try:
            name = self._new_index(stamp=FIRST_STAMP)
        except BadRequestError as error:
            if error.message != "resource_already_exists_exception":
                raise
            name = f"{self.alias}-{FIRST_STAMP}"
        self.client.indices.put_alias(index=name, name=self.alias)

    def index_apps(self, app_ids) -> None:
        """Index the live ones, delete the others. Connection errors propagate, at once (no
        retry: the outbox keeps the change for the next drain)."""
        app_ids = list(dict.fromkeys(int(pk) for pk in app_ids))
        if not app_ids:
            return
        self.ensure_index()
        alias, indexed = self.alias, set()

        def actions():
            for document in iter_documents(app_ids):
                indexed.add(document["id"])
                yield {"_index": alias, "_id": document["id"], "_source": document}
            # Runs once every live one is out: whatever is left is not live any more.
            for pk in app_ids:
                if pk not in indexed:
                    yield {"_op_type": "delete", "_index": alias, "_id": pk}

        helpers.bulk(
            self.client.options(max_retries=0),
            actions(),
            chunk_size=CHUNK_SIZE,
            ignore_status=(404,),
            refresh="wait_for",
        )

    def remove_apps(self, app_ids) -> None:
        app_ids = list(dict.fromkeys(int(pk) for pk in app_ids))
        # No alias, nothing to remove (and a bulk delete could auto-create an index by its name).
        if not app_ids or not self.client.indices.exists_alias(name=self.alias):
            return
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": pk} for pk in app_ids)
        helpers.bulk(
            self.client, actions, chunk_size=CHUNK_SIZE, ignore_status=(404,), refresh="wait_for"
        )

    def rebuild(self, progress=None) -> int:
        """Load every live app into a new index, then swap the alias onto it and drop the old ones.

        progress(n) is called after each bulk request with the number of apps it indexed.
        Updates made while it runs go to the old index: `search_index --check` shows them.
        """
        client = self.client
        name = self._new_index()
        try:
            # No refreshes while loading: one at the end, before the index is searched.
            client.indices.put_settings(index=name, settings={"refresh_interval": "-1"})
            count = self._load(name, progress)
            client.indices.put_settings(index=name, settings={"refresh_interval": None})
            client.indices.refresh(index=name)
            previous = self._aliased_indices()
            client.indices.update_aliases(
                actions=[{"remove": {"index": index, "alias": self.alias}} for index in previous]
                + [{"add": {"index": name, "alias": self.alias}}]
            )
        except BaseException:
            with suppress(Exception):  # the error that matters is the one being raised
                client.options(ignore_status=404).indices.delete(index=name)
            raise
        self._delete_older_than(name)
        return count

    def _load(self, index: str, progress) -> int:
        """Bulk requests go out on threads while this one reads the next chunk from the
        database (Django connections are per thread: the reading stays here)."""
        client = self.client.options(request_timeout=BULK_TIMEOUT)
        count, pending = 0, deque()

        def send(documents):
            actions = ({"_index": index, "_id": doc["id"], "_source": doc} for doc in documents)
            helpers.bulk(client, actions, chunk_size=CHUNK_SIZE)
            return len(documents)

        def wait_oldest():
            done = pending.popleft().result()
            if progress:
                progress(done)
            return done

        with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
            try:
                for chunk in _chunks(iter_documents(), CHUNK_SIZE):
                    if len(pending) >= IN_FLIGHT:
                        count += wait_oldest()
                    pending.append(pool.submit(send, chunk))
                while pending:
                    count += wait_oldest()
            finally:
                for future in pending:
                    future.cancel()
        return count

    def check(self) -> Drift:
        indexed = self._indexed_versions()
        live = {document["id"]: document["version"] for document in iter_documents()}
        return Drift(
            missing=sorted(live.keys() - indexed.keys()),
            stale=sorted(pk for pk in live.keys() & indexed.keys() if live[pk] != indexed[pk]),
            extra=sorted(indexed.keys() - live.keys()),
        )

    def refresh(self) -> None:
        self.client.options(ignore_status=404).indices.refresh(index=self.alias)

    # --- Index names ---------------------------------------------------------------------

    def _new_index(self, stamp: str | None = None) -> str:
        name = f"{self.alias}-{stamp or datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"
        AppDocument.init(index=name, using=self.client)
        return name

    def _versioned_indices(self) -> list[str]:
        pattern = re.compile(rf"{re.escape(self.alias)}-\d{{20}}")
        names = self.client.indices.get(index=f"{self.alias}-*", expand_wildcards="all")
        return sorted(name for name in names if pattern.fullmatch(name))

    def _aliased_indices(self) -> list[str]:
        try:
            return list(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def _delete_older_than(self, name: str) -> None:
        # The timestamps sort like the names: older ones come first.
        older = [index for index in self._versioned_indices() if index < name]
        if older:
            self.client.options(ignore_status=404).indices.delete(index=",".join(older))

    def _indexed_versions(self) -> dict[int, str]:
        if not self.client.indices.exists_alias(name=self.alias):
            return {}
        hits = helpers.scan(
            self.client,
            index=self.alias,
            query={"query": {"match_all": {}}, "_source": ["version"]},
            size=1000,
        )
        return {int(hit["_id"]): hit["_source"].get("version") for hit in hits}
