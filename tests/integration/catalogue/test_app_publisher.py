"""AppPage.publisher always follows the parent PublisherPage."""

import pytest
from wagtail.actions.move_page import MovePageAction

from catalogue.models import AppPage
from tests.factories import AppPageFactory

pytestmark = pytest.mark.django_db


def test_new_app_takes_the_publisher_of_its_parent_page(publisher_a, publisher_b):
    app = AppPageFactory(publisher=publisher_a)

    assert app.get_parent().specific.publisher == publisher_a
    assert AppPage.objects.get(pk=app.pk).publisher == publisher_a


def test_parent_wins_over_a_publisher_set_by_hand(app_a, publisher_b):
    app_a.publisher = publisher_b
    app_a.save()

    assert AppPage.objects.get(pk=app_a.pk).publisher_id == app_a.get_parent().specific.publisher_id


def test_moving_an_app_with_move_page_action_changes_its_publisher(app_a, publisher_b):
    MovePageAction(app_a, publisher_b.page, pos="last-child").execute()

    app = AppPage.objects.get(pk=app_a.pk)
    assert app.get_parent().pk == publisher_b.page.pk
    assert app.publisher == publisher_b
    assert app.url_path.startswith(publisher_b.page.url_path)


def test_moving_an_app_with_page_move_changes_its_publisher(app_a, publisher_b):
    app_a.move(publisher_b.page, pos="last-child")

    assert AppPage.objects.get(pk=app_a.pk).publisher == publisher_b


def test_publishing_an_older_revision_after_a_move_keeps_the_new_publisher(app_a, publisher_b):
    """The old revision was saved under publisher A; publishing it must not move it back."""
    old_revision = app_a.latest_revision
    assert old_revision.content["publisher"] == app_a.publisher_id

    MovePageAction(app_a, publisher_b.page, pos="last-child").execute()
    type(old_revision).objects.get(pk=old_revision.pk).publish()

    app = AppPage.objects.get(pk=app_a.pk)
    assert app.publisher == publisher_b
    assert app.get_parent().pk == publisher_b.page.pk


def test_saving_a_new_revision_after_a_move_keeps_the_new_publisher(app_a, publisher_b):
    MovePageAction(app_a, publisher_b.page, pos="last-child").execute()
    app = AppPage.objects.get(pk=app_a.pk)
    app.tagline = "Accroche après déménagement"
    app.save_revision().publish()

    app = AppPage.objects.get(pk=app_a.pk)
    assert app.publisher == publisher_b
    assert app.latest_revision.content["publisher"] == publisher_b.pk


def test_moved_app_is_listed_on_its_new_publisher(app_a, publisher_a, publisher_b):
    MovePageAction(app_a, publisher_b.page, pos="last-child").execute()

    assert not AppPage.objects.of_publisher(publisher_a).exists()
    assert list(AppPage.objects.of_publisher(publisher_b)) == [AppPage.objects.get(pk=app_a.pk)]
