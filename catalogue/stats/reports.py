"""Reading the figures: per app and per day over a period, totals, conversion, the rating over
time, the top queries — for the publisher space, its CSV, the API, the weekly digest and the
editors' dashboard. A fixed number of queries whatever the number of apps or days.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone

from catalogue.models import AppPage
from catalogue.stats.models import INSTALL_PREFIX, AppDayCount, AppDayRating, QueryDayCount

PERIODS = (7, 30, 90)
MAX_DAYS = 366
TOP_QUERIES = 10
TOP_MISSED_QUERIES = 50
# Shown only once that many distinct visitors (summed by day) typed it over the period.
MIN_QUERY_VISITORS = getattr(settings, "STATS_MIN_QUERY_VISITORS", 5)
SUMMED = (
    "view",
    "visitor",
    "install",
    "favourite_added",
    "favourite_removed",
    "review",
    "impression",
)


@dataclass
class Period:
    start: date
    end: date  # included

    @classmethod
    def last(cls, days: int, today: date | None = None) -> "Period":
        end = today or timezone.localdate()
        return cls(end - timedelta(days=days - 1), end)

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


@dataclass
class Figures:
    """The figures of some apps over a period: ``totals`` (metric → n, installs summed under
    "install", and per platform under "install:<platform>"), ``by_day`` (day → metric → n)."""

    period: Period
    totals: dict = field(default_factory=dict)
    by_day: dict = field(default_factory=dict)
    by_app: dict = field(default_factory=dict)  # app id → metric → n

    @property
    def conversion(self) -> float | None:
        """Install clicks per view (None without views)."""
        views = self.totals.get("view", 0)
        return self.totals.get("install", 0) / views if views else None

    def installs_by_platform(self) -> dict:
        return {
            metric.removeprefix(INSTALL_PREFIX): value
            for metric, value in sorted(self.totals.items())
            if metric.startswith(INSTALL_PREFIX)
        }


def _add(target: dict, metric: str, value: int) -> None:
    target[metric] = target.get(metric, 0) + value
    if metric.startswith(INSTALL_PREFIX):
        target["install"] = target.get("install", 0) + value


def figures(app_ids, period: Period) -> Figures:
    """One query: the daily rows of these apps over the period, summed three ways."""
    result = Figures(period=period, totals=dict.fromkeys(SUMMED, 0))
    result.by_day = {day: dict.fromkeys(SUMMED, 0) for day in period.days}
    rows = (
        AppDayCount.objects.filter(app_id__in=list(app_ids), day__range=(period.start, period.end))
        .values("app_id", "day", "metric")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for row in rows:
        metric, value = row["metric"], row["total"]
        _add(result.totals, metric, value)
        _add(result.by_day[row["day"]], metric, value)
        _add(result.by_app.setdefault(row["app_id"], dict.fromkeys(SUMMED, 0)), metric, value)
    return result


def rating_over_time(app_ids, period: Period) -> list[tuple[date, float, int]]:
    """(day, average, count) of the apps together, on the days a snapshot was taken."""
    per_day: dict = {}
    for row in AppDayRating.objects.filter(
        app_id__in=list(app_ids), day__range=(period.start, period.end)
    ).values_list("day", "average", "count"):
        day, average, count = row
        weighted, total = per_day.get(day, (0.0, 0))
        per_day[day] = (weighted + float(average) * count, total + count)
    return [
        (day, round(weighted / total, 2) if total else 0.0, total)
        for day, (weighted, total) in sorted(per_day.items())
    ]


def top_queries(app_ids, period: Period, limit: int = TOP_QUERIES) -> list[tuple[str, int, int]]:
    """(query, searches, visitors) that led to these apps, typed by enough distinct visitors."""
    return _queries(Q(app_id__in=list(app_ids)), period, limit)


def missed_queries(period: Period, limit: int = TOP_MISSED_QUERIES) -> list[tuple[str, int, int]]:
    """Searches that found nothing (what people look for and the catalogue lacks)."""
    return _queries(Q(app__isnull=True), period, limit)


def _queries(condition: Q, period: Period, limit: int) -> list[tuple[str, int, int]]:
    rows = (
        QueryDayCount.objects.filter(condition, day__range=(period.start, period.end))
        .values("query")
        .annotate(searches=Sum("searches"), visitors=Sum("visitors"))
        .filter(visitors__gte=MIN_QUERY_VISITORS)
        .order_by("-visitors", "-searches", "query")[:limit]
    )
    return [(row["query"], row["searches"], row["visitors"]) for row in rows]


def store_totals(period: Period) -> dict:
    """The whole store's totals (views, installs, impressions) over the period: one query."""
    totals = dict.fromkeys(SUMMED, 0)
    for metric, value in (
        AppDayCount.objects.filter(day__range=(period.start, period.end))
        .values("metric")
        .annotate(total=Sum("value"))
        .order_by()
        .values_list("metric", "total")
    ):
        _add(totals, metric, value)
    return totals


def by_publisher(period: Period) -> list[tuple[str, int, int]]:
    """(publisher name, views, installs) of every publisher with figures, most viewed first."""
    rows = (
        AppDayCount.objects.filter(day__range=(period.start, period.end))
        .filter(Q(metric="view") | Q(metric__startswith=INSTALL_PREFIX))
        .values("app__publisher__name")
        .annotate(
            views=Sum("value", filter=Q(metric="view")),
            installs=Sum("value", filter=Q(metric__startswith=INSTALL_PREFIX)),
        )
        .order_by()
    )
    result = [
        (row["app__publisher__name"] or "—", row["views"] or 0, row["installs"] or 0)
        for row in rows
    ]
    return sorted(result, key=lambda row: (-row[1], -row[2], row[0]))


def apps_of_publisher(publisher_id: int):
    return AppPage.objects.filter(publisher_id=publisher_id)


def daily_by_app(app_ids, period: Period) -> dict:
    """(app id, day) → metric → n, installs also summed under "install" (the CSV): one query."""
    result: dict = {}
    for app_id, day, metric, value in AppDayCount.objects.filter(
        app_id__in=list(app_ids), day__range=(period.start, period.end)
    ).values_list("app_id", "day", "metric", "value"):
        _add(result.setdefault((app_id, day), {}), metric, value)
    return result
