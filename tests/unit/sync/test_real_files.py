"""Every real AppStream file we have (publishers' MetaInfo, AppStream's own test data, what
Debian packages install) and a real F-Droid repository index, through the parsers.

AppStream's rule: every desktop-, console- and web-application component with an id and a name
imports; nothing else does. Counted here straight from the XML, independently of the parser."""

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

import pytest

from catalogue.sync.clean import clean_html
from catalogue.sync.parsers import appstream, fdroid
from tests.unit.sync.helpers import FIXTURES, fixture_bytes

REAL_APPSTREAM = sorted(
    [
        *(FIXTURES / "appstream").glob("*.xml"),
        *(FIXTURES / "appstream-cli").glob("*.xml"),
        *(FIXTURES / "debian-metainfo").glob("*.xml"),
    ]
)
APPLICATION_TYPES = {"desktop-application", "desktop", "console-application", "web-application"}


def importable(body: bytes) -> set[str]:
    """Ids of the application components that have an id and a name (non-merge)."""
    root = ET.fromstring(body)  # noqa: S314 (our own fixtures)
    components = [root] if root.tag in ("component", "application") else root.findall("component")
    ids = set()
    for component in components:
        kind = "desktop" if component.tag == "application" else component.get("type")
        component_id = (component.findtext("id") or "").strip()
        names = [(name.text or "").strip() for name in component.findall("name")]
        if kind in APPLICATION_TYPES and not component.get("merge") and component_id and any(names):
            ids.add(component_id)
    return ids


@pytest.mark.parametrize("path", REAL_APPSTREAM, ids=lambda path: path.name)
def test_every_application_with_an_id_and_a_name_imports(path):
    body = path.read_bytes()

    result = appstream.parse(body)

    assert {record.external_id for record in result.records} == importable(body)
    for record in result.records:
        [listing] = record.listings
        assert (
            listing.url
            in (
                f"appstream://{record.external_id}",  # no Flathub origin in these files
                record.homepage,  # web applications open at their homepage if no launchable
            )
            or listing.platform == "web"
        )
        assert clean_html(record.description_html) == record.description_html
        assert clean_html(record.description_html_en) == record.description_html_en


def test_a_legacy_appdata_without_a_name_is_refused_alone():
    result = appstream.parse(fixture_bytes("appstream-cli/appdata-legacy.xml"))

    assert result.records == []
    assert [(e.item, e.message) for e in result.errors] == [
        ("org.gnome.Software.desktop", "Nom manquant ou vide.")
    ]


def test_merge_only_catalogs_import_nothing_and_say_why():
    result = appstream.parse(fixture_bytes("appstream-cli/suggestions.xml"))

    assert (result.records, result.errors) == ([], [])
    assert "3 de type « fusion (merge) »" in result.warnings[0]


def test_debian_packages_metainfo_in_french_and_english():
    [mines] = appstream.parse(fixture_bytes("debian-metainfo/org.gnome.Mines.appdata.xml")).records
    assert (mines.name, mines.name_en) == ("Démineur de GNOME", "GNOME Mines")
    # English, not GNOME's Shavian alphabet (en@shaw), and the untranslated text is English.
    assert mines.tagline_en == "Clear hidden mines from a minefield"
    assert mines.tagline.startswith("Nettoyer un champ de mines")
    assert mines.licence == "GPL-3.0-or-later"
    assert mines.listings[0].url == "appstream://org.gnome.Mines"

    [printer] = appstream.parse(
        fixture_bytes("debian-metainfo/system-config-printer.appdata.xml")
    ).records
    assert (printer.name, printer.name_en) == ("Configuration de l’impression", "Print Settings")

    [mousepad] = appstream.parse(
        fixture_bytes("debian-metainfo/org.xfce.mousepad.appdata.xml")
    ).records
    # The same name in both languages, said once: no English apart.
    assert (mousepad.name, mousepad.name_en) == ("Mousepad", "Mousepad")
    releases = mousepad.listings[0].releases
    assert releases[0].version == "0.5.10" == mousepad.listings[0].version
    assert [r.released_at for r in releases] == sorted(
        (r.released_at for r in releases), reverse=True
    )


def test_appstream_cli_release_history():
    [cli] = appstream.parse(
        fixture_bytes("debian-metainfo/org.freedesktop.appstream.cli.metainfo.xml")
    ).records
    assert cli.name_en == "AppStream CLI"
    assert cli.listings[0].version == "0.16.1"
    assert len(cli.listings[0].releases) == 6
    assert cli.licence == "LGPL-2.1-or-later"


def test_kweather_keeps_english_apart():
    [kweather] = appstream.parse(fixture_bytes("appstream/org.kde.kweather.appdata.xml")).records

    assert kweather.name == "Météo"
    assert kweather.name_en == "Weather"  # its en_GB name, tagged English
    assert kweather.tagline_en
    assert "convergent weather application" in kweather.description_html_en
    assert len(kweather.listings[0].releases) == 20  # its newest of 52


def test_licences_come_out_as_spdx():
    def licence(name):
        return appstream.parse(fixture_bytes(f"appstream/{name}")).records[0].licence

    assert licence("org.kde.kcalc.appdata.xml") == "GPL-2.0-or-later"  # from GPL-2.0+
    assert licence("org.qbittorrent.qBittorrent.metainfo.xml") == "GPL-3.0-or-later AND OpenSSL"
    assert licence("com.spotify.Client.appdata.xml") == "LicenseRef-proprietary"  # =URL dropped


# --- F-Droid -------------------------------------------------------------------------------

INDEX = "fdroid/fdroidserver-tests-repo/index-v2.json"


def test_fdroid_index_gives_every_package():
    result = fdroid.parse(fixture_bytes(INDEX))

    assert result.errors == []
    assert len(result.records) == 11
    assert result.feed_publisher == "My First F-Droid Repo Demo"
    by_id = {record.external_id: record for record in result.records}
    polite = by_id["com.politedroid"]
    assert (polite.name, polite.tagline, polite.licence) == (
        "Polite Droid",
        "Calendar tool",
        "GPL-3.0-only",
    )
    assert (polite.name_en, polite.tagline_en) == ("Polite Droid", "Calendar tool")
    assert polite.pricing == "free"
    [listing] = polite.listings
    # Not the official repository: the listing opens the repository itself.
    assert (listing.platform, listing.url, listing.store_id) == (
        "android",
        "https://example.com/fdroid/repo",
        "com.politedroid",
    )
    assert (listing.version, listing.min_os_version) == ("1.5", "4.0")  # minSdkVersion 14
    assert listing.updated_at == datetime(2017, 6, 23, tzinfo=UTC)
    assert listing.anti_features == ("KnownVuln", "NoSourceSince", "NonFreeAssets", "NonFreeNet")
    assert [release.version for release in listing.releases][:2] == ["1.5", "1.4"]
    assert polite.icon.url == "https://example.com/fdroid/repo/icons/com.politedroid.6.png"


def test_fdroid_screenshots_and_release_channels():
    by_id = {r.external_id: r for r in fdroid.parse(fixture_bytes(INDEX)).records}

    shots = by_id["obb.mainpatch.current"].screenshots
    assert shots[0].url.endswith("/en-US/phoneScreenshots/screenshot-main.png")
    # A Beta build is not the suggested version.
    assert by_id["obb.main.oldversion"].listings[0].version == "0.1"


def test_the_official_repository_links_to_each_app_page():
    body = fixture_bytes(INDEX).replace(
        b"https://example.com/fdroid/repo", b"https://f-droid.org/repo"
    )

    [polite] = [r for r in fdroid.parse(body).records if r.external_id == "com.politedroid"]

    assert polite.listings[0].url == "https://f-droid.org/packages/com.politedroid/"
    assert polite.icon.url == "https://f-droid.org/repo/icons/com.politedroid.6.png"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[]", "Index F-Droid invalide"),
        (b'{"repo": {"address": "ftp://x"}, "packages": {}}', "repo.address"),
        (b'{"repo": {"address": "https://x.org/repo"}, "packages": []}', "index-v2"),
    ],
)
def test_fdroid_feed_errors(body, message):
    from catalogue.sync.records import FeedError

    with pytest.raises(FeedError, match=message):
        fdroid.parse(body)


def test_a_bad_fdroid_package_fails_alone():
    body = (
        b'{"repo": {"address": "https://x.org/repo"}, "packages": {"bad": 3, '
        b'"good": {"metadata": {"name": {"en-US": "Good"}}, "versions": {}}}}'
    )

    result = fdroid.parse(body)

    assert [r.external_id for r in result.records] == ["good"]
    assert [e.item for e in result.errors] == ["bad"]
