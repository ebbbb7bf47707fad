"""The caller's favourite apps: GET /api/v1/me/favourites/, PUT and DELETE …/{slug}/.

- PUT is idempotent: the first one adds the app (201 would tell a retry from a first call
  apart, the contract asks 204 every time), later ones change nothing.
- DELETE is idempotent too: 204 whether or not the app was a favourite (a retried DELETE
  after a lost response must not fail); 404 for a slug that is neither a live app nor one of
  the caller's favourites (an app unpublished since it was added can still be removed).
- Favourites feed popularity: an effective PUT adds one to AppPage.popularity, an effective
  DELETE takes one off (never below 0), in the same transaction as the row; the search
  follows (``app_counters_changed``: it sorts by popularity).
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
from rest_framework.views import APIView

from catalogue import renditions
from catalogue.models import AppPage, Favourite
from catalogue.services import add_favourite, remove_favourite
from web.pagination import PageQuerySerializer, PageSerializer, paginate
from web.problems import ErrorSerializer

AUTH_ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="Non authentifié."),
    429: OpenApiResponse(ErrorSerializer, description="Trop de requêtes (voir Retry-After)."),
}
SLUG_PARAMETER = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="Identifiant de l'application."
)


def checked_slug(slug: str) -> str:
    """A slug the database can compare (PostgreSQL refuses NUL characters): else a 404."""
    if "\x00" in slug:
        raise NotFound()
    return slug


class FavouriteSerializer(serializers.Serializer):
    slug = serializers.CharField(source="app.slug")
    name = serializers.CharField(source="app.title")
    tagline = serializers.CharField(source="app.tagline")
    icon = serializers.SerializerMethodField(help_text="Icône 128×128 (URL), ou null.")
    url = serializers.SerializerMethodField(help_text="L'application dans l'API (URL).")
    added_at = serializers.DateTimeField(source="created_at")

    def get_icon(self, favourite) -> str | None:
        rendition = renditions.rendition_or_none(favourite.app.icon, renditions.API_ICON)
        if rendition is None:
            return None
        return self.context["request"].build_absolute_uri(rendition.url)

    def get_url(self, favourite) -> str:
        return app_api_url(self.context["request"], favourite.app.slug)


class FavouritePageSerializer(PageSerializer):
    """The pagination envelope, as on /api/v1/apps/ (for the schema)."""

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
        favourites = (
            Favourite.objects.filter(user=request.user, app__in=AppPage.objects.visible())
            .select_related("app")
            .prefetch_related(
                Prefetch("app__icon", queryset=renditions.images_with(renditions.API_ICON))
            )
            .order_by("-created_at", "-pk")
        )
        rows, envelope = paginate(
            request, favourites, query.validated_data["page"], query.validated_data["page_size"]
        )
        data = FavouriteSerializer(rows, many=True, context={"request": request}).data
        response = Response({**envelope, "results": data})
        # One user's list, changed by their own requests: never kept by a cache.
        add_never_cache_headers(response)
        return response


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
        app = get_object_or_404(AppPage.objects.visible().only("pk"), slug=slug)
        # Already a favourite (or added concurrently by another request): nothing more to do.
        add_favourite(request.user, app)
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
            get_object_or_404(AppPage.objects.visible().only("pk"), slug=slug)
        else:
            remove_favourite(request.user, app_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
