"""The catalogue's events (catalogue.signals): what sends them, and the one receiver that moves
the API's catalogue version on each of them."""

from contextlib import contextmanager

import pytest
from wagtail.models import Page

from catalogue import signals
from catalogue.api import caching
from catalogue.api.caching import catalogue_version
from catalogue.models import AppPage, Category, Favourite
from catalogue.services import add_favourite, remove_favourite
from reviews import services as reviews
from tests.factories import AppPageFactory, UserFactory
from tests.integration.reviews.conftest import seasoned_user

pytestmark = pytest.mark.django_db


@contextmanager
def received(signal):
    """The keyword arguments of each sending of ``signal`` inside the block."""
    calls = []

    def receiver(sender, **kwargs):
        calls.append({"sender": sender, **{k: v for k, v in kwargs.items() if k != "signal"}})

    signal.connect(receiver, weak=False, dispatch_uid="test_events.received")
    try:
        yield calls
    finally:
        signal.disconnect(dispatch_uid="test_events.received")


def app_ids(calls) -> list[list[int]]:
    return [call["app_ids"] for call in calls]


def test_publishing_unpublishing_and_deleting_an_app_change_it(publisher_a):
    with received(signals.app_changed) as calls:
        app = AppPageFactory(publisher=publisher_a)
        app.unpublish()
        pk = app.pk
        app.delete()

    assert app_ids(calls) == [[pk], [pk], [pk]]


def test_moving_an_app_changes_it_and_its_publisher_follows(app_a, publisher_b):
    with received(signals.app_changed) as calls:
        app_a.move(publisher_b.page, pos="last-child")

    assert app_ids(calls) == [[app_a.pk]]
    assert AppPage.objects.get(pk=app_a.pk).publisher_id == publisher_b.pk


def test_editing_a_publisher_changes_its_apps_only(app_a, app_b, publisher_a):
    with received(signals.app_changed) as changed, received(signals.catalogue_changed) as other:
        publisher_a.name = "Éditeur Alpha renommé"
        publisher_a.save()

    assert app_ids(changed) == [[app_a.pk]]
    assert any(call["sender"] is type(publisher_a) for call in other)


def test_editing_a_category_changes_the_apps_in_it(app_a, app_b):
    category = app_a.categories.first()
    app_b.categories.set([Category.objects.exclude(pk=category.pk).filter(parent=None).first()])
    app_b.save_revision().publish()

    with received(signals.app_changed) as calls:
        category.description = "Une description neuve"
        category.save()

    assert app_ids(calls) == [[app_a.pk]]


def test_another_page_is_a_catalogue_change(catalogue):
    with received(signals.catalogue_changed) as calls, received(signals.app_changed) as apps:
        catalogue.save_revision().publish()

    assert [call["sender"] for call in calls] == [type(catalogue)]
    assert apps == []
    assert isinstance(catalogue, Page)


def test_favourites_move_the_counters_once(app_a):
    user = UserFactory()
    with received(signals.app_counters_changed) as calls:
        assert add_favourite(user, app_a)
        assert not add_favourite(user, app_a)  # already one: nothing moves
        assert remove_favourite(user, app_a.pk)
        assert not remove_favourite(user, app_a.pk)

    assert app_ids(calls) == [[app_a.pk], [app_a.pk]]
    assert [call["sender"] for call in calls] == [Favourite, Favourite]


def test_a_published_review_moves_the_counters_a_held_one_does_not(app_a):
    with received(signals.app_counters_changed) as calls:
        reviews.submit_review(app_a, seasoned_user(username="lectrice"), rating=4)
        reviews.submit_review(app_a, UserFactory(username="nouveau"), rating=1)  # held: too new

    assert app_ids(calls) == [[app_a.pk]]


@pytest.mark.parametrize(
    "event",
    ["app_changed", "app_counters_changed", "catalogue_changed", "apps_indexed"],
)
def test_every_event_moves_the_catalogue_version_once_committed(
    event, django_capture_on_commit_callbacks
):
    before = catalogue_version()

    with django_capture_on_commit_callbacks() as callbacks:
        getattr(signals, event).send(sender=AppPage, app_ids=[1])
        assert catalogue_version() == before  # not before the commit

    bumps = [callback for callback in callbacks if callback is caching._bump]
    assert len(bumps) == 1  # (search schedules its reindexing on commit too)
    bumps[0]()
    assert catalogue_version() > before
