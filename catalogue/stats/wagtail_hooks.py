"""The statistics' parts of the pages and dashboard composed by hook: an app page's view is
counted before the page is served; the publisher space's statistics section; the editors'
charts."""

import logging

from django.urls import include, path
from wagtail import hooks

from catalogue.models import AppPage
from catalogue.stats import admin_views, counting, dashboard
from web.dashboard import EDITOR_CHARTS_HOOK, PUBLISHER_SECTIONS_HOOK

logger = logging.getLogger(__name__)


@hooks.register("before_serve_page")
def count_app_page_view(page, request, serve_args, serve_kwargs):
    if isinstance(page, AppPage) and request.method == "GET":
        try:
            counting.count_view(request, page.pk)
        except Exception:  # counting never stops a page
            logger.exception("stats: an app page view could not be counted")


@hooks.register("register_admin_urls")
def register_stats_urls():
    admin_urls = [
        path("<slug:slug>/", admin_views.PublisherStatsView.as_view(), name="publisher"),
        path("<slug:slug>/export.csv", admin_views.publisher_csv, name="publisher_csv"),
    ]
    return [path("statistiques/", include((admin_urls, "stats_admin")))]


hooks.register(PUBLISHER_SECTIONS_HOOK, dashboard.StatsSection, order=40)
hooks.register(EDITOR_CHARTS_HOOK, dashboard.views_per_universe_chart, order=60)
hooks.register(EDITOR_CHARTS_HOOK, dashboard.views_per_publisher_chart, order=70)
hooks.register(EDITOR_CHARTS_HOOK, dashboard.missed_searches_chart, order=80)
