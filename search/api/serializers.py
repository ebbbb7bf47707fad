"""What /api/v1/apps/ and /api/v1/suggest/ answer, besides the catalogue's app summaries."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalogue import renditions
from catalogue.api.serializers import AppSummarySerializer, api_url, rendition_url
from web.pagination import PageSerializer


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="À passer tel quel dans le paramètre du même nom.")
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="Applications, avec les autres filtres.")
    selected = serializers.BooleanField()


class FacetsSerializer(serializers.Serializer):
    """One list per filter parameter of /api/v1/apps/, under the parameter's name."""

    category = FacetValueSerializer(many=True)
    platform = FacetValueSerializer(many=True)
    audience = FacetValueSerializer(many=True)
    pricing = FacetValueSerializer(many=True)
    publisher = FacetValueSerializer(many=True)
    language = FacetValueSerializer(many=True)
    accessibility = FacetValueSerializer(many=True)
    min_rating = FacetValueSerializer(many=True)
    verified = FacetValueSerializer(many=True)
    licence = FacetValueSerializer(many=True)


class AppSearchSerializer(PageSerializer):
    results = AppSummarySerializer(many=True)
    facets = FacetsSerializer()


class SuggestionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(source="localized_title")
    icon = serializers.SerializerMethodField(help_text="Icône 128×128 (URL), ou null.")
    url = serializers.SerializerMethodField(help_text="L'application dans l'API.")

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_icon(self, app) -> str | None:
        return rendition_url(self.context["request"], app.icon, renditions.API_ICON)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, app) -> str:
        return api_url(self.context["request"], "app-detail", slug=app.slug)
