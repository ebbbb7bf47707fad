"""Editors search pages in the Wagtail admin through Wagtail's backend for the same engine."""

import uuid

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.elasticsearch_utils import delete_indices
from tests.factories import AppPageFactory


def test_the_admin_search_backend_follows_elasticsearch_url(settings):
    backend = settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
    if settings.ELASTICSEARCH_URL:
        # Wagtail's elasticsearch8 backend, behind a breaker (search.admin_search).
        assert backend == "search.admin_search"
    else:
        assert backend == "wagtail.search.backends.database"


@pytest.mark.django_db
def test_an_editor_finds_an_app_page_by_its_name_on_elasticsearch(client, editor, settings):
    if not settings.ELASTICSEARCH_URL:
        pytest.fail("ELASTICSEARCH_URL is not set: this test needs the real node.")
    prefix = f"test-admin-{uuid.uuid4().hex[:8]}-"
    backends = {"default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "INDEX_PREFIX": prefix}}
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        try:
            AppPageFactory(title="Simulateur d'indemnisation")
            AppPageFactory(title="Carnet de bord")
            call_command("update_index", verbosity=0)
            client.force_login(editor)

            response = client.get("/admin/pages/search/results/", {"q": "indemnisation"})

            assert response.status_code == 200
            content = response.content.decode()
            assert "Simulateur d&#x27;indemnisation" in content
            assert "Carnet de bord" not in content
        finally:
            delete_indices(settings.ELASTICSEARCH_URL, prefix)


@pytest.mark.django_db
def test_a_hung_or_dead_node_is_left_alone_for_a_while_and_saves_go_on(settings):
    from search import admin_search

    backends = {
        "default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "URLS": ["http://127.0.0.1:1"]}
    }
    if settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] != "search.admin_search":
        pytest.fail("ELASTICSEARCH_URL is not set: this test needs the Elasticsearch setting.")
    admin_search.breaker.succeeded()
    try:
        with override_settings(WAGTAILSEARCH_BACKENDS=backends):
            first = AppPageFactory(title="Première")  # refused: the breaker opens
            assert not admin_search.breaker.allows()
            second = AppPageFactory(title="Seconde")  # skipped without asking the node
        assert first.live and second.live
    finally:
        admin_search.breaker.succeeded()
