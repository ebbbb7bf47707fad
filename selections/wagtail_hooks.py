"""The selections in the Wagtail admin (editors grant the mediator role and publish ready-made
paths) and in the pages and dashboard composed by hook: the app page's "Ajouter à une
sélection" section, the same action under search results (web.cards), the editors' queue of
role requests and their two charts.

The views live in selections/views.py and selections/dashboard.py; this module only registers
them.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from catalogue.models import APP_PAGE_CONTEXT_HOOK
from selections import dashboard, views
from selections.models import Mediator, ReadyMadePath
from web.cards import APP_CARD_ACTIONS_HOOK
from web.dashboard import EDITOR_CHARTS_HOOK, EDITOR_QUEUES_HOOK


class MediatorViewSet(SnippetViewSet):
    """Editors grant the role (status "Médiateur"), withdraw it, answer requests."""

    model = Mediator
    icon = "user"
    menu_label = _("Médiateurs")
    list_display = ["user", "organisation", "status", "source", "created_at"]
    list_filter = ["status", "source"]
    search_fields = ["organisation", "user__username", "user__email"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Mediator.objects.select_related("user")


class ReadyMadePathViewSet(SnippetViewSet):
    """Editors' ready-made paths: a title, a message, apps in order with a note each."""

    model = ReadyMadePath
    icon = "list-ol"
    menu_label = _("Parcours tout prêts")
    list_display = ["title", "is_published", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["title"]


class SelectionsViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Médiation")
    menu_icon = "group"
    menu_order = 220
    items = (MediatorViewSet, ReadyMadePathViewSet)


register_snippet(SelectionsViewSetGroup)

# After the reviews: the app page's last section, for mediators only.
hooks.register(APP_PAGE_CONTEXT_HOOK, views.add_selection_section, order=50)
hooks.register(APP_CARD_ACTIONS_HOOK, views.card_action)
hooks.register(EDITOR_QUEUES_HOOK, dashboard.mediator_requests_queue, order=50)
hooks.register(EDITOR_CHARTS_HOOK, dashboard.recommended_apps_chart, order=40)
hooks.register(EDITOR_CHARTS_HOOK, dashboard.copied_paths_chart, order=50)
