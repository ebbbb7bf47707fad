"""The editors' queue of applications in the Wagtail admin: filters, duplicate warnings,
approve, refuse with a reason, verify apart — editors and superusers only."""

import pytest

from onboarding import services
from onboarding.models import Application, Verification
from tests.factories import PublisherFactory
from tests.integration.onboarding.conftest import CREATE, client_for, signed_in, snapshot

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]

QUEUE = "/admin/demandes-editeurs/"
QUEUE_QUERIES = 16


def test_the_queue_lists_waiting_applications_with_duplicate_warnings(
    editor, applicant, application
):
    PublisherFactory(name="Emploi Facile SAS", slug="emploi-facile-sas")
    PublisherFactory(name="Autre", slug="autre", website="https://emploi-facile.fr/")
    other = services.apply(
        editor, kind="create", **{**CREATE, "name": "Un autre nom", "website": "https://x.fr"}
    )
    client = signed_in(editor)
    response = client.get(QUEUE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Emploi Facile" in body
    assert "Doublon possible" in body
    assert "nom proche" in body
    assert "même domaine" in body
    assert "même SIREN" in body  # the other application has the same SIREN
    assert f'data-application="{other.pk}"' in body


def test_the_queue_has_a_fixed_number_of_queries(editor, applicant, django_assert_num_queries):
    from tests.factories import UserFactory

    def apply(n):
        user = UserFactory(username=f"demandeur{n}")
        services.apply(user, kind="create", **{**CREATE, "name": f"Organisation {n}"})

    apply(0)
    client = signed_in(editor)
    client.get(QUEUE)
    with django_assert_num_queries(QUEUE_QUERIES) as one:
        client.get(QUEUE)
    for n in range(1, 4):
        apply(n)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(QUEUE)
    assert response.content.decode().count("data-application=") == 4


def test_the_queue_filters(editor, applicant, application):
    services.refuse(application, editor, "Non.")
    client = signed_in(editor)
    assert "Emploi Facile" not in client.get(QUEUE).content.decode()  # waiting only
    refused = client.get(QUEUE, {"status": "refused"}).content.decode()
    assert "Emploi Facile" in refused
    assert "Emploi Facile" not in client.get(QUEUE, {"status": "", "kind": "join"}).content.decode()
    assert "Emploi Facile" in client.get(QUEUE, {"status": "", "q": "7328"}).content.decode()
    # Odd filters are ignored, never an error.
    assert client.get(QUEUE, {"status": "<x>", "kind": "'", "q": "%" * 300}).status_code == 200


def test_the_dashboard_counts_the_waiting_applications(editor, application):
    body = signed_in(editor).get("/admin/").content.decode()
    assert "1 demande d&#x27;éditeur en attente" in body or "1 demande d'éditeur en attente" in body


def test_approve_refuse_and_verify_from_the_admin(editor, applicant, application):
    client = signed_in(editor)
    detail = client.get(f"{QUEUE}{application.pk}/")
    assert detail.status_code == 200
    assert "format et clé de contrôle valides" in detail.content.decode()

    assert client.post(f"{QUEUE}{application.pk}/accepter/").status_code == 302
    application.refresh_from_db()
    assert application.status == "approved"
    assert application.decided_by == editor
    publisher = application.publisher
    assert not publisher.verified

    assert client.post(f"{QUEUE}{application.pk}/verifier/", {"note": "Kbis vu"}).status_code == 302
    publisher.refresh_from_db()
    assert publisher.verified
    verification = Verification.objects.get(publisher=publisher)
    assert verification.siren == "732829320"
    assert verification.identifier_valid and verification.domain_matches
    assert verification.domain == "emploi-facile.fr"
    assert verification.verified_by == editor

    client.post(f"{QUEUE}{application.pk}/verifier/", {"verified": "0"})
    publisher.refresh_from_db()
    assert not publisher.verified


def test_refusing_needs_a_reason(editor, application):
    client = signed_in(editor)
    before = snapshot()
    response = client.post(f"{QUEUE}{application.pk}/", {"reason": "  "})
    assert response.status_code == 400
    assert snapshot() == before
    client.post(f"{QUEUE}{application.pk}/", {"reason": "Organisation introuvable."})
    application.refresh_from_db()
    assert application.status == "refused"
    assert application.reason == "Organisation introuvable."


def test_approving_a_name_already_taken_is_refused(editor, application):
    PublisherFactory(name="emploi facile", slug="ef")
    before = snapshot()
    signed_in(editor).post(f"{QUEUE}{application.pk}/accepter/")
    assert snapshot() == before
    assert Application.objects.get().status == "pending"


@pytest.mark.parametrize("actor", ["anonymous", "applicant", "admin", "member", "other_member"])
@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "", None),
        ("get", "{pk}/", None),
        ("post", "{pk}/", {"reason": "Non"}),
        ("post", "{pk}/accepter/", {}),
        ("post", "{pk}/verifier/", {}),
    ],
)
def test_only_editors_reach_the_queue(
    request, actor, method, path, data, application, admin, member, other_member
):
    before = snapshot()
    response = getattr(client_for(actor, request), method)(
        QUEUE + path.format(pk=application.pk), data or {}
    )
    assert response.status_code in (302, 403)
    assert "Emploi Facile" not in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("actor", ["editor", "superuser"])
def test_editors_and_superusers_reach_it(request, actor, application, superuser):
    client = client_for(actor, request)
    assert client.get(QUEUE).status_code == 200
    assert client.post(f"{QUEUE}{application.pk}/accepter/").status_code == 302
    assert Application.objects.get().status == "approved"


def test_an_unknown_or_huge_id_is_a_404(editor):
    client = signed_in(editor)
    assert client.get(f"{QUEUE}{2**70}/").status_code == 404
    assert client.post(f"{QUEUE}999999/accepter/").status_code == 404
