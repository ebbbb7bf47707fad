"""The real Elasticsearch node at ELASTICSEARCH_URL: our French analysis works end to end.

The analyzer is the project's own `french_text` (search/backends/elasticsearch.py), not the
built-in `french` language analyzer: the project does not use that one, and the test node's
plugin (scripts/elasticsearch) does not register it.

These tests FAIL (never skip) when the node is not configured or not running: the suite is
meant to run against the services of `scripts/services.sh up`.
"""

import uuid

import pytest
from django.conf import settings

from search.mapping import french

pytestmark = pytest.mark.elasticsearch


@pytest.fixture(scope="module")
def es():
    from elasticsearch import Elasticsearch

    if not settings.ELASTICSEARCH_URL:
        pytest.fail(
            "ELASTICSEARCH_URL is not set: the suite needs the Elasticsearch node "
            "(scripts/services.sh up, then ELASTICSEARCH_URL=http://127.0.0.1:9201).",
            pytrace=False,
        )
    client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=10, max_retries=0)
    problem = None
    try:
        client.info()
    except Exception as error:
        problem = f"{type(error).__name__}: {error}"
    if problem:  # failed outside the except block: one message, no chained traceback
        pytest.fail(
            f"Elasticsearch at {settings.ELASTICSEARCH_URL} (ELASTICSEARCH_URL) is unreachable: "
            f"{problem}",
            pytrace=False,
        )
    yield client
    client.close()


@pytest.fixture
def french_index(es):
    name = f"{settings.ELASTICSEARCH_INDEX_PREFIX}-test-{uuid.uuid4().hex[:12]}"
    es.indices.create(
        index=name,
        settings={
            "number_of_shards": 1,
            "number_of_replicas": 0,
            "analysis": french.get_analysis_definition(),
        },
        mappings={
            "properties": {
                "title": {"type": "text", "analyzer": "french_text"},
                "publisher": {"type": "keyword"},
            }
        },
    )
    yield name
    es.indices.delete(index=name, ignore_unavailable=True)


def test_cluster_health_is_green_or_yellow(es):
    health = es.cluster.health(wait_for_status="yellow", timeout="10s")

    assert health["status"] in {"green", "yellow"}
    assert health["timed_out"] is False


def test_node_is_version_8(es):
    assert es.info()["version"]["number"].startswith("8.")


def analyze(es, index, text):
    response = es.indices.analyze(index=index, analyzer="french_text", text=text)
    return [token["token"] for token in response["tokens"]]


def test_french_analyzer_drops_stop_words_and_stems_plurals(es, french_index):
    tokens = analyze(es, french_index, "Trouver des formations")

    assert len(tokens) == 2  # "des" is a stop word
    assert tokens[1] == analyze(es, french_index, "formation")[0]


def test_french_analyzer_folds_case_and_accents(es, french_index):
    assert analyze(es, french_index, "Trouvé") == analyze(es, french_index, "trouve")


def test_french_analyzer_removes_elisions(es, french_index):
    assert analyze(es, french_index, "l'emploi") == analyze(es, french_index, "emploi")


def test_search_finds_a_document_by_a_french_inflection(es, french_index):
    es.index(
        index=french_index,
        id="1",
        document={"title": "Trouver une formation", "publisher": "france-travail"},
    )
    es.index(index=french_index, id="2", document={"title": "Créer son entreprise"})
    es.indices.refresh(index=french_index)

    found = es.search(index=french_index, query={"match": {"title": "formations"}})

    assert [hit["_id"] for hit in found["hits"]["hits"]] == ["1"]
    assert found["hits"]["hits"][0]["_source"]["publisher"] == "france-travail"


def test_index_is_deleted_after_use(es):
    name = f"{settings.ELASTICSEARCH_INDEX_PREFIX}-test-{uuid.uuid4().hex[:12]}"
    es.indices.create(index=name)
    assert es.indices.exists(index=name)

    es.indices.delete(index=name)

    assert not es.indices.exists(index=name)
