"""The statistics' parts of the pages and dashboard composed by hook: an app page's view is
counted before the page is served; the publisher space's statistics section; the editors'
charts."""

import logging

from wagtail import hooks

from catalogue.models import AppPage
from catalogue.stats import counting

logger = logging.getLogger(__name__)


@hooks.register("before_serve_page")
def count_app_page_view(page, request, serve_args, serve_kwargs):
    if isinstance(page, AppPage) and request.method == "GET":
        try:
            counting.count_view(request, page.pk)
        except Exception:  # counting never stops a page
            logger.exception("stats: an app page view could not be counted")
