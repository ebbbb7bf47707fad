"""RGPD rights: the export of everything the store holds about a person (page, JSON download,
API) and the deletion of their account (page and API): tokens revoked, favourites, votes and
reports removed, reviews deleted or kept anonymous, figures recomputed, the last member of a
publisher refused, a confirmation mail."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from catalogue.models import AppPage, AppProblemReport, Favourite
from catalogue.notifications.models import Notification, Preference
from catalogue.services import add_favourite, add_member
from identity.models import DeviceToken, LinkedIdentity
from identity.tokens import hash_secret
from onboarding import services as onboarding
from onboarding.models import Invitation, Role
from reviews import services
from reviews.models import HelpfulVote, Review, ReviewReply, ReviewReport
from reviews.services import Decision
from selections import services as selection_services
from selections.models import Selection
from store import personal_data, verification
from store.models import AccountSettings
from tests.factories import PASSWORD, AppPageFactory, MemberFactory, UserFactory, api_token
from tests.integration.reviews.conftest import seasoned_user

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def app_c(publisher_a):
    return AppPageFactory(publisher=publisher_a, title="Gamma Métiers", slug="gamma-metiers")


@pytest.fixture
def person(publisher_a, publisher_b, member_a, member_b, editor, app_a, app_b, app_c):
    """Dominique has one of everything: settings, a token, a membership (publisher B, which
    has another member), a favourite, two reviews (one answered by the publisher, one removed
    by an editor with a reason), a reply written for publisher B, a helpful vote, a review
    report, a problem report, a last sign-in."""
    user = seasoned_user(username="dominique", first_name="Dominique", last_name="Durand")
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    AccountSettings.objects.update_or_create(
        user=user,
        defaults={"language": "en", "notify_review_reply": True, "notify_review_moderation": False},
    )
    user.api_token = api_token(user)
    LinkedIdentity.objects.create(
        user=user, provider="franceconnect", subject="fc-dominique", email=user.email
    )
    add_member(publisher_b, user)
    add_favourite(user, app_a)

    answered = services.submit_review(app_a, user, rating=4, title="Pratique", body="Clair.")
    services.save_reply(answered, member_a, "Merci pour votre avis !")
    removed = services.submit_review(app_c, user, rating=1, title="Bof", body="Pas terrible.")
    services.moderate([removed.pk], decision=Decision.REMOVE, editor=editor, reason="Hors sujet")

    camille = seasoned_user(username="camille-autre")
    about_b = services.submit_review(app_b, camille, rating=5, body="Excellent.")
    services.save_reply(about_b, user, "Réponse de l'éditeur Bêta.")
    about_a = services.submit_review(app_a, camille, rating=2, body="Moyen.")
    services.set_helpful(about_a, user)
    services.report_review(about_a, user, reason="off_topic", comment="Ne parle pas de l'app")
    AppProblemReport.objects.create(
        app=app_a, reason="broken_link", message="Le lien Android est cassé.", user=user
    )
    verification.mark_verified(user)
    # A mediator too: a selection of their own, and one from a colleague they keep.
    selection_services.grant_mediator(user, "Mission locale de Lyon")
    selection_services.create_selection(
        user, title="Pour Sam", message="Commencez par Alpha.", items=[(app_a, "Pour le CV")]
    )
    colleague = seasoned_user(username="claude-mediation")
    selection_services.grant_mediator(colleague, "France Travail Lyon")
    theirs = selection_services.create_selection(colleague, title="Se former", items=[(app_b, "")])
    selection_services.keep(user, selection_services.share(theirs))
    # Publisher onboarding: an application, a role, an invitation sent and one accepted.
    onboarding.apply(user, kind="join", publisher=publisher_a, justification="Chargée RH.")
    onboarding.set_role(publisher_b, user, Role.ADMIN)
    onboarding.invite(publisher_b, "collegue@example.org", Role.MEMBER, user)
    Invitation.objects.create(
        publisher=publisher_b, email=user.email, accepted_by=user, accepted_at=timezone.now()
    )
    # Besides the notification of the reply above: a choice of mails of her own.
    Preference.objects.create(user=user, kind="favourite_update", email=True)
    return user


def signed_in_client(client, user):
    client.force_login(user)
    return client


# --- The export ------------------------------------------------------------------------------


def test_the_export_holds_one_of_everything(person, app_a, app_c, publisher_b):
    data = personal_data.export(person)

    assert data["account"]["username"] == "dominique"
    assert data["account"]["email"] == "dominique@example.org"
    assert (data["account"]["first_name"], data["account"]["last_name"]) == ("Dominique", "Durand")
    assert data["sign_in"]["last_login"] and data["sign_in"]["date_joined"]
    assert data["sign_in"]["api_token_created_at"]
    assert data["preferences"]["language"] == "en"
    assert data["preferences"]["notify_review_reply"] is True
    assert data["publisher_memberships"] == [{"publisher": "Éditeur Bêta", "slug": "editeur-beta"}]
    assert [f["slug"] for f in data["favourites"]] == ["alpha-emploi"]

    reviews = {review["app"]["slug"]: review for review in data["reviews"]}
    assert set(reviews) == {"alpha-emploi", "gamma-metiers"}
    assert reviews["alpha-emploi"]["publisher_reply"]["body"] == "Merci pour votre avis !"
    removed = reviews["gamma-metiers"]["moderation"]
    assert removed["status"] == "removed"
    assert removed["decision_reason"] == "Hors sujet"
    assert removed["decided_at"]
    assert data["account"]["email_verified"]["email"] == "dominique@example.org"
    mediation = data["mediation"]
    assert mediation["mediator"]["organisation"] == "Mission locale de Lyon"
    [own] = mediation["selections"]
    assert (own["title"], own["message"]) == ("Pour Sam", "Commencez par Alpha.")
    assert own["apps"] == [{"app": "alpha-emploi", "name": "Alpha Emploi", "note": "Pour le CV"}]
    assert [kept["title"] for kept in mediation["saved_selections"]] == ["Se former"]

    assert [r["body"] for r in data["replies_written"]] == ["Réponse de l'éditeur Bêta."]
    assert [v["app"]["slug"] for v in data["helpful_votes"]] == ["alpha-emploi"]
    assert data["review_reports"][0]["comment"] == "Ne parle pas de l'app"
    assert data["problem_reports"][0]["message"] == "Le lien Android est cassé."
    notifications = data["notifications"]
    # A reply to her review, her removed review, a review of publisher B's app (a member).
    by_kind = {n["kind"]: n for n in notifications["notifications"]}
    assert set(by_kind) == {"review_reply", "review_moderated", "new_review"}
    assert by_kind["review_reply"]["params"]["reply"] == "Merci pour votre avis !"
    assert by_kind["review_moderated"]["params"]["reason"] == "Hors sujet"
    assert notifications["email_choices"]["favourite_update"] is True
    assert notifications["email_choices"]["review_reply"] is True  # « Mon compte »'s
    # JSON as is: no object the encoder would have to guess.
    json.dumps(data)


def test_every_link_to_users_is_exported_or_left_out_with_a_reason():
    """A new model pointing at users must be added to the export, or to NOT_EXPORTED."""
    links = set()
    for field in User._meta.get_fields(include_hidden=True):
        if field.is_relation and field.auto_created and not field.concrete:
            links.add(f"{field.related_model._meta.label}.{field.field.name}")
    classified = set(personal_data.EXPORTED) | set(personal_data.NOT_EXPORTED)
    assert links - classified == set(), "links to users neither exported nor left out"
    assert classified - links == set(), "stale entries in EXPORTED / NOT_EXPORTED"
    assert not set(personal_data.EXPORTED) & set(personal_data.NOT_EXPORTED)


def test_every_exported_relation_has_rows_for_the_person(person):
    """The person of the fixture really has one of everything the export covers."""
    for label in personal_data.EXPORTED:
        model_label, field = label.rsplit(".", 1)
        model = (User.groups.through if model_label == "auth.User_groups" else None) or __import__(
            "django.apps"
        ).apps.apps.get_model(model_label)
        if model_label == "wagtailusers.UserProfile":
            continue  # made by Wagtail on first use of the admin
        assert model.objects.filter(**{field: person}).exists(), label


def test_the_data_page_shows_it_and_the_json_download_is_the_same(client, person):
    signed_in_client(client, person)
    page = client.get(reverse("account_data"))
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "dominique@example.org",
        "Pratique",
        "Hors sujet",
        "Merci pour votre avis !",
        "Réponse de l&#x27;éditeur Bêta.",
        "Ne parle pas de l&#x27;app",
        "Le lien Android est cassé.",
        "Éditeur Bêta",
        "Alpha Emploi",
    ):
        assert text in html, text

    download = client.get(reverse("account_data_json"))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/json")
    assert "attachment" in download["Content-Disposition"]
    downloaded = json.loads(download.content)
    assert downloaded["reviews"] and downloaded["problem_reports"]
    assert downloaded["account"]["username"] == "dominique"


def test_the_api_export_returns_the_same_json(person):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {person.api_token}")
    response = api.get("/api/v1/me/export/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = response.json()
    expected = json.loads(json.dumps(personal_data.export(person)))
    for key in (
        "account",
        "preferences",
        "publisher_memberships",
        "reviews",
        "replies_written",
        "helpful_votes",
        "review_reports",
        "problem_reports",
    ):
        assert body[key] == expected[key], key
    assert APIClient().get("/api/v1/me/export/").status_code == 401


def test_the_data_pages_need_a_sign_in(client):
    for name in ("account_data", "account_data_json", "account_delete", "account_profile"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


# --- Deleting the account ------------------------------------------------------------------


def figures(app):
    app = AppPage.objects.get(pk=app.pk)
    return app.rating_average, app.rating_count, app.rating_histogram, app.popularity


def expected_figures(app, popularity):
    published = list(Review.objects.published().filter(app=app).values_list("rating", flat=True))
    histogram = {str(star): published.count(star) for star in range(1, 6)}
    average = (
        (Decimal(sum(published)) / len(published)).quantize(Decimal("0.01"))
        if published
        else Decimal("0")
    )
    return average, len(published), histogram, popularity


@pytest.mark.parametrize("choice", ["keep", "delete"])
def test_deleting_the_account_from_the_page(
    client, person, app_a, app_b, app_c, choice, django_capture_on_commit_callbacks
):
    popularity_before = AppPage.objects.get(pk=app_a.pk).popularity
    token = person.api_token
    about_a = Review.objects.get(app=app_a, body="Moyen.")
    assert about_a.helpful_count == 1 and about_a.report_count == 1
    reply_b = ReviewReply.objects.get(body="Réponse de l'éditeur Bêta.")
    problem = AppProblemReport.objects.get(message="Le lien Android est cassé.")
    own = list(Review.objects.filter(author=person).values_list("pk", flat=True))
    signed_in_client(client, person)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_delete"), {"reviews": choice, "password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == "/"
    assert not User.objects.filter(username="dominique").exists()
    # Signed out, and the account can neither sign in nor use its token.
    assert "_auth_user_id" not in client.session
    assert authenticate(username="dominique", password=PASSWORD) is None
    assert not DeviceToken.objects.filter(key_hash=hash_secret(token)).exists()
    assert not LinkedIdentity.objects.filter(subject="fc-dominique").exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/favourites/").status_code == 401
    # Favourites, votes and reports gone, counts recomputed.
    assert not Favourite.objects.filter(app=app_a).exists()
    assert not HelpfulVote.objects.exists()
    assert not ReviewReport.objects.exists()
    about_a.refresh_from_db()
    assert (about_a.helpful_count, about_a.report_count) == (0, 0)
    # The reply written for publisher B stays the publisher's; the problem report stays.
    reply_b.refresh_from_db()
    assert reply_b.author_id is None and reply_b.publisher_id == app_b.publisher_id
    problem.refresh_from_db()
    assert problem.user_id is None
    # The mediator's own selections go with the account; the colleague's they kept stays.
    assert list(Selection.objects.values_list("title", flat=True)) == ["Se former"]
    assert not Notification.objects.filter(user_id=person.pk).exists()
    assert not Preference.objects.filter(user_id=person.pk).exists()
    # Reviews: kept anonymous or deleted, as chosen.
    if choice == "keep":
        kept = Review.objects.filter(pk__in=own)
        assert kept.count() == 2 and set(kept.values_list("author", flat=True)) == {None}
    else:
        assert not Review.objects.filter(pk__in=own).exists()
    # Figures exact afterwards: ratings from the published reviews, popularity − 1.
    assert figures(app_a) == expected_figures(app_a, popularity_before - 1)
    for app in (app_b, app_c):
        assert figures(app)[:3] == expected_figures(app, 0)[:3]
    # The confirmation mail, to the address the account had.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dominique@example.org"]
    assert "supprim" in mail.outbox[0].subject.lower() or "deleted" in mail.outbox[0].subject


def test_an_anonymous_review_is_signed_deleted_user(client, person, app_a):
    personal_data.delete_account(person, keep_reviews=True)
    page = client.get(AppPage.objects.get(pk=app_a.pk).url)
    assert "Utilisateur supprimé" in page.content.decode()
    api = client.get(f"/api/v1/apps/{app_a.slug}/reviews/").json()
    assert "Utilisateur supprimé" in [review["author"] for review in api["results"]]


def test_the_search_follows_the_deletion(
    person, app_a, settings, django_capture_on_commit_callbacks
):
    from catalogue import signals

    seen = []

    def listen(sender, app_ids, **kwargs):
        seen.extend(app_ids)

    signals.app_counters_changed.connect(listen, dispatch_uid="test-deletion-listen")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            personal_data.delete_account(person, keep_reviews=False)
    finally:
        signals.app_counters_changed.disconnect(dispatch_uid="test-deletion-listen")
    assert app_a.pk in seen


def test_a_wrong_password_deletes_nothing(client, person):
    signed_in_client(client, person)
    response = client.post(reverse("account_delete"), {"reviews": "delete", "password": "non"})
    assert response.status_code == 400
    assert "Mot de passe incorrect" in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()
    assert mail.outbox == []


def test_the_last_member_of_a_publisher_must_hand_over_first(client, publisher_a, app_a):
    alone = MemberFactory(username="seule", publisher=publisher_a)
    signed_in_client(client, alone)
    page = client.get(reverse("account_delete"))
    assert "Éditeur Alpha" in page.content.decode()

    response = client.post(reverse("account_delete"), {"reviews": "keep", "password": PASSWORD})
    assert response.status_code == 409
    assert "dernier membre" in response.content.decode()
    assert User.objects.filter(pk=alone.pk).exists()

    # Another member joins: now the account may go.
    MemberFactory(username="relais", publisher=publisher_a)
    response = client.post(reverse("account_delete"), {"reviews": "keep", "password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=alone.pk).exists()


def test_an_inactive_colleague_does_not_count(publisher_a):
    alone = MemberFactory(username="seule", publisher=publisher_a)
    gone = MemberFactory(username="partie", publisher=publisher_a)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    with pytest.raises(personal_data.AccountDeletionRefused) as refusal:
        personal_data.delete_account(alone, keep_reviews=True)
    assert [p.slug for p in refusal.value.publishers] == ["editeur-alpha"]


def test_deleting_through_the_api(person, app_a, django_capture_on_commit_callbacks):
    key = person.api_token
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    wrong = api.delete("/api/v1/me/", {"password": "non"}, format="json")
    assert wrong.status_code == 400
    assert "password" in wrong.json()["errors"]
    missing = api.delete("/api/v1/me/", {}, format="json")
    assert missing.status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(
            "/api/v1/me/", {"password": PASSWORD, "reviews": "delete"}, format="json"
        )
    assert response.status_code == 204
    assert not User.objects.filter(pk=person.pk).exists()
    assert not Review.objects.filter(body__in=["Clair.", "Pas terrible."]).exists()
    assert api.get("/api/v1/me/export/").status_code == 401
    assert len(mail.outbox) == 1


def test_the_api_refuses_the_last_member(publisher_a):
    alone = MemberFactory(username="seule", publisher=publisher_a)
    api = APIClient()
    api.force_authenticate(alone)
    response = api.delete("/api/v1/me/", {"password": PASSWORD}, format="json")
    assert response.status_code == 409
    assert response.json()["publishers"] == ["editeur-alpha"]
    assert User.objects.filter(pk=alone.pk).exists()


def test_the_mail_speaks_the_persons_language(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        personal_data.delete_account(person, keep_reviews=True)
    # Dominique chose English (the English catalogue translates the mail).
    assert mail.outbox[0].subject == "Emploi Store: your account is deleted"
    assert "2 reviews stay published" in mail.outbox[0].body


def test_a_plain_user_is_deleted_with_nothing_to_recompute(django_capture_on_commit_callbacks):
    user = UserFactory(username="sans-rien")
    with django_capture_on_commit_callbacks(execute=True):
        personal_data.delete_account(user, keep_reviews=True)
    assert not User.objects.filter(pk=user.pk).exists()
    assert len(mail.outbox) == 1
