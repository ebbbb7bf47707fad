"""The search page: query, facets, sort and page all live in the URL (a plain GET form)."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from search.contract import FACETS, SORTS, InvalidSearch, catalogue_search

FACET_TITLES = {
    "category": _("Univers et catégories"),
    "platform": _("Plateformes"),
    "audience": _("Publics"),
    "pricing": _("Tarif"),
    "publisher": _("Éditeurs"),
    "language": _("Langues"),
    "accessibility": _("Accessibilité"),
    "rating": _("Note"),
    "verified": _("Éditeur"),
}
SORT_LABELS = {
    "relevance": _("Pertinence"),
    "rating": _("Mieux notées"),
    "popular": _("Populaires"),
    "newest": _("Nouveautés"),
    "updated": _("Mises à jour récentes"),
    "name": _("Nom (A → Z)"),
}
PAGE_SIZE = 20


def search(request):
    query = request.GET.get("q", "")
    filters = {facet: request.GET.getlist(facet) for facet in FACETS if facet in request.GET}
    sort = request.GET.get("sort") or None
    try:
        results = catalogue_search(query, filters, sort, request.GET.get("page"), PAGE_SIZE)
    except InvalidSearch as error:
        context = {"query": query, "errors": error.errors, "sorts": sort_options(None)}
        return render(request, "store/search.html", context, status=400)

    return render(
        request,
        "store/search.html",
        {
            "query": results.request.query,
            "results": results,
            "apps": results.objects(),
            "facets": [
                (facet, FACET_TITLES[facet], results.facets[facet])
                for facet in FACETS
                if results.facets[facet]
            ],
            "sorts": sort_options(results.request.sort, has_query=bool(results.request.query)),
            "active_filters": any(results.request.filters.values()),
            "previous_url": page_url(request, results.page - 1) if results.has_previous else None,
            "next_url": page_url(request, results.page + 1) if results.has_next else None,
        },
    )


def sort_options(current, has_query=True):
    return [
        (value, SORT_LABELS[value], value == current)
        for value in SORTS
        if has_query or value != "relevance"
    ]


def page_url(request, page: int) -> str:
    params = [(key, value) for key, value in request.GET.lists() if key != "page"]
    flat = [(key, value) for key, values in params for value in values]
    return "?" + urlencode([*flat, ("page", page)])
