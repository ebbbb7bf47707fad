"""Onboarding in /api/v1/: a person's applications and a publisher's team."""

import pytest
from rest_framework.test import APIClient

from onboarding import services
from onboarding.models import Application, Invitation, Role
from tests.integration.onboarding.conftest import CREATE, api_client_for, snapshot

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]

APPLICATIONS = "/api/v1/publisher-applications/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_apply_and_list_my_applications(applicant, django_assert_num_queries):
    client = api(applicant)
    response = client.post(APPLICATIONS, {"kind": "create", **CREATE}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending"
    assert body["identifier"] == "732829320"

    with django_assert_num_queries(2):  # the count, the page (with its publishers)
        listing = client.get(APPLICATIONS)
    assert listing.status_code == 200
    assert listing.json()["count"] == 1
    assert listing.json()["results"][0]["name"] == "Emploi Facile"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"identifier": "732829321"}, "identifier"),
        ({"identifier": "abc"}, "identifier"),
        ({"contact_email": "a@gmail.com"}, "justification"),
        ({"name": ""}, "name"),
        ({"kind": "steal"}, "kind"),
        ({"kind": "join", "publisher": 2**70}, "publisher"),
    ],
)
def test_invalid_applications_are_400_per_field(applicant, change, field):
    before = snapshot()
    response = api(applicant).post(
        APPLICATIONS, {"kind": "create", **CREATE, **change}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert snapshot() == before


def test_join_an_unknown_publisher_is_400(applicant):
    response = api(applicant).post(
        APPLICATIONS, {"kind": "join", "publisher": 99999, "justification": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "publisher" in response.json()["errors"]


def test_a_second_pending_request_is_a_409(applicant, publisher_a):
    data = {"kind": "join", "publisher": publisher_a.pk, "justification": "RH"}
    assert api(applicant).post(APPLICATIONS, data, format="json").status_code == 201
    response = api(applicant).post(APPLICATIONS, data, format="json")
    assert response.status_code == 409
    assert response.json()["type"] == "urn:emploi-store:error:conflict"


def test_read_and_withdraw_only_my_own(applicant, application, other_member):
    assert api(applicant).get(f"{APPLICATIONS}{application.pk}/").status_code == 200
    before = snapshot()
    assert api(other_member).get(f"{APPLICATIONS}{application.pk}/").status_code == 404
    assert api(other_member).post(f"{APPLICATIONS}{application.pk}/withdraw/").status_code == 404
    assert APIClient().get(APPLICATIONS).status_code == 401
    assert APIClient().post(APPLICATIONS, {"kind": "create", **CREATE}).status_code == 401
    assert snapshot() == before
    assert api(applicant).post(f"{APPLICATIONS}{application.pk}/withdraw/").status_code == 200
    assert Application.objects.get().status == "withdrawn"
    assert api(applicant).post(f"{APPLICATIONS}{application.pk}/withdraw/").status_code == 409


# --- The team ------------------------------------------------------------------------------

TEAM_ACTIONS = [
    ("get", "/api/v1/publisher-teams/{pk}/", None),
    ("post", "/api/v1/publisher-teams/{pk}/invitations/", {"email": "x@y.fr", "role": "member"}),
    ("patch", "/api/v1/publisher-teams/{pk}/members/{member}/", {"role": "admin"}),
    ("delete", "/api/v1/publisher-teams/{pk}/members/{member}/", None),
    ("delete", "/api/v1/publisher-teams/{pk}/invitations/{invitation}/", None),
]
TEAM_REFUSED = {"anonymous": 401, "applicant": 403, "member": 403, "other_member": 403}


@pytest.mark.parametrize("actor", list(TEAM_REFUSED))
@pytest.mark.parametrize(("method", "path", "data"), TEAM_ACTIONS)
def test_team_refusals_change_nothing(
    request, actor, method, path, data, publisher_a, admin, member, other_member, applicant
):
    invitation = services.invite(publisher_a, "new@example.org", Role.MEMBER, admin)
    before = snapshot()
    url = path.format(pk=publisher_a.pk, member=member.pk, invitation=invitation.pk)
    response = getattr(api_client_for(actor, request), method)(url, data, format="json")
    assert response.status_code == TEAM_REFUSED[actor]
    assert "new@example.org" not in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("actor", ["admin", "editor", "superuser"])
def test_administrators_and_editors_run_the_team(
    request, actor, publisher_a, admin, member, editor, superuser
):
    client = api_client_for(actor, request)
    base = f"/api/v1/publisher-teams/{publisher_a.pk}/"
    team = client.get(base)
    assert team.status_code == 200
    roles = {row["username"]: row["role"] for row in team.json()["members"]}
    assert roles == {"admin-a": "admin", "member-a": "member"}

    invited = client.post(f"{base}invitations/", {"email": "lea@example.org"}, format="json")
    assert invited.status_code == 201
    assert client.get(base).json()["invitations"][0]["email"] == "lea@example.org"
    assert client.delete(f"{base}invitations/{invited.json()['id']}/").status_code == 204
    assert Invitation.objects.get().revoked_at is not None

    assert (
        client.patch(f"{base}members/{member.pk}/", {"role": "admin"}, format="json").status_code
        == 200
    )
    assert (
        client.patch(f"{base}members/{member.pk}/", {"role": "boss"}, format="json").status_code
        == 400
    )
    assert client.delete(f"{base}members/{member.pk}/").status_code == 204
    assert not publisher_a.members.filter(pk=member.pk).exists()


def test_the_last_administrator_stays(publisher_a, admin):
    base = f"/api/v1/publisher-teams/{publisher_a.pk}/"
    before = snapshot()
    assert (
        api(admin)
        .patch(f"{base}members/{admin.pk}/", {"role": "member"}, format="json")
        .status_code
        == 409
    )
    assert api(admin).delete(f"{base}members/{admin.pk}/").status_code == 409
    assert snapshot() == before


def test_unknown_team_or_member_is_a_404(admin, publisher_a, other_member):
    assert api(admin).get(f"/api/v1/publisher-teams/{2**70}/").status_code == 404
    assert api(admin).get("/api/v1/publisher-teams/999999/").status_code == 404
    base = f"/api/v1/publisher-teams/{publisher_a.pk}/members/"
    assert api(admin).delete(f"{base}{other_member.pk}/").status_code == 404
    assert api(admin).patch(f"{base}{2**70}/", {"role": "admin"}, format="json").status_code == 404


def test_accept_an_invitation_through_the_api(publisher_a, admin):
    from onboarding.invitations import make_token
    from tests.factories import UserFactory

    invitation = services.invite(publisher_a, "lea@example.org", Role.MEMBER, admin)
    token = make_token(invitation)
    url = f"/api/v1/publisher-invitations/{token}/accept/"
    before = snapshot()
    assert APIClient().post(url).status_code == 401
    assert api(UserFactory(email="autre@example.org")).post(url).status_code == 403
    assert api(admin).post(f"/api/v1/publisher-invitations/{token}x/accept/").status_code == 404
    assert snapshot() == before

    lea = UserFactory(username="lea", email="lea@example.org")
    response = api(lea).post(url)
    assert response.status_code == 200
    assert response.json() == {"id": publisher_a.pk, "name": publisher_a.name, "role": "member"}
    assert publisher_a.members.filter(pk=lea.pk).exists()
    again = api(lea).post(url)
    assert again.status_code == 409
