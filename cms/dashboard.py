"""The admin dashboard (Wagtail's home page): what waits for each person, and how things go.

- **Publisher members** get their publisher space: for each of their publishers, its apps and
  their moderation state, its feeds with their last run and a Sync now button, and the reviews
  awaiting a reply.
- **Editors** (``reviews.services.is_moderator``: the Editors group, moderators, superusers)
  get three charts (apps per universe, reviews per week, sync health per publisher) drawn on
  the server as SVG, each with its data table, and their moderation queues.
- Anyone else gets nothing more than Wagtail's own panels.

A user may be both a member and an editor: they get both. Each panel costs a fixed number of
queries, whatever the size of the catalogue (pinned by tests). Names of apps, feeds,
publishers and review text come from publishers and users: the templates escape them.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.expressions import Window
from django.db.models.functions import Coalesce, RowNumber, TruncWeek
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Workflow, WorkflowState

from catalogue.models import AppPage, AppProblemReport, Category, Publisher
from catalogue.services import WORKFLOW_NAME
from catalogue.sync.admin_views import FEEDS, STATUS_LABELS, can_sync
from catalogue.sync.models import Feed, SyncRun
from reviews import services as review_services
from reviews.admin_views import publisher_ids
from reviews.models import Review

APPS_SHOWN = 20  # per publisher, most recently changed first; the rest is in the explorer
REVIEWS_SHOWN = 5  # awaiting a reply, per publisher, newest first
WEEKS = 12  # reviews per week: this week and the eleven before it
FAILED_RUNS_DAYS = 7
FAILED_RUNS_SHOWN = 5
RUN_COUNTERS = SyncRun.COUNTERS
NEVER = "never"
HEALTH = (
    SyncRun.Status.DONE,
    SyncRun.Status.DONE_WITH_ERRORS,
    SyncRun.Status.FAILED,
    NEVER,
)


def panels_for(request) -> list[Component]:
    """The dashboard panels of this user (none for someone neither member nor editor)."""
    panels: list[Component] = []
    members_of = publisher_ids(request)  # looked up once per request, shared with the menus
    if members_of:
        panels.append(PublisherSpacePanel(request, members_of))
    if is_editor(request.user):
        panels.append(EditorDashboardPanel(request))
    return panels


def is_editor(user) -> bool:
    return review_services.is_moderator(user)


def count_of(queryset, group_by: str):
    """A correlated subquery counting ``queryset``'s rows (0 when there are none)."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1]), Value(0))


def awaiting_reply_reviews():
    return Review.objects.published().filter(reply__isnull=True)


def with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


# --- Publisher space -----------------------------------------------------------------------


@dataclass
class AppRow:
    app: AppPage
    edit_url: str
    live: bool
    status_label: str
    workflow_label: str = ""
    workflow_since: datetime | None = None
    needs_changes: bool = False
    pending_changes: bool = False


@dataclass
class FeedRow:
    feed: Feed
    run: SyncRun | None
    runs_url: str
    sync_url: str
    can_sync: bool
    status_label: str = ""
    counters: list = field(default_factory=list)


@dataclass
class PublisherBlock:
    publisher: Publisher
    apps: list = field(default_factory=list)
    feeds: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    explore_url: str = ""
    awaiting_reply_text: str = ""


def app_row(app: AppPage, state: WorkflowState | None) -> AppRow:
    row = AppRow(
        app=app,
        edit_url=reverse("wagtailadmin_pages:edit", args=[app.pk]),
        live=app.live,
        status_label=gettext("En ligne") if app.live else gettext("Brouillon"),
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


def feed_row(user, feed: Feed, run: SyncRun | None) -> FeedRow:
    row = FeedRow(
        feed=feed,
        run=run,
        runs_url=reverse(f"{FEEDS}:runs", args=[feed.pk]),
        sync_url=reverse(f"{FEEDS}:sync", args=[feed.pk]),
        can_sync=can_sync(user, feed),
    )
    if run is None:
        row.status_label = gettext("Jamais")
    else:
        row.status_label = str(STATUS_LABELS.get(run.status, run.status))
        fields = SyncRun._meta
        row.counters = [
            (fields.get_field(name).verbose_name, getattr(run, name)) for name in RUN_COUNTERS
        ]
    return row


def publisher_space(request, ids) -> list[PublisherBlock]:
    """Everything the publisher space shows, in seven queries whatever the numbers.

    (Six of its own, plus the sync admin's look-up of the user's publishers, which decides who
    may press Sync now and is made once per request.)
    """
    user = request.user
    publishers = (
        Publisher.objects.filter(pk__in=ids)
        .annotate(
            app_count=count_of(AppPage.objects.filter(publisher=OuterRef("pk")), "publisher"),
            awaiting_reply=count_of(
                awaiting_reply_reviews().filter(app__publisher=OuterRef("pk")), "app__publisher"
            ),
            space_page_id=F("page__pk"),
        )
        .order_by("name", "pk")
    )
    blocks = {publisher.pk: PublisherBlock(publisher=publisher) for publisher in publishers}
    if not blocks:
        return []

    apps = list(
        AppPage.objects.filter(publisher_id__in=blocks)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=F("publisher_id"),
                order_by=[F("latest_revision_created_at").desc(nulls_last=True), F("pk").desc()],
            ),
            awaiting_reply=count_of(awaiting_reply_reviews().filter(app=OuterRef("pk")), "app"),
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
        blocks[app.publisher_id].apps.append(app_row(app, states.get(app.pk)))

    feeds = list(
        Feed.objects.filter(publisher_id__in=blocks)
        .annotate(last_run_id=Subquery(last_run(real_only=True).values("pk")[:1]))
        .order_by("name", "pk")
    )
    runs = SyncRun.objects.defer("message", "errors", "warnings", "changes").in_bulk(
        [feed.last_run_id for feed in feeds if feed.last_run_id]
    )
    for feed in feeds:
        blocks[feed.publisher_id].feeds.append(feed_row(user, feed, runs.get(feed.last_run_id)))

    reviews = (
        awaiting_reply_reviews()
        .filter(app__publisher_id__in=blocks)
        .annotate(
            publisher_id=F("app__publisher_id"),
            position=Window(
                RowNumber(),
                partition_by=F("app__publisher_id"),
                order_by=[F("created_at").desc(), F("pk").desc()],
            ),
        )
        .filter(position__lte=REVIEWS_SHOWN)
        .select_related("app", "author")
        .order_by("publisher_id", "position")
    )
    home = reverse("wagtailadmin_home")
    for review in reviews:
        review.reply_url = with_next(reverse("reviews_publisher:reply", args=[review.pk]), home)
        review.author_name = review.author.get_full_name().strip() or review.author.get_username()
        blocks[review.publisher_id].reviews.append(review)

    for block in blocks.values():
        publisher = block.publisher
        if publisher.space_page_id:
            block.explore_url = reverse("wagtailadmin_explore", args=[publisher.space_page_id])
        count = publisher.awaiting_reply
        block.awaiting_reply_text = ngettext(
            "%(count)d avis sans réponse", "%(count)d avis sans réponse", count
        ) % {"count": count}
    return list(blocks.values())


def last_run(*, real_only: bool, finished_only: bool = False):
    """The feed's runs, newest first (correlated on the outer feed)."""
    runs = SyncRun.objects.filter(feed=OuterRef("pk"))
    if real_only:
        # A preview is not a sync: it would hide the state of the feed's real runs.
        runs = runs.filter(dry_run=False)
    if finished_only:
        runs = runs.exclude(status=SyncRun.Status.RUNNING)
    return runs.order_by("-started_at", "-pk")


class PublisherSpacePanel(Component):
    name = "publisher_space"
    template_name = "cms/admin/publisher_space.html"
    order = 80  # first: the day's work of a publisher member

    def __init__(self, request, ids):
        self.request = request
        self.ids = ids

    def get_context_data(self, parent_context):
        return {
            "blocks": publisher_space(self.request, self.ids),
            "apps_shown": APPS_SHOWN,
            "reviews_index_url": reverse("reviews_publisher:index"),
            "feeds_index_url": reverse(f"{FEEDS}:index"),
            "csrf_token": parent_context["csrf_token"],
            "request": self.request,
        }


# --- Charts --------------------------------------------------------------------------------

# Geometry of the horizontal bar charts (SVG user units; the SVG scales to its box).
CHART_WIDTH = 640
LABEL_WIDTH = 220
VALUE_WIDTH = 56
BAR_AREA = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH - 12
ROW_HEIGHT = 28
BAR_HEIGHT = 18
CHART_PADDING = 8
LABEL_CHARS = 30

# Each status of the sync health chart: a colour AND a pattern (see the template), and a
# name in the legend and the table, so colour never carries the meaning alone. The colours
# are the DSFR's "425" tones: at least 4.5:1 against white.
HEALTH_STYLES = {
    SyncRun.Status.DONE: {"colour": "#18753c", "pattern": "solid"},
    SyncRun.Status.DONE_WITH_ERRORS: {"colour": "#b34000", "pattern": "stripes"},
    SyncRun.Status.FAILED: {"colour": "#ce0500", "pattern": "crosses"},
    NEVER: {"colour": "#666666", "pattern": "dots"},
}


@dataclass
class Chart:
    """A horizontal bar chart and the table of the same numbers."""

    id: str
    title: str
    description: str
    label_header: str  # header of the table's first column
    columns: list  # headers of the table's value columns
    rows: list  # {"label", "short_label", "values": [...], "total", "y", "segments": [...]}
    series: list = field(default_factory=list)  # stacked charts: the legend
    height: int = 0
    label_width: int = LABEL_WIDTH
    bar_x: int = LABEL_WIDTH
    bar_area: int = BAR_AREA
    width: int = CHART_WIDTH
    row_height: int = ROW_HEIGHT
    bar_height: int = BAR_HEIGHT
    empty: bool = False


def build_chart(chart_id, title, rows, *, label_header, columns, series=None, describe) -> Chart:
    """Lay out the bars of ``rows`` (label, [value per series]) and describe them in words."""
    series = [
        {**serie, "fill": serie_fill(chart_id, serie)}
        for serie in series or [{"key": "value", "label": columns[0], "pattern": "bar"}]
    ]
    totals = [sum(values) for _label, values in rows]
    top = max(totals, default=0)
    laid_out = []
    for index, ((label, values), total) in enumerate(zip(rows, totals, strict=True)):
        y = CHART_PADDING + index * ROW_HEIGHT
        x = float(LABEL_WIDTH)
        segments = []
        for serie, value in zip(series, values, strict=True):
            width = (value / top) * BAR_AREA if top else 0
            if value and width < 2:
                width = 2  # a non-zero value stays visible
            if value:
                segments.append(
                    {**serie, "x": round(x, 2), "width": round(width, 2), "value": value}
                )
            x += width
        laid_out.append(
            {
                "label": label,
                "short_label": Truncator(label).chars(LABEL_CHARS),
                "values": values,
                "total": total,
                "y": y,
                "text_y": y + BAR_HEIGHT / 2,
                "segments": segments,
                "value_x": round(x + 6, 2),
            }
        )
    return Chart(
        id=chart_id,
        title=title,
        description=describe(rows),
        label_header=label_header,
        columns=columns,
        rows=laid_out,
        series=series if len(series) > 1 else [],
        height=CHART_PADDING * 2 + max(len(rows), 1) * ROW_HEIGHT,
        empty=not rows,
    )


def serie_fill(chart_id: str, serie: dict) -> str:
    """A pattern of the chart's own (ids are unique in the page), a plain colour, or CSS's."""
    if serie["pattern"] == "bar":
        return ""  # the stylesheet colours single-series bars (light and dark themes)
    if serie["pattern"] == "solid":
        return serie["colour"]
    return f"url(#{chart_id}-{serie['key']})"


def listing(rows, unit) -> str:
    """ "Se former : 3 applications ; Trouver un emploi : 1 application" (a chart's desc)."""
    return " ; ".join(f"{label} : {unit(values[0])}" for label, values in rows)


def apps_per_universe_chart() -> Chart:
    """Live apps counted once per universe (an app in two sub-categories of one counts once)."""
    through = AppPage.categories.through
    counts = dict(
        through.objects.filter(apppage__live=True)
        .annotate(universe=Coalesce("category__parent_id", "category_id"))
        .values("universe")
        .annotate(n=Count("apppage_id", distinct=True))
        .values_list("universe", "n")
    )
    rows = [
        (universe.name, [counts.get(universe.pk, 0)])
        for universe in Category.objects.filter(parent=None).order_by("sort_order", "name")
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


def week_start(moment: datetime) -> datetime:
    local = timezone.localtime(moment)
    monday = local - timedelta(days=local.weekday())
    return monday.replace(hour=0, minute=0, second=0, microsecond=0)


def reviews_per_week_chart() -> Chart:
    """Published reviews by the week they were written, this week and the eleven before."""
    first = week_start(timezone.now()) - timedelta(weeks=WEEKS - 1)
    counts = {
        timezone.localtime(week).date(): n
        for week, n in Review.objects.published()
        .filter(created_at__gte=first)
        .annotate(week=TruncWeek("created_at"))
        .order_by()
        .values("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
    }
    rows = []
    for offset in range(WEEKS):
        monday = (first + timedelta(weeks=offset)).date()
        label = gettext("Semaine du %(date)s") % {"date": date_format(monday, "j F Y")}
        rows.append((label, [counts.get(monday, 0)]))

    def unit(count):
        return ngettext("%(count)d avis", "%(count)d avis", count) % {"count": count}

    return build_chart(
        "chart-reviews-per-week",
        gettext("Avis publiés par semaine (12 dernières semaines)"),
        rows,
        label_header=gettext("Semaine"),
        columns=[gettext("Avis publiés")],
        describe=lambda rows: listing(rows, unit),
    )


def sync_health_chart() -> Chart:
    """Per publisher, how many feeds' last finished run was done / with errors / failed / none."""
    per_feed = (
        Feed.objects.annotate(
            health=Coalesce(
                Subquery(last_run(real_only=True, finished_only=True).values("status")[:1]),
                Value(NEVER),
            )
        )
        .order_by()
        .values("publisher_id", "publisher__name", "health")
        .annotate(n=Count("pk"))
    )
    publishers: dict[int, dict] = {}
    for row in per_feed:
        entry = publishers.setdefault(
            row["publisher_id"], {"name": row["publisher__name"], "counts": {}}
        )
        entry["counts"][row["health"]] = row["n"]
    ordered = sorted(publishers.values(), key=lambda entry: entry["name"].casefold())
    rows = [(entry["name"], [entry["counts"].get(key, 0) for key in HEALTH]) for entry in ordered]
    labels = [health_label(key) for key in HEALTH]
    series = [
        {"key": str(key), "label": label, **HEALTH_STYLES[key]}
        for key, label in zip(HEALTH, labels, strict=True)
    ]

    def describe(rows):
        if not rows:
            return gettext("Aucun flux n'est enregistré.")
        return " ; ".join(
            f"{name} : "
            + ", ".join(f"{label} {value}" for label, value in zip(labels, values, strict=True))
            for name, values in rows
        )

    return build_chart(
        "chart-sync-health",
        gettext("Santé des synchronisations par éditeur"),
        rows,
        label_header=gettext("Éditeur"),
        columns=labels,
        series=series,
        describe=describe,
    )


def health_label(key) -> str:
    if key == NEVER:
        return gettext("Jamais")
    return str(STATUS_LABELS[key])


# --- Editors' queues -----------------------------------------------------------------------


@dataclass
class Queue:
    name: str
    text: str
    url: str
    count: int


def editor_queues(user) -> dict:
    queues = []
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
    if workflow is not None:
        count = workflow["in_progress"]
        query = urlencode({"workflow": workflow["pk"], "status": WorkflowState.STATUS_IN_PROGRESS})
        queues.append(
            Queue(
                name="apps-in-moderation",
                text=ngettext(
                    "%(count)d application en attente de validation",
                    "%(count)d applications en attente de validation",
                    count,
                )
                % {"count": count},
                url=f"{reverse('wagtailadmin_reports:workflow')}?{query}",
                count=count,
            )
        )

    reviews = Review.objects.aggregate(
        pending=Count("pk", filter=Q(status=Review.Status.PENDING)),
        reported=Count("pk", filter=Q(report_count__gt=0)),
    )
    moderation = reverse("reviews_moderation:index")
    queues.append(
        Queue(
            name="reviews-pending",
            text=ngettext(
                "%(count)d avis en attente de modération",
                "%(count)d avis en attente de modération",
                reviews["pending"],
            )
            % {"count": reviews["pending"]},
            url=moderation,
            count=reviews["pending"],
        )
    )
    queues.append(
        Queue(
            name="reviews-reported",
            text=ngettext("%(count)d avis signalé", "%(count)d avis signalés", reviews["reported"])
            % {"count": reviews["reported"]},
            url=f"{moderation}?{urlencode({'status': 'all', 'reported': 'true'})}",
            count=reviews["reported"],
        )
    )

    if user.has_perm("catalogue.view_appproblemreport"):
        count = AppProblemReport.objects.filter(status=AppProblemReport.Status.OPEN).count()
        reports = reverse(AppProblemReport.snippet_viewset.get_url_name("list"))
        queues.append(
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
        )

    since = timezone.now() - timedelta(days=FAILED_RUNS_DAYS)
    failed = SyncRun.objects.filter(
        status=SyncRun.Status.FAILED, dry_run=False, started_at__gte=since
    )
    failed_count = failed.count()
    queues.append(
        Queue(
            name="failed-runs",
            text=ngettext(
                "%(count)d synchronisation échouée ces 7 derniers jours",
                "%(count)d synchronisations échouées ces 7 derniers jours",
                failed_count,
            )
            % {"count": failed_count},
            url=reverse(f"{FEEDS}:index"),
            count=failed_count,
        )
    )
    failed_runs = []
    if failed_count:
        for run in (
            failed.select_related("feed__publisher")
            .only("pk", "started_at", "feed__name", "feed__publisher__name")
            .order_by("-started_at", "-pk")[:FAILED_RUNS_SHOWN]
        ):
            run.url = reverse(f"{FEEDS}:run", args=[run.pk])
            failed_runs.append(run)
    return {"queues": queues, "failed_runs": failed_runs}


class EditorDashboardPanel(Component):
    name = "editor_dashboard"
    template_name = "cms/admin/editor_dashboard.html"
    order = 85  # before Wagtail's own panels (pages to moderate: 220)

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        return {
            **editor_queues(self.request.user),
            "charts": [apps_per_universe_chart(), reviews_per_week_chart(), sync_health_chart()],
            "request": self.request,
        }
