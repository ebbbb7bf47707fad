"""AppStream MetaInfo and catalog XML: real publisher files, and hostile ones."""

from datetime import UTC, datetime

import pytest

from catalogue.sync.clean import clean_html
from catalogue.sync.parsers import appstream
from catalogue.sync.records import FeedError
from tests.unit.sync.helpers import APPSTREAM_FIXTURES, fixture_bytes


def parse_fixture(name: str, **options):
    return appstream.parse(fixture_bytes(f"appstream/{name}"), **options)


def one_record(name: str, **options):
    result = parse_fixture(name, **options)
    assert result.errors == []
    [record] = result.records
    return record


def component(inner: str, kind: str = "desktop-application") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<component type="{kind}">{inner}</component>'
    ).encode()


MINIMAL = (
    "<id>org.example.App</id><name>App</name><summary>Résumé</summary>"
    '<url type="homepage">https://example.org/</url>'
)


@pytest.mark.parametrize("path", APPSTREAM_FIXTURES, ids=lambda path: path.name)
def test_every_appstream_fixture_parses(path):
    result = appstream.parse(path.read_bytes())

    assert result.records
    for record in result.records:
        assert record.external_id and record.name
        assert len(record.listings) == 1
        assert record.listings[0].platform == "linux"
        # AppStream requires no homepage: a Linux app installs by its id.
        assert record.listings[0].url == f"appstream://{record.external_id}"
        # The output is already clean: cleaning it again changes nothing.
        assert clean_html(record.description_html) == record.description_html
        assert record.pricing == "" and record.accessibility == ""


def test_kweather_is_in_french():
    record = one_record("org.kde.kweather.appdata.xml")

    assert record.external_id == "org.kde.kweather"
    assert record.name == "Météo"
    assert record.tagline == "Afficher des prévisions météo en temps réel"
    assert record.description_html == (
        "<p>Une application météo convergente pour Plasma. Elle possède des affichages à plat "
        "mais aussi dynamique / animé pour l'affichage des prévisions et d'autres "
        "informations.</p>"
    )
    assert len(record.screenshots) == 10
    assert record.screenshots[0].caption == "Un affichage dynamique pour bureau"
    assert record.screenshots[0].url == (
        "https://cdn.kde.org/screenshots/kweather/kweather-desktop-dynamic.png"
    )
    assert record.developer_name == "KDE"
    assert record.licence == "GPL-2.0-or-later"
    assert record.homepage == "https://invent.kde.org/utilities/kweather"
    [listing] = record.listings
    assert (listing.version, listing.updated_at) == ("26.08.0", datetime(2026, 8, 20, tzinfo=UTC))


def test_kcalc_description_keeps_the_french_paragraphs_and_items_only():
    record = one_record("org.kde.kcalc.appdata.xml")

    assert record.tagline == "Calculatrice scientifique"
    assert record.description_html.startswith(
        "<p>KCalc dispose de tout ce que vous attendez d'une calculatrice scientifique, "
        "plus :</p><ul><li>Fonctions trigonométriques, opérations logiques et calculs "
        "statistiques</li>"
    )
    assert record.description_html.count("<li>") == 6
    assert "Trigonometric" not in record.description_html
    assert record.screenshots[1].caption == "Fenêtre de KCalc en mode « Système numérique »"
    assert record.external_id == "org.kde.kcalc.desktop"  # the id as given, legacy suffix kept


def test_signal_gives_its_newest_release():
    record = one_record("org.signal.Signal.metainfo.xml")

    [listing] = record.listings
    assert listing.version == "8.20.0"
    assert listing.updated_at == datetime(2026, 7, 22, tzinfo=UTC)
    assert listing.release_notes == ""  # empty <description></description>
    assert listing.url == "appstream://org.signal.Signal"
    assert record.homepage == "https://signal.org/"  # the app's website
    assert len(listing.releases) == 20  # of 381: the newest ones
    assert listing.releases[0].version == "8.20.0"
    assert record.developer_name == "Signal Foundation"
    assert record.licence == "AGPL-3.0-only"
    assert record.screenshots[0].caption == "Typical view of the window (Windows version)"


def test_lutris_release_notes_and_developer():
    record = one_record("net.lutris.Lutris.metainfo.xml")

    notes = record.listings[0].release_notes
    assert record.listings[0].version == "0.5.23"
    assert notes.startswith("<ul><li>Add GOG depot-based downloads via gogdl integration</li>")
    assert notes.count("<li>") == 16
    assert record.developer_name == "Lutris Team"


def test_steam_untranslated_text_wins_over_other_languages_and_source_images_are_used():
    record = one_record("com.valvesoftware.Steam.metainfo.xml")

    assert record.tagline == "Launcher for the Steam software distribution service"
    assert "Steam" in record.description_html
    assert "Este" not in record.description_html
    assert [s.caption for s in record.screenshots[:2]] == [
        "The main Steam library window",
        "Steam Store interface",
    ]
    assert len(record.screenshots) == 5
    assert record.licence == "LicenseRef-proprietary"


def test_element_description_has_its_list():
    record = one_record("im.riot.Riot.metainfo.xml")

    assert record.description_html.startswith(
        "<p>More than group chat: communication</p><ul><li>Communicate with your team"
    )
    assert record.listings[0].version == "1.12.26"


def test_libreoffice_comment_only_captions_are_empty():
    record = one_record("libreoffice-writer.appdata.xml")

    assert [s.caption for s in record.screenshots] == ["", ""]
    assert record.listings[0].updated_at is None  # no releases at all
    assert record.description_html.startswith(
        "<p>Writer is the word processor inside LibreOffice productivity suite. Use it for"
    )


def test_the_catalog_yields_several_components():
    result = parse_fixture("appstream-catalog-foobar-1.xml")

    by_id = {record.external_id: record for record in result.records}
    assert {"0install.desktop", "org.inkscape.Inkscape", "org.freedesktop.appstream.cli"} <= set(
        by_id
    )
    assert len(result.records) >= 5
    inkscape = by_id["org.inkscape.Inkscape"]
    assert inkscape.tagline == "Créer et éditer des images Scalable Vector Graphics"
    assert "ar" not in inkscape.languages  # translated at 44 % only
    assert {"fr", "be", "zh", "ca", "sr"} <= set(inkscape.languages)
    zero_install = by_id["0install.desktop"]
    # The source image, not one of the thumbnails.
    assert zero_install.screenshots[0].url.startswith(
        "http://people.freedesktop.org/~mak/appstream/debian/screenshots/source/"
    )
    cli = by_id["org.freedesktop.appstream.cli"]  # a console-application
    assert cli.listings[0].version == "0.14.6"
    assert cli.listings[0].updated_at == datetime(2021, 10, 8, tzinfo=UTC)
    assert cli.listings[0].release_notes.startswith(
        "<p>This release adds the following features:</p><ul><li>validator:"
    )
    assert "<em>appstreamcli</em>" in cli.description_html
    game = by_id["org.foobar.AsSampleGame"]
    assert game.description_html == (
        "<p>I am a paragraph that has an <em>emphasis</em> as well as an inline code entry. "
        "Nice!</p>"
    )
    # No homepage, nothing says it is on Flathub: the software centre installs it by its id,
    # from the distribution's package.
    assert game.listings[0].url == "appstream://org.foobar.AsSampleGame"
    assert game.listings[0].store_id == "game-package"
    # Every application component imports: none fails.
    assert result.errors == []
    assert len(result.records) == 19
    assert "Aucune correspondance de catégories fournie" in result.warnings[0]


def test_categories_go_through_the_mapping_and_unmapped_ones_are_reported():
    mapping = {"Email": "reseau-professionnel", "Office": "gestion-et-administratif", "Chat": ""}

    record = one_record("org.mozilla.Thunderbird.appdata.xml", category_mapping=mapping)

    assert record.categories == ("reseau-professionnel", "gestion-et-administratif")
    assert (
        "Catégories sans correspondance dans le catalogue, ignorées : Calendar, "
        "ContactManagement, Feed, InstantMessaging, IRCClient, Network, News."
    ) in record.warnings


def test_known_categories_and_languages_filter_the_mapped_values():
    result = parse_fixture(
        "appstream-catalog-foobar-1.xml",
        category_mapping={"Graphics": "apprendre-en-ligne", "VectorGraphics": "retired-slug"},
        known_categories={"apprendre-en-ligne"},
        known_languages={"fr", "en", "de"},
    )

    inkscape = next(r for r in result.records if r.external_id == "org.inkscape.Inkscape")
    assert inkscape.categories == ("apprendre-en-ligne",)
    assert inkscape.languages == ("de", "en", "fr")
    assert "Catégories inconnues du catalogue, ignorées : retired-slug." in inkscape.warnings
    assert any(
        w.startswith("Langues inconnues du catalogue, ignorées : be") for w in inkscape.warnings
    )


def test_newest_release_is_by_date_and_stable_first():
    body = component(
        MINIMAL + "<releases>"
        '<release version="1.0" date="2020-01-01"><description><p>Vieux</p></description></release>'
        '<release version="3.0-beta" date="2024-06-01" type="development"/>'
        '<release version="2.0" date="2023-05-04">'
        '<description><p>Deux</p><p xml:lang="fr">Version deux</p></description></release>'
        '<release version="1.5" date="pas une date"/>'
        "</releases>"
    )

    [record] = appstream.parse(body).records

    [listing] = record.listings
    assert (listing.version, listing.release_notes) == ("2.0", "<p>Version deux</p>")
    assert listing.updated_at == datetime(2023, 5, 4, tzinfo=UTC)
    assert "Dates de version illisibles, ignorées : pas une date." in record.warnings


def test_web_applications_get_a_web_listing():
    body = component(
        MINIMAL + '<launchable type="url">https://app.example.org/</launchable>',
        kind="web-application",
    )

    [record] = appstream.parse(body).records

    assert [(lst.platform, lst.url) for lst in record.listings] == [
        ("web", "https://app.example.org/")
    ]


def test_flathub_catalogs_point_listings_to_flathub():
    body = (
        '<components version="0.16" origin="flathub">'
        '<component type="desktop-application">'
        + MINIMAL.replace("org.example.App", "org.example.App.desktop")
        + "</component></components>"
    ).encode()

    [record] = appstream.parse(body).records

    assert record.listings[0].url == "https://flathub.org/apps/org.example.App"
    assert record.listings[0].store_id == "org.example.App"
    assert record.homepage == "https://example.org/"


def test_non_application_components_are_skipped_with_a_feed_warning():
    body = (
        "<components>"
        '<component type="font"><id>org.example.Font</id><name>Police</name></component>'
        '<component type="addon"><id>org.example.Addon</id><name>Greffon</name></component>'
        '<component type="addon"><id>org.example.Addon2</id><name>Greffon</name></component>'
        f'<component type="desktop-application">{MINIMAL}</component>'
        "</components>"
    ).encode()

    result = appstream.parse(body)

    assert [r.external_id for r in result.records] == ["org.example.App"]
    assert result.errors == []
    assert result.warnings == [
        "Composants ignorés, car ce ne sont pas des applications : 1 de type « font », "
        "2 de type « addon »."
    ]


def test_bad_components_fail_alone():
    body = (
        "<components>"
        '<component type="desktop-application"><name>Sans id</name></component>'
        f'<component type="desktop-application">{MINIMAL}</component>'
        '<component type="desktop-application"><id>org.example.Vide</id><name> </name>'
        '<url type="homepage">https://example.org/</url></component>'
        '<component type="desktop-application"><id>org.example.Piege</id><name>Piège</name>'
        '<url type="homepage">javascript:alert(1)</url></component>'
        f'<component type="desktop-application">{MINIMAL.replace("App<", "Autre<")}</component>'
        f'<component type="desktop-application">{MINIMAL}</component>'
        '<component type="desktop-application"><id>org.example/../x y</id><name>Mal</name>'
        "</component>"
        "</components>"
    ).encode()

    result = appstream.parse(body)

    # The trap's homepage is dropped with a warning; the app still installs by its id.
    assert [r.external_id for r in result.records] == ["org.example.Piege", "org.example.Autre"]
    assert result.records[0].homepage == ""
    assert any("Page d'accueil écartée" in w for w in result.records[0].warnings)
    assert [(e.item, e.message.split(" :")[0].split(".")[0]) for e in result.errors] == [
        (0, "Identifiant <id> manquant"),
        ("org.example.App", "Identifiant en double dans le flux (2 occurrences)"),
        ("org.example.Vide", "Nom manquant ou vide"),
        ("org.example.App", "Identifiant en double dans le flux (2 occurrences)"),
        ("org.example/../x y", "Identifiant « org"),
    ]


def test_markup_in_descriptions_comes_out_sanitised():
    body = component(
        MINIMAL + "<description>"
        "<p>Texte &lt;script&gt;alert(1)&lt;/script&gt; <em>mis en avant</em> "
        '<a href="javascript:alert(2)" onclick="x">lien</a><script>alert(3)</script></p>'
        "<ul><li>Un &amp; deux</li><li><img src='x' onerror='alert(4)'/>trois</li></ul>"
        "</description>"
        '<name xml:lang="fr">&lt;b&gt;Nom&lt;/b&gt; français</name>'
    )

    [record] = appstream.parse(body).records

    assert record.name == "Nom français"
    html = record.description_html
    assert "<script" not in html and "onclick" not in html and "onerror" not in html
    assert "javascript" not in html and "<img" not in html and "<a" not in html
    assert html.startswith("<p>Texte &lt;script&gt;alert(1)&lt;/script&gt; <em>mis en avant</em>")
    assert "<li>Un &amp; deux</li><li>trois</li>" in html


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
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
<component type="desktop-application"><id>org.example.Lol</id><name>&lol9;</name></component>
"""


def test_an_entity_bomb_is_refused():
    with pytest.raises(FeedError) as error:
        appstream.parse(BILLION_LAUGHS)

    assert str(error.value).startswith("XML refusé : les déclarations de type de document")


def test_an_external_entity_is_refused_and_the_file_is_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-DU-SERVEUR")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
        '<component type="desktop-application"><id>org.example.X</id><name>&e;</name>'
        '<url type="homepage">https://example.org/</url></component>'
    ).encode()
    passwd = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<component><id>&e;</id></component>"
    )

    for body in (xxe, passwd):
        with pytest.raises(FeedError) as error:
            appstream.parse(body)
        assert "DOCTYPE" in str(error.value)
        assert "SECRET" not in str(error.value) and "root:" not in str(error.value)


def test_an_external_dtd_is_refused_without_any_fetch():
    body = (
        b'<?xml version="1.0"?><!DOCTYPE component SYSTEM "http://127.0.0.1:9/evil.dtd">'
        b"<component><id>x</id></component>"
    )

    with pytest.raises(FeedError, match="DOCTYPE"):
        appstream.parse(body)


def test_an_undeclared_entity_is_a_feed_error():
    with pytest.raises(FeedError) as error:
        appstream.parse(component(MINIMAL + "<summary>&nbsp;</summary>"))

    assert str(error.value).startswith("XML mal formé ligne 2, colonne ")
    assert str(error.value).endswith(" : entité non définie (&…;).")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'<?xml version="1.0"?>\n<component>\n  <id>x</name>\n</component>',
            "XML mal formé ligne 3, colonne 10 : balise fermante différente de la balise ouverte.",
        ),
        (b"<component><id>x</id></component><component/>", "XML mal formé ligne 1"),
        (b"pas du xml", "XML mal formé ligne 1, colonne 1 : erreur de syntaxe."),
        (b"<feed><entry/></feed>", "XML inattendu : l'élément racine est <feed>"),
        (b"", "Le flux est vide."),
    ],
)
def test_malformed_xml_is_a_feed_error(body, message):
    with pytest.raises(FeedError) as error:
        appstream.parse(body)

    assert str(error.value).startswith(message)


def test_truncated_xml_is_a_feed_error():
    body = fixture_bytes("appstream/org.signal.Signal.metainfo.xml")

    for cut in (len(body) // 2, len(body) - 5, 60):
        with pytest.raises(FeedError, match=r"^XML tronqué : le document s'arrête avant sa fin"):
            appstream.parse(body[:cut])


def test_non_utf8_xml_is_a_feed_error():
    latin1 = component(MINIMAL.replace("Résumé", "Été")).decode().encode("latin-1")
    declared = latin1.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')

    with pytest.raises(FeedError) as error:
        appstream.parse(latin1)
    assert str(error.value).startswith("Le flux n'est pas encodé en UTF-8 : octet 0xc9 invalide")

    with pytest.raises(FeedError) as error:
        appstream.parse(declared)
    assert "UTF-8" in str(error.value)


def test_remote_icons_and_localised_screenshot_images():
    body = component(
        MINIMAL
        + '<icon type="cached">app.png</icon>'
        + '<icon type="remote" width="64" height="64">https://example.org/64.png</icon>'
        + '<icon type="remote" width="128" height="128">https://example.org/128.png</icon>'
        + "<screenshots><screenshot>"
        + '<image type="thumbnail" width="100" height="50">https://example.org/s-small.png</image>'
        + '<image type="thumbnail" width="800" height="400">https://example.org/s-big.png</image>'
        + '</screenshot><screenshot type="default">'
        + "<image>https://example.org/en.png</image>"
        + '<image xml:lang="fr">https://example.org/fr.png</image>'
        + '<caption>Main</caption><caption xml:lang="fr_FR">Principal</caption>'
        + "</screenshot></screenshots>"
    )

    [record] = appstream.parse(body).records

    assert record.icon.url == "https://example.org/128.png"
    assert [(s.url, s.caption) for s in record.screenshots] == [
        ("https://example.org/fr.png", "Principal"),  # the default one first
        ("https://example.org/s-big.png", ""),
    ]


def test_repeated_names_for_one_language_give_a_warning():
    body = component(MINIMAL + "<name>Autre nom</name>")

    [record] = appstream.parse(body).records

    assert record.name == "App"
    assert "Plusieurs <name> pour la même langue (non traduit) : le premier est retenu." in (
        record.warnings
    )
