"""The store's own JSON feed: schema, per-item validation, safety of the output."""

import json
from datetime import UTC, datetime

import pytest
from jsonschema import Draft202012Validator

from catalogue.sync.parsers import native
from catalogue.sync.records import FeedError
from tests.unit.sync.helpers import EXAMPLE_FEED, native_app, native_feed


def test_schema_is_valid_draft_2020_12_and_the_example_feed_validates():
    schema = native.load_schema()
    Draft202012Validator.check_schema(schema)

    Draft202012Validator(schema).validate(json.loads(EXAMPLE_FEED.read_bytes()))

    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_example_feed_parses_in_french():
    result = native.parse(EXAMPLE_FEED.read_bytes())

    assert result.errors == []
    assert result.warnings == []
    assert result.feed_publisher == "Mission locale numérique (exemple)"
    assert [r.external_id for r in result.records] == [
        "cv-express",
        "entretien-coach",
        "recrut-local",
    ]
    cv, coach, recrut = result.records
    assert cv.tagline == "Créez un CV clair en dix minutes, depuis votre téléphone"
    assert cv.description_html.startswith("<p>CV Express vous guide pas à pas")
    assert "<strong>lisible</strong>" in cv.description_html
    assert (cv.pricing, cv.accessibility, cv.audiences) == ("free", "partial", ("jobseekers",))
    assert cv.languages == ("fr", "en")
    assert cv.icon.url == "https://example.org/cv-express/icone-512.png"
    assert [s.caption for s in cv.screenshots] == ["Choix du modèle", "Aperçu avant export"]
    web, android = cv.listings
    assert (web.platform, web.version) == ("web", "3.2.0")
    assert web.updated_at == datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
    assert web.release_notes == "<p>Nouveau modèle « Alternance ».</p><p>Corrections mineures.</p>"
    assert (android.store_id, android.min_os_version) == ("org.example.cvexpress", "8.0")
    assert android.updated_at == datetime(2025, 3, 14, tzinfo=UTC)
    assert cv.licence == "EUPL-1.2"
    assert cv.warnings == ()
    # Plain text with "•" lines becomes a list; a +01:00 date is stored in UTC.
    assert coach.description_html.endswith(
        "<ul><li>Simulations chronométrées</li><li>Conseils de recruteurs</li>"
        "<li>Suivi de vos progrès</li></ul>"
    )
    assert coach.listings[0].updated_at == datetime(2025, 2, 1, 11, tzinfo=UTC)
    assert coach.developer_name == "Atelier Exemple"
    assert coach.screenshots == ()
    assert [listing.platform for listing in recrut.listings] == ["web", "windows", "macos"]
    assert recrut.categories == ("recruter", "offres-emploi")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"listings": [{"platform": "blackberry", "url": "https://example.org/"}]},
            "listings[0].platform : valeur « blackberry » non autorisée",
        ),
        ({"name": None}, "name : doit être un texte ou un objet (reçu : null)"),
        ({"name": {"fr": 3}}, "name.fr : doit être un texte (reçu : nombre)"),
        ({"name": {"français": "Appli"}}, "name : code de langue invalide « français »"),
        (
            {"pricing": "gratuit"},
            "pricing : valeur « gratuit » non autorisée (valeurs possibles : free, freemium, paid)",
        ),
        ({"accessibility": "oui"}, "accessibility : valeur « oui » non autorisée"),
        ({"listings": []}, "listings : au moins 1 élément(s) attendu(s)"),
        ({"listings": [{"platform": "web"}]}, "listings[0].url : champ obligatoire manquant"),
        ({"categories": ["Pas Un Slug"]}, "categories[0] : format invalide"),
        (
            {"screenshots": ["https://example.org/1.png"]},
            "screenshots[0] : doit être un objet (reçu : texte)",
        ),
        ({"id": ""}, "id : ne doit pas être vide"),
        ({"id": "x" * 201}, "id : trop long (201 caractères, 200 au plus)"),
        ({"colour": "bleu"}, "l'élément : champ inconnu « colour »"),
    ],
)
def test_an_invalid_item_names_the_field_and_the_others_proceed(change, expected):
    bad = {**native_app(id="mauvaise"), **change}
    body = native_feed(native_app(id="avant"), bad, native_app(id="apres"))

    result = native.parse(body)

    assert [r.external_id for r in result.records] == ["avant", "apres"]
    assert len(result.errors) == 1
    assert expected in result.errors[0].message
    assert result.errors[0].message.startswith("Élément invalide : ")


def test_a_missing_field_is_named():
    bad = native_app(id="sans-nom")
    del bad["name"]

    [error] = native.parse(native_feed(bad)).errors

    assert error.item == "sans-nom"
    assert error.message == "Élément invalide : name : champ obligatoire manquant."


def test_an_item_that_is_not_an_object_is_reported_by_position():
    result = native.parse(native_feed(native_app(id="ok"), "pas un objet", 42))

    assert [r.external_id for r in result.records] == ["ok"]
    assert [(e.item, e.message) for e in result.errors] == [
        (1, "Élément invalide : l'élément : doit être un objet (reçu : texte)."),
        (2, "Élément invalide : l'élément : doit être un objet (reçu : nombre)."),
    ]
    assert str(result.errors[0]).startswith("élément n° 2 : ")


def test_duplicate_ids_fail_every_occurrence_and_the_others_proceed():
    body = native_feed(
        native_app(id="double", name="Premier"),
        native_app(id="seul"),
        native_app(id="double", name="Second"),
        native_app(id=" double ", name=42),  # invalid and a duplicate once spaces are trimmed
    )

    result = native.parse(body)

    assert [r.external_id for r in result.records] == ["seul"]
    assert [e.item for e in result.errors] == ["double", "double", "double"]
    assert all("Identifiant en double" in e.message for e in result.errors)
    assert "3 occurrences" in result.errors[0].message


@pytest.mark.parametrize(
    "bad_url",
    ["javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>", "/relatif"],
)
def test_a_bad_listing_url_drops_that_listing_only(bad_url):
    app = native_app(
        listings=[
            {"platform": "web", "url": bad_url},
            {"platform": "ios", "url": "https://example.org/ios"},
        ]
    )

    [record] = native.parse(native_feed(app)).records

    assert [listing.platform for listing in record.listings] == ["ios"]
    [warning] = [w for w in record.warnings if w.startswith("Fiche écartée")]
    assert "fiche n° 1 (web)" in warning


def test_an_item_whose_listings_are_all_rejected_fails():
    app = native_app(
        id="piege",
        listings=[
            {"platform": "web", "url": "javascript:alert(1)"},
            {"platform": "android", "url": "intent://scan/#Intent;scheme=zxing;end"},
        ],
    )

    result = native.parse(native_feed(app, native_app(id="sain")))

    assert [r.external_id for r in result.records] == ["sain"]
    [error] = result.errors
    assert error.item == "piege"
    assert error.message.startswith("Aucune fiche de plateforme valide : ")
    assert "schéma « javascript » interdit" in error.message
    assert "schéma « intent » interdit" in error.message


def test_bad_image_and_homepage_urls_are_dropped_with_a_warning():
    app = native_app(
        icon="javascript:alert(1)",
        homepage="ftp://example.org/",
        screenshots=[
            {"url": "data:image/png;base64,AAAA"},
            {"url": "https://example.org/ok.png", "caption": "<b>Légende</b>"},
        ],
    )

    [record] = native.parse(native_feed(app)).records

    assert record.icon is None
    assert record.homepage == ""
    assert [(s.url, s.caption) for s in record.screenshots] == [
        ("https://example.org/ok.png", "Légende")
    ]
    assert "Icône écartée : schéma « javascript » interdit (http ou https seulement)." in (
        record.warnings
    )
    assert any(w.startswith("Capture d'écran écartée : schéma « data »") for w in record.warnings)
    assert any(w.startswith("Page d'accueil écartée") for w in record.warnings)


def test_descriptions_and_names_come_out_sanitised():
    app = native_app(
        name="<b>Appli</b> <script>alert('nom')</script>",
        tagline="<i>Accroche</i>",
        description=(
            '<p onclick="steal()">Bonjour</p><script>alert("x")</script>'
            '<img src="x" onerror="alert(1)"><a href="javascript:alert(1)">piège</a>'
            '<a href="https://example.org/">site</a>'
        ),
        listings=[
            {
                "platform": "web",
                "url": "https://example.org/",
                "release_notes": {"fr": "<p>Corrigé<script>alert(2)</script></p>"},
            }
        ],
    )

    [record] = native.parse(native_feed(app)).records

    assert record.name == "Appli"
    assert record.tagline == "Accroche"
    for forbidden in ("<script", "alert", "onerror", "onclick", "<img", "javascript"):
        assert forbidden not in record.description_html
    assert '<a href="https://example.org/">site</a>' in record.description_html
    assert "piège" in record.description_html
    assert record.listings[0].release_notes == "<p>Corrigé</p>"


def test_a_too_long_name_is_truncated_with_a_warning_and_an_empty_one_fails():
    long_name = "Nom " * 100
    result = native.parse(
        native_feed(native_app(id="long", name=long_name), native_app(id="vide", name="<p> </p>"))
    )

    [record] = result.records
    assert len(record.name) == 255
    assert record.name.endswith("…")
    assert "Nom : texte tronqué à 255 caractères (399 reçus)." in record.warnings
    [error] = result.errors
    assert (error.item, error.message) == ("vide", "Nom manquant ou vide.")


def test_unknown_categories_languages_and_audiences_are_dropped_with_a_warning():
    app = native_app(
        categories=["cv-et-lettre", "astrologie"],
        languages=["fr", "FR-ca", "kl"],
        audiences=["jobseekers", "retraites"],
    )

    [record] = native.parse(
        native_feed(app),
        known_categories={"cv-et-lettre"},
        known_languages={"fr", "en"},
        known_audiences={"jobseekers", "employers"},
    ).records

    assert record.categories == ("cv-et-lettre",)
    assert record.languages == ("fr",)
    assert record.audiences == ("jobseekers",)
    assert "Catégories inconnues du catalogue, ignorées : astrologie." in record.warnings
    assert "Langues inconnues du catalogue, ignorées : kl." in record.warnings
    assert "Publics inconnus, ignorés : retraites." in record.warnings


def test_category_mapping_renames_feed_slugs():
    app = native_app(categories=["cv", "divers", "emploi"])

    [record] = native.parse(
        native_feed(app), category_mapping={"cv": "cv-et-lettre", "divers": ""}
    ).records

    assert record.categories == ("cv-et-lettre", "emploi")


def test_odd_listing_data_gives_warnings():
    app = native_app(
        listings=[
            {
                "platform": "web",
                "url": "https://example.org/",
                "updated_at": "hier",
                "version": "v" * 60,
            },
            {"platform": "web", "url": "https://example.org/bis"},
        ],
        screenshots=[{"url": f"https://example.org/{n}.png"} for n in range(12)],
    )

    [record] = native.parse(native_feed(app)).records

    assert record.listings[0].updated_at is None
    assert len(record.listings[0].version) == 50
    assert len(record.screenshots) == 10
    assert "Fiche « web » : date de mise à jour illisible (« hier ») : ignorée." in record.warnings
    assert "Fiche « web » : version : texte tronqué à 50 caractères (60 reçus)." in record.warnings
    assert "Plusieurs fiches « web » : seule la première est retenue." in record.warnings
    assert "12 captures d'écran : seules les 10 premières sont retenues." in record.warnings


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[]", "Flux invalide : le document doit être un objet JSON ({…}) ; reçu : liste."),
        (
            native_feed(version=2),
            "Version de flux non prise en charge : « 2 » (seule la version 1 existe).",
        ),
        (
            json.dumps({"version": 1, "apps": []}).encode(),
            "Flux invalide : publisher : champ obligatoire manquant.",
        ),
        (
            json.dumps({"version": 1, "publisher": {"name": "É"}, "apps": {}}).encode(),
            "Flux invalide : apps : doit être une liste (reçu : objet).",
        ),
        (
            json.dumps({"version": 1, "publisher": {}, "apps": []}).encode(),
            "Flux invalide : publisher.name : champ obligatoire manquant.",
        ),
    ],
)
def test_a_wrong_envelope_is_a_feed_error(body, message):
    with pytest.raises(FeedError) as error:
        native.parse(body)

    assert str(error.value) == message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'{"version": 1,, "apps": []}',
            "JSON mal formé ligne 1, colonne 15 : nom de propriété entre guillemets droits",
        ),
        (
            b'{\n  "version": 1,\n  "apps": [}\n}',
            "JSON mal formé ligne 3, colonne 12 : valeur attendue.",
        ),
        (b'{"version": 1} {}', "JSON mal formé ligne 1, colonne 16 : contenu en trop"),
        (b'{"version": NaN}', "JSON invalide : la valeur NaN n'est pas du JSON standard."),
        (b"", "Le flux est vide."),
        (b"  \n", "Le flux est vide."),
        (b"[" * 100_000, "JSON"),
    ],
)
def test_malformed_json_is_a_feed_error(body, message):
    with pytest.raises(FeedError) as error:
        native.parse(body)

    assert str(error.value).startswith(message)


def test_truncated_json_is_a_feed_error():
    body = EXAMPLE_FEED.read_bytes()

    for cut in (len(body) // 2, len(body) - 3, 40):
        with pytest.raises(FeedError, match=r"^JSON tronqué : le document s'arrête avant sa fin"):
            native.parse(body[:cut])


def test_a_non_utf8_body_is_a_feed_error():
    latin1 = native_feed(native_app(name="Appli"))
    latin1 = latin1.replace(b'"Appli"', '"Éditeur créé"'.encode("latin-1"))

    with pytest.raises(FeedError) as error:
        native.parse(latin1)

    assert str(error.value).startswith("Le flux n'est pas encodé en UTF-8 : octet 0xc9 invalide")
    assert str(error.value).endswith("Un flux JSON doit être en UTF-8.")
    utf16 = native_feed(native_app()).decode().encode("utf-16")
    with pytest.raises(FeedError, match="UTF-16"):
        native.parse(utf16)


def test_a_utf8_bom_is_tolerated():
    result = native.parse(b"\xef\xbb\xbf" + native_feed(native_app()))

    assert len(result.records) == 1


def test_ten_thousand_items_parse():
    apps = [native_app(id=f"appli-{n}", name=f"Appli {n}") for n in range(10_000)]

    result = native.parse(native_feed(*apps))

    assert len(result.records) == 10_000
    assert result.errors == []
    assert result.records[-1].name == "Appli 9999"
