"""The store under failures, tried as an operator would see them: real processes (gunicorn, a
Celery worker, beat) against a Redis and an Elasticsearch of their own, which these tests kill
(SIGKILL), freeze (SIGSTOP) and bring back. Nothing is patched.

What must hold: public reads keep answering (200) whatever is down but the database; the
search answers from the database while Elasticsearch is away or hangs; every change made during
an outage reaches the index once it is back, with no manual step; a worker killed mid-sync
leaves no run stuck, and the next run applies the feed.
"""

import socket
import uuid
from contextlib import suppress

import pytest
from django.db import connection
from elasticsearch import Elasticsearch

from catalogue.sync.models import Feed, SyncRun
from tests.factories import AppPageFactory, PublisherFactory, subcategory
from tests.faults.stack import FaultServices, Stack, wait_for
from tests.integration.sync.conftest import FeedServer, app_spec, native_feed

pytestmark = [
    pytest.mark.faults,
    pytest.mark.redis,
    pytest.mark.elasticsearch,
    # One process runs them all: they share the fault services.
    pytest.mark.xdist_group("faults"),
    # The stack's processes read what the tests write: it must be committed (and the page tree
    # the migrations made is restored after each test's flush: conftest.py).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CONVERGED_WITHIN = 90  # seconds for the index to catch up once a service is back


@pytest.fixture(scope="session")
def fault_services():
    services = FaultServices()
    services.up()
    yield services
    services.down()


@pytest.fixture
def catalogue_apps(transactional_db):
    publisher = PublisherFactory(name="Atelier Nord", slug="atelier-nord", verified=True)
    return [
        AppPageFactory(
            publisher=publisher,
            title=f"Formation {number:02d}",
            slug=f"formation-{number:02d}",
            listings=["android", "ios"],
            categories=[subcategory("trouver-une-formation")],
        )
        for number in range(1, 6)
    ]


@pytest.fixture
def stack(fault_services, catalogue_apps, tmp_path, unused_port):
    settings = connection.settings_dict
    database_url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT']}/{settings['NAME']}"
    )
    tag = uuid.uuid4().hex[:8]
    stack = Stack(
        database_url=database_url,
        services=fault_services,
        index_prefix=f"test-faults-{tag}",
        queue=f"faults-{tag}",
        port=unused_port,
        media_root=str(tmp_path),
    )
    stack.manage("search_index", "--rebuild", "--verbosity", "0")
    stack.start()
    yield stack
    stack.stop()
    # Whatever the test did to them, the services are back for the next one.
    for name in ("redis", "elasticsearch"):
        with suppress(OSError, ValueError):  # not frozen, or not running
            fault_services.thaw(name)
    fault_services.up()
    client = Elasticsearch(fault_services.elasticsearch_url, request_timeout=30)
    names = list(client.indices.get(index=f"{stack.index_prefix}*", expand_wildcards="all"))
    if names:
        client.indices.delete(index=",".join(names))


@pytest.fixture
def unused_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PUBLIC_READS = [
    "/",
    "/apps/",
    "/apps/?q=formation&platform=android",
    "/applications/atelier-nord/formation-01/",
    "/applications/categorie/se-former/",
    "/api/v1/apps/?q=formation",
    "/api/v1/apps/formation-01/",
    "/api/v1/categories/",
    "/api/v1/publishers/",
    "/api/v1/suggest/?q=form",
]
SEARCHES = ["/apps/?q=formation", "/api/v1/apps/?q=formation", "/api/v1/suggest/?q=form"]


def test_with_redis_killed_reads_answer_and_a_publish_reaches_the_index_once_it_is_back(
    stack, catalogue_apps
):
    assert [stack.get(path).status for path in PUBLIC_READS] == [200] * len(PUBLIC_READS)

    stack.services.kill("redis")

    answers = {path: stack.get(path) for path in PUBLIC_READS}
    assert {path: answer.status for path, answer in answers.items()} == dict.fromkeys(
        PUBLIC_READS, 200
    )
    # The catalogue version is in Redis: no ETag rather than a wrong one.
    assert "ETag" not in answers["/api/v1/apps/formation-01/"].headers
    not_found = stack.get("/nulle-part/")
    assert not_found.status == 404
    assert '<html lang="fr"' in not_found.text and "Page introuvable" in not_found.text

    app = catalogue_apps[0]
    stack.publish_renamed([app.slug], "Zorglub")  # the broker is down: the outbox keeps it
    assert stack.indexed_titles([app.pk]) == {app.pk: "Formation 01"}

    stack.services.up("redis")

    wait_for(
        lambda: stack.indexed_titles([app.pk]) == {app.pk: "Zorglub 1"},
        CONVERGED_WITHIN,
        "the change made while Redis was down to reach the index",
    )
    found = stack.get("/api/v1/apps/?q=zorglub")
    assert found.headers["X-Search-Backend"] == "elasticsearch"
    assert [item["slug"] for item in found.json()["results"]] == [app.slug]


@pytest.mark.parametrize("failure", ["killed", "frozen"])
def test_with_elasticsearch_away_search_falls_back_and_twenty_changes_reach_the_index(
    stack, catalogue_apps, failure
):
    more = [
        AppPageFactory(publisher=catalogue_apps[0].publisher, slug=f"outil-{number:02d}")
        for number in range(15)
    ]
    changed = [*catalogue_apps, *more]  # 20 apps
    stack.manage("search_index", "--reconcile", "--verbosity", "0")

    if failure == "killed":
        stack.services.kill("elasticsearch")
    else:
        stack.services.freeze("elasticsearch")

    for path in SEARCHES:
        answer = stack.get(path)  # comes back within REQUEST_TIMEOUT, or the test fails
        assert answer.status == 200, path
        assert answer.headers["X-Search-Backend"] == "database", path
    assert "data-search-fallback" in stack.get("/apps/?q=formation").text
    stack.publish_renamed([app.slug for app in changed], "Pendant la panne")

    if failure == "killed":
        stack.services.up("elasticsearch")
    else:
        stack.services.thaw("elasticsearch")

    expected = {app.pk: f"Pendant la panne {number}" for number, app in enumerate(changed, 1)}
    wait_for(
        lambda: stack.indexed_titles(expected) == expected,
        CONVERGED_WITHIN,
        "the 20 changes made during the outage to reach the index",
    )


def test_a_worker_killed_mid_sync_leaves_no_run_stuck_and_the_next_run_applies_the_feed(
    stack, catalogue_apps
):
    server = FeedServer()
    try:
        body = native_feed(app_spec("appli-lente", "Appli lente"))
        # One byte every 20 ms: the download lasts long enough to kill the worker during it.
        server.serve("/feed.json", body, drip=0.02)
        feed = Feed.objects.create(
            publisher=catalogue_apps[0].publisher,
            name="Flux lent",
            url=server.url("/feed.json"),
            format="native",
            enabled=False,  # run by hand first, not by beat's tick
        )
        stack.python(
            f"from catalogue.sync.tasks import sync_feed\nsync_feed.delay({feed.pk}, 'manual')\n"
        )
        running = wait_for(
            lambda: SyncRun.objects.filter(feed=feed, status=SyncRun.Status.RUNNING).first(),
            60,
            "the worker to start the run",
        )
        wait_for(lambda: server.hits("/feed.json") > 0, 30, "the download to start")

        stack.kill("worker")
        server.serve("/feed.json", body)  # the next download is quick
        stack.start_worker()
        # Beat's next tick finds the feed due: it closes the run the dead worker left, and syncs.
        Feed.objects.filter(pk=feed.pk).update(enabled=True, next_sync_at=None)

        done = wait_for(
            lambda: SyncRun.objects.filter(feed=feed, status=SyncRun.Status.DONE).first(),
            CONVERGED_WITHIN,
            "a run after the killed one to succeed",
        )
    finally:
        server.close()

    running.refresh_from_db()
    assert running.status == SyncRun.Status.FAILED
    assert "Interrompue" in running.message
    assert done.created == 1
    assert not SyncRun.objects.filter(feed=feed, status=SyncRun.Status.RUNNING).exists()
