"""The Elasticsearch backend on the real node: French text rules, the alias over versioned
indices, drift detection and repair, and `manage.py search_index`.

The cross-backend contract (facets, sorts, pagination) is in test_contract.py; these are the
parts only Elasticsearch has. Each test works under its own index prefix, deleted afterwards.
"""

import threading
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from elasticsearch import ConnectionError as EngineConnectionError

from catalogue.models import AppPage
from search.backends import elasticsearch as es_backend
from search.backends import get_backend
from search.backends.elasticsearch import get_client
from search.contract import build_request
from tests.factories import AppPageFactory, PublisherFactory, category

pytestmark = pytest.mark.elasticsearch

CLOSED_PORT = "http://127.0.0.1:1"


@pytest.fixture
def backend(settings, db):
    if not settings.ELASTICSEARCH_URL:
        pytest.fail("ELASTICSEARCH_URL is not set: these tests need the real node.", pytrace=False)
    prefix, url = f"test-es-{uuid.uuid4().hex[:12]}", settings.ELASTICSEARCH_URL
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    yield get_backend("elasticsearch")
    client = get_client(url)  # a test may have pointed the setting at a closed port
    names = list(client.indices.get(index=f"{prefix}-*", expand_wildcards="all"))
    if names:
        client.indices.delete(index=",".join(names))


@pytest.fixture
def apps(db):
    """A small catalogue; its publisher and category names avoid the words searched below."""
    publisher = PublisherFactory(name="Éditeur Gamma", slug="editeur-gamma")
    categories = [category("gestion-et-administratif")]  # « Créer son entreprise » universe

    def make(**fields):
        return AppPageFactory(publisher=publisher, categories=categories, **fields)

    return {
        "metiers": make(
            title="Métiers d'avenir",
            tagline="Découvrez les secteurs qui recrutent",
            description="<p>Fiches détaillées.</p>",
        ),
        "formation": make(
            title="Formation Pro",
            tagline="Toutes les formations financées",
            description="<p>Un catalogue national.</p>",
        ),
        "emploi": make(
            title="L'Emploi Local",
            tagline="Les offres près de chez vous",
            description="<p>Des annonces vérifiées.</p>",
        ),
        "simulateur": make(
            title="Simulateur de salaire",
            tagline="Du brut au net en un clic",
            description="<p>Calculez votre rémunération.</p>",
        ),
        "budget": make(
            title="Budget Malin",
            tagline="Tenir ses comptes",
            description="<p>Comparez votre salaire à vos dépenses.</p>",
        ),
    }


def found(backend, query="", **filters) -> list[int]:
    backend.refresh()
    return backend.search(build_request(query, filters)).hits


def indexed(backend, apps) -> None:
    backend.index_apps([app.pk for app in apps.values()])
    backend.refresh()


# --- Text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("metiers", "metiers"),  # accents
        ("MÉTIER", "metiers"),  # case, singular
        ("l'emploi", "emploi"),  # elision
        ("l’emploi", "emploi"),  # typographic apostrophe
        ("emploi", "emploi"),  # the name « L'Emploi » without its article
        ("formations", "formation"),  # plural
        ("form", "formation"),  # prefix of a name
        ("simul", "simulateur"),
        ("formaton", "formation"),  # one typo, 8 letters
        ("simulatuer", "simulateur"),  # transposition
        ("recrutnt", "metiers"),  # a typo in the tagline
    ],
)
def test_text_rules(backend, apps, query, expected):
    indexed(backend, apps)

    assert found(backend, query) == [apps[expected].pk]


def test_no_typo_tolerance_under_five_letters(backend, apps):
    indexed(backend, apps)

    assert found(backend, "locl") == []  # four letters: exact or prefix only
    assert found(backend, "local") == [apps["emploi"].pk]


def test_every_word_must_match(backend, apps):
    indexed(backend, apps)

    assert found(backend, "simulateur salaire") == [apps["simulateur"].pk]
    assert found(backend, "simulateur budget") == []


def test_name_weighs_more_than_description(backend, apps):
    indexed(backend, apps)

    # « salaire »: in the simulator's name, in the budget app's description.
    assert found(backend, "salaire") == [apps["simulateur"].pk, apps["budget"].pk]


def test_only_stop_words_browse_everything(backend, apps):
    indexed(backend, apps)

    assert len(found(backend, "de la")) == len(apps)


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "(",
        "\\",
        ":",
        "AND OR",
        "formation AND",
        "name:formation",
        '"formation',
        "form*",
        "(emploi",
        "a\\b",
        "[1 TO 5]",
        "{}",
        "~2 ^3 !",
        "&& || -",
        "/regex/",
    ],
)
def test_query_syntax_is_plain_data(backend, apps, query):
    indexed(backend, apps)

    results = backend.search(build_request(query))

    assert results.total == len(results.hits) <= len(apps)


# --- Facets --------------------------------------------------------------------------------


def test_a_selected_value_is_counted_beyond_the_top_buckets(backend, apps, monkeypatch):
    other = PublisherFactory(name="Éditeur Delta", slug="editeur-delta")
    AppPageFactory(publisher=other, title="Agenda Delta")
    backend.index_apps(
        [*(app.pk for app in apps.values()), AppPage.objects.get(title="Agenda Delta").pk]
    )
    backend.refresh()
    monkeypatch.setattr(es_backend, "FACET_SIZE", 1)  # only the biggest publisher in the top

    results = backend.search(build_request("", {"publisher": ["editeur-delta"]}))

    assert results.total == 1
    assert results.facet_counts["publisher"] == {"editeur-gamma": 5, "editeur-delta": 1}


# --- Indexing ------------------------------------------------------------------------------


def test_search_before_any_index_is_empty(backend):
    results = backend.search(build_request("emploi"))

    assert (results.total, results.hits, results.facet_counts) == (0, [], {})


def test_index_apps_creates_the_alias_and_indexes_live_apps_only(backend, apps):
    draft = AppPageFactory(publisher=apps["emploi"].publisher, title="Brouillon", live=False)

    backend.index_apps([apps["emploi"].pk, draft.pk])

    client = get_client()
    assert client.indices.exists_alias(name=backend.alias)
    assert found(backend) == [apps["emploi"].pk]


def test_concurrent_first_writers_share_one_index(backend):
    threads = [threading.Thread(target=backend.ensure_index) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert list(get_client().indices.get_alias(name=backend.alias)) == [
        f"{backend.alias}-{es_backend.FIRST_STAMP}"
    ]


def test_unpublished_app_is_removed_by_index_apps(backend, apps):
    indexed(backend, apps)
    app = apps["formation"]

    app.unpublish()
    backend.index_apps([app.pk])

    assert found(backend, "formation") == []
    assert len(found(backend)) == len(apps) - 1


def test_remove_apps(backend, apps):
    indexed(backend, apps)

    backend.remove_apps([apps["budget"].pk, 999_999])  # unknown ids are ignored

    assert apps["budget"].pk not in found(backend)


def test_rebuild_swaps_the_alias_without_a_window_of_empty_results(backend, apps):
    client = get_client()
    assert backend.rebuild() == len(apps)
    first = list(client.indices.get_alias(name=backend.alias))
    totals, stop = [], threading.Event()

    def search_repeatedly():
        while not stop.is_set():
            totals.append(backend.search(build_request()).total)

    searcher = threading.Thread(target=search_repeatedly)
    searcher.start()
    try:
        for _ in range(3):
            assert backend.rebuild() == len(apps)
    finally:
        stop.set()
        searcher.join()

    assert totals and set(totals) == {len(apps)}
    current = list(client.indices.get_alias(name=backend.alias))
    assert len(current) == 1 and current != first
    # The old versioned indices are gone: only the aliased one is left.
    assert list(client.indices.get(index=f"{backend.alias}-*")) == current


def test_check_reports_drift_and_reconcile_fixes_it(backend, apps):
    backend.rebuild()
    new = AppPageFactory(publisher=apps["emploi"].publisher, title="Nouvelle appli")
    AppPage.objects.filter(pk=apps["budget"].pk).update(tagline="Un nouveau slogan")
    apps["metiers"].unpublish()  # the index is not told (no on_commit in these tests)

    drift = backend.check()

    assert drift.missing == [new.pk]
    assert drift.stale == [apps["budget"].pk]
    assert drift.extra == [apps["metiers"].pk]

    backend.reconcile()
    backend.refresh()

    assert backend.check().clean
    assert found(backend, "slogan") == [apps["budget"].pk]
    assert found(backend, "metiers") == []


def test_interrupted_indexing_is_found_by_check_and_reconciled(backend, apps, settings):
    backend.rebuild()
    new = AppPageFactory(publisher=apps["emploi"].publisher, title="Agenda Omega")
    url = settings.ELASTICSEARCH_URL

    settings.ELASTICSEARCH_URL = CLOSED_PORT  # the node is unreachable
    with pytest.raises(EngineConnectionError):
        backend.index_apps([new.pk])
    settings.ELASTICSEARCH_URL = url

    assert backend.check().missing == [new.pk]
    backend.reconcile()
    assert found(backend, "omega") == [new.pk]


# --- manage.py search_index ----------------------------------------------------------------


def run(*arguments) -> str:
    out = StringIO()
    call_command("search_index", *arguments, stdout=out, verbosity=0)
    return out.getvalue()


def test_command_rebuild_check_reconcile(backend, apps):
    assert "5 applications indexées (elasticsearch)" in run("--rebuild")
    assert "Index à jour" in run("--check")

    new = AppPageFactory(publisher=apps["emploi"].publisher, title="Agenda Sigma")
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("search_index", "--check", stdout=out)
    assert error.value.returncode == 1
    assert f"Manquantes (en ligne, absentes de l'index) : 1 — {new.pk}" in out.getvalue()

    assert "1 ajoutées, 0 mises à jour, 0 retirées" in run("--reconcile")
    assert "rien à corriger" in run("--reconcile")
    assert found(backend, "sigma") == [new.pk]


def test_command_names_the_url_when_the_node_is_unreachable(backend, settings):
    settings.ELASTICSEARCH_URL = CLOSED_PORT

    with pytest.raises(
        CommandError, match=r"injoignable à http://127.0.0.1:1 \(ELASTICSEARCH_URL\)"
    ):
        run("--check")
