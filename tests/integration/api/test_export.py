"""/api/v1/export/: the catalogue as open data (JSON, CSV, AppStream), checked by Debian's
``appstreamcli validate``, and the round trip: the AppStream export, fed back into a fresh
catalogue as a publisher's feed, gives the same apps, listings, licences and both languages."""

import csv
import io
import json
import shutil
import subprocess
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from catalogue.models import AppListing, AppPage, AppRelease, Language
from catalogue.sync.models import Feed, SyncRun
from catalogue.sync.runner import run_feed
from tests.factories import AppPageFactory, AudienceFactory, PublisherFactory, subcategory, universe
from tests.integration.sync.conftest import FeedServer

pytestmark = pytest.mark.django_db

JSON_URL, CSV_URL, XML_URL = (f"/api/v1/export/catalogue.{ext}" for ext in ("json", "csv", "xml"))


def make_catalogue():
    """Three apps as different as the catalogue allows, one draft (never exported)."""
    publisher = PublisherFactory(name="Pôle emploi numérique", slug="pole-emploi-numerique")
    english = Language.objects.get_or_create(code="en", defaults={"name": "Anglais"})[0]
    french = Language.objects.get_or_create(code="fr", defaults={"name": "Français"})[0]
    when = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
    first = AppPageFactory(
        publisher=publisher,
        title="CV Express",
        slug="cv-express",
        tagline="Un CV clair en dix minutes",
        description="<p>Rédigez un CV <em>lisible</em>.</p><ul><li>Modèles</li><li>PDF</li></ul>",
        title_en="CV Express EN",
        tagline_en="A clear CV in ten minutes",
        description_en="<p>Write a <em>readable</em> CV.</p>",
        licence="MIT",
        website="https://cv-express.example.org/",
        pricing=AppPage.Pricing.FREEMIUM,
        accessibility=AppPage.Accessibility.FULL,
        listings=[
            AppListing(platform="web", url="https://cv.example.org/", version="2.1"),
            AppListing(
                platform="android",
                url="https://play.google.com/store/apps/details?id=org.example.cv",
                store_id="org.example.cv",
                version="2.0.3",
                min_os_version="8.0",
                updated_at=when,
            ),
        ],
        categories=[subcategory("cv-et-lettre")],
        audiences=[AudienceFactory(slug="jobseekers"), AudienceFactory(slug="employers")],
        languages=[french, english],
    )
    second = AppPageFactory(
        publisher=publisher,
        title="Atelier métiers",
        slug="atelier-metiers",
        tagline="Découvrir un métier",
        licence="GPL-3.0-or-later OR LicenseRef-proprietary",
        listings=[
            AppListing(platform="linux", url="appstream://org.example.Atelier", store_id="atelier"),
            AppListing(platform="ios", url="https://apps.apple.com/app/id1", store_id="1"),
        ],
        categories=[universe("se-former")],
    )
    AppPageFactory(publisher=publisher, title="Brouillon", slug="brouillon", live=False)
    return first, second


def comparable(app: AppPage) -> dict:
    """What the round trip must keep."""
    return {
        "title": app.title,
        "title_en": app.title_en,
        "tagline": app.tagline,
        "tagline_en": app.tagline_en,
        "description": app.description,
        "description_en": app.description_en,
        "licence": app.licence,
        "website": app.website,
        "pricing": app.pricing,
        "accessibility": app.accessibility,
        "categories": sorted(c.slug for c in app.categories.all()),
        "audiences": sorted(a.slug for a in app.audiences.all()),
        "languages": sorted(lang.code for lang in app.languages.all()),
        "listings": sorted(
            (
                listing.platform,
                listing.url,
                listing.store_id,
                listing.version,
                listing.min_os_version,
                listing.updated_at,
            )
            for listing in app.listings.all()
        ),
    }


def test_json_export_has_every_live_app_in_both_languages(client):
    make_catalogue()

    response = client.get(JSON_URL)

    assert response.status_code == 200
    assert "license" in response["Link"] and response["ETag"]
    data = response.json()
    assert (data["licence"], data["count"]) == ("etalab-2.0", 2)
    by_slug = {app["slug"]: app for app in data["apps"]}
    assert set(by_slug) == {"cv-express", "atelier-metiers"}  # the draft is not public
    cv = by_slug["cv-express"]
    assert cv["name"] == {"fr": "CV Express", "en": "CV Express EN"}
    assert cv["tagline"]["en"] == "A clear CV in ten minutes"
    assert (cv["licence"], cv["licence_kind"]) == ("MIT", "free")
    assert [listing["platform"] for listing in cv["listings"]] == ["web", "android"]
    assert by_slug["atelier-metiers"]["listings"][0]["url"] == "appstream://org.example.Atelier"
    assert client.get(JSON_URL, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_exports_cost_the_same_queries_for_two_apps_or_five():
    def count(client):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(JSON_URL).status_code == 200
        return len(queries)

    make_catalogue()
    few = count(Client())
    publisher = PublisherFactory()
    for _ in range(3):
        AppPageFactory(publisher=publisher, listings=("web", "ios"), licence="MIT")
    cache.clear()
    assert count(Client()) == few


def test_csv_export(client):
    make_catalogue()

    response = client.get(CSV_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["slug"] for row in rows} == {"cv-express", "atelier-metiers"}
    cv = next(row for row in rows if row["slug"] == "cv-express")
    assert (cv["name_en"], cv["platforms"], cv["licence_kind"]) == (
        "CV Express EN",
        "web android",
        "free",
    )


def test_appstream_export_is_valid_for_appstreamcli(client, tmp_path):
    appstreamcli = shutil.which("appstreamcli")
    assert appstreamcli, "appstreamcli is missing: run scripts/appstream.sh ensure"
    make_catalogue()

    response = client.get(XML_URL)

    assert response.status_code == 200
    path = tmp_path / "catalogue.xml"
    path.write_bytes(response.content)
    checked = subprocess.run(  # noqa: S603 (Debian's validator on our own file)
        [appstreamcli, "validate", "--no-net", "--explain", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    components = {c.findtext("id"): c for c in root.findall("component")}
    assert set(components) == {
        "localhost.emploistore.cv_express",
        "localhost.emploistore.atelier_metiers",
    }
    # Every app opens on the web: its web version, else its page on the store.
    atelier = components["localhost.emploistore.atelier_metiers"]
    assert atelier.get("type") == "web-application"
    assert atelier.findtext("launchable").endswith("/atelier-metiers/")


def test_round_trip_through_appstream(client, settings):
    """Export, empty the catalogue, read the export back as a publisher's AppStream feed:
    the same apps come back, in both languages, with their listings and licences."""
    settings.SYNC_ARCHIVE_MAX_SHARE = 1.0
    originals = make_catalogue()
    expected = {app.slug: comparable(app) for app in originals}
    body = client.get(XML_URL).content
    # A fresh catalogue: the apps are gone.
    for app in AppPage.objects.all():
        Page.objects.get(pk=app.pk).delete()
    assert not AppPage.objects.exists() and not AppRelease.objects.exists()

    server = FeedServer()
    try:
        server.serve("/export.xml", body, content_type="application/xml")
        publisher = PublisherFactory(name="Autre catalogue", slug="autre-catalogue")
        feed = Feed.objects.create(
            publisher=publisher, name="Export", url=server.url("/export.xml"), format="appstream"
        )
        run = run_feed(feed, trigger=SyncRun.Trigger.SHELL)
    finally:
        server.close()

    assert run.status == SyncRun.Status.DONE, (run.message, run.errors)
    assert run.created == 2
    back = {}
    for app in AppPage.objects.filter(publisher=publisher):
        draft = app.get_latest_revision_as_object()
        back[draft.slug] = comparable(draft)
    assert back == expected
    assert json.loads(json.dumps(sorted(back)))  # slugs kept too
