"""Reviews in /api/v1/: reading an app's reviews, writing, votes, reports, publisher replies and
the caller's own reviews; permissions, validation, aggregates, throttling and the schema.

The cast: « author » wrote the review under test (on app_a, of publisher_a); « other » is
anyone else; member_a belongs to the app's publisher, member_b to another one; « editor » is in
the editorial team. Accounts are made old enough for the moderation policy, except where the
new-account rule is the point.
"""

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
import schemathesis
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from catalogue.models import AppPage
from reviews import services
from reviews.models import HelpfulVote, Review, ReviewReply, ReviewReport
from search import tasks
from store.wsgi import application
from tests.factories import AppPageFactory, UserFactory, api_token

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]

ERROR_KEYS = {"type", "title", "status", "detail", "errors"}
ME_URL = "/api/v1/me/reviews/"
ROLES = ("anonymous", "author", "other", "member_a", "member_b", "editor")
XSS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
REVIEW_KEYS = {
    "id",
    "rating",
    "title",
    "body",
    "language",
    "status",
    "author",
    "created_at",
    "edited_at",
    "helpful_count",
    "voted_helpful",
    "is_mine",
    "held_because",
    "moderation_reason",
    "reply",
    "url",
}


def reviews_url(slug: str) -> str:
    return f"/api/v1/apps/{slug}/reviews/"


def review_url(review_id, suffix: str = "") -> str:
    return f"/api/v1/reviews/{review_id}/{suffix}"


def absolute(path: str) -> str:
    return f"http://testserver{path}"


def assert_error(response, status, code, errors=None):
    """The common error body; returns it for further checks."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) >= ERROR_KEYS
    assert body["type"] == f"urn:emploi-store:error:{code}"
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    if errors is not None:
        assert set(body["errors"]) == set(errors), body["errors"]
    return body


def aged(user):
    """Older than the moderation policy's minimum account age."""
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save(update_fields=["date_joined"])
    return user


def write(author, app, rating=4, title="Pratique", body="Je recommande.", **changes) -> Review:
    """A review through the services (published for an aged author), then forced as asked."""
    review = services.submit_review(app, author, rating=rating, title=title, body=body)
    if changes:
        with transaction.atomic():
            services.lock_app(app.pk)
            Review.objects.filter(pk=review.pk).update(**changes)
            services.refresh_aggregates(app.pk)  # a status forced here counts as it should
        review.refresh_from_db()
    return review


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def database_state():
    """Everything a review endpoint may change, to compare before and after a request."""
    return (
        list(
            Review.objects.order_by("pk").values_list(
                "pk", "rating", "title", "body", "status", "helpful_count", "report_count"
            )
        ),
        sorted(HelpfulVote.objects.values_list("review_id", "user_id")),
        sorted(ReviewReport.objects.values_list("review_id", "reporter_id", "reason")),
        list(ReviewReply.objects.order_by("pk").values_list("review_id", "body", "author_id")),
        list(
            AppPage.objects.order_by("pk").values_list(
                "pk", "rating_average", "rating_count", "rating_histogram"
            )
        ),
    )


@pytest.fixture(autouse=True)
def inline_indexing(monkeypatch, settings):
    """Index updates (when a test runs the commit callbacks) happen in process, on the
    database backend, never through the broker that other test runs share."""
    settings.SEARCH_BACKEND = "database"
    monkeypatch.setattr("search.indexing.request_drain", tasks.drain_index_changes)


@pytest.fixture
def people(db, member_a, member_b, editor):
    """role → user (None for anonymous), every account aged."""
    return {
        "anonymous": None,
        "author": aged(UserFactory(username="auteur", first_name="Camille", last_name="Martin")),
        "other": aged(UserFactory(username="autre")),
        "member_a": aged(member_a),
        "member_b": aged(member_b),
        "editor": aged(editor),
    }


@pytest.fixture
def review(people, app_a) -> Review:
    """The author's published review of app_a."""
    found = write(people["author"], app_a, rating=4, title="Pratique", body="Je recommande.")
    assert found.status == Review.Status.PUBLISHED
    return found


@pytest.fixture
def tight_rates(settings):
    """Two writes a minute per review scope (web.throttles reads the rates at each request).
    The cache that counts requests is emptied before each test."""
    rates = {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "review_post": "2/minute",
        "review_vote": "2/minute",
        "review_report": "2/minute",
    }
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


# --- The permission matrix -----------------------------------------------------------------


@dataclass(frozen=True)
class Write:
    """A write endpoint: how to call it on the review under test, and who may."""

    name: str
    method: str
    suffix: str  # after /api/v1/reviews/{id}/; "app": the app's list of reviews
    body: dict | None
    allowed: dict  # role → status (roles not listed: 403)

    def url(self, review) -> str:
        if self.suffix == "app":
            return reviews_url(review.app.slug)
        return review_url(review.pk, self.suffix)

    def call(self, client, review):
        method = getattr(client, self.method)
        if self.body is None:
            return method(self.url(review))
        return method(self.url(review), self.body, format="json")


WRITES = [
    # The author already has a review of the app (409); its publisher may not rate it (403).
    Write(
        "post review",
        "post",
        "app",
        {"rating": 5, "title": "Encore"},
        {"author": 409, "other": 201, "member_b": 201, "editor": 201},
    ),
    Write("patch review", "patch", "", {"rating": 1}, {"author": 200}),
    Write("delete review", "delete", "", None, {"author": 204}),
    # The app's publisher does not vote on its reviews; it may take back a vote from before.
    Write(
        "vote helpful",
        "put",
        "helpful/",
        None,
        {"other": 204, "member_b": 204, "editor": 204},
    ),
    Write(
        "remove helpful vote",
        "delete",
        "helpful/",
        None,
        {"other": 204, "member_a": 204, "member_b": 204, "editor": 204},
    ),
    Write(
        "report",
        "post",
        "reports/",
        {"reason": "spam", "comment": "Publicité"},
        {"other": 201, "member_a": 201, "member_b": 201, "editor": 201},
    ),
    Write("put reply", "put", "reply/", {"body": "Merci !"}, {"member_a": 201}),
    Write("delete reply", "delete", "reply/", None, {"member_a": 204}),
]


def prepare(write_: Write, review, user):
    """What makes an allowed call change something: a vote to take back, a reply to delete."""
    if write_.name == "remove helpful vote" and user is not None and user != review.author:
        # Written directly: a member of the publisher may have voted before joining it.
        HelpfulVote.objects.create(review=review, user=user)
        Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") + 1)
    if write_.name == "delete reply":
        member = UserFactory(username="collegue")
        member.groups.add(review.app.publisher.group)
        services.save_reply(review, member, "Une réponse")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write_", WRITES, ids=lambda write_: write_.name)
def test_permission_matrix_on_a_published_review(write_, role, people, review):
    user = people[role]
    prepare(write_, review, user)
    before = database_state()

    response = write_.call(client_for(user), review)

    if role == "anonymous":
        assert_error(response, 401, "not-authenticated", errors=set())
        assert response["WWW-Authenticate"] == "Token"
    elif role in write_.allowed:
        assert response.status_code == write_.allowed[role], response.content
    else:
        assert_error(response, 403, "permission-denied", errors=set())
    if response.status_code >= 400:
        assert database_state() == before, "a refused request changed the database"
    else:
        assert database_state() != before


# A pending review is its author's only: everyone else meets a 404, whatever they attempt.
PENDING_FOR_AUTHOR = {
    "patch review": 200,
    "delete review": 204,
    "vote helpful": 403,
    "remove helpful vote": 403,
    "report": 403,
    "put reply": 403,
    "delete reply": 403,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "write_", [w for w in WRITES if w.suffix != "app"], ids=lambda write_: write_.name
)
def test_a_pending_review_is_a_404_for_all_but_its_author(write_, role, people, app_a):
    review = write(people["author"], app_a, status=Review.Status.PENDING, held_because=["link"])
    user = people[role]
    before = database_state()

    response = write_.call(client_for(user), review)

    if role == "anonymous":
        assert_error(response, 401, "not-authenticated")
    elif role == "author":
        assert response.status_code == PENDING_FOR_AUTHOR[write_.name], response.content
    else:
        assert_error(response, 404, "not-found", errors=set())
    if response.status_code >= 400:
        assert database_state() == before


@pytest.mark.parametrize("role", ROLES)
def test_a_published_review_is_public_a_pending_one_its_authors(role, people, review, app_a):
    pending = write(people["other"], app_a, status=Review.Status.PENDING)
    client = client_for(people[role])

    assert client.get(review_url(review.pk)).status_code == 200
    response = client.get(review_url(pending.pk))
    if role == "other":
        assert response.status_code == 200
        assert response.json()["status"] == "pending"
    else:
        assert_error(response, 404, "not-found")


def test_a_review_of_an_app_no_longer_live_is_its_authors_only(people, review, app_a):
    app_a.unpublish()

    assert_error(client_for(people["other"]).get(review_url(review.pk)), 404, "not-found")
    assert_error(
        client_for(people["other"]).put(review_url(review.pk, "helpful/")), 404, "not-found"
    )
    author = client_for(people["author"])
    assert author.get(review_url(review.pk)).status_code == 200
    assert author.delete(review_url(review.pk)).status_code == 204


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", reviews_url("x")),
        ("patch", review_url(1)),
        ("delete", review_url(1)),
        ("put", review_url(1, "helpful/")),
        ("delete", review_url(1, "helpful/")),
        ("post", review_url(1, "reports/")),
        ("put", review_url(1, "reply/")),
        ("delete", review_url(1, "reply/")),
        ("get", ME_URL),
    ],
)
def test_writes_and_my_reviews_need_authentication(method, url):
    response = getattr(APIClient(), method)(url, {}, format="json")
    assert_error(response, 401, "not-authenticated", errors=set())
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_authenticates_and_a_session_write_needs_csrf(people, app_a):

    token = api_token(people["other"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.post(reviews_url(app_a.slug), {"rating": 3}, format="json").status_code == 201

    session = APIClient(enforce_csrf_checks=True)
    session.force_login(people["member_b"])
    response = session.post(reviews_url(app_a.slug), {"rating": 3}, format="json")
    assert_error(response, 403, "permission-denied")
    assert Review.objects.filter(app=app_a).count() == 1


def test_options_and_head_answer_without_error(people, review, app_a):
    client = client_for(people["other"])
    for url in (
        reviews_url(app_a.slug),
        review_url(review.pk),
        review_url(review.pk, "helpful/"),
        review_url(review.pk, "reports/"),
        review_url(review.pk, "reply/"),
        ME_URL,
    ):
        response = client.options(url)
        assert response.status_code == 200, (url, response.content)
        assert response["Content-Type"] == "application/json"
    assert client.head(reviews_url(app_a.slug)).status_code == 200
    assert client.head(review_url(review.pk)).status_code == 200


# --- Unknown, draft and malformed addresses ------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("slug", ["inconnue", "brouillon", "retiree", "a%00b", "%00"])
def test_apps_that_are_not_live_have_no_reviews(method, slug, publisher_a):
    AppPageFactory(publisher=publisher_a, slug="brouillon", live=False)
    AppPageFactory(publisher=publisher_a, slug="retiree").unpublish()

    response = getattr(client_for(aged(UserFactory())), method)(
        reviews_url(slug), {"rating": 5}, format="json"
    )

    assert_error(response, 404, "not-found", errors=set())
    assert not Review.objects.exists()


def test_a_draft_apps_reviews_stay_hidden(people, publisher_a):
    draft = AppPageFactory(publisher=publisher_a, slug="brouillon", live=False)
    hidden = write(people["other"], draft)
    assert_error(APIClient().get(reviews_url("brouillon")), 404, "not-found")
    assert_error(APIClient().get(review_url(hidden.pk)), 404, "not-found")


@pytest.mark.parametrize("review_id", ["999999", str(2**63), "1" + "0" * 40])
@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("patch", ""),
        ("delete", ""),
        ("put", "helpful/"),
        ("delete", "helpful/"),
        ("post", "reports/"),
        ("put", "reply/"),
        ("delete", "reply/"),
    ],
)
def test_unknown_and_huge_ids_are_404(method, suffix, review_id):
    response = getattr(client_for(UserFactory()), method)(
        review_url(review_id, suffix), {"rating": 5, "reason": "spam", "body": "x"}, format="json"
    )
    assert_error(response, 404, "not-found", errors=set())


@pytest.mark.parametrize("review_id", ["-1", "abc", "1.5", "%00", "１"])
def test_ids_that_are_not_numbers_are_404(review_id):
    response = client_for(UserFactory()).get(review_url(review_id))
    assert_error(response, 404, "not-found")


# --- Writing a review ----------------------------------------------------------------------


def test_a_review_is_created_and_published(people, app_a):
    client = client_for(people["other"])

    response = client.post(
        reviews_url(app_a.slug),
        {"rating": 5, "title": "Très utile", "body": "Trouvé un emploi en un mois."},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    review = Review.objects.get(app=app_a)
    assert set(body) == REVIEW_KEYS
    assert body["id"] == review.pk
    assert body["url"] == absolute(review_url(review.pk))
    assert response["Location"] == body["url"]
    assert (body["rating"], body["title"], body["body"]) == (
        5,
        "Très utile",
        "Trouvé un emploi en un mois.",
    )
    assert body["status"] == "published"
    assert body["language"] == "fr"
    assert body["is_mine"] is True
    assert body["held_because"] == []
    assert body["moderation_reason"] is None
    assert body["reply"] is None
    assert (body["helpful_count"], body["voted_helpful"], body["edited_at"]) == (0, False, None)
    assert review.author == people["other"]
    assert review.status == Review.Status.PUBLISHED
    assert "no-store" in response["Cache-Control"]


def test_title_and_body_are_optional(people, app_a):
    response = client_for(people["other"]).post(
        reviews_url(app_a.slug), {"rating": 2}, format="json"
    )
    assert response.status_code == 201
    assert (response.json()["title"], response.json()["body"]) == ("", "")


def test_a_held_review_is_pending_and_tells_its_author_why(app_a):
    newcomer = UserFactory(username="nouveau")  # joined just now

    response = client_for(newcomer).post(
        reviews_url(app_a.slug),
        {"rating": 1, "body": "Voir www.arnaque.com"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["language"] == "en"
    assert {item["code"] for item in body["held_because"]} == {"link", "new_account"}
    assert all(item["label"] for item in body["held_because"])
    assert Review.objects.get().status == Review.Status.PENDING
    # Not in the public list, in its author's.
    assert APIClient().get(reviews_url(app_a.slug)).json()["count"] == 0
    mine = client_for(newcomer).get(reviews_url(app_a.slug)).json()
    assert [item["id"] for item in mine["results"]] == [body["id"]]


def test_a_second_review_is_a_409_pointing_to_the_first(people, review, app_a):
    response = client_for(people["author"]).post(
        reviews_url(app_a.slug), {"rating": 1, "title": "Finalement non"}, format="json"
    )

    body = assert_error(response, 409, "conflict", errors=set())
    assert body["existing"] == absolute(review_url(review.pk))
    assert response["Location"] == body["existing"]
    assert body["title"] == "Conflit"
    assert body["detail"] == "Vous avez déjà donné votre avis sur cette application."
    assert Review.objects.get().title == "Pratique"
    # The existing review is where to change it.
    assert client_for(people["author"]).get(body["existing"]).json()["id"] == review.pk


def test_a_member_of_the_apps_publisher_may_not_rate_it(people, app_a, app_b):
    member = client_for(people["member_a"])

    body = assert_error(
        member.post(reviews_url(app_a.slug), {"rating": 5}, format="json"), 403, "permission-denied"
    )
    assert "éditeur" in body["detail"]
    # Another publisher's app is fine.
    assert member.post(reviews_url(app_b.slug), {"rating": 5}, format="json").status_code == 201


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"rating"}),
        ({"title": "Sans note"}, {"rating"}),
        ({"rating": 0}, {"rating"}),
        ({"rating": 6}, {"rating"}),
        ({"rating": -3}, {"rating"}),
        ({"rating": 3.5}, {"rating"}),
        ({"rating": "beaucoup"}, {"rating"}),
        ({"rating": None}, {"rating"}),
        ({"rating": True}, {"rating"}),
        ({"rating": [4]}, {"rating"}),
        ({"rating": 10**30}, {"rating"}),
        ({"rating": 4, "title": "t" * 101}, {"title"}),
        ({"rating": 4, "body": "b" * 2001}, {"body"}),
        ({"rating": 4, "title": None}, {"title"}),
        ({"rating": 4, "title": {"a": 1}}, {"title"}),
        ({"rating": 4, "body": "nul \x00 ici"}, {"body"}),
        ({"rating": 9, "title": "t" * 101, "body": "b" * 2001}, {"rating", "title", "body"}),
        ([1, 2], {"non_field_errors"}),
        ("texte", {"non_field_errors"}),
    ],
)
def test_invalid_reviews_are_400_per_field(data, fields, people, app_a):
    response = client_for(people["other"]).post(reviews_url(app_a.slug), data, format="json")

    body = assert_error(response, 400, "validation", errors=fields)
    assert all(body["errors"][field] for field in fields)
    assert not Review.objects.exists()


@pytest.mark.parametrize("text", ["\\ud800", "\\u0000"])
def test_text_postgresql_cannot_store_is_a_400(text, people, app_a):
    """A lone surrogate or a NUL character, escaped in the JSON: refused, never a 500."""
    response = client_for(people["other"]).generic(
        "POST",
        reviews_url(app_a.slug),
        f'{{"rating": 4, "title": "a{text}b"}}',
        content_type="application/json",
    )
    assert_error(response, 400, "validation", errors={"title"})
    assert not Review.objects.exists()


def test_the_limits_are_inclusive(people, app_a):
    response = client_for(people["other"]).post(
        reviews_url(app_a.slug),
        {"rating": 1, "title": "t" * 100, "body": "b" * 2000},
        format="json",
    )
    assert response.status_code == 201, response.content


def test_malformed_json_is_a_400(people, app_a):
    response = client_for(people["other"]).generic(
        "POST", reviews_url(app_a.slug), '{"rating": ', content_type="application/json"
    )
    assert_error(response, 400, "parse-error")


def test_validation_errors_in_english(people, app_a):
    response = client_for(people["other"]).post(
        reviews_url(app_a.slug), {"rating": 6}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    body = assert_error(response, 400, "validation", errors={"rating"})
    assert body["title"] == "Invalid input"
    assert body["errors"]["rating"] == ["Ensure this value is less than or equal to 5."]
    assert response["Content-Language"] == "en"


# --- Editing and deleting ------------------------------------------------------------------


def test_patch_changes_only_the_given_fields_and_reruns_moderation(people, review):
    client = client_for(people["author"])

    response = client.patch(review_url(review.pk), {"rating": 2}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["rating"], body["title"], body["body"]) == (2, "Pratique", "Je recommande.")
    assert body["status"] == "published"
    assert body["edited_at"] is not None

    held = client.patch(
        review_url(review.pk), {"body": "Écrivez-moi : moi@example.org"}, format="json"
    )
    assert held.status_code == 200
    assert held.json()["status"] == "pending"
    assert [item["code"] for item in held.json()["held_because"]] == ["email"]
    review.refresh_from_db()
    assert (review.rating, review.status) == (2, Review.Status.PENDING)


def test_a_rejected_review_shows_its_reason_to_its_author_and_goes_back_when_edited(
    people, review, editor
):
    services.moderate([review.pk], decision="reject", editor=editor, reason="Hors sujet.")
    client = client_for(people["author"])

    shown = client.get(review_url(review.pk)).json()
    assert (shown["status"], shown["moderation_reason"]) == ("rejected", "Hors sujet.")

    edited = client.patch(review_url(review.pk), {"title": "Mieux dit"}, format="json").json()
    assert edited["status"] == "pending"
    assert [item["code"] for item in edited["held_because"]] == ["resubmitted"]
    assert edited["moderation_reason"] is None


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"non_field_errors"}),
        ({"unknown": 1}, {"non_field_errors"}),
        ({"rating": 0}, {"rating"}),
        ({"title": "t" * 101}, {"title"}),
        ({"body": "b" * 2001}, {"body"}),
        ({"rating": None}, {"rating"}),
    ],
)
def test_invalid_patches_are_400(data, fields, people, review):
    before = database_state()
    response = client_for(people["author"]).patch(review_url(review.pk), data, format="json")
    assert_error(response, 400, "validation", errors=fields)
    assert database_state() == before


def test_delete_removes_the_review_and_its_rating(people, review, app_a):
    app_a.refresh_from_db()
    assert app_a.rating_count == 1

    assert client_for(people["author"]).delete(review_url(review.pk)).status_code == 204

    assert not Review.objects.exists()
    app_a.refresh_from_db()
    assert (app_a.rating_count, app_a.rating_average) == (0, 0)
    assert_error(client_for(people["author"]).delete(review_url(review.pk)), 404, "not-found")


# --- Helpful votes -------------------------------------------------------------------------


def test_helpful_votes_are_idempotent(people, review):
    client = client_for(people["other"])
    url = review_url(review.pk, "helpful/")

    assert client.put(url).status_code == 204
    assert client.put(url).status_code == 204
    review.refresh_from_db()
    assert review.helpful_count == 1
    shown = client.get(review_url(review.pk)).json()
    assert (shown["helpful_count"], shown["voted_helpful"]) == (1, True)
    assert client_for(people["editor"]).get(review_url(review.pk)).json()["voted_helpful"] is False

    first, second = client.delete(url), client.delete(url)
    assert (first.status_code, second.status_code) == (204, 204)
    assert first.content == b""
    review.refresh_from_db()
    assert review.helpful_count == 0
    assert not HelpfulVote.objects.exists()


def test_votes_on_your_own_review_are_refused(people, review):
    response = client_for(people["author"]).put(review_url(review.pk, "helpful/"))
    body = assert_error(response, 403, "permission-denied")
    assert body["detail"] == "Vous ne pouvez pas voter pour votre propre avis."


def test_the_apps_publisher_does_not_vote_on_its_reviews(people, review):
    response = client_for(people["member_a"]).put(review_url(review.pk, "helpful/"))
    body = assert_error(response, 403, "permission-denied")
    assert "éditeur" in body["detail"]
    review.refresh_from_db()
    assert review.helpful_count == 0


def test_votes_of_several_people_add_up(people, review):
    for role in ("other", "member_b", "editor"):
        client_for(people[role]).put(review_url(review.pk, "helpful/"))
    review.refresh_from_db()
    assert review.helpful_count == 3


# --- Reports -------------------------------------------------------------------------------


def test_a_report_is_recorded_once(people, review):
    client = client_for(people["other"])
    url = review_url(review.pk, "reports/")

    response = client.post(url, {"reason": "offensive", "comment": "Insultant"}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["reason"] == "offensive"
    assert response.json()["comment"] == "Insultant"
    again = client.post(url, {"reason": "spam"}, format="json")
    body = assert_error(again, 409, "conflict", errors=set())
    assert body["detail"] == "Vous avez déjà signalé cet avis."
    assert "existing" not in body
    assert ReviewReport.objects.get().reason == "offensive"


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"reason"}),
        ({"reason": "bof"}, {"reason"}),
        ({"reason": None}, {"reason"}),
        ({"reason": "spam", "comment": "c" * 501}, {"comment"}),
        ({"reason": ["spam"]}, {"reason"}),
    ],
)
def test_invalid_reports_are_400(data, fields, people, review):
    response = client_for(people["other"]).post(
        review_url(review.pk, "reports/"), data, format="json"
    )
    assert_error(response, 400, "validation", errors=fields)
    assert not ReviewReport.objects.exists()


def test_three_reporters_hide_a_review_until_an_editor_decides(people, review, app_a):
    public = APIClient()
    assert public.get(reviews_url(app_a.slug)).json()["count"] == 1

    for role in ("other", "member_b", "editor"):
        response = client_for(people[role]).post(
            review_url(review.pk, "reports/"), {"reason": "spam"}, format="json"
        )
        assert response.status_code == 201

    assert public.get(reviews_url(app_a.slug)).json()["count"] == 0
    assert_error(public.get(review_url(review.pk)), 404, "not-found")
    app_a.refresh_from_db()
    assert app_a.rating_count == 0
    # Its author still sees it, waiting for the editors.
    mine = client_for(people["author"]).get(ME_URL).json()["results"]
    assert [(item["id"], item["status"]) for item in mine] == [(review.pk, "pending")]
    assert mine[0]["status_label"] == "En attente de modération"
    assert [item["code"] for item in mine[0]["held_because"]] == ["reported"]
    # A fourth would-be reporter no longer sees it.
    late = aged(UserFactory(username="retardataire"))
    response = client_for(late).post(
        review_url(review.pk, "reports/"), {"reason": "spam"}, format="json"
    )
    assert_error(response, 404, "not-found")


# --- Publisher replies ---------------------------------------------------------------------


def test_a_member_replies_then_edits_then_deletes(people, review):
    client = client_for(people["member_a"])
    url = review_url(review.pk, "reply/")

    created = client.put(url, {"body": "Merci pour votre retour."}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["body"] == "Merci pour votre retour."
    assert body["publisher"] == {"slug": "editeur-alpha", "name": "Éditeur Alpha"}
    assert body["edited_at"] is None

    edited = client.put(url, {"body": "Merci, corrigé en 2.1."}, format="json")
    assert edited.status_code == 200
    assert edited.json()["edited_at"] is not None
    assert ReviewReply.objects.get().body == "Merci, corrigé en 2.1."

    shown = APIClient().get(review_url(review.pk)).json()
    assert shown["reply"]["body"] == "Merci, corrigé en 2.1."
    assert set(shown["reply"]) == {"body", "publisher", "created_at", "edited_at"}

    assert client.delete(url).status_code == 204
    assert client.delete(url).status_code == 204
    assert not ReviewReply.objects.exists()
    assert APIClient().get(review_url(review.pk)).json()["reply"] is None


@pytest.mark.parametrize(
    "data", [{}, {"body": ""}, {"body": "   "}, {"body": None}, {"body": "r" * 2001}]
)
def test_invalid_replies_are_400(data, people, review):
    response = client_for(people["member_a"]).put(
        review_url(review.pk, "reply/"), data, format="json"
    )
    assert_error(response, 400, "validation", errors={"body"})
    assert not ReviewReply.objects.exists()


def test_a_non_member_is_refused_before_the_body_is_read(people, review):
    response = client_for(people["member_b"]).put(
        review_url(review.pk, "reply/"), {}, format="json"
    )
    assert_error(response, 403, "permission-denied", errors=set())


# --- User text comes back as text ----------------------------------------------------------


@pytest.mark.parametrize("payload", XSS)
def test_markup_in_reviews_and_replies_is_returned_as_the_text_given(payload, people, app_a):
    posted = client_for(people["other"]).post(
        reviews_url(app_a.slug), {"rating": 3, "title": payload, "body": payload}, format="json"
    )
    assert posted.status_code == 201, posted.content
    review_id = posted.json()["id"]
    assert Review.objects.get().status == Review.Status.PUBLISHED
    reply = client_for(people["member_a"]).put(
        review_url(review_id, "reply/"), {"body": payload}, format="json"
    )
    assert reply.status_code == 201

    for response in (
        APIClient().get(review_url(review_id)),
        APIClient().get(reviews_url(app_a.slug)),
        client_for(people["other"]).get(ME_URL),
    ):
        assert response["Content-Type"] == "application/json"
        body = response.json()
        item = body["results"][0] if "results" in body else body
        assert (item["title"], item["body"], item["reply"]["body"]) == (payload, payload, payload)
    stored = Review.objects.get()
    assert (stored.title, stored.body, stored.reply.body) == (payload, payload, payload)


# --- The list of an app's reviews ----------------------------------------------------------


@pytest.fixture
def shelf(people, app_a):
    """Five reviews of app_a: four published (ratings, votes and ages differ), one pending."""
    now = timezone.now()
    authors = [aged(UserFactory(username=f"lecteur{number}")) for number in range(5)]
    specs = [  # rating, helpful votes, days ago, status
        (5, 1, 4, Review.Status.PUBLISHED),
        (2, 7, 3, Review.Status.PUBLISHED),
        (4, 3, 2, Review.Status.PUBLISHED),
        (1, 0, 1, Review.Status.PUBLISHED),
        (3, 0, 0, Review.Status.PENDING),
    ]
    reviews = []
    for author, (rating, votes, days, status) in zip(authors, specs, strict=True):
        reviews.append(
            write(
                author,
                app_a,
                rating=rating,
                helpful_count=votes,
                created_at=now - timedelta(days=days),
                status=status,
            )
        )
    return authors, reviews


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_the_list_shows_published_reviews_and_the_callers_own(shelf, app_a):
    authors, (oldest, second, third, newest, pending) = shelf
    url = reviews_url(app_a.slug)

    assert ids(APIClient().get(url)) == [newest.pk, third.pk, second.pk, oldest.pk]
    mine = client_for(authors[4]).get(url)
    assert ids(mine) == [pending.pk, newest.pk, third.pk, second.pk, oldest.pk]
    first = mine.json()["results"][0]
    assert (first["status"], first["is_mine"]) == ("pending", True)
    assert all(item["is_mine"] is False for item in mine.json()["results"][1:])
    assert all(item["status"] == "published" for item in mine.json()["results"][1:])
    assert "no-store" in mine["Cache-Control"]


def test_the_list_envelope_and_the_rating_summary(shelf, app_a):
    response = APIClient().get(reviews_url(app_a.slug))

    body = response.json()
    assert set(body) == {"count", "page", "page_size", "next", "previous", "rating", "results"}
    assert (body["count"], body["page"], body["page_size"]) == (4, 1, 20)
    assert (body["next"], body["previous"]) == (None, None)
    # The four published reviews: 5, 2, 4, 1 (the figures were kept by the services).
    assert body["rating"] == {
        "average": 3.0,
        "count": 4,
        "histogram": {"1": 1, "2": 1, "3": 0, "4": 1, "5": 1},
    }
    assert set(body["results"][0]) == REVIEW_KEYS
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        (None, [3, 2, 1, 0]),
        ("recent", [3, 2, 1, 0]),
        ("helpful", [1, 2, 0, 3]),
        ("rating_high", [0, 2, 1, 3]),
        ("rating_low", [3, 1, 2, 0]),
    ],
)
def test_sort_orders(sort, order, shelf, app_a):
    _authors, reviews = shelf
    params = {"sort": sort} if sort else {}
    assert ids(APIClient().get(reviews_url(app_a.slug), params)) == [
        reviews[position].pk for position in order
    ]


def test_the_rating_filter(shelf, app_a):
    authors, reviews = shelf
    url = reviews_url(app_a.slug)
    assert ids(APIClient().get(url, {"rating": 4})) == [reviews[2].pk]
    assert ids(APIClient().get(url, {"rating": 3})) == []
    assert ids(client_for(authors[4]).get(url, {"rating": 3})) == [reviews[4].pk]


def test_the_list_is_paginated(shelf, app_a):
    _authors, reviews = shelf
    url = reviews_url(app_a.slug)

    first = APIClient().get(url, {"page_size": 3, "sort": "rating_high"}).json()
    assert [item["id"] for item in first["results"]] == [
        reviews[0].pk,
        reviews[2].pk,
        reviews[1].pk,
    ]
    assert first["count"] == 4
    assert first["next"] == absolute(f"{url}?page=2&page_size=3&sort=rating_high")
    assert first["previous"] is None
    second = APIClient().get(first["next"]).json()
    assert [item["id"] for item in second["results"]] == [reviews[3].pk]
    assert second["next"] is None
    assert second["previous"] == absolute(f"{url}?page_size=3&sort=rating_high")
    past_the_end = APIClient().get(url, {"page": 10**12, "page_size": 3}).json()
    assert past_the_end["results"] == []
    assert past_the_end["previous"] == absolute(f"{url}?page=2&page_size=3")


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({"sort": "popular"}, {"sort"}),
        ({"rating": 0}, {"rating"}),
        ({"rating": 6}, {"rating"}),
        ({"rating": "cinq"}, {"rating"}),
        ({"page": 0}, {"page"}),
        ({"page": "x"}, {"page"}),
        ({"page_size": 0}, {"page_size"}),
        ({"page_size": 101}, {"page_size"}),
        ({"sort": "x", "rating": 9, "page": -1}, {"sort", "rating", "page"}),
    ],
)
def test_bad_list_parameters_are_400_per_field(query, fields, app_a):
    body = assert_error(APIClient().get(reviews_url(app_a.slug), query), 400, "validation", fields)
    for field in fields:
        assert field in body["detail"]


def test_the_list_query_count_does_not_grow_with_the_page(people, app_a, django_assert_num_queries):
    caller = people["other"]
    client = client_for(caller)
    url = reviews_url(app_a.slug)

    def add_reviews(count):
        for _number in range(count):
            review = write(aged(UserFactory()), app_a, rating=3)
            services.set_helpful(review, caller)
            services.save_reply(review, people["member_a"], "Merci")

    add_reviews(1)
    write(caller, app_a, status=Review.Status.PENDING)
    # App (view restrictions in the same query), count, the page with authors and replies,
    # the caller's votes.
    with django_assert_num_queries(4):
        one = client.get(url)
    add_reviews(6)
    with django_assert_num_queries(4):
        seven = client.get(url)
    assert (len(one.json()["results"]), len(seven.json()["results"])) == (2, 8)
    assert all(
        item["voted_helpful"] and item["reply"]
        for item in seven.json()["results"]
        if not item["is_mine"]
    )
    with django_assert_num_queries(3):  # anonymous: no votes to look up
        APIClient().get(url)


# --- The caller's reviews ------------------------------------------------------------------


def test_my_reviews_all_statuses_newest_first(people, review, app_b, editor, publisher_a):
    author = people["author"]
    other_app = AppPageFactory(publisher=publisher_a, slug="gamma", title="Gamma")
    rejected = write(author, app_b, rating=1)
    services.moderate([rejected.pk], decision="reject", editor=editor, reason="Propos injurieux.")
    pending = write(
        author, other_app, rating=3, status=Review.Status.PENDING, held_because=["link"]
    )
    write(people["other"], app_b)  # somebody else's

    response = client_for(author).get(ME_URL)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["count"] == 3
    assert [item["id"] for item in body["results"]] == [pending.pk, rejected.pk, review.pk]
    first, second, third = body["results"]
    assert first["app"] == {
        "slug": "gamma",
        "name": "Gamma",
        "url": absolute("/api/v1/apps/gamma/"),
    }
    assert (first["status"], first["status_label"]) == ("pending", "En attente de modération")
    assert second["status"] == "rejected"
    assert second["status_label"] == "Refusé"
    assert second["moderation_reason"] == "Propos injurieux."
    assert (third["status"], third["moderation_reason"]) == ("published", None)
    assert set(first) == REVIEW_KEYS | {"app", "status_label"}


def test_my_reviews_paginated_and_query_count(people, publisher_a, django_assert_num_queries):
    author = people["author"]
    for number in range(5):
        write(author, AppPageFactory(publisher=publisher_a, slug=f"app-{number}"))
    client = client_for(author)

    with django_assert_num_queries(2):  # count, the page with apps and replies
        first = client.get(ME_URL, {"page_size": 2}).json()
    assert [item["app"]["slug"] for item in first["results"]] == ["app-4", "app-3"]
    assert first["next"] == absolute(f"{ME_URL}?page=2&page_size=2")
    assert_error(client.get(ME_URL, {"page": 0}), 400, "validation", {"page"})


def test_my_reviews_in_english(people, review):
    Review.objects.filter(pk=review.pk).update(status=Review.Status.PENDING)
    response = client_for(people["author"]).get(ME_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
    assert response.json()["results"][0]["status"] == "pending"


# --- Authors' names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_name", "last_name", "username", "shown"),
    [
        ("Camille", "Martin", "cmartin", "Camille M."),
        ("Camille", "", "cmartin", "Camille"),
        ("", "Martin", "cmartin", "cmartin"),
        ("", "", "camille@example.org", "Un utilisateur"),
    ],
)
def test_authors_are_shown_by_name_never_by_e_mail(first_name, last_name, username, shown, app_a):
    author = aged(
        UserFactory(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email="secret.address@example.org",
        )
    )
    write(author, app_a)
    response = APIClient().get(reviews_url(app_a.slug))
    assert response.json()["results"][0]["author"] == shown
    assert "secret.address" not in response.content.decode()


# --- Aggregates and the app's detail -------------------------------------------------------


def test_a_published_review_changes_the_apps_rating_and_its_etag(
    people, app_a, django_capture_on_commit_callbacks
):
    detail = f"/api/v1/apps/{app_a.slug}/"
    public = APIClient()
    before = public.get(detail)
    assert before.json()["rating"]["count"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        posted = client_for(people["other"]).post(
            reviews_url(app_a.slug), {"rating": 4}, format="json"
        )
    assert posted.status_code == 201

    after = public.get(detail, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after.json()["rating"] == {
        "average": 4.0,
        "count": 1,
        "histogram": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0},
    }

    with django_capture_on_commit_callbacks(execute=True):
        client_for(people["other"]).patch(
            review_url(posted.json()["id"]), {"rating": 2}, format="json"
        )
    edited = public.get(detail, HTTP_IF_NONE_MATCH=after["ETag"])
    assert edited.status_code == 200
    assert edited.json()["rating"]["average"] == 2.0

    with django_capture_on_commit_callbacks(execute=True):
        client_for(people["other"]).delete(review_url(posted.json()["id"]))
    deleted = public.get(detail, HTTP_IF_NONE_MATCH=edited["ETag"])
    assert deleted.status_code == 200
    assert deleted.json()["rating"]["count"] == 0


def test_a_pending_review_leaves_the_apps_rating_alone(app_a, django_capture_on_commit_callbacks):
    detail = f"/api/v1/apps/{app_a.slug}/"
    before = APIClient().get(detail)

    with django_capture_on_commit_callbacks(execute=True):
        posted = client_for(UserFactory(username="nouveau")).post(
            reviews_url(app_a.slug), {"rating": 1}, format="json"
        )
    assert posted.json()["status"] == "pending"

    assert APIClient().get(detail, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304


# --- Throttling ----------------------------------------------------------------------------


def test_votes_beyond_their_rate_get_a_429_and_reads_do_not_count(people, review, tight_rates):
    client = client_for(people["other"])
    url = review_url(review.pk, "helpful/")
    for _number in range(3):  # reads cost nothing from the write budget
        assert client.get(review_url(review.pk)).status_code == 200

    assert client.put(url).status_code == 204
    assert client.delete(url).status_code == 204
    response = client.put(url, HTTP_ACCEPT_LANGUAGE="en")

    body = assert_error(response, 429, "throttled", errors=set())
    assert 0 < int(response["Retry-After"]) <= 90  # a sliding window: 1.5 windows at most
    assert body["title"] == "Too many requests"
    assert not HelpfulVote.objects.exists()
    # Another user has a budget of their own.
    assert client_for(people["editor"]).put(url).status_code == 204


def test_posting_reviews_is_throttled_too(people, publisher_b, tight_rates):
    client = client_for(people["other"])
    apps = [AppPageFactory(publisher=publisher_b, slug=f"app-{number}") for number in range(3)]
    statuses = [
        client.post(reviews_url(app.slug), {"rating": 3}, format="json").status_code for app in apps
    ]
    assert statuses == [201, 201, 429]
    assert Review.objects.count() == 2


# --- Schema --------------------------------------------------------------------------------


def test_the_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    assert "/api/v1/reviews/{id}/helpful/" in target.read_text()


def test_the_schema_documents_every_review_operation(client):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    paths = schema["paths"]
    expected = {
        "/api/v1/apps/{slug}/reviews/": {"get": {"200", "400", "404"}, "post": {"201", "409"}},
        "/api/v1/reviews/{id}/": {"get": {"200", "404"}, "patch": {"200", "403"}, "delete": {}},
        "/api/v1/reviews/{id}/helpful/": {"put": {"204", "403"}, "delete": {"204"}},
        "/api/v1/reviews/{id}/reports/": {"post": {"201", "409"}},
        "/api/v1/reviews/{id}/reply/": {"put": {"200", "201"}, "delete": {"204"}},
        "/api/v1/me/reviews/": {"get": {"200", "401"}},
    }
    for path, operations in expected.items():
        assert set(paths[path]) == set(operations), path
        for method, statuses in operations.items():
            operation = paths[path][method]
            assert operation["summary"]
            assert set(operation["responses"]) >= {*statuses, "default"}, (path, method)
    conflict = paths["/api/v1/apps/{slug}/reviews/"]["post"]["responses"]["409"]
    assert conflict["content"]["application/json"]["schema"]["$ref"].endswith("ReviewConflict")


# Schemathesis on the review operations with reviews that exist (the fuzzing in
# test_schema_fuzz.py mostly meets unknown ids): the answers match the documented schemas.

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
openapi = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the connection after each request; here it holds the test's
    transaction (see test_schema_fuzz.py)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def operation(method: str, path: str):
    return openapi[f"/api/v1{path}"][method.upper()]


def test_known_reviews_conform_to_the_schema(keep_connection, people, review, app_a):

    def call(role, method, path, expected, body=None, **parameters):
        headers = {}
        if people[role] is not None:
            token = api_token(people[role])
            headers["Authorization"] = f"Token {token}"
        kwargs = {"path_parameters": parameters} if parameters else {}
        if body is not None:
            kwargs.update(body=body, media_type="application/json")
        case = operation(method, path).Case(**kwargs)
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        assert response.status_code == expected, (method, path, response.text)
        return response

    services.save_reply(review, people["member_a"], "Merci !")
    rid = review.pk
    call("anonymous", "get", "/apps/{slug}/reviews/", 200, slug=app_a.slug)
    call("other", "get", "/apps/{slug}/reviews/", 200, slug=app_a.slug)
    call("other", "post", "/apps/{slug}/reviews/", 201, {"rating": 3}, slug=app_a.slug)
    call("other", "post", "/apps/{slug}/reviews/", 409, {"rating": 3}, slug=app_a.slug)
    call("member_a", "post", "/apps/{slug}/reviews/", 403, {"rating": 3}, slug=app_a.slug)
    call("other", "get", "/reviews/{id}/", 200, id=rid)
    call("other", "put", "/reviews/{id}/helpful/", 204, id=rid)
    call("author", "put", "/reviews/{id}/helpful/", 403, id=rid)
    call("other", "delete", "/reviews/{id}/helpful/", 204, id=rid)
    call("other", "post", "/reviews/{id}/reports/", 201, {"reason": "other"}, id=rid)
    call("other", "post", "/reviews/{id}/reports/", 409, {"reason": "other"}, id=rid)
    call("member_a", "put", "/reviews/{id}/reply/", 200, {"body": "Merci."}, id=rid)
    call("member_b", "put", "/reviews/{id}/reply/", 403, {"body": "Merci."}, id=rid)
    call("member_a", "delete", "/reviews/{id}/reply/", 204, id=rid)
    call("author", "patch", "/reviews/{id}/", 200, {"title": "Mieux"}, id=rid)
    call("author", "patch", "/reviews/{id}/", 400, {"rating": 0}, id=rid)
    call("author", "get", "/me/reviews/", 200)
    call("anonymous", "get", "/me/reviews/", 401)
    call("author", "delete", "/reviews/{id}/", 204, id=rid)
    call("author", "get", "/reviews/{id}/", 404, id=rid)
