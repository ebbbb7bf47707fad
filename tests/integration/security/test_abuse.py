"""Item 4 of issue 13: fresh accounts and floods of votes or reports do not count (yet).

The attack: three accounts made today report a review to hide it; one account votes on
dozens of reviews to push them up. The votes and reports are recorded (editors see them),
the review stays published and its counts do not move — until the accounts qualify.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from reviews import services
from reviews.models import HelpfulVote, ModerationPolicy, Review, ReviewReport
from tests.factories import AppPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def account(username, *, age_days=0):
    user = UserFactory(username=username)
    user.date_joined = timezone.now() - timedelta(days=age_days)
    user.save(update_fields=["date_joined"])
    return user


@pytest.fixture
def review(app_a):
    author = account("autrice", age_days=60)
    return services.submit_review(app_a, author, rating=5, title="Bien", body="Très utile.")


def test_three_fresh_accounts_cannot_hide_a_review(review):
    api = APIClient()
    for n in range(3):
        api.force_authenticate(account(f"frais{n}"))
        response = api.post(
            f"/api/v1/reviews/{review.pk}/reports/", {"reason": "spam"}, format="json"
        )
        assert response.status_code == 201  # recorded: the attacker learns nothing

    review.refresh_from_db()
    assert review.status == Review.Status.PUBLISHED
    assert review.report_count == 0
    assert ReviewReport.objects.filter(review=review, counted=False).count() == 3
    app = review.app
    app.refresh_from_db()
    assert app.rating_count == 1

    # A day later the accounts are old enough: their reports count, and hide the review
    # until an editor decides (as three seasoned accounts' would have at once).
    assert services.qualify_signals(now=timezone.now() + timedelta(hours=25)) == 3
    review.refresh_from_db()
    assert (review.status, review.report_count) == (Review.Status.PENDING, 3)
    assert review.held_because == [Review.HeldBecause.REPORTED]


def test_seasoned_accounts_reports_count_at_once(review):
    for n in range(3):
        services.report_review(review, account(f"ancien{n}", age_days=30), reason="spam")
    review.refresh_from_db()
    assert review.status == Review.Status.PENDING


def test_fresh_votes_do_not_inflate_a_review(review):
    api = APIClient()
    for n in range(5):
        api.force_authenticate(account(f"voteur{n}"))
        assert api.put(f"/api/v1/reviews/{review.pk}/helpful/").status_code == 204
    review.refresh_from_db()
    assert review.helpful_count == 0
    assert HelpfulVote.objects.filter(review=review, counted=False).count() == 5


def test_one_account_counts_its_daily_budget_only(publisher_a, publisher_b):
    policy = ModerationPolicy.load()
    policy.votes_per_day = 3
    policy.save()
    voter = account("militant", age_days=60)
    reviews = []
    for n in range(5):
        app = AppPageFactory(publisher=publisher_b, slug=f"appli-{n}")
        reviews.append(
            services.submit_review(
                app, account(f"auteur{n}", age_days=60), rating=5, title="Bien", body="Oui."
            )
        )
    for review in reviews:
        assert services.set_helpful(review, voter) is True  # every vote recorded

    counts = [Review.objects.get(pk=review.pk).helpful_count for review in reviews]
    assert counts == [1, 1, 1, 0, 0]
    # The next day, the two votes over budget count.
    services.qualify_signals(now=timezone.now() + timedelta(days=1, minutes=1))
    assert [Review.objects.get(pk=review.pk).helpful_count for review in reviews] == [1] * 5


def test_taking_back_a_vote_not_counted_yet_changes_no_count(review):
    fresh = account("hesitant")
    services.set_helpful(review, fresh)
    services.set_helpful(review, fresh, helpful=False)
    review.refresh_from_db()
    assert review.helpful_count == 0
    assert not HelpfulVote.objects.filter(review=review).exists()
