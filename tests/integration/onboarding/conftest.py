"""People around one publisher: an applicant, its administrator and a member, a member of
another publisher, an editor, a superuser — and a snapshot of everything onboarding writes."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from catalogue.models import Publisher
from onboarding import services
from onboarding.models import Application, Invitation, PublisherRole, Role, Verification
from tests.factories import PASSWORD, MemberFactory, UserFactory

ACTORS = ["anonymous", "applicant", "admin", "member", "other_member", "editor", "superuser"]

CREATE = {
    "name": "Emploi Facile",
    "publisher_kind": "company",
    "identifier": "732 829 320",
    "website": "https://www.emploi-facile.fr",
    "contact_email": "contact@emploi-facile.fr",
    "justification": "",
    "plans": "Une application de recherche d'emploi pour Android.",
}


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def client_for(actor, request) -> Client:
    if actor == "anonymous":
        return Client()
    return signed_in(request.getfixturevalue(actor))


def api_client_for(actor, request) -> APIClient:
    client = APIClient()
    if actor != "anonymous":
        client.force_authenticate(request.getfixturevalue(actor))
    return client


def snapshot() -> dict:
    """Everything onboarding or a refusal could change."""
    user_model = get_user_model()
    return {
        "applications": sorted(
            Application.objects.values_list("pk", "status", "reason", "publisher_id")
        ),
        "roles": sorted(PublisherRole.objects.values_list("publisher_id", "user_id", "role")),
        "invitations": sorted(
            Invitation.objects.values_list("pk", "email", "role", "accepted_at", "revoked_at")
        ),
        "verifications": sorted(Verification.objects.values_list("publisher_id", "siren")),
        "publishers": sorted(Publisher.objects.values_list("pk", "name", "verified")),
        "memberships": sorted(user_model.groups.through.objects.values_list("user_id", "group_id")),
    }


@pytest.fixture
def applicant(db):
    return UserFactory(username="amina", email="amina@emploi-facile.fr")


@pytest.fixture
def application(applicant):
    return services.apply(applicant, kind=Application.Kind.CREATE, **CREATE)


@pytest.fixture
def admin(publisher_a):
    user = MemberFactory(username="admin-a", publisher=publisher_a)
    services.set_role(publisher_a, user, Role.ADMIN)
    return user


@pytest.fixture
def member(publisher_a, admin):
    return MemberFactory(username="member-a", publisher=publisher_a)


@pytest.fixture
def other_member(publisher_b):
    return MemberFactory(username="member-b", publisher=publisher_b)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)
