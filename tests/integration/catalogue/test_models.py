"""Catalogue models on PostgreSQL: constraints, validation, the reference data."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalogue.models import AppListing, AppPage, Category
from catalogue.universes import UNIVERSES
from tests.factories import AppPageFactory, CategoryFactory, category

pytestmark = pytest.mark.django_db


# --- external_id: unique per publisher, when set -----------------------------------------


def test_external_id_unique_per_publisher_at_database_level(publisher_a):
    AppPageFactory(publisher=publisher_a, external_id="feed-42")
    other = AppPageFactory(publisher=publisher_a)

    with (
        pytest.raises(IntegrityError, match="app_external_id_unique_per_publisher"),
        transaction.atomic(),
    ):
        AppPage.objects.filter(pk=other.pk).update(external_id="feed-42")

    other.refresh_from_db()
    assert other.external_id == ""


def test_external_id_unique_per_publisher_in_full_clean(publisher_a):
    AppPageFactory(publisher=publisher_a, external_id="feed-42")
    other = AppPageFactory(publisher=publisher_a)
    other.external_id = "feed-42"

    with pytest.raises(ValidationError) as error:
        other.full_clean()

    assert "Cet éditeur a déjà une application avec cet identifiant externe." in str(
        error.value.messages
    )


def test_page_save_validates_external_id_before_the_database(publisher_a):
    AppPageFactory(publisher=publisher_a, external_id="feed-42")
    other = AppPageFactory(publisher=publisher_a)
    other.external_id = "feed-42"

    with pytest.raises(ValidationError):
        other.save()


def test_same_external_id_allowed_for_different_publishers(publisher_a, publisher_b):
    first = AppPageFactory(publisher=publisher_a, external_id="feed-42")
    second = AppPageFactory(publisher=publisher_b, external_id="feed-42")
    second.full_clean()

    assert first.publisher_id != second.publisher_id
    assert AppPage.objects.filter(external_id="feed-42").count() == 2


def test_blank_external_id_allowed_many_times_for_one_publisher(publisher_a):
    apps = AppPageFactory.create_batch(3, publisher=publisher_a, external_id="")
    apps[-1].full_clean()

    assert AppPage.objects.filter(publisher=publisher_a, external_id="").count() == 3


# --- listings: one per platform ----------------------------------------------------------


def test_one_listing_per_platform_per_app_at_database_level(app_a):
    assert app_a.platforms == ["web"]

    with pytest.raises(IntegrityError, match="one_listing_per_platform"), transaction.atomic():
        AppListing.objects.create(page=app_a, platform="web", url="https://autre.example.org")

    assert AppListing.objects.filter(page=app_a).count() == 1


def test_same_platform_allowed_on_different_apps(app_a, app_b):
    assert app_a.platforms == app_b.platforms == ["web"]


def test_several_platforms_for_one_app(publisher_a):
    app = AppPageFactory(publisher=publisher_a, listings=["web", "ios", "android"])

    assert sorted(app.platforms) == ["android", "ios", "web"]


# --- slug: unique across publishers ------------------------------------------------------


def test_app_slug_unique_across_publishers(app_a, app_b):
    app_b.slug = app_a.slug

    with pytest.raises(ValidationError) as error:
        app_b.clean()

    assert "slug" in error.value.message_dict
    assert app_a.slug in error.value.message_dict["slug"][0]


def test_app_keeps_its_own_slug_when_cleaned(app_a):
    app_a.clean()  # its own slug is not a conflict


# --- categories: two levels only ---------------------------------------------------------


def test_category_under_a_subcategory_is_refused():
    third_level = Category(name="Trop profond", slug="trop-profond", parent=category("recruter"))

    with pytest.raises(ValidationError) as error:
        third_level.full_clean()

    assert "parent" in error.value.message_dict


def test_category_cannot_be_its_own_parent():
    universe = category("se-former")
    universe.parent = universe

    with pytest.raises(ValidationError) as error:
        universe.clean()

    assert "parent" in error.value.message_dict


def test_subcategory_of_a_universe_is_valid():
    sub = Category(name="Nouvelle", slug="nouvelle", parent=category("se-former"))
    sub.full_clean()
    sub.save()

    assert sub.is_universe is False
    assert str(sub) == "Se former › Nouvelle"


def test_category_factory_looks_up_existing_categories():
    assert CategoryFactory(slug="recruter").pk == category("recruter").pk


# --- reference data from the data migration ----------------------------------------------


def test_six_universes_with_their_subcategories():
    universes = Category.objects.filter(parent=None).order_by("sort_order")

    assert [u.name for u in universes] == [
        "Choisir un métier",
        "Se former",
        "Préparer sa candidature",
        "Trouver un emploi",
        "Créer son entreprise",
        "Partir à l'international",
    ]
    for universe, expected in zip(universes, UNIVERSES, strict=True):
        children = list(universe.children.order_by("sort_order").values_list("slug", flat=True))
        assert children == [slug for slug, _ in expected["children"]]
        assert universe.icon.startswith("fr-icon-")


def test_subcategory_names_and_parents():
    assert category("decouvrir-les-metiers").parent.name == "Choisir un métier"
    assert category("travailler-a-l-etranger").parent.name == "Partir à l'international"
    assert category("travailler-a-l-etranger").name == "Travailler à l'étranger"
    # Two levels only in the reference data too.
    assert not Category.objects.filter(parent__parent__isnull=False).exists()


# --- counters survive revisions ----------------------------------------------------------


def test_publishing_an_older_revision_keeps_rating_and_popularity(app_a):
    from reviews.services import submit_review
    from tests.integration.reviews.conftest import seasoned_user

    first_revision = app_a.latest_revision
    app_a.title = "Alpha Emploi, nouvelle version"
    app_a.save_revision().publish()
    for number, rating in enumerate((5, 5, 4, 3)):
        submit_review(app_a, seasoned_user(username=f"avis{number}"), rating=rating)
    AppPage.objects.filter(pk=app_a.pk).update(popularity=345)

    type(first_revision).objects.get(pk=first_revision.pk).publish()

    app = AppPage.objects.get(pk=app_a.pk)
    assert app.title == "Alpha Emploi"  # the old revision is live again ...
    assert app.rating_count == 4  # ... but not its counters
    assert str(app.rating_average) == "4.25"
    assert app.rating_histogram == {"1": 0, "2": 0, "3": 1, "4": 1, "5": 2}
    assert app.popularity == 345


def test_revision_as_object_carries_current_counters(app_a):
    AppPage.objects.filter(pk=app_a.pk).update(rating_count=3, popularity=9)
    app = AppPage.objects.get(pk=app_a.pk)

    as_of_revision = app.latest_revision.as_object()

    assert (as_of_revision.rating_count, as_of_revision.popularity) == (3, 9)


def test_rating_average_checked_at_database_level(app_a):
    with (
        pytest.raises(IntegrityError, match="app_rating_average_between_0_and_5"),
        transaction.atomic(),
    ):
        AppPage.objects.filter(pk=app_a.pk).update(rating_average=6)
