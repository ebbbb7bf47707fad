"""Drafts approved in bulk, ending exactly as Wagtail's own "Approve" leaves each of them.

One by one, approving a draft (``Task.on_action(task_state, user, "approve")``) costs ~120
queries: the revision turned back into a page, ``full_clean()``, the page and each of its
relations saved again, the workflow's states, two log entries, Wagtail's indexes: 2 pages/s.

Most drafts before the editors are new apps whose page row already holds what their latest
revision holds (a feed's first import writes both alike, catalogue.sync.bulk; so does
Wagtail's add_child + save_revision). For those, publishing the revision changes nothing of
the content: only the page's publication columns, the workflow's states and the log. Here a
batch of them costs a fixed number of queries, with the same end state:

- the task state approved (by the user, now, no comment), its ``wagtail.workflow.approve``
  entry; the workflow state approved;
- the page live, its revision published (``live_revision``, first and last published dates,
  no unpublished changes, not expired; the revisions' ``approved_go_live_at`` cleared), its
  ``wagtail.publish`` entry;
- Wagtail's ``page_published`` and ``published``, ``workflow_approved`` and ``task_approved``
  sent for each app, as one by one (the cms, e-mail notifications and any other receiver
  follow); the catalogue's ``app_changed`` once for the batch (signals.collect_app_changes:
  one reindex for the batch);
- the rating figures and popularity are not written at all, so they stay as they are now (what
  ``AppPage.save`` makes sure of one by one);
- the reference index needs nothing (the content did not change); Wagtail's admin search index
  is updated on commit (catalogue.wagtail_index).

Any other draft — changes of a live app, a revision that differs from the row, comments,
aliases, a go-live date to come, a workflow of more than one task, a user who may not publish —
goes through Wagtail's own path (catalogue.services.approve_apps).
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.log_actions import get_active_log_context
from wagtail.models import (
    COMMENTS_RELATION_NAME,
    Page,
    PageLogEntry,
    Revision,
    Task,
    TaskState,
    WorkflowState,
)
from wagtail.signals import (
    page_published,
    published,
    task_approved,
    workflow_approved,
)

from catalogue.models import AppPage
from catalogue.wagtail_index import index_for_admin_search

# What a revision does not carry to the page when it is published (Page.with_content_json
# keeps the row's; AppPage.with_content_json the counters), and what publishing sets.
NOT_CONTENT = {
    "pk",
    "id",
    "page_ptr",
    "content_type",
    "path",
    "depth",
    "numchild",
    "url_path",
    "draft_title",
    "live",
    "has_unpublished_changes",
    "owner",
    "locked",
    "locked_by",
    "locked_at",
    "latest_revision",
    "latest_revision_created_at",
    "first_published_at",
    "last_published_at",
    "live_revision",
    "expired",
    "alias_of",
    COMMENTS_RELATION_NAME,
    "comments",
    *AppPage.COUNTER_FIELDS,
}
RELATIONS = ("listings", "releases", "screenshots", "categories", "audiences", "languages")


def content(data: dict) -> dict:
    """A page's serialised data as its revision stores it (JSON), publication fields aside."""
    data = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return {key: value for key, value in data.items() if key not in NOT_CONTENT}


def split(states: list, user) -> tuple[list, list]:
    """(the states approvable in bulk, with their page and revision; the others), in the
    caller's transaction. The states are locked until it ends (another editor's approval
    waits, then finds them approved); those no longer in progress are left out."""
    in_progress = set(
        WorkflowState.objects.select_for_update()
        .filter(pk__in=[state.pk for state in states], status=WorkflowState.STATUS_IN_PROGRESS)
        .values_list("pk", flat=True)
    )
    states = [state for state in states if state.pk in in_progress]
    if not states:
        return [], []
    pages = {
        str(page.pk): page
        for page in AppPage.objects.filter(pk__in=[state.object_id for state in states])
        .select_related("latest_revision")
        .prefetch_related(*RELATIONS, COMMENTS_RELATION_NAME)
    }
    ids = [page.pk for page in pages.values()]
    with_comments = {
        page.pk for page in pages.values() if getattr(page, COMMENTS_RELATION_NAME).all()
    }
    aliased = set(Page.objects.filter(alias_of_id__in=ids).values_list("alias_of_id", flat=True))
    only_task = {}  # workflow id → its one active task, or None
    plain = {}  # task id → whether its states are plain TaskStates
    now = timezone.now()
    fast, slow = [], []
    for state in states:
        page = pages.get(state.object_id)
        task_state = state.current_task_state
        if state.workflow_id not in only_task:
            tasks = list(Task.objects.filter(workflow_tasks__workflow=state.workflow, active=True))
            only_task[state.workflow_id] = tasks[0].pk if len(tasks) == 1 else None
        if task_state is not None and task_state.task_id not in plain:
            specific = task_state.task.specific
            plain[task_state.task_id] = specific.get_task_state_class() is TaskState
        revision = page.latest_revision if page is not None else None
        if (
            page is None
            or revision is None
            or page.live
            or page.pk in with_comments
            or page.pk in aliased
            or (page.go_live_at and page.go_live_at > now)
            or task_state is None
            or task_state.status != TaskState.STATUS_IN_PROGRESS
            or type(task_state) is not TaskState
            or task_state.task_id != only_task[state.workflow_id]
            or not plain[task_state.task_id]
            or task_state.revision_id != revision.pk
            or not page.permissions_for_user(user).can_publish()
            or content(page.serializable_data()) != content(revision.content)
        ):
            slow.append(state)
            continue
        fast.append((state, page, revision))
    return fast, slow


def approve_in_bulk(approvable: list, user) -> int:
    """Approve and publish (state, page, revision) triples from split(), in the caller's
    transaction. Returns how many."""
    if not approvable:
        return 0
    now = timezone.now()
    context = get_active_log_context()
    user = user or context.user
    app_type = ContentType.objects.get_for_model(AppPage)
    page_ids = [page.pk for _state, page, _revision in approvable]
    task_state_ids = [state.current_task_state_id for state, _page, _revision in approvable]

    TaskState.objects.filter(pk__in=task_state_ids).update(
        status=TaskState.STATUS_APPROVED, finished_at=now, finished_by=user, comment=""
    )
    WorkflowState.objects.filter(pk__in=[state.pk for state, *_ in approvable]).update(
        status=WorkflowState.STATUS_APPROVED
    )
    Page.objects.filter(pk__in=page_ids).update(
        live=True,
        has_unpublished_changes=False,
        live_revision_id=F("latest_revision_id"),
        first_published_at=Coalesce(F("first_published_at"), now),
        last_published_at=now,
        expired=False,
    )
    Revision.page_revisions.filter(object_id__in=[str(pk) for pk in page_ids]).exclude(
        approved_go_live_at=None
    ).update(approved_go_live_at=None)

    logs = []
    for state, page, revision in approvable:
        task_state = state.current_task_state
        common = {
            "content_type": app_type,
            "label": page.get_admin_display_title(),
            "page_id": page.pk,
            "revision": revision,
            "user": user,
            "uuid": context.uuid,
            "timestamp": now,
        }
        workflow = {
            "id": state.workflow_id,
            "title": state.workflow.name,
            "status": TaskState.STATUS_APPROVED,
            "task_state_id": task_state.pk,
            "task": {"id": task_state.task_id, "title": task_state.task.name},
            "next": None,
        }
        logs.append(
            PageLogEntry(
                action="wagtail.workflow.approve",
                data={"workflow": workflow, "comment": ""},
                content_changed=False,
                **common,
            )
        )
        logs.append(PageLogEntry(action="wagtail.publish", data={}, content_changed=True, **common))
    PageLogEntry.objects.bulk_create(logs)

    for state, page, revision in approvable:
        task_state = state.current_task_state
        task_state.status = TaskState.STATUS_APPROVED
        task_state.finished_at, task_state.finished_by, task_state.comment = now, user, ""
        state.status = WorkflowState.STATUS_APPROVED
        page.live, page.has_unpublished_changes, page.expired = True, False, False
        page.live_revision = revision
        page.first_published_at = page.first_published_at or now
        page.last_published_at = now
        state.content_object = page  # receivers read the page without a query per app
        # The order of Wagtail's: the page published, then the workflow, then the task.
        page_published.send(sender=AppPage, instance=page, revision=revision)
        published.send(sender=AppPage, instance=page, revision=revision)
        workflow_approved.send(sender=WorkflowState, instance=state, user=user)
        task_approved.send(sender=TaskState, instance=task_state, user=user)

    transaction.on_commit(lambda: index_for_admin_search(page_ids), robust=True)
    return len(approvable)
