"""`manage.py load_demo`: a realistic catalogue, and running it again changes nothing.

The demo is loaded once for the module, inside a transaction rolled back at the end; each
test runs in its own savepoint on top of it (the ``db`` fixture), so nothing leaks out.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, WorkflowState

from catalogue.models import AppListing, AppPage, Category, Collection, Publisher
from catalogue.permissions import EDITORS_GROUP, is_member
from reviews.models import Review, ReviewReply

# One process loads the demo once for the whole module (its fixture is per module).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("load_demo")]


def counts():
    return {
        "apps": AppPage.objects.count(),
        "live_apps": AppPage.objects.live().count(),
        "publishers": Publisher.objects.count(),
        "pages": Page.objects.count(),
        "listings": AppListing.objects.count(),
        "images": get_image_model().objects.count(),
        "revisions": Revision.objects.count(),
        "workflow_states": WorkflowState.objects.count(),
        "users": get_user_model().objects.count(),
        "collections": Collection.objects.count(),
        "categories": Category.objects.count(),
        "reviews": Review.objects.count(),
        "replies": ReviewReply.objects.count(),
    }


def load_demo():
    out = StringIO()
    call_command("load_demo", verbosity=1, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Counts after a first load of the demo (media written to a temporary directory)."""
    media_root = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        output = load_demo()
        yield {"counts": counts(), "output": output, "media_root": media_root}
        transaction.set_rollback(True)


def test_second_run_creates_nothing(demo):
    output = load_demo()

    assert counts() == demo["counts"]
    assert "Rien à changer" in output


def test_first_run_reports_what_it_created(demo):
    assert "Démonstration chargée." in demo["output"]


def test_demo_has_about_sixty_apps_and_fifteen_publishers(demo):
    from catalogue.demo.data import APPS, PUBLISHERS

    assert demo["counts"]["apps"] == len(APPS)
    assert 55 <= len(APPS) <= 65
    assert demo["counts"]["publishers"] == len(PUBLISHERS)
    assert 13 <= len(PUBLISHERS) <= 17
    assert demo["counts"]["live_apps"] >= len(APPS) - 5


def test_every_app_is_under_its_publishers_page(demo):
    for app in AppPage.objects.select_related("publisher"):
        assert app.get_parent().specific.publisher_id == app.publisher_id, app.slug


def test_demo_covers_every_platform(demo):
    platforms = set(AppListing.objects.values_list("platform", flat=True))

    assert platforms == set(AppListing.Platform.values)


def test_every_app_has_a_listing_a_category_and_an_icon(demo):
    assert not AppPage.objects.filter(listings__isnull=True).exists()
    assert not AppPage.objects.filter(categories__isnull=True).exists()
    assert not AppPage.objects.filter(icon__isnull=True).exists()


def test_every_universe_has_live_apps(demo):
    for universe in Category.objects.filter(parent=None):
        assert AppPage.objects.live().in_category(universe).exists(), universe.name


def test_images_are_stored_under_media_root(demo):
    image = get_image_model().objects.order_by("pk").first()

    assert image is not None
    assert (demo["media_root"] / image.file.name).is_file()


def test_apps_awaiting_review_are_in_the_editorial_workflow(demo):
    drafts = AppPage.objects.not_live()

    assert drafts.exists()
    for app in drafts:
        assert app.workflow_in_progress, app.slug


def test_demo_accounts_log_in_with_their_roles(demo, client):
    from catalogue.demo.data import ACCOUNTS

    for account in ACCOUNTS:
        assert client.login(username=account.username, password=account.password), account
        client.logout()
    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    assert users.get(username="editeur").groups.filter(name=EDITORS_GROUP).exists()
    france_travail = Publisher.objects.get(slug="france-travail")
    assert is_member(users.get(username="membre"), france_travail.pk)


def test_demo_has_reviews_some_pending_some_answered(demo):
    published = Review.objects.filter(status=Review.Status.PUBLISHED)
    assert published.count() >= 100
    assert Review.objects.filter(status=Review.Status.PENDING).exists()
    assert ReviewReply.objects.filter(review__in=published).count() >= 10
    # The apps' figures are those of their published reviews.
    rated = AppPage.objects.filter(rating_count__gt=0)
    assert rated.count() >= 30
    for app in rated:
        assert app.rating_count == published.filter(app=app).count()


def test_the_demo_has_a_mediator_with_a_shared_selection_and_two_paths(demo):
    from selections.models import ReadyMadePath, Selection

    mediator = get_user_model().objects.get(username="mediateur")
    assert mediator.check_password("mediateur-demo")
    assert mediator.mediator.is_active
    shared = Selection.objects.of_mediator(mediator).get()
    assert shared.link_is_open() and shared.items.count() == 3
    assert ReadyMadePath.objects.published_paths().count() == 2
    assert "mediateur / mediateur-demo" in demo["output"]
    assert f"/s/{shared.token}/" in demo["output"]
