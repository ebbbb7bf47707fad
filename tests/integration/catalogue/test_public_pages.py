"""The public site renders: home, catalogue, category, publisher and app pages."""

import pytest

from catalogue.models import AppPage
from tests.factories import AppPageFactory, CollectionFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue_apps(publisher_a, publisher_b):
    return {
        "job": AppPageFactory(
            publisher=publisher_a,
            title="Offres Express",
            slug="offres-express",
            tagline="Des offres d'emploi chaque matin",
            categories=[category("offres-emploi")],
            listings=["web", "android"],
        ),
        "training": AppPageFactory(
            publisher=publisher_b,
            title="Former Mieux",
            slug="former-mieux",
            tagline="Une formation près de chez vous",
            categories=[category("trouver-une-formation")],
        ),
        "draft": AppPageFactory(
            publisher=publisher_a,
            title="Brouillon Secret",
            slug="brouillon-secret",
            categories=[category("offres-emploi")],
            live=False,
        ),
    }


def get_ok(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"{url} → {response.status_code}"
    return response.content.decode()


def test_home_page_renders_universes_and_popular_apps(client, catalogue_apps):
    AppPage.objects.filter(pk=catalogue_apps["job"].pk).update(popularity=100)

    html = get_ok(client, "/")

    assert "Emploi Store" in html
    assert "Choisir un métier" in html
    assert "Partir à l'international" in html or "Partir à l&#x27;international" in html
    assert "Offres Express" in html
    assert "Brouillon Secret" not in html


def test_home_page_shows_featured_collections(client, catalogue_apps):
    CollectionFactory(name="Coup de cœur", featured=True, apps=[catalogue_apps["training"]])
    CollectionFactory(name="Collection cachée", featured=False, apps=[catalogue_apps["job"]])

    html = get_ok(client, "/")

    assert "Coup de cœur" in html
    assert "Collection cachée" not in html


def test_catalogue_lists_live_apps_only(client, catalogue_apps, catalogue):
    html = get_ok(client, "/applications/")

    assert catalogue.url == "/applications/"
    assert "Offres Express" in html
    assert "Former Mieux" in html
    assert "Brouillon Secret" not in html


def test_universe_page_lists_apps_of_its_subcategories(client, catalogue_apps):
    html = get_ok(client, "/applications/categorie/trouver-un-emploi/")

    assert "Trouver un emploi" in html
    assert "Offres Express" in html
    assert "Former Mieux" not in html
    assert "Brouillon Secret" not in html


def test_subcategory_page_lists_its_apps(client, catalogue_apps):
    html = get_ok(client, "/applications/categorie/trouver-une-formation/")

    assert "Trouver une formation" in html
    assert "Former Mieux" in html
    assert "Offres Express" not in html


def test_unknown_category_is_404(client, catalogue):
    assert client.get("/applications/categorie/n-existe-pas/").status_code == 404


def test_publisher_page_lists_its_apps(client, catalogue_apps, publisher_a):
    html = get_ok(client, publisher_a.page.url)

    assert publisher_a.page.url == "/applications/editeur-alpha/"
    assert "Éditeur Alpha" in html
    assert "Offres Express" in html
    assert "Former Mieux" not in html
    assert "Brouillon Secret" not in html


def test_app_page_renders_its_details(client, catalogue_apps):
    app = catalogue_apps["job"]

    html = get_ok(client, app.url)

    assert app.url == "/applications/editeur-alpha/offres-express/"
    assert "Offres Express" in html
    assert "Des offres d&#x27;emploi chaque matin" in html or (
        "Des offres d'emploi chaque matin" in html
    )
    assert "Éditeur Alpha" in html


def test_draft_app_page_is_404(client, catalogue_apps):
    assert client.get("/applications/editeur-alpha/brouillon-secret/").status_code == 404
