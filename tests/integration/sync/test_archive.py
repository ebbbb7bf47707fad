"""An app gone from its feed is archived after the grace period: unpublished, never deleted."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalogue.models import AppPage
from catalogue.sync.models import FeedItem, SyncRun
from tests.integration.sync.conftest import app_of, app_spec, in_review, native_feed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def any_share_may_go(settings):
    """These feeds have two or three apps: archiving one is more than the 20 % that holds a
    run (test_held_runs.py); here the grace period is what is tested."""
    settings.SYNC_ARCHIVE_MAX_SHARE = 1.0


STAYS = app_spec("reste", "Reste")
GOES = app_spec("part", "Part")


@pytest.fixture
def both_live(feed_server, make_feed, sync):
    feed_server.serve("/feed.json", native_feed(STAYS, GOES))
    feed = make_feed()
    assert sync(feed).created == 2
    for external_id in ("reste", "part"):
        app_of(feed, external_id).get_latest_revision().publish()
    return feed


def item(feed, external_id) -> FeedItem:
    return FeedItem.objects.get(feed=feed, external_id=external_id)


def test_a_missing_app_is_marked_then_archived_once_the_grace_period_is_over(
    both_live, feed_server, sync, settings
):
    settings.SYNC_ARCHIVE_GRACE_DAYS = 7
    feed = both_live
    feed_server.serve("/feed.json", native_feed(STAYS))

    first = sync(feed)

    assert first.status == SyncRun.Status.DONE
    assert (first.seen, first.unchanged, first.archived) == (1, 1, 0)
    assert item(feed, "part").missing_since is not None
    assert item(feed, "part").archived_at is None
    assert app_of(feed, "part").live  # within the grace period

    # A week and a day later (the same run, the missing date moved back).
    FeedItem.objects.filter(feed=feed, external_id="part").update(
        missing_since=timezone.now() - timedelta(days=8)
    )
    second = sync(feed)

    assert second.archived == 1
    assert second.changes == [{"item": "part", "action": "archive"}]
    gone = app_of(feed, "part")  # still there: never deleted
    assert not gone.live
    assert item(feed, "part").archived_at is not None
    assert item(feed, "part").app == gone
    assert app_of(feed, "reste").live
    assert AppPage.objects.filter(publisher=feed.publisher).count() == 2

    third = sync(feed)  # archived once, not again
    assert (third.archived, third.unchanged) == (0, 1)


def test_with_no_grace_period_the_first_missing_run_archives(
    both_live, feed_server, sync, settings
):
    settings.SYNC_ARCHIVE_GRACE_DAYS = 0
    feed = both_live
    feed_server.serve("/feed.json", native_feed(STAYS))

    run = sync(feed)

    assert run.archived == 1
    assert not app_of(feed, "part").live
    assert item(feed, "part").archived_at is not None
    assert app_of(feed, "reste").live


def test_an_app_back_in_its_feed_goes_to_the_editors_not_live(
    both_live, feed_server, sync, settings
):
    settings.SYNC_ARCHIVE_GRACE_DAYS = 0
    feed = both_live
    feed_server.serve("/feed.json", native_feed(STAYS))
    assert sync(feed).archived == 1

    feed_server.serve("/feed.json", native_feed(STAYS, GOES))
    run = sync(feed)

    assert run.status == SyncRun.Status.DONE
    assert (run.updated, run.unchanged, run.archived) == (1, 1, 0)
    back = app_of(feed, "part")
    assert not back.live  # not republished by itself
    assert in_review(back)
    assert back.current_workflow_state.current_task_state.revision == back.latest_revision
    assert item(feed, "part").archived_at is None
    assert item(feed, "part").missing_since is None


def test_an_app_back_within_the_grace_period_is_only_unmarked(
    both_live, feed_server, sync, settings
):
    settings.SYNC_ARCHIVE_GRACE_DAYS = 7
    feed = both_live
    feed_server.serve("/feed.json", native_feed(STAYS))
    sync(feed)
    assert item(feed, "part").missing_since is not None

    feed_server.serve("/feed.json", native_feed(STAYS, GOES))
    run = sync(feed)

    assert (run.unchanged, run.updated) == (2, 0)
    assert item(feed, "part").missing_since is None
    assert app_of(feed, "part").live and not in_review(app_of(feed, "part"))


def test_archiving_withdraws_a_draft_still_before_the_editors(
    feed_server, make_feed, sync, settings
):
    settings.SYNC_ARCHIVE_GRACE_DAYS = 0
    feed_server.serve("/feed.json", native_feed(STAYS, GOES))
    feed = make_feed()
    sync(feed)
    assert in_review(app_of(feed, "part"))  # a new app: a draft submitted to editors
    feed_server.serve("/feed.json", native_feed(STAYS))

    assert sync(feed).archived == 1

    gone = app_of(feed, "part")
    assert not gone.live
    assert not in_review(gone)  # an editor can no longer publish what the feed dropped
