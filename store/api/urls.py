"""/api/v1/: each domain app contributes its routes from its own api/urls.py."""

from django.urls import include, path, re_path

from web.problems import NOT_FOUND_URL_NAME, not_found

app_name = "api"

urlpatterns = [
    path("", include("search.api.urls")),
    path("", include("catalogue.api.urls")),
    path("", include("store.api.account_urls")),
    path("", include("reviews.api.urls")),
    path("", include("selections.api.urls")),
    path("", include("onboarding.api.urls")),
    path("", include("catalogue.stats.api.urls")),
    path("", include("identity.api.urls")),
    # Last: anything under /api/v1/ that matched no route is a JSON 404, never Wagtail's page.
    re_path(r"^(?P<rest>.*)$", not_found, name=NOT_FOUND_URL_NAME),
]
