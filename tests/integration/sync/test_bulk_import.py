"""New apps created in bulk end exactly as Wagtail's one-by-one path leaves them: drafts before
the editors, with a revision Wagtail can show, compare and publish."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageLogEntry, ReferenceIndex, Revision

from catalogue.models import AppPage
from catalogue.sync.runner import FeedRun
from tests.factories import EditorFactory, PublisherFactory
from tests.integration.sync.conftest import app_spec, in_review, native_feed

pytestmark = pytest.mark.django_db

SPEC = app_spec(
    "cv",
    {"fr": "CV Express", "en": "CV Express EN"},
    licence="MIT",
    listings=[
        {
            "platform": "android",
            "url": "https://play.example.org/cv",
            "version": "2.0",
            "releases": [{"version": "1.0", "date": "2025-01-01", "notes": "Première."}],
        }
    ],
)
IGNORED = {
    "pk",
    "id",
    "path",
    "url_path",
    "translation_key",
    "page",
    "page_ptr",
    "slug",
    "app_slug",
}
IGNORED |= {"latest_revision_created_at", "publisher", "owner", "locale"}


def state(app: AppPage) -> dict:
    """Everything the two paths must leave the same, ids and tree positions aside."""
    app = AppPage.objects.get(pk=app.pk)
    revision = app.latest_revision
    content = {
        key: value
        for key, value in revision.content.items()
        if key not in IGNORED and not isinstance(value, list)
    }
    children = {
        key: [
            {k: v for k, v in row.items() if k not in IGNORED and k != "sort_order"}
            for row in value
        ]
        for key, value in revision.content.items()
        if isinstance(value, list) and value and isinstance(value[0], dict)
    }
    task_state = app.current_workflow_state.current_task_state
    return {
        "row": (app.live, app.has_unpublished_changes, app.draft_title, app.depth, app.numchild),
        "revisions": Revision.page_revisions.filter(object_id=str(app.pk)).count(),
        "content": content,
        "children": children,
        "workflow": (app.current_workflow_state.status, task_state.status),
        "latest": task_state.revision_id == revision.pk,
        "log": sorted(PageLogEntry.objects.filter(page_id=app.pk).values_list("action", flat=True)),
        "references": ReferenceIndex.objects.filter(object_id=str(app.pk)).count(),
    }


def test_bulk_and_one_by_one_end_the_same(feed_server, make_feed, sync, monkeypatch):
    feed_server.serve("/feed.json", native_feed(SPEC))
    bulk_feed = make_feed()
    other = PublisherFactory(name="Autre éditeur", slug="autre-editeur")
    one_feed = make_feed("/feed.json", publisher=other, name="Un par un")

    with CaptureQueriesContext(connection) as queries:
        assert sync(bulk_feed).created == 1
    bulk_queries = len(queries)
    monkeypatch.setattr(
        FeedRun,
        "create_new",
        lambda self, new, **kwargs: self.create_one_by_one(new, self.download_images(new)),
    )
    with CaptureQueriesContext(connection) as queries:
        assert sync(one_feed).created == 1
    assert bulk_queries < len(queries)

    bulk = AppPage.objects.get(publisher=bulk_feed.publisher)
    one = AppPage.objects.get(publisher=other)
    assert state(bulk) == state(one)
    assert in_review(bulk)
    draft = bulk.get_latest_revision_as_object()
    assert (draft.title_en, draft.licence) == ("CV Express EN", "MIT")
    assert [r.version for r in draft.releases.all()] == ["2.0", "1.0"]


def test_a_bulk_draft_is_shown_compared_and_published_by_wagtail(
    feed_server, make_feed, sync, client
):
    feed_server.serve("/feed.json", native_feed(SPEC))
    feed = make_feed()
    sync(feed)
    app = AppPage.objects.get(publisher=feed.publisher)
    client.force_login(EditorFactory())

    assert client.get(f"/admin/pages/{app.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{app.pk}/history/").status_code == 200
    revision = app.latest_revision
    compare = f"/admin/pages/{app.pk}/revisions/compare/earliest...{revision.pk}/"
    assert client.get(compare).status_code == 200

    revision.publish()
    app.refresh_from_db()
    assert app.live and app.listings.get().version == "2.0"
    assert client.get(app.url).status_code == 200


def test_a_bigger_batch_costs_no_more_queries(feed_server, make_feed, sync):
    """The first import's queries do not grow with the number of new apps in a batch."""
    feed_server.serve("/few.json", native_feed(*(app_spec(f"few-{n}") for n in range(2))))
    feed_server.serve("/many.json", native_feed(*(app_spec(f"many-{n}") for n in range(9))))
    feed_server.serve("/warm.json", native_feed(app_spec("warm")))
    few = make_feed("/few.json")
    many = make_feed("/many.json", publisher=PublisherFactory(name="Autre", slug="autre"))
    sync(make_feed("/warm.json", publisher=PublisherFactory(name="Tiers", slug="tiers")))

    with CaptureQueriesContext(connection) as two:
        assert sync(few).created == 2
    with CaptureQueriesContext(connection) as nine:
        assert sync(many).created == 9
    assert len(nine) == len(two)
