"""Item 5 of issue 13: sign-up tells nobody which addresses have accounts, and an address
must be confirmed (signed, expiring link) before its account reviews or reports."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from rest_framework.test import APIClient

from reviews import services
from reviews.models import Review, ReviewReport
from store import verification
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "Un-mot-de-passe-solide-42"


def sign_up(client, username, email):
    return client.post(
        "/compte/inscription/",
        {
            "username": username,
            "email": email,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )


def link_in(message) -> str:
    return re.search(r"https?://\S+/compte/confirmation/\S+/", message.body).group(0)


def test_sign_up_answers_the_same_whether_the_address_has_an_account(client):
    UserFactory(username="existante", email="deja@example.org")
    taken = sign_up(client, "curieux", "Deja@Example.org")
    free = sign_up(client, "nouvelle", "libre@example.org")

    assert (taken.status_code, taken["Location"]) == (free.status_code, free["Location"])
    assert taken["Location"] == "/compte/inscription/envoyee/"
    # No account for the address already used; nobody signed in either way.
    assert not User.objects.filter(username="curieux").exists()
    assert User.objects.filter(email__iexact="deja@example.org").count() == 1
    assert "_auth_user_id" not in client.session
    # Each address got a mail: the owner learns of the attempt, the newcomer gets its link.
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"deja@example.org", "libre@example.org"}
    assert "/compte/confirmation/" not in by_address["deja@example.org"].body
    assert "/compte/confirmation/" in by_address["libre@example.org"].body


def test_an_unverified_account_signs_in_but_neither_reviews_nor_reports(client, app_a):
    author = UserFactory(username="autrice-verifiee")
    author.date_joined = author.date_joined.replace(year=author.date_joined.year - 1)
    author.save()
    existing = services.submit_review(app_a, author, rating=4, title="Bien", body="Oui.")
    newcomer = UserFactory(username="non-verifie", verified=False)

    assert client.login(username="non-verifie", password=PASSWORD)
    page = client.get(app_a.url)
    assert "Recevoir un nouveau lien" in page.content.decode()

    # The site's forms, posted by hand: refused, with the reason.
    posted = client.post(
        f"/avis/application/{app_a.pk}/", {"rating": 5, "title": "Super", "body": "Génial"}
    )
    reported = client.post(
        f"/avis/{existing.pk}/signaler/", {f"report-{existing.pk}-reason": "spam"}
    )
    assert posted.status_code == 400
    assert "Confirmez d" in posted.content.decode()
    assert reported.status_code == 403
    api = APIClient()
    api.force_authenticate(newcomer)
    review = api.post(
        f"/api/v1/apps/{app_a.slug}/reviews/", {"rating": 1, "body": "Nul"}, format="json"
    )
    report = api.post(f"/api/v1/reviews/{existing.pk}/reports/", {"reason": "spam"}, format="json")

    assert review.status_code == 403
    assert report.status_code == 403
    assert not Review.objects.filter(author=newcomer).exists()
    assert not ReviewReport.objects.filter(reporter=newcomer).exists()


def test_the_signed_link_confirms_the_address_and_nothing_else_does(client, app_a):
    sign_up(client, "nouvelle", "nouvelle@example.org")
    user = User.objects.get(username="nouvelle")
    link = link_in(mail.outbox[-1])
    path = link.split("://", 1)[1].split("/", 1)[1]
    path = "/" + path
    token = path.rstrip("/").rsplit("/", 1)[1]

    # A forged or altered token, another purpose's, an expired one: refused, nothing changes.
    forged = signing.dumps({"u": user.pk, "e": "x", "p": "sign-up"}, salt="autre-sel")
    other_purpose = verification.make_token(user, "email-change")
    for bad in (forged, token[:-2] + "xx", other_purpose):
        assert client.post(f"/compte/confirmation/{bad}/").status_code == 400
    with pytest.raises(verification.LinkError) as expired:
        verification.read_token(token, max_age=-1)
    assert expired.value.reason == "expired"
    assert not verification.is_verified(user)

    # GET only shows the button (a mail scanner confirms nothing); POST confirms.
    assert client.get(path).status_code == 200
    assert not verification.is_verified(user)
    assert client.post(path).status_code == 302
    assert verification.is_verified(user)


def test_a_link_is_worthless_once_the_address_changed(client):
    user = UserFactory(username="changeante", verified=False)
    token = verification.make_token(user)
    user.email = "autre@example.org"
    user.save()
    assert client.post(f"/compte/confirmation/{token}/").status_code == 400
    assert not verification.is_verified(user)


def test_a_verified_account_that_changes_its_address_must_confirm_again():
    user = UserFactory(username="demenage")
    assert verification.is_verified(user)
    user.email = "nouvelle-adresse@example.org"
    user.save()
    assert not verification.is_verified(user)
