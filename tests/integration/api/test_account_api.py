"""The account side of /api/v1/ (API token, favourites) and what every API response shares:
the JSON error body, languages, throttling, CORS, the OpenAPI schema and its documentation."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.exceptions import Throttled
from rest_framework.test import APIClient

from catalogue.models import AppPage, Favourite
from identity.models import DeviceToken
from identity.tokens import hash_secret
from tests.factories import PASSWORD, AppPageFactory, ImageFactory, UserFactory, api_token
from web.problems import exception_handler, flatten_errors

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]

TOKEN_URL = "/api/v1/auth/token/"
FAVOURITES_URL = "/api/v1/me/favourites/"
ERROR_KEYS = {"type", "title", "status", "detail", "errors"}
PO_FILE = Path(__file__).resolve().parents[3] / "store/locale/en/LC_MESSAGES/django.po"


def favourite_url(slug):
    return f"{FAVOURITES_URL}{slug}/"


def assert_error(response, status, code, errors=None):
    """The common error body; returns it for further checks."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["type"] == f"urn:emploi-store:error:{code}"
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    if errors is not None:
        assert set(body["errors"]) == set(errors)
    return body


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory(username="camille")


@pytest.fixture
def token(user):
    return api_token(user)


@pytest.fixture
def auth_client(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def reindexed(monkeypatch):
    """The app ids whose reindexing the favourites views scheduled."""
    scheduled = []
    monkeypatch.setattr("search.receivers.schedule_index", lambda ids: scheduled.extend(ids))
    return scheduled


def popularity(app):
    return AppPage.objects.values_list("popularity", flat=True).get(pk=app.pk)


# --- Token ---------------------------------------------------------------------------------


def test_each_sign_in_gets_its_own_token_named_after_its_device(client, user):
    response = client.post(
        TOKEN_URL,
        {"username": "camille", "password": PASSWORD, "device_name": "Téléphone"},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    stored = DeviceToken.objects.get(user=user)
    # Only the hash is stored, never the token.
    assert stored.key_hash == hash_secret(token) and token not in stored.key_hash
    assert stored.name == "Téléphone" and response.json()["device_id"] == stored.pk

    again = client.post(TOKEN_URL, {"username": "camille", "password": PASSWORD}, format="json")
    assert again.json()["token"] != token
    assert again.json()["device_name"] == "Appareil sans nom"
    assert DeviceToken.objects.filter(user=user).count() == 2


def test_a_token_authenticates_the_client(client, user, token):
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(FAVOURITES_URL).status_code == 200


def test_bad_credentials_are_one_answer_whether_the_user_exists_or_not(client, user):
    wrong_password = client.post(
        TOKEN_URL, {"username": "camille", "password": "nope"}, format="json"
    )
    unknown_user = client.post(
        TOKEN_URL, {"username": "nobody", "password": PASSWORD}, format="json"
    )
    body = assert_error(wrong_password, 400, "validation", errors={"non_field_errors"})
    assert body["errors"]["non_field_errors"] == ["Identifiant ou mot de passe incorrect."]
    assert unknown_user.json() == body
    assert not DeviceToken.objects.exists()


def test_an_inactive_user_gets_no_token(client, user):
    user.is_active = False
    user.save()
    response = client.post(TOKEN_URL, {"username": "camille", "password": PASSWORD}, format="json")
    assert_error(response, 400, "validation", errors={"non_field_errors"})


def test_missing_fields_are_named(client):
    body = assert_error(
        client.post(TOKEN_URL, {}, format="json"), 400, "validation", {"username", "password"}
    )
    assert body["errors"]["username"] == ["Champ requis."]
    assert body["detail"] == "Paramètres invalides : username, password."
    assert body["title"] == "Données invalides"


def test_malformed_json_is_a_400(client):
    response = client.generic("POST", TOKEN_URL, '{"username": ', content_type="application/json")
    assert_error(response, 400, "parse-error", errors=set())


def test_an_unsupported_media_type_is_a_415(client):
    response = client.generic("POST", TOKEN_URL, "username=x", content_type="text/plain")
    assert_error(response, 415, "unsupported-media-type", errors=set())


def test_delete_revokes_the_token(auth_client, user, token):
    assert auth_client.delete(TOKEN_URL).status_code == 204
    assert not DeviceToken.objects.filter(user=user).exists()
    # The revoked token no longer authenticates.
    assert_error(auth_client.get(FAVOURITES_URL), 401, "authentication-failed")


def test_delete_without_credentials_is_a_401(client):
    response = client.delete(TOKEN_URL)
    body = assert_error(response, 401, "not-authenticated", errors=set())
    assert body["detail"] == "Informations d'authentification non fournies."
    assert response["WWW-Authenticate"] == "Token"


# --- Favourites ----------------------------------------------------------------------------


def test_put_is_idempotent_and_counts_once_in_popularity(auth_client, user, app_a, reindexed):
    before = popularity(app_a)
    first = auth_client.put(favourite_url(app_a.slug))
    second = auth_client.put(favourite_url(app_a.slug))
    assert (first.status_code, second.status_code) == (204, 204)
    assert first.content == b""
    assert Favourite.objects.filter(user=user, app=app_a).count() == 1
    assert popularity(app_a) == before + 1
    assert reindexed == [app_a.pk]


def test_delete_removes_the_favourite_and_its_popularity(auth_client, user, app_a, reindexed):
    auth_client.put(favourite_url(app_a.slug))
    reindexed.clear()
    assert auth_client.delete(favourite_url(app_a.slug)).status_code == 204
    assert not Favourite.objects.filter(user=user).exists()
    assert popularity(app_a) == 0
    assert reindexed == [app_a.pk]
    # DELETE is idempotent: a retried one changes nothing and still answers 204.
    assert auth_client.delete(favourite_url(app_a.slug)).status_code == 204
    assert popularity(app_a) == 0
    assert reindexed == [app_a.pk]


def test_popularity_never_goes_below_zero(auth_client, user, app_a):
    Favourite.objects.create(user=user, app=app_a)
    assert popularity(app_a) == 0
    assert auth_client.delete(favourite_url(app_a.slug)).status_code == 204
    assert popularity(app_a) == 0


def test_favourites_of_two_users_both_count(auth_client, app_a):
    other = APIClient()
    other.force_authenticate(UserFactory(username="dominique"))
    auth_client.put(favourite_url(app_a.slug))
    other.put(favourite_url(app_a.slug))
    assert popularity(app_a) == 2


def test_unknown_and_draft_apps_are_404(auth_client, publisher_a):
    draft = AppPageFactory(publisher=publisher_a, slug="brouillon", live=False)
    for slug in ("nope", draft.slug):
        assert_error(auth_client.put(favourite_url(slug)), 404, "not-found", errors=set())
        assert_error(auth_client.delete(favourite_url(slug)), 404, "not-found")
    assert not Favourite.objects.exists()


def test_a_favourite_whose_app_was_unpublished_can_still_be_removed(auth_client, app_a):
    auth_client.put(favourite_url(app_a.slug))
    app_a.unpublish()
    assert auth_client.get(FAVOURITES_URL).json()["count"] == 0
    assert auth_client.delete(favourite_url(app_a.slug)).status_code == 204
    assert not Favourite.objects.exists()


def test_the_list_shows_live_favourites_newest_first(auth_client, user, app_a, app_b):
    app_a.icon = ImageFactory()
    app_a.save_revision().publish()
    auth_client.put(favourite_url(app_a.slug))
    auth_client.put(favourite_url(app_b.slug))

    response = auth_client.get(FAVOURITES_URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    body = response.json()
    assert body["count"] == 2
    assert (body["page"], body["page_size"], body["next"], body["previous"]) == (1, 20, None, None)
    newest, oldest = body["results"]
    assert newest["slug"] == "beta-formation"
    assert set(newest) == {"slug", "name", "tagline", "icon", "url", "added_at"}
    assert newest["name"] == "Bêta Formation"
    assert newest["tagline"] == "Toutes les formations financées"
    assert newest["icon"] is None
    assert newest["url"] == "http://testserver/api/v1/apps/beta-formation/"
    assert oldest["slug"] == "alpha-emploi"
    assert re.fullmatch(r"http://testserver/media/images/.+fill-128x128\.\w+", oldest["icon"])
    assert oldest["added_at"] < newest["added_at"]


def test_the_list_is_paginated(auth_client, publisher_a):
    for number in range(3):
        app = AppPageFactory(publisher=publisher_a, slug=f"app-{number}")
        auth_client.put(favourite_url(app.slug))

    first = auth_client.get(FAVOURITES_URL, {"page_size": 2}).json()
    assert [app["slug"] for app in first["results"]] == ["app-2", "app-1"]
    assert first["next"] == "http://testserver/api/v1/me/favourites/?page=2&page_size=2"
    assert first["previous"] is None
    second = auth_client.get(first["next"]).json()
    assert [app["slug"] for app in second["results"]] == ["app-0"]
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/me/favourites/?page_size=2"
    past_the_end = auth_client.get(FAVOURITES_URL, {"page": 9, "page_size": 2}).json()
    assert past_the_end["results"] == []
    assert "page=2" in past_the_end["previous"]


def test_the_list_shows_only_the_callers_favourites(auth_client, app_a):
    other = UserFactory(username="dominique")
    Favourite.objects.create(user=other, app=app_a)
    assert auth_client.get(FAVOURITES_URL).json()["count"] == 0


def test_the_list_query_count_is_constant(auth_client, publisher_a):
    def list_queries():
        auth_client.get(FAVOURITES_URL)  # renditions are made on the first call
        with CaptureQueriesContext(connection) as queries:
            assert auth_client.get(FAVOURITES_URL).status_code == 200
        return len(queries)

    def add_favourite(number):
        app = AppPageFactory(publisher=publisher_a, slug=f"app-{number}", icon=ImageFactory())
        auth_client.put(favourite_url(app.slug))

    add_favourite(0)
    with_one = list_queries()
    for number in range(1, 5):
        add_favourite(number)
    assert list_queries() == with_one
    # Token, count (view restrictions in the same query), favourites with their apps, icons,
    # renditions.
    assert with_one == 5


@pytest.mark.parametrize(
    ("query", "parameter"),
    [({"page": 0}, "page"), ({"page": "x"}, "page"), ({"page_size": 101}, "page_size")],
)
def test_bad_pagination_parameters_are_named(auth_client, query, parameter):
    body = assert_error(auth_client.get(FAVOURITES_URL, query), 400, "validation", {parameter})
    assert parameter in body["detail"]


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", FAVOURITES_URL), ("put", favourite_url("x")), ("delete", favourite_url("x"))],
)
def test_favourites_need_authentication(client, method, url):
    response = getattr(client, method)(url)
    assert_error(response, 401, "not-authenticated", errors=set())
    assert response["WWW-Authenticate"] == "Token"


def test_the_session_authenticates_too(user, app_a):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(FAVOURITES_URL).status_code == 200
    # A write through the session needs the CSRF token, as on the web site.
    assert_error(client.put(favourite_url(app_a.slug)), 403, "permission-denied")


def test_a_method_not_allowed_is_a_405(auth_client):
    response = auth_client.post(favourite_url("x"))
    body = assert_error(response, 405, "method-not-allowed", errors=set())
    assert "POST" in body["detail"]
    assert "PUT" in response["Allow"]


def test_an_unsatisfiable_accept_is_a_406(auth_client):
    response = auth_client.get(FAVOURITES_URL, HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert response.json()["type"] == "urn:emploi-store:error:not-acceptable"


# --- Errors everywhere ---------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post", "put", "delete", "patch"])
@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/nope/", "/api/v1/", "/api/v1/a/b/c"])
def test_unknown_api_paths_are_json_404(client, method, path):
    response = getattr(client, method)(path)
    body = assert_error(response, 404, "not-found", errors=set())
    assert body["detail"] == "Aucune ressource de l'API à cette adresse."


def test_a_get_without_its_final_slash_is_redirected(client):
    response = client.get("/api/v1/me/favourites?page=2")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/me/favourites/?page=2"


def test_an_unexpected_exception_is_a_logged_json_500(auth_client, monkeypatch, caplog):
    def explode(self, request):
        raise RuntimeError("boom")

    monkeypatch.setattr("catalogue.api.favourites.FavouriteListView.get", explode)
    response = auth_client.get(FAVOURITES_URL)
    body = assert_error(response, 500, "server-error", errors=set())
    assert "boom" not in body["detail"]
    assert any(record.exc_info and "boom" in str(record.exc_info[1]) for record in caplog.records)


def test_nested_validation_errors_are_dotted():
    detail = {
        "name": ["Trop long."],
        "listings": [{}, {"url": ["Adresse invalide."]}],
        "non_field_errors": ["Incohérent."],
    }
    assert flatten_errors(detail) == {
        "name": ["Trop long."],
        "listings.1.url": ["Adresse invalide."],
        "non_field_errors": ["Incohérent."],
    }
    assert flatten_errors(["Général."]) == {"non_field_errors": ["Général."]}


def test_a_django_404_message_is_replaced_by_a_translated_one():
    from django.http import Http404

    with translation.override("en"):
        response = exception_handler(Http404("No AppPage matches the given query."), {})
    assert response.data["detail"] == "Not found."


# --- Language --------------------------------------------------------------------------------


def test_errors_are_french_by_default(client):
    response = client.post(TOKEN_URL, {}, format="json")
    body = response.json()
    assert body["errors"]["username"] == ["Champ requis."]
    assert response["Content-Language"] == "fr"
    assert "Accept-Language" in response["Vary"]


def test_errors_are_english_with_accept_language_en(client, user):
    missing = client.post(TOKEN_URL, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    body = missing.json()
    assert missing["Content-Language"] == "en"
    assert "Accept-Language" in missing["Vary"]
    assert body["title"] == "Invalid input"
    assert body["detail"] == "Invalid parameters: username, password."
    assert body["errors"]["username"] == ["This field is required."]

    wrong = client.post(
        TOKEN_URL,
        {"username": "camille", "password": "nope"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9",
    )
    assert wrong.json()["detail"] == "Incorrect username or password."

    anonymous = client.get(FAVOURITES_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert anonymous.json()["title"] == "Authentication required"
    assert anonymous.json()["detail"] == "Authentication credentials were not provided."

    unknown = client.get("/api/v1/nope/", HTTP_ACCEPT_LANGUAGE="en")
    assert unknown.json()["detail"] == "No API resource at this address."


def test_the_english_catalogue_is_compiled_and_complete():
    """Every message of the .po is served in English (the .mo was compiled from it)."""
    text = PO_FILE.read_text()
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', text, flags=re.MULTILINE)
    assert len(pairs) >= 15
    with translation.override("en"):
        for french, english in pairs:
            assert translation.gettext(french) == english


# --- Throttling ------------------------------------------------------------------------------


@pytest.fixture
def tight_rates(settings):
    """Rates of two requests a minute (web.throttles reads them at each request). The cache
    that counts requests is emptied before each test (tests/conftest.py)."""
    rates = {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "anon": "2/minute",
        "user": "2/minute",
        "auth": "2/minute",
    }
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def test_anonymous_clients_beyond_their_rate_get_a_429(client, tight_rates):
    for _ in range(2):
        assert client.get("/api/v1/nope/").status_code == 404
    response = client.post(TOKEN_URL, {}, format="json")
    body = assert_error(response, 429, "throttled", errors=set())
    assert 0 < int(response["Retry-After"]) <= 90  # a sliding window: 1.5 windows at most
    assert body["title"] == "Trop de requêtes"


def test_authenticated_clients_beyond_their_rate_get_a_429(auth_client, tight_rates):
    for _ in range(2):
        assert auth_client.get(FAVOURITES_URL).status_code == 200
    response = auth_client.get(FAVOURITES_URL, HTTP_ACCEPT_LANGUAGE="en")
    body = assert_error(response, 429, "throttled")
    assert body["title"] == "Too many requests"
    assert response["Retry-After"].isdigit()


def test_the_throttled_error_keeps_retry_after():
    response = exception_handler(Throttled(wait=17), {})
    assert response["Retry-After"] == "17"
    assert response.data["status"] == 429


# --- CORS ------------------------------------------------------------------------------------


def test_cors_for_configured_origins_on_the_api_only(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://partenaire.example.org"]
    allowed = client.get(FAVOURITES_URL, HTTP_ORIGIN="https://partenaire.example.org")
    assert allowed["Access-Control-Allow-Origin"] == "https://partenaire.example.org"

    other = client.get(FAVOURITES_URL, HTTP_ORIGIN="https://ailleurs.example.com")
    assert "Access-Control-Allow-Origin" not in other

    outside_the_api = client.get("/healthz", HTTP_ORIGIN="https://partenaire.example.org")
    assert "Access-Control-Allow-Origin" not in outside_the_api

    preflight = client.options(
        favourite_url("x"),
        HTTP_ORIGIN="https://partenaire.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PUT",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "https://partenaire.example.org"
    assert "PUT" in preflight["Access-Control-Allow-Methods"]
    assert "authorization" in preflight["Access-Control-Allow-Headers"]


# --- OpenAPI ---------------------------------------------------------------------------------


def test_the_schema_covers_the_public_api_only(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {TOKEN_URL, FAVOURITES_URL, "/api/v1/me/favourites/{slug}/"} <= paths
    assert all(path.startswith("/api/v1/") for path in paths), paths
    assert not any("/admin/" in path for path in paths)
    put = schema["paths"]["/api/v1/me/favourites/{slug}/"]["put"]
    assert set(put["responses"]) >= {"204", "401", "404", "429", "default"}
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == ERROR_KEYS


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_documentation_renders_from_local_assets(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assets = re.findall(r"""(?:src|href)=["']/static/([^"']+)["']""", html)
    assert assets and all(asset.startswith("drf_spectacular_sidecar/") for asset in assets)
    for asset in assets:
        assert finders.find(asset), f"{asset} is not among the static files"
    if path == "/api/docs/":
        # Swagger UI's split view: its start-up script is a file of its own (no inline script
        # for the Content-Security-Policy to allow), which names the schema.
        assert '<script src="/api/docs/?script="></script>' in html
        html += client.get(path, {"script": ""}).content.decode()
    assert "/api/schema/" in html
    external = re.findall(r"""(?:src|href)=["'](https?:)?//""", html)
    assert not external, "the documentation must not load anything from another site"
    assert "cdn" not in html.lower()


def test_a_503_from_a_view_keeps_its_status_and_gets_its_own_type():
    from rest_framework.exceptions import APIException

    class Unavailable(APIException):
        status_code = 503
        default_detail = "La recherche est indisponible."

    with translation.override("en"):
        response = exception_handler(Unavailable(), {})
    assert response.status_code == 503
    assert response.data["type"] == "urn:emploi-store:error:service-unavailable"
    assert response.data["title"] == "Service temporarily unavailable"
