"""Sync now and Preview from the feed's page: what they run, write and say."""

from html import unescape

import pytest
from celery.result import AsyncResult
from django.contrib.messages import constants, get_messages

from catalogue.models import AppPage
from catalogue.sync import admin_views
from catalogue.sync.models import FeedItem, SyncRun
from catalogue.sync.runner import SyncAlreadyRunning
from tests.integration.sync_admin.conftest import url

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]


def last_message(response):
    found = [(m.level, unescape(str(m)).strip()) for m in get_messages(response.wsgi_request)]
    assert found, "no message"
    return found[-1]


def test_sync_now_runs_the_feed_and_creates_the_app_as_a_draft(
    client, member_a, feed_a, feed_server, eager_tasks
):
    client.force_login(member_a)

    response = client.post(url("sync", feed_a.pk), follow=True)

    run = SyncRun.objects.get(feed=feed_a)
    assert (run.status, run.trigger, run.dry_run) == ("done", "manual", False)
    assert (run.seen, run.created, run.http_status) == (1, 1, 200)
    app = AppPage.objects.get(publisher=feed_a.publisher, external_id="alpha-cv")
    assert not app.live  # a new app waits for the editors
    level, text = last_message(response)
    assert level == constants.SUCCESS
    assert text.startswith("Synchronisation terminée — ")
    assert "créées : 1" in text
    # Back on the feed's page, with the run listed.
    assert response.redirect_chain[-1][0] == url("runs", feed_a.pk)
    assert url("run", run.pk) in response.content.decode()


def test_sync_now_queues_the_task_when_celery_is_not_eager(client, editor, feed_a, monkeypatch):
    queued = []

    class FakeTask:
        def delay(self, *args):
            queued.append(args)
            return AsyncResult("une-tache-en-file")

    monkeypatch.setattr(admin_views, "sync_feed", FakeTask())
    client.force_login(editor)

    response = client.post(url("sync", feed_a.pk))

    assert queued == [(feed_a.pk, "manual")]
    assert response["Location"] == url("runs", feed_a.pk)
    assert last_message(response) == (constants.SUCCESS, "Synchronisation lancée.")


def test_sync_now_while_a_run_is_going_warns_and_queues_nothing(
    client, editor, feed_a, feed_server, eager_tasks, feed_lock_held_elsewhere
):
    feed_lock_held_elsewhere(feed_a.pk)  # another process runs it
    SyncRun.objects.create(feed=feed_a, status=SyncRun.Status.RUNNING)
    client.force_login(editor)

    response = client.post(url("sync", feed_a.pk))

    assert response["Location"] == url("runs", feed_a.pk)
    level, text = last_message(response)
    assert level == constants.WARNING
    assert "déjà en cours" in text
    assert SyncRun.objects.filter(feed=feed_a).count() == 1
    assert feed_server.hits == 0


def test_sync_now_when_the_task_finds_the_feed_locked_warns(
    client, editor, feed_a, feed_server, eager_tasks, monkeypatch
):
    def locked(*args, **kwargs):
        raise SyncAlreadyRunning("déjà en cours")

    monkeypatch.setattr("catalogue.sync.tasks.run_feed", locked)
    client.force_login(editor)

    response = client.post(url("sync", feed_a.pk))

    assert response.status_code == 302
    assert last_message(response)[0] == constants.WARNING
    assert not SyncRun.objects.exists()


def test_a_failed_sync_says_so(client, editor, feed_b, eager_tasks):
    # feed_b points at a closed loopback port: the fetch fails, the run is recorded as failed.
    client.force_login(editor)

    response = client.post(url("sync", feed_b.pk))

    run = SyncRun.objects.get(feed=feed_b)
    assert run.status == SyncRun.Status.FAILED
    level, text = last_message(response)
    assert level == constants.ERROR
    assert text == f"La synchronisation a échoué : {run.message}"


def test_preview_records_a_dry_run_and_writes_no_page(client, member_a, feed_a, feed_server):
    client.force_login(member_a)
    apps_before = AppPage.objects.count()

    response = client.post(url("preview", feed_a.pk), follow=True)

    run = SyncRun.objects.get(feed=feed_a)
    assert (run.dry_run, run.status, run.created) == (True, "done", 1)
    assert AppPage.objects.count() == apps_before
    assert not FeedItem.objects.exists()
    feed_a.refresh_from_db()
    assert (feed_a.etag, feed_a.last_modified) == ("", "")
    # The run's page says what would happen.
    assert response.redirect_chain[-1][0] == url("run", run.pk)
    content = response.content.decode()
    assert "Alpha CV" in content
    assert "serait créée" in content


def test_preview_of_a_feed_being_synced_warns(client, editor, feed_a, monkeypatch):
    def locked(*args, **kwargs):
        raise SyncAlreadyRunning("déjà en cours")

    monkeypatch.setattr(admin_views, "run_feed", locked)
    client.force_login(editor)

    response = client.post(url("preview", feed_a.pk))

    assert response["Location"] == url("runs", feed_a.pk)
    assert last_message(response)[0] == constants.WARNING
    assert not SyncRun.objects.exists()


def test_the_feed_page_offers_the_buttons_to_whoever_may_press_them(client, member_a, feed_a):
    client.force_login(member_a)

    content = client.get(url("runs", feed_a.pk)).content.decode()

    assert f'action="{url("sync", feed_a.pk)}"' in content
    assert f'action="{url("preview", feed_a.pk)}"' in content
    assert "csrfmiddlewaretoken" in content
    assert url("edit", feed_a.pk) not in content  # members do not edit feeds


def test_the_runs_are_listed_newest_first_and_paginated(client, editor, feed_a):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    runs = [
        SyncRun.objects.create(feed=feed_a, status="done", started_at=now - timedelta(hours=hours))
        for hours in range(admin_views.RUNS_PER_PAGE + 2)
    ]
    client.force_login(editor)

    first = client.get(url("runs", feed_a.pk)).content.decode()
    second = client.get(url("runs", feed_a.pk), {"p": 2}).content.decode()

    newest, older = url("run", runs[0].pk), url("run", runs[1].pk)
    assert newest in first and older in first
    assert first.index(newest) < first.index(older)
    assert url("run", runs[-1].pk) not in first
    assert url("run", runs[-1].pk) in second
