"""The caller's favourite apps: GET /api/v1/me/favourites/, PUT and DELETE …/{slug}/.

- PUT is idempotent: the first one adds the app (201 would tell a retry from a first call
  apart, the contract asks 204 every time), later ones change nothing.
- DELETE is idempotent too: 204 whether or not the app was a favourite (a retried DELETE
  after a lost response must not fail); 404 for a slug that is neither a live app nor one of
  the caller's favourites (an app unpublished since it was added can still be removed).
- Favourites feed popularity: an effective PUT adds one to AppPage.popularity, an effective
  DELETE takes one off (never below 0), in the same transaction as the row, and the app is
  reindexed after the commit (search sorts by popularity).
- The list shows live, public apps only: a favourite whose app was unpublished stays stored
  and comes back if the app is published again.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView
from wagtail.images import get_image_model

from catalogue.models import AppPage, Favourite
from catalogue.services import add_favourite, remove_favourite
from search.indexing import schedule_index
from store.api.errors import ErrorSerializer

ICON_RENDITION = "fill-128x128"
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

AUTH_ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="Non authentifié."),
    429: OpenApiResponse(ErrorSerializer, description="Trop de requêtes (voir Retry-After)."),
}
SLUG_PARAMETER = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="Identifiant de l'application."
)


def live_apps():
    return AppPage.objects.live().public()


def checked_slug(slug: str) -> str:
    """A slug the database can compare (PostgreSQL refuses NUL characters): else a 404."""
    if "\x00" in slug:
        raise NotFound()
    return slug


class PageQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, default=1, required=False)
    page_size = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE, required=False
    )


class FavouriteSerializer(serializers.Serializer):
    slug = serializers.CharField(source="app.slug")
    name = serializers.CharField(source="app.title")
    tagline = serializers.CharField(source="app.tagline")
    icon = serializers.SerializerMethodField(help_text="Icône 128×128 (URL), ou null.")
    url = serializers.SerializerMethodField(help_text="L'application dans l'API (URL).")
    added_at = serializers.DateTimeField(source="created_at")

    def get_icon(self, favourite) -> str | None:
        image = favourite.app.icon
        if image is None:
            return None
        try:
            rendition = image.get_rendition(ICON_RENDITION)
        except OSError:  # the file is missing or unreadable (SourceImageIOError)
            return None
        return self.context["request"].build_absolute_uri(rendition.url)

    def get_url(self, favourite) -> str:
        return app_api_url(self.context["request"], favourite.app.slug)


class FavouritePageSerializer(serializers.Serializer):
    """The pagination envelope, as on /api/v1/apps/ (for the schema)."""

    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = FavouriteSerializer(many=True)


def app_api_url(request, slug: str) -> str:
    try:
        path = reverse("api:app-detail", kwargs={"slug": slug})
    except NoReverseMatch:
        path = f"/api/v1/apps/{slug}/"
    return request.build_absolute_uri(path)


class FavouriteListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_favourites_list",
        summary="Mes applications favorites",
        description="Les plus récemment ajoutées d'abord ; seules les applications publiées.",
        parameters=[PageQuerySerializer],
        responses={
            200: FavouritePageSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Paramètre invalide."),
            **AUTH_ERRORS,
        },
        tags=["me"],
    )
    def get(self, request):
        query = PageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page, page_size = query.validated_data["page"], query.validated_data["page_size"]

        favourites = Favourite.objects.filter(user=request.user, app__in=live_apps())
        count = favourites.count()
        start = (page - 1) * page_size
        rows = []
        if start < count:
            icons = get_image_model().objects.prefetch_renditions(ICON_RENDITION)
            rows = list(
                favourites.select_related("app")
                .prefetch_related(Prefetch("app__icon", queryset=icons))
                .order_by("-created_at", "-pk")[start : start + page_size]
            )
        url = request.build_absolute_uri()
        response = Response(
            {
                "count": count,
                "page": page,
                "page_size": page_size,
                "next": replace_query_param(url, "page", page + 1)
                if start + page_size < count
                else None,
                "previous": _previous_link(url, page, page_size, count),
                "results": FavouriteSerializer(rows, many=True, context={"request": request}).data,
            }
        )
        # One user's list, changed by their own requests: never kept by a cache.
        add_never_cache_headers(response)
        return response


def _previous_link(url: str, page: int, page_size: int, count: int) -> str | None:
    if page <= 1:
        return None
    # Past the end, "previous" leads back to the last page that has results.
    last_page = max(1, -(-count // page_size))
    previous = min(page - 1, last_page)
    if previous == 1:
        return remove_query_param(url, "page")
    return replace_query_param(url, "page", previous)


class FavouriteView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_favourites_add",
        summary="Ajouter une application à mes favoris",
        description="Idempotent : 204 à chaque appel, l'application n'est comptée qu'une fois.",
        parameters=[SLUG_PARAMETER],
        request=None,
        responses={
            204: OpenApiResponse(description="L'application est dans les favoris."),
            404: OpenApiResponse(ErrorSerializer, description="Aucune application publiée."),
            **AUTH_ERRORS,
        },
        tags=["me"],
    )
    def put(self, request, slug):
        slug = checked_slug(slug)
        app = get_object_or_404(live_apps().only("pk"), slug=slug)
        # Already a favourite (or added concurrently by another request): nothing to do.
        if add_favourite(request.user, app):
            schedule_index([app.pk])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        operation_id="me_favourites_remove",
        summary="Retirer une application de mes favoris",
        description="Idempotent : 204 même si l'application n'était pas dans les favoris ; "
        "404 si ce n'est pas une application publiée (ni une favorite de l'appelant).",
        parameters=[SLUG_PARAMETER],
        request=None,
        responses={
            204: OpenApiResponse(description="L'application n'est pas (ou plus) favorite."),
            404: OpenApiResponse(ErrorSerializer, description="Aucune application publiée."),
            **AUTH_ERRORS,
        },
        tags=["me"],
    )
    def delete(self, request, slug):
        slug = checked_slug(slug)
        # A favourite whose app was unpublished since can still be removed.
        app_id = (
            Favourite.objects.filter(user=request.user, app__slug=slug)
            .values_list("app_id", flat=True)
            .first()
        )
        if app_id is None:
            get_object_or_404(live_apps().only("pk"), slug=slug)
        elif remove_favourite(request.user, app_id):
            schedule_index([app_id])
        return Response(status=status.HTTP_204_NO_CONTENT)
