"""A person's applications, roles and invitations in their data export, and what their
account's deletion does to them."""

import pytest
from django.contrib.auth import get_user_model

from onboarding import services
from onboarding.models import Application, Invitation, PublisherRole, Role
from store import personal_data
from tests.integration.onboarding.conftest import CREATE

pytestmark = pytest.mark.django_db


def test_the_export_and_the_deletion(applicant, application, publisher_a, admin):
    to_them = services.invite(publisher_a, applicant.email.upper(), Role.MEMBER, admin)
    services.join(publisher_a, applicant, Role.ADMIN)
    sent = services.invite(publisher_a, "lea@example.org", Role.MEMBER, applicant)

    data = personal_data.export(applicant)
    assert data["publisher_applications"][0]["name"] == CREATE["name"]
    assert data["publisher_applications"][0]["identifier"] == "732829320"
    assert data["publisher_roles"] == [
        {
            "publisher": publisher_a.name,
            "role": "admin",
            "since": data["publisher_roles"][0]["since"],
        }
    ]
    assert data["publisher_invitations_sent"][0]["email"] == "lea@example.org"

    personal_data.delete_account(applicant, keep_reviews=False, notify=False)

    assert not get_user_model().objects.filter(username="amina").exists()
    assert not Application.objects.exists()
    assert not PublisherRole.objects.filter(user_id=applicant.pk).exists()
    sent.refresh_from_db()
    assert sent.invited_by is None and sent.revoked_at is None  # the colleague may still join
    to_them.refresh_from_db()
    assert to_them.revoked_at is not None  # nobody else may take the deleted person's place
    assert Invitation.objects.count() == 2
