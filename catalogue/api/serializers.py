"""What /api/v1/ shows of the catalogue: apps (summary and detail), categories, publishers,
collections.

Serializers read what the views prefetched (``catalogue.api.views``, and search.api for the
apps list): none of them queries the database per object. URLs are absolute, for the
request's host; images are renditions (catalogue.renditions: ``API_ICON``, screenshots
``API_SCREENSHOT`` sized for phones, logos ``API_LOGO``). A rendition that does not exist yet
is made on first use.
"""

from urllib.parse import urlencode

import nh3
from django.db.models import prefetch_related_objects
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.rich_text import expand_db_html

from catalogue import renditions
from catalogue.models import AppListing, AppPage, Publisher
from web.pagination import PageSerializer

# What a description may hold once sanitised: the editor's features (h2, h3, bold, italic,
# lists, links) and paragraphs. Links keep their href only; relative ones become absolute.
DESCRIPTION_TAGS = {"p", "br", "h2", "h3", "b", "strong", "i", "em", "ol", "ul", "li", "a"}
DESCRIPTION_ATTRIBUTES = {"a": {"href"}}
DESCRIPTION_URL_SCHEMES = {"http", "https", "mailto", "tel"}
HISTOGRAM_KEYS = ("1", "2", "3", "4", "5")


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def rendition_url(request, image, spec: str) -> str | None:
    rendition = renditions.rendition_or_none(image, spec)
    return absolute(request, rendition.url) if rendition is not None else None


def page_web_url(request, page) -> str | None:
    """The page on the store, absolute; None if it is not routable."""
    parts = page.get_url_parts(request=getattr(request, "_request", request))
    if parts is None or parts[2] is None:
        return None
    path = parts[2]
    return absolute(request, path)


def api_url(request, name: str, **kwargs) -> str:
    return absolute(request, reverse(f"api:{name}", kwargs=kwargs))


def sanitised_html(request, rich_text: str | None) -> str:
    """Wagtail's rich text as front-end HTML, reduced to an allow-list of tags and attributes."""
    return nh3.clean(
        expand_db_html(rich_text or ""),
        tags=DESCRIPTION_TAGS,
        attributes=DESCRIPTION_ATTRIBUTES,
        url_schemes=DESCRIPTION_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        url_relative=("rewrite_with_base", absolute(request, "/")),
    )


def histogram(value) -> dict[str, int]:
    """{"1": n, …, "5": n}, whatever the stored JSON holds (keys as text or numbers)."""
    counts = {str(key): count for key, count in (value or {}).items()}
    result = {}
    for key in HISTOGRAM_KEYS:
        try:
            result[key] = max(0, int(counts.get(key) or 0))
        except (TypeError, ValueError):
            result[key] = 0
    return result


# --- Apps ----------------------------------------------------------------------------------


class RelatedSlugsField(serializers.ListField):
    """The slugs (or codes) of a many-to-many relation, from its prefetched rows."""

    child = serializers.CharField()

    def __init__(self, key: str = "slug", **kwargs):
        self.key = key
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, manager):
        return [getattr(item, self.key) for item in manager.all()]


class PublisherRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    verified = serializers.BooleanField()


class RatingSerializer(serializers.Serializer):
    average = serializers.FloatField(source="rating_average", help_text="De 0 à 5.")
    count = serializers.IntegerField(source="rating_count", help_text="Nombre d'avis.")


class HistogramSerializer(serializers.Serializer):
    """Number of ratings per star."""

    def to_representation(self, instance):
        return histogram(instance)

    def get_fields(self):
        return {key: serializers.IntegerField() for key in HISTOGRAM_KEYS}


class RatingDetailSerializer(RatingSerializer):
    histogram = HistogramSerializer(source="rating_histogram")


class AppSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    slug = serializers.CharField()
    name = serializers.CharField(
        source="localized_title", help_text="En anglais avec Accept-Language: en, s'il existe."
    )
    tagline = serializers.CharField(source="localized_tagline")
    icon = serializers.SerializerMethodField(help_text="Icône 128×128 (URL), ou null.")
    publisher = PublisherRefSerializer()
    categories = RelatedSlugsField()
    platforms = serializers.ListField(
        child=serializers.CharField(),
        help_text="Parmi : " + ", ".join(AppListing.Platform.values) + ".",
    )
    audiences = RelatedSlugsField()
    pricing = serializers.ChoiceField(choices=AppPage.Pricing.values)
    rating = RatingSerializer(source="*")
    url = serializers.SerializerMethodField(help_text="L'application dans l'API.")
    web_url = serializers.SerializerMethodField(help_text="La page de l'application sur le site.")

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_icon(self, app) -> str | None:
        return rendition_url(self.context["request"], app.icon, renditions.API_ICON)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, app) -> str:
        return api_url(self.context["request"], "app-detail", slug=app.slug)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_web_url(self, app) -> str | None:
        return page_web_url(self.context["request"], app)


def prefetch_summaries(apps: list) -> list:
    """What AppSummarySerializer reads beyond for_listing(): audiences and icon renditions."""
    prefetch_related_objects(
        apps, "audiences", renditions.renditions_of("icon", renditions.API_ICON)
    )
    return apps


class ScreenshotSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    caption = serializers.CharField(allow_blank=True)


class ListingSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=AppListing.Platform.values)
    url = serializers.CharField(help_text="http(s), ou appstream://<id> pour Linux.")
    store_id = serializers.CharField(allow_blank=True)
    version = serializers.CharField(allow_blank=True)
    min_os_version = serializers.CharField(allow_blank=True)
    updated_at = serializers.DateTimeField(allow_null=True)
    anti_features = serializers.ListField(
        child=serializers.CharField(), help_text="Anti-fonctionnalités F-Droid (NonFreeNet…)."
    )


class ReleaseSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=AppListing.Platform.values)
    version = serializers.CharField()
    released_at = serializers.DateTimeField(allow_null=True)
    notes_html = serializers.CharField(source="safe_notes", help_text="HTML nettoyé.")


class StoreRatingSerializer(serializers.Serializer):
    source = serializers.CharField(help_text="Le magasin : app_store…")
    average = serializers.FloatField()
    count = serializers.IntegerField()


class LicenceSerializer(serializers.Serializer):
    expression = serializers.CharField(source="licence", help_text="Expression SPDX.")
    kind = serializers.ChoiceField(
        source="licence_kind", choices=["free", "proprietary"], help_text="Logiciel libre ou non."
    )


class AppDetailSerializer(AppSummarySerializer):
    description_html = serializers.SerializerMethodField(
        help_text="La description, en HTML nettoyé (p, h2, h3, gras, italique, listes, liens)."
    )
    screenshots = serializers.SerializerMethodField()
    listings = ListingSerializer(many=True)
    languages = RelatedSlugsField("code", help_text="Codes ISO 639-1.")
    accessibility = serializers.ChoiceField(choices=AppPage.Accessibility.values)
    rating = RatingDetailSerializer(source="*")
    collections = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(source="first_published_at", allow_null=True)
    updated_at = serializers.DateTimeField(source="last_published_at", allow_null=True)
    website = serializers.CharField(allow_blank=True)
    licence = serializers.SerializerMethodField()
    releases = ReleaseSerializer(many=True, help_text="Les versions, la plus récente d'abord.")
    store_rating = serializers.SerializerMethodField(
        help_text="La note du magasin (App Store…), distincte des avis du catalogue ; ou null."
    )

    def get_description_html(self, app) -> str:
        return sanitised_html(self.context["request"], app.localized_description)

    @extend_schema_field(LicenceSerializer(allow_null=True))
    def get_licence(self, app) -> dict | None:
        return LicenceSerializer(app).data if app.licence else None

    @extend_schema_field(StoreRatingSerializer(allow_null=True))
    def get_store_rating(self, app) -> dict | None:
        rating = app.store_rating
        if not isinstance(rating, dict) or not {"source", "average", "count"} <= set(rating):
            return None
        return StoreRatingSerializer(rating).data

    @extend_schema_field(ScreenshotSerializer(many=True))
    def get_screenshots(self, app) -> list[dict]:
        request = self.context["request"]
        screenshots = []
        for screenshot in app.screenshots.all():
            rendition = renditions.rendition_or_none(screenshot.image, renditions.API_SCREENSHOT)
            if rendition is not None:
                screenshots.append(
                    {
                        "url": absolute(request, rendition.url),
                        "width": rendition.width,
                        "height": rendition.height,
                        "caption": screenshot.caption,
                    }
                )
        return screenshots

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_collections(self, app) -> list[str]:
        return [item.collection.slug for item in app.collection_items.all()]


# --- Categories, publishers, collections ---------------------------------------------------


class SubCategorySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    count = serializers.IntegerField(help_text="Applications publiées de la catégorie.")
    apps_url = serializers.URLField(help_text="Ses applications dans l'API.")


class UniverseSerializer(SubCategorySerializer):
    icon = serializers.CharField(allow_blank=True, help_text="Classe d'icône DSFR.")
    count = serializers.IntegerField(
        help_text="Applications publiées de l'univers ou de ses catégories, chacune une fois."
    )
    children = SubCategorySerializer(many=True)


class PublisherSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Publisher.Kind.values)
    website = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    logo = serializers.SerializerMethodField(help_text="Logo (URL), ou null.")
    verified = serializers.BooleanField()
    app_count = serializers.IntegerField(help_text="Applications publiées.")
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    apps_url = serializers.SerializerMethodField(help_text="Ses applications dans l'API.")

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_logo(self, publisher) -> str | None:
        return rendition_url(self.context["request"], publisher.logo, renditions.API_LOGO)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, publisher) -> str:
        return api_url(self.context["request"], "publisher-detail", slug=publisher.slug)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_web_url(self, publisher) -> str | None:
        page = getattr(publisher, "page", None)
        if page is None or not page.live:
            return None
        return page_web_url(self.context["request"], page)

    @extend_schema_field(OpenApiTypes.URI)
    def get_apps_url(self, publisher) -> str:
        return filtered_apps_url(self.context["request"], "publisher", publisher.slug)


class PublisherPageSerializer(PageSerializer):
    results = PublisherSerializer(many=True)


class CollectionSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    featured = serializers.BooleanField()
    app_count = serializers.IntegerField(help_text="Applications publiées.")
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, collection) -> str:
        return api_url(self.context["request"], "collection-detail", slug=collection.slug)


class CollectionDetailSerializer(CollectionSerializer):
    apps = AppSummarySerializer(many=True, source="api_apps", help_text="Dans l'ordre choisi.")


def filtered_apps_url(request, parameter: str, value: str) -> str:
    return absolute(request, f"{reverse('api:app-list')}?{urlencode({parameter: value})}")
