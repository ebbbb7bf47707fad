"""The browse and search page (/apps/): query, facets, sort and page all live in the URL.

One plain GET form holds the words, the facet checkboxes and the sort, so the page works
without JavaScript; /recherche/ (the page's first address) redirects here for good. Bad
parameters are a 400 page naming them. While Elasticsearch is away the database answers
(search.service): the page says so discreetly, and ``X-Search-Backend`` names the backend.
"""

import logging
from urllib.parse import urlencode

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalogue.models import AppPage
from catalogue.stats.counting import count_search
from search.contract import FACETS, SORTS, InvalidSearch, SearchUnavailable
from search.service import catalogue_search, degraded
from web.cards import card_actions

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
    "licence": _("Licence"),
}
SORT_LABELS = {
    "relevance": _("Pertinence"),
    "rating": _("Mieux notées"),
    "popular": _("Populaires"),
    "newest": _("Nouveautés"),
    "updated": _("Mises à jour récentes"),
    "name": _("Nom (A → Z)"),
}
logger = logging.getLogger(__name__)

PAGE_SIZE = 20
TEMPLATE = "search/search.html"


def search(request):
    query = request.GET.get("q", "")
    filters = {facet: request.GET.getlist(facet) for facet in FACETS if facet in request.GET}
    sort = request.GET.get("sort") or None
    try:
        results = catalogue_search(query, filters, sort, request.GET.get("page"), PAGE_SIZE)
    except InvalidSearch as error:
        context = {"query": query, "errors": error.errors, "sorts": sort_options(None)}
        return render(request, TEMPLATE, context, status=400)
    except SearchUnavailable:
        logger.exception("search unavailable on the /apps/ page")
        context = {"query": query, "unavailable": True, "sorts": sort_options(None)}
        return render(request, TEMPLATE, context, status=503)

    apps = results.objects(AppPage.objects.live().for_listing().with_card_icons())
    if results.page == 1:
        try:
            count_search(request, results.request.query, results.hits, results.total)
        except Exception:  # counting never stops a page
            logger.exception("stats: a search could not be counted")
    fallback = degraded(results)
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
    response = render(
        request,
        TEMPLATE,
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
            "fallback": fallback,
            # Under each card, what other apps offer this visitor (web.cards).
            "card_actions": card_actions(request),
        },
    )
    response["X-Search-Backend"] = results.backend
    return response


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
