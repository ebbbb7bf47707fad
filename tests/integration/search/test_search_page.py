"""The browse and search page (/apps/): a GET form whose query, facets, sort and page all live
in the URL."""

import pytest
from django.db import transaction
from django.test import override_settings

from catalogue.models import AppPage
from search.backends import get_backend
from tests.factories import AppPageFactory, PublisherFactory, subcategory

# The search, 4 facet label lookups, the hits with 2 prefetches, Wagtail's site lookups for
# page URLs (1 or 2, depending on its per-request cache), the menu's universes when its cache is
# cold (2: the catalogue page and the universes), the footer's legal links when their cache is
# cold (1, cms.legal): never one per app shown.
MAX_QUERIES_PER_SEARCH_PAGE = 13


@pytest.fixture(scope="module")
def shared_apps(django_db_setup, django_db_blocker):
    """26 apps made and indexed once for the module, in a transaction rolled back after its
    last test (each test runs in a savepoint on top of it)."""
    with (
        django_db_blocker.unblock(),
        override_settings(SEARCH_BACKEND="database"),
        transaction.atomic(),
    ):
        publisher = PublisherFactory(name="Atelier Nord", slug="atelier-nord", verified=True)
        apps = [
            AppPageFactory(
                publisher=publisher,
                title=f"Formation {number:02d}",
                listings=["ios"] if number % 2 else ["android"],
                categories=[subcategory("trouver-une-formation")],
            )
            for number in range(1, 26)
        ]
        apps.append(
            AppPageFactory(
                publisher=publisher,
                title="CV Express",
                listings=["web"],
                categories=[subcategory("cv-et-lettre")],
            )
        )
        get_backend().rebuild()
        yield [app.pk for app in apps]
        transaction.set_rollback(True)


@pytest.fixture
def catalogue_apps(shared_apps, db, settings):
    settings.SEARCH_BACKEND = "database"
    found = AppPage.objects.in_bulk(shared_apps)
    return [found[pk] for pk in shared_apps]


def test_the_page_lists_results_facets_and_counts(client, catalogue_apps):
    response = client.get("/apps/", {"q": "formation"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "25 applications" in content
    assert 'name="platform" value="ios"' in content
    assert 'iOS <span class="count">(13)</span>' in content
    assert 'Android <span class="count">(12)</span>' in content
    assert "CV Express" not in content


def test_ticking_a_facet_filters_and_keeps_it_checked(client, catalogue_apps):
    response = client.get("/apps/", {"q": "formation", "platform": "ios"})

    content = response.content.decode()
    assert "13 applications" in content
    assert 'id="f-platform-ios" name="platform" value="ios" checked' in content
    # Disjunctive: the platform facet still counts Android as if iOS were not ticked.
    assert 'Android <span class="count">(12)</span>' in content


def test_pagination_links_keep_the_query_and_filters(client, catalogue_apps):
    response = client.get("/apps/", {"q": "formation", "platform": ["ios", "android"]})

    content = response.content.decode()
    assert "Page 1 sur 2" in content
    assert 'href="?q=formation&amp;platform=ios&amp;platform=android&amp;page=2"' in content

    second = client.get("/apps/", {"q": "formation", "platform": ["ios", "android"], "page": 2})
    assert "Formation 25" in second.content.decode()


def test_the_sort_is_applied_and_shown(client, catalogue_apps):
    response = client.get("/apps/", {"sort": "name"})

    content = response.content.decode()
    assert '<option value="name" selected>' in content
    assert content.index("CV Express") < content.index("Formation 01")


def test_invalid_parameters_get_a_400_page_that_names_them(client, catalogue_apps):
    response = client.get("/apps/", {"platform": "amiga", "sort": "random", "page": "0"})

    assert response.status_code == 400
    content = response.content.decode()
    for field in ("platform", "sort", "page"):
        assert f"<strong>{field}</strong>" in content
    assert "web, ios, android" in content


def test_an_empty_result_suggests_what_to_change(client, catalogue_apps):
    response = client.get("/apps/", {"q": "astronaute", "platform": "ios"})

    content = response.content.decode()
    assert "Aucune application ne correspond" in content
    assert "Retirez des filtres" in content


@pytest.mark.parametrize("page_size_of_results", [1, 20])
def test_the_page_costs_a_fixed_number_of_queries(
    client, catalogue_apps, django_assert_max_num_queries, page_size_of_results
):
    # The same count whether the page shows 1 app or 20: nothing is loaded per app.
    params = {} if page_size_of_results == 20 else {"q": "formation 01"}
    with django_assert_max_num_queries(MAX_QUERIES_PER_SEARCH_PAGE):
        response = client.get("/apps/", params)
    assert len(response.context["apps"]) == page_size_of_results


def test_an_unreachable_search_engine_is_replaced_by_the_database(client, catalogue_apps, settings):
    # A real client, pointed at a port where no node listens: the connection is refused.
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    settings.SEARCH_FALLBACK = True

    response = client.get("/apps/", {"q": "formation", "platform": "ios"})

    assert response.status_code == 200
    assert response["X-Search-Backend"] == "database"
    content = response.content.decode()
    assert "13 applications" in content
    assert "data-search-fallback" in content
    assert "Recherche en mode simplifié" in content


def test_the_configured_engine_answers_without_a_notice(client, catalogue_apps):
    response = client.get("/apps/", {"q": "formation"})

    assert response["X-Search-Backend"] == "database"  # (the configured one here)
    assert "data-search-fallback" not in response.content.decode()


def test_without_the_fallback_an_unreachable_engine_is_a_503_page(client, catalogue_apps, settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    settings.SEARCH_FALLBACK = False

    response = client.get("/apps/", {"q": "formation"})

    assert response.status_code == 503
    assert "La recherche est momentanément indisponible." in response.content.decode()
