"""The read side of /api/v1/: apps (search, facets, detail), categories, publishers,
collections and suggestions.

- Search goes through the search contract (``search.contract.catalogue_search``), so both
  backends answer the same; its parameters are the contract's, under the API's names
  (``min_rating`` is the contract's ``rating`` facet), and so are its messages for bad ones.
- Every GET is conditional (``catalogue.api.caching``): a client whose copy is current gets
  a 304 before any query runs, and anonymous answers may be kept by shared caches.
- The lists and the detail issue a fixed number of queries whatever the page size and however
  many listings, screenshots or categories an app has: each view prefetches what its
  serializer reads (renditions included, once they exist).
- Only live, public apps are shown; a draft or unpublished app is a 404.
"""

import logging
import math

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from elastic_transport import TransportError
from elasticsearch import ApiError
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView
from wagtail.images import get_image_model

from catalogue.api.caching import VERSION_TIMEOUT, Validators, set_cache_control
from catalogue.api.serializers import (
    ICON_RENDITION,
    LOGO_RENDITION,
    SCREENSHOT_RENDITION,
    AppDetailSerializer,
    AppSearchSerializer,
    AppSummarySerializer,
    CollectionDetailSerializer,
    CollectionSerializer,
    PublisherPageSerializer,
    PublisherSerializer,
    SuggestionSerializer,
    UniverseSerializer,
    filtered_apps_url,
)
from catalogue.models import (
    AppPage,
    AppScreenshot,
    Audience,
    Category,
    Collection,
    CollectionItem,
    Language,
    Publisher,
)
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
    build_request,
    catalogue_search,
)

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
}
PARAMETER_OF_FACET = {facet: parameter for parameter, facet in FILTER_PARAMETERS.items()}
# No search engine pages that deep (Elasticsearch's index.max_result_window).
MAX_RESULT_WINDOW = 10_000
SUGGEST_MIN_LENGTH = 2
SUGGEST_SIZE = 10
# Facets whose values have an English name in the database (Category has none yet).
ENGLISH_NAMES = {"audience": (Audience, "slug"), "language": (Language, "code")}


class SearchUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("La recherche est momentanément indisponible.")
    default_code = "search_unavailable"


# --- Querysets -----------------------------------------------------------------------------


def live_apps():
    return AppPage.objects.live().public()


def renditions(lookup: str, spec: str) -> Prefetch:
    """The renditions of the image at `lookup` for one filter spec, in one query."""
    rendition_model = get_image_model().get_rendition_model()
    return Prefetch(
        f"{lookup}__renditions", queryset=rendition_model.objects.filter(filter_spec=spec)
    )


def prefetch_summaries(apps: list) -> list:
    """What AppSummarySerializer reads beyond for_listing(): audiences and icon renditions."""
    prefetch_related_objects(apps, "audiences", renditions("icon", ICON_RENDITION))
    return apps


def app_details():
    screenshots = (
        AppScreenshot.objects.order_by("sort_order", "pk")
        .select_related("image")
        .prefetch_related(renditions("image", SCREENSHOT_RENDITION))
    )
    collection_items = CollectionItem.objects.select_related("collection").order_by(
        "collection__sort_order", "collection__name", "collection__pk"
    )
    return (
        live_apps()
        .for_listing()
        .prefetch_related(
            "audiences",
            "languages",
            renditions("icon", ICON_RENDITION),
            Prefetch("screenshots", queryset=screenshots),
            Prefetch("collection_items", queryset=collection_items),
        )
    )


def publishers():
    return (
        Publisher.objects.annotate(
            app_count=Count("apps", filter=Q(apps__in=live_apps()), distinct=True)
        )
        .select_related("logo", "page")
        .prefetch_related(renditions("logo", LOGO_RENDITION))
        .order_by("name", "pk")
    )


def collections():
    return Collection.objects.annotate(
        app_count=Count("items", filter=Q(items__app__in=live_apps()), distinct=True)
    ).order_by("sort_order", "name", "pk")


def checked_slug(slug: str) -> str:
    """A slug the database can compare (PostgreSQL refuses NUL characters), or a 404."""
    if "\x00" in slug:
        raise NotFound()
    return slug


# --- Pagination ----------------------------------------------------------------------------


def page_links(request, page: int, page_size: int, count: int) -> dict:
    """next and previous as absolute URLs keeping every parameter; past the end (or past
    the first MAX_RESULT_WINDOW results), previous leads back to the last page with results."""
    url = request.build_absolute_uri()
    last_page = max(1, min(math.ceil(count / page_size), MAX_RESULT_WINDOW // page_size))
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


class PageQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, default=1, required=False)
    page_size = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE, required=False
    )


# --- Base view -----------------------------------------------------------------------------


# A body lives no longer than the catalogue version its key belongs to.
PAYLOAD_TIMEOUT = VERSION_TIMEOUT


class CatalogueReadView(APIView):
    """A GET of catalogue data: ETag and Last-Modified, 304s, Cache-Control.

    Each get() starts with ``if (response := self.not_modified(request)) is not None``."""

    validators = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            self.validators = Validators(request)

    def not_modified(self, request):
        return self.validators.not_modified(request) if self.validators else None

    def cached_payload(self, build):
        """The body of this exact request (same ETag), built once per catalogue version.

        Bodies hold nothing user-specific, and any catalogue change moves the version, hence
        the ETag and the key: a stale body is never served."""
        if self.validators is None:
            return build()
        key = f"catalogue:api-payload:{self.validators.etag}"
        payload = cache.get(key)
        if payload is None:
            payload = dict(build())  # a plain dict: serializer data carries its serializer
            cache.set(key, payload, PAYLOAD_TIMEOUT)
        return payload

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        code = response.status_code
        if self.validators is not None and (200 <= code < 300 or code == 304):
            self.validators.apply(response)
            set_cache_control(request, response)
        return response


# --- Apps ----------------------------------------------------------------------------------


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
SLUG_PARAMETER = OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)


def api_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The contract's messages under the API's parameter names."""
    return {PARAMETER_OF_FACET.get(field, field): messages for field, messages in errors.items()}


def search_catalogue(query, filters=None, sort=None, page=1, page_size=DEFAULT_PAGE_SIZE):
    """catalogue_search, with bad parameters as a 400 and an unreachable engine as a 503.

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
    except (TransportError, ApiError) as error:
        logger.exception("search unavailable: %s", error)
        raise SearchUnavailable() from error
    if too_deep:
        results = SearchResults(request, results.total, [], results.facets)
    return results


def facets_data(facets: dict) -> dict:
    english = (get_language() or "").startswith("en")
    data = {}
    for facet in FACETS:
        labels = english_labels(facet) if english and facet in ENGLISH_NAMES else {}
        data[PARAMETER_OF_FACET[facet]] = [
            {
                "value": item.value,
                "label": labels.get(item.value) or item.label,
                "count": item.count,
                "selected": item.selected,
            }
            for item in facets.get(facet, ())
        ]
    return data


def english_labels(facet: str) -> dict[str, str]:
    model, key = ENGLISH_NAMES[facet]
    return dict(model.objects.exclude(name_en="").values_list(key, "name_en"))


class AppListView(CatalogueReadView):
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

    @staticmethod
    def search_page(request) -> dict:
        params = request.query_params
        filters = {
            facet: params.getlist(parameter)
            for parameter, facet in FILTER_PARAMETERS.items()
            if parameter in params
        }
        results = search_catalogue(
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
            **page_links(request, results.page, results.page_size, results.total),
            "results": AppSummarySerializer(apps, many=True, context=context).data,
            "facets": facets_data(results.facets),
        }


class AppDetailView(CatalogueReadView):
    @extend_schema(
        operation_id="apps_retrieve",
        summary="Une application",
        parameters=[SLUG_PARAMETER],
        responses={200: AppDetailSerializer},
        tags=["catalogue"],
    )
    def get(self, request, slug):
        if (response := self.not_modified(request)) is not None:
            return response

        def build():
            app = app_details().filter(slug=checked_slug(slug)).order_by("pk").first()
            if app is None:
                raise NotFound()
            return AppDetailSerializer(app, context={"request": request}).data

        return Response(self.cached_payload(build))


class SuggestView(CatalogueReadView):
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
        results = search_catalogue(query, sort="relevance", page=1, page_size=SUGGEST_SIZE)
        by_id = (
            AppPage.objects.live()
            .select_related("icon")
            .prefetch_related(renditions("icon", ICON_RENDITION))
            .only("pk", "slug", "title", "icon")
            .in_bulk(results.hits)
        )
        apps = [by_id[pk] for pk in results.hits if pk in by_id]
        return Response(SuggestionSerializer(apps, many=True, context={"request": request}).data)


# --- Categories ----------------------------------------------------------------------------


class CategoryTreeView(CatalogueReadView):
    @extend_schema(
        operation_id="categories_list",
        summary="Les univers et leurs catégories",
        description="Avec le nombre d'applications publiées de chacun ; celui d'un univers "
        "compte une fois une application présente dans plusieurs de ses catégories.",
        responses={200: UniverseSerializer(many=True)},
        tags=["catalogue"],
    )
    def get(self, request):
        if (response := self.not_modified(request)) is not None:
            return response
        links = AppPage.categories.through.objects.filter(apppage__in=live_apps()).order_by()
        per_category = dict(
            links.values("category_id")
            .annotate(count=Count("apppage_id", distinct=True))
            .values_list("category_id", "count")
        )
        per_universe = dict(
            links.annotate(universe=Coalesce("category__parent_id", "category_id"))
            .values("universe")
            .annotate(count=Count("apppage_id", distinct=True))
            .values_list("universe", "count")
        )
        categories = list(Category.objects.order_by("sort_order", "name", "pk"))
        children = {}
        for category in categories:
            if category.parent_id is not None:
                children.setdefault(category.parent_id, []).append(
                    self.node(request, category, per_category.get(category.pk, 0))
                )
        tree = [
            {
                **self.node(request, universe, per_universe.get(universe.pk, 0)),
                "icon": universe.icon,
                "children": children.get(universe.pk, []),
            }
            for universe in categories
            if universe.parent_id is None
        ]
        return Response(UniverseSerializer(tree, many=True).data)

    @staticmethod
    def node(request, category, count: int) -> dict:
        return {
            "slug": category.slug,
            "name": category.name,
            "description": category.description,
            "count": count,
            "apps_url": filtered_apps_url(request, "category", category.slug),
        }


# --- Publishers ----------------------------------------------------------------------------


class PublisherListView(CatalogueReadView):
    @extend_schema(
        operation_id="publishers_list",
        summary="Les éditeurs",
        description="Par ordre alphabétique, avec leur nombre d'applications publiées.",
        parameters=[PageQuerySerializer],
        responses={200: PublisherPageSerializer},
        tags=["catalogue"],
    )
    def get(self, request):
        if (response := self.not_modified(request)) is not None:
            return response
        query = PageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page, page_size = query.validated_data["page"], query.validated_data["page_size"]
        count = Publisher.objects.count()
        start = (page - 1) * page_size
        rows = list(publishers()[start : start + page_size]) if start < count else []
        return Response(
            {
                "count": count,
                "page": page,
                "page_size": page_size,
                **page_links(request, page, page_size, count),
                "results": PublisherSerializer(rows, many=True, context={"request": request}).data,
            }
        )


class PublisherDetailView(CatalogueReadView):
    @extend_schema(
        operation_id="publishers_retrieve",
        summary="Un éditeur",
        description="Ses applications : apps_url.",
        parameters=[SLUG_PARAMETER],
        responses={200: PublisherSerializer},
        tags=["catalogue"],
    )
    def get(self, request, slug):
        if (response := self.not_modified(request)) is not None:
            return response
        publisher = publishers().filter(slug=checked_slug(slug)).first()
        if publisher is None:
            raise NotFound()
        return Response(PublisherSerializer(publisher, context={"request": request}).data)


# --- Collections ---------------------------------------------------------------------------


class CollectionListView(CatalogueReadView):
    @extend_schema(
        operation_id="collections_list",
        summary="Les collections de l'équipe éditoriale",
        responses={200: CollectionSerializer(many=True)},
        tags=["catalogue"],
    )
    def get(self, request):
        if (response := self.not_modified(request)) is not None:
            return response
        rows = list(collections())
        return Response(CollectionSerializer(rows, many=True, context={"request": request}).data)


class CollectionDetailView(CatalogueReadView):
    @extend_schema(
        operation_id="collections_retrieve",
        summary="Une collection et ses applications publiées, dans l'ordre choisi",
        parameters=[SLUG_PARAMETER],
        responses={200: CollectionDetailSerializer},
        tags=["catalogue"],
    )
    def get(self, request, slug):
        if (response := self.not_modified(request)) is not None:
            return response
        collection = collections().filter(slug=checked_slug(slug)).first()
        if collection is None:
            raise NotFound()
        collection.api_apps = prefetch_summaries(list(collection.live_apps()))
        serializer = CollectionDetailSerializer(collection, context={"request": request})
        return Response(serializer.data)
