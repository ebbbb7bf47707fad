"""Twenty people review and vote on one app at the same moment, each on its own connection to
PostgreSQL: the counts, the average and the histogram come out exact."""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, connections

from catalogue.models import AppPage
from reviews import services
from reviews.models import HelpfulVote, Review
from tests.factories import AppPageFactory, PublisherFactory
from tests.integration.reviews.conftest import seasoned_user

# serialized_rollback: the flush after each test would take the page tree the migrations made.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PEOPLE = 20


def run_together(function, arguments):
    """Call function(argument) in PEOPLE threads released at the same instant."""
    start = threading.Barrier(len(arguments))

    def call(argument):
        try:
            start.wait(timeout=30)
            return function(argument)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(call, arguments))


@pytest.fixture
def app_and_people():
    assert connection.vendor == "postgresql", "the concurrency test needs PostgreSQL"
    app = AppPageFactory(publisher=PublisherFactory(slug="concurrence"))
    people = [seasoned_user(username=f"personne{n}") for n in range(PEOPLE)]
    return app, people


def test_parallel_reviews_and_votes_end_with_exact_figures(app_and_people):
    app, people = app_and_people
    ratings = [(n % 5) + 1 for n in range(PEOPLE)]  # four of each star

    reviews = run_together(
        lambda n: services.submit_review(app, people[n], rating=ratings[n], body="Avis"),
        list(range(PEOPLE)),
    )

    assert all(review.status == Review.Status.PUBLISHED for review in reviews)
    app = AppPage.objects.get(pk=app.pk)
    assert app.rating_count == PEOPLE
    assert app.rating_average == Decimal("3.00")
    assert app.rating_histogram == {str(star): 4 for star in range(1, 6)}

    # Everyone but its author votes for the first review, twice each, all at once.
    target = reviews[0]
    voters = people[1:] * 2
    changed = run_together(lambda user: services.set_helpful(target, user), voters)

    assert sum(changed) == PEOPLE - 1
    target.refresh_from_db()
    assert target.helpful_count == PEOPLE - 1 == HelpfulVote.objects.filter(review=target).count()


def test_parallel_edits_deletions_and_new_reviews_keep_the_figures_exact(app_and_people):
    app, people = app_and_people
    first_half = people[: PEOPLE // 2]
    for person in first_half:
        services.submit_review(app, person, rating=1)

    def act(n):
        person = people[n]
        if n < PEOPLE // 4:  # a quarter deletes its review
            services.delete_review(Review.objects.get(app=app, author=person))
        elif n < PEOPLE // 2:  # a quarter raises its rating to 5
            services.edit_review(Review.objects.get(app=app, author=person), rating=5)
        else:  # the other half writes a 4
            services.submit_review(app, person, rating=4)

    run_together(act, list(range(PEOPLE)))

    app = AppPage.objects.get(pk=app.pk)
    published = Review.objects.published().filter(app=app)
    assert app.rating_count == published.count() == 15
    assert app.rating_histogram == {"1": 0, "2": 0, "3": 0, "4": 10, "5": 5}
    assert app.rating_average == Decimal("4.33")


def test_the_same_person_submitting_twice_at_once_gets_one_review(app_and_people):
    app, people = app_and_people
    person = people[0]

    def submit(_):
        try:
            return services.submit_review(app, person, rating=3)
        except services.AlreadyReviewed:
            return None

    results = run_together(submit, list(range(8)))

    assert sum(result is not None for result in results) == 1
    assert Review.objects.filter(app=app, author=person).count() == 1
    assert AppPage.objects.get(pk=app.pk).rating_count == 1
