"""New apps of a feed, created in bulk with the end state of Wagtail's one-by-one path.

One by one, a new app costs ~130 queries (add_child, save_revision(log_action=True), the
workflow's start): 6 apps/s. Here a batch of apps costs a fixed number of multi-row INSERTs,
and ends exactly as that path ends (tests/integration/sync/test_bulk_import.py compares them):

- the page rows (``wagtailcore_page``, its treebeard path computed here, then ``AppPage``),
  their listings, releases, screenshots and many-to-many rows;
- one revision each, made of ``serializable_data()`` as ``save_revision`` makes it, that
  Wagtail can compare and publish; the page points to it (``latest_revision``, draft title,
  unpublished changes);
- the editors' workflow started on it (``WorkflowState`` and the first task's ``TaskState``);
- the audit log's "created", "edited" and "workflow started" entries;
- the reference index, and Wagtail's admin search index (on commit, never failing the run).

Not sent: Wagtail's ``workflow_submitted`` / ``task_submitted`` signals, whose only receivers
are the e-mails to editors (one per app: 2,000 mails for one feed). The editors' dashboard lists
the apps awaiting them instead. The catalogue's own ``app_changed`` goes out once for the batch.
"""

import logging
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import (
    COMMENTS_RELATION_NAME,
    Page,
    PageLogEntry,
    ReferenceIndex,
    Revision,
    TaskState,
    WorkflowState,
)

from catalogue import signals
from catalogue.models import AppPage
from catalogue.wagtail_index import index_for_admin_search

logger = logging.getLogger(__name__)

STEPLEN = Page.steplen
ALPHABET = Page.alphabet
CHILD_RELATIONS = ("listings", "releases", "screenshots")
M2M = ("categories", "audiences", "languages")
# Checked by the database or set here: clean_fields() would query per foreign key.
UNCHECKED = [
    field.name
    for field in AppPage._meta.concrete_fields
    if field.is_relation or field.name in ("path", "depth", "url_path", "translation_key")
]


def encode_step(number: int) -> str:
    """The 4-character base-36 step treebeard gives a parent's number-th child."""
    digits = ""
    while number:
        number, remainder = divmod(number, len(ALPHABET))
        digits = ALPHABET[remainder] + digits
    return digits.rjust(STEPLEN, ALPHABET[0])


def last_step(parent: Page) -> int:
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    return int(last[-STEPLEN:], len(ALPHABET)) if last else 0


def validate(page: AppPage) -> None:
    """The model's own checks on the fields and the rows of its relations (no query)."""
    page.clean_fields(exclude=UNCHECKED)
    for name in CHILD_RELATIONS:
        for child in getattr(page, name).all():
            child.clean_fields(exclude=["page", "image"])


@transaction.atomic
def create_drafts(parent, pages: list[AppPage], *, workflow=None) -> list[AppPage]:
    """Insert ``pages`` (unsaved, their relations set in memory) under ``parent`` (a
    PublisherPage) as drafts awaiting ``workflow``'s first task."""
    if not pages:
        return pages
    now = timezone.now()
    app_type = ContentType.objects.get_for_model(AppPage)
    page_type = ContentType.objects.get_for_model(Page)
    parent = Page.objects.select_for_update().get(pk=parent.pk)  # one writer of its children
    step = last_step(parent)
    for page in pages:
        step += 1
        page.path = parent.path + encode_step(step)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.app_slug = page.slug  # what AppPage.save() sets: the slug, unique among apps
        page.content_type = app_type
        page.locale_id = parent.locale_id
        page.translation_key = uuid.uuid4()
        page.live = False
        page.has_unpublished_changes = False
        page.draft_title = page.title
        page.publisher_id = parent.specific_deferred.publisher_id
        # A new page has no comments: said in memory, so that serialising it asks nothing.
        setattr(page, COMMENTS_RELATION_NAME, [])

    base_rows = [
        Page(**{f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields})
        for page in pages
    ]
    Page.objects.bulk_create(base_rows)
    for page, row in zip(pages, base_rows, strict=True):
        page.pk = page.id = page.page_ptr_id = row.pk
    # bulk_create() refuses multi-table models; _insert() is what Model.save() uses for the
    # child table's row, here for many rows per statement.
    AppPage._base_manager._insert(pages, fields=AppPage._meta.local_concrete_fields)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))

    for name in CHILD_RELATIONS:
        relation = getattr(AppPage, name).rel
        rows = []
        for page in pages:
            for child in getattr(page, name).all():
                child.page_id = page.pk
                rows.append(child)
        relation.related_model.objects.bulk_create(rows)
    for name in M2M:
        field = AppPage._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name() + "_id", field.m2m_reverse_field_name() + "_id"
        through.objects.bulk_create(
            through(**{source: page.pk, target: item.pk})
            for page in pages
            for item in getattr(page, name).all()
        )

    # The revision holds the page as save_revision() serialises it: before the page points
    # to it, with its relations' rows and their ids.
    revisions = [
        Revision(
            content_type=app_type,
            base_content_type=page_type,
            object_id=str(page.pk),
            created_at=now,
            object_str=str(page),
            content=page.serializable_data(),
        )
        for page in pages
    ]
    Revision.objects.bulk_create(revisions)
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
        page.has_unpublished_changes = True
        page.latest_revision_created_at = now
    # One UPDATE whose subquery finds each page's revision (bulk_update's CASE of hundreds of
    # branches costs more to build than to run).
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(
        latest_revision_id=Subquery(
            Revision.objects.filter(
                base_content_type=page_type, object_id=Cast(OuterRef("pk"), CharField())
            )
            .order_by("-pk")
            .values("pk")[:1]
        ),
        has_unpublished_changes=True,
        latest_revision_created_at=now,
    )

    logs = []
    for page, revision in zip(pages, revisions, strict=True):
        common = {"content_type": app_type, "label": page.title, "page_id": page.pk}
        logs.append(PageLogEntry(action="wagtail.create", timestamp=now, **common))
        logs.append(PageLogEntry(action="wagtail.edit", revision=revision, timestamp=now, **common))
    states = []
    if workflow is not None:
        task = workflow.tasks.first()
        states = [
            WorkflowState(
                content_type=app_type,
                base_content_type=page_type,
                object_id=str(page.pk),
                workflow=workflow,
                status=WorkflowState.STATUS_IN_PROGRESS,
                created_at=now,
            )
            for page in pages
        ]
        WorkflowState.objects.bulk_create(states)
        task_state_class = task.specific.get_task_state_class() if task else TaskState
        task_states = [
            task_state_class(
                workflow_state=state,
                revision=revision,
                task=task,
                status=TaskState.STATUS_IN_PROGRESS,
                started_at=now,
            )
            for state, revision in zip(states, revisions, strict=True)
        ]
        if task is not None:
            task_state_class.objects.bulk_create(task_states)
            for state, task_state in zip(states, task_states, strict=True):
                state.current_task_state = task_state
            WorkflowState.objects.filter(pk__in=[state.pk for state in states]).update(
                current_task_state_id=Subquery(
                    TaskState.objects.filter(workflow_state=OuterRef("pk"))
                    .order_by("-pk")
                    .values("pk")[:1]
                )
            )
        for page, revision, state in zip(pages, revisions, states, strict=True):
            next_task = {"id": task.id, "title": task.name} if task else None
            data = {
                "workflow": {
                    "id": workflow.id,
                    "title": workflow.name,
                    "status": state.status,
                    "next": next_task,
                    "task_state_id": state.current_task_state_id,
                }
            }
            logs.append(
                PageLogEntry(
                    action="wagtail.workflow.start",
                    content_type=app_type,
                    label=page.title,
                    page_id=page.pk,
                    revision=revision,
                    data=data,
                    content_changed=False,
                    timestamp=now,
                )
            )
    PageLogEntry.objects.bulk_create(logs)
    index_references(pages, app_type, page_type)

    ids = [page.pk for page in pages]
    transaction.on_commit(lambda: index_for_admin_search(ids), robust=True)
    signals.app_changed.send(sender=AppPage, app_ids=ids)
    return pages


def index_references(pages, app_type, page_type) -> None:
    if not ReferenceIndex.is_indexed(AppPage):
        return
    rows = [
        ReferenceIndex(
            content_type=app_type,
            base_content_type=page_type,
            object_id=str(page.pk),
            to_content_type_id=to_type,
            to_object_id=to_id,
            model_path=model_path,
            content_path=content_path,
            content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
        )
        for page in pages
        for to_type, to_id, model_path, content_path in set(
            ReferenceIndex._extract_references_from_object(page)
        )
    ]
    ReferenceIndex.objects.bulk_create(rows, ignore_conflicts=True)
