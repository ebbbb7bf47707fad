"""iTunes lookup responses: real saved responses, and odd ones."""

import json
from datetime import UTC, datetime

import pytest

from catalogue.sync.parsers import itunes
from catalogue.sync.records import FeedError
from tests.unit.sync.helpers import ITUNES_FIXTURES, fixture_bytes


def fixture_data(name: str) -> dict:
    return json.loads(fixture_bytes(f"itunes/{name}"))


def one_record(name: str, **options):
    result = itunes.parse(fixture_bytes(f"itunes/{name}"), **options)
    assert result.errors == []
    [record] = result.records
    return record


def lookup(*results, count=None) -> bytes:
    return json.dumps(
        {"resultCount": len(results) if count is None else count, "results": list(results)}
    ).encode()


def app_result(**overrides) -> dict:
    result = {
        "kind": "software",
        "bundleId": "org.example.app",
        "trackId": 123,
        "trackName": "Appli",
        "trackViewUrl": "https://apps.apple.com/fr/app/appli/id123",
        "description": "Une description.",
        "price": 0,
    }
    result.update(overrides)
    return result


@pytest.mark.parametrize("path", ITUNES_FIXTURES, ids=lambda path: path.name)
def test_every_itunes_fixture_parses(path):
    result = itunes.parse(path.read_bytes())

    assert result.errors == []
    for record in result.records:
        assert record.listings[0].platform in ("ios", "macos")
        assert record.external_rating["source"] == "app_store"


def test_the_french_storefront_gives_french_text_and_pricing():
    record = one_record("fastlane-itunesLookup-338986109_FR.json")

    assert record.external_id == "com.orange.118712"
    assert record.name == "118 712 annuaire - recherche inverse, pro, particulier"
    assert record.description_html.startswith(
        "<p>Vos recherches à proximité en un clic !</p><p>Accédez à l'annuaire gratuit"
    )
    assert "<ul><li>L’accès en un clic à l’ensemble des professionnels" in record.description_html
    assert record.pricing == "free"
    assert record.languages == ("en", "fr")
    assert record.developer_name == "Orange"
    assert record.homepage == "http://www.118712.fr/118712-sur-votre-iphone.html"
    assert record.icon.url.endswith("/mzl.ujaisbyd.png/0x0ss-85.jpg")
    assert len(record.screenshots) == 5
    assert record.external_rating == {"source": "app_store", "average": 3.5, "count": 4118}
    [listing] = record.listings
    assert listing.platform == "ios"
    assert (
        listing.url
        == "https://itunes.apple.com/fr/app/118-712-annuaire-recherche/id338986109?mt=8&uo=4"
    )
    assert (listing.store_id, listing.version, listing.min_os_version) == (
        "338986109",
        "4.2.2",
        "7.0",
    )
    assert listing.updated_at is None  # the 2016 response shape has no such date
    assert listing.release_notes == "<p>Correction de bugs mineurs</p>"
    assert record.tagline == ""
    assert "Accroche absente." in record.warnings


def test_genres_map_by_id_or_by_name():
    by_id = one_record(
        "fastlane-itunesLookup-338986109_FR.json",
        category_mapping={"6002": "gestion-et-administratif", "6012": "mobilite-et-logement"},
    )
    by_english_name = one_record(
        "fastlane-itunesLookup-338986109_FR.json",
        category_mapping={"Utilities": "gestion-et-administratif"},
    )

    assert by_id.categories == ("gestion-et-administratif", "mobilite-et-logement")
    assert by_english_name.categories == ("gestion-et-administratif",)
    assert (
        "Catégories sans correspondance dans le catalogue, ignorées : Style de vie."
        in by_english_name.warnings
    )


def test_slack_is_a_macos_app():
    record = one_record("mas-slack-lookup.json")

    assert record.external_id == "com.tinyspeck.slackmacgap"
    [listing] = record.listings
    assert listing.platform == "macos"
    assert listing.url == "https://apps.apple.com/us/app/slack-for-desktop/id803453959?mt=12"
    assert (listing.store_id, listing.version, listing.min_os_version) == (
        "803453959",
        "3.3.3",
        "10.9",
    )
    assert listing.updated_at == datetime(2018, 10, 2, 23, 28, 5, tzinfo=UTC)
    assert record.icon.url.endswith("/512x512bb.png")
    assert record.developer_name == "Slack Technologies, Inc."
    assert record.external_rating == {"source": "app_store", "average": 4.0, "count": 1467}


def test_facebook_screenshots_lists_and_languages():
    record = one_record(
        "fastlane-itunesLookup-284882215.json", known_languages={"fr", "en", "de", "zh"}
    )

    assert record.external_id == "com.facebook.Facebook"
    assert len(record.screenshots) == 10  # iPhone then iPad ones
    assert record.screenshots[5].url.endswith("/screen480x480.jpeg")
    assert record.description_html.startswith(
        "<p>Keeping up with friends is faster than ever.</p><ul><li>See what friends are up to"
    )
    assert record.languages == ("en", "fr", "de", "zh")  # ZH given twice
    assert any(
        w.startswith("Langues inconnues du catalogue, ignorées : nb, cs") for w in record.warnings
    )
    assert record.external_rating["count"] == 2840784


def test_no_result_is_an_empty_result():
    result = itunes.parse(fixture_bytes("itunes/fastlane-itunesLookup-0.json"))

    assert (result.records, result.errors, result.warnings) == ([], [], [])


def test_result_count_disagreeing_with_the_results_is_a_feed_warning():
    result = itunes.parse(lookup(app_result(), count=3))

    assert len(result.records) == 1
    assert result.warnings == ["resultCount annonce 3 résultat(s) mais la réponse en contient 1."]


@pytest.mark.parametrize(
    ("overrides", "pricing", "warning"),
    [
        ({"price": 4.99}, "paid", None),
        ({"price": None, "formattedPrice": "Gratuit"}, "free", None),
        ({"price": "gratuit"}, "", "Prix illisible (« gratuit ») : tarif ignoré."),
        ({"price": -1}, "", "Prix négatif (-1) : tarif ignoré."),
    ],
)
def test_pricing(overrides, pricing, warning):
    [record] = itunes.parse(lookup(app_result(**overrides))).records

    assert record.pricing == pricing
    if warning:
        assert warning in record.warnings


def test_platform_from_supported_devices_when_kind_is_missing():
    result = itunes.parse(
        lookup(
            app_result(kind=None, bundleId="a", supportedDevices=["iPhone5s-iPhone5s"]),
            app_result(kind=None, bundleId="b", supportedDevices=["MacDesktop-MacDesktop"]),
            app_result(kind=None, bundleId="c"),
        )
    )

    assert [(r.external_id, r.listings[0].platform) for r in result.records] == [
        ("a", "ios"),
        ("b", "macos"),
    ]
    assert [(e.item, e.message) for e in result.errors] == [
        ("c", "Plateforme inconnue : ni « kind » ni « supportedDevices » exploitables.")
    ]


def test_bad_results_fail_alone():
    result = itunes.parse(
        lookup(
            app_result(bundleId="ok"),
            "pas un objet",
            app_result(bundleId="livre", kind="ebook"),
            app_result(bundleId="sans-url", trackViewUrl=None),
            app_result(bundleId="piege", trackViewUrl="javascript:alert(1)"),
            app_result(bundleId=None, trackId=None),
            app_result(bundleId="double"),
            app_result(bundleId="double"),
            app_result(bundleId=None, trackId=987, trackName="Sans bundle"),
            app_result(bundleId="note", averageUserRating="cinq", userRatingCount=3),
        )
    )

    assert [r.external_id for r in result.records] == ["ok", "987", "note"]
    errors = [(e.item, e.message) for e in result.errors]
    assert errors[0] == (1, "Élément invalide : objet attendu, reçu : texte.")
    assert errors[1] == (
        "livre",
        "Type « ebook » non pris en charge (attendu : software ou mac-software).",
    )
    assert errors[2][0] == "sans-url" and "adresse vide" in errors[2][1]
    assert errors[3][0] == "piege" and "schéma « javascript » interdit" in errors[3][1]
    assert errors[4] == (5, "Identifiant manquant.")
    assert [item for item, _ in errors[5:]] == ["double", "double"]
    note = result.records[2]
    assert note.external_rating is None
    assert any(w.startswith("Note de l'App Store illisible") for w in note.warnings)


def test_descriptions_are_escaped_plain_text():
    [record] = itunes.parse(
        lookup(app_result(description="<script>alert(1)</script>\n<b>gras</b>"))
    ).records

    assert "<script" not in record.description_html
    assert "<b>" not in record.description_html
    assert record.description_html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;<br>&lt;b&gt;gras&lt;/b&gt;</p>"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[]", "Réponse iTunes invalide : un objet avec une liste « results » est attendu"),
        (b'{"resultCount": 0}', "Réponse iTunes invalide"),
        (b'{"results": {}}', "Réponse iTunes invalide"),
        (b'{"resultCount": 1, "results": [', "JSON tronqué"),
        (
            b'{"resultCount": 1 "results": []}',
            "JSON mal formé ligne 1, colonne 19 : virgule attendue.",
        ),
        (
            '{"results": [{"trackName": "Été"}]}'.encode("latin-1"),
            "Le flux n'est pas encodé en UTF-8",
        ),
    ],
)
def test_a_broken_response_is_a_feed_error(body, message):
    with pytest.raises(FeedError) as error:
        itunes.parse(body)

    assert str(error.value).startswith(message)


def test_the_fixtures_content_is_untouched():
    # The FR fixture really is the French storefront: its genres are localised.
    assert fixture_data("fastlane-itunesLookup-338986109_FR.json")["results"][0]["genres"] == [
        "Utilitaires",
        "Style de vie",
    ]
