"""The search side of /api/v1/: the apps list (search, facets, filters, sort, pages) and
suggestions for autocompletion.

- Search goes through the search contract (``search.service.catalogue_search``), so both
  backends answer the same; its parameters are the contract's, under the API's names
  (``min_rating`` is the contract's ``rating`` facet), and so are its messages for bad ones.
- Every GET is conditional (``catalogue.api.caching``): a client whose copy is current gets
  a 304 before any query runs, and anonymous answers may be kept by shared caches.
- An engine that cannot answer is replaced by the database backend (search.service), and the
  response says so (``X-Search-Backend: database``); a 503 in the common error shape only if
  neither can answer.
"""

import logging

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from catalogue import renditions
from catalogue.api.caching import CatalogueReadView
from catalogue.api.serializers import AppSummarySerializer, prefetch_summaries
from catalogue.models import AppPage
from search.api.serializers import AppSearchSerializer, SuggestionSerializer
from search.contract import (
    ACCESSIBILITY_LEVELS,
    AUDIENCES,
    DEFAULT_PAGE_SIZE,
    FACETS,
    MAX_PAGE_SIZE,
    PLATFORMS,
    PRICINGS,
    SORTS,
    InvalidSearch,
    SearchResults,
    SearchUnavailable,
    build_request,
)
from search.service import catalogue_search, degraded
from web.pagination import page_links

logger = logging.getLogger(__name__)

# API parameter → facet of the search contract. The facets of a response use the same names.
FILTER_PARAMETERS = {
    "category": "category",
    "platform": "platform",
    "audience": "audience",
    "pricing": "pricing",
    "publisher": "publisher",
    "language": "language",
    "accessibility": "accessibility",
    "min_rating": "rating",
    "verified": "verified",
    "licence": "licence",
}
PARAMETER_OF_FACET = {facet: parameter for parameter, facet in FILTER_PARAMETERS.items()}
# No search engine pages that deep (Elasticsearch's index.max_result_window).
MAX_RESULT_WINDOW = 10_000
SUGGEST_MIN_LENGTH = 2
SUGGEST_SIZE = 10


class SearchUnavailableError(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("La recherche est momentanément indisponible.")
    default_code = "search_unavailable"


def enum_parameter(name, values, description, many=True) -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.STR, enum=list(values), many=many, description=description
    )


APP_LIST_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Mots cherchés (200 caractères au plus)."),
    OpenApiParameter(
        "category",
        OpenApiTypes.STR,
        many=True,
        description="Catégorie (identifiant) ; un univers inclut ses catégories. Répétable.",
    ),
    enum_parameter("platform", PLATFORMS, "Plateforme. Répétable."),
    enum_parameter("audience", AUDIENCES, "Public. Répétable."),
    enum_parameter("pricing", PRICINGS, "Tarif. Répétable."),
    OpenApiParameter(
        "publisher", OpenApiTypes.STR, many=True, description="Éditeur (identifiant). Répétable."
    ),
    OpenApiParameter(
        "language", OpenApiTypes.STR, many=True, description="Langue (ISO 639-1). Répétable."
    ),
    enum_parameter("accessibility", ACCESSIBILITY_LEVELS, "Accessibilité (RGAA). Répétable."),
    OpenApiParameter(
        "min_rating",
        {"type": "integer", "minimum": 1, "maximum": 5},
        description="Note moyenne minimale.",
    ),
    OpenApiParameter("verified", OpenApiTypes.BOOL, description="Éditeur vérifié ou non."),
    OpenApiParameter(
        "licence",
        OpenApiTypes.STR,
        many=True,
        description="Licence : free (logiciel libre), proprietary, ou un identifiant SPDX "
        "(MIT, GPL-3.0-or-later…). Répétable.",
    ),
    enum_parameter(
        "sort",
        SORTS,
        "Tri ; par défaut relevance avec q, popular sans.",
        many=False,
    ),
    OpenApiParameter("page", {"type": "integer", "minimum": 1}, description="À partir de 1."),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        description=f"De 1 à {MAX_PAGE_SIZE}, {DEFAULT_PAGE_SIZE} par défaut.",
    ),
]


def api_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The contract's messages under the API's parameter names."""
    return {PARAMETER_OF_FACET.get(field, field): messages for field, messages in errors.items()}


def search_catalogue(query, filters=None, sort=None, page=1, page_size=DEFAULT_PAGE_SIZE):
    """catalogue_search, with bad parameters as a 400 and an engine that cannot answer as a 503.

    A page past the first MAX_RESULT_WINDOW results is empty, as a page past the end is (the
    engines page no deeper); its count and facets are still those of the whole search."""
    try:
        request = build_request(query, filters, sort, page, page_size)
    except InvalidSearch as error:
        raise ValidationError(api_errors(error.errors)) from None
    too_deep = request.page * request.page_size > MAX_RESULT_WINDOW
    try:
        results = catalogue_search(
            request.query,
            dict(request.filters),
            request.sort,
            1 if too_deep else request.page,
            1 if too_deep else request.page_size,
        )
    except SearchUnavailable as error:
        logger.exception("search unavailable: %s", error)
        raise SearchUnavailableError() from error
    if too_deep:
        results = SearchResults(request, results.total, [], results.facets, results.backend)
    return results


class SearchReadView(CatalogueReadView):
    """Says which backend answered (``X-Search-Backend``); an answer of the fallback (the
    database, while Elasticsearch is away) is neither cached nor given validators, so clients
    get the engine's answer again once it is back."""

    search_backend = None

    def search(self, *args, **kwargs):
        results = search_catalogue(*args, **kwargs)
        self.search_backend = results.backend
        if degraded(results):
            self.do_not_keep()
        return results

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # A body from the cache was built by the configured engine (fallbacks are not kept).
        response["X-Search-Backend"] = self.search_backend or settings.SEARCH_BACKEND
        return response


def facets_data(facets: dict) -> dict:
    """The facets under the API's parameter names (labels are already in the request's
    language: search.facets)."""
    return {
        PARAMETER_OF_FACET[facet]: [
            {
                "value": item.value,
                "label": item.label,
                "count": item.count,
                "selected": item.selected,
            }
            for item in facets.get(facet, ())
        ]
        for facet in FACETS
    }


class AppListView(SearchReadView):
    @extend_schema(
        operation_id="apps_list",
        summary="Chercher et parcourir les applications",
        description="Filtres à facettes disjonctives : les valeurs d'un même filtre s'ajoutent "
        "(OU), les filtres se combinent (ET) ; chaque facette est comptée avec tous les filtres "
        "sauf le sien. Les paramètres inconnus sont ignorés.",
        parameters=APP_LIST_PARAMETERS,
        responses={200: AppSearchSerializer},
        tags=["catalogue"],
    )
    def get(self, request):
        if (response := self.not_modified(request)) is not None:
            return response
        return Response(self.cached_payload(lambda: self.search_page(request)))

    def search_page(self, request) -> dict:
        params = request.query_params
        filters = {
            facet: params.getlist(parameter)
            for parameter, facet in FILTER_PARAMETERS.items()
            if parameter in params
        }
        results = self.search(
            params.get("q", ""),
            filters,
            params.get("sort") or None,
            params.get("page"),
            params.get("page_size"),
        )
        apps = prefetch_summaries(results.objects())
        context = {"request": request}
        return {
            "count": results.total,
            "page": results.page,
            "page_size": results.page_size,
            **page_links(
                request, results.page, results.page_size, results.total, MAX_RESULT_WINDOW
            ),
            "results": AppSummarySerializer(apps, many=True, context=context).data,
            "facets": facets_data(results.facets),
        }


class SuggestView(SearchReadView):
    @extend_schema(
        operation_id="suggest",
        summary="Suggestions pour l'autocomplétion",
        description=f"Jusqu'à {SUGGEST_SIZE} applications, les plus pertinentes d'abord.",
        parameters=[
            OpenApiParameter(
                "q",
                # Two characters once spaces are trimmed and collapsed: two non-spaces.
                {"type": "string", "minLength": SUGGEST_MIN_LENGTH, "pattern": r"\S[\s\S]*\S"},
                required=True,
                description=f"Au moins {SUGGEST_MIN_LENGTH} caractères (hors espaces).",
            )
        ],
        responses={200: SuggestionSerializer(many=True)},
        tags=["catalogue"],
    )
    def get(self, request):
        if (response := self.not_modified(request)) is not None:
            return response
        query = " ".join(request.query_params.get("q", "").split())
        if len(query) < SUGGEST_MIN_LENGTH:
            message = _("Au moins %d caractères.") % SUGGEST_MIN_LENGTH
            raise ValidationError({"q": [str(message)]})
        results = self.search(query, sort="relevance", page=1, page_size=SUGGEST_SIZE)
        by_id = (
            AppPage.objects.live()
            .select_related("icon")
            .prefetch_related(renditions.renditions_of("icon", renditions.API_ICON))
            .only("pk", "slug", "title", "icon")
            .in_bulk(results.hits)
        )
        apps = [by_id[pk] for pk in results.hits if pk in by_id]
        return Response(SuggestionSerializer(apps, many=True, context={"request": request}).data)
