"""What is particular to the DatabaseBackend: its table, its SQL matching, its bookkeeping.

The answers both backends share (facets, sorts, text rules) are in test_contract.py. No
on_commit callback runs in these tests, so the table changes only when a test says so.
"""

import random
from collections import Counter

import pytest

from search.backends import Drift
from search.backends.database import DatabaseBackend, word_filter
from search.contract import FACETS, build_request
from search.models import SearchDocument, padded
from tests.factories import AppPageFactory, PublisherFactory, category


@pytest.fixture
def engine():
    return DatabaseBackend()


@pytest.fixture
def apps(publisher_a, publisher_b):
    """Three apps whose words sit in known fields (stop words and stems worked out below)."""
    return {
        "formation": AppPageFactory(
            publisher=publisher_a,
            title="Formation Connect",
            tagline="Les formations financées près de chez vous",
            description="<p>Un agenda des sessions en région.</p>",
            categories=[category("trouver-une-formation")],
            listings=["web", "ios"],
        ),
        "atelier": AppPageFactory(
            publisher=publisher_b,
            title="Atelier CV",
            tagline="Rédigez un CV qui vous ressemble",
            description="<p>Des modèles prêts pour l'emploi.</p>",
            categories=[category("cv-et-lettre")],
            listings=["web"],
        ),
        "salons": AppPageFactory(
            publisher=publisher_b,
            title="Agenda des Salons",
            tagline="Les salons de recrutement",
            description="<p>Rencontrez des employeurs.</p>",
            categories=[category("offres-emploi")],
            listings=["android"],
        ),
    }


@pytest.fixture
def indexed(apps, engine):
    engine.rebuild()
    return apps


def found(engine, query="", **params):
    return engine.search(build_request(query, **params)).hits


# --- The table ---------------------------------------------------------------------------


def test_a_row_holds_padded_tokens_and_facets(indexed):
    row = SearchDocument.objects.get(app=indexed["formation"])

    assert row.name_sort == "formation connect"
    assert row.name_tokens == " formation connect "
    # « les », « de », « vous » are stop words; plurals lose their s (près → pre, too).
    assert row.tagline_tokens == " formation financee pre chez "
    # The publisher, then each category after its universe (« se », « une »: stop words).
    assert row.meta_tokens == " editeur alpha former trouver formation "
    assert row.body_tokens == " agenda session region "
    assert row.facets == {
        "category": ["se-former", "trouver-une-formation"],
        "platform": ["ios", "web"],
        "audience": ["jobseekers"],
        "pricing": ["free"],
        "publisher": ["editeur-alpha"],
        "language": ["fr"],
        "accessibility": ["partial"],
        "verified": ["false"],
        "licence": [],
    }
    assert row.facet_keys.startswith(" category=se-former category=trouver-une-formation ")
    assert row.facet_keys.endswith(" verified=false ")
    assert row.published_at is not None


def test_deleting_an_app_deletes_its_row(indexed):
    indexed["atelier"].delete()

    assert set(SearchDocument.objects.values_list("app_id", flat=True)) == {
        indexed["formation"].pk,
        indexed["salons"].pk,
    }


# --- Matching ----------------------------------------------------------------------------


def test_names_match_on_a_word_prefix_other_fields_on_whole_words(indexed, engine):
    formation, atelier, salons = indexed.values()

    assert found(engine, "form") == [formation.pk]  # name « Formation Connect »
    assert found(engine, "agen") == [salons.pk]  # « agenda »: a name word here, body there
    assert found(engine, "agenda", sort="name") == [salons.pk, formation.pk]
    assert found(engine, "sess") == []  # body: whole words only
    assert found(engine, "sessions") == [formation.pk]
    assert found(engine, "rédig") == []  # tagline: whole words only
    assert found(engine, "REDIGEZ") == [atelier.pk]
    assert found(engine, "nnect") == []  # a prefix, not any substring


def test_every_word_must_match_somewhere(indexed, engine):
    formation, atelier, salons = indexed.values()

    assert found(engine, "agenda salons") == [salons.pk]
    assert found(engine, "agenda région") == [formation.pk]  # name and body words mixed
    assert found(engine, "agenda cv") == []  # each matches an app, no app has both
    assert found(engine, "cv alpha") == []
    assert found(engine, "cv beta") == [atelier.pk]  # the publisher's name is searchable


def test_stop_words_and_punctuation_alone_are_no_query(indexed, engine):
    results = engine.search(build_request("de la ! ?"))

    assert results.total == 3
    assert sorted(results.hits) == sorted(app.pk for app in indexed.values())


def test_relevance_weighs_name_then_prefix_then_tagline_then_meta_then_body(publisher_a, engine):
    def app(title, tagline="Une accroche", description="<p>Un texte.</p>", publisher=publisher_a):
        return AppPageFactory(
            publisher=publisher, title=title, tagline=tagline, description=description
        )

    body = app("Premier", description="<p>Une boussole en poche.</p>")
    meta = app("Second", publisher=PublisherFactory(name="Boussole Éditions", slug="boussole"))
    tagline = app("Troisième", tagline="La boussole des métiers")
    prefix = app("Boussolerie")
    exact = app("Boussole")
    engine.rebuild()

    assert found(engine, "boussoles") == [exact.pk, prefix.pk, tagline.pk, meta.pk, body.pk]


def test_wildcards_and_quotes_in_a_query_are_plain_text(indexed, engine):
    formation = indexed["formation"]
    for query in ["100%", "%", "_", "%_%", "form%", 'l\'"form"', "form'; drop table x; --", "\\"]:
        engine.search(build_request(query))  # never an SQL error

    assert found(engine, "form%") == [formation.pk]  # the « % » is no word character
    assert found(engine, "%_%") == found(engine, "")  # nothing left: no query
    # Even a token holding LIKE wildcards would only match itself.
    assert not SearchDocument.objects.filter(word_filter("%")).exists()
    assert not SearchDocument.objects.filter(word_filter("_")).exists()


def test_a_search_is_one_query(indexed, engine, django_assert_num_queries):
    request = build_request(
        "agenda", filters={"platform": ["web", "android"], "rating": ["1"]}, sort="newest"
    )
    with django_assert_num_queries(1):
        engine.search(request)


# --- Sorts -------------------------------------------------------------------------------


def test_dates_sort_newest_first_and_missing_dates_last(indexed, engine):
    formation, atelier, salons = indexed.values()
    SearchDocument.objects.filter(app=salons).update(published_at=None)  # the newest
    SearchDocument.objects.filter(app=formation).update(published_at=atelier.first_published_at)

    # Same date: the name breaks the tie (« atelier cv » < « formation connect »).
    assert found(engine, sort="newest") == [atelier.pk, formation.pk, salons.pk]


def test_equal_sort_values_page_by_name_then_id(publisher_a, engine):
    twins = [AppPageFactory(publisher=publisher_a, title="Boussole") for _ in range(3)]
    first = AppPageFactory(publisher=publisher_a, title="Atlas")
    engine.rebuild()

    pages = [found(engine, sort="popular", page=page, page_size=1) for page in range(1, 5)]
    assert [pk for page in pages for pk in page] == [first.pk, *sorted(app.pk for app in twins)]


# --- Indexing ----------------------------------------------------------------------------


def test_index_apps_updates_live_apps_and_drops_the_others(indexed, engine, publisher_a):
    formation, atelier, salons = indexed.values()
    draft = AppPageFactory(publisher=publisher_a, title="Brouillon", live=False)
    salons.unpublish()
    formation.tagline = "Toutes les formations en alternance"
    formation.save_revision().publish()

    engine.index_apps([formation.pk, salons.pk, draft.pk])

    assert set(SearchDocument.objects.values_list("app_id", flat=True)) == {
        formation.pk,
        atelier.pk,
    }
    assert found(engine, "alternance") == [formation.pk]
    assert found(engine, "financées") == []


def test_remove_apps(indexed, engine):
    engine.remove_apps([indexed["atelier"].pk, 10**9])

    assert SearchDocument.objects.count() == 2


def test_rebuild_replaces_every_row_and_reports_progress(indexed, engine):
    SearchDocument.objects.filter(app=indexed["atelier"]).update(name_tokens=" stale ")
    steps = []

    assert engine.rebuild(progress=steps.append) == 3

    assert sum(steps) == 3
    assert SearchDocument.objects.get(app=indexed["atelier"]).name_tokens == " atelier cv "
    assert engine.check().clean


def test_check_reports_drift_and_reconcile_repairs_it(indexed, engine):
    formation, atelier, salons = indexed.values()
    SearchDocument.objects.filter(app=formation).delete()
    SearchDocument.objects.filter(app=atelier).update(version="old")
    salons.unpublish()

    drift = engine.check()
    assert drift == Drift(missing=[formation.pk], stale=[atelier.pk], extra=[salons.pk])

    engine.reconcile(drift)
    assert engine.check().clean
    assert set(found(engine)) == {formation.pk, atelier.pk}


# --- Facet arithmetic, against the definition --------------------------------------------


def test_facet_counts_follow_the_definition_on_random_rows():
    """The fast path (one pass, near misses) against the definition written plainly."""
    values = {
        "platform": ["web", "ios", "android"],
        "pricing": ["free", "paid"],
        "category": ["a", "ab", "b", "c"],  # « a » must not match « ab »
        "verified": ["true", "false"],
    }
    rng = random.Random(7)
    rows = []
    for pk in range(300):
        facets = {
            facet: rng.sample(choices, rng.randint(1, 2)) for facet, choices in values.items()
        }
        keys = padded(f"{facet}={value}" for facet, chosen in facets.items() for value in chosen)
        rows.append((pk, keys, rng.choice([0.0, 1.5, 2.0, 3.2, 4.0, 4.9]), f"app {pk}", 0, facets))

    def passes(row, filters, min_rating, skip):
        """Every filter but `skip` lets the row through."""
        facets, rating = row[5], row[2]
        for facet, selected in filters.items():
            if facet == skip:
                continue
            if facet == "rating":
                if rating < min_rating:
                    return False
            elif not set(selected) & set(facets[facet]):
                return False
        return True

    for _ in range(50):
        filters = {
            facet: tuple(rng.sample(choices, rng.randint(1, 2)))
            for facet, choices in values.items()
            if rng.random() < 0.5
        }
        if rng.random() < 0.5:
            filters["rating"] = (rng.choice("12345"),)
        request = build_request(filters=filters)
        min_rating = request.min_rating()

        hits, near_misses = DatabaseBackend._apply_filters(request, rows)
        counts = DatabaseBackend._count_facets(hits, near_misses)

        assert [row[0] for row in hits] == [
            row[0] for row in rows if passes(row, request.filters, min_rating, None)
        ]
        for facet in FACETS:
            counted = [row for row in rows if passes(row, request.filters, min_rating, facet)]
            if facet == "rating":
                expected = {n: sum(row[2] >= int(n) for row in counted) for n in "54321"}
            else:
                expected = Counter(value for row in counted for value in row[5].get(facet, ()))
            assert counts[facet] == dict(expected), (facet, filters)
