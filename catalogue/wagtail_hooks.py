"""The catalogue in the Wagtail admin (snippets), and its parts of the pages and dashboard
that are composed by hook: the app page's context, the publisher space's apps, the editors'
queues (apps awaiting validation, problem reports) and chart (apps per universe)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from catalogue import dashboard
from catalogue.admin_views import ApprovalView
from catalogue.app_page import add_app_page_context
from catalogue.models import (
    APP_PAGE_CONTEXT_HOOK,
    AppProblemReport,
    Category,
    Collection,
    Publisher,
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
