"""/api/v1/: each domain app contributes its routes from its own api/urls.py."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("catalogue.api.urls")),
    path("", include("store.api.account_urls")),
]
