"""The storefront on the DSFR: home, browse entry points, collections, sitemap, SEO tags,
language, skip links, and the pages' query counts."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.models import AppPage
from search.backends import get_backend
from tests.factories import (
    AppPageFactory,
    CollectionFactory,
    ImageFactory,
    PublisherFactory,
    category,
)

pytestmark = pytest.mark.django_db

SITE_URL = "https://emploi-store.example.gouv.fr"
UNIVERSE_NAMES = [
    "Choisir un métier",
    "Se former",
    "Préparer sa candidature",
    "Trouver un emploi",
    "Créer son entreprise",
    "Partir à l&#x27;international",
]


@pytest.fixture(autouse=True)
def storefront_settings(settings):
    settings.SITE_URL = SITE_URL
    settings.SEARCH_BACKEND = "database"
    # The menu's universes and Wagtail's site paths are cached: each test starts cold.
    cache.clear()
    yield
    cache.clear()


def get_html(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, f"{url} → {response.status_code}"
    return response.content.decode()


def section(html, start_id, end_marker="</section>"):
    """The HTML of the section whose heading has this id, up to the end of the section."""
    start = html.index(f'id="{start_id}"')
    return html[start : html.index(end_marker, start)]


def set_figures(app, **figures):
    AppPage.objects.filter(pk=app.pk).update(**figures)


@pytest.fixture
def shelf(publisher_a, publisher_b):
    """Apps with ratings and publication dates that give the home page's lists an order."""
    now = timezone.now()
    apps = {
        "best": AppPageFactory(publisher=publisher_a, title="Note Parfaite", slug="note-parfaite"),
        "good": AppPageFactory(publisher=publisher_b, title="Bien Notée", slug="bien-notee"),
        "few": AppPageFactory(publisher=publisher_a, title="Deux Avis", slug="deux-avis"),
        "draft": AppPageFactory(
            publisher=publisher_a, title="Brouillon Caché", slug="brouillon-cache", live=False
        ),
    }
    set_figures(apps["best"], rating_average=4.9, rating_count=12, last_published_at=now)
    set_figures(
        apps["good"], rating_average=4.2, rating_count=3, last_published_at=now - timedelta(days=3)
    )
    # Five stars, but two reviews only: not a ranking yet.
    set_figures(
        apps["few"], rating_average=5, rating_count=2, last_published_at=now - timedelta(days=1)
    )
    return apps


# --- Home ------------------------------------------------------------------------------------


def test_home_shows_the_six_universes_as_tiles_with_their_app_counts(client, shelf):
    html = get_html(client, "/")

    universes = section(html, "univers")
    for name in UNIVERSE_NAMES:
        assert name in universes
    assert universes.count('class="fr-tile ') == 6
    assert 'href="/applications/categorie/se-former/"' in universes
    # The three live apps sit in "Se former" (the factory's default sub-category); the draft not.
    tile = universes[universes.index("/applications/categorie/se-former/") :]
    assert re.search(r"fr-tile__detail\">\s*3 applications", tile)


def test_home_has_the_two_entry_points(client, shelf):
    html = get_html(client, "/")

    assert 'href="/apps/?audience=jobseekers"' in html
    assert "Je cherche un emploi ou une formation" in html
    assert 'href="/apps/?audience=employers"' in html
    assert "Je recrute" in html


def test_home_lists_top_rated_apps_with_enough_reviews_best_first(client, shelf):
    html = get_html(client, "/")

    top = section(html, "mieux-notees")
    assert top.index("Note Parfaite") < top.index("Bien Notée")
    assert "Deux Avis" not in top
    assert "Brouillon Caché" not in html


def test_home_lists_recently_updated_apps_newest_first(client, shelf):
    html = get_html(client, "/")

    recent = section(html, "mises-a-jour")
    assert recent.index("Note Parfaite") < recent.index("Deux Avis") < recent.index("Bien Notée")


def test_home_shows_featured_collections_with_their_apps_and_a_link(client, shelf):
    CollectionFactory(
        name="Coup de cœur",
        slug="coup-de-coeur",
        featured=True,
        apps=[shelf["good"], shelf["draft"], shelf["best"]],
    )
    CollectionFactory(
        name="Collection discrète", slug="discrete", featured=False, apps=[shelf["few"]]
    )

    html = get_html(client, "/")

    picks = section(html, "collection-coup-de-coeur")
    assert picks.index("Bien Notée") < picks.index("Note Parfaite")
    assert "Brouillon Caché" not in picks
    assert 'href="/collections/coup-de-coeur/"' in picks
    assert "Collection discrète" not in html


def test_home_search_box_goes_to_the_browse_page_with_autocomplete(client, shelf):
    html = get_html(client, "/")

    form = section(html, "recherche-accueil", "</form>")
    assert 'action="/apps/"' in form
    assert 'method="get"' in form
    assert 'name="q"' in form
    assert 'data-autocomplete="/api/v1/suggest/"' in form


# --- Header, language, skip links --------------------------------------------------------------


def test_the_header_search_targets_the_browse_page(client, catalogue):
    html = get_html(client, "/applications/")

    header = html[html.index('<header role="banner"') : html.index("</header>")]
    form = section(header, "recherche-entete", "</form>")
    assert 'action="/apps/"' in form
    assert 'name="q"' in form
    assert 'role="search"' in form
    assert "data-autocomplete=" in form


def test_the_main_navigation_lists_the_universes(client, catalogue):
    html = get_html(client, "/applications/")

    nav = html[html.index('id="navigation"') : html.index("</nav>", html.index('id="navigation"'))]
    for name in UNIVERSE_NAMES:
        assert name in nav
    assert 'href="/apps/"' in nav


def test_skip_links_lead_to_existing_targets(client, catalogue):
    html = get_html(client, "/")

    skiplinks = html[html.index('class="fr-skiplinks"') : html.index("</nav>")]
    for target in ("contenu", "navigation", "pied-de-page"):
        assert f'href="#{target}"' in skiplinks
        assert f'id="{target}"' in html
    assert '<main id="contenu" tabindex="-1">' in html


def test_pages_are_in_french_by_default(client, catalogue):
    html = get_html(client, "/")

    assert '<html lang="fr"' in html
    assert "Les six univers" in html
    # The switcher offers English, and works without JavaScript (a plain POST form).
    assert 'action="/i18n/setlang/"' in html
    assert 'name="language" value="en" lang="en"' in html


def test_accept_language_english_gives_english_pages(client, catalogue):
    html = get_html(client, "/", HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="en"' in html
    assert "Get trained" in html  # the universe's English name, in the menu and the tiles
    assert 'name="language" value="fr" lang="fr"' in html


def test_the_language_switcher_keeps_the_page_and_switches_the_lang(client, catalogue):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/apps/?q=cv"})

    assert response.status_code == 302
    assert response["Location"] == "/apps/?q=cv"
    assert '<html lang="en"' in get_html(client, "/apps/?q=cv")
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert '<html lang="fr"' in get_html(client, "/")


def test_messages_are_dsfr_alerts_in_a_live_region(rf, catalogue):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = AnonymousUser()
    html = render_to_string(
        "base.html",
        {
            "messages": [
                Message(constants.SUCCESS, "Votre avis est publié."),
                Message(constants.ERROR, "<b>Refusé</b>"),
            ]
        },
        request=request,
    )

    live = html[html.index('class="store-messages" aria-live="polite"') :]
    assert "fr-alert--success" in live
    assert 'fr-alert--error fr-mb-2w" role="alert"' in live
    assert "&lt;b&gt;Refusé&lt;/b&gt;" in live


# --- SEO ----------------------------------------------------------------------------------------


def meta(html, prop):
    found = re.search(rf'<meta property="{prop}" content="([^"]*)">', html)
    return found.group(1) if found else None


def test_home_has_canonical_and_open_graph_tags(client, catalogue):
    html = get_html(client, "/?utm_source=newsletter")

    assert f'<link rel="canonical" href="{SITE_URL}/">' in html
    assert meta(html, "og:url") == f"{SITE_URL}/"
    assert meta(html, "og:type") == "website"
    assert meta(html, "og:title") == "Emploi Store"
    assert meta(html, "og:description")
    assert meta(html, "og:image").startswith(f"{SITE_URL}/static/")


def test_category_page_has_its_own_canonical_and_title(client, catalogue):
    html = get_html(client, "/applications/categorie/trouver-une-formation/?page=1")

    url = f"{SITE_URL}/applications/categorie/trouver-une-formation/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "og:url") == url
    assert meta(html, "og:title") == "Trouver une formation"
    assert "<title>Trouver une formation — Emploi Store</title>" in html
    # DSFR breadcrumb: home › catalogue › universe › here.
    crumbs = html[
        html.index('class="fr-breadcrumb"') : html.index(
            "</nav>", html.index('class="fr-breadcrumb"')
        )
    ]
    assert 'href="/applications/categorie/se-former/"' in crumbs
    assert 'aria-current="page">Trouver une formation' in crumbs


def test_publisher_page_shows_the_verified_badge(client, publisher_a, app_a):
    type(publisher_a).objects.filter(pk=publisher_a.pk).update(verified=True)

    html = get_html(client, publisher_a.page.url)

    assert '<p class="fr-badge fr-badge--success">Éditeur vérifié</p>' in html
    assert "Alpha Emploi" in html
    assert meta(html, "og:url") == f"{SITE_URL}{publisher_a.page.url}"


def test_sitemap_lists_pages_categories_and_collections_not_drafts(client, shelf, publisher_a):
    CollectionFactory(
        name="Pour démarrer", slug="pour-demarrer", featured=False, apps=[shelf["best"]]
    )

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    xml = response.content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert f"{SITE_URL}/" in locations
    assert f"{SITE_URL}{shelf['best'].url}" in locations
    assert f"{SITE_URL}{publisher_a.page.url}" in locations
    assert f"{SITE_URL}/applications/categorie/se-former/" in locations
    assert f"{SITE_URL}/applications/categorie/trouver-une-formation/" in locations
    assert f"{SITE_URL}/collections/pour-demarrer/" in locations
    assert f"{SITE_URL}/apps/" in locations
    assert not any("brouillon-cache" in location for location in locations)
    app_entry = xml[xml.index(f"<loc>{SITE_URL}{shelf['best'].url}</loc>") :]
    assert re.match(
        r"<loc>[^<]+</loc><lastmod>\d{4}-\d\d-\d\d", app_entry.replace("\n", "").replace(" ", "")
    )


# --- Browse page, old address, app shortcut ------------------------------------------------------


def test_the_old_search_address_redirects_for_good_with_its_query(client, catalogue):
    response = client.get("/recherche/?q=x&platform=ios")

    assert response.status_code == 301
    assert response["Location"] == "/apps/?q=x&platform=ios"


def test_apps_slug_opens_the_app_page_and_never_a_draft(client, shelf):
    response = client.get("/apps/note-parfaite/")

    assert response.status_code == 302
    assert response["Location"] == shelf["best"].url
    assert client.get("/apps/brouillon-cache/").status_code == 404
    assert client.get("/apps/n-existe-pas/").status_code == 404


def test_browse_page_has_dsfr_facets_and_a_clear_all_link(client, shelf):
    get_backend().rebuild()

    html = get_html(client, "/apps/?q=&platform=web&sort=name")

    assert '<fieldset class="fr-fieldset store-facet" id="facette-platform"' in html
    assert '<legend class="fr-fieldset__legend' in html
    assert 'href="?sort=name">Tout effacer' in html
    assert 'aria-live="polite"' in html
    # The selected filter is listed, with a link that removes it (and keeps the rest).
    assert 'href="?q=&amp;sort=name"' in html


def test_empty_browse_result_offers_to_remove_each_filter(client, shelf):
    get_backend().rebuild()

    html = get_html(client, "/apps/?q=astronaute&platform=ios&pricing=paid")

    assert "Aucune application ne correspond" in html
    assert "Vérifiez l'orthographe" in html
    assert 'href="?q=astronaute&amp;pricing=paid">Retirer le filtre Plateformes : iOS' in html
    assert 'href="?q=astronaute&amp;platform=ios">Retirer le filtre Tarif : Payant' in html


# --- Collections -------------------------------------------------------------------------------


def test_collection_page_lists_its_live_apps_in_order(client, shelf):
    CollectionFactory(
        name="Pour démarrer",
        slug="pour-demarrer",
        featured=False,  # every collection has its page, featured on the home page or not
        description="Trois services pour bien commencer.",
        apps=[shelf["few"], shelf["draft"], shelf["best"], shelf["good"]],
    )

    html = get_html(client, "/collections/pour-demarrer/")

    assert "<h1>Pour démarrer</h1>" in html
    assert "Trois services pour bien commencer." in html
    assert html.index("Deux Avis") < html.index("Note Parfaite") < html.index("Bien Notée")
    assert "Brouillon Caché" not in html
    assert "3 applications" in html
    assert f'<link rel="canonical" href="{SITE_URL}/collections/pour-demarrer/">' in html


def test_unknown_collection_is_404(client, catalogue):
    assert client.get("/collections/n-existe-pas/").status_code == 404


# --- Query counts ------------------------------------------------------------------------------


def count_queries(client, url):
    """Queries of one request once the caches are warm (the menu, site paths, renditions)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_apps(publisher, count, start, icon=None):
    apps = []
    for number in range(start, start + count):
        app = AppPageFactory(
            publisher=publisher,
            title=f"Service {number:02d}",
            slug=f"service-{number:02d}",
            icon=icon,
            listings=["web", "ios", "android"],
            categories=[category("trouver-une-formation"), category("cv-et-lettre")],
        )
        set_figures(app, rating_average=4, rating_count=5)
        apps.append(app)
    return apps


# With warm caches (menu, Wagtail's site paths, facet labels, renditions). Home: site and page
# lookups, view restrictions, universes with their counts, featured collections with their apps,
# top-rated and recent apps (each list: apps, categories, listings, icons). The check that
# matters: no more with 15 apps than with 5.
MAX_QUERIES = {"/": 21, "/applications/categorie/se-former/": 15, "/apps/": 6}


@pytest.mark.parametrize("url", list(MAX_QUERIES))
def test_pages_cost_the_same_queries_with_5_or_15_apps(client, catalogue, url):
    publisher = PublisherFactory(name="Éditeur Gamma", slug="editeur-gamma", verified=True)
    icon = ImageFactory()
    apps = add_apps(publisher, 5, 1, icon=icon)
    CollectionFactory(name="Sélection", slug="selection", featured=True, apps=apps)
    get_backend().rebuild()
    few = count_queries(client, url)

    more = add_apps(publisher, 10, 6, icon=icon)
    CollectionFactory(name="Autre sélection", slug="autre", featured=True, apps=more)
    get_backend().rebuild()
    many = count_queries(client, url)

    assert few == many, f"{url}: {few} queries with 5 apps, {many} with 15"
    assert many <= MAX_QUERIES[url], f"{url}: {many} queries"
