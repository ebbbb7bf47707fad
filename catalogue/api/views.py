"""The read side of /api/v1/ that the catalogue owns: an app's detail, categories,
publishers and collections (the apps list and suggestions are search's: search.api).

- Every GET is conditional (``catalogue.api.caching``): a client whose copy is current gets
  a 304 before any query runs, and anonymous answers may be kept by shared caches.
- The lists and the detail issue a fixed number of queries whatever the page size and however
  many listings, screenshots or categories an app has: each view prefetches what its
  serializer reads (renditions included, once they exist).
- Only live, public apps are shown; a draft or unpublished app is a 404.
"""

from django.db.models import Count, Prefetch, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from catalogue import renditions
from catalogue.api.caching import CatalogueReadView
from catalogue.api.serializers import (
    AppDetailSerializer,
    CollectionDetailSerializer,
    CollectionSerializer,
    PublisherPageSerializer,
    PublisherSerializer,
    UniverseSerializer,
    filtered_apps_url,
    prefetch_summaries,
)
from catalogue.labels import localized_name
from catalogue.models import (
    AppPage,
    AppRelease,
    AppScreenshot,
    Category,
    Collection,
    CollectionItem,
    Publisher,
)
from web.pagination import PageQuerySerializer, paginate

# --- Querysets -----------------------------------------------------------------------------


def app_details():
    screenshots = (
        AppScreenshot.objects.order_by("sort_order", "pk")
        .select_related("image")
        .prefetch_related(renditions.renditions_of("image", renditions.API_SCREENSHOT))
    )
    collection_items = CollectionItem.objects.select_related("collection").order_by(
        "collection__sort_order", "collection__name", "collection__pk"
    )
    return (
        AppPage.objects.visible()
        .for_listing()
        .prefetch_related(
            "audiences",
            "languages",
            renditions.renditions_of("icon", renditions.API_ICON),
            Prefetch("screenshots", queryset=screenshots),
            Prefetch("collection_items", queryset=collection_items),
            Prefetch("releases", queryset=AppRelease.objects.order_by("sort_order", "pk")),
        )
    )


def publishers():
    return (
        Publisher.objects.annotate(
            app_count=Count("apps", filter=Q(apps__in=AppPage.objects.visible()), distinct=True)
        )
        .select_related("logo", "page")
        .prefetch_related(renditions.renditions_of("logo", renditions.API_LOGO))
        .order_by("name", "pk")
    )


def collections():
    visible = AppPage.objects.visible()
    return Collection.objects.annotate(
        app_count=Count("items", filter=Q(items__app__in=visible), distinct=True)
    ).order_by("sort_order", "name", "pk")


def checked_slug(slug: str) -> str:
    """A slug the database can compare (PostgreSQL refuses NUL characters), or a 404."""
    if "\x00" in slug:
        raise NotFound()
    return slug


SLUG_PARAMETER = OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)


# --- Apps ---------------------------------------------------------------------------------


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
        visible = AppPage.objects.visible()
        per_category = Category.objects.app_counts(visible)
        per_universe = Category.objects.universe_counts(visible)
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
            "name": localized_name(category),
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
        rows, envelope = paginate(
            request, publishers(), query.validated_data["page"], query.validated_data["page_size"]
        )
        context = {"request": request}
        return Response(
            {**envelope, "results": PublisherSerializer(rows, many=True, context=context).data}
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
