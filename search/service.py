"""The one entry point of catalogue search: ``catalogue_search()``.

    results = catalogue_search(query="formation", filters={"platform": ["ios", "android"]},
                               sort="relevance", page=1, page_size=20)

Validates the parameters (``InvalidSearch``), asks the configured backend, and presents the
facets (labels, order) the same way for both backends.

When the configured backend is Elasticsearch and it cannot answer — down, refusing, or slower
than SEARCH_TIMEOUT_SECONDS — the search is answered from the database backend, whose index
the outbox keeps current too (search.indexing), and ``results.backend`` says so. After a
failure the engine is not asked again for SEARCH_BREAKER_SECONDS (a circuit breaker, per
process): a dead node is not waited on by every request. ``SearchUnavailable`` reaches the
caller only with SEARCH_FALLBACK off (the tests: an Elasticsearch test must fail, not pass on
the database's answers, when the node is missing).
"""

import logging
import threading
import time

from django.conf import settings

from catalogue.labels import is_english
from search.backends import FALLBACK, get_backend
from search.contract import DEFAULT_PAGE_SIZE, SearchResults, SearchUnavailable, build_request
from search.facets import present_facets

logger = logging.getLogger(__name__)


class Breaker:
    """Per process: after a failure, the engine is skipped for SEARCH_BREAKER_SECONDS; then the
    next call tries it again (and closes the breaker if it answers)."""

    def __init__(self, meanwhile: str):
        self.meanwhile = meanwhile  # what is done while it is open, for the log
        self.open_until = 0.0
        self.lock = threading.Lock()

    def allows(self) -> bool:
        return time.monotonic() >= self.open_until

    def failed(self) -> None:
        with self.lock:
            first = self.allows()
            self.open_until = time.monotonic() + settings.SEARCH_BREAKER_SECONDS
        if first:
            logger.warning(
                "search: the engine did not answer; %s for %ss",
                self.meanwhile,
                settings.SEARCH_BREAKER_SECONDS,
            )

    def succeeded(self) -> None:
        self.open_until = 0.0


breaker = Breaker("searching the database")


def catalogue_search(
    query: str | None = "",
    filters: dict | None = None,
    sort: str | None = None,
    page: int | str | None = 1,
    page_size: int | str | None = DEFAULT_PAGE_SIZE,
    language: str | None = None,
) -> SearchResults:
    """``language``: "fr" or "en"; by default the active one (the request's)."""
    if language is None:
        language = "en" if is_english() else "fr"
    request = build_request(query, filters, sort, page, page_size, language)
    backend = get_backend()
    raw = None
    if backend.name == FALLBACK or not settings.SEARCH_FALLBACK:
        raw = backend.search(request)
    elif breaker.allows():
        try:
            raw = backend.search(request)
        except SearchUnavailable:
            breaker.failed()
        else:
            breaker.succeeded()
    if raw is None:
        backend = get_backend(FALLBACK)
        raw = backend.search(request)
    return SearchResults(
        request=request,
        total=raw.total,
        hits=raw.hits,
        facets=present_facets(request, raw.facet_counts),
        backend=backend.name,
    )


def degraded(results: SearchResults) -> bool:
    """Whether these results come from the fallback rather than the configured engine."""
    return results.backend != settings.SEARCH_BACKEND
