"""/api/v1/export/: the catalogue as open data, under the Licence Ouverte / Etalab 2.0.

Whole datasets, not pages of a list: an export is downloaded in one go (a few megabytes for
thousands of apps), so these are the only catalogue GETs without web.pagination's envelope.
They are conditional like every catalogue read (ETag of the catalogue version, 304s) and cost
a fixed number of queries (catalogue.export.export_apps).
"""

from django.http import HttpResponse
from django.templatetags.static import static
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from catalogue import export
from catalogue.api.caching import CatalogueReadView
from catalogue.api.serializers import absolute, page_web_url

# The site's own icon (DSFR's), for an app that has none: a web-application must have one.
DEFAULT_ICON = "dsfr/dist/favicon/android-chrome-192x192.png"
LICENCE_HEADER = f'<{export.LICENCE_URL}>; rel="license"'
DESCRIPTION = (
    "Toutes les applications publiées du catalogue, en français et en anglais, sous "
    f"{export.LICENCE_NAME} ({export.LICENCE_URL}) : réutilisation libre, y compris "
    "commerciale, en citant la source."
)


class ExportListingSerializer(serializers.Serializer):
    platform = serializers.CharField()
    url = serializers.CharField()
    store_id = serializers.CharField(allow_blank=True)
    version = serializers.CharField(allow_blank=True)
    min_os_version = serializers.CharField(allow_blank=True)
    updated_at = serializers.DateTimeField(allow_null=True)


class TranslatedSerializer(serializers.Serializer):
    fr = serializers.CharField()
    en = serializers.CharField(allow_blank=True, help_text="Vide : pas de texte en anglais.")


class ExportAppSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = TranslatedSerializer()
    tagline = TranslatedSerializer()
    description_html = TranslatedSerializer()
    publisher = serializers.DictField(child=serializers.CharField())
    categories = serializers.ListField(child=serializers.CharField())
    audiences = serializers.ListField(child=serializers.CharField())
    pricing = serializers.CharField()
    accessibility = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())
    licence = serializers.CharField(allow_blank=True, help_text="Expression SPDX.")
    licence_kind = serializers.CharField(allow_blank=True, help_text="free, proprietary ou vide.")
    website = serializers.CharField(allow_blank=True)
    listings = ExportListingSerializer(many=True)
    url = serializers.CharField()


class ExportSerializer(serializers.Serializer):
    licence = serializers.CharField()
    licence_url = serializers.URLField()
    count = serializers.IntegerField()
    apps = ExportAppSerializer(many=True)


def rows(request) -> list[dict]:
    return [export.app_row(app, page_web_url(request, app) or "") for app in export.export_apps()]


class ExportView(CatalogueReadView):
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            response["Link"] = LICENCE_HEADER
        return response


class ExportJsonView(ExportView):
    @extend_schema(
        operation_id="export_catalogue_json",
        summary="Le catalogue en données ouvertes (JSON)",
        description=DESCRIPTION,
        responses={200: ExportSerializer},
        tags=["données ouvertes"],
    )
    def get(self, request):
        if (response := self.not_modified(request)) is not None:
            return response
        apps = rows(request)
        return Response(
            {
                "licence": export.LICENCE,
                "licence_url": export.LICENCE_URL,
                "count": len(apps),
                "apps": apps,
            }
        )


class ExportCsvView(ExportView):
    @extend_schema(
        operation_id="export_catalogue_csv",
        summary="Le catalogue en données ouvertes (CSV)",
        description=DESCRIPTION
        + " Une ligne par application, colonnes : "
        + ", ".join(export.CSV_COLUMNS)
        + " ; les listes sont séparées par des espaces.",
        responses={(200, "text/csv"): OpenApiResponse(response=OpenApiTypes.STR)},
        tags=["données ouvertes"],
    )
    def get(self, request):
        if (response := self.not_modified(request)) is not None:
            return response
        response = HttpResponse(export.csv_text(rows(request)), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="emploi-store-catalogue.csv"'
        return response


class ExportAppStreamView(ExportView):
    @extend_schema(
        operation_id="export_catalogue_appstream",
        summary="Le catalogue au format AppStream (catalogue XML)",
        description=DESCRIPTION
        + " Un composant par application (web-application quand elle a une version web, "
        "desktop-application sinon) ; les fiches de chaque plateforme, les catégories et les "
        "publics de l'Emploi Store sont dans <custom> (clés EmploiStore::…), si bien qu'un "
        "autre catalogue qui lit ce fichier comme un flux AppStream retrouve les mêmes "
        "applications.",
        responses={(200, "application/xml"): OpenApiResponse(response=OpenApiTypes.STR)},
        tags=["données ouvertes"],
    )
    def get(self, request):
        if (response := self.not_modified(request)) is not None:
            return response

        def image_url(image):
            return absolute(request, image.file.url) if image and image.file else None

        body = export.appstream_catalog(
            export.export_apps(),
            page_url=lambda app: page_web_url(request, app) or absolute(request, "/"),
            image_url=image_url,
            default_icon=absolute(request, static(DEFAULT_ICON)),
        )
        return HttpResponse(body, content_type="application/xml; charset=utf-8")
