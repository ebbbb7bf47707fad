"""Pages of the API's lists: ``page`` and ``page_size`` parameters, and the envelope

    {"count": 42, "page": 2, "page_size": 20, "next": "<absolute URL>", "previous": "…",
     "results": [...]}

``next`` and ``previous`` keep every other parameter of the request. Past the end, a page is
empty (and asks the database for no offset), and ``previous`` leads back to the last page
that has results.
"""

import math

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

PAGE_PARAMETERS = [
    OpenApiParameter("page", {"type": "integer", "minimum": 1}, description="À partir de 1."),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        description=f"De 1 à {MAX_PAGE_SIZE}, {DEFAULT_PAGE_SIZE} par défaut.",
    ),
]


class PageQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, default=1, required=False)
    page_size = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE, required=False
    )


class PageSerializer(serializers.Serializer):
    """The envelope of a paginated list (for the schema; subclasses add ``results``)."""

    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


def page_links(request, page: int, page_size: int, count: int, max_results=None) -> dict:
    """``next`` and ``previous`` as absolute URLs; no page lies past ``max_results`` results."""
    url = request.build_absolute_uri()
    last_page = max(1, math.ceil(count / page_size))
    if max_results is not None:
        last_page = max(1, min(last_page, max_results // page_size))
    links = {"next": None, "previous": None}
    if page < last_page:
        links["next"] = replace_query_param(url, "page", page + 1)
    if page > 1:
        previous = min(page - 1, last_page)
        links["previous"] = (
            remove_query_param(url, "page")
            if previous == 1
            else replace_query_param(url, "page", previous)
        )
    return links


def paginate(request, queryset, page: int, page_size: int) -> tuple[list, dict]:
    """(rows of the page, envelope without ``results``): a count, then one page of rows."""
    count = queryset.count()
    start = (page - 1) * page_size
    rows = list(queryset[start : start + page_size]) if start < count else []
    envelope = {
        "count": count,
        "page": page,
        "page_size": page_size,
        **page_links(request, page, page_size, count),
    }
    return rows, envelope
