"""/go/<app>/<platform>/: an install button's click, counted, then sent to the app's listing.

Only ever to the URL of the listing the app itself has for that platform: the address comes
from the database, never from the request (no open redirect). An app that is not public, or
a platform it has no listing for, is a 404.
"""

import logging

from django.http import Http404, HttpResponseRedirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from catalogue.models import AppListing, AppPage
from catalogue.stats import counting

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def go(request, slug, platform):
    listing = (
        AppListing.objects.filter(
            page__in=AppPage.objects.visible().filter(slug=slug), platform=platform
        )
        .values("page_id", "url")
        .first()
    )
    if listing is None:
        raise Http404
    try:
        counting.count_install(request, listing["page_id"], platform)
    except Exception:  # counting never stops the visitor
        logger.exception("stats: an install click could not be counted")
    response = HttpResponseRedirect(listing["url"])
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
