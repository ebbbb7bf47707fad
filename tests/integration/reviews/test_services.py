"""reviews.services: the moderation rules, the transitions and the app's rating aggregates."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from catalogue.models import AppPage
from catalogue.permissions import publishers_of
from reviews import services
from reviews.models import HelpfulVote, ModerationPolicy, Review, ReviewReply, ReviewReport
from reviews.services import Decision
from tests.factories import EditorFactory, MemberFactory, UserFactory
from tests.integration.reviews.conftest import seasoned_user

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]

Status = Review.Status


def figures(app) -> tuple[Decimal, int, dict]:
    app = AppPage.objects.get(pk=app.pk)
    return app.rating_average, app.rating_count, app.rating_histogram


def histogram(**stars) -> dict:
    counts = {str(star): 0 for star in range(1, 6)}
    counts.update({name[1:]: value for name, value in stars.items()})
    return counts


# --- Moderation rules: each one alone holds a review as pending ---------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Voir https://exemple.fr/offre pour plus", "link"),
        ("Allez sur www.arnaque.com tout de suite", "link"),
        ("Rendez-vous sur promo-emploi.fr", "link"),
        ("Écrivez-moi : jean.dupont@example.org", "email"),
        ("Écrivez-moi : jean.dupont (at) example.org", "email"),
        ("Appelez le 06 12 34 56 78", "phone"),
        ("Appelez le +33 6 12 34 56 78", "phone"),
        ("Appelez le 0612345678", "phone"),
    ],
)
def test_contact_details_hold_a_review(app_a, author, text, reason):
    review = services.submit_review(app_a, author, rating=5, body=text)

    assert review.status == Status.PENDING
    assert review.held_because == [reason]


@pytest.mark.parametrize(
    "text",
    [
        "Très pratique pour préparer mes entretiens, merci !",
        "Version 2.3 : plus rapide. Note 4.5 sur 5, 10 000 offres.",
        "J'ai trouvé un CDI en 3 semaines.",
    ],
)
def test_ordinary_text_is_published_at_once(app_a, author, text):
    review = services.submit_review(app_a, author, rating=4, title="Bien", body=text)

    assert review.status == Status.PUBLISHED
    assert review.held_because == []


def test_a_young_account_is_held(app_a):
    newcomer = UserFactory(username="nouveau")  # joined just now

    review = services.submit_review(app_a, newcomer, rating=5, body="Super")

    assert (review.status, review.held_because) == (Status.PENDING, ["new_account"])


def test_account_age_comes_from_settings_and_editors_may_change_it(app_a, settings):
    user = UserFactory(username="recent")
    user.date_joined = timezone.now() - timedelta(hours=5)
    user.save()
    settings.REVIEWS = {**settings.REVIEWS, "MIN_ACCOUNT_AGE_HOURS": 4}
    assert services.submit_review(app_a, user, rating=3).status == Status.PUBLISHED

    policy = ModerationPolicy.load()
    policy.min_account_age_hours = 6
    policy.save()
    services.delete_review(Review.objects.get(author=user))
    assert services.submit_review(app_a, user, rating=3).held_because == ["new_account"]


def test_too_many_reviews_in_an_hour_are_held(author, publisher_a, settings):
    from tests.factories import AppPageFactory

    settings.REVIEWS = {**settings.REVIEWS, "MAX_REVIEWS_PER_HOUR": 2}
    apps = [AppPageFactory(publisher=publisher_a) for _ in range(4)]

    statuses = [services.submit_review(app, author, rating=4).status for app in apps]

    assert statuses == [Status.PUBLISHED, Status.PUBLISHED, Status.PENDING, Status.PENDING]
    assert Review.objects.filter(author=author, held_because=["too_many"]).count() == 2
    # An hour later the author may post again.
    Review.objects.filter(author=author).update(created_at=timezone.now() - timedelta(hours=2))
    services.delete_review(Review.objects.get(author=author, app=apps[3]))
    assert services.submit_review(apps[3], author, rating=4).status == Status.PUBLISHED


def test_blocked_words_ignore_case_and_accents(app_a, author, other_user, settings):
    settings.REVIEWS = {**settings.REVIEWS, "BLOCKED_WORDS": ["arnaque"]}
    policy = ModerationPolicy.load()
    policy.blocked_words = "escroquerie totale\n"
    policy.save()

    held = services.submit_review(app_a, author, rating=1, body="Une ARNAQUE !")
    also_held = services.submit_review(app_a, other_user, rating=1, title="Escroquérie Totale")

    assert held.held_because == ["blocked_word"]
    assert also_held.held_because == ["blocked_word"]
    # Whole words only: "arnaques" in a longer word does not match "arnaque" inside "tarnaquer".
    third = seasoned_user(username="troisieme")
    assert services.submit_review(app_a, third, rating=4, body="Les tarnaques").status == (
        Status.PUBLISHED
    )


def test_several_rules_are_all_reported(app_a):
    newcomer = UserFactory(username="pressé")
    review = services.submit_review(
        app_a, newcomer, rating=1, body="Contact : a@b.fr ou 06 12 34 56 78"
    )

    assert set(review.held_because) == {"email", "phone", "new_account"}


def test_reports_from_three_distinct_users_hide_a_review(app_a, author):
    review = services.submit_review(app_a, author, rating=5, body="Parfait")
    reporters = [seasoned_user(username=f"rapporteur{n}") for n in range(3)]

    services.report_review(review, reporters[0], reason="spam")
    services.report_review(review, reporters[1], reason="offensive", comment="Injurieux")
    review.refresh_from_db()
    assert (review.status, review.report_count) == (Status.PUBLISHED, 2)
    assert figures(app_a)[1] == 1

    services.report_review(review, reporters[2], reason="other")

    review.refresh_from_db()
    assert (review.status, review.held_because, review.report_count) == (
        Status.PENDING,
        ["reported"],
        3,
    )
    assert figures(app_a) == (Decimal("0"), 0, histogram())


def test_a_user_reports_a_review_once_and_never_their_own(app_a, author, other_user):
    review = services.submit_review(app_a, author, rating=5)
    services.report_review(review, other_user, reason="spam")

    with pytest.raises(services.AlreadyReported):
        services.report_review(review, other_user, reason="offensive")
    with pytest.raises(services.NotAllowed):
        services.report_review(review, author, reason="spam")
    assert ReviewReport.objects.count() == 1


def test_an_editor_decision_resolves_reports(app_a, author):
    review = services.submit_review(app_a, author, rating=5)
    for n in range(3):
        services.report_review(review, seasoned_user(username=f"r{n}"), reason="spam")

    services.moderate([review.pk], decision=Decision.APPROVE, editor=EditorFactory())

    review.refresh_from_db()
    assert (review.status, review.report_count) == (Status.PUBLISHED, 0)
    assert not ReviewReport.objects.filter(resolved_at=None).exists()
    # New reports count afresh: one more does not hide it again.
    services.report_review(review, seasoned_user(username="r-late"), reason="spam")
    review.refresh_from_db()
    assert review.status == Status.PUBLISHED


# --- One review per user per app -----------------------------------------------------------


def test_one_review_per_user_per_app(app_a, author):
    first = services.submit_review(app_a, author, rating=4)

    with pytest.raises(services.AlreadyReviewed) as refused:
        services.submit_review(app_a, author, rating=1)

    assert refused.value.existing == first
    assert Review.objects.count() == 1


def test_the_database_enforces_it_too(app_a, author):
    Review.objects.create(app=app_a, author=author, rating=3)
    with pytest.raises(IntegrityError):
        Review.objects.create(app=app_a, author=author, rating=4)


@pytest.mark.parametrize("rating", [0, 6])
def test_the_database_refuses_ratings_outside_1_to_5(app_a, author, rating):
    with pytest.raises(IntegrityError):
        Review.objects.create(app=app_a, author=author, rating=rating)


def test_the_database_refuses_a_body_over_2000_characters(app_a, author):
    with pytest.raises(IntegrityError):
        Review.objects.create(app=app_a, author=author, rating=3, body="x" * 2001)


# --- Aggregates after every transition -----------------------------------------------------


@pytest.fixture
def three_reviews(app_a):
    authors = [seasoned_user(username=f"auteur{n}") for n in range(3)]
    return [
        services.submit_review(app_a, user, rating=rating)
        for user, rating in zip(authors, (5, 4, 2), strict=True)
    ]


def test_publishing_counts(app_a, three_reviews):
    assert figures(app_a) == (Decimal("3.67"), 3, histogram(s5=1, s4=1, s2=1))


def test_a_pending_review_does_not_count_until_approved(app_a, three_reviews):
    held = services.submit_review(app_a, UserFactory(username="jeune"), rating=1)
    assert held.status == Status.PENDING
    assert figures(app_a)[1] == 3

    services.moderate([held.pk], decision=Decision.APPROVE, editor=EditorFactory())

    assert figures(app_a) == (Decimal("3.00"), 4, histogram(s5=1, s4=1, s2=1, s1=1))


def test_rejecting_a_pending_review_keeps_the_figures_and_the_reason(app_a, three_reviews):
    held = services.submit_review(app_a, UserFactory(username="jeune"), rating=1)

    services.moderate(
        [held.pk], decision=Decision.REJECT, editor=EditorFactory(), reason="Hors sujet"
    )

    held.refresh_from_db()
    assert (held.status, held.moderation_reason) == (Status.REJECTED, "Hors sujet")
    assert figures(app_a) == (Decimal("3.67"), 3, histogram(s5=1, s4=1, s2=1))


def test_removing_a_published_review(app_a, three_reviews):
    services.moderate(
        [three_reviews[0].pk], decision=Decision.REMOVE, editor=EditorFactory(), reason="Faux"
    )

    assert figures(app_a) == (Decimal("3.00"), 2, histogram(s4=1, s2=1))


def test_editing_the_rating(app_a, three_reviews):
    services.edit_review(three_reviews[2], rating=5)

    assert figures(app_a) == (Decimal("4.67"), 3, histogram(s5=2, s4=1))


def test_editing_into_a_held_text_takes_it_out_of_the_figures(app_a, three_reviews):
    review = services.edit_review(three_reviews[0], body="Mon numéro : 06 12 34 56 78")

    assert (review.status, review.held_because) == (Status.PENDING, ["phone"])
    assert review.edited_at is not None
    assert figures(app_a) == (Decimal("3.00"), 2, histogram(s4=1, s2=1))


def test_editing_a_rejected_review_sends_it_back_to_editors(app_a, three_reviews):
    services.moderate([three_reviews[1].pk], decision=Decision.REMOVE, editor=EditorFactory())

    review = services.edit_review(three_reviews[1], body="Je reformule poliment.")

    assert (review.status, review.held_because) == (Status.PENDING, ["resubmitted"])
    assert figures(app_a)[1] == 2


def test_deleting(app_a, three_reviews):
    services.delete_review(three_reviews[1])

    assert figures(app_a) == (Decimal("3.50"), 2, histogram(s5=1, s2=1))
    for review in three_reviews[::2]:
        services.delete_review(review)
    assert figures(app_a) == (Decimal("0"), 0, histogram())


def test_only_editors_moderate(app_a, three_reviews, member_a):
    with pytest.raises(services.NotAllowed):
        services.moderate([three_reviews[0].pk], decision=Decision.REMOVE, editor=member_a)
    assert Review.objects.filter(status=Status.PUBLISHED).count() == 3


def test_publishing_the_app_again_keeps_figures_from_the_reviews(app_a, three_reviews):
    # A revision saved before the reviews must not bring back its old (empty) figures.
    app = AppPage.objects.get(pk=app_a.pk)
    app.tagline = "Nouvelle accroche"
    app.save_revision().publish()

    assert figures(app_a) == (Decimal("3.67"), 3, histogram(s5=1, s4=1, s2=1))


# --- Helpful votes -------------------------------------------------------------------------


def test_helpful_votes_are_idempotent_and_never_on_ones_own(app_a, author, other_user):
    review = services.submit_review(app_a, author, rating=5)

    assert services.set_helpful(review, other_user) is True
    assert services.set_helpful(review, other_user) is False
    review.refresh_from_db()
    assert review.helpful_count == 1
    with pytest.raises(services.NotAllowed):
        services.set_helpful(review, author)

    assert services.set_helpful(review, other_user, helpful=False) is True
    assert services.set_helpful(review, other_user, helpful=False) is False
    review.refresh_from_db()
    assert (review.helpful_count, HelpfulVote.objects.count()) == (0, 0)


# --- Publisher replies ---------------------------------------------------------------------


def test_a_member_of_the_apps_publisher_replies_once_then_edits(app_a, author, member_a):
    review = services.submit_review(app_a, author, rating=2)

    reply, created = services.save_reply(review, member_a, "Merci, corrigé en 2.1.")
    again, created_again = services.save_reply(review, member_a, "Corrigé en 2.2.")

    assert (created, created_again) == (True, False)
    assert again.pk == reply.pk
    stored = ReviewReply.objects.get()
    assert (stored.body, stored.publisher_id, stored.edited_at is not None) == (
        "Corrigé en 2.2.",
        app_a.publisher_id,
        True,
    )
    assert services.delete_reply(review, member_a) is True
    assert not ReviewReply.objects.exists()


@pytest.mark.parametrize("who", ["member_b", "editor", "author", "other_user"])
def test_nobody_else_replies(app_a, author, who, request):
    review = services.submit_review(app_a, author, rating=2)
    user = request.getfixturevalue(who)

    with pytest.raises(services.NotAllowed):
        services.save_reply(review, user, "Réponse")
    assert not ReviewReply.objects.exists()


def test_membership_is_per_publisher(app_a, publisher_b):
    colleague = MemberFactory(publisher=publisher_b)
    assert not services.is_publisher_member(colleague, app_a)
    assert publishers_of(colleague) == {publisher_b.pk}


def test_a_publisher_neither_rates_its_own_apps_nor_votes_on_their_reviews(app_a, author, member_a):
    with pytest.raises(services.NotAllowed):
        services.submit_review(app_a, member_a, rating=5)
    review = services.submit_review(app_a, author, rating=1)
    with pytest.raises(services.NotAllowed):
        services.set_helpful(review, member_a)
    assert (Review.objects.count(), HelpfulVote.objects.count()) == (1, 0)
