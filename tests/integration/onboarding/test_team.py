"""A publisher's team on the site: administrators (and editors) invite by e-mail, change roles,
remove people; invitation links expired, reused, for another address or tampered with are
refused; removing someone ends their rights at once, API tokens included."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from identity.models import DeviceToken
from onboarding import services
from onboarding.invitations import make_token
from onboarding.models import Invitation, Role
from reviews import services as reviews
from tests.factories import PASSWORD, UserFactory, api_token
from tests.integration.onboarding.conftest import client_for, signed_in, snapshot
from tests.integration.reviews.conftest import seasoned_user

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]


def invite(publisher, admin, email="lea@example.org", role=Role.MEMBER, capture=None):
    return services.invite(publisher, email, role, admin)


def link_of(message) -> str:
    return next(line for line in message.body.splitlines() if "/publier/invitation/" in line)


def path_of(url: str) -> str:
    return url[url.index("/publier/") :]


def test_invite_then_the_colleague_signs_up_and_accepts(
    publisher_a, admin, django_capture_on_commit_callbacks
):
    client = signed_in(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/publier/editeurs/{publisher_a.pk}/equipe/inviter/",
            {"email": "lea@example.org", "role": "member"},
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["lea@example.org"]
    path = path_of(link_of(mail.outbox[-1]))

    # Signed out: sign up or in, back here afterwards.
    anonymous = Client()
    page = anonymous.get(path).content.decode()
    assert "/compte/inscription/?next=" in page
    lea = UserFactory(username="lea", email="Lea@Example.org")
    lea_client = signed_in(lea)
    assert "Accepter l'invitation" in lea_client.get(path).content.decode()
    assert lea_client.post(path).status_code == 302
    assert publisher_a.members.filter(pk=lea.pk).exists()
    assert not publisher_a.roles.filter(user=lea).exists()  # a member, not an administrator

    # Used once: the same link now refuses, for her and for anyone.
    before = snapshot()
    assert lea_client.post(path).status_code == 410
    assert Client().get(path).status_code == 410
    assert snapshot() == before


def test_an_expired_link_is_refused(publisher_a, admin):
    invitation = invite(publisher_a, admin)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    lea = UserFactory(username="lea", email="lea@example.org")
    before = snapshot()
    response = signed_in(lea).post(f"/publier/invitation/{make_token(invitation)}/")
    assert response.status_code == 410
    assert "expiré" in response.content.decode()
    assert snapshot() == before


def test_a_link_past_its_signature_age_is_refused(publisher_a, admin, settings):
    invitation = invite(publisher_a, admin)
    token = make_token(invitation)
    settings.ONBOARDING_INVITATION_DAYS = 0  # the signature itself is now too old
    lea = UserFactory(username="lea", email="lea@example.org")
    before = snapshot()
    assert signed_in(lea).post(f"/publier/invitation/{token}/").status_code == 410
    assert snapshot() == before


def test_a_link_for_another_address_is_refused(publisher_a, admin):
    invitation = invite(publisher_a, admin)
    intruder = UserFactory(username="intrus", email="intrus@example.org")
    before = snapshot()
    response = signed_in(intruder).post(f"/publier/invitation/{make_token(invitation)}/")
    assert response.status_code == 403
    assert "autre adresse" in response.content.decode()
    assert snapshot() == before
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "x" + token,
        lambda token: "pas-un-jeton",
        lambda token: "%3Cscript%3E",
    ],
)
def test_a_tampered_link_is_refused(publisher_a, admin, tamper):
    invitation = invite(publisher_a, admin)
    lea = UserFactory(username="lea", email="lea@example.org")
    before = snapshot()
    response = signed_in(lea).post(f"/publier/invitation/{tamper(make_token(invitation))}/")
    assert response.status_code == 404
    assert snapshot() == before


def test_a_token_for_one_invitation_does_not_open_another(publisher_a, publisher_b, admin, editor):
    mine = invite(publisher_a, admin)
    other = services.invite(publisher_b, "autre@example.org", Role.ADMIN, editor)
    token = make_token(mine)
    # Same signature, another id: the signature no longer matches.
    forged = token.replace(str(mine.pk), str(other.pk), 1)
    before = snapshot()
    assert signed_in(UserFactory(email="autre@example.org")).post(
        f"/publier/invitation/{forged}/"
    ).status_code in (404, 403)
    assert snapshot() == before


def test_a_cancelled_invitation_is_refused(publisher_a, admin):
    invitation = invite(publisher_a, admin)
    signed_in(admin).post(
        f"/publier/editeurs/{publisher_a.pk}/invitations/{invitation.pk}/annuler/"
    )
    lea = UserFactory(username="lea", email="lea@example.org")
    before = snapshot()
    assert signed_in(lea).post(f"/publier/invitation/{make_token(invitation)}/").status_code == 410
    assert snapshot() == before


def test_an_invitation_as_administrator(publisher_a, admin):
    invitation = invite(publisher_a, admin, role=Role.ADMIN)
    lea = UserFactory(username="lea", email="lea@example.org")
    signed_in(lea).post(f"/publier/invitation/{make_token(invitation)}/")
    assert publisher_a.roles.get(user=lea).role == Role.ADMIN
    assert signed_in(lea).get(f"/publier/editeurs/{publisher_a.pk}/equipe/").status_code == 200


def test_inviting_a_member_again_or_a_bad_address_shows_the_error(publisher_a, admin, member):
    client = signed_in(admin)
    before = snapshot()
    url = f"/publier/editeurs/{publisher_a.pk}/equipe/inviter/"
    taken = client.post(url, {"email": member.email, "role": "member"})
    assert taken.status_code == 400
    assert "déjà partie" in taken.content.decode()
    assert client.post(url, {"email": "pas une adresse", "role": "member"}).status_code == 400
    assert client.post(url, {"email": "x@y.fr", "role": "roi"}).status_code == 400
    assert snapshot() == before


def test_the_team_page_lists_members_and_roles(
    publisher_a, admin, member, django_assert_num_queries
):
    invite(publisher_a, admin)
    client = signed_in(admin)
    client.get(f"/publier/editeurs/{publisher_a.pk}/equipe/")  # warm the session
    with django_assert_num_queries(14):
        response = client.get(f"/publier/editeurs/{publisher_a.pk}/equipe/")
    body = response.content.decode()
    assert "member-a" in body and "admin-a" in body
    assert "lea@example.org" in body
    assert "/admin/pages/" in body  # who did what: the history of the publisher's pages


def test_roles_and_removal(publisher_a, admin, member):
    client = signed_in(admin)
    base = f"/publier/editeurs/{publisher_a.pk}/equipe/"
    client.post(f"{base}{member.pk}/role/", {"role": "admin"})
    assert publisher_a.roles.get(user=member).role == Role.ADMIN
    client.post(f"{base}{member.pk}/role/", {"role": "member"})
    assert not publisher_a.roles.filter(user=member).exists()
    client.post(f"{base}{member.pk}/retirer/")
    assert not publisher_a.members.filter(pk=member.pk).exists()
    # The last administrator can neither step down nor leave.
    before = snapshot()
    client.post(f"{base}{admin.pk}/role/", {"role": "member"})
    client.post(f"{base}{admin.pk}/retirer/")
    assert snapshot() == before


def test_removal_ends_api_token_rights_at_once(publisher_a, admin, member, app_a):
    review = reviews.submit_review(app_a, seasoned_user(username="auteur"), rating=4, body="Bien.")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(member)}")
    assert api.put(
        f"/api/v1/reviews/{review.pk}/reply/", {"body": "Merci !"}, format="json"
    ).status_code in (
        200,
        201,
    )

    signed_in(admin).post(f"/publier/editeurs/{publisher_a.pk}/equipe/{member.pk}/retirer/")

    response = api.put(f"/api/v1/reviews/{review.pk}/reply/", {"body": "Encore moi"}, format="json")
    assert response.status_code == 403
    assert review.reply.body == "Merci !"
    assert DeviceToken.objects.filter(user=member).exists()  # the account stays; its rights went


# --- Who may do what -------------------------------------------------------------------------

SITE_ACTIONS = [
    ("get", "equipe/", None),
    ("post", "equipe/inviter/", {"email": "pirate@example.org", "role": "admin"}),
    ("post", "equipe/{member}/role/", {"role": "admin"}),
    ("post", "equipe/{member}/retirer/", {}),
    ("post", "invitations/{invitation}/annuler/", {}),
]
REFUSED = {"anonymous": 302, "applicant": 403, "member": 403, "other_member": 403}


@pytest.mark.parametrize("actor", list(REFUSED))
@pytest.mark.parametrize(("method", "path", "data"), SITE_ACTIONS)
def test_team_refusals_change_nothing(
    request, actor, method, path, data, publisher_a, admin, member, other_member, applicant
):
    invitation = invite(publisher_a, admin)
    before = snapshot()
    url = f"/publier/editeurs/{publisher_a.pk}/" + path.format(
        member=member.pk, invitation=invitation.pk
    )
    response = getattr(client_for(actor, request), method)(url, data or {})
    assert response.status_code == REFUSED[actor]
    if actor == "anonymous":
        assert response["Location"].startswith("/compte/connexion/")
    assert "lea@example.org" not in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("actor", ["admin", "editor", "superuser"])
@pytest.mark.parametrize(("method", "path", "data"), SITE_ACTIONS)
def test_administrators_editors_and_superusers_may(
    request, actor, method, path, data, publisher_a, admin, member, editor, superuser
):
    invitation = invite(publisher_a, admin)
    url = f"/publier/editeurs/{publisher_a.pk}/" + path.format(
        member=member.pk, invitation=invitation.pk
    )
    response = getattr(client_for(actor, request), method)(url, data or {})
    assert response.status_code == (200 if method == "get" else 302)
    if method == "post":
        assert snapshot() != {}


def test_unknown_publisher_or_person_is_a_404(admin, publisher_a, other_member):
    client = signed_in(admin)
    assert client.get(f"/publier/editeurs/{2**70}/equipe/").status_code == 404
    assert client.get("/publier/editeurs/999999/equipe/").status_code == 404
    base = f"/publier/editeurs/{publisher_a.pk}/equipe/"
    assert client.post(f"{base}{other_member.pk}/retirer/").status_code == 404
    assert client.post(f"{base}{2**70}/role/", {"role": "admin"}).status_code == 404


def test_the_landing_page_lists_my_publishers(admin, publisher_a):
    body = signed_in(admin).get("/publier/").content.decode()
    assert publisher_a.name in body
    assert f"/publier/editeurs/{publisher_a.pk}/equipe/" in body


def test_sign_in_with_the_password_works(admin):
    assert Client().login(username=admin.username, password=PASSWORD)


def test_the_publisher_space_links_the_guided_form_and_for_administrators_the_team(
    publisher_a, admin, member
):
    team = f"/publier/editeurs/{publisher_a.pk}/equipe/"
    new_app = f"/publier/editeurs/{publisher_a.pk}/applications/nouvelle/"
    admin_home = signed_in(admin).get("/admin/").content.decode()
    assert team in admin_home and new_app in admin_home
    member_home = signed_in(member).get("/admin/").content.decode()
    assert new_app in member_home and team not in member_home
