"""Sync safety: a run that would archive more than SYNC_ARCHIVE_MAX_SHARE of a feed's live apps
archives nothing and is held until an editor confirms; archiving also follows a 304."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalogue.sync.models import FeedItem, SyncRun
from tests.factories import EditorFactory, MemberFactory
from tests.integration.sync.conftest import app_of, app_spec, native_feed

pytestmark = pytest.mark.django_db
APPS = [app_spec(f"app-{n}", f"Appli {n}") for n in range(10)]


@pytest.fixture
def live_feed(feed_server, make_feed, sync, settings):
    settings.SYNC_ARCHIVE_GRACE_DAYS = 0
    feed_server.serve("/feed.json", native_feed(*APPS))
    feed = make_feed()
    assert sync(feed).created == 10
    for n in range(10):
        app_of(feed, f"app-{n}").get_latest_revision().publish()
    return feed


def test_an_empty_feed_archives_nothing_and_is_held(live_feed, feed_server, sync, client):
    feed_server.serve("/feed.json", native_feed())  # valid, and empty

    run = sync(live_feed)

    assert run.status == SyncRun.Status.HELD
    assert run.archived == 0 and len(run.held_items) == 10
    assert all(app_of(live_feed, f"app-{n}").live for n in range(10))
    assert "Archivage suspendu" in run.message
    # A member cannot confirm; nothing changes.
    client.force_login(MemberFactory(publisher=live_feed.publisher))
    url = f"/admin/flux/synchronisations/{run.pk}/confirmer-archivage/"
    assert client.post(url).status_code in (302, 403)
    assert all(app_of(live_feed, f"app-{n}").live for n in range(10))
    # An editor confirms: they are archived (unpublished, never deleted).
    client.force_login(EditorFactory())
    assert client.post(url).status_code == 302
    assert not any(app_of(live_feed, f"app-{n}").live for n in range(10))
    run.refresh_from_db()
    assert run.archived == 10 and run.archive_confirmed_at is not None
    assert client.post(url).status_code == 302  # twice: nothing more
    assert FeedItem.objects.filter(archived_at__isnull=False).count() == 10


def test_a_small_share_is_archived_at_once(live_feed, feed_server, sync):
    feed_server.serve("/feed.json", native_feed(*APPS[:9]))  # one of ten: 10 %

    run = sync(live_feed)

    assert run.status == SyncRun.Status.DONE
    assert run.archived == 1
    assert not app_of(live_feed, "app-9").live


def test_archiving_is_evaluated_on_304_too(live_feed, feed_server, sync, settings):
    settings.SYNC_ARCHIVE_GRACE_DAYS = 7
    feed_server.serve("/feed.json", native_feed(*APPS[:9]), etag='"v2"')
    first = sync(live_feed)
    assert first.archived == 0  # missing since now: within the grace period
    FeedItem.objects.filter(external_id="app-9").update(
        missing_since=timezone.now() - timedelta(days=8)
    )

    second = sync(live_feed)  # the feed answers 304

    assert second.not_modified
    assert second.archived == 1
    assert not app_of(live_feed, "app-9").live
