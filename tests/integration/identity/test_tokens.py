"""One API token per device: hashed, named, listed, revocable one by one, expiring when unused."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from identity.models import DeviceToken
from identity.tokens import hash_secret, issue_token
from tests.factories import PASSWORD, UserFactory

TOKEN_URL = "/api/v1/auth/token/"
DEVICES_URL = "/api/v1/me/devices/"
FAVOURITES_URL = "/api/v1/me/favourites/"

pytestmark = pytest.mark.django_db


def sign_in(device_name: str, username: str = "camille") -> str:
    response = APIClient().post(
        TOKEN_URL,
        {"username": username, "password": PASSWORD, "device_name": device_name},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def client_with(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def camille():
    return UserFactory(username="camille")


def test_signing_out_on_the_tablet_keeps_the_phone_signed_in(camille):
    phone, tablet = sign_in("Téléphone"), sign_in("Tablette")
    assert client_with(tablet).delete(TOKEN_URL).status_code == 204

    assert client_with(tablet).get(FAVOURITES_URL).status_code == 401
    assert client_with(phone).get(FAVOURITES_URL).status_code == 200
    assert list(DeviceToken.objects.values_list("name", flat=True)) == ["Téléphone"]


def test_devices_are_listed_and_revoked_one_by_one_through_the_api(camille):
    phone, tablet = sign_in("Téléphone"), sign_in("Tablette")
    listing = client_with(phone).get(DEVICES_URL)
    assert listing.status_code == 200
    body = listing.json()
    assert body["count"] == 2 and {row["name"] for row in body["results"]} == {
        "Téléphone",
        "Tablette",
    }
    assert [row["current"] for row in body["results"] if row["name"] == "Téléphone"] == [True]
    tablet_id = next(row["id"] for row in body["results"] if row["name"] == "Tablette")

    assert client_with(phone).delete(f"{DEVICES_URL}{tablet_id}/").status_code == 204
    assert client_with(tablet).get(FAVOURITES_URL).status_code == 401
    assert client_with(phone).get(FAVOURITES_URL).status_code == 200


def test_nobody_revokes_someone_elses_device(camille):
    UserFactory(username="dominique")
    theirs = sign_in("Ordinateur", username="dominique")
    their_device = DeviceToken.objects.get(user__username="dominique")
    mine = sign_in("Téléphone")

    response = client_with(mine).delete(f"{DEVICES_URL}{their_device.pk}/")
    assert response.status_code == 404
    assert response.json()["type"] == "urn:emploi-store:error:not-found"
    assert client_with(theirs).get(FAVOURITES_URL).status_code == 200
    assert DeviceToken.objects.count() == 2


def test_devices_are_listed_and_revoked_on_the_account_page(client, camille):
    phone = sign_in("Téléphone de Camille")
    client.force_login(camille)
    page = client.get(reverse("identity_account"))
    assert page.status_code == 200
    assert "Téléphone de Camille" in page.content.decode()

    device = DeviceToken.objects.get()
    other = UserFactory(username="dominique")
    their_token, _secret = issue_token(other, "Ordinateur")
    # Someone else's device: nothing happens.
    client.post(reverse("identity_revoke", args=[their_token.pk]))
    assert DeviceToken.objects.filter(pk=their_token.pk).exists()

    response = client.post(reverse("identity_revoke", args=[device.pk]))
    assert response.status_code == 302
    assert client_with(phone).get(FAVOURITES_URL).status_code == 401


def test_the_token_is_stored_hashed_never_in_clear(camille):
    token = sign_in("Téléphone")
    stored = DeviceToken.objects.get()
    assert stored.key_hash == hash_secret(token)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM identity_devicetoken")
        assert token not in repr(cursor.fetchall())


def test_a_token_expires_after_the_set_inactivity(camille, settings):
    settings.API_TOKEN_INACTIVITY_DAYS = 30
    token = sign_in("Téléphone")
    DeviceToken.objects.update(last_used_at=timezone.now() - timedelta(days=31))
    response = client_with(token).get(FAVOURITES_URL)
    assert response.status_code == 401
    assert response.json()["type"] == "urn:emploi-store:error:authentication-failed"
    assert not DeviceToken.objects.exists()


def test_the_last_use_is_written_at_most_once_a_minute(camille, django_assert_num_queries):
    token = sign_in("Téléphone")
    client = client_with(token)
    client.get(DEVICES_URL)
    first = DeviceToken.objects.get().last_used_at
    client.get(DEVICES_URL)
    assert DeviceToken.objects.get().last_used_at == first

    DeviceToken.objects.update(last_used_at=first - timedelta(minutes=2))
    client.get(DEVICES_URL)
    assert DeviceToken.objects.get().last_used_at > first - timedelta(minutes=1)


def test_authentication_costs_one_query(camille, django_assert_num_queries):
    """The token and its user in one query (the list adds its count and its page)."""
    token = sign_in("Téléphone")
    client = client_with(token)
    with django_assert_num_queries(3):
        assert client.get(DEVICES_URL).status_code == 200
    # Once a minute, one UPDATE of the last use on top.
    DeviceToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=2))
    with django_assert_num_queries(4):
        assert client.get(DEVICES_URL).status_code == 200


def test_an_unknown_or_malformed_token_is_a_401_with_nothing_written(camille):
    sign_in("Téléphone")
    before = list(DeviceToken.objects.values_list("pk", "last_used_at"))
    for token in ["nope", "x" * 300, hash_secret("nope")]:
        assert client_with(token).get(FAVOURITES_URL).status_code == 401
    assert list(DeviceToken.objects.values_list("pk", "last_used_at")) == before


def test_existing_authtoken_tokens_keep_working_after_the_migration(camille):
    """identity/migrations/0002 hashes DRF's tokens into device tokens, clear keys deleted."""
    executor = MigrationExecutor(connection)
    executor.migrate([("identity", "0001_devices_and_identities")])
    old_apps = executor.loader.project_state(
        [
            ("identity", "0001_devices_and_identities"),
            ("authtoken", "0004_alter_tokenproxy_options"),
        ]
    ).apps
    old_key = "0123456789abcdef0123456789abcdef01234567"
    old_apps.get_model("authtoken", "Token").objects.create(key=old_key, user_id=camille.pk)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert client_with(old_key).get(FAVOURITES_URL).status_code == 200
    migrated = DeviceToken.objects.get(user=camille)
    assert migrated.key_hash == hash_secret(old_key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone() == (0,)
