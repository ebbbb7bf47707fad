"""A preview (dry run) reports what a run would do and writes nothing but its own SyncRun."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.models import Revision

from catalogue.models import AppPage
from catalogue.sync.models import FeedItem, SyncRun
from tests.integration.sync.conftest import (
    app_of,
    app_spec,
    example_feed,
    native_feed,
    written_tables,
)

pytestmark = pytest.mark.django_db


def test_a_preview_of_a_new_feed_creates_nothing(feed_server, make_feed, sync):
    feed_server.serve("/feed.json", example_feed(feed_server), etag='"v1"')
    feed = make_feed()

    with CaptureQueriesContext(connection) as queries:
        run = sync(feed, dry_run=True)

    assert run.dry_run
    assert run.status == SyncRun.Status.DONE
    assert (run.seen, run.created, run.updated, run.archived) == (3, 3, 0, 0)
    assert [(c["item"], c["action"]) for c in run.changes] == [
        ("cv-express", "create"),
        ("entretien-coach", "create"),
        ("recrut-local", "create"),
    ]
    assert set(written_tables(queries.captured_queries)) == {"catalogue_syncrun"}
    assert not AppPage.objects.filter(publisher=feed.publisher).exists()
    assert not FeedItem.objects.exists()
    assert not get_image_model().objects.exists()
    assert [request.path for request in feed_server.requests] == ["/feed.json"]  # no image
    assert feed.etag == ""  # a preview must not turn the next real run into a 304


def test_a_preview_reports_updates_and_archives_without_doing_them(
    feed_server, make_feed, sync, settings
):
    settings.SYNC_ARCHIVE_GRACE_DAYS = 0
    settings.SYNC_ARCHIVE_MAX_SHARE = 1.0  # one of three apps: not held (test_held_runs.py)
    renamed, upgraded, removed = app_spec("a", "A"), app_spec("b", "B"), app_spec("c", "C")
    feed_server.serve("/feed.json", native_feed(renamed, upgraded, removed))
    feed = make_feed()
    assert sync(feed).created == 3
    for external_id in "abc":
        app_of(feed, external_id).get_latest_revision().publish()
    before = (
        Revision.objects.count(),
        list(FeedItem.objects.order_by("pk").values()),
        sorted(AppPage.objects.values_list("title", "live", "has_unpublished_changes")),
    )
    upgraded["listings"][0]["version"] = "2.0"
    new = app_spec("d", "D")
    feed_server.serve("/feed.json", native_feed({**renamed, "name": "A bis"}, upgraded, new))

    with CaptureQueriesContext(connection) as queries:
        run = sync(feed, dry_run=True)

    assert run.status == SyncRun.Status.DONE
    assert (run.seen, run.created, run.updated, run.archived, run.unchanged) == (3, 1, 2, 1, 0)
    changes = {change["item"]: change for change in run.changes}
    assert changes["a"]["action"] == "update" and changes["a"]["sensitive"] == ["title"]
    assert changes["b"]["action"] == "update" and changes["b"]["routine"] == [
        "listings",
        "releases",
    ]
    assert changes["c"] == {"item": "c", "action": "archive"}
    assert changes["d"]["action"] == "create"
    assert set(written_tables(queries.captured_queries)) == {"catalogue_syncrun"}
    assert before == (
        Revision.objects.count(),
        list(FeedItem.objects.order_by("pk").values()),
        sorted(AppPage.objects.values_list("title", "live", "has_unpublished_changes")),
    )
