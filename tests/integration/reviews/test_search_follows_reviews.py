"""The search index follows the ratings: a newly published review moves the app in the rating
facet and the rating sort, on both backends."""

import uuid

import pytest

from reviews import services
from reviews.services import Decision
from search.backends import get_backend
from search.service import catalogue_search
from store.celery import app as celery_app
from tests.elasticsearch_utils import delete_indices
from tests.factories import AppPageFactory, EditorFactory, PublisherFactory, UserFactory
from tests.integration.reviews.conftest import seasoned_user


@pytest.fixture(params=["database", "elasticsearch"])
def search_backend(request, settings, db):
    settings.SEARCH_BACKEND = request.param
    if request.param == "elasticsearch":
        if not settings.ELASTICSEARCH_URL:
            pytest.fail("ELASTICSEARCH_URL is not set: these tests need the real node.")
        settings.ELASTICSEARCH_INDEX_PREFIX = f"test-reviews-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    backend = get_backend()
    backend.rebuild()
    yield backend
    celery_app.conf.task_always_eager = previous
    if request.param == "elasticsearch":
        delete_indices(settings.ELASTICSEARCH_URL, f"{settings.ELASTICSEARCH_INDEX_PREFIX}-")


def four_star_and_up() -> list[int]:
    get_backend().refresh()
    return catalogue_search(filters={"rating": ["4"]}).hits


def by_rating() -> list[int]:
    get_backend().refresh()
    return catalogue_search(sort="rating").hits


def rating_facet() -> dict[str, int]:
    get_backend().refresh()
    return {facet.value: facet.count for facet in catalogue_search().facets["rating"]}


@pytest.fixture
def two_apps(search_backend, django_capture_on_commit_callbacks):
    publisher = PublisherFactory(slug="notes")
    with django_capture_on_commit_callbacks(execute=True):
        first = AppPageFactory(publisher=publisher, title="Premier outil")
        second = AppPageFactory(publisher=publisher, title="Second outil")
        services.submit_review(first, seasoned_user(username="a1"), rating=3)
    return first, second


def test_a_published_review_moves_the_app_in_facet_and_sort(
    two_apps, django_capture_on_commit_callbacks
):
    first, second = two_apps
    assert four_star_and_up() == []
    assert by_rating() == [first.pk, second.pk]

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_review(second, seasoned_user(username="a2"), rating=5)

    assert four_star_and_up() == [second.pk]
    assert by_rating() == [second.pk, first.pk]
    assert rating_facet()["4"] == 1


def test_an_approved_review_counts_only_once_approved(two_apps, django_capture_on_commit_callbacks):
    _first, second = two_apps
    with django_capture_on_commit_callbacks(execute=True):
        held = services.submit_review(second, UserFactory(username="tout-neuf"), rating=5)
    assert held.status == "pending"
    assert four_star_and_up() == []

    with django_capture_on_commit_callbacks(execute=True):
        services.moderate([held.pk], decision=Decision.APPROVE, editor=EditorFactory())

    assert four_star_and_up() == [second.pk]


def test_a_removed_review_takes_the_app_out_again(two_apps, django_capture_on_commit_callbacks):
    first, _second = two_apps
    with django_capture_on_commit_callbacks(execute=True):
        review = services.submit_review(first, seasoned_user(username="a3"), rating=5)
    assert four_star_and_up() == [first.pk]  # (3 + 5) / 2 = 4

    with django_capture_on_commit_callbacks(execute=True):
        services.moderate([review.pk], decision=Decision.REMOVE, editor=EditorFactory())

    assert four_star_and_up() == []
