from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from catalogue.models import AppProblemReport, Category, Collection, Publisher


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

from catalogue.sync import wagtail_hooks as sync_hooks  # noqa: E402, F401 (not autodiscovered)
