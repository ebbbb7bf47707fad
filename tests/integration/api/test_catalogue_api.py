"""The read side of /api/v1/ (apps, categories, publishers, collections, suggestions): shapes,
filters and facets through both search backends, pagination links, errors, conditional
requests and query counts. The catalogue is tests/integration/api/conftest.py's."""

import time
from email.utils import formatdate

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from catalogue.api.caching import (
    VERSION_KEY,
    VERSION_TIMEOUT,
    Validators,
    _bump,
    catalogue_version,
)
from catalogue.models import AppPage, Collection
from search import tasks
from tests.factories import UserFactory

APPS_URL = "/api/v1/apps/"
ERROR_KEYS = {"type", "title", "status", "detail", "errors"}
SUMMARY_KEYS = {
    "id",
    "slug",
    "name",
    "tagline",
    "icon",
    "publisher",
    "categories",
    "platforms",
    "audiences",
    "pricing",
    "rating",
    "url",
    "web_url",
}
DETAIL_KEYS = SUMMARY_KEYS | {
    "description_html",
    "screenshots",
    "listings",
    "languages",
    "accessibility",
    "collections",
    "published_at",
    "updated_at",
    "website",
    "licence",
    "releases",
    "store_rating",
}
FACET_KEYS = {
    "category",
    "platform",
    "audience",
    "pricing",
    "publisher",
    "language",
    "accessibility",
    "min_rating",
    "verified",
    "licence",
}
# Queries of a warm request (renditions made, site root paths and facet labels cached):
# database backend list: the search, the hits, categories, listings, audiences, icon
# renditions; detail: the app (view restrictions in the same query), categories, listings,
# audiences, languages, icon renditions, screenshots, their renditions, collections, releases.
LIST_QUERIES = {"database": 6, "elasticsearch": 5}
DETAIL_QUERIES = 10


@pytest.fixture(autouse=True)
def media_root(settings, api_media):
    """The catalogue's images are the module's: every test reads the same files."""
    settings.MEDIA_ROOT = api_media
    return api_media


def assert_error(response, status, fields=()):
    """The common error body (web.problems); returns it."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert set(body["errors"]) == set(fields)
    return body


def settle_version(seconds_ago: float = 120) -> float:
    """A catalogue version old enough to be sent as Last-Modified."""
    version = time.time() - seconds_ago
    cache.set(VERSION_KEY, version, VERSION_TIMEOUT)
    return version


def apps(client, **params):
    response = client.get(APPS_URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def facet(body, name) -> dict:
    return {item["value"]: (item["count"], item["selected"]) for item in body["facets"][name]}


@pytest.fixture
def inline_indexing(monkeypatch):
    """Index updates run at commit, in process (as with an eager Celery), never through the
    broker that other test runs share."""
    monkeypatch.setattr("search.indexing.request_drain", tasks.drain_index_changes)


# --- /apps/: shapes ----------------------------------------------------------------------


def test_the_list_has_the_contract_shape(client, any_backend):
    body = apps(client)

    assert set(body) == {"count", "page", "page_size", "next", "previous", "results", "facets"}
    assert body["count"] == 6
    assert (body["page"], body["page_size"], body["next"], body["previous"]) == (1, 20, None, None)
    assert all(set(item) == SUMMARY_KEYS for item in body["results"])
    assert set(body["facets"]) == FACET_KEYS
    for values in body["facets"].values():
        for value in values:
            assert set(value) == {"value", "label", "count", "selected"}


def test_an_app_summary(client, any_backend):
    catalogue = any_backend
    app = catalogue.apps["Métiers"]

    body = apps(client, q="passion")

    (summary,) = body["results"]
    assert summary["id"] == app.pk
    assert summary["slug"] == app.slug
    assert summary["name"] == "Métiers Passion"
    assert summary["tagline"] == app.tagline
    assert summary["icon"].startswith("http://testserver/media/images/")
    assert ".fill-128x128" in summary["icon"]
    assert summary["publisher"] == {
        "slug": "france-travail",
        "name": "France Travail",
        "verified": True,
    }
    assert summary["categories"] == ["decouvrir-les-metiers", "tests-et-orientation"]
    assert summary["platforms"] == ["web", "ios", "android"]
    assert summary["audiences"] == ["jobseekers"]
    assert summary["pricing"] == "free"
    assert summary["rating"] == {"average": 4.5, "count": 20}
    assert summary["url"] == f"http://testserver/api/v1/apps/{app.slug}/"
    assert summary["web_url"] == f"http://testserver/applications/france-travail/{app.slug}/"


def test_an_app_without_icon_has_null(client, any_backend):
    (summary,) = apps(client, q="vivier")["results"]

    assert summary["icon"] is None


def test_the_urls_of_a_summary_lead_to_the_app(client, api_catalogue):
    (summary,) = apps(client, q="passion")["results"]

    assert client.get(summary["url"]).json()["slug"] == summary["slug"]
    assert client.get(summary["web_url"]).status_code == 200


def test_drafts_and_unpublished_apps_are_never_listed(client, any_backend):
    catalogue = any_backend
    hidden = {catalogue.slug("Fantôme"), catalogue.slug("Brouillon")}

    for params in ({}, {"q": "formation"}, {"q": "métier"}, {"sort": "rating"}):
        body = apps(client, page_size=100, **params)
        assert not hidden & {item["slug"] for item in body["results"]}
    assert apps(client, q="fantôme")["count"] == 0
    assert apps(client, q="brouillon")["count"] == 0


# --- /apps/: filters, facets, sorts --------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "se-former"}, ["Connect", "FormaPro"]),
        ({"category": "apprendre-en-ligne"}, ["FormaPro"]),
        ({"category": ["recruter", "cv-et-lettre"]}, ["Atelier CV", "Vivier"]),
        ({"platform": ["android", "ios"]}, ["Métiers", "Connect", "FormaPro", "Cap"]),
        ({"audience": "employers"}, ["Vivier"]),
        ({"pricing": ["paid", "freemium"]}, ["FormaPro", "Vivier"]),
        ({"publisher": ["tremplin", "studio-alize"]}, ["FormaPro", "Atelier CV", "Vivier"]),
        ({"language": "de"}, ["Cap"]),
        ({"accessibility": "partial"}, ["FormaPro", "Atelier CV"]),
        ({"min_rating": "4"}, ["Métiers", "Connect", "Cap"]),
        ({"min_rating": "5"}, ["Cap"]),
        ({"min_rating": "1"}, ["Métiers", "Connect", "FormaPro", "Atelier CV", "Cap"]),
        ({"verified": "true"}, ["Métiers", "Connect", "Cap"]),
        ({"verified": "false"}, ["FormaPro", "Atelier CV", "Vivier"]),
        ({"platform": "web", "pricing": "free", "min_rating": "3"}, ["Métiers", "Connect", "Cap"]),
        ({"q": "formation"}, ["Connect", "FormaPro"]),  # FormaPro: by its categories
        ({"platform": "linux"}, []),
    ],
)
def test_filters(client, any_backend, params, expected):
    body = apps(client, **params)

    # Without q the order is popularity, highest first.
    assert any_backend.keys(body["results"]) == expected
    assert body["count"] == len(expected)


def test_facets_are_disjunctive(client, any_backend):
    body = apps(client, platform="ios", pricing="free")

    assert any_backend.keys(body["results"]) == ["Métiers", "Connect", "Cap"]
    # The platform facet counts with every filter but its own (free apps: 5), and the
    # pricing facet with every filter but its own (iOS apps: 3 free, 0 else).
    assert facet(body, "platform") == {
        "web": (4, False),
        "ios": (3, True),
        "android": (1, False),
    }
    assert facet(body, "pricing") == {"free": (3, True)}
    assert facet(body, "verified") == {"true": (3, False)}
    assert facet(body, "min_rating") == {
        "5": (1, False),
        "4": (3, False),
        "3": (3, False),
        "2": (3, False),
        "1": (3, False),
    }


def test_a_selected_value_is_listed_even_without_apps(client, any_backend):
    body = apps(client, platform="linux", publisher="inconnu")

    assert body["count"] == 0
    assert ("linux", True) in [
        (item["value"], item["selected"]) for item in body["facets"]["platform"]
    ]
    assert {"value": "inconnu", "label": "inconnu", "count": 0, "selected": True} in body["facets"][
        "publisher"
    ]


def test_facet_labels(client, any_backend):
    body = apps(client)

    labels = {
        name: {item["value"]: item["label"] for item in values}
        for name, values in body["facets"].items()
    }
    assert labels["category"]["se-former"] == "Se former"
    assert labels["publisher"]["france-travail"] == "France Travail"
    assert labels["platform"]["ios"] == "iOS"
    assert labels["pricing"]["free"] == "Gratuit"
    assert labels["audience"]["jobseekers"] == "Demandeurs d'emploi"
    assert labels["language"]["de"] == "Allemand"
    assert labels["min_rating"]["4"] == "4 étoiles et plus"
    assert labels["verified"]["true"] == "Éditeur vérifié"
    # Every sub-category and universe is there, with its count of distinct apps.
    assert facet(body, "category")["se-former"] == (2, False)
    assert facet(body, "category")["choisir-un-metier"] == (1, False)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("popular", ["Métiers", "Connect", "FormaPro", "Atelier CV", "Cap", "Vivier"]),
        ("rating", ["Cap", "Métiers", "Connect", "FormaPro", "Atelier CV", "Vivier"]),
        ("name", ["Atelier CV", "Cap", "FormaPro", "Connect", "Métiers", "Vivier"]),
        ("newest", ["Vivier", "FormaPro", "Métiers", "Connect", "Cap", "Atelier CV"]),
        ("updated", ["Métiers", "Vivier", "Connect", "FormaPro", "Cap", "Atelier CV"]),
    ],
)
def test_sorts(client, any_backend, sort, expected):
    assert any_backend.keys(apps(client, sort=sort)["results"]) == expected


def test_unknown_parameters_are_ignored(client, any_backend):
    body = apps(client, colour="blue", platform="android")

    assert any_backend.keys(body["results"]) == ["Métiers", "FormaPro"]


# --- /apps/: pagination ------------------------------------------------------------------


def test_pagination_links_keep_every_parameter(client, any_backend):
    first = apps(client, page_size=2, platform="web", colour="blue")

    assert first["count"] == 5
    assert any_backend.keys(first["results"]) == ["Métiers", "Connect"]
    assert first["previous"] is None
    assert first["next"] == (
        "http://testserver/api/v1/apps/?colour=blue&page=2&page_size=2&platform=web"
    )

    second = client.get(first["next"]).json()
    assert any_backend.keys(second["results"]) == ["Atelier CV", "Cap"]
    assert second["page"] == 2
    assert second["previous"] == (
        "http://testserver/api/v1/apps/?colour=blue&page_size=2&platform=web"
    )
    third = client.get(second["next"]).json()
    assert any_backend.keys(third["results"]) == ["Vivier"]
    assert third["next"] is None


def test_past_the_last_page_is_empty_and_leads_back(client, any_backend):
    body = apps(client, page_size=2, page=9)

    assert body["results"] == []
    assert body["count"] == 6
    assert body["next"] is None
    assert body["previous"] == "http://testserver/api/v1/apps/?page=3&page_size=2"


def test_no_page_goes_past_the_first_ten_thousand_results(client, any_backend, monkeypatch):
    monkeypatch.setattr("search.api.views.MAX_RESULT_WINDOW", 4)

    body = apps(client, page_size=2, page=2)
    assert body["next"] is None  # the third page would end past the fourth result
    deep = apps(client, page_size=2, page=3, platform="web")
    assert (deep["count"], deep["results"], deep["next"]) == (5, [], None)
    assert deep["previous"] == "http://testserver/api/v1/apps/?page=2&page_size=2&platform=web"
    assert facet(deep, "platform")["web"] == (5, True)


# --- /apps/: errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"platform": "symbian"}, "platform", ["symbian", "web, ios, android"]),
        ({"audience": "students"}, "audience", ["jobseekers, employers"]),
        ({"pricing": "cheap"}, "pricing", ["free, freemium, paid"]),
        ({"accessibility": "some"}, "accessibility", ["full, partial, none"]),
        ({"min_rating": "7"}, "min_rating", ["5, 4, 3, 2, 1"]),
        ({"min_rating": "0"}, "min_rating", ["5, 4, 3, 2, 1"]),
        ({"min_rating": "4.5"}, "min_rating", ["5, 4, 3, 2, 1"]),
        ({"verified": "maybe"}, "verified", ["true, false"]),
        ({"sort": "best"}, "sort", ["relevance, rating, popular, newest, updated, name"]),
        ({"page": "0"}, "page", ["1"]),
        ({"page": "deux"}, "page", ["entier"]),
        ({"page_size": "101"}, "page_size", ["100"]),
        ({"page_size": "0"}, "page_size", ["1"]),
        ({"q": "x" * 201}, "q", ["200"]),
    ],
)
def test_bad_parameters_are_a_400_naming_them(client, api_catalogue, params, field, words):
    body = assert_error(client.get(APPS_URL, params), 400, [field])

    (message,) = body["errors"][field]
    for word in words:
        assert word in message


def test_every_bad_parameter_is_named_at_once(client, api_catalogue):
    response = client.get(APPS_URL, {"platform": "x", "min_rating": "9", "page_size": "500"})

    assert_error(response, 400, ["platform", "min_rating", "page_size"])


@pytest.mark.parametrize(
    "params", [{"q": "\x00"}, {"publisher": "\x00"}, {"category": "a\x00b"}, {"q": "%_'\""}]
)
def test_odd_characters_are_no_error(client, any_backend, params):
    assert client.get(APPS_URL, params).status_code == 200


def test_an_unreachable_search_engine_is_replaced_by_the_database(client, api_catalogue, settings):
    # The database backend's answer (another URL, so that its body is not the one reused).
    expected = client.get(APPS_URL, {"q": "emploi", "page": 1}).json()
    # A real client, pointed at a port where no node listens: the connection is refused.
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    settings.SEARCH_FALLBACK = True

    response = client.get(APPS_URL, {"q": "emploi"})
    suggest = client.get("/api/v1/suggest/", {"q": "form"})

    assert response.status_code == 200
    assert response["X-Search-Backend"] == "database"
    assert response.json() == expected
    # A fallback answer is neither cached nor given validators.
    assert "ETag" not in response
    assert suggest.status_code == 200
    assert suggest["X-Search-Backend"] == "database"


def test_head_answers_like_get_without_a_body(client, api_catalogue):
    get, head = client.get(APPS_URL), client.head(APPS_URL)

    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]


# --- /apps/{slug}/ -----------------------------------------------------------------------


def test_an_app_detail(client, api_catalogue):
    app = api_catalogue.apps["Métiers"]

    response = client.get(f"{APPS_URL}{app.slug}/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == DETAIL_KEYS
    assert body["id"] == app.pk
    assert body["name"] == "Métiers Passion"
    assert body["languages"] == ["fr"]
    assert body["accessibility"] == "full"
    assert body["rating"] == {
        "average": 4.5,
        "count": 20,
        "histogram": {"1": 0, "2": 0, "3": 2, "4": 3, "5": 15},
    }
    assert body["collections"] == ["a-la-une"]
    assert body["published_at"].startswith("2023-02-01T")
    assert body["updated_at"].startswith("2025-01-10T")
    assert [listing["platform"] for listing in body["listings"]] == ["web", "ios", "android"]
    ios = body["listings"][1]
    assert ios == {
        "platform": "ios",
        "url": f"https://ios.example.org/{app.slug.rsplit('-', 1)[1]}",
        "store_id": f"store-{app.slug.rsplit('-', 1)[1]}-ios",
        "version": "2.1",
        "min_os_version": "14",
        "updated_at": ios["updated_at"],
        "anti_features": [],
    }
    assert ios["updated_at"].startswith("2025-01-05T")
    assert [shot["caption"] for shot in body["screenshots"]] == ["Accueil", "Fiche métier"]
    for shot in body["screenshots"]:
        assert shot["url"].startswith("http://testserver/media/images/")
        assert ".max-720x1280" in shot["url"]
        assert (shot["width"], shot["height"]) == (64, 64)


def test_the_description_is_sanitised(client, api_catalogue):
    app = api_catalogue.apps["Métiers"]

    html = client.get(f"{APPS_URL}{app.slug}/").json()["description_html"]

    assert html == (
        "<h2>Bienvenue</h2><p>Des <b>métiers</b> à <i>découvrir</i>.</p>"
        '<ul><li><a rel="noopener noreferrer nofollow">piège</a></li>'
        '<li><a href="http://testserver/aide/" rel="noopener noreferrer nofollow">aide</a></li>'
        '<li><a href="https://example.org/guide" rel="noopener noreferrer nofollow">guide</a>'
        "</li></ul>"
    )


def test_an_app_with_no_ratings_has_an_empty_histogram(client, api_catalogue):
    body = client.get(f"{APPS_URL}{api_catalogue.slug('Vivier')}/").json()

    assert body["rating"] == {
        "average": 0.0,
        "count": 0,
        "histogram": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
    }
    assert body["screenshots"] == []
    assert body["collections"] == ["recruter"]
    assert body["audiences"] == ["employers"]


@pytest.mark.parametrize("key", ["Fantôme", "Brouillon", None])
def test_unknown_draft_and_unpublished_apps_are_404(client, api_catalogue, key):
    slug = api_catalogue.slug(key) if key else "inconnue"

    assert_error(client.get(f"{APPS_URL}{slug}/"), 404)


def test_a_slug_with_a_nul_character_is_a_404(client, api_catalogue):
    assert_error(client.get(f"{APPS_URL}a%00b/"), 404)


# --- /categories/ --------------------------------------------------------------------------


def test_the_category_tree_counts_live_apps(client, api_catalogue):
    response = client.get("/api/v1/categories/")

    assert response.status_code == 200
    tree = {universe["slug"]: universe for universe in response.json()}
    assert list(tree) == [
        "choisir-un-metier",
        "se-former",
        "preparer-sa-candidature",
        "trouver-un-emploi",
        "creer-son-entreprise",
        "partir-a-l-international",
    ]
    se_former = tree["se-former"]
    assert set(se_former) == {
        "slug",
        "name",
        "description",
        "icon",
        "count",
        "apps_url",
        "children",
    }
    assert se_former["name"] == "Se former"
    assert se_former["icon"] == "fr-icon-book-2-line"
    # FormaPro sits in two of its sub-categories: counted once. Fantôme is not live.
    assert se_former["count"] == 2
    assert se_former["apps_url"] == "http://testserver/api/v1/apps/?category=se-former"
    children = {child["slug"]: child["count"] for child in se_former["children"]}
    assert children == {
        "trouver-une-formation": 1,
        "apprendre-en-ligne": 1,
        "financer-sa-formation": 1,
        "langues-et-numerique": 0,
    }
    assert set(se_former["children"][0]) == {"slug", "name", "description", "count", "apps_url"}
    assert tree["choisir-un-metier"]["count"] == 1
    assert tree["creer-son-entreprise"]["count"] == 0


def test_category_counts_match_the_category_facet(client, api_catalogue):
    tree = client.get("/api/v1/categories/").json()
    facets = facet(apps(client), "category")

    for universe in tree:
        for node in [universe, *universe["children"]]:
            assert node["count"] == facets.get(node["slug"], (0, False))[0], node["slug"]


# --- /publishers/ --------------------------------------------------------------------------


def test_the_publishers(client, api_catalogue):
    response = client.get("/api/v1/publishers/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "page", "page_size", "next", "previous", "results"}
    by_slug = {publisher["slug"]: publisher for publisher in body["results"]}
    assert list(by_slug)[:3] == ["france-travail", "studio-alize", "tremplin"]
    france_travail = by_slug["france-travail"]
    assert france_travail["name"] == "France Travail"
    assert france_travail["verified"] is True
    assert france_travail["kind"] == "public_service"
    assert france_travail["app_count"] == 3  # not the unpublished one
    assert by_slug["studio-alize"]["app_count"] == 1  # not the draft
    assert france_travail["logo"].startswith("http://testserver/media/images/")
    assert france_travail["url"] == "http://testserver/api/v1/publishers/france-travail/"
    assert france_travail["web_url"] == "http://testserver/applications/france-travail/"
    assert france_travail["apps_url"] == ("http://testserver/api/v1/apps/?publisher=france-travail")
    assert by_slug["tremplin"]["logo"] is None


def test_publishers_are_paginated(client, api_catalogue):
    body = client.get("/api/v1/publishers/", {"page_size": 2}).json()

    assert body["count"] == 3
    assert [publisher["slug"] for publisher in body["results"]] == [
        "france-travail",
        "studio-alize",
    ]
    assert body["next"] == "http://testserver/api/v1/publishers/?page=2&page_size=2"
    second = client.get(body["next"]).json()
    assert [publisher["slug"] for publisher in second["results"]] == ["tremplin"]
    assert second["previous"] == "http://testserver/api/v1/publishers/?page_size=2"


@pytest.mark.parametrize(
    ("params", "field"),
    [({"page": "0"}, "page"), ({"page_size": "101"}, "page_size"), ({"page": "x"}, "page")],
)
def test_bad_publisher_pagination_is_a_400(client, api_catalogue, params, field):
    assert_error(client.get("/api/v1/publishers/", params), 400, [field])


def test_a_publisher(client, api_catalogue):
    body = client.get("/api/v1/publishers/tremplin/").json()

    assert body["name"] == "Tremplin"
    assert body["app_count"] == 2
    assert body["verified"] is False
    assert_error(client.get("/api/v1/publishers/inconnu/"), 404)


# --- /collections/ -------------------------------------------------------------------------


def test_the_collections(client, api_catalogue):
    body = client.get("/api/v1/collections/").json()

    assert body == [
        {
            "slug": "a-la-une",
            "name": "À la une",
            "description": "Une sélection de l'équipe éditoriale.",
            "featured": True,
            "app_count": 3,
            "url": "http://testserver/api/v1/collections/a-la-une/",
        },
        {
            "slug": "recruter",
            "name": "Recruter",
            "description": "Une sélection de l'équipe éditoriale.",
            "featured": False,
            "app_count": 1,
            "url": "http://testserver/api/v1/collections/recruter/",
        },
    ]


def test_a_collection_lists_its_live_apps_in_order(client, api_catalogue):
    body = client.get("/api/v1/collections/a-la-une/").json()

    assert body["app_count"] == 3
    assert api_catalogue.keys(body["apps"]) == ["Cap", "Métiers", "FormaPro"]
    assert all(set(app) == SUMMARY_KEYS for app in body["apps"])
    assert_error(client.get("/api/v1/collections/inconnue/"), 404)


# --- /suggest/ -----------------------------------------------------------------------------


def test_suggestions(client, any_backend):
    response = client.get("/api/v1/suggest/", {"q": "form"})

    assert response.status_code == 200
    body = response.json()
    assert {item["slug"] for item in body} == {
        any_backend.slug("Connect"),
        any_backend.slug("FormaPro"),
    }
    for item in body:
        assert set(item) == {"slug", "name", "icon", "url"}
    connect = next(item for item in body if item["name"] == "Formation Connect")
    assert connect["icon"].startswith("http://testserver/media/images/")


def test_suggestions_never_show_hidden_apps_and_stop_at_ten(client, any_backend):
    body = client.get("/api/v1/suggest/", {"q": "métier"}).json()

    assert [item["name"] for item in body] == ["Métiers Passion"]


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "f"}, {"q": "  é  "}])
def test_suggestions_need_two_characters(client, api_catalogue, params):
    assert_error(client.get("/api/v1/suggest/", params), 400, ["q"])


# --- Conditional requests and caching ------------------------------------------------------

READ_URLS = [
    APPS_URL,
    f"{APPS_URL}?platform=ios",
    "/api/v1/categories/",
    "/api/v1/publishers/",
    "/api/v1/publishers/france-travail/",
    "/api/v1/collections/",
    "/api/v1/collections/a-la-une/",
    "/api/v1/suggest/?q=form",
]


def detail_url(catalogue, key="Métiers"):
    return f"{APPS_URL}{catalogue.slug(key)}/"


@pytest.mark.parametrize("url", [*READ_URLS, "detail"])
def test_validators_and_cache_control(client, api_catalogue, url):
    url = detail_url(api_catalogue) if url == "detail" else url
    version = settle_version()

    response = client.get(url)

    assert response.status_code == 200
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"] == formatdate(int(version) + 1, usegmt=True)
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize("url", [*READ_URLS, "detail"])
def test_if_none_match_is_a_304_without_a_query(
    client, api_catalogue, url, django_assert_num_queries
):
    url = detail_url(api_catalogue) if url == "detail" else url
    etag = client.get(url)["ETag"]

    with django_assert_num_queries(0):
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=60"


def test_if_modified_since(client, api_catalogue):
    url = detail_url(api_catalogue)
    settle_version()
    last_modified = client.get(url)["Last-Modified"]

    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    earlier = formatdate(time.time() - 3600, usegmt=True)
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_another_etag_or_another_url_is_a_200(client, api_catalogue):
    etag = client.get(APPS_URL)["ETag"]

    assert client.get(APPS_URL, HTTP_IF_NONE_MATCH='W/"autre"').status_code == 200
    assert client.get(f"{APPS_URL}?page=2", HTTP_IF_NONE_MATCH=etag).status_code == 200
    other_language = client.get(APPS_URL, HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_LANGUAGE="en")
    assert other_language.status_code == 200


def test_last_modified_waits_for_the_end_of_the_version_second(rf, api_catalogue):
    request = rf.get(APPS_URL)
    now = time.time()

    assert Validators(request, version=now).last_modified is None
    assert Validators(request, version=now - 5).last_modified == int(now - 5) + 1


def test_unpublishing_changes_the_validators(
    client, api_catalogue, inline_indexing, django_capture_on_commit_callbacks
):
    app = AppPage.objects.get(pk=api_catalogue.apps["Cap"].pk)
    detail, listing = detail_url(api_catalogue, "Cap"), APPS_URL
    before = {url: client.get(url)["ETag"] for url in (detail, listing)}

    with django_capture_on_commit_callbacks(execute=True):
        app.unpublish()

    assert_error(client.get(detail, HTTP_IF_NONE_MATCH=before[detail]), 404)
    response = client.get(listing, HTTP_IF_NONE_MATCH=before[listing])
    assert response.status_code == 200
    assert response["ETag"] != before[listing]
    assert api_catalogue.slug("Cap") not in {item["slug"] for item in response.json()["results"]}


def test_publishing_a_change_changes_the_validators(
    client, api_catalogue, inline_indexing, django_capture_on_commit_callbacks
):
    app = AppPage.objects.get(pk=api_catalogue.apps["Cap"].pk)
    url = detail_url(api_catalogue, "Cap")
    before = client.get(url)["ETag"]

    app.tagline = "Une nouvelle accroche"
    with django_capture_on_commit_callbacks(execute=True):
        app.save_revision().publish()

    response = client.get(url, HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 200
    assert response["ETag"] != before
    assert response.json()["tagline"] == "Une nouvelle accroche"


def test_a_collection_change_changes_the_validators(
    client, api_catalogue, django_capture_on_commit_callbacks
):
    url = "/api/v1/collections/"
    before = client.get(url)["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        Collection.objects.filter(slug="recruter").get().save()

    assert client.get(url, HTTP_IF_NONE_MATCH=before).status_code == 200


def test_a_version_is_moved_only_once_the_change_commits(
    api_catalogue, django_capture_on_commit_callbacks
):
    version = catalogue_version()

    with django_capture_on_commit_callbacks() as callbacks:
        Collection.objects.filter(slug="recruter").get().save()
        assert catalogue_version() == version
    assert callbacks
    for callback in callbacks:
        callback()
    assert catalogue_version() > version


def test_authenticated_answers_stay_private(client, api_catalogue):
    client.force_login(UserFactory())

    response = client.get(APPS_URL)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=60"


def test_errors_carry_no_validators(client, api_catalogue):
    response = client.get(f"{APPS_URL}inconnue/")

    assert response.status_code == 404
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


# --- Language --------------------------------------------------------------------------------


def test_french_by_default_english_on_request(client, api_catalogue):
    french = client.get(APPS_URL)
    english = client.get(APPS_URL, HTTP_ACCEPT_LANGUAGE="en")

    assert french["Content-Language"] == "fr"
    assert english["Content-Language"] == "en"
    assert french["ETag"] != english["ETag"]
    labels = {
        name: {item["value"]: item["label"] for item in values}
        for name, values in english.json()["facets"].items()
    }
    assert labels["audience"]["jobseekers"] == "Job-seekers"
    assert labels["language"]["de"] == "German"


# --- Query counts --------------------------------------------------------------------------


def test_the_list_issues_a_fixed_number_of_queries(
    client, any_backend, settings, django_assert_num_queries
):
    # Warm: renditions made, labels and site root paths cached.
    for size in (2, 6):
        assert len(apps(client, page_size=size)["results"]) == size

    for size in (2, 6):
        _bump()  # a new version: the body is built again, not reused
        with django_assert_num_queries(LIST_QUERIES[settings.SEARCH_BACKEND]):
            apps(client, page_size=size)


def test_the_detail_issues_a_fixed_number_of_queries(
    client, api_catalogue, django_assert_num_queries
):
    # Connect: 2 listings, 1 screenshot, 1 category; Métiers: 3, 2 and 2.
    urls = [detail_url(api_catalogue, "Connect"), detail_url(api_catalogue, "Métiers")]
    for url in urls:
        assert client.get(url).status_code == 200

    for url in urls:
        _bump()  # a new version: the body is built again, not reused
        with django_assert_num_queries(DETAIL_QUERIES):
            client.get(url)


def test_the_same_request_in_the_same_version_is_answered_without_a_query(
    client, api_catalogue, django_assert_num_queries
):
    url = detail_url(api_catalogue, "Connect")
    first = client.get(url)

    with django_assert_num_queries(0):
        again = client.get(url)

    assert again.json() == first.json()
    assert again["ETag"] == first["ETag"]


def test_a_change_is_visible_at_once_despite_the_body_cache(client, api_catalogue):
    url = detail_url(api_catalogue, "Connect")
    before = client.get(url).json()
    app = AppPage.objects.get(slug=before["slug"])

    with transaction.atomic():
        app.tagline = "Une accroche toute neuve"
        app.save_revision().publish()
    _bump()  # what the on-commit hook does once the transaction commits

    assert client.get(url).json()["tagline"] == "Une accroche toute neuve"


def test_other_reads_issue_few_queries(client, api_catalogue):
    for url in READ_URLS[2:]:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) <= 8, (url, [query["sql"] for query in queries])
