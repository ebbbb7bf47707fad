"""The error pages: DSFR, French or English, and rendered without the database or the cache."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory, override_settings
from django.utils import translation
from django.views import defaults

pytestmark = pytest.mark.django_db

# A cache that raises on any use (nothing listens there, and it does not fail open): a page
# that renders under it reads nothing from the cache.
DEAD_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def assert_dsfr_error_page(content: str, language: str, heading: str, code: str) -> None:
    assert f'<html lang="{language}"' in content
    assert "dsfr/dist/dsfr/dsfr.min.css" in content
    assert f"<h1>{heading}</h1>" in content
    assert code in content
    assert 'href="/"' in content


def test_an_unknown_address_is_a_french_dsfr_404(client):
    response = client.get("/applications/nulle-part/")

    assert response.status_code == 404
    assert_dsfr_error_page(response.content.decode(), "fr", "Page introuvable", "Erreur 404")


def test_the_404_is_english_for_an_english_visitor(client):
    response = client.get("/nulle-part/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert_dsfr_error_page(response.content.decode(), "en", "Page not found", "Error 404")


def test_the_api_keeps_its_json_404(client):
    response = client.get("/api/v1/nulle-part/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("view", "args", "language", "heading", "code"),
    [
        (defaults.server_error, (), "fr", "Erreur inattendue", "Erreur 500"),
        (defaults.server_error, (), "en", "Unexpected error", "Error 500"),
        (defaults.page_not_found, (Exception(),), "fr", "Page introuvable", "Erreur 404"),
        (defaults.permission_denied, (PermissionDenied(),), "fr", "Accès refusé", "Erreur 403"),
        (defaults.bad_request, (Exception(),), "en", "Bad request", "Error 400"),
    ],
)
def test_error_pages_render_without_the_database_or_the_cache(
    view, args, language, heading, code, django_assert_num_queries
):
    request = RequestFactory().get("/quelque-part/")
    with (
        override_settings(CACHES=DEAD_CACHE),
        translation.override(language),
        django_assert_num_queries(0),
    ):
        response = view(request, *args)

    assert_dsfr_error_page(response.content.decode(), language, heading, code)
