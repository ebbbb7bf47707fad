"""Linked identities and devices in « Mon compte »: the page (queries pinned), the export, the
deletion of the account."""

import json

import pytest
from django.urls import reverse

from identity.models import DeviceToken, LinkedIdentity
from identity.services import suggested_siret
from identity.tokens import issue_token
from store import personal_data
from tests.factories import UserFactory
from tests.integration.identity.test_oidc_web import sign_in, signed_in_user

pytestmark = pytest.mark.django_db


def test_the_export_holds_identities_and_devices_never_a_token(client, oidc):
    sign_in(client, oidc)
    user = signed_in_user(client)
    token, secret = issue_token(user, "Téléphone")
    data = personal_data.export(user)
    assert [(i["provider"], i["subject"]) for i in data["linked_identities"]] == [
        ("franceconnect", "camille")
    ]
    assert [device["name"] for device in data["devices"]] == ["Téléphone"]
    dumped = json.dumps(data)
    assert secret not in dumped and token.key_hash not in dumped


def test_a_passwordless_account_is_deleted_with_its_identities_and_devices(client, oidc):
    sign_in(client, oidc)
    user = signed_in_user(client)
    issue_token(user, "Téléphone")
    page = client.get(reverse("account_delete"))
    assert 'name="password"' not in page.content.decode()

    response = client.post(reverse("account_delete"), {"reviews": "keep"})
    assert response.status_code == 302
    assert not LinkedIdentity.objects.exists() and not DeviceToken.objects.exists()
    assert not type(user).objects.filter(pk=user.pk).exists()


def test_the_account_page_costs_the_same_whatever_the_number_of_rows(
    client, django_assert_num_queries
):
    user = UserFactory(username="camille")
    client.force_login(user)
    client.get(reverse("identity_account"))  # the site's caches (menus, legal pages) warm
    for rows in (1, 3):
        for number in range(rows):
            issue_token(user, f"Appareil {rows}-{number}")
            LinkedIdentity.objects.create(
                user=user, provider="proconnect", subject=f"s{rows}-{number}"
            )
        # The page's own two (identities, devices) on top of the session, the user and the
        # header's two permission checks; the menus and legal pages come from the cache.
        with django_assert_num_queries(6):
            page = client.get(reverse("identity_account"))
        assert page.status_code == 200
        assert page.content.decode().count(f"<td>Appareil {rows}-") == rows


def test_suggested_siret_is_the_latest_proconnect_one():
    user = UserFactory()
    assert suggested_siret(user) == ""
    LinkedIdentity.objects.create(user=user, provider="franceconnect", subject="a")
    LinkedIdentity.objects.create(
        user=user, provider="proconnect", subject="b", siret="13002526500013"
    )
    assert suggested_siret(user) == "13002526500013"
