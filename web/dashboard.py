"""The parts of the admin dashboard that apps contribute through Wagtail hooks.

cms assembles them (cms/dashboard.py); each app registers its own parts in its
wagtail_hooks.py, in the order given by the hook's ``order``:

- ``EDITOR_QUEUES_HOOK``: ``fn(request) -> list[Queue]``, the editors' moderation queues;
- ``EDITOR_CHARTS_HOOK``: ``fn(request) -> Chart`` (web.charts), the editors' indicators;
- ``PUBLISHER_SECTIONS_HOOK``: ``fn(request) -> PublisherSection``, a part of each
  publisher's block in the publisher space (apps, feeds, reviews awaiting a reply).

Text in them comes from publishers and users: templates print it escaped.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Subquery, Value
from django.db.models.functions import Coalesce

EDITOR_QUEUES_HOOK = "emploistore_editor_queues"
EDITOR_CHARTS_HOOK = "emploistore_editor_charts"
PUBLISHER_SECTIONS_HOOK = "emploistore_publisher_sections"


@dataclass
class Queue:
    """A link to what waits for the editors, with its count (and, maybe, a few of the items)."""

    name: str
    text: str
    url: str
    count: int
    # The attribute that carries the count on the link (tests and scripts read it).
    count_attribute: str = "data-queue-count"
    # A template listing ``items`` under the link, or "".
    items_template: str = ""
    items: list = field(default_factory=list)


@dataclass
class AppColumn:
    """A column a section adds to the publisher space's table of apps.

    ``expression`` is annotated on the apps' own query (a correlated subquery on
    ``OuterRef("pk")``), so a column costs no query of its own.
    """

    name: str
    header: str
    expression: object


class PublisherSection:
    """One part of each publisher's block in the publisher space.

    The assembler makes one query for the user's publishers, annotated with every section's
    ``publisher_annotations()``, then calls ``load()`` once with all of them, then renders
    ``template_name`` for each publisher with ``context(publisher)``.
    """

    template_name = ""

    def __init__(self, request):
        self.request = request

    def publisher_annotations(self) -> dict:
        return {}

    def app_columns(self) -> list[AppColumn]:
        return []

    def load(self, publishers, app_columns: list[AppColumn]) -> None:
        """Fetch what every publisher's part shows (a fixed number of queries)."""

    def context(self, publisher) -> dict:
        return {}


def count_of(queryset, group_by: str):
    """A correlated subquery counting ``queryset``'s rows (0 when there are none), to annotate
    on the query of the rows it is correlated with (``OuterRef`` in ``queryset``)."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1]), Value(0))
