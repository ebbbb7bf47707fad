"""Wagtail's own search index (the editors' search in the admin) for pages written in bulk,
where no ``save()`` sends the ``post_save`` that Wagtail indexes them on."""

import logging

from wagtail.search.backends import get_search_backends

from catalogue.models import AppPage

logger = logging.getLogger(__name__)


def index_for_admin_search(ids) -> None:
    """These apps as they are now, in one request per backend. A backend that cannot answer is
    left behind: `manage.py update_index` catches it up."""
    pages = list(AppPage.objects.filter(pk__in=ids))
    for backend in get_search_backends(with_auto_update=True):
        try:
            backend.add_bulk(AppPage, pages)
        except Exception:
            logger.warning("the admin search index missed %d apps", len(ids))
