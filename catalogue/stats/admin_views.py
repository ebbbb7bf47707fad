"""A publisher's statistics in the admin (its members and the editors): per app or overall,
over the last 7 / 30 / 90 days or a chosen range, as charts with their tables, and as CSV."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalogue.models import AppPage, Publisher
from catalogue.permissions import is_editor, is_member
from catalogue.platforms import Platform
from catalogue.stats import reports
from catalogue.stats.periods import period_from
from web.charts import build_chart, listing

WEEKLY_ABOVE_DAYS = 31  # longer periods are charted per week


def publisher_for(request, slug) -> Publisher:
    publisher = get_object_or_404(Publisher, slug=slug)
    if not (is_member(request.user, publisher.pk) or is_editor(request.user)):
        raise PermissionDenied
    return publisher


def selected_apps(request, publisher):
    """The publisher's apps, and the one asked for (``?app=<id>``) or None (all of them)."""
    apps = list(
        AppPage.objects.filter(publisher=publisher)
        .order_by("title", "pk")
        .only("pk", "title", "slug")
    )
    wanted = request.GET.get("app", "")
    chosen = next((app for app in apps if str(app.pk) == wanted), None)
    return apps, chosen


def views_chart(found: reports.Figures):
    days = found.period.days
    if len(days) > WEEKLY_ABOVE_DAYS:
        buckets: dict = {}
        for day in days:
            monday = day.toordinal() - day.weekday()
            label = gettext("semaine du %(day)s") % {
                "day": day.fromordinal(monday).strftime("%d/%m/%Y")
            }
            values = buckets.setdefault(label, [0, 0])
            values[0] += found.by_day[day]["view"]
            values[1] += found.by_day[day]["install"]
        rows = list(buckets.items())
        header = gettext("Semaine")
    else:
        rows = [
            (day.strftime("%d/%m/%Y"), [found.by_day[day]["view"], found.by_day[day]["install"]])
            for day in days
        ]
        header = gettext("Jour")

    def describe(rows):
        return " ; ".join(
            gettext("%(label)s : %(views)d vues, %(installs)d installations")
            % {"label": label, "views": values[0], "installs": values[1]}
            for label, values in rows
        )

    return build_chart(
        "chart-stats-views",
        gettext("Vues et clics d'installation"),
        rows,
        label_header=header,
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


def installs_chart(found: reports.Figures):
    labels = dict(Platform.choices)
    rows = [
        (str(labels.get(platform, platform)), [count])
        for platform, count in found.installs_by_platform().items()
    ]

    def unit(count):
        return ngettext("%(count)d clic", "%(count)d clics", count) % {"count": count}

    chart = build_chart(
        "chart-stats-installs",
        gettext("Clics d'installation par plateforme"),
        rows,
        label_header=gettext("Plateforme"),
        columns=[gettext("Clics")],
        describe=lambda rows: listing(rows, unit),
    )
    if chart.empty:
        chart.description = gettext("Aucun clic d'installation sur la période.")
    return chart


def rating_chart(points):
    rows = [(day.strftime("%d/%m/%Y"), [average]) for day, average, _count in points]

    def describe(rows):
        return " ; ".join(
            gettext("%(label)s : %(average)s sur 5") % {"label": label, "average": values[0]}
            for label, values in rows
        )

    chart = build_chart(
        "chart-stats-rating",
        gettext("Note moyenne au fil du temps"),
        rows,
        label_header=gettext("Jour"),
        columns=[gettext("Note moyenne")],
        describe=describe,
    )
    if chart.empty:
        chart.description = gettext("Pas encore de note sur la période.")
    return chart


class PublisherStatsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "stats/admin/publisher_stats.html"
    header_icon = "view"

    def get(self, request, slug):
        self.publisher = publisher_for(request, slug)
        apps, chosen = selected_apps(request, self.publisher)
        period, form = period_from(request.GET)
        context = self.get_context_data(form=form, apps=apps, chosen=chosen, period=period)
        if period is not None:
            ids = [chosen.pk] if chosen else [app.pk for app in apps]
            found = reports.figures(ids, period)
            titles = {app.pk: app.title for app in apps}
            context |= {
                "figures": found,
                "charts": [
                    views_chart(found),
                    installs_chart(found),
                    rating_chart(reports.rating_over_time(ids, period)),
                ],
                "app_rows": sorted(
                    ((titles[pk], values) for pk, values in found.by_app.items() if pk in titles),
                    key=lambda row: (-row[1]["view"], row[0]),
                ),
                "queries": reports.top_queries(ids, period),
                "min_query_visitors": reports.MIN_QUERY_VISITORS,
                "csv_url": reverse("stats_admin:publisher_csv", args=[self.publisher.slug])
                + "?"
                + urlencode({key: value for key, value in request.GET.items() if value}),
            }
        return TemplateResponse(request, self.template_name, context, status=200 if period else 400)

    def get_page_title(self):
        return gettext("Statistiques")

    def get_page_subtitle(self):
        return self.publisher.name


def csv_cell(value):
    """A spreadsheet never runs what a publisher typed (=, +, -, @ start a formula)."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def publisher_csv(request, slug):
    """The period's figures per app and per day, one row each."""
    publisher = publisher_for(request, slug)
    apps, chosen = selected_apps(request, publisher)
    period, form = period_from(request.GET)
    if period is None:
        return HttpResponse(
            "\n".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    targets = [chosen] if chosen else apps
    platforms = [value for value, _label in Platform.choices]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="statistiques-{publisher.slug}-{period.start}-{period.end}.csv"'
    )
    writer = csv.writer(response)
    columns = ["view", "visitor", "favourite_added", "favourite_removed", "review", "impression"]
    writer.writerow(
        ["day", "app", "app_slug", *columns, "install", *(f"install:{p}" for p in platforms)]
    )
    daily = reports.daily_by_app([app.pk for app in targets], period)
    for day in period.days:
        for app in targets:
            values = daily.get((app.pk, day), {})
            writer.writerow(
                [
                    day.isoformat(),
                    csv_cell(app.title),
                    app.slug,
                    *(values.get(metric, 0) for metric in columns),
                    values.get("install", 0),
                    *(values.get(f"install:{p}", 0) for p in platforms),
                ]
            )
    return response
