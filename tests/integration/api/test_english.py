"""The API and the storefront in English, with Accept-Language: en (French stays the default).
The catalogue is tests/integration/api/conftest.py's."""

import pytest
from django.core.cache import cache
from django.utils import translation

from catalogue.models import AppRelease, Category
from search.facets import label_cache_key
from tests.factories import AppPageFactory

APPS_URL = "/api/v1/apps/"


@pytest.fixture(autouse=True)
def media_root(settings, api_media):
    settings.MEDIA_ROOT = api_media
    return api_media


def english_get(client, url, params=None):
    return client.get(url, params or {}, HTTP_ACCEPT_LANGUAGE="en")


def test_a_validation_error_is_in_english(client, api_catalogue):
    response = english_get(client, APPS_URL, {"platform": "amiga"})

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["title"] == "Invalid input"
    assert "Unknown value: amiga" in str(body["errors"]["platform"])
    assert "Valeur inconnue" not in response.content.decode()


def test_the_category_tree_has_english_names(client, api_catalogue):
    tree = {
        universe["slug"]: universe for universe in english_get(client, "/api/v1/categories/").json()
    }

    assert tree["se-former"]["name"] == "Get trained"
    assert tree["partir-a-l-international"]["name"] == "Go abroad"
    children = {child["slug"]: child["name"] for child in tree["se-former"]["children"]}
    assert children["apprendre-en-ligne"] == "Learn online"
    # French by default.
    french = {universe["slug"]: universe for universe in client.get("/api/v1/categories/").json()}
    assert french["se-former"]["name"] == "Se former"


def test_a_category_without_english_name_keeps_its_french_one(client, api_catalogue):
    Category.objects.filter(slug="se-former").update(name_en="")
    cache.clear()

    tree = {
        universe["slug"]: universe for universe in english_get(client, "/api/v1/categories/").json()
    }

    assert tree["se-former"]["name"] == "Se former"
    assert tree["choisir-un-metier"]["name"] == "Choose a career"


def test_facet_labels_are_in_english(client, api_catalogue):
    response = english_get(client, APPS_URL)

    assert response.status_code == 200, response.content
    labels = {
        name: {item["value"]: item["label"] for item in values}
        for name, values in response.json()["facets"].items()
    }
    assert labels["pricing"]["free"] == "Free"
    assert labels["category"]["se-former"] == "Get trained"
    assert labels["audience"]["jobseekers"] == "Job-seekers"
    assert labels["language"]["de"] == "German"
    assert labels["min_rating"]["4"] == "4 stars and up"
    assert labels["verified"]["true"] == "Verified publisher"
    # And the French labels are still served in French, from their own cache entry.
    french = client.get(APPS_URL).json()["facets"]
    assert {item["value"]: item["label"] for item in french["pricing"]}["free"] == "Gratuit"
    assert {item["value"]: item["label"] for item in french["category"]}["se-former"] == "Se former"


def test_label_caches_are_per_language_and_forgotten_together(api_catalogue):
    with translation.override("en"):
        english_key = label_cache_key("category")
    with translation.override("fr"):
        french_key = label_cache_key("category")
    assert english_key != french_key
    cache.set(english_key, {"x": "y"})
    cache.set(french_key, {"x": "y"})

    category = Category.objects.get(slug="se-former")
    category.name_en = "Training"
    category.save()

    assert cache.get(english_key) is None
    assert cache.get(french_key) is None


def test_the_storefront_is_in_english(client, api_catalogue):
    response = english_get(client, "/")

    assert response.status_code == 200
    content = response.content.decode()
    # The header's search button, in the visitor's language.
    assert ">Search</button>" in content
    assert "Rechercher</button>" not in content
    french = client.get("/").content.decode()
    assert "Rechercher</button>" in french


def test_an_apps_detail_and_page_in_english_with_licence_releases_and_store_rating(client, db):
    app = AppPageFactory(
        slug="offres-locales",
        title="Offres Locales",
        title_en="Local Jobs",
        tagline="Les offres près de chez vous",
        tagline_en="Jobs near you",
        licence="GPL-3.0-or-later",
        store_rating={"source": "app_store", "average": 4.4, "count": 120},
    )
    AppRelease.objects.create(
        page=app, platform="web", version="2.0", notes="<p>A new map.</p><script>x()</script>"
    )

    detail = english_get(client, f"{APPS_URL}offres-locales/").json()

    assert (detail["name"], detail["tagline"]) == ("Local Jobs", "Jobs near you")
    assert detail["licence"] == {"expression": "GPL-3.0-or-later", "kind": "free"}
    assert detail["store_rating"] == {"source": "app_store", "average": 4.4, "count": 120}
    [release] = detail["releases"]
    assert release["version"] == "2.0" and "<script>" not in release["notes_html"]

    page = english_get(client, app.url).content.decode()
    assert "Local Jobs" in page and "Jobs near you" in page
    assert "What's new" in page and "A new map." in page and "<script>x()" not in page
    assert "GPL-3.0-or-later" in page and "free software" in page
    assert "4.4" in page and "120" in page
