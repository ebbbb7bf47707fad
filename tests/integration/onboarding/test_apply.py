"""Applying (create / join / claim) on the site, the applicant's view of it, and the mails of
the editors' decisions."""

import pytest
from django.core import mail

from onboarding import services
from onboarding.models import Application, Role
from tests.integration.onboarding.conftest import CREATE, client_for, signed_in, snapshot

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]


def test_the_way_in_is_linked_from_home_footer_and_publisher_pages(client, publisher_a):
    home = client.get("/")
    assert 'href="/publier/"' in home.content.decode()
    page = client.get(publisher_a.page.url)
    assert f"/publier/demande/rejoindre/?editeur={publisher_a.pk}" in page.content.decode()
    landing = client.get("/publier/")
    assert landing.status_code == 200
    assert "/compte/inscription/?next=/publier/demande/" in landing.content.decode()


def test_signed_out_the_form_sends_to_sign_in(client):
    response = client.get("/publier/demande/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/?next=/publier/demande/")
    before = snapshot()
    assert client.post("/publier/demande/", CREATE).status_code == 302
    assert snapshot() == before


def test_apply_to_create_then_see_it_in_the_account(applicant):
    client = signed_in(applicant)
    response = client.post("/publier/demande/", CREATE)
    assert response.status_code == 302
    assert response["Location"] == "/compte/demandes-editeur/"
    application = Application.objects.get()
    assert application.kind == "create"
    assert application.status == "pending"
    assert application.identifier == "732829320"
    assert application.siren == "732829320"
    assert application.identifier_valid and application.domain_matches

    page = client.get("/compte/demandes-editeur/")
    body = page.content.decode()
    assert "Emploi Facile" in body
    assert "En attente" in body


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"identifier": "12345"}, "identifier", "9 chiffres"),
        ({"identifier": "732829321"}, "identifier", "clé de contrôle"),
        ({"contact_email": "amina@gmail.com"}, "justification", "domaine"),
        ({"name": "   "}, "name", "requis"),
        ({"website": "javascript:alert(1)"}, "website", ""),
    ],
)
def test_invalid_fields_are_shown_and_nothing_is_saved(applicant, change, field, message):
    before = snapshot()
    response = signed_in(applicant).post("/publier/demande/", {**CREATE, **change})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert snapshot() == before


def test_an_address_off_the_domain_passes_with_a_justification(applicant):
    data = {**CREATE, "contact_email": "amina@gmail.com", "justification": "Gérante, sans domaine."}
    assert signed_in(applicant).post("/publier/demande/", data).status_code == 302
    assert Application.objects.get().domain_matches is False


def test_user_text_is_escaped(applicant):
    data = {**CREATE, "name": "<script>alert(1)</script>"}
    signed_in(applicant).post("/publier/demande/", data)
    body = signed_in(applicant).get("/compte/demandes-editeur/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_join_and_claim(applicant, publisher_a):
    client = signed_in(applicant)
    form = client.get(f"/publier/demande/rejoindre/?editeur={publisher_a.pk}")
    assert form.context["form"].initial["publisher"] == publisher_a
    response = client.post(
        "/publier/demande/rejoindre/",
        {"kind": "claim", "publisher": publisher_a.pk, "justification": "Directrice."},
    )
    assert response.status_code == 302
    # A second one for the same publisher while the first waits: refused, with the reason.
    again = client.post(
        "/publier/demande/rejoindre/",
        {"kind": "join", "publisher": publisher_a.pk, "justification": "Encore moi."},
    )
    assert again.status_code == 400
    assert "déjà une demande en attente" in again.content.decode()
    assert Application.objects.count() == 1


def test_claiming_a_publisher_with_an_administrator_is_refused(applicant, publisher_a, admin):
    before = snapshot()
    response = signed_in(applicant).post(
        "/publier/demande/rejoindre/",
        {"kind": "claim", "publisher": publisher_a.pk, "justification": "Directrice."},
    )
    assert response.status_code == 400
    assert "déjà un administrateur" in response.content.decode()
    assert snapshot() == before


def test_a_member_cannot_apply_to_join_again(admin, publisher_a):
    response = signed_in(admin).post(
        "/publier/demande/rejoindre/",
        {"kind": "join", "publisher": publisher_a.pk, "justification": "x"},
    )
    assert response.status_code == 400


def test_withdraw(applicant, application):
    client = signed_in(applicant)
    response = client.post(f"/compte/demandes-editeur/{application.pk}/retirer/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"
    # Once decided, it stays as it is.
    client.post(f"/compte/demandes-editeur/{application.pk}/retirer/")
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_approval_creates_the_publisher_and_its_first_administrator(
    applicant, application, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(application, editor)
    application.refresh_from_db()
    publisher = application.publisher
    assert application.status == "approved"
    assert publisher.name == "Emploi Facile"
    assert publisher.group is not None
    assert publisher.page is not None  # its space: the PublisherPage
    assert publisher.members.filter(pk=applicant.pk).exists()
    assert publisher.roles.get(user=applicant).role == Role.ADMIN
    assert publisher.verified is False  # a separate decision
    assert mail.outbox[-1].to == ["amina@emploi-facile.fr"]
    assert "acceptée" in mail.outbox[-1].subject


def test_refusal_shows_the_reason_to_the_applicant(
    applicant, application, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse(application, editor, "SIREN d'une autre entreprise.")
    body = signed_in(applicant).get("/compte/demandes-editeur/").content.decode()
    assert "Refusée" in body
    assert "SIREN d&#x27;une autre entreprise." in body
    assert "SIREN d'une autre entreprise." in mail.outbox[-1].body
    with pytest.raises(services.OnboardingError):
        services.approve(application, editor)


def test_approving_a_claim_makes_the_claimant_administrator(applicant, publisher_a, editor):
    claim = services.apply(
        applicant, kind="claim", publisher=publisher_a, justification="Directrice."
    )
    services.approve(claim, editor)
    assert publisher_a.roles.get(user=applicant).role == Role.ADMIN


def test_approving_a_join_makes_a_member(applicant, publisher_a, admin, editor):
    join = services.apply(applicant, kind="join", publisher=publisher_a, justification="RH.")
    services.approve(join, editor)
    assert publisher_a.members.filter(pk=applicant.pk).exists()
    assert not publisher_a.roles.filter(user=applicant).exists()


# --- Who may do what -------------------------------------------------------------------------

EVERYONE = ["applicant", "admin", "member", "other_member", "editor", "superuser"]


@pytest.mark.parametrize("actor", ["anonymous", *EVERYONE])
def test_the_way_in_is_open_to_all(request, actor, admin, member, other_member, superuser):
    assert client_for(actor, request).get("/publier/").status_code == 200


@pytest.mark.parametrize("actor", ["anonymous", *EVERYONE])
def test_only_the_applicant_sees_and_withdraws_the_application(
    request, actor, application, admin, member, other_member, superuser
):
    client = client_for(actor, request)
    before = snapshot()
    page = client.get("/compte/demandes-editeur/")
    response = client.post(f"/compte/demandes-editeur/{application.pk}/retirer/")
    if actor == "applicant":
        assert "Emploi Facile" in page.content.decode()
        assert response.status_code == 302
        assert Application.objects.get().status == "withdrawn"
        return
    if actor == "anonymous":
        assert page.status_code == 302 and response.status_code == 302
        assert response["Location"].startswith("/compte/connexion/")
    else:
        assert page.status_code == 200
        assert "Emploi Facile" not in page.content.decode()
        assert response.status_code == 404  # someone else's: as if it did not exist
    assert snapshot() == before
