"""Writes that span several models: the catalogue's structure, editors, each publisher's
space, favourites, and what an account's deletion and the retention periods ask of the
catalogue.

The structure functions are idempotent: they create what is missing and leave the rest
alone, so they run after every `migrate` (and after a test database flush) without side
effects. The home page they hang the catalogue under is cms's (cms.services, which runs first).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, Exists, F, OuterRef, When
from django.db.models.functions import Cast
from django.utils.text import slugify
from wagtail.models import (
    Collection as MediaCollection,
)
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from catalogue import approval, signals
from catalogue.models import (
    AppPage,
    AppProblemReport,
    Audience,
    CatalogueIndexPage,
    Category,
    Collection,
    Favourite,
    Language,
    Publisher,
    PublisherPage,
)
from catalogue.permissions import EDITORS_GROUP
from catalogue.universes import load_reference_data

WORKFLOW_NAME = "Validation éditoriale"
REVIEW_TASK_NAME = "Relecture par l'équipe éditoriale"
CATALOGUE_SLUG = "applications"

EDITOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
]
# Members write drafts; publishing goes through the editors' workflow.
MEMBER_PAGE_PERMISSIONS = ["add_page", "change_page"]
IMAGE_PERMISSIONS = ["add_image", "change_image", "choose_image"]


@transaction.atomic
def ensure_store_structure() -> CatalogueIndexPage:
    """The catalogue under the site's home page, editors and their workflow."""
    load_reference_data(Category, Audience, Language)

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise ImproperlyConfigured(
            "Aucun site par défaut : `manage.py migrate` crée la page d'accueil (cms) d'abord."
        )
    home = site.root_page

    catalogue = CatalogueIndexPage.objects.first()
    if catalogue is None:
        catalogue = home.add_child(
            instance=CatalogueIndexPage(
                title="Applications",
                slug=CATALOGUE_SLUG,
                intro="Tous les services du catalogue, par univers.",
            )
        )

    editors = ensure_editors_group(home)
    ensure_editorial_workflow(catalogue, editors)
    return catalogue


def ensure_editors_group(home: Page) -> Group:
    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    editors.permissions.add(
        *permissions("wagtailadmin", "access_admin"),
        *model_permissions(Publisher, Category, Collection),
        # Visitors' reports on apps: read, resolve, delete (they are never written by hand).
        *permissions(
            "catalogue",
            "view_appproblemreport",
            "change_appproblemreport",
            "delete_appproblemreport",
        ),
    )
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=editors, page=home, permission=page_permission(codename)
        )
    root_collection = MediaCollection.get_first_root_node()
    for permission in [
        *permissions("wagtailimages", *IMAGE_PERMISSIONS, "delete_image"),
        *permissions("wagtaildocs", "add_document", "change_document", "choose_document"),
    ]:
        GroupCollectionPermission.objects.get_or_create(
            group=editors, collection=root_collection, permission=permission
        )
    return editors


def ensure_editorial_workflow(catalogue: CatalogueIndexPage, editors: Group) -> Workflow:
    """Publisher members submit; an editor approves (publishes) or requests changes."""
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK_NAME)
        task.groups.set([editors])
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=catalogue, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def ensure_publisher_space(publisher: Publisher) -> PublisherPage:
    """The publisher's page (parent of its apps), its members' group and their permissions."""
    catalogue = CatalogueIndexPage.objects.first() or ensure_store_structure()

    page = PublisherPage.objects.filter(publisher=publisher).first()
    if page is None:
        page = catalogue.add_child(
            instance=PublisherPage(
                title=publisher.name,
                slug=unique_child_slug(catalogue, publisher.slug),
                publisher=publisher,
            )
        )
        page.save_revision().publish()
    elif page.title != publisher.name:
        page.title = page.draft_title = publisher.name
        page.save_revision().publish()

    group = publisher.group
    if group is None:
        # Always a new group, linked by key: a group found by its name could be a deleted
        # publisher's, with its members (they would inherit this publisher's rights).
        group = Group.objects.create(name=free_group_name(publisher))
        Publisher.objects.filter(pk=publisher.pk).update(group=group)
        publisher.group = group
    elif not group.name.startswith(group_name_of(publisher)):
        group.name = free_group_name(publisher)
        group.save(update_fields=["name"])

    group.permissions.add(*permissions("wagtailadmin", "access_admin"))
    for codename in MEMBER_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=page_permission(codename)
        )

    media = ensure_media_collection(publisher)
    for permission in permissions("wagtailimages", *IMAGE_PERMISSIONS):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=media, permission=permission
        )
    return page


def group_name_of(publisher: Publisher) -> str:
    return f"Éditeur : {publisher.name}"[:140]


def free_group_name(publisher: Publisher) -> str:
    """The publisher's group name, numbered when a stray group already has it."""
    base = group_name_of(publisher)
    name, counter = base, 2
    while Group.objects.filter(name=name).exclude(pk=publisher.group_id).exists():
        name, counter = f"{base} ({counter})", counter + 1
    return name


def ensure_media_collection(publisher: Publisher) -> MediaCollection:
    """The publisher's own folder of images, the only one its members may add to."""
    root = MediaCollection.get_first_root_node()
    name = f"Éditeur : {publisher.name}"[:255]
    # The folder the group already has, renamed with the publisher, else a new one (never one
    # found by name: it could be a deleted publisher's, with its images).
    existing = (
        publisher.group_id
        and root.get_children()
        .filter(group_permissions__group_id=publisher.group_id)
        .order_by("path")
        .first()
    ) or None
    if existing is None:
        return root.add_child(instance=MediaCollection(name=name))
    if existing.name != name:
        existing.name = name
        existing.save(update_fields=["name"])
    return existing


def add_member(publisher: Publisher, user) -> None:
    ensure_publisher_space(publisher)
    publisher.refresh_from_db(fields=["group"])
    user.groups.add(publisher.group)


def unique_child_slug(parent: Page, wanted: str) -> str:
    base = slugify(wanted) or "editeur"
    slug, counter = base, 2
    while parent.get_children().filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def page_permission(codename: str) -> Permission:
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(Page), codename=codename
    )


def permissions(app_label: str, *codenames: str) -> list[Permission]:
    found = list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )
    missing = set(codenames) - {permission.codename for permission in found}
    if missing:
        raise LookupError(f"permissions missing in {app_label}: {', '.join(sorted(missing))}")
    return found


def model_permissions(*models) -> list[Permission]:
    content_types = ContentType.objects.get_for_models(*models).values()
    return list(Permission.objects.filter(content_type__in=content_types))


# --- Favourites (the API's /me/favourites/ and the app page's toggle) ----------------------


def add_favourite(user, app: AppPage) -> bool:
    """Add the app to the user's favourites and one to its popularity, once.

    True when it was added, False when it already was a favourite (a retry or a concurrent
    request). When it was, ``app_counters_changed`` tells the search (it sorts by popularity).
    """
    try:
        with transaction.atomic():
            Favourite.objects.create(user=user, app=app)
            AppPage.objects.filter(pk=app.pk).update(popularity=F("popularity") + 1)
    except IntegrityError:
        return False
    signals.app_counters_changed.send(sender=Favourite, app_ids=[app.pk])
    signals.favourites_changed.send(sender=Favourite, app_ids=[app.pk], added=True)
    return True


def remove_favourite(user, app_id: int) -> bool:
    """Remove the app from the user's favourites and one from its popularity (never below 0).

    True when a favourite was removed. Two concurrent removals delete the row once: the
    second DELETE waits for the first and then finds nothing, so popularity moves once (and
    ``app_counters_changed`` is sent once).
    """
    with transaction.atomic():
        deleted, _by_model = Favourite.objects.filter(user=user, app_id=app_id).delete()
        if deleted:
            AppPage.objects.filter(pk=app_id).update(
                popularity=Case(When(popularity__gt=0, then=F("popularity") - 1), default=0)
            )
            signals.app_counters_changed.send(sender=Favourite, app_ids=[app_id])
            signals.favourites_changed.send(sender=Favourite, app_ids=[app_id], added=False)
    return bool(deleted)


def remove_all_favourites(user) -> list[int]:
    """All of a user's favourites (their account is being deleted): each app's popularity − 1,
    never below 0, as ``remove_favourite`` does one by one; returns the apps' ids.

    The rows are locked first, so a concurrent removal of one of them moves its app once.
    """
    with transaction.atomic():
        rows = list(
            Favourite.objects.select_for_update()
            .filter(user=user)
            .order_by("pk")
            .values_list("pk", "app_id")
        )
        if not rows:
            return []
        Favourite.objects.filter(pk__in=[pk for pk, _app in rows]).delete()
        app_ids = sorted({app_id for _pk, app_id in rows})
        AppPage.objects.filter(pk__in=app_ids).update(
            popularity=Case(When(popularity__gt=0, then=F("popularity") - 1), default=0)
        )
        signals.app_counters_changed.send(sender=Favourite, app_ids=app_ids)
        signals.favourites_changed.send(sender=Favourite, app_ids=app_ids, added=False)
    return app_ids


# --- Publishers' members ---------------------------------------------------------------------


def publishers_only_member_of(user) -> list[Publisher]:
    """The publishers this user is the last active member of: deleting the account would leave
    them without anyone to answer reviews or keep their apps, so someone must be added first.

    (There is no "administrator" role among a publisher's members yet: every member counts.)
    """
    others = (
        get_user_model()
        .objects.filter(groups=OuterRef("group"), is_active=True)
        .exclude(pk=user.pk)
    )
    return list(
        Publisher.objects.filter(group__in=user.groups.all())
        .annotate(has_others=Exists(others))
        .filter(has_others=False)
        .order_by("name")
    )


# --- Retention -------------------------------------------------------------------------------


def purge_problem_report_emails(before) -> int:
    """Forget the e-mail addresses left on problem reports made before ``before``; the reports
    stay. Returns how many addresses were erased."""
    return AppProblemReport.objects.filter(created_at__lt=before).exclude(email="").update(email="")


# --- Approving drafts in bulk ----------------------------------------------------------------


def apps_awaiting_approval():
    """Apps whose latest revision waits for the editors in the catalogue's workflow."""
    in_workflow = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        base_content_type=ContentType.objects.get_for_model(Page),
        workflow__name=WORKFLOW_NAME,
        object_id=Cast(OuterRef("pk"), CharField()),
    )
    return AppPage.objects.filter(Exists(in_workflow))


def approve_apps(app_ids, user) -> int:
    """Approve (so publish) these apps' pending revisions for an editor, as the workflow's own
    "Approve" does, APPROVE_BATCH per transaction: one that cannot be approved (its state moved
    meanwhile, the user may not publish it) is skipped. Returns how many were approved. Who may
    use the action is the caller's check."""
    states = (
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(pk) for pk in app_ids],
            workflow__name=WORKFLOW_NAME,
        )
        .select_related("current_task_state__task", "workflow")
        .order_by("pk")
    )
    approved = 0
    states = list(states)
    # A batch per transaction (one commit for many, not one each): the drafts whose row holds
    # their revision in a few queries (catalogue.approval), the others one by one, each in
    # its own savepoint, so one refused leaves the others. The batch's apps are reindexed once.
    for start in range(0, len(states), APPROVE_BATCH):
        with transaction.atomic(), signals.collect_app_changes():
            fast, slow = approval.split(states[start : start + APPROVE_BATCH], user)
            approved += approval.approve_in_bulk(fast, user)
            for state in slow:
                task_state = state.current_task_state
                if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
                    continue
                try:
                    with transaction.atomic():
                        task_state.task.specific.on_action(task_state, user, "approve")
                except (PermissionDenied, IntegrityError, ValidationError):
                    continue
                approved += 1
    return approved


APPROVE_BATCH = 200
