"""What the notifications follow without anyone calling them: Wagtail's moderation workflow
(drafts submitted, approved, sent back), visitors' problem reports, and new versions of apps
people keep in their favourites. Connected once in NotificationsConfig.ready()."""

from django.db.models.signals import post_save, pre_save
from django.urls import reverse
from wagtail.signals import workflow_approved, workflow_rejected, workflow_submitted

from catalogue.models import AppListing, AppPage, AppProblemReport
from catalogue.notifications import recipients
from catalogue.notifications.services import notify
from catalogue.signals import batch_memo


def app_of(workflow_state) -> AppPage | None:
    page = workflow_state.content_object
    page = getattr(page, "specific", page)
    return page if isinstance(page, AppPage) else None


def edit_url(app) -> str:
    return reverse("wagtailadmin_pages:edit", args=[app.pk])


def draft_submitted(sender, instance, user=None, **kwargs):
    app = app_of(instance)
    if app is not None:
        notify(
            recipients.editors(), "draft_submitted", params={"app": app.title}, url=edit_url(app)
        )


def members_of(publisher_id: int):
    """The publisher's members, looked up once per batch (a bulk approval sends one
    workflow_approved per app, many of the same publisher)."""
    memo = batch_memo()
    if memo is None:
        return recipients.members_of(publisher_id)
    key = ("publisher_members", publisher_id)
    if key not in memo:
        memo[key] = list(recipients.members_of(publisher_id))
    return memo[key]


def draft_approved(sender, instance, user=None, **kwargs):
    app = app_of(instance)
    if app is not None and app.publisher_id:
        notify(
            members_of(app.publisher_id),
            "draft_approved",
            params={"app": app.title},
            url=edit_url(app),
        )


def draft_sent_back(sender, instance, user=None, **kwargs):
    app = app_of(instance)
    if app is None or not app.publisher_id:
        return
    task_state = instance.current_task_state
    notify(
        recipients.members_of(app.publisher_id),
        "draft_sent_back",
        params={"app": app.title, "comment": task_state.comment if task_state else ""},
        url=edit_url(app),
    )


def problem_reported(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    app = AppPage.objects.filter(pk=instance.app_id).only("pk", "title", "publisher_id").first()
    if app is None or not app.publisher_id:
        return
    notify(
        recipients.members_of(app.publisher_id),
        "problem_report",
        params={"app": app.title, "reason": instance.reason},
        url=edit_url(app),
    )


def remember_version(sender, instance, raw=False, **kwargs):
    """The listing's version before this save (to tell a new version from a mere save)."""
    if raw or instance.pk is None:
        instance._version_before = None
        return
    instance._version_before = (
        AppListing.objects.filter(pk=instance.pk).values_list("version", flat=True).first()
    )


def new_version(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_version_before", None)
    if raw or created or not instance.version or before in (None, instance.version):
        return
    app = AppPage.objects.filter(pk=instance.page_id, live=True).only("pk", "title", "slug").first()
    if app is None:
        return
    notify(
        recipients.favourites_of(app.pk),
        "favourite_update",
        params={"app": app.title, "version": instance.version},
        url=reverse("app_by_slug", args=[app.slug]) if app.slug else "",
    )


def connect():
    workflow_submitted.connect(draft_submitted, dispatch_uid="notifications.draft_submitted")
    workflow_approved.connect(draft_approved, dispatch_uid="notifications.draft_approved")
    workflow_rejected.connect(draft_sent_back, dispatch_uid="notifications.draft_sent_back")
    post_save.connect(
        problem_reported, sender=AppProblemReport, dispatch_uid="notifications.problem_reported"
    )
    pre_save.connect(
        remember_version, sender=AppListing, dispatch_uid="notifications.remember_version"
    )
    post_save.connect(new_version, sender=AppListing, dispatch_uid="notifications.new_version")
