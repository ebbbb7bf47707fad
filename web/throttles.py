"""Rate limits: one implementation for the API (DRF throttle classes) and the site's forms.

A budget is a scope of settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] ("20/minute",
"10/hour", "3/15minute") counted per identity: a user, an address, an account name tried,
an e-mail address written to. The site's forms and the API draw on the same budgets.

**Who is asking.** ``client_address`` trusts ``X-Forwarded-For`` only as far as
``settings.TRUSTED_PROXY_COUNT`` proxies of ours wrote it (0 by default: the socket's address);
whatever a client puts in that header itself is ignored. An IPv6 client counts as its /64
(one subscriber's network), so rotating addresses inside it buys nothing.

**How it counts.** A sliding window approximated by two counters, this window's and the
previous one's, the latter weighted by how much of it still overlaps the last ``window``
seconds. A check is one atomic round trip to Redis (``web.cache``: a small server-side script
that reads both counters and counts the request only when it is allowed, so refused requests
do not push the retry further away); while Redis is away, or with a memory cache (tests, the
demo), the same counters live in the process's memory and throttles count per process.
"""

import functools
import hashlib
import ipaddress
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import ngettext
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from web.cache import count_in_window

RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])[a-z]*\s*$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
KEY_PREFIX = "rl"


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int  # seconds

    @classmethod
    @functools.lru_cache(maxsize=64)
    def parse(cls, text: str) -> "Rate":
        """ "20/minute", "10/hour", "5/15minute" (five per quarter of an hour), "100/s"."""
        found = RATE.match(text or "")
        if not found or not int(found.group(1)):
            raise ImproperlyConfigured(
                f"Rate {text!r} is not understood (expected e.g. 20/minute, 10/hour, 5/15minute)."
            )
        count, multiplier, unit = found.groups()
        return cls(int(count), int(multiplier or 1) * UNIT_SECONDS[unit])


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # seconds; 0 when allowed

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def rate_of(scope: str, default: str | None = None) -> Rate | None:
    """The scope's rate, read at each call (settings overridden in tests apply)."""
    text = api_settings.DEFAULT_THROTTLE_RATES.get(scope) or default
    return Rate.parse(text) if text else None


def hit(scope: str, ident: str, rate: Rate, *, now: float | None = None) -> Decision:
    """Count one request of ``ident`` in ``scope`` if the rate allows it (one round trip)."""
    now = time.time() if now is None else now
    index, offset = divmod(now, rate.window)
    weight = 1 - offset / rate.window  # of the previous window, still inside the last `window`
    stem = f"{KEY_PREFIX}:{scope}:{ident}"
    allowed, current, previous = count_in_window(
        caches["default"],
        current_key=f"{stem}:{int(index)}",
        previous_key=f"{stem}:{int(index) - 1}",
        limit=rate.limit,
        ttl=2 * rate.window,
        weight=weight,
    )
    if allowed:
        return Decision(True, 0)
    return Decision(False, retry_after(rate, current, previous, offset / rate.window))


def retry_after(rate: Rate, current: int, previous: int, elapsed: float) -> int:
    """Seconds until one more request fits: the previous window's weight fades first, then
    this window becomes the previous one and fades in turn."""
    room = rate.limit - 1
    if current <= room and previous:
        needed = 1 - (room - current) / previous  # elapsed fraction at which it fits
        return max(1, math.ceil(rate.window * (needed - elapsed)))
    next_window = 1 - room / current if current else 0
    return max(1, math.ceil(rate.window * (1 - elapsed + max(0.0, next_window))))


# --- Who is asking -------------------------------------------------------------------------


def client_address(request) -> str:
    """The client's address as our own proxies saw it (settings.TRUSTED_PROXY_COUNT)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        # Each proxy appends the address it received from: the client's is `proxies` from the
        # right (the first proxy's entry). Entries further left were written by the client.
        if len(forwarded) >= proxies:
            remote = forwarded[-proxies]
    return network_of(remote)


def network_of(address: str) -> str:
    """The address as a throttle identity: IPv4 itself, IPv6 its /64."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def account_key(value: str) -> str:
    """An account name or e-mail address as an identity: case-folded, trimmed, hashed (no
    personal data in the cache, no key too long)."""
    return hashlib.sha256(value.strip().casefold().encode()).hexdigest()[:32]


def requester(request) -> str:
    """The signed-in user, else the client's address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user-{user.pk}"
    return client_address(request)


# --- The site's forms ----------------------------------------------------------------------


def check(request, scope: str, default_rate: str | None = None, *, key: str | None = None):
    """Count this request in ``scope`` (per ``key``, else per requester); the Decision."""
    rate = rate_of(scope, default_rate)
    if rate is None:
        return Decision(True, 0)
    return hit(scope, key if key is not None else requester(request), rate)


def rate_limited(
    request, scope: str, default_rate: str | None = None, *, key: str | None = None
) -> int | None:
    """None when the request may go on (and counts it), else the minutes to wait."""
    decision = check(request, scope, default_rate, key=key)
    return None if decision.allowed else decision.minutes


def first_refusal(request, checks) -> int | None:
    """Each ``(scope, key)`` in turn (``key`` None: the requester); the minutes to wait at the
    first that refuses, None when all allow (each one allowed counted the request)."""
    for scope, key in checks:
        if minutes := rate_limited(request, scope, key=key):
            return minutes
    return None


def rate_limit_message(minutes: int) -> str:
    return ngettext(
        "Trop d'envois en peu de temps : réessayez dans %(minutes)s minute.",
        "Trop d'envois en peu de temps : réessayez dans %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


# --- DRF -----------------------------------------------------------------------------------


class RateThrottle(BaseThrottle):
    """A DRF throttle on this module's counters: ``scope`` names the rate; ``identity`` says
    whom a request is counted against (None: this throttle does not apply to it)."""

    scope: str = ""

    def __init__(self):
        self.decision = Decision(True, 0)

    def get_scope(self, view) -> str:
        return self.scope

    def identity(self, request, view) -> str | None:
        return requester(request)

    def allow_request(self, request, view):
        scope = self.get_scope(view)
        rate = rate_of(scope) if scope else None
        if rate is None:
            return True
        ident = self.identity(request, view)
        if ident is None:
            return True
        self.decision = hit(scope, ident, rate)
        return self.decision.allowed

    def wait(self):
        return self.decision.retry_after or None


class AnonRateThrottle(RateThrottle):
    """Signed-out clients, per address ("anon")."""

    scope = "anon"

    def identity(self, request, view):
        return None if request.user.is_authenticated else client_address(request)


class UserRateThrottle(RateThrottle):
    """Signed-in users, per account ("user"); signed-out ones are AnonRateThrottle's."""

    scope = "user"

    def identity(self, request, view):
        return f"user-{request.user.pk}" if request.user.is_authenticated else None


class ScopedRateThrottle(RateThrottle):
    """The view's ``throttle_scope``, per user (per address when signed out)."""

    def get_scope(self, view) -> str:
        return getattr(view, "throttle_scope", "") or ""


class WriteScopedRateThrottle(ScopedRateThrottle):
    """The view's ``throttle_scope`` for the write methods only: reading costs nothing."""

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
