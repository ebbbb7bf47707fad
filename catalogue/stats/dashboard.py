"""The statistics' parts of the admin dashboard (registered in catalogue/stats/wagtail_hooks.py;
cms/dashboard.py assembles them): each publisher's figures of the last 30 days with a link to
its statistics; for editors, the whole store's views and installs per universe and per
publisher, and the searches that found nothing."""

from django.db.models import OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from catalogue.models import AppPage, Category
from catalogue.stats import reports
from catalogue.stats.models import INSTALL_PREFIX, AppDayCount
from web.charts import build_chart, listing
from web.dashboard import PublisherSection

SUMMARY_DAYS = 30
TOP_PUBLISHERS = 15


class StatsSection(PublisherSection):
    """Views and install clicks of the last 30 days per publisher: two sums annotated on the
    publishers' one query, no query of its own."""

    template_name = "stats/admin/publisher_section.html"

    def publisher_annotations(self) -> dict:
        period = reports.Period.last(SUMMARY_DAYS)
        rows = AppDayCount.objects.filter(
            app__publisher_id=OuterRef("pk"), day__range=(period.start, period.end)
        )
        return {
            "stats_views": sum_of(rows.filter(metric="view")),
            "stats_installs": sum_of(rows.filter(metric__startswith=INSTALL_PREFIX)),
        }

    def context(self, publisher) -> dict:
        return {
            "totals": {"view": publisher.stats_views, "install": publisher.stats_installs},
            "days": SUMMARY_DAYS,
            "stats_url": reverse("stats_admin:publisher", args=[publisher.slug]),
        }


def sum_of(rows):
    """A correlated subquery summing ``rows``' values (0 when there are none)."""
    summed = (
        rows.order_by().values("app__publisher_id").annotate(total=Sum("value")).values("total")
    )
    return Coalesce(Subquery(summed[:1]), Value(0))


def _unit_views(count):
    return ngettext("%(count)d vue", "%(count)d vues", count) % {"count": count}


def _unit_installs(count):
    return ngettext("%(count)d clic", "%(count)d clics", count) % {"count": count}


def per_universe(period) -> dict:
    """universe id → {"view": n, "install": n}; an app in two sub-categories of one universe
    counts once. Two queries: the apps' figures, the apps' universes."""
    per_app: dict = {}
    for app_id, metric, value in (
        AppDayCount.objects.filter(day__range=(period.start, period.end))
        .filter(Q(metric="view") | Q(metric__startswith=INSTALL_PREFIX))
        .values("app_id", "metric")
        .annotate(total=Sum("value"))
        .order_by()
        .values_list("app_id", "metric", "total")
    ):
        key = "view" if metric == "view" else "install"
        per_app.setdefault(app_id, {"view": 0, "install": 0})[key] += value
    universes: dict = {}
    links = AppPage.categories.through.objects.filter(apppage_id__in=list(per_app)).values_list(
        "apppage_id", "category__parent_id", "category_id"
    )
    seen = set()
    for app_id, parent_id, category_id in links:
        universe = parent_id or category_id
        if (app_id, universe) in seen:
            continue
        seen.add((app_id, universe))
        totals = universes.setdefault(universe, {"view": 0, "install": 0})
        totals["view"] += per_app[app_id]["view"]
        totals["install"] += per_app[app_id]["install"]
    return universes


def views_per_universe_chart(request):
    period = reports.Period.last(SUMMARY_DAYS)
    totals = per_universe(period)
    rows = [
        (
            universe.name,
            [
                totals.get(universe.pk, {}).get("view", 0),
                totals.get(universe.pk, {}).get("install", 0),
            ],
        )
        for universe in Category.objects.universes()
    ]

    def describe(rows):
        return " ; ".join(
            f"{label} : {_unit_views(values[0])}, {_unit_installs(values[1])}"
            for label, values in rows
        )

    store = reports.store_totals(period)
    return build_chart(
        "chart-stats-universes",
        gettext(
            "Vues et clics d'installation par univers, %(days)d derniers jours "
            "(tout le store : %(views)d vues, %(installs)d clics)"
        )
        % {"days": SUMMARY_DAYS, "views": store["view"], "installs": store["install"]},
        rows,
        label_header=gettext("Univers"),
        columns=[gettext("Vues"), gettext("Clics d'installation")],
        series=[
            {"key": "views", "label": gettext("Vues"), "colour": "#000091", "pattern": "solid"},
            {
                "key": "installs",
                "label": gettext("Clics d'installation"),
                "colour": "#c9191e",
                "pattern": "stripes",
            },
        ],
        describe=describe,
    )


def views_per_publisher_chart(request):
    period = reports.Period.last(SUMMARY_DAYS)
    rows = [(name, [views, installs]) for name, views, installs in reports.by_publisher(period)]
    rows = rows[:TOP_PUBLISHERS]

    def describe(rows):
        if not rows:
            return gettext("Aucune vue sur la période.")
        return " ; ".join(
            f"{label} : {_unit_views(values[0])}, {_unit_installs(values[1])}"
            for label, values in rows
        )

    return build_chart(
        "chart-stats-publishers",
        gettext("Les éditeurs les plus vus, %(days)d derniers jours") % {"days": SUMMARY_DAYS},
        rows,
        label_header=gettext("Éditeur"),
        columns=[gettext("Vues"), gettext("Clics d'installation")],
        series=[
            {"key": "views", "label": gettext("Vues"), "colour": "#000091", "pattern": "solid"},
            {
                "key": "installs",
                "label": gettext("Clics d'installation"),
                "colour": "#c9191e",
                "pattern": "stripes",
            },
        ],
        describe=describe,
    )


def missed_searches_chart(request):
    period = reports.Period.last(SUMMARY_DAYS)
    rows = [(query, [visitors]) for query, _searches, visitors in reports.missed_queries(period)]

    def unit(count):
        return ngettext("%(count)d visiteur", "%(count)d visiteurs", count) % {"count": count}

    chart = build_chart(
        "chart-stats-missed-searches",
        gettext("Recherches sans résultat (les 50 premières, %(days)d derniers jours)")
        % {"days": SUMMARY_DAYS},
        rows,
        label_header=gettext("Recherche"),
        columns=[gettext("Visiteurs distincts")],
        describe=lambda rows: listing(rows, unit),
    )
    if chart.empty:
        chart.description = gettext(
            "Aucune recherche sans résultat faite par au moins %(count)d visiteurs."
        ) % {"count": reports.MIN_QUERY_VISITORS}
    return chart
