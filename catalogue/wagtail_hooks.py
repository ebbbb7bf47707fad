from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from catalogue.models import Category, Collection, Publisher


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


class CatalogueViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Catalogue")
    menu_icon = "folder-inverse"
    menu_order = 200
    items = (PublisherViewSet, CategoryViewSet, CollectionViewSet)


register_snippet(CatalogueViewSetGroup)

from catalogue.sync import wagtail_hooks as sync_hooks  # noqa: E402, F401 (not autodiscovered)
