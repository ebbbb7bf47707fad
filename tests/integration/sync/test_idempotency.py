"""The same feed again changes nothing: no revision, no write but the run's own record."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.models import Revision

from catalogue.models import AppPage
from catalogue.sync.models import FeedItem, SyncRun
from tests.integration.sync.conftest import (
    APPSTREAM,
    counters,
    example_feed,
    itunes_with_local_images,
    local_images,
    written_tables,
)

pytestmark = pytest.mark.django_db


def native_body(server):
    return example_feed(server), "native", 3


def appstream_body(server):
    body = (APPSTREAM / "org.mozilla.Thunderbird.appdata.xml").read_bytes()
    return local_images(body, server, "/tb"), "appstream", 1


def itunes_body(server):
    return itunes_with_local_images("mas-slack-lookup.json", server), "itunes", 1


@pytest.mark.parametrize("feed_body", [native_body, appstream_body, itunes_body])
def test_the_same_feed_twice_writes_nothing(feed_server, make_feed, sync, feed_body):
    body, format, count = feed_body(feed_server)
    feed_server.serve("/feed", body)  # no ETag, no Last-Modified: the second run reads it all
    feed = make_feed("/feed", format=format)
    first = sync(feed)
    assert first.created == count, first.errors
    state = (
        Revision.objects.count(),
        get_image_model().objects.count(),
        list(FeedItem.objects.values_list("external_id", "content_hash", "images")),
        len(feed_server.requests),
    )

    with CaptureQueriesContext(connection) as queries:
        second = sync(feed)

    assert second.status == SyncRun.Status.DONE
    assert second.http_status == 200 and not second.not_modified
    assert counters(second) == {
        "seen": count,
        "created": 0,
        "updated": 0,
        "unchanged": count,
        "archived": 0,
        "failed": 0,
    }
    assert second.changes == []
    writes = written_tables(queries.captured_queries)
    assert writes, "the run records itself"
    assert set(writes) == {"catalogue_syncrun"}, writes
    assert state == (
        Revision.objects.count(),
        get_image_model().objects.count(),
        list(FeedItem.objects.values_list("external_id", "content_hash", "images")),
        len(feed_server.requests) - 1,  # the feed itself, not one image
    )


def test_a_304_is_a_run_with_everything_unchanged(feed_server, make_feed, sync):
    feed_server.serve("/feed.json", example_feed(feed_server), etag='"v1"')
    feed = make_feed()
    assert sync(feed).created == 3
    assert feed.etag == '"v1"'
    revisions = Revision.objects.count()

    run = sync(feed)

    assert feed_server.requests[-1].path == "/feed.json"
    assert feed_server.requests[-1].headers.get("If-None-Match") == '"v1"'
    assert run.http_status == 304
    assert run.not_modified
    assert run.status == SyncRun.Status.DONE
    assert "304" in run.message
    assert counters(run) == {
        "seen": 0,
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "archived": 0,
        "failed": 0,
    }
    assert run.changes == [] and run.errors == [] and run.warnings == []
    assert Revision.objects.count() == revisions
    assert AppPage.objects.filter(publisher=feed.publisher).count() == 3


def test_last_modified_gives_a_304_too(feed_server, make_feed, sync):
    stamp = "Wed, 14 May 2025 09:30:00 GMT"
    feed_server.serve("/feed.json", example_feed(feed_server), last_modified=stamp)
    feed = make_feed()
    sync(feed)
    assert feed.last_modified == stamp

    run = sync(feed)

    assert feed_server.requests[-1].headers.get("If-Modified-Since") == stamp
    assert (run.http_status, run.not_modified, run.unchanged) == (304, True, 3)
