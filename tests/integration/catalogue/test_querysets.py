"""AppPageQuerySet: category filtering and the fixed query cost of listings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import AppPage
from tests.factories import AppPageFactory, CollectionFactory, ImageFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture
def apps_by_category(publisher_a, publisher_b):
    """One app per place in the tree: in a sub-category, in the universe itself, elsewhere."""
    return {
        "in_sub": AppPageFactory(publisher=publisher_a, categories=[category("offres-emploi")]),
        "in_other_sub": AppPageFactory(publisher=publisher_b, categories=[category("recruter")]),
        "in_universe": AppPageFactory(
            publisher=publisher_a, categories=[category("trouver-un-emploi")]
        ),
        "in_both": AppPageFactory(
            publisher=publisher_b,
            categories=[category("trouver-un-emploi"), category("offres-emploi")],
        ),
        "elsewhere": AppPageFactory(
            publisher=publisher_a, categories=[category("trouver-une-formation")]
        ),
    }


def titles(queryset):
    return sorted(queryset.values_list("title", flat=True))


def test_universe_matches_apps_of_its_subcategories(apps_by_category):
    found = AppPage.objects.in_category(category("trouver-un-emploi"))

    expected = ["in_sub", "in_other_sub", "in_universe", "in_both"]
    assert titles(found) == sorted(apps_by_category[key].title for key in expected)


def test_universe_lists_an_app_once_even_when_in_several_of_its_categories(apps_by_category):
    found = list(AppPage.objects.in_category(category("trouver-un-emploi")))

    assert len(found) == len({app.pk for app in found}) == 4


def test_subcategory_matches_only_its_own_apps(apps_by_category):
    found = AppPage.objects.in_category(category("offres-emploi"))

    assert titles(found) == sorted(
        [apps_by_category["in_sub"].title, apps_by_category["in_both"].title]
    )


def test_empty_universe_matches_nothing(apps_by_category):
    assert not AppPage.objects.in_category(category("creer-son-entreprise")).exists()


def test_in_category_composes_with_live_and_ordering(apps_by_category, publisher_a):
    draft = AppPageFactory(publisher=publisher_a, categories=[category("recruter")], live=False)

    found = (
        AppPage.objects.live()
        .in_category(category("trouver-un-emploi"))
        .order_by("-popularity", "title")
    )

    assert draft not in found
    assert found.count() == 4


def test_of_publisher(apps_by_category, publisher_a):
    assert {app.publisher_id for app in AppPage.objects.of_publisher(publisher_a)} == {
        publisher_a.pk
    }
    assert AppPage.objects.of_publisher(publisher_a).count() == 3


def render_cards(apps):
    """What a card shows: the publisher, the icon, the categories, the platforms."""
    return [
        (
            app.title,
            app.publisher.name,
            app.icon.title if app.icon else None,
            [c.name for c in app.categories.all()],
            app.platforms,
        )
        for app in apps
    ]


@pytest.mark.parametrize("count", [1, 6])
def test_for_listing_costs_a_fixed_number_of_queries(
    count, publisher_a, publisher_b, django_assert_num_queries
):
    for index in range(count):
        AppPageFactory(
            publisher=publisher_a if index % 2 else publisher_b,
            icon=ImageFactory() if index % 3 == 0 else None,
            listings=["web", "android"],
            categories=[category("offres-emploi"), category("recruter")],
        )

    # The app pages (with publisher and icon joined), their categories, their listings.
    with django_assert_num_queries(3):
        cards = render_cards(AppPage.objects.live().for_listing().order_by("title"))

    assert len(cards) == count
    assert any(card[2] for card in cards)
    assert all(card[3] == ["Offres d'emploi", "Recruter"] for card in cards)
    assert all(sorted(card[4]) == ["android", "web"] for card in cards)


def test_without_for_listing_the_cost_grows_with_the_number_of_apps(publisher_a):
    """Proves the test above measures something: the naive query is N+1."""
    AppPageFactory.create_batch(4, publisher=publisher_a)

    with CaptureQueriesContext(connection) as queries:
        render_cards(AppPage.objects.live().order_by("title"))

    assert len(queries) > 3 + 4


def test_the_public_listing_of_the_views_has_a_fixed_cost_too(
    publisher_a, django_assert_num_queries
):
    """The chain the catalogue views use: live().public() adds the view-restrictions lookup."""
    AppPageFactory.create_batch(3, publisher=publisher_a, icon=ImageFactory())

    with django_assert_num_queries(4):
        cards = render_cards(AppPage.objects.live().public().for_listing().order_by("title"))

    assert len(cards) == 3


def test_collection_live_apps_in_editorial_order(publisher_a):
    first, second, draft = (
        AppPageFactory(publisher=publisher_a, title="Zèbre"),
        AppPageFactory(publisher=publisher_a, title="Abeille"),
        AppPageFactory(publisher=publisher_a, title="Brouillon", live=False),
    )
    collection = CollectionFactory(apps=[first, draft, second])

    assert list(collection.live_apps()) == [first, second]
