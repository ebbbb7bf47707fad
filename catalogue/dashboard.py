"""The catalogue's parts of the admin dashboard (registered in catalogue/wagtail_hooks.py;
cms/dashboard.py assembles them):

- in each publisher's space, its apps and their moderation state (``AppsSection``), with the
  columns other sections add (reviews: how many await a reply);
- for editors, the queues of apps awaiting validation and of visitors' problem reports, and
  the chart of live apps per universe.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, OuterRef, Q
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from wagtail.models import Page, Workflow, WorkflowState

from catalogue.models import AppPage, AppProblemReport, Category
from catalogue.services import WORKFLOW_NAME
from web.charts import Chart, build_chart, listing
from web.dashboard import PublisherSection, Queue, count_of

APPS_SHOWN = 20  # per publisher, most recently changed first; the rest is in the explorer


@dataclass
class AppRow:
    app: AppPage
    edit_url: str
    live: bool
    status_label: str
    column_values: list
    workflow_label: str = ""
    workflow_since: datetime | None = None
    needs_changes: bool = False
    pending_changes: bool = False


def app_row(app: AppPage, state: WorkflowState | None, columns) -> AppRow:
    row = AppRow(
        app=app,
        edit_url=reverse("wagtailadmin_pages:edit", args=[app.pk]),
        live=app.live,
        status_label=gettext("En ligne") if app.live else gettext("Brouillon"),
        column_values=[getattr(app, column.name) for column in columns],
        # A draft always differs from the live version it does not have: only say so of live apps.
        pending_changes=app.live and app.has_unpublished_changes,
    )
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        task_state = state.current_task_state
        row.workflow_label = task_state.task.name if task_state else WORKFLOW_NAME
        row.workflow_since = task_state.started_at if task_state else state.created_at
    elif state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        row.needs_changes = True
    return row


class AppsSection(PublisherSection):
    """A publisher's apps (the most recently changed first) and their moderation state: the
    apps and their workflow states in two queries, whatever the numbers."""

    template_name = "catalogue/admin/publisher_apps.html"

    def publisher_annotations(self) -> dict:
        return {
            "app_count": count_of(AppPage.objects.filter(publisher=OuterRef("pk")), "publisher"),
            "space_page_id": F("page__pk"),
        }

    def load(self, publishers, app_columns) -> None:
        self.columns = app_columns
        self.rows = {publisher.pk: [] for publisher in publishers}
        apps = list(
            AppPage.objects.filter(publisher_id__in=self.rows)
            .annotate(
                position=Window(
                    RowNumber(),
                    partition_by=F("publisher_id"),
                    order_by=[
                        F("latest_revision_created_at").desc(nulls_last=True),
                        F("pk").desc(),
                    ],
                ),
                **{column.name: column.expression for column in app_columns},
            )
            .filter(position__lte=APPS_SHOWN)
            .order_by("publisher_id", "position")
        )
        states = {
            int(state.object_id): state
            for state in WorkflowState.objects.active()
            .filter(
                base_content_type=ContentType.objects.get_for_model(Page),
                object_id__in=[str(app.pk) for app in apps],
            )
            .select_related("current_task_state__task")
        }
        for app in apps:
            self.rows[app.publisher_id].append(app_row(app, states.get(app.pk), app_columns))

    def context(self, publisher) -> dict:
        explore_url = ""
        if publisher.space_page_id:
            explore_url = reverse("wagtailadmin_explore", args=[publisher.space_page_id])
        return {
            "apps": self.rows[publisher.pk],
            "columns": self.columns,
            "apps_shown": APPS_SHOWN,
            "explore_url": explore_url,
        }


# --- Editors' queues and chart -------------------------------------------------------------


def apps_in_moderation_queue(request) -> list[Queue]:
    workflow = (
        Workflow.objects.filter(name=WORKFLOW_NAME)
        .annotate(
            in_progress=Count(
                "workflow_states",
                filter=Q(workflow_states__status=WorkflowState.STATUS_IN_PROGRESS),
            )
        )
        .values("pk", "in_progress")
        .first()
    )
    if workflow is None:
        return []
    count = workflow["in_progress"]
    return [
        Queue(
            name="apps-in-moderation",
            text=ngettext(
                "%(count)d application en attente de validation",
                "%(count)d applications en attente de validation",
                count,
            )
            % {"count": count},
            # The bulk approval view (catalogue.admin_views); Wagtail's workflow report lists
            # the same states, one at a time.
            url=reverse("catalogue_approval"),
            count=count,
        )
    ]


def problem_reports_queue(request) -> list[Queue]:
    if not request.user.has_perm("catalogue.view_appproblemreport"):
        return []
    count = AppProblemReport.objects.filter(status=AppProblemReport.Status.OPEN).count()
    reports = reverse(AppProblemReport.snippet_viewset.get_url_name("list"))
    return [
        Queue(
            name="app-problem-reports",
            text=ngettext(
                "%(count)d signalement d'application à traiter",
                "%(count)d signalements d'applications à traiter",
                count,
            )
            % {"count": count},
            url=f"{reports}?{urlencode({'status': AppProblemReport.Status.OPEN})}",
            count=count,
        )
    ]


def apps_per_universe_chart(request) -> Chart:
    """Live apps counted once per universe (an app in two sub-categories of one counts once)."""
    counts = Category.objects.universe_counts(AppPage.objects.live())
    rows = [
        (universe.name, [counts.get(universe.pk, 0)]) for universe in Category.objects.universes()
    ]

    def unit(count):
        return ngettext("%(count)d application", "%(count)d applications", count) % {"count": count}

    return build_chart(
        "chart-apps-per-universe",
        gettext("Applications en ligne par univers"),
        rows,
        label_header=gettext("Univers"),
        columns=[gettext("Applications en ligne")],
        describe=lambda rows: listing(rows, unit),
    )
