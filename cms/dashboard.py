"""The admin dashboard (Wagtail's home page): it assembles the parts apps register by hook.

- **Publisher members** get their publisher space: for each of their publishers, one panel
  made of the registered sections (web.dashboard.PUBLISHER_SECTIONS_HOOK: the catalogue's
  apps, the sync's feeds, the reviews awaiting a reply).
- **Editors** (catalogue.permissions.is_editor) get the registered queues and charts
  (EDITOR_QUEUES_HOOK, EDITOR_CHARTS_HOOK).
- Anyone else gets nothing more than Wagtail's own panels.

A user may be both a member and an editor: they get both. The publisher space costs one
query for the publishers (annotated with what every section asks for), then each section's
own fixed number: nothing grows with the size of the catalogue (pinned by tests).
"""

from dataclasses import dataclass, field

from wagtail import hooks
from wagtail.admin.ui.components import Component

from catalogue.models import Publisher
from catalogue.permissions import is_editor, publishers_of
from web.dashboard import EDITOR_CHARTS_HOOK, EDITOR_QUEUES_HOOK, PUBLISHER_SECTIONS_HOOK


def panels_for(request) -> list[Component]:
    """The dashboard panels of this user (none for someone neither member nor editor)."""
    panels: list[Component] = []
    if publishers_of(request.user):
        panels.append(PublisherSpacePanel(request))
    if is_editor(request.user):
        panels.append(EditorDashboardPanel(request))
    return panels


# --- Publisher space -----------------------------------------------------------------------


@dataclass
class Part:
    template_name: str
    context: dict


@dataclass
class PublisherBlock:
    publisher: Publisher
    parts: list[Part] = field(default_factory=list)


def publisher_space(request) -> list[PublisherBlock]:
    """One block per publisher of the user, each made of every registered section's part."""
    ids = publishers_of(request.user)
    if not ids:
        return []
    sections = [section(request) for section in hooks.get_hooks(PUBLISHER_SECTIONS_HOOK)]
    annotations = {}
    for section in sections:
        annotations.update(section.publisher_annotations())
    publishers = list(
        Publisher.objects.filter(pk__in=ids).annotate(**annotations).order_by("name", "pk")
    )
    if not publishers:
        return []
    columns = [column for section in sections for column in section.app_columns()]
    for section in sections:
        section.load(publishers, columns)
    return [
        PublisherBlock(
            publisher=publisher,
            parts=[Part(section.template_name, section.context(publisher)) for section in sections],
        )
        for publisher in publishers
    ]


class PublisherSpacePanel(Component):
    name = "publisher_space"
    template_name = "cms/admin/publisher_space.html"
    order = 80  # first: the day's work of a publisher member

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        return {
            "blocks": publisher_space(self.request),
            "csrf_token": parent_context["csrf_token"],
            "request": self.request,
        }


# --- Editors' dashboard --------------------------------------------------------------------


def editor_queues(request) -> list:
    return [queue for queues in hooks.get_hooks(EDITOR_QUEUES_HOOK) for queue in queues(request)]


def editor_charts(request) -> list:
    return [chart(request) for chart in hooks.get_hooks(EDITOR_CHARTS_HOOK)]


class EditorDashboardPanel(Component):
    name = "editor_dashboard"
    template_name = "cms/admin/editor_dashboard.html"
    order = 85  # before Wagtail's own panels (pages to moderate: 220)

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        return {
            "queues": editor_queues(self.request),
            "charts": editor_charts(self.request),
            "request": self.request,
        }
