"""The index follows the catalogue: publish, unpublish, delete, move and publisher changes go
through Celery tasks enqueued on commit, on both backends. A search outage never fails a publish.
"""

import uuid

import pytest
from django.core.management import call_command

from catalogue.models import AppPage
from search.backends import get_backend
from search.service import catalogue_search
from store.celery import app as celery_app
from tests.elasticsearch_utils import delete_indices
from tests.factories import AppPageFactory, PublisherFactory


@pytest.fixture(params=["database", "elasticsearch"])
def search_backend(request, settings, db):
    settings.SEARCH_BACKEND = request.param
    if request.param == "elasticsearch":
        if not settings.ELASTICSEARCH_URL:
            pytest.fail("ELASTICSEARCH_URL is not set: the indexing tests need the real node.")
        settings.ELASTICSEARCH_INDEX_PREFIX = f"test-indexing-{uuid.uuid4().hex[:8]}"
    backend = get_backend()
    backend.rebuild()
    yield backend
    if request.param == "elasticsearch":
        delete_indices(settings.ELASTICSEARCH_URL, f"{settings.ELASTICSEARCH_INDEX_PREFIX}-")


@pytest.fixture
def eager_tasks():
    """Run the tasks in process: the worker itself is tested in tests/integration/store."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def found(query: str) -> list[int]:
    get_backend().refresh()
    return catalogue_search(query=query).hits


def publish_app(capture, **kwargs) -> AppPage:
    with capture(execute=True):
        return AppPageFactory(**kwargs)


def test_publishing_makes_an_app_searchable(
    search_backend, eager_tasks, django_capture_on_commit_callbacks
):
    app = publish_app(django_capture_on_commit_callbacks, title="Simulateur de salaire")

    assert found("simulateur") == [app.pk]


def test_unpublishing_removes_it(search_backend, eager_tasks, django_capture_on_commit_callbacks):
    app = publish_app(django_capture_on_commit_callbacks, title="Simulateur de salaire")

    with django_capture_on_commit_callbacks(execute=True):
        app.unpublish()

    assert found("simulateur") == []


def test_deleting_removes_it(search_backend, eager_tasks, django_capture_on_commit_callbacks):
    app = publish_app(django_capture_on_commit_callbacks, title="Simulateur de salaire")

    with django_capture_on_commit_callbacks(execute=True):
        app.delete()

    assert found("simulateur") == []


def test_a_draft_is_never_indexed(search_backend, eager_tasks, django_capture_on_commit_callbacks):
    publish_app(django_capture_on_commit_callbacks, title="Simulateur de salaire", live=False)

    assert found("simulateur") == []


def test_renaming_the_publisher_reindexes_its_apps(
    search_backend, eager_tasks, django_capture_on_commit_callbacks
):
    publisher = PublisherFactory(name="Atelier Nord", slug="atelier-nord")
    app = publish_app(django_capture_on_commit_callbacks, publisher=publisher, title="Boussole")

    with django_capture_on_commit_callbacks(execute=True):
        publisher.name = "Coopérative Horizon"
        publisher.save()

    assert found("horizon") == [app.pk]
    assert found("atelier") == []
    facet = catalogue_search(filters={"publisher": ["atelier-nord"]}).facets["publisher"]
    assert [(value.value, value.label) for value in facet] == [
        ("atelier-nord", "Coopérative Horizon")
    ]


def test_moving_an_app_to_another_publisher_updates_its_facet(
    search_backend, eager_tasks, django_capture_on_commit_callbacks
):
    first = PublisherFactory(name="Atelier Nord", slug="atelier-nord")
    second = PublisherFactory(name="Atelier Sud", slug="atelier-sud")
    app = publish_app(django_capture_on_commit_callbacks, publisher=first, title="Boussole")

    with django_capture_on_commit_callbacks(execute=True):
        app.move(second.page, pos="last-child")

    get_backend().refresh()
    results = catalogue_search(filters={"publisher": ["atelier-sud"]})
    assert results.hits == [app.pk]


def test_publishing_succeeds_while_elasticsearch_is_down_and_reconcile_repairs(
    settings, db, eager_tasks, django_capture_on_commit_callbacks
):
    if not settings.ELASTICSEARCH_URL:
        pytest.fail("ELASTICSEARCH_URL is not set: this test needs the real node.")
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_INDEX_PREFIX = f"test-outage-{uuid.uuid4().hex[:8]}"
    backend = get_backend()
    backend.rebuild()
    real_url = settings.ELASTICSEARCH_URL
    try:
        settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"  # nothing listens there
        app = publish_app(django_capture_on_commit_callbacks, title="Simulateur de salaire")
        assert AppPage.objects.live().filter(pk=app.pk).exists()

        settings.ELASTICSEARCH_URL = real_url
        assert app.pk in backend.check().missing

        call_command("search_index", "--reconcile")
        assert found("simulateur") == [app.pk]
        assert backend.check().clean
    finally:
        settings.ELASTICSEARCH_URL = real_url
        delete_indices(real_url, f"{settings.ELASTICSEARCH_INDEX_PREFIX}-")
