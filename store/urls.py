from django.conf import settings
from django.urls import include, path, re_path
from django.views.i18n import set_language
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from identity import views as identity_views
from search import views as search_views
from store import accounts, my_account, views
from store.sitemaps import SITEMAPS
from web.csp import csp_report
from web.problems import NOT_FOUND_URL_NAME, not_found

urlpatterns = [
    # Wagtail's sign-in and password reset, throttled like the site's (before Wagtail's).
    *accounts.admin_urlpatterns,
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", views.healthz, name="healthz"),
    path("csp-report/", csp_report, name="csp_report"),
    path("readyz", views.readyz, name="readyz"),
    # Browse and search (state in the URL); /recherche/ was its first address.
    path("apps/", search_views.search, name="search"),
    path("apps/<slug:slug>/", views.app_by_slug, name="app_by_slug"),
    path("recherche/", search_views.legacy_search, name="search_legacy"),
    path("collections/<slug:slug>/", views.collection, name="collection"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/v1/", include("store.api.urls", namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    # Anything else under /api/ is a JSON 404, never Wagtail's HTML page.
    re_path(r"^api/", not_found, name=NOT_FOUND_URL_NAME),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include(accounts.urlpatterns)),
    path("", include(identity_views.urlpatterns)),
    path("", include(my_account.urlpatterns)),
    path("", include("reviews.urls")),
    path("", include("selections.urls")),
    path("", include("onboarding.urls")),
    path("", include("catalogue.sync.urls")),
    path("", include("catalogue.stats.urls")),
    path("", include("catalogue.notifications.urls")),
    path("", include("catalogue.urls")),
]

if settings.DEBUG:
    # Development only: production serves static files with WhiteNoise, media elsewhere.
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every page not caught above; keep it last.
urlpatterns += [path("", include(wagtail_urls))]
