"""The sync's parts of the admin dashboard (registered in catalogue/sync/wagtail_hooks.py;
cms assembles them):

- in each publisher's space, its feeds with their last run and Sync now (``FeedsSection``);
- for editors, the queue of failed syncs of the last days (with the latest ones listed) and
  the chart of each publisher's sync health.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from catalogue.sync.admin_views import FEEDS, STATUS_LABELS, can_sync
from catalogue.sync.models import Feed, SyncRun
from web.charts import Chart, build_chart
from web.dashboard import PublisherSection, Queue

FAILED_RUNS_DAYS = 7
FAILED_RUNS_SHOWN = 5
NEVER = "never"
HEALTH = (
    SyncRun.Status.DONE,
    SyncRun.Status.DONE_WITH_ERRORS,
    SyncRun.Status.FAILED,
    NEVER,
)
# Each status of the sync health chart: a colour AND a pattern, and a name in the legend and
# the table, so colour never carries the meaning alone. The colours are the DSFR's "425"
# tones: at least 4.5:1 against white.
HEALTH_STYLES = {
    SyncRun.Status.DONE: {"colour": "#18753c", "pattern": "solid"},
    SyncRun.Status.DONE_WITH_ERRORS: {"colour": "#b34000", "pattern": "stripes"},
    SyncRun.Status.FAILED: {"colour": "#ce0500", "pattern": "crosses"},
    NEVER: {"colour": "#666666", "pattern": "dots"},
}


def last_run(*, real_only: bool, finished_only: bool = False):
    """The feed's runs, newest first (correlated on the outer feed)."""
    runs = SyncRun.objects.filter(feed=OuterRef("pk"))
    if real_only:
        # A preview is not a sync: it would hide the state of the feed's real runs.
        runs = runs.filter(dry_run=False)
    if finished_only:
        runs = runs.exclude(status=SyncRun.Status.RUNNING)
    return runs.order_by("-started_at", "-pk")


@dataclass
class FeedRow:
    feed: Feed
    run: SyncRun | None
    runs_url: str
    sync_url: str
    can_sync: bool
    status_label: str = ""
    counters: list = field(default_factory=list)


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
            (fields.get_field(name).verbose_name, getattr(run, name)) for name in SyncRun.COUNTERS
        ]
    return row


class FeedsSection(PublisherSection):
    """Each publisher's feeds with their last real run: the feeds, then the runs (2 queries)."""

    template_name = "sync/admin/publisher_feeds.html"

    def load(self, publishers, app_columns) -> None:
        self.rows = {publisher.pk: [] for publisher in publishers}
        feeds = list(
            Feed.objects.filter(publisher_id__in=self.rows)
            .annotate(last_run_id=Subquery(last_run(real_only=True).values("pk")[:1]))
            .order_by("name", "pk")
        )
        runs = SyncRun.objects.defer("message", "errors", "warnings", "changes").in_bulk(
            [feed.last_run_id for feed in feeds if feed.last_run_id]
        )
        user = self.request.user
        for feed in feeds:
            self.rows[feed.publisher_id].append(feed_row(user, feed, runs.get(feed.last_run_id)))

    def context(self, publisher) -> dict:
        return {"feeds": self.rows[publisher.pk]}


# --- Editors' queue and chart --------------------------------------------------------------


def failed_runs_queue(request) -> list[Queue]:
    since = timezone.now() - timedelta(days=FAILED_RUNS_DAYS)
    failed = SyncRun.objects.filter(
        status=SyncRun.Status.FAILED, dry_run=False, started_at__gte=since
    )
    count = failed.count()
    runs = []
    if count:
        for run in (
            failed.select_related("feed__publisher")
            .only("pk", "started_at", "feed__name", "feed__publisher__name")
            .order_by("-started_at", "-pk")[:FAILED_RUNS_SHOWN]
        ):
            run.url = reverse(f"{FEEDS}:run", args=[run.pk])
            runs.append(run)
    return [
        Queue(
            name="failed-runs",
            text=ngettext(
                "%(count)d synchronisation échouée ces 7 derniers jours",
                "%(count)d synchronisations échouées ces 7 derniers jours",
                count,
            )
            % {"count": count},
            url=reverse(f"{FEEDS}:index"),
            count=count,
            items_template="sync/admin/_failed_runs.html",
            items=runs,
        )
    ]


def held_runs_queue(request) -> list[Queue]:
    """Runs that would have archived too many apps at once: an editor must confirm."""
    held = SyncRun.objects.filter(
        status=SyncRun.Status.HELD, dry_run=False, archive_confirmed_at=None
    )
    count = held.count()
    runs = []
    if count:
        for run in (
            held.select_related("feed__publisher")
            .only("pk", "started_at", "feed__name", "feed__publisher__name")
            .order_by("-started_at", "-pk")[:FAILED_RUNS_SHOWN]
        ):
            run.url = reverse(f"{FEEDS}:run", args=[run.pk])
            runs.append(run)
    return [
        Queue(
            name="held-runs",
            text=ngettext(
                "%(count)d archivage suspendu à confirmer",
                "%(count)d archivages suspendus à confirmer",
                count,
            )
            % {"count": count},
            url=reverse(f"{FEEDS}:index"),
            count=count,
            items_template="sync/admin/_failed_runs.html",
            items=runs,
        )
    ]


def health_label(key) -> str:
    if key == NEVER:
        return gettext("Jamais")
    return str(STATUS_LABELS[key])


def sync_health_chart(request) -> Chart:
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
