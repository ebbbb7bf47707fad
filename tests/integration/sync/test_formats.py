"""Each feed format end to end, from a local server to draft pages awaiting the editors."""

import re

import pytest
from wagtail.images import get_image_model

from catalogue.models import AppPage, Category
from catalogue.services import ensure_media_collection
from catalogue.sync.models import CategoryMapping, FeedItem, SyncRun
from tests.integration.sync.conftest import (
    APPSTREAM,
    FIXTURES,
    ITUNES,
    app_of,
    app_spec,
    counters,
    example_feed,
    in_review,
    itunes_with_local_images,
    local_images,
    native_feed,
    png_bytes,
    revision_count,
)

FDROID_INDEX = FIXTURES / "fdroid" / "fdroidserver-tests-repo" / "index-v2.json"

pytestmark = pytest.mark.django_db


def assert_new_draft_in_review(feed, app):
    """What every app a feed brings for the first time must be."""
    assert not app.live
    assert app.source == AppPage.Source.FEED
    assert app.external_id
    assert app.publisher == feed.publisher
    assert app.get_parent().specific == feed.publisher.page
    assert revision_count(app) >= 1
    assert in_review(app)
    item = FeedItem.objects.get(feed=feed, external_id=app.external_id)
    assert item.app == app
    assert len(item.content_hash) == 64
    assert item.missing_since is None and item.archived_at is None


def categories(app):
    return sorted(app.categories.values_list("slug", flat=True))


# --- the store's own feed ------------------------------------------------------------------


def test_the_example_feed_becomes_three_drafts_in_review(feed_server, make_feed, sync):
    feed_server.serve("/feed.json", example_feed(feed_server))
    feed = make_feed()

    run = sync(feed)

    assert run.status == SyncRun.Status.DONE, run.message
    assert run.http_status == 200
    assert run.finished_at is not None
    assert counters(run) == {
        "seen": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "archived": 0,
        "failed": 0,
    }
    assert run.errors == []
    assert [(c["item"], c["action"]) for c in run.changes] == [
        ("cv-express", "create"),
        ("entretien-coach", "create"),
        ("recrut-local", "create"),
    ]
    # The example's developer is not the publisher: said, not refused.
    assert any("Atelier Exemple" in warning for warning in run.warnings)

    cv = app_of(feed, "cv-express")
    for app in (cv, app_of(feed, "entretien-coach"), app_of(feed, "recrut-local")):
        assert_new_draft_in_review(feed, app)
    assert not AppPage.objects.live().filter(publisher=feed.publisher).exists()

    assert cv.title == "CV Express"  # French preferred among the translations
    assert cv.tagline.startswith("Créez un CV clair")
    assert "<strong>lisible</strong>" in cv.description
    assert categories(cv) == ["cv-et-lettre"]
    assert list(cv.audiences.values_list("slug", flat=True)) == ["jobseekers"]
    assert sorted(cv.languages.values_list("code", flat=True)) == ["en", "fr"]
    assert (cv.pricing, cv.accessibility) == ("free", "partial")
    web, android = cv.listings.order_by("sort_order")
    assert (web.platform, web.version, web.url) == (
        "web",
        "3.2.0",
        "https://example.org/cv-express/",
    )
    assert "Alternance" in web.release_notes
    assert (android.store_id, android.min_os_version) == ("org.example.cvexpress", "8.0")
    assert categories(app_of(feed, "recrut-local")) == ["offres-emploi", "recruter"]

    # Icon and screenshots downloaded once each into the publisher's collection.
    assert cv.icon is not None
    assert cv.icon.collection == ensure_media_collection(feed.publisher)
    shots = list(cv.screenshots.order_by("sort_order"))
    assert [shot.caption for shot in shots] == ["Choix du modèle", "Aperçu avant export"]
    assert get_image_model().objects.count() == 6  # 3 icons, 3 screenshots
    for path in ("/images/cv-express/icone.png", "/images/cv-express/ecran-1.png"):
        assert feed_server.hits(path) == 1
    item = FeedItem.objects.get(feed=feed, external_id="cv-express")
    assert sorted(item.images.values()) == sorted([cv.icon_id, *(s.image_id for s in shots)])


def test_the_same_picture_under_two_urls_is_one_image(feed_server, make_feed, sync):
    logo = png_bytes("logo commun")
    first = app_spec("a", "A", icon=feed_server.image("/a/icone.png", logo))
    second = app_spec(
        "b",
        "B",
        icon=feed_server.image("/b/logo.png", logo),
        screenshots=[{"url": feed_server.image("/b/ecran.png")}],
    )
    feed_server.serve("/feed.json", native_feed(first, second))
    feed = make_feed()

    assert sync(feed).created == 2

    assert app_of(feed, "a").icon_id == app_of(feed, "b").icon_id
    assert get_image_model().objects.count() == 2  # the shared logo, the screenshot


# --- AppStream -----------------------------------------------------------------------------


def test_the_appstream_catalog_fixture(feed_server, make_feed, sync):
    # An editor maps one more AppStream category: the next run uses it.
    CategoryMapping.objects.create(
        source="appstream", term="Graphics", category=Category.objects.get(slug="cv-et-lettre")
    )
    feed_server.serve(
        "/catalog.xml",
        (APPSTREAM / "appstream-catalog-foobar-1.xml").read_bytes(),
        content_type="application/xml",
    )
    feed = make_feed("/catalog.xml", format="appstream")

    run = sync(feed)

    # 19 application components, each with an id and a name: all of them import, most with
    # no homepage (AppStream requires none): they install by appstream://<id>.
    assert run.status == SyncRun.Status.DONE
    assert (run.seen, run.created, run.failed, run.updated) == (19, 19, 0, 0)
    assert FeedItem.objects.filter(feed=feed).count() == 19
    zero_ad = app_of(feed, "0ad.desktop")
    assert [(item.url, item.store_id) for item in zero_ad.listings.all()] == [
        ("appstream://0ad.desktop", "0ad")  # the distribution's <pkgname>
    ]

    inkscape = app_of(feed, "org.inkscape.Inkscape")
    assert_new_draft_in_review(feed, inkscape)
    assert [listing.platform for listing in inkscape.listings.all()] == ["linux"]
    assert categories(inkscape) == ["cv-et-lettre"]  # Graphics, mapped above
    # Unmapped categories are a warning, never a failure.
    zero_install = app_of(feed, "0install.desktop")
    assert_new_draft_in_review(feed, zero_install)
    assert categories(zero_install) == []
    assert any(
        "0install.desktop" in warning and "sans correspondance" in warning
        for warning in run.warnings
    )


def test_an_f_droid_repository_becomes_drafts_with_listings_texts_and_images(
    feed_server, make_feed, sync
):
    """fdroidserver's test repository (index-v2) through a whole run: its address points to the
    local server, which serves every image the index names."""
    repo = feed_server.url("/fdroid/repo")
    body = FDROID_INDEX.read_bytes().replace(b"https://example.com/fdroid/repo", repo.encode())
    for path in sorted(set(re.findall(rb'"name": "(/[^"]+\.(?:png|jpg))"', body))):
        feed_server.image("/fdroid/repo" + path.decode())
    feed_server.serve("/fdroid/repo/index-v2.json", body)
    feed = make_feed("/fdroid/repo/index-v2.json", format="fdroid")

    run = sync(feed)

    assert run.status == SyncRun.Status.DONE
    assert (run.seen, run.created, run.failed) == (11, 11, 0)
    polite = app_of(feed, "com.politedroid")
    assert_new_draft_in_review(feed, polite)
    assert (polite.title, polite.title_en, polite.licence) == (
        "Polite Droid",
        "Polite Droid",
        "GPL-3.0-only",
    )
    [listing] = polite.listings.all()
    assert (listing.platform, listing.url, listing.store_id, listing.version) == (
        "android",
        repo,
        "com.politedroid",
        "1.5",
    )
    assert listing.anti_features == ["KnownVuln", "NoSourceSince", "NonFreeAssets", "NonFreeNet"]
    assert [release.version for release in polite.releases.all()][:2] == ["1.5", "1.4"]
    assert polite.icon is not None
    assert feed_server.hits("/fdroid/repo/icons/com.politedroid.6.png") == 1


def test_two_appstream_metainfo_fixtures(feed_server, make_feed, sync):
    thunderbird_body = local_images(
        (APPSTREAM / "org.mozilla.Thunderbird.appdata.xml").read_bytes(), feed_server, "/tb"
    )
    feed_server.serve("/thunderbird.xml", thunderbird_body, content_type="application/xml")
    # KWeather as it is: its screenshots on a CDN do not resolve here (warnings).
    feed_server.serve(
        "/kweather.xml",
        (APPSTREAM / "org.kde.kweather.appdata.xml").read_bytes(),
        content_type="application/xml",
    )
    thunderbird_feed = make_feed("/thunderbird.xml", format="appstream")
    kweather_feed = make_feed("/kweather.xml", format="appstream")

    thunderbird_run = sync(thunderbird_feed)
    kweather_run = sync(kweather_feed)

    assert thunderbird_run.status == SyncRun.Status.DONE, thunderbird_run.errors
    assert (thunderbird_run.seen, thunderbird_run.created) == (1, 1)
    thunderbird = app_of(thunderbird_feed, "org.mozilla.Thunderbird")
    assert_new_draft_in_review(thunderbird_feed, thunderbird)
    # Email, Chat, InstantMessaging, Network → reseau-professionnel; Office → gestion…
    assert categories(thunderbird) == ["gestion-et-administratif", "reseau-professionnel"]
    assert any("Calendar" in warning for warning in thunderbird_run.warnings)
    assert thunderbird.listings.get().url == "appstream://org.mozilla.Thunderbird"
    assert thunderbird.website == "https://www.thunderbird.net/"
    assert thunderbird.screenshots.count() == 2

    assert kweather_run.status == SyncRun.Status.DONE, kweather_run.errors
    kweather = app_of(kweather_feed, "org.kde.kweather")
    assert_new_draft_in_review(kweather_feed, kweather)
    assert kweather.title == "Météo"  # the French name among 44 locales
    assert kweather.tagline == "Afficher des prévisions météo en temps réel"
    assert kweather.screenshots.count() == 0
    image_warnings = [w for w in kweather_run.warnings if "image non importée" in w]
    assert len(image_warnings) == 10
    assert any("Utility" in warning for warning in kweather_run.warnings)


# --- iTunes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "external_id", "title", "platform", "category"),
    [
        (
            "fastlane-itunesLookup-284882215.json",
            "com.facebook.Facebook",
            "Facebook",
            "ios",
            "reseau-professionnel",
        ),
        (
            "fastlane-itunesLookup-338986109_FR.json",
            "com.orange.118712",
            "118 712 annuaire - recherche inverse, pro, particulier",
            "ios",
            "gestion-et-administratif",
        ),
        (
            "mas-slack-lookup.json",
            "com.tinyspeck.slackmacgap",
            "Slack",
            "macos",
            "gestion-et-administratif",
        ),
    ],
)
def test_itunes_fixtures(
    feed_server, make_feed, sync, name, external_id, title, platform, category
):
    feed_server.serve("/lookup.json", itunes_with_local_images(name, feed_server))
    feed = make_feed("/lookup.json", format="itunes")

    run = sync(feed)

    assert run.status == SyncRun.Status.DONE, run.errors
    assert (run.seen, run.created, run.failed) == (1, 1, 0)
    app = app_of(feed, external_id)
    assert_new_draft_in_review(feed, app)
    assert app.title == title
    # iTunes has no tagline and the page needs one: a stand-in, flagged for the editors.
    assert 0 < len(app.tagline) <= 140
    assert any(
        external_id in w and "accroche absente : reprise du début de la description" in w
        for w in run.warnings
    )
    assert app.description
    listing = app.listings.get()
    assert listing.platform == platform
    assert listing.url.startswith("https://") and listing.version
    assert app.icon is not None
    assert app.screenshots.count() >= 1
    # Genres through the default mappings (Social Networking, Utilitaires, Business).
    assert categories(app) == [category]


def test_an_itunes_response_with_no_result(feed_server, make_feed, sync):
    feed_server.serve("/lookup.json", (ITUNES / "fastlane-itunesLookup-0.json").read_bytes())
    feed = make_feed("/lookup.json", format="itunes")

    run = sync(feed)

    assert run.status == SyncRun.Status.DONE
    assert counters(run) == dict.fromkeys(SyncRun.COUNTERS, 0)
    assert not AppPage.objects.filter(publisher=feed.publisher).exists()
