"""Publisher members answer the reviews of their apps from the Wagtail admin, and only those."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from catalogue.services import add_member
from reviews import services
from reviews.models import Review, ReviewReply
from tests.admin_forms import assert_permission_denied
from tests.factories import AppPageFactory, MemberFactory
from tests.integration.reviews import (
    ROLES,
    XSS_BODY,
    XSS_ESCAPED,
    XSS_RAW,
    XSS_TITLE,
    assert_login_redirect,
    html,
    last_message,
    login,
    make_people,
    pending,
    published,
)

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]

INDEX = "reviews_publisher:index"


@pytest.fixture
def people(member_a, member_b, editor):
    return make_people(member_a, member_b, editor)


def index_url(**params) -> str:
    url = reverse(INDEX)
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


def reply_url(review) -> str:
    return reverse("reviews_publisher:reply", args=[review.pk])


def delete_url(review) -> str:
    return reverse("reviews_publisher:delete_reply", args=[review.pk])


def shown(response) -> set[int]:
    page = html(response)
    return {review.pk for review in Review.objects.all() if f'id="review-{review.pk}"' in page}


def reply_of(review):
    return ReviewReply.objects.filter(review=review).first()


def assert_refused(role, response):
    """Outsiders: no admin (login), not a member (dashboard), another publisher's review (404)."""
    if role in ("anonymous", "plain"):
        assert_login_redirect(response)
    elif role == "member_b":
        assert response.status_code == 404
    else:
        assert_permission_denied(response)


# --- Who gets in ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_listing_is_for_publisher_members(client, people, app_a, role):
    review = published(app_a, "publie")

    response = login(client, people[role]).get(reverse(INDEX))

    if role in ("anonymous", "plain"):
        assert_login_redirect(response)
    elif role in ("editor", "superuser"):
        # Replies speak for a publisher: people outside every publisher have no such page.
        assert_permission_denied(response)
    else:
        assert response.status_code == 200
        assert (review.pk in shown(response)) is (role == "member_a")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["reply", "delete"])
def test_only_the_apps_publisher_opens_the_reply_pages(client, people, member_a, app_a, role, page):
    review = published(app_a, "publie")
    services.save_reply(review, member_a, "Merci !")
    url = reply_url(review) if page == "reply" else delete_url(review)

    response = login(client, people[role]).get(url)

    if role == "member_a":
        assert response.status_code == 200
        assert "Merci !" in html(response)
    else:
        assert_refused(role, response)


@pytest.mark.parametrize("role", [role for role in ROLES if role != "member_a"])
def test_a_reply_posted_by_anyone_else_changes_nothing(client, people, member_a, app_a, role):
    unanswered = published(app_a, "sans-reponse")
    answered = published(app_a, "avec-reponse")
    services.save_reply(answered, member_a, "Réponse d'origine")
    client = login(client, people[role])

    responses = [
        client.post(reply_url(unanswered), {"body": "Réponse pirate"}),
        client.post(reply_url(answered), {"body": "Réponse pirate"}),
        client.post(delete_url(answered)),
    ]

    for response in responses:
        assert_refused(role, response)
    assert reply_of(unanswered) is None
    reply = reply_of(answered)
    assert (reply.body, reply.author, reply.edited_at) == ("Réponse d'origine", member_a, None)


def test_a_member_of_b_is_refused_on_a_review_of_a(client, member_b, app_a, app_b):
    review_a = published(app_a, "sur-a")
    review_b = published(app_b, "sur-b")
    client.force_login(member_b)

    assert shown(client.get(index_url(reply="all"))) == {review_b.pk}
    assert client.get(reply_url(review_a)).status_code == 404
    assert client.post(reply_url(review_a), {"body": "Chez le voisin"}).status_code == 404
    assert reply_of(review_a) is None
    # Filtering on A's app by hand shows nothing of A either.
    assert review_a.pk not in shown(client.get(index_url(app=app_a.pk, reply="all")))


def test_a_member_of_several_publishers_answers_for_each(client, publisher_a, publisher_b, app_a):
    both = MemberFactory(username="membre-double", publisher=publisher_a)
    add_member(publisher_b, both)
    app_b = AppPageFactory(publisher=publisher_b, title="Bêta Deux", slug="beta-deux")
    review_a = published(app_a, "sur-a")
    review_b = published(app_b, "sur-b")
    client.force_login(both)

    assert shown(client.get(reverse(INDEX))) == {review_a.pk, review_b.pk}


# --- The listing ---------------------------------------------------------------------------


def test_the_listing_shows_reviews_awaiting_a_reply_by_default(client, member_a, editor, app_a):
    unanswered = published(app_a, "sans-reponse")
    answered = published(app_a, "avec-reponse")
    services.save_reply(answered, member_a, "Merci")
    pending(app_a, "en-attente")
    removed = published(app_a, "retire")
    services.moderate([removed.pk], decision="remove", editor=editor, reason="Hors charte")
    client.force_login(member_a)

    assert shown(client.get(reverse(INDEX))) == {unanswered.pk}
    assert shown(client.get(index_url(reply="answered"))) == {answered.pk}
    # Only published reviews: pending and removed ones are the editors' business.
    assert shown(client.get(index_url(reply="all"))) == {unanswered.pk, answered.pk}
    results = client.get(reverse("reviews_publisher:index_results"), {"reply": "answered"})
    assert shown(results) == {answered.pk}


def test_the_listing_filters_by_app_rating_and_text(client, member_a, publisher_a, app_a):
    other_app = AppPageFactory(publisher=publisher_a, title="Alpha Deux", slug="alpha-deux")
    low = published(app_a, "bas", rating=1, title="Décevant")
    high = published(other_app, "haut", rating=5, body="Parfait pour postuler")
    client.force_login(member_a)

    assert shown(client.get(index_url(app=other_app.pk))) == {high.pk}
    assert shown(client.get(index_url(rating=["1", "2"]))) == {low.pk}
    assert shown(client.get(index_url(q="postuler"))) == {high.pk}
    assert shown(client.get(index_url(q="décevant"))) == {low.pk}


# --- Replies -------------------------------------------------------------------------------


def test_a_member_replies_from_the_listing(client, member_a, app_a):
    review = published(app_a, "publie")
    client.force_login(member_a)
    listing = html(client.get(reverse(INDEX)))
    assert f'action="{reply_url(review)}"' in listing

    response = client.post(
        reply_url(review), {"body": "Merci pour votre avis !", "next": index_url()}
    )

    assert response.status_code == 302
    assert response["Location"] == index_url()
    assert last_message(response) == "Réponse publiée."
    reply = reply_of(review)
    assert (reply.body, reply.author, reply.publisher_id) == (
        "Merci pour votre avis !",
        member_a,
        app_a.publisher_id,
    )
    assert reply.edited_at is None
    # Answered: it leaves the default listing.
    assert review.pk not in shown(client.get(reverse(INDEX)))


def test_a_colleague_edits_the_reply(client, member_a, publisher_a, app_a):
    review = published(app_a, "publie")
    services.save_reply(review, member_a, "Première version")
    colleague = MemberFactory(username="collegue", publisher=publisher_a)
    client.force_login(colleague)

    form = client.get(reply_url(review))
    assert "Première version" in html(form)
    response = client.post(reply_url(review), {"body": "Version corrigée"})

    assert response["Location"] == reverse(INDEX)
    assert last_message(response) == "Réponse modifiée."
    reply = reply_of(review)
    assert (reply.body, reply.author) == ("Version corrigée", colleague)
    assert reply.edited_at is not None
    assert ReviewReply.objects.filter(review=review).count() == 1


def test_a_member_deletes_the_reply(client, member_a, app_a):
    review = published(app_a, "publie")
    services.save_reply(review, member_a, "À supprimer")
    client.force_login(member_a)

    assert client.get(delete_url(review)).status_code == 200
    response = client.post(delete_url(review), {"next": index_url(reply="all")})

    assert response["Location"] == index_url(reply="all")
    assert last_message(response) == "Réponse supprimée."
    assert reply_of(review) is None
    assert Review.objects.get(pk=review.pk).status == Review.Status.PUBLISHED


def test_deleting_a_reply_that_does_not_exist_is_a_404(client, member_a, app_a):
    review = published(app_a, "publie")
    client.force_login(member_a)

    assert client.get(delete_url(review)).status_code == 404
    assert client.post(delete_url(review)).status_code == 404


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_an_invalid_reply_comes_back_with_an_error(client, member_a, app_a, body):
    review = published(app_a, "publie")
    client.force_login(member_a)

    response = client.post(reply_url(review), {"body": body})

    assert response.status_code == 200
    assert "error-message" in html(response)
    assert reply_of(review) is None


def test_a_pending_review_cannot_be_answered(client, member_a, app_a):
    review = pending(app_a, "en-attente")
    client.force_login(member_a)

    assert client.post(reply_url(review), {"body": "Trop tôt"}).status_code == 404
    assert reply_of(review) is None


def test_an_outside_next_url_is_ignored(client, member_a, app_a):
    review = published(app_a, "publie")
    client.force_login(member_a)

    response = client.post(reply_url(review), {"body": "Merci", "next": "https://evil.example/"})

    assert response["Location"] == reverse(INDEX)


# --- Text is inert -------------------------------------------------------------------------


def test_review_and_reply_text_is_escaped_for_members(client, member_a, app_a):
    review = published(app_a, "xss", title=XSS_TITLE, body=XSS_BODY)
    services.save_reply(review, member_a, XSS_BODY)
    client.force_login(member_a)

    pages = [
        client.get(index_url(reply="all")),
        client.get(reverse("reviews_publisher:index_results"), {"reply": "all"}),
        client.get(reply_url(review)),
        client.get(delete_url(review)),
    ]

    for response in pages:
        page = html(response)
        assert response.status_code == 200
        for raw in XSS_RAW:
            assert raw not in page
        for escaped in XSS_ESCAPED:
            assert escaped in page


# --- Dashboard -----------------------------------------------------------------------------


def test_the_dashboard_counts_the_reviews_awaiting_a_reply(client, member_a, member_b, app_a):
    published(app_a, "sans1")
    published(app_a, "sans2")
    answered = published(app_a, "avec")
    services.save_reply(answered, member_a, "Merci")
    pending(app_a, "en-attente")
    client.force_login(member_a)

    page = html(client.get(reverse("wagtailadmin_home")))

    assert "2 avis sans réponse" in page
    assert f'href="{reverse(INDEX)}" data-reviews-count="2"' in page
    client.force_login(member_b)
    assert "0 avis sans réponse" in html(client.get(reverse("wagtailadmin_home")))
