"""Conditional requests for the read side of /api/v1/: ETag, Last-Modified, Cache-Control.

Every catalogue read answers from the same data: live apps, their publishers, categories,
collections and images, and the search index. One number stands for the state of all of it,
the **catalogue version**: a timestamp kept in the cache, moved forward after every change
that commits (``bump_catalogue_version``). A response's validators are derived from that
version and the request alone, so a revalidation is answered (304) without a database query
and without building the body:

- ``ETag``: a hash of the version, the full path with its query string, the host, the
  language and the shape of the responses (``SHAPE``). Any change anywhere makes every ETag
  new: a client then fetches once what it had (correct, if not minimal).
- ``Last-Modified``: the version rounded up to the second. HTTP dates count whole seconds, so
  it is only sent once that second is over: a change later in the same second would otherwise
  keep the same date and an ``If-Modified-Since`` client would miss it.

The version is read *before* the data, and moved *after* the change commits: a body is never
older than the version its validators name (at worst newer: one more fetch later on).

What moves it: ``connect()``'s receivers (pages published, unpublished, moved or deleted;
publishers, categories, audiences, languages, collections and images saved or deleted), and
whatever changes what search returns should call ``bump_catalogue_version()`` once the index
is written (the search tasks; counters such as ratings and popularity reindex, so they pass
through there). The version lives an hour (``VERSION_TIMEOUT``): a change that escaped every
hook is served stale for an hour at most, and a cache that lost it starts a new one.
The cache must be shared by every process that serves or writes (Redis in production).
"""

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

VERSION_KEY = "catalogue:api-version"
VERSION_TIMEOUT = 3600
# Change it when the shape of the responses changes: clients then refetch.
SHAPE = "1"
DEFAULT_MAX_AGE = 60
# Apart from the version, nothing moves by less than this between two bumps.
MIN_STEP = 0.001


def catalogue_version() -> float:
    """The current version; a missing or unreachable cache starts a new one (never a 304)."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, time.time(), VERSION_TIMEOUT)
            version = cache.get(VERSION_KEY)
    except Exception:
        logger.warning("catalogue version unavailable: no conditional responses", exc_info=True)
        version = None
    return float(version) if version is not None else time.time()


def bump_catalogue_version(**kwargs) -> None:
    """A new catalogue version once the current transaction commits (now outside one).

    Usable as a signal receiver (it takes and ignores the signal's arguments)."""
    transaction.on_commit(_bump, robust=True)


def _bump() -> None:
    try:
        current = cache.get(VERSION_KEY) or 0.0
        cache.set(VERSION_KEY, max(time.time(), float(current) + MIN_STEP), VERSION_TIMEOUT)
    except Exception:
        logger.exception("catalogue version not moved: API clients may be served stale data")


def connect() -> None:
    """Move the version on every change the API shows; call once, from an AppConfig.ready()."""
    from django.apps import apps
    from wagtail.images import get_image_model

    page_signals = {
        "page_published": page_published,
        "page_unpublished": page_unpublished,
        "post_page_move": post_page_move,
    }
    for name, signal in page_signals.items():
        signal.connect(bump_catalogue_version, dispatch_uid=f"catalogue.api.{name}")
    post_delete.connect(
        bump_catalogue_version,
        sender=apps.get_model("catalogue", "AppPage"),
        dispatch_uid="catalogue.api.app_deleted",
    )
    names = ("Publisher", "Category", "Audience", "Language", "Collection", "CollectionItem")
    models = [apps.get_model("catalogue", name) for name in names] + [get_image_model()]
    for model in models:
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                bump_catalogue_version,
                sender=model,
                dispatch_uid=f"catalogue.api.{model._meta.label_lower}_{name}",
            )


class Validators:
    """The ETag and Last-Modified of the response to a GET, known before it is built."""

    def __init__(self, request, version: float | None = None):
        version = catalogue_version() if version is None else version
        key = "\n".join(
            (
                SHAPE,
                repr(version),
                request.scheme,
                request.get_host(),
                get_language() or "",
                request.get_full_path(),
            )
        )
        digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
        self.etag = f'W/"{digest}"'
        second = math.ceil(version)
        self.last_modified = second if time.time() >= second else None

    def not_modified(self, request):
        """A 304 (or a 412 for a failed If-Match) if the client's copy is current, else None."""
        return get_conditional_response(request, etag=self.etag, last_modified=self.last_modified)

    def apply(self, response) -> None:
        response["ETag"] = self.etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified)


def set_cache_control(request, response) -> None:
    """Shared caches may keep anonymous answers; an authenticated caller's stay private."""
    max_age = getattr(settings, "API_CACHE_MAX_AGE", DEFAULT_MAX_AGE)
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, max_age=max_age)
    else:
        patch_cache_control(response, public=True, max_age=max_age)
