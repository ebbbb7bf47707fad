"""English search and the licence facet, the same on both backends.

A request in English searches the English name, tagline and description, each falling back to
the French where an app has none; the licence facet counts « free » / « proprietary » and the
SPDX ids of the apps' licences."""

import pytest
from django.utils import translation

from search.service import catalogue_search
from tests.factories import AppPageFactory, PublisherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def apps(private_index):
    publisher = PublisherFactory(name="Éditeur Bilingue", slug="editeur-bilingue")
    made = {
        "cv": AppPageFactory(
            publisher=publisher,
            title="Atelier CV",
            title_en="Resume Workshop",
            tagline="Rédiger son curriculum",
            tagline_en="Write your resume",
            licence="MIT",
        ),
        "stage": AppPageFactory(
            publisher=publisher,
            title="Bourse aux stages",
            tagline="Des stages près de chez vous",
            licence="GPL-3.0-or-later OR LicenseRef-proprietary",
        ),
        "paid": AppPageFactory(
            publisher=publisher,
            title="Coach entretien",
            title_en="Interview Coach",
            tagline="Préparer un entretien",
            licence="LicenseRef-proprietary",
        ),
    }
    private_index.index_apps([app.pk for app in made.values()])
    private_index.refresh()
    return made


def hit_names(results, apps) -> set[str]:
    by_pk = {app.pk: key for key, app in apps.items()}
    return {by_pk[pk] for pk in results.hits if pk in by_pk}


def test_english_words_find_english_texts_only_in_english(apps):
    assert hit_names(catalogue_search("workshop", language="en"), apps) == {"cv"}
    assert hit_names(catalogue_search("resumes", language="en"), apps) == {"cv"}  # plurals
    assert hit_names(catalogue_search("interv", language="en"), apps) == {"paid"}  # prefix
    assert hit_names(catalogue_search("workshop", language="fr"), apps) == set()


def test_english_falls_back_to_french_where_an_app_has_no_english(apps):
    # « Bourse aux stages » has no English: its French text is what English search reads.
    assert hit_names(catalogue_search("stages", language="en"), apps) == {"stage"}
    with translation.override("en"):  # the request's language is the default
        assert hit_names(catalogue_search("bourse"), apps) == {"stage"}


def test_names_sort_in_the_request_language(apps):
    english = catalogue_search("", sort="name", language="en", page_size=100)
    french = catalogue_search("", sort="name", language="fr", page_size=100)
    order = [pk for pk in english.hits if pk in {app.pk for app in apps.values()}]
    assert order == [apps["stage"].pk, apps["paid"].pk, apps["cv"].pk]  # B…, I…, R…
    order = [pk for pk in french.hits if pk in {app.pk for app in apps.values()}]
    assert order == [apps["cv"].pk, apps["stage"].pk, apps["paid"].pk]  # A…, B…, C…


def test_licence_facet_counts_kinds_and_ids_and_filters(apps):
    results = catalogue_search("", page_size=100)
    counts = {value.value: value.count for value in results.facets["licence"]}

    assert counts == {
        "free": 2,  # MIT; GPL OR proprietary (one alternative is free)
        "proprietary": 1,
        "MIT": 1,
        "GPL-3.0-or-later": 1,
        "LicenseRef-proprietary": 2,
    }
    assert [value.value for value in results.facets["licence"]][:2] == ["free", "proprietary"]
    assert results.facets["licence"][0].label == "Logiciel libre"
    free = catalogue_search("", filters={"licence": ["free"]}, page_size=100)
    assert hit_names(free, apps) == {"cv", "stage"}
    either = catalogue_search("", filters={"licence": ["MIT", "proprietary"]}, page_size=100)
    assert hit_names(either, apps) == {"cv", "paid"}
