"""Editors approve the drafts a feed brought, N at once; nobody else can."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageLogEntry, ReferenceIndex, Revision, WorkflowState
from wagtail.signals import page_published

from catalogue import signals
from catalogue.models import AppPage
from catalogue.services import approve_apps
from tests.factories import EditorFactory, MemberFactory
from tests.integration.sync.conftest import app_spec, native_feed

pytestmark = pytest.mark.django_db
URL = "/admin/catalogue/validation/"


@pytest.fixture
def drafts(feed_server, make_feed, sync):
    feed_server.serve(
        "/feed.json", native_feed(*(app_spec(f"app-{n}", f"Appli {n}") for n in range(5)))
    )
    feed = make_feed()
    assert sync(feed).created == 5
    return feed


def live_count(feed) -> int:
    return AppPage.objects.filter(publisher=feed.publisher, live=True).count()


def test_an_editor_approves_the_chosen_ones_then_all(client, drafts):
    client.force_login(EditorFactory())
    page = client.get(URL)
    assert page.status_code == 200
    assert "5 applications attendent la validation" in page.content.decode()
    chosen = list(
        AppPage.objects.filter(publisher=drafts.publisher)
        .order_by("pk")
        .values_list("pk", flat=True)
    )[:2]

    client.post(URL, {"app": chosen})
    assert live_count(drafts) == 2
    published = AppPage.objects.get(pk=chosen[0])
    assert published.live and not published.has_unpublished_changes
    assert published.current_workflow_state is None  # the workflow is over

    client.post(URL, {"all": "1", "publisher": drafts.publisher.slug})
    assert live_count(drafts) == 5


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_others_are_refused_and_nothing_changes(client, drafts, who):
    if who == "member":
        client.force_login(MemberFactory(publisher=drafts.publisher))
    get = client.get(URL)
    post = client.post(URL, {"all": "1"})

    # Signed out: the admin's sign-in; a member: no entry (403, or the admin's redirect).
    assert get.status_code in (302, 403) and post.status_code in (302, 403)
    assert live_count(drafts) == 0


def test_the_dashboard_queue_leads_here(client, drafts):
    client.force_login(EditorFactory())
    assert reverse("catalogue_approval") == URL


# --- in bulk, as one by one ----------------------------------------------------------------


def approve_one_by_one(app: AppPage, user) -> None:
    """Wagtail's own "Approve" of the app's task (the moderation view's button)."""
    task_state = AppPage.objects.get(pk=app.pk).current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, user, "approve")


def approved_state(app: AppPage) -> dict:
    """What approving leaves, ids and times aside."""
    app = AppPage.objects.get(pk=app.pk)
    state = WorkflowState.objects.get(object_id=str(app.pk))
    task_state = state.task_states.get()
    logs = []
    for entry in PageLogEntry.objects.filter(page_id=app.pk).order_by("pk"):
        data = dict(entry.data)
        if "workflow" in data:
            data["workflow"] = {**data["workflow"], "task_state_id": "…"}
        logs.append(
            (
                entry.action,
                data,
                entry.content_changed,
                entry.user_id,
                entry.label,
                entry.revision_id == app.latest_revision_id,
            )
        )
    return {
        "row": (app.live, app.has_unpublished_changes, app.expired, app.draft_title, app.title),
        "published": (
            app.live_revision_id == app.latest_revision_id,
            app.first_published_at is not None,
            app.last_published_at is not None,
        ),
        "revisions": Revision.page_revisions.filter(object_id=str(app.pk)).count(),
        "workflow": (state.status, task_state.status, task_state.finished_by_id),
        "comment": task_state.comment,
        "logs": logs,
        "references": ReferenceIndex.objects.filter(object_id=str(app.pk)).count(),
        "counters": [getattr(app, field) for field in AppPage.COUNTER_FIELDS],
        "listings": list(app.listings.values_list("platform", "version")),
    }


@pytest.fixture
def two_drafts(feed_server, make_feed, sync):
    feed_server.serve("/feed.json", native_feed(app_spec("one", "Appli"), app_spec("two", "Appli")))
    feed = make_feed()
    assert sync(feed).created == 2
    return list(AppPage.objects.filter(publisher=feed.publisher).order_by("pk"))


def test_approved_in_bulk_ends_as_approved_by_wagtail(two_drafts):
    editor = EditorFactory()
    bulk, one = two_drafts
    approve_one_by_one(one, editor)
    published, changed = [], []
    page_published.connect(lambda instance, **kw: published.append(instance.pk), weak=False)
    signals.app_changed.connect(lambda app_ids, **kw: changed.append(app_ids), weak=False)
    try:
        assert approve_apps([bulk.pk], editor) == 1
    finally:
        page_published.receivers.pop()
        signals.app_changed.receivers.pop()
    assert published == [bulk.pk] and changed == [[bulk.pk]]
    assert approved_state(bulk) == approved_state(one)
    assert approved_state(bulk)["row"][0] is True


def test_a_draft_changed_since_its_import_is_approved_by_wagtail(two_drafts):
    """Its revision differs from its row: Wagtail's own publish writes it."""
    editor = EditorFactory()
    changed, same = two_drafts
    draft = changed.get_latest_revision_as_object()
    draft.title = draft.draft_title = "Appli revue"
    revision = draft.save_revision()
    task_state = AppPage.objects.get(pk=changed.pk).current_workflow_state.current_task_state
    task_state.revision = revision
    task_state.save()

    assert approve_apps([changed.pk, same.pk], EditorFactory()) == 2
    changed.refresh_from_db()
    assert changed.live and changed.title == "Appli revue" and not changed.has_unpublished_changes
    assert AppPage.objects.get(pk=same.pk).live
    assert editor  # (the editor who edited is not the one who approved)


def test_one_event_and_a_fixed_number_of_queries_for_a_batch(feed_server, make_feed, sync):
    feed_server.serve(
        "/feed.json", native_feed(*(app_spec(f"app-{n}", f"Appli {n}") for n in range(8)))
    )
    feed = make_feed()
    sync(feed)
    ids = list(
        AppPage.objects.filter(publisher=feed.publisher).order_by("pk").values_list("pk", flat=True)
    )
    editor = EditorFactory()
    approve_apps(ids[:1], editor)  # caches warmed (content types, the editor's permissions)
    changed = []
    signals.app_changed.connect(lambda app_ids, **kw: changed.append(app_ids), weak=False)
    try:
        with CaptureQueriesContext(connection) as two:
            assert approve_apps(ids[1:3], editor) == 2
        with CaptureQueriesContext(connection) as five:
            assert approve_apps(ids[3:], editor) == 5
    finally:
        signals.app_changed.receivers.pop()
    assert changed == [ids[1:3], ids[3:]]
    assert len(five) == len(two)
