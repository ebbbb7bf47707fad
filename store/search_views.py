"""The browse and search page (/apps/): query, facets, sort and page all live in the URL.

One plain GET form holds the words, the facet checkboxes and the sort, so the page works
without JavaScript; /recherche/ (the page's first address) redirects here for good.
"""

from urllib.parse import urlencode

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from search.contract import FACETS, SORTS, InvalidSearch, catalogue_search
from store.views import prefetch_card_icons

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

    apps = prefetch_card_icons(results.objects())
    selected = [
        {
            "facet": facet,
            "title": FACET_TITLES[facet],
            "label": item.label,
            "remove_url": url_without(request, facet, item.value),
        }
        for facet in FACETS
        for item in results.facets[facet]
        if item.selected
    ]
    return render(
        request,
        "store/search.html",
        {
            "query": results.request.query,
            "results": results,
            "apps": apps,
            "facets": [
                (facet, FACET_TITLES[facet], results.facets[facet])
                for facet in FACETS
                if results.facets[facet]
            ],
            "sorts": sort_options(results.request.sort, has_query=bool(results.request.query)),
            "active_filters": bool(selected),
            "selected_filters": selected,
            "clear_url": clear_url(request),
        },
    )


def sort_options(current, has_query=True):
    return [
        (value, SORT_LABELS[value], value == current)
        for value in SORTS
        if has_query or value != "relevance"
    ]


def url_without(request, facet: str, value: str) -> str:
    """This search without one selected value (back to page 1)."""
    params = [
        (key, item)
        for key, values in request.GET.lists()
        if key != "page"
        for item in values
        if not (key == facet and item == value)
    ]
    return "?" + urlencode(params)


def clear_url(request) -> str:
    """This search without any filter: the words and the sort stay."""
    params = [(key, request.GET[key]) for key in ("q", "sort") if request.GET.get(key, "").strip()]
    return "?" + urlencode(params)


def legacy_search(request):
    """/recherche/ was the page's first address: the same search, at its new one."""
    url = reverse("search")
    if request.META.get("QUERY_STRING"):
        url += "?" + request.META["QUERY_STRING"]
    return HttpResponsePermanentRedirect(url)
