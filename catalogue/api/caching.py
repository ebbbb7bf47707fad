"""Conditional requests for the read side of /api/v1/: ETag, Last-Modified, Cache-Control.

Every catalogue read answers from the same data: live apps, their publishers, categories,
collections and images, and the search index. One number stands for the state of all of it,
the **catalogue version**: a timestamp kept in the cache, moved forward after every change
that commits (``move_catalogue_version``). A response's validators are derived from that
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

What moves it: one receiver, ``move_catalogue_version``, on every event of the catalogue
(catalogue.signals): an app changed or its counters moved, other catalogue data changed, and
the search index caught up with some apps (the apps list and suggestions read the index).
The version lives an hour (``VERSION_TIMEOUT``): a change that escaped every event is served
stale for an hour at most, and a cache that lost it starts a new one. The cache must be
shared by every process that serves or writes (Redis in production): while it is away
(web.cache), the read API sends no validators and keeps no bodies rather than risk a wrong 304.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language
from rest_framework.views import APIView

from catalogue import signals
from web.cache import shared_cache_available

VERSION_KEY = "catalogue:api-version"
VERSION_TIMEOUT = 3600
# Change it when the shape of the responses changes: clients then refetch.
SHAPE = "1"
DEFAULT_MAX_AGE = 60
# Apart from the version, nothing moves by less than this between two bumps.
MIN_STEP = 0.001


def catalogue_version() -> float | None:
    """The current version; None while the shared cache is away (then no validators are sent:
    a version kept by one process alone could make another process's 304 wrong)."""
    if not shared_cache_available():
        return None
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time(), VERSION_TIMEOUT)
        version = cache.get(VERSION_KEY)
    return float(version) if version is not None else None


def move_catalogue_version(**kwargs) -> None:
    """A new catalogue version once the current transaction commits (now outside one).

    The receiver of every catalogue event (it takes and ignores the signal's arguments)."""
    transaction.on_commit(_bump, robust=True)


def _bump() -> None:
    # While Redis is away this writes to the process's memory, and the key is forgotten in
    # Redis when it is back (web.cache): the version then starts afresh.
    current = cache.get(VERSION_KEY) or 0.0
    cache.set(VERSION_KEY, max(time.time(), float(current) + MIN_STEP), VERSION_TIMEOUT)


def connect() -> None:
    """Move the version on every catalogue event; call once, from an AppConfig.ready()."""
    for name in ("app_changed", "app_counters_changed", "catalogue_changed", "apps_indexed"):
        getattr(signals, name).connect(
            move_catalogue_version, dispatch_uid=f"catalogue.api.version.{name}"
        )


class Validators:
    """The ETag and Last-Modified of the response to a GET, known before it is built."""

    def __init__(self, request, version: float):
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


# A body lives no longer than the catalogue version its key belongs to.
PAYLOAD_TIMEOUT = VERSION_TIMEOUT


class CatalogueReadView(APIView):
    """A GET of catalogue data: ETag and Last-Modified, 304s, Cache-Control.

    Each get() starts with ``if (response := self.not_modified(request)) is not None``."""

    validators = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and (version := catalogue_version()) is not None:
            self.validators = Validators(request, version)

    def not_modified(self, request):
        return self.validators.not_modified(request) if self.validators else None

    def cached_payload(self, build):
        """The body of this exact request (same ETag), built once per catalogue version.

        Bodies hold nothing user-specific, and any catalogue change moves the version, hence
        the ETag and the key: a stale body is never served. A view that finds, while building,
        that its body must not be kept (a degraded answer) calls ``do_not_keep()``: the body is
        then neither cached nor given validators."""
        if self.validators is None:
            return build()
        key = f"catalogue:api-payload:{self.validators.etag}"
        payload = cache.get(key)
        if payload is None:
            payload = dict(build())  # a plain dict: serializer data carries its serializer
            if self.validators is not None:
                cache.set(key, payload, PAYLOAD_TIMEOUT)
        return payload

    def do_not_keep(self) -> None:
        self.validators = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        code = response.status_code
        if self.validators is not None and (200 <= code < 300 or code == 304):
            self.validators.apply(response)
            set_cache_control(request, response)
        return response
