"""A mobile app's OpenID sign-in: POST /api/v1/auth/oidc/ trades the code it obtained with
PKCE for a store API token, against the real test provider."""

import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from rest_framework.test import APIClient

from identity import oidc as relying_party
from identity.models import DeviceToken, LinkedIdentity
from tests.factories import UserFactory
from tests.integration.identity.conftest import counts
from tests.oidc.provider import CLIENTS, MOBILE_REDIRECT_URI

URL = "/api/v1/auth/oidc/"
pytestmark = pytest.mark.django_db


def app_sign_in(oidc, provider="franceconnect", login="camille") -> dict:
    """What the app does on its own: authorize with PKCE, state and nonce; the provider answers
    on the app's redirect URI. Returns the body the app posts to the store."""
    verifier, nonce, state = (secrets.token_urlsafe(48) for _ in range(3))
    endpoint = relying_party.discovery(relying_party.get_provider(provider))
    query = {
        "response_type": "code",
        "client_id": CLIENTS[provider]["client_id"],
        "redirect_uri": MOBILE_REDIRECT_URI,
        "scope": CLIENTS[provider]["scope"],
        "state": state,
        "nonce": nonce,
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    back = oidc.sign_in(f"{endpoint['authorization_endpoint']}?{urlencode(query)}", login)
    answer = parse_qs(urlsplit(back).query)
    assert back.startswith(MOBILE_REDIRECT_URI) and answer["state"] == [state]
    return {
        "provider": provider,
        "code": answer["code"][0],
        "code_verifier": verifier,
        "redirect_uri": MOBILE_REDIRECT_URI,
        "nonce": nonce,
        "device_name": "Téléphone de Camille",
    }


def exchange(body):
    return APIClient().post(URL, body, format="json")


def test_the_code_becomes_a_token_for_this_device(oidc):
    response = exchange(app_sign_in(oidc))
    assert response.status_code == 200, response.content
    body = response.json()
    device = DeviceToken.objects.get(pk=body["device_id"])
    assert device.name == body["device_name"] == "Téléphone de Camille"
    assert LinkedIdentity.objects.get().user == device.user
    assert not device.user.has_usable_password()

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert client.get("/api/v1/me/devices/").json()["count"] == 1
    # Signing out revokes this token only.
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert client.get("/api/v1/me/devices/").status_code == 401


def test_a_second_device_gets_its_own_token_on_the_same_account(oidc):
    first = exchange(app_sign_in(oidc)).json()
    second = exchange({**app_sign_in(oidc), "device_name": "Tablette"}).json()
    assert first["token"] != second["token"]
    assert DeviceToken.objects.count() == 2 and LinkedIdentity.objects.count() == 1


def test_proconnect_through_the_api(oidc):
    response = exchange(app_sign_in(oidc, provider="proconnect", login="alex"))
    assert response.status_code == 200
    assert LinkedIdentity.objects.get().siret == "13002526500013"


def test_a_replayed_code_is_refused_with_nothing_created(oidc):
    body = app_sign_in(oidc)
    assert exchange(body).status_code == 200
    before = counts()
    replay = exchange({**body, "device_name": "Volé"})
    assert replay.status_code == 400
    assert replay.json()["errors"]["code"]
    assert counts() == before


@pytest.mark.parametrize(
    "change",
    [
        {"nonce": "not-the-nonce-of-the-request"},
        {"code_verifier": secrets.token_urlsafe(48)},
    ],
    ids=["wrong nonce", "wrong PKCE verifier"],
)
def test_a_mismatch_with_the_request_is_refused(oidc, change):
    body = app_sign_in(oidc)
    before = counts()
    response = exchange({**body, **change})
    assert response.status_code == 400 and response.json()["errors"]["code"]
    assert counts() == before


@pytest.mark.parametrize("mode", ["aud", "exp", "signature", "unknown_key"])
def test_a_forged_id_token_is_refused(oidc, mode):
    body = app_sign_in(oidc)
    oidc.tamper("franceconnect", mode)
    before = counts()
    assert exchange(body).status_code == 400
    assert counts() == before


def test_an_email_of_an_existing_account_is_a_409_never_a_silent_link(oidc):
    UserFactory(username="camille-m", email="camille.martin@example.org")
    before = counts()
    response = exchange(app_sign_in(oidc))
    assert response.status_code == 409
    assert response.json()["type"] == "urn:emploi-store:error:conflict"
    assert counts() == before


def test_each_field_says_what_is_wrong(oidc):
    response = exchange({"provider": "google", "code_verifier": "short"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"provider", "code", "code_verifier", "redirect_uri", "nonce"}


def test_a_redirect_uri_that_is_not_the_apps_is_refused(oidc):
    body = app_sign_in(oidc)
    before = counts()
    response = exchange({**body, "redirect_uri": "https://evil.example/retour"})
    assert response.status_code == 400 and "redirect_uri" in response.json()["errors"]
    assert counts() == before


def test_an_unconfigured_provider_is_refused(oidc, settings):
    body = app_sign_in(oidc)
    settings.OIDC_PROVIDERS = {}
    response = exchange(body)
    assert response.status_code == 400 and "provider" in response.json()["errors"]


def test_the_operation_is_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/auth/oidc/"]["post"]
    assert operation["operationId"] == "auth_oidc_create"
    assert {"200", "400", "409"} <= set(operation["responses"])


def test_an_account_without_password_is_deleted_through_the_api(oidc):
    token = exchange(app_sign_in(oidc)).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.delete("/api/v1/me/", {"reviews": "keep"}, format="json").status_code == 204
    assert counts() == (0, 0, 0)
