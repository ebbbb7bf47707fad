from django.conf import settings
from django.urls import include, path, re_path
from django.views.i18n import set_language
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from store import search_views, views
from store.api.errors import NOT_FOUND_URL_NAME, not_found

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", views.healthz, name="healthz"),
    path("recherche/", search_views.search, name="search"),
    path("api/v1/", include("store.api.urls", namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    # Anything else under /api/ is a JSON 404, never Wagtail's HTML page.
    re_path(r"^api/", not_found, name=NOT_FOUND_URL_NAME),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("reviews.urls")),
    path("", include("catalogue.sync.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every page not caught above; keep it last.
urlpatterns += [path("", include(wagtail_urls))]
