"""The Celery tasks (run eagerly here), the one-run-per-feed lock, and what a dead worker
leaves behind."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalogue.models import AppPage
from catalogue.sync.models import SyncRun
from catalogue.sync.runner import SyncAlreadyRunning, close_interrupted_runs, run_feed
from catalogue.sync.tasks import enqueue_due_feeds, sync_feed
from store.celery import app as celery_app
from tests.integration.sync.conftest import app_spec, native_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager():
    """Tasks run in process, like a worker would run them; the setting is restored after."""
    before = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = before


def test_only_enabled_due_feeds_are_enqueued_and_rescheduled(eager, feed_server, make_feed):
    now = timezone.now()
    feed_server.serve("/bon.json", native_feed(app_spec("appli", "Appli")))
    feed_server.serve("/casse.json", b'{"version": 1, "apps": [')
    never_run = make_feed("/bon.json", name="jamais lu", next_sync_at=None)
    # A broken feed fails its own run only.
    due = make_feed("/casse.json", name="dû", next_sync_at=now - timedelta(minutes=1))
    later = make_feed("/plus-tard.json", name="plus tard", next_sync_at=now + timedelta(hours=1))
    disabled = make_feed(
        "/eteint.json", name="éteint", enabled=False, next_sync_at=now - timedelta(days=1)
    )

    enqueued = enqueue_due_feeds.delay().get()

    assert enqueued == [never_run.pk, due.pk]
    assert sorted(request.path for request in feed_server.requests) == ["/bon.json", "/casse.json"]
    runs = {run.feed_id: run for run in SyncRun.objects.all()}
    assert set(runs) == {never_run.pk, due.pk}
    assert {run.trigger for run in runs.values()} == {SyncRun.Trigger.SCHEDULE}
    assert runs[never_run.pk].status == SyncRun.Status.DONE
    assert runs[never_run.pk].created == 1
    assert runs[due.pk].status == SyncRun.Status.FAILED
    assert "JSON tronqué" in runs[due.pk].message
    for feed in (never_run, due):
        feed.refresh_from_db()
        assert feed.next_sync_at >= now + timedelta(hours=feed.interval_hours)
    for feed, before in ((later, later.next_sync_at), (disabled, disabled.next_sync_at)):
        feed.refresh_from_db()
        assert feed.next_sync_at == before
    assert enqueue_due_feeds.delay().get() == []  # nothing due any more


def test_a_retryable_failure_is_retried_later_by_a_worker(feed_server, make_feed, monkeypatch):
    feed_server.serve("/feed.json", b"indisponible", status=503, content_type="text/plain")
    feed = make_feed()
    retries = []

    class Retry(Exception):
        pass

    def retry(countdown):
        retries.append(countdown)
        return Retry()

    monkeypatch.setattr(sync_feed, "retry", retry)
    # As a worker runs it: queued (not eager), first attempt.
    sync_feed.push_request(retries=0, is_eager=False)
    try:
        with pytest.raises(Retry):
            sync_feed.run(feed.pk)
    finally:
        sync_feed.pop_request()

    assert retries == [60]
    run = SyncRun.objects.get(feed=feed)
    assert (run.status, run.http_status) == (SyncRun.Status.FAILED, 503)
    assert "503" in run.message
    assert run.message.endswith("Nouvel essai dans 1 min.")


def test_in_process_a_retryable_failure_announces_no_new_try(eager, feed_server, make_feed):
    feed_server.serve("/feed.json", b"indisponible", status=503, content_type="text/plain")
    feed = make_feed()

    run = SyncRun.objects.get(pk=sync_feed.delay(feed.pk).get())

    assert (run.status, run.http_status) == (SyncRun.Status.FAILED, 503)
    assert "Nouvel essai" not in run.message  # nobody would try again: say nothing


def test_a_final_failure_announces_no_new_try(eager, feed_server, make_feed):
    feed_server.serve("/feed.json", b"introuvable", status=404, content_type="text/plain")
    feed = make_feed()

    run = SyncRun.objects.get(pk=sync_feed.delay(feed.pk, SyncRun.Trigger.MANUAL).get())

    assert (run.status, run.http_status, run.trigger) == ("failed", 404, "manual")
    assert "Nouvel essai" not in run.message


def test_a_feed_already_running_is_not_run_twice(feed_server, make_feed, feed_lock_held_elsewhere):
    feed_server.serve("/feed.json", native_feed(app_spec("appli", "Appli")))
    feed = make_feed()
    feed_lock_held_elsewhere(feed.pk)

    with pytest.raises(SyncAlreadyRunning, match="déjà en cours"):
        run_feed(feed)

    assert not SyncRun.objects.exists()
    assert feed_server.requests == []
    assert not AppPage.objects.filter(publisher=feed.publisher).exists()


def test_the_task_skips_a_feed_already_running(
    eager, feed_server, make_feed, feed_lock_held_elsewhere
):
    feed = make_feed()
    feed_lock_held_elsewhere(feed.pk)

    assert sync_feed.delay(feed.pk).get() is None
    assert not SyncRun.objects.exists()


def test_the_lock_is_released_after_a_run(feed_server, make_feed):
    feed_server.serve("/feed.json", native_feed(app_spec("appli", "Appli")))
    feed = make_feed()

    run_feed(feed)
    run_feed(feed)

    assert SyncRun.objects.filter(feed=feed).count() == 2


def test_a_run_left_running_by_a_dead_process_is_closed_and_the_feed_applied_again(
    eager, feed_server, make_feed
):
    feed_server.serve("/feed.json", native_feed(app_spec("appli", "Appli")), etag='"v1"')
    feed = make_feed()
    # What a worker killed mid-sync leaves: its run "running", and no lock (its connection,
    # which held it, is gone). The feed's validators were not kept either.
    dead = SyncRun.objects.create(feed=feed, status=SyncRun.Status.RUNNING)

    assert enqueue_due_feeds.delay().get() == [feed.pk]

    dead.refresh_from_db()
    assert dead.status == SyncRun.Status.FAILED
    assert "Interrompue" in dead.message
    assert dead.finished_at is not None
    latest = SyncRun.objects.exclude(pk=dead.pk).get(feed=feed)
    assert (latest.status, latest.created) == (SyncRun.Status.DONE, 1)


def test_a_running_run_whose_lock_is_held_is_left_alone(eager, make_feed, feed_lock_held_elsewhere):
    feed = make_feed()
    feed_lock_held_elsewhere(feed.pk)
    alive = SyncRun.objects.create(feed=feed, status=SyncRun.Status.RUNNING)

    close_interrupted_runs()

    alive.refresh_from_db()
    assert alive.status == SyncRun.Status.RUNNING


def test_validators_are_kept_only_when_every_item_went_in(feed_server, make_feed):
    body = native_feed(app_spec("appli", "Appli"), {"id": "cassee", "name": "Sans le reste"})
    feed_server.serve("/feed.json", body, etag='"v1"')
    feed = make_feed()

    first = run_feed(feed)
    again = run_feed(feed)

    assert first.status == SyncRun.Status.DONE_WITH_ERRORS
    feed.refresh_from_db()
    assert feed.etag == ""  # not kept: the next run reads the feed again, the item is retried
    assert not again.not_modified
