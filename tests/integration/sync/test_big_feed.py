"""A feed of 10,000 apps, previewed end to end.

A preview goes through the whole path but the writes (fetch, schema validation and cleaning
of every item, a plan per item against the database); a real import of 10,000 pages, each
with its revision and workflow, would take minutes, too long for the suite (bench/sync.py
measures real imports).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import AppPage
from catalogue.sync.models import FeedItem, SyncRun
from catalogue.sync.runner import MAX_REPORTED_CHANGES
from tests.integration.sync.conftest import app_spec, native_feed, written_tables

pytestmark = pytest.mark.django_db

COUNT = 10_000


def test_a_preview_of_ten_thousand_apps(feed_server, make_feed, sync):
    apps = [app_spec(f"appli-{number:05d}", f"Appli n° {number}") for number in range(COUNT)]
    body = native_feed(*apps)
    feed_server.serve("/feed.json", body)
    feed = make_feed()
    progress = []

    with CaptureQueriesContext(connection) as queries:
        run = sync(feed, dry_run=True, progress=lambda done, total: progress.append((done, total)))

    assert run.status == SyncRun.Status.DONE, run.message
    assert (run.seen, run.created, run.failed, run.updated) == (COUNT, COUNT, 0, 0)
    assert len(run.changes) == MAX_REPORTED_CHANGES  # the list stays readable
    assert progress[-1] == (COUNT, COUNT)
    assert set(written_tables(queries.captured_queries)) == {"catalogue_syncrun"}
    assert len(queries.captured_queries) < 50  # not one query per app
    assert not AppPage.objects.filter(publisher=feed.publisher).exists()
    assert not FeedItem.objects.exists()
