"""The catalogue in the Wagtail admin (snippets), and its parts of the pages and dashboard
that are composed by hook: the app page's context, the publisher space's apps, the editors'
queues (apps awaiting validation, problem reports) and chart (apps per universe)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import router
from django.db.models.deletion import Collector, ProtectedError
from django.shortcuts import redirect
from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from catalogue import dashboard, permissions
from catalogue.admin_views import ApprovalView
from catalogue.app_page import add_app_page_context
from catalogue.models import (
    APP_PAGE_CONTEXT_HOOK,
    AppPage,
    AppProblemReport,
    Category,
    Collection,
    Publisher,
    PublisherPage,
)
from web.dashboard import EDITOR_CHARTS_HOOK, EDITOR_QUEUES_HOOK, PUBLISHER_SECTIONS_HOOK


class PublisherViewSet(SnippetViewSet):
    model = Publisher
    icon = "group"
    list_display = ["name", "kind", "verified", "created_at"]
    list_filter = ["kind", "verified"]
    search_fields = ["name", "slug"]


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    list_display = ["name", "parent", "slug", "sort_order"]
    list_filter = ["parent"]
    search_fields = ["name", "slug"]


class CollectionViewSet(SnippetViewSet):
    model = Collection
    icon = "list-ul"
    list_display = ["name", "featured", "sort_order"]
    list_filter = ["featured"]
    search_fields = ["name"]


class AppProblemReportViewSet(SnippetViewSet):
    """Visitors' reports: editors read them and mark them resolved (never create or copy)."""

    model = AppProblemReport
    icon = "warning"
    menu_label = _("Signalements")
    list_display = ["app", "reason", "message_excerpt", "status", "created_at"]
    list_filter = ["status", "reason"]
    search_fields = ["message", "email"]
    ordering = ["-created_at", "-pk"]
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_queryset(self, request):
        return AppProblemReport.objects.select_related("app")


class CatalogueViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Catalogue")
    menu_icon = "folder-inverse"
    menu_order = 200
    items = (PublisherViewSet, CategoryViewSet, CollectionViewSet, AppProblemReportViewSet)


register_snippet(CatalogueViewSetGroup)

# The catalogue's part of the app page comes first: other apps' sections build on it.
hooks.register(APP_PAGE_CONTEXT_HOOK, add_app_page_context, order=-100)


@hooks.register("register_admin_urls")
def approval_urls():
    return [path("catalogue/validation/", ApprovalView.as_view(), name="catalogue_approval")]


hooks.register(PUBLISHER_SECTIONS_HOOK, dashboard.AppsSection, order=10)
hooks.register(EDITOR_QUEUES_HOOK, dashboard.apps_in_moderation_queue, order=10)
hooks.register(EDITOR_QUEUES_HOOK, dashboard.problem_reports_queue, order=30)
hooks.register(EDITOR_CHARTS_HOOK, dashboard.apps_per_universe_chart, order=10)


# --- Deleting pages --------------------------------------------------------------------------


def protected_by(pages) -> list[str]:
    """What forbids deleting these pages (and their descendants): « 3 avis »…, else []."""
    targets = list(pages)
    for page in pages:
        targets += list(page.get_descendants())
    collector = Collector(using=router.db_for_write(Page))
    try:
        collector.collect(targets)
    except ProtectedError as error:
        counts: dict[str, int] = {}
        for record in error.protected_objects:
            name = str(record._meta.verbose_name_plural)
            counts[name] = counts.get(name, 0) + 1
        return [f"{count} {name}" for name, count in sorted(counts.items())]
    return []


def deletion_refusal(user, pages) -> str | None:
    """Why this user may not delete these pages, or None."""
    if any(isinstance(page, AppPage | PublisherPage) for page in pages) and not (
        permissions.is_editor(user)
    ):
        raise PermissionDenied
    if blocking := protected_by(pages):
        return gettext_now(
            "Suppression impossible : des données des visiteurs y sont rattachées (%(what)s). "
            "Dépubliez plutôt la page : elle quitte le site, et ces données sont conservées."
        ) % {"what": ", ".join(blocking)}
    return None


@hooks.register("before_delete_page")
def refuse_destructive_page_deletion(request, page):
    """Members never delete catalogue pages (EditorsDeleteTester already hides the action;
    a crafted POST ends here too); nobody deletes a page visitors' reviews hang on."""
    if message := deletion_refusal(request.user, [page.specific_deferred]):
        messages.error(request, capfirst(message))
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_bulk_action")
def refuse_destructive_bulk_deletion(request, action_type, objects, action_class_instance):
    if action_type != "delete" or not objects or not isinstance(objects[0], Page):
        return None
    if message := deletion_refusal(request.user, [page.specific_deferred for page in objects]):
        messages.error(request, capfirst(message))
        return redirect("wagtailadmin_explore", objects[0].get_parent().pk)
    return None
