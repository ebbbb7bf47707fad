"""The search contract (DESIGN.md §4), on both backends, against a fixed catalogue.

Every test taking `backend` runs twice: on the DatabaseBackend and on the ElasticsearchBackend
(the real node; it fails, never skips, when the node is missing). The catalogue is the table in
conftest.py and every expected answer below was worked out by hand from it: ids are named by
the table's keys (« Boussole/FT » and « Boussole/SA » are two apps both called « Boussole »).

Both backends must give the same totals, facets and orders. The only differences allowed are
the order of relevance ties (not asserted) and typo tolerance, which only Elasticsearch has:
the tests that differ say so with an explicit `if backend.name == ...` branch.
"""

import pytest

from search.contract import FACETS, SORTS, FacetValue, InvalidSearch, build_request
from search.service import catalogue_search as search

pytestmark = pytest.mark.django_db

LIVE_COUNT = 16

BY_POPULARITY = [
    "Alternance Facile",  # 1500
    "Métiers Passion",  # 900
    "Boussole/FT",  # 800
    "Formation Connect",  # 700
    "Cap International",  # 650
    "Entreprendre Ici",  # 500
    "Élan Saisonnier",  # 450
    "Agenda des Salons",  # 300, tie: « agenda… » before « formapro »
    "FormaPro",  # 300
    "Atelier CV",  # 250
    "Langues Pro",  # 200
    "Prêt pour l'entretien",  # 120
    "Boussole/SA",  # 80
    "Vivier Recrutement",  # 60
    "Candidature Express",  # 40
    "kit Mobilité",  # 30
]
BY_NAME = [  # folded: « Élan » sorts with the e, « kit » with the k
    "Agenda des Salons",
    "Alternance Facile",
    "Atelier CV",
    "Boussole/FT",  # same name: the smaller id first
    "Boussole/SA",
    "Candidature Express",
    "Cap International",
    "Élan Saisonnier",
    "Entreprendre Ici",
    "FormaPro",
    "Formation Connect",
    "kit Mobilité",
    "Langues Pro",
    "Métiers Passion",
    "Prêt pour l'entretien",
    "Vivier Recrutement",
]
BY_RATING = [
    "Entreprendre Ici",  # 4.80
    "Cap International",  # 4.60
    "Métiers Passion",  # 4.50
    "Alternance Facile",  # 4.20
    "Boussole/FT",  # 4.00 (50), three-way tie: by name, then id
    "Boussole/SA",  # 4.00 (50)
    "Formation Connect",  # 4.00 (50)
    "Atelier CV",  # 3.99
    "Élan Saisonnier",  # 3.80
    "FormaPro",  # 3.50
    "Langues Pro",  # 3.20
    "Agenda des Salons",  # 3.00
    "Prêt pour l'entretien",  # 2.50
    "kit Mobilité",  # 2.00
    "Candidature Express",  # 1.50
    "Vivier Recrutement",  # no rating
]
BY_NEWEST = [
    "Vivier Recrutement",  # 2024-11-02
    "Agenda des Salons",  # 2024-09-01
    "Candidature Express",  # 2024-07-14
    "Boussole/SA",  # 2024-05-30, tie: « boussole » before « elan »
    "Élan Saisonnier",  # 2024-05-30
    "FormaPro",  # 2024-02-10
    "Prêt pour l'entretien",  # 2024-01-20
    "Langues Pro",  # 2023-12-24
    "Alternance Facile",  # 2023-09-05
    "Formation Connect",  # 2023-06-15
    "Métiers Passion",  # 2023-03-01
    "Boussole/FT",  # 2023-01-15
    "Atelier CV",  # 2022-11-20
    "kit Mobilité",  # 2022-08-08
    "Entreprendre Ici",  # 2022-05-12
    "Cap International",  # 2021-10-01
]
BY_UPDATED = [
    "Boussole/FT",  # 2025-03-03
    "Atelier CV",  # 2025-02-01
    "Alternance Facile",  # 2025-01-10, tie: « alternance » before « metiers »
    "Métiers Passion",  # 2025-01-10
    "Entreprendre Ici",  # 2024-12-01
    "Vivier Recrutement",  # 2024-11-02
    "Langues Pro",  # 2024-10-10
    "Agenda des Salons",  # 2024-09-01
    "Élan Saisonnier",  # 2024-08-15
    "Candidature Express",  # 2024-07-14
    "Prêt pour l'entretien",  # 2024-06-01
    "Boussole/SA",  # 2024-05-30
    "Formation Connect",  # 2024-03-01
    "FormaPro",  # 2024-02-10
    "Cap International",  # 2023-04-04
    "kit Mobilité",  # never republished: its first publication, 2022-08-08
]
ORDERS = {
    "popular": BY_POPULARITY,
    "name": BY_NAME,
    "rating": BY_RATING,
    "newest": BY_NEWEST,
    "updated": BY_UPDATED,
}

# Facet counts of the whole catalogue, no filter, no query.
ALL_CATEGORIES = {
    "choisir-un-metier": ("Choisir un métier", 3),
    "decouvrir-les-metiers": ("Découvrir les métiers", 1),
    "tests-et-orientation": ("Tests et orientation", 1),
    "competences-et-bilan": ("Compétences et bilan", 1),
    "se-former": ("Se former", 2),
    "trouver-une-formation": ("Trouver une formation", 1),
    "financer-sa-formation": ("Financer sa formation", 1),
    # Candidature Express sits in two of its sub-categories: counted once.
    "preparer-sa-candidature": ("Préparer sa candidature", 3),
    "cv-et-lettre": ("CV et lettre de motivation", 2),
    "entretien-embauche": ("Entretien d'embauche", 2),
    "trouver-un-emploi": ("Trouver un emploi", 5),
    "offres-emploi": ("Offres d'emploi", 1),
    "alternance-et-stages": ("Alternance et stages", 1),
    "emplois-saisonniers": ("Emplois saisonniers", 1),
    "recruter": ("Recruter", 1),
    "mobilite-et-logement": ("Mobilité et logement", 1),
    # Entreprendre Ici too.
    "creer-son-entreprise": ("Créer son entreprise", 1),
    "construire-son-projet": ("Construire son projet", 1),
    "financement-et-aides": ("Financement et aides", 1),
    "partir-a-l-international": ("Partir à l'international", 2),
    "volontariat-international": ("Volontariat international", 1),
    "apprendre-une-langue": ("Apprendre une langue", 1),
}
ALL_PLATFORMS = {
    "web": ("Web", 11),
    "ios": ("iOS", 8),
    "android": ("Android", 8),
    "windows": ("Windows", 1),
    "macos": ("macOS", 1),
    "linux": ("Linux", 1),
}
ALL_AUDIENCES = {"jobseekers": ("Demandeurs d'emploi", 15), "employers": ("Employeurs", 3)}
ALL_PRICINGS = {
    "free": ("Gratuit", 10),
    "freemium": ("Gratuit avec options payantes", 3),
    "paid": ("Payant", 3),
}
ALL_PUBLISHERS = {
    "france-travail": ("France Travail", 6),
    "studio-alize": ("Studio Alizé", 5),
    "tremplin": ("Tremplin", 5),
}
ALL_LANGUAGES = {
    "fr": ("Français", 15),
    "en": ("Anglais", 5),
    "es": ("Espagnol", 2),
    "de": ("Allemand", 1),
}
ALL_ACCESSIBILITY = {
    "full": ("Totalement conforme (RGAA)", 5),
    "partial": ("Partiellement conforme (RGAA)", 6),
    "none": ("Non conforme (RGAA)", 5),
}
ALL_RATINGS = {  # cumulative; Vivier Recrutement (no rating) is in none of them
    "4": ("4 étoiles et plus", 7),
    "3": ("3 étoiles et plus", 12),
    "2": ("2 étoiles et plus", 14),
    "1": ("1 étoile et plus", 15),
}
ALL_VERIFIED = {"true": ("Éditeur vérifié", 6), "false": ("Éditeur non vérifié", 10)}
ALL_FACETS = {
    "category": ALL_CATEGORIES,
    "platform": ALL_PLATFORMS,
    "audience": ALL_AUDIENCES,
    "pricing": ALL_PRICINGS,
    "publisher": ALL_PUBLISHERS,
    "language": ALL_LANGUAGES,
    "accessibility": ALL_ACCESSIBILITY,
    "rating": ALL_RATINGS,
    "verified": ALL_VERIFIED,
    "licence": {},  # no licence in this catalogue (test_english_and_licence.py has some)
}

# Text queries: the apps they match (any order), from the words listed in conftest.py.
METIER = {"Métiers Passion", "Boussole/FT", "Boussole/SA"}  # name; universe name; description
FORMATION = {"Formation Connect", "FormaPro", "Atelier CV"}  # name; sub-category; description
EMPLOI = {  # the « Trouver un emploi » universe, and Élan Saisonnier's tagline
    "Agenda des Salons",
    "Alternance Facile",
    "Élan Saisonnier",
    "Vivier Recrutement",
    "kit Mobilité",
}


def names(catalogue, results) -> list[str]:
    return catalogue.names(results.hits)


def facet(results, name) -> dict[str, tuple[str, int, bool]]:
    """A facet as {value: (label, count, selected)}; values at 0 that are not selected are
    not listed at all."""
    values = results.facets[name]
    assert len({value.value for value in values}) == len(values), f"{name}: duplicate values"
    return {value.value: (value.label, value.count, value.selected) for value in values}


def listed(expected: dict, selected=()) -> dict:
    """{value: (label, count)} → {value: (label, count, selected)}."""
    return {value: (label, count, value in selected) for value, (label, count) in expected.items()}


def counts(results, name) -> dict[str, int]:
    return {value.value: value.count for value in results.facets[name]}


# --- The whole catalogue --------------------------------------------------------------------


def test_rebuild_indexes_exactly_the_live_apps(backend, indexed_catalogue):
    assert indexed_catalogue.indexed[backend.name] == LIVE_COUNT
    drift = backend.check()
    assert (drift.missing, drift.stale, drift.extra) == ([], [], [])


def test_without_query_or_filter_every_live_app_is_found_most_popular_first(
    backend, contract_catalogue
):
    results = search(page_size=100)

    assert results.total == LIVE_COUNT
    assert names(contract_catalogue, results) == BY_POPULARITY
    assert results.request.sort == "popular"


def test_without_filter_every_facet_counts_the_whole_catalogue(backend):
    results = search()

    for name in FACETS:
        assert facet(results, name) == listed(ALL_FACETS[name]), name


def test_facet_values_are_ordered_naturally_or_by_count_then_label(backend):
    results = search()

    # Closed lists in their natural order, whatever the counts.
    assert [value.value for value in results.facets["platform"]] == [
        "web",
        "ios",
        "android",
        "windows",
        "macos",
        "linux",
    ]
    assert [value.value for value in results.facets["rating"]] == ["4", "3", "2", "1"]
    assert [value.value for value in results.facets["verified"]] == ["true", "false"]
    assert [value.value for value in results.facets["pricing"]] == ["free", "freemium", "paid"]
    # Open lists by count, then label (« Studio Alizé » before « Tremplin », both 5).
    assert results.facets["publisher"] == [
        FacetValue("france-travail", "France Travail", 6, False),
        FacetValue("studio-alize", "Studio Alizé", 5, False),
        FacetValue("tremplin", "Tremplin", 5, False),
    ]
    assert [value.value for value in results.facets["language"]] == ["fr", "en", "es", "de"]
    assert [value.value for value in results.facets["category"]][:2] == [
        "trouver-un-emploi",  # 5
        "choisir-un-metier",  # 3, « Choisir… » before « Préparer… » (3 too)
    ]


# --- Disjunctive facets ----------------------------------------------------------------------


def test_one_platform_filters_hits_but_its_own_facet_still_counts_the_others(
    backend, contract_catalogue
):
    results = search(filters={"platform": ["ios"]}, sort="name")

    assert results.total == 8
    assert names(contract_catalogue, results) == [
        "Boussole/FT",
        "Candidature Express",
        "Cap International",
        "Élan Saisonnier",
        "Formation Connect",
        "Langues Pro",
        "Métiers Passion",
        "Prêt pour l'entretien",
    ]
    # Its own facet: counted as if no platform were selected.
    assert facet(results, "platform") == listed(ALL_PLATFORMS, selected={"ios"})
    # Every other facet: counted within the 8 iOS apps.
    assert facet(results, "pricing") == {
        "free": ("Gratuit", 5, False),
        "freemium": ("Gratuit avec options payantes", 2, False),
        "paid": ("Payant", 1, False),
    }
    assert counts(results, "verified") == {"true": 4, "false": 4}
    assert counts(results, "publisher") == {"france-travail": 4, "studio-alize": 2, "tremplin": 2}
    assert counts(results, "audience") == {"jobseekers": 8}  # employers: 0, not listed
    assert counts(results, "language") == {"fr": 7, "en": 3, "es": 2, "de": 1}
    assert counts(results, "accessibility") == {"full": 4, "partial": 2, "none": 2}
    assert counts(results, "rating") == {"4": 4, "3": 6, "2": 7, "1": 8}
    assert counts(results, "category") == {
        "choisir-un-metier": 2,
        "decouvrir-les-metiers": 1,
        "tests-et-orientation": 1,
        "se-former": 1,
        "trouver-une-formation": 1,
        "preparer-sa-candidature": 2,
        "entretien-embauche": 2,
        "cv-et-lettre": 1,
        "trouver-un-emploi": 1,
        "emplois-saisonniers": 1,
        "partir-a-l-international": 2,
        "volontariat-international": 1,
        "apprendre-une-langue": 1,
    }


def test_two_values_of_one_facet_are_or_ed(backend, contract_catalogue):
    results = search(filters={"platform": ["windows", "linux"]})

    assert results.total == 2
    assert names(contract_catalogue, results) == ["Boussole/SA", "kit Mobilité"]
    assert facet(results, "platform") == listed(ALL_PLATFORMS, selected={"windows", "linux"})
    assert counts(results, "pricing") == {"paid": 1, "free": 1}


def test_two_facets_are_and_ed_and_each_is_counted_without_its_own_filter(
    backend, contract_catalogue
):
    results = search(filters={"platform": ["ios"], "pricing": ["free"]})

    assert results.total == 5
    assert names(contract_catalogue, results) == [
        "Métiers Passion",
        "Boussole/FT",
        "Formation Connect",
        "Cap International",
        "Élan Saisonnier",
    ]
    # Platforms of the free apps (windows and macos: no free app, so not listed).
    assert facet(results, "platform") == {
        "web": ("Web", 8, False),
        "ios": ("iOS", 5, True),
        "android": ("Android", 5, False),
        "linux": ("Linux", 1, False),
    }
    # Pricing of the iOS apps.
    assert facet(results, "pricing") == {
        "free": ("Gratuit", 5, True),
        "freemium": ("Gratuit avec options payantes", 2, False),
        "paid": ("Payant", 1, False),
    }
    # Other facets: within both filters.
    assert counts(results, "verified") == {"true": 4, "false": 1}
    assert counts(results, "rating") == {"4": 4, "3": 5, "2": 5, "1": 5}


def test_a_selected_value_with_no_result_is_listed_at_zero(backend):
    results = search(filters={"platform": ["linux"], "pricing": ["paid"]})

    assert results.total == 0
    assert results.hits == []
    # The paid apps' platforms; linux selected, at 0.
    assert facet(results, "platform") == {
        "web": ("Web", 1, False),
        "ios": ("iOS", 1, False),
        "android": ("Android", 1, False),
        "windows": ("Windows", 1, False),
        "macos": ("macOS", 1, False),
        "linux": ("Linux", 0, True),
    }
    # The linux app's pricing; paid selected, at 0.
    assert facet(results, "pricing") == {"free": ("Gratuit", 1, False), "paid": ("Payant", 0, True)}
    # Facets without a selection list nothing at 0.
    assert results.facets["verified"] == []
    assert results.facets["rating"] == []
    assert results.facets["category"] == []


def test_a_selected_category_without_apps_is_listed_at_zero_with_its_label(backend):
    results = search(filters={"category": ["immersion-professionnelle"]})

    assert results.total == 0
    assert facet(results, "category") == {
        **listed(ALL_CATEGORIES),
        "immersion-professionnelle": ("Immersion professionnelle", 0, True),
    }


def test_an_unknown_category_matches_nothing_and_is_listed_as_given(backend):
    results = search(filters={"category": ["pas-une-categorie"]})

    assert results.total == 0
    assert facet(results, "category")["pas-une-categorie"] == ("pas-une-categorie", 0, True)


def test_facets_are_counted_within_the_text_query(backend):
    results = search("formation")

    assert results.total == 3
    assert facet(results, "platform") == {
        "web": ("Web", 2, False),
        "ios": ("iOS", 1, False),
        "android": ("Android", 1, False),
    }
    assert counts(results, "category") == {
        "se-former": 2,
        "trouver-une-formation": 1,
        "financer-sa-formation": 1,
        "preparer-sa-candidature": 1,
        "cv-et-lettre": 1,
    }


def test_text_and_filters_combine(backend, contract_catalogue):
    results = search("l'emploi", filters={"platform": ["android"]}, sort="name")

    assert names(contract_catalogue, results) == [
        "Alternance Facile",
        "Élan Saisonnier",
        "kit Mobilité",
    ]
    assert counts(results, "platform") == {"web": 3, "ios": 1, "android": 3, "linux": 1}


def test_other_facets_filter_too(backend, contract_catalogue):
    def filtered(**filters):
        return names(contract_catalogue, search(filters=filters, page_size=100))

    assert filtered(audience=["employers"]) == [
        "Entreprendre Ici",
        "Agenda des Salons",
        "Vivier Recrutement",
    ]
    assert filtered(language=["es"]) == ["Élan Saisonnier", "Langues Pro"]
    assert filtered(language="de") == ["Cap International"]  # one value may come as a string
    assert filtered(accessibility=["full"]) == [
        "Métiers Passion",
        "Boussole/FT",
        "Formation Connect",
        "Cap International",
        "Entreprendre Ici",
    ]
    assert filtered(publisher=["tremplin"]) == [
        "Agenda des Salons",
        "Atelier CV",
        "Prêt pour l'entretien",
        "Vivier Recrutement",
        "Candidature Express",
    ]
    assert filtered(pricing=["freemium", "paid"], publisher=["studio-alize"]) == [
        "FormaPro",
        "Langues Pro",
        "Boussole/SA",
    ]


# --- Categories: a universe matches its sub-categories ---------------------------------------


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("se-former", ["Formation Connect", "FormaPro"]),
        ("trouver-une-formation", ["Formation Connect"]),
        (
            "trouver-un-emploi",
            [
                "Alternance Facile",
                "Élan Saisonnier",
                "Agenda des Salons",
                "Vivier Recrutement",
                "kit Mobilité",
            ],
        ),
        ("offres-emploi", ["Agenda des Salons"]),
        # Candidature Express is in two of its sub-categories: found once.
        ("preparer-sa-candidature", ["Atelier CV", "Prêt pour l'entretien", "Candidature Express"]),
        ("entretien-embauche", ["Prêt pour l'entretien", "Candidature Express"]),
        ("creer-son-entreprise", ["Entreprendre Ici"]),
        ("choisir-un-metier", ["Métiers Passion", "Boussole/FT", "Boussole/SA"]),
        ("competences-et-bilan", ["Boussole/SA"]),
    ],
)
def test_a_universe_matches_its_sub_categories_and_a_sub_category_only_itself(
    backend, contract_catalogue, slug, expected
):
    results = search(filters={"category": [slug]}, page_size=100)

    assert names(contract_catalogue, results) == expected
    assert results.total == len(expected)


def test_a_universe_and_one_of_its_sub_categories_or_ed_find_each_app_once(
    backend, contract_catalogue
):
    results = search(filters={"category": ["trouver-un-emploi", "offres-emploi"]})

    assert results.total == 5
    assert len(set(results.hits)) == 5


def test_two_categories_are_or_ed_and_the_category_facet_ignores_them(backend, contract_catalogue):
    results = search(filters={"category": ["se-former", "offres-emploi"]})

    assert names(contract_catalogue, results) == [
        "Formation Connect",
        "Agenda des Salons",
        "FormaPro",
    ]
    assert facet(results, "category") == listed(
        ALL_CATEGORIES, selected={"se-former", "offres-emploi"}
    )
    assert facet(results, "category")["se-former"] == ("Se former", 2, True)


# --- Rating and verified publisher ------------------------------------------------------------


def test_rating_4_keeps_apps_rated_4_or_more(backend, contract_catalogue):
    results = search(filters={"rating": ["4"]})

    assert results.total == 7
    # Atelier CV (3.99) is not in it; the three apps at exactly 4.00 are.
    assert names(contract_catalogue, results) == [
        "Alternance Facile",
        "Métiers Passion",
        "Boussole/FT",
        "Formation Connect",
        "Cap International",
        "Entreprendre Ici",
        "Boussole/SA",
    ]
    # Its own facet still counts the whole catalogue.
    assert facet(results, "rating") == listed(ALL_RATINGS, selected={"4"})
    assert counts(results, "verified") == {"true": 6, "false": 1}


def test_rating_thresholds_or_ed_are_the_lowest_one(backend, contract_catalogue):
    results = search(filters={"rating": ["4", "2"]}, page_size=100)

    assert results.total == 14
    assert set(names(contract_catalogue, results)) == set(BY_POPULARITY) - {
        "Candidature Express",  # 1.50
        "Vivier Recrutement",  # no rating
    }
    assert facet(results, "rating") == listed(ALL_RATINGS, selected={"4", "2"})


def test_rating_1_leaves_out_apps_without_ratings(backend, contract_catalogue):
    results = search(filters={"rating": ["1"]}, page_size=100)

    assert results.total == 15
    assert "Vivier Recrutement" not in names(contract_catalogue, results)


def test_rating_facet_is_cumulative_within_other_filters(backend):
    results = search(filters={"platform": ["ios"]})

    assert facet(results, "rating") == {
        "4": ("4 étoiles et plus", 4, False),
        "3": ("3 étoiles et plus", 6, False),
        "2": ("2 étoiles et plus", 7, False),
        "1": ("1 étoile et plus", 8, False),
    }


def test_verified_publisher_filter(backend, contract_catalogue):
    verified = search(filters={"verified": ["true"]})
    unverified = search(filters={"verified": ["false"]}, page_size=100)
    either = search(filters={"verified": ["true", "false"]})

    assert names(contract_catalogue, verified) == [
        "Alternance Facile",
        "Métiers Passion",
        "Boussole/FT",
        "Formation Connect",
        "Cap International",
        "Entreprendre Ici",
    ]
    assert facet(verified, "verified") == listed(ALL_VERIFIED, selected={"true"})
    assert counts(verified, "pricing") == {"free": 6}
    assert counts(verified, "publisher") == {"france-travail": 6}
    assert unverified.total == 10
    assert "France Travail" not in {label for label, *_ in facet(unverified, "publisher").values()}
    assert either.total == LIVE_COUNT


def test_verified_and_rating_together(backend, contract_catalogue):
    results = search(filters={"verified": ["false"], "rating": ["4"]})

    assert names(contract_catalogue, results) == ["Boussole/SA"]
    assert counts(results, "verified") == {"true": 6, "false": 1}
    assert counts(results, "rating") == {"4": 1, "3": 6, "2": 8, "1": 9}


# --- Text ------------------------------------------------------------------------------------


def found(catalogue, query, **params) -> set[str]:
    results = search(query, page_size=100, **params)
    assert results.total == len(results.hits)
    return set(names(catalogue, results))


@pytest.mark.parametrize("query", ["metier", "Métier", "METIER", "métiers", "MÉTIERS"])
def test_case_and_accent_insensitive(backend, contract_catalogue, query):
    assert found(contract_catalogue, query) == METIER


@pytest.mark.parametrize("query", ["formation", "FORMATION", "Formation", "formations"])
def test_plural_and_singular_find_each_other(backend, contract_catalogue, query):
    # « formations » finds Formation Connect (singular in its name), « formation » finds
    # Atelier CV (plural in its description).
    assert found(contract_catalogue, query) == FORMATION


@pytest.mark.parametrize("query", ["l'emploi", "L'EMPLOI", "l’emploi", "emploi", "emplois"])
def test_elision(backend, contract_catalogue, query):
    assert found(contract_catalogue, query) == EMPLOI


@pytest.mark.parametrize("query", ["elan", "ÉLAN", "Élan"])
def test_accents_in_names(backend, contract_catalogue, query):
    assert found(contract_catalogue, query) == {"Élan Saisonnier"}


def test_prefix_matches_names(backend, contract_catalogue):
    # « form » begins « Formation Connect » and « FormaPro ». Prefix matching is on names
    # only: Atelier CV's description has « formations », which « form » must not find.
    assert found(contract_catalogue, "form") == {"Formation Connect", "FormaPro"}
    assert found(contract_catalogue, "Candi") == {"Candidature Express"}
    # « candidature(s) » is in a universe name and in Vivier Recrutement's tagline, not a prefix.
    assert found(contract_catalogue, "boussol") == {"Boussole/FT", "Boussole/SA"}


def test_every_word_must_match_in_some_field(backend, contract_catalogue):
    # « boussole » in both names, « bilan » only in Boussole/SA's tagline and category.
    assert found(contract_catalogue, "boussole bilan") == {"Boussole/SA"}
    # « alternance » in the name, « salons » in the tagline (Agenda des Salons: no alternance).
    assert found(contract_catalogue, "alternance salon") == {"Alternance Facile"}
    # « financer » in a sub-category name; Entreprendre Ici has it without « formation ».
    assert found(contract_catalogue, "formation financer") == {"FormaPro"}
    assert found(contract_catalogue, "salon") == {"Agenda des Salons", "Alternance Facile"}
    assert found(contract_catalogue, "salon xylophone") == set()


@pytest.mark.parametrize("query", ["formatoin", "fromation"])
def test_typos(backend, contract_catalogue, query):
    results = search(query, page_size=100)

    if backend.name == "elasticsearch":
        # Typo tolerance on words of 5 letters or more: what « formation » finds, the app
        # with the word in its name first.
        assert names(contract_catalogue, results)[0] == "Formation Connect"
        assert set(names(contract_catalogue, results)) == FORMATION
    else:
        # The database backend has no typo tolerance (documented limitation, README).
        assert backend.name == "database"
        assert results.total == 0
        assert results.hits == []


def test_relevance_is_the_default_sort_with_a_query(backend):
    assert search("agenda").request.sort == "relevance"
    assert search("").request.sort == "popular"
    assert search("   ").request.sort == "popular"


def test_relevance_name_then_tagline_then_description(backend, contract_catalogue):
    # « agenda »: in a name, in a tagline, in a description.
    results = search("agenda")

    assert names(contract_catalogue, results) == [
        "Agenda des Salons",
        "Prêt pour l'entretien",
        "Alternance Facile",
    ]


def test_relevance_a_word_in_the_name_beats_the_same_word_in_the_description(
    backend, contract_catalogue
):
    # Formation Connect: name; FormaPro: a category name; Atelier CV: description only.
    assert names(contract_catalogue, search("formation")) == [
        "Formation Connect",
        "FormaPro",
        "Atelier CV",
    ]
    assert names(contract_catalogue, search("salons")) == [
        "Agenda des Salons",
        "Alternance Facile",
    ]
    first, *others = names(contract_catalogue, search("métier"))
    assert first == "Métiers Passion"
    assert set(others) == {"Boussole/FT", "Boussole/SA"}  # a tie: in any order


def test_a_query_can_be_sorted_otherwise(backend, contract_catalogue):
    assert names(contract_catalogue, search("l'emploi", sort="name")) == [
        "Agenda des Salons",
        "Alternance Facile",
        "Élan Saisonnier",
        "kit Mobilité",
        "Vivier Recrutement",
    ]
    assert names(contract_catalogue, search("formation", sort="rating")) == [
        "Formation Connect",  # 4.00
        "Atelier CV",  # 3.99
        "FormaPro",  # 3.50
    ]


# --- Special characters: query text is data --------------------------------------------------

NO_WORD = [
    '"',
    "*",
    "(",
    ")",
    "\\",
    ":",
    "%",
    "_",
    "%%",
    "__",
    "'",
    "-",
    "+",
    "!",
    "?",
    "~",
    "^",
    "[",
    "{",
    "/",
    "&&",
    "||",
    '"()*:\\',
    "🙂",
    "* * *",
]


@pytest.mark.parametrize("query", NO_WORD)
def test_a_query_without_any_word_browses_the_whole_catalogue(backend, contract_catalogue, query):
    results = search(query, page_size=100)

    assert results.total == LIVE_COUNT
    assert set(names(contract_catalogue, results)) == set(BY_POPULARITY)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"métier"', METIER),
        ("métier*", METIER),
        ("(métier)", METIER),
        ("métier\\", METIER),
        ("métier:", METIER),
        ("+métier", METIER),
        ("-métier", METIER),  # not a negation: the word is data
        ("métier~", METIER),
        ("métier^", METIER),
        ("[métier]", METIER),
        ("{métier}", METIER),
        ("métier/", METIER),
        ("métier!", METIER),
        ('"formation', FORMATION),
        ("formation)", FORMATION),
        ("%emploi%", EMPLOI),
        ("emploi\x00", EMPLOI),
        ("AND OR NOT", set()),
        ("title:foo", set()),
        ("title:métier", set()),  # « title » is a word like any other, and matches nothing
        ("métier OR formation", set()),  # « or » too: every word must match
        ("métier AND", set()),
        ("' OR 1=1 --", set()),
        ("50%", set()),
        ("_ormation", set()),
        ("<script>alert(1)</script>", set()),
        ("x" * 200, set()),
    ],
)
def test_special_characters_never_raise(backend, contract_catalogue, query, expected):
    results = search(query, page_size=100)

    assert set(names(contract_catalogue, results)) == expected
    assert results.total == len(expected)


# --- Sorts and pagination --------------------------------------------------------------------


@pytest.mark.parametrize("sort", ["popular", "name", "rating", "newest", "updated"])
def test_sorts(backend, contract_catalogue, sort):
    results = search(sort=sort, page_size=100)

    assert names(contract_catalogue, results) == ORDERS[sort]


def test_sorts_apply_within_filters(backend, contract_catalogue):
    ios = {"platform": ["ios"]}

    assert names(contract_catalogue, search(filters=ios, sort="rating")) == [
        "Cap International",
        "Métiers Passion",
        "Boussole/FT",
        "Formation Connect",
        "Élan Saisonnier",
        "Langues Pro",
        "Prêt pour l'entretien",
        "Candidature Express",
    ]
    assert names(contract_catalogue, search(filters=ios, sort="newest")) == [
        "Candidature Express",
        "Élan Saisonnier",
        "Prêt pour l'entretien",
        "Langues Pro",
        "Formation Connect",
        "Métiers Passion",
        "Boussole/FT",
        "Cap International",
    ]


@pytest.mark.parametrize("sort", ["popular", "name", "rating", "newest", "updated"])
def test_pages_of_4_concatenate_into_the_full_order(backend, contract_catalogue, sort):
    pages = [search(sort=sort, page=page, page_size=4) for page in (1, 2, 3, 4)]

    assert [len(page.hits) for page in pages] == [4, 4, 4, 4]
    assert all(page.total == LIVE_COUNT for page in pages)
    concatenated = [pk for page in pages for pk in page.hits]
    assert len(set(concatenated)) == LIVE_COUNT
    assert contract_catalogue.names(concatenated) == ORDERS[sort]
    assert [page.num_pages for page in pages] == [4, 4, 4, 4]
    assert [page.has_next for page in pages] == [True, True, True, False]


def test_pages_of_a_text_query_concatenate_into_its_full_order(backend, contract_catalogue):
    pages = [search("l'emploi", sort="updated", page=page, page_size=2) for page in (1, 2, 3)]

    assert [len(page.hits) for page in pages] == [2, 2, 1]
    assert contract_catalogue.names([pk for page in pages for pk in page.hits]) == [
        "Alternance Facile",  # 2025-01-10
        "Vivier Recrutement",  # 2024-11-02
        "Agenda des Salons",  # 2024-09-01
        "Élan Saisonnier",  # 2024-08-15
        "kit Mobilité",  # 2022-08-08 (first publication)
    ]


@pytest.mark.parametrize("page", [5, 6, 100])
def test_a_page_beyond_the_end_is_empty_but_keeps_the_total(backend, page):
    results = search(page=page, page_size=4)

    assert results.hits == []
    assert results.total == LIVE_COUNT
    assert counts(results, "pricing") == {"free": 10, "freemium": 3, "paid": 3}


def test_last_page_is_partial(backend, contract_catalogue):
    results = search(sort="name", page=4, page_size=5)

    assert names(contract_catalogue, results) == ["Vivier Recrutement"]
    assert results.total == LIVE_COUNT


# --- Apps that are not live ------------------------------------------------------------------


def test_unpublished_and_draft_apps_are_never_found(backend, contract_catalogue):
    # Both would match these words, platforms and filters, and would top these sorts.
    assert found(contract_catalogue, "fantôme") == set()
    assert found(contract_catalogue, "brouillon") == set()
    assert names(contract_catalogue, search(filters={"platform": ["linux"]})) == ["kit Mobilité"]
    assert counts(search(), "platform")["linux"] == 1
    assert search(sort="newest").hits[0] == contract_catalogue.pk("Vivier Recrutement")
    assert search(sort="rating").hits[0] == contract_catalogue.pk("Entreprendre Ici")


def test_indexing_apps_that_are_not_live_does_not_make_them_searchable(
    private_index, contract_catalogue
):
    backend = private_index
    not_live = [
        contract_catalogue.pk("Formation Fantôme"),
        contract_catalogue.pk("Métier Brouillon"),
    ]

    backend.index_apps(not_live)
    backend.refresh()

    assert search().total == LIVE_COUNT
    assert found(contract_catalogue, "fantôme") == set()
    assert found(contract_catalogue, "brouillon") == set()
    assert found(contract_catalogue, "formation") == FORMATION
    assert names(contract_catalogue, search(filters={"platform": ["linux"]})) == ["kit Mobilité"]
    assert backend.check().clean


def test_unpublishing_then_indexing_removes_an_app(private_index, contract_catalogue):
    from catalogue.models import AppPage

    backend = private_index
    app = AppPage.objects.get(pk=contract_catalogue.pk("Élan Saisonnier"))
    app.unpublish()

    backend.index_apps([app.pk])
    backend.refresh()

    assert search().total == LIVE_COUNT - 1
    assert found(contract_catalogue, "elan") == set()
    assert counts(search(), "language")["es"] == 1  # Langues Pro only


# --- Validation: refused before any backend is asked -----------------------------------------


@pytest.fixture(params=["database", "elasticsearch"])
def engine_never_called(request, settings, monkeypatch):
    """Either backend configured, but asking it anything fails the test."""
    settings.SEARCH_BACKEND = request.param

    def get_backend(name=None):
        raise AssertionError("invalid parameters reached the search backend")

    monkeypatch.setattr("search.service.get_backend", get_backend)
    return request.param


def errors_of(**params) -> dict[str, list[str]]:
    with pytest.raises(InvalidSearch) as caught:
        search(**params)
    with pytest.raises(InvalidSearch) as caught_again:
        build_request(**params)
    assert caught.value.errors == caught_again.value.errors
    return caught.value.errors


def test_unknown_platform_is_refused_with_the_allowed_values(engine_never_called):
    errors = errors_of(filters={"platform": ["ios", "symbian"]})

    assert list(errors) == ["platform"]
    assert "symbian" in errors["platform"][0]
    assert "web, ios, android, windows, macos, linux" in errors["platform"][0]


@pytest.mark.parametrize(
    ("facet_name", "value", "allowed"),
    [
        ("rating", "6", "5, 4, 3, 2, 1"),
        ("verified", "yes", "true, false"),
        ("pricing", "gratuit", "free, freemium, paid"),
        ("audience", "students", "jobseekers, employers"),
        ("accessibility", "total", "full, partial, none"),
    ],
)
def test_unknown_values_of_closed_facets_are_refused(
    engine_never_called, facet_name, value, allowed
):
    errors = errors_of(filters={facet_name: [value]})

    assert list(errors) == [facet_name]
    assert value in errors[facet_name][0]
    assert allowed in errors[facet_name][0]


def test_unknown_sort_is_refused_with_the_allowed_sorts(engine_never_called):
    errors = errors_of(sort="price")

    assert list(errors) == ["sort"]
    assert ", ".join(SORTS) in errors["sort"][0]
    assert "relevance, rating, popular, newest, updated, name" in errors["sort"][0]


@pytest.mark.parametrize("page", [0, -1, "0"])
def test_page_below_1_is_refused(engine_never_called, page):
    errors = errors_of(page=page)

    assert list(errors) == ["page"]
    assert "1" in errors["page"][0]


@pytest.mark.parametrize("page", ["x", "1.5", "1e3", [1]])
def test_page_that_is_not_a_whole_number_is_refused(engine_never_called, page):
    errors = errors_of(page=page)

    assert list(errors) == ["page"]
    assert "entier" in errors["page"][0]


@pytest.mark.parametrize("page_size", [101, "1000", 0, "x"])
def test_page_size_outside_1_to_100_is_refused(engine_never_called, page_size):
    errors = errors_of(page_size=page_size)

    assert list(errors) == ["page_size"]


def test_page_size_over_the_maximum_names_it(engine_never_called):
    assert "100" in errors_of(page_size=101)["page_size"][0]


def test_unknown_facet_is_refused_with_the_facet_names(engine_never_called):
    errors = errors_of(filters={"color": ["red"]})

    assert list(errors) == ["color"]
    assert ", ".join(FACETS) in errors["color"][0]
    assert (
        "category, platform, audience, pricing, publisher, language, accessibility, rating, "
        "verified" in errors["color"][0]
    )


def test_a_query_over_200_characters_is_refused(engine_never_called):
    errors = errors_of(query="x" * 201)

    assert list(errors) == ["q"]
    assert "200" in errors["q"][0]


def test_every_invalid_parameter_is_named_at_once(engine_never_called):
    errors = errors_of(
        filters={"platform": ["symbian"], "color": ["red"]},
        sort="price",
        page="x",
        page_size=101,
    )

    assert set(errors) == {"platform", "color", "sort", "page", "page_size"}
    message = str(InvalidSearch(errors))
    assert "platform" in message
    assert "sort" in message


def test_invalid_search_is_a_value_error(engine_never_called):
    with pytest.raises(ValueError, match="sort"):
        search(sort="price")


def test_valid_parameters_are_normalised(engine_never_called):
    request = build_request(
        query="  trouver   une  formation ",
        filters={"platform": "ios", "pricing": ["free", "free", " "], "language": []},
        sort="",
        page="2",
        page_size="100",
    )

    assert request.query == "trouver une formation"
    assert request.filters == {"platform": ("ios",), "pricing": ("free",)}
    assert request.sort == "relevance"
    assert (request.page, request.page_size, request.offset) == (2, 100, 100)
    assert build_request(query="", sort="relevance").sort == "popular"
    assert build_request(query=None, page=None, page_size=None) == build_request()


# --- Loading the hits ------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", [1, 4, 16])
def test_objects_are_the_app_pages_in_hit_order_in_a_fixed_number_of_queries(
    backend, contract_catalogue, django_assert_num_queries, page_size
):
    from catalogue.models import AppPage

    results = search(sort="name", page_size=page_size)

    # The pages (with publisher and icon), then their categories, then their listings.
    with django_assert_num_queries(3):
        objects = results.objects()

    assert [type(app) for app in objects] == [AppPage] * page_size
    assert [app.pk for app in objects] == results.hits
    assert [contract_catalogue.keys[app.pk] for app in objects] == BY_NAME[:page_size]
    with django_assert_num_queries(0):
        assert [app.title for app in objects] == [app.title for app in results.objects()]
        assert [len(app.listings.all()) for app in objects]
        assert [app.publisher.name for app in objects]


def test_objects_of_a_relevance_page_follow_the_hits(backend, contract_catalogue):
    results = search("agenda")

    assert [app.title for app in results.objects()] == [
        "Agenda des Salons",
        "Prêt pour l'entretien",
        "Alternance Facile",
    ]


def test_objects_of_an_empty_page(backend, django_assert_num_queries):
    results = search(page=9, page_size=4)

    with django_assert_num_queries(0):
        assert results.objects() == []


# --- Both backends, the same answers ---------------------------------------------------------

SAME_ANSWERS = [
    {},
    {"sort": "name"},
    {"sort": "rating", "page": 2, "page_size": 5},
    {"sort": "newest", "filters": {"platform": ["ios", "android"]}},
    {"sort": "updated", "filters": {"category": ["trouver-un-emploi"], "rating": ["3"]}},
    {"filters": {"platform": ["linux"], "pricing": ["paid"]}},
    {"filters": {"category": ["immersion-professionnelle"], "verified": ["true"]}},
    {"filters": {"language": ["en"], "accessibility": ["none", "partial"]}},
    {"query": "l'emploi", "sort": "popular"},
    {"query": "formation", "filters": {"pricing": ["free"]}},
    {"query": "metier", "filters": {"verified": ["false"]}},
    {"query": "agenda"},
    {"query": "alternance salon"},
    {"query": "(", "sort": "name"},
    {"query": "title:foo"},
    # Light stemming is the same on both: plurals only. « travailler » is not « travail »
    # (France Travail, two taglines), « financerons » not « financer » (three edits away, so
    # Elasticsearch's typo tolerance stays out of it), « pret » not « prête ».
    {"query": "travailler"},
    {"query": "financerons"},
    {"query": "pret"},
]


@pytest.mark.elasticsearch
@pytest.mark.parametrize("params", SAME_ANSWERS, ids=repr)
def test_both_backends_give_the_same_answers(both_backends, settings, params):
    answers = {}
    for name in both_backends:
        settings.SEARCH_BACKEND = name
        results = search(**params)
        answers[name] = (results.total, results.hits, results.facets)

    database, elasticsearch = answers["database"], answers["elasticsearch"]
    assert elasticsearch[0] == database[0]  # total
    assert elasticsearch[2] == database[2]  # facets
    if build_request(**params).sort == "relevance":
        assert set(elasticsearch[1]) == set(database[1])  # ties may differ
    else:
        assert elasticsearch[1] == database[1]
