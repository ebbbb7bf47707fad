"""The one entry point of catalogue search: ``catalogue_search()``.

    results = catalogue_search(query="formation", filters={"platform": ["ios", "android"]},
                               sort="relevance", page=1, page_size=20)

Validates the parameters (``InvalidSearch``), asks the configured backend, and presents the
facets (labels, order) the same way for both backends. An engine that cannot answer raises
``SearchUnavailable``: the API answers 503, the /apps/ page a page saying so.
"""

from search.backends import get_backend
from search.contract import DEFAULT_PAGE_SIZE, SearchResults, build_request
from search.facets import present_facets


def catalogue_search(
    query: str | None = "",
    filters: dict | None = None,
    sort: str | None = None,
    page: int | str | None = 1,
    page_size: int | str | None = DEFAULT_PAGE_SIZE,
) -> SearchResults:
    request = build_request(query, filters, sort, page, page_size)
    raw = get_backend().search(request)
    return SearchResults(
        request=request,
        total=raw.total,
        hits=raw.hits,
        facets=present_facets(request, raw.facet_counts),
    )
