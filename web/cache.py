"""A Redis cache that fails open: an outage of Redis costs speed, never availability.

``FailOpenRedisCache`` is Django's Redis cache with a fallback in one place rather than a
try/except at each call: when Redis does not answer (refused, reset, or slower than the
socket timeout), the operation goes to a small memory cache of this process, and Redis is left
alone for ``RETRY_SECONDS`` (a circuit breaker: a dead server is not waited on by every call).
So menus, facet labels, API bodies and throttles keep working, per process and for a short
time (``FALLBACK_MAX_SECONDS``) while Redis is away; throttles then count per process.

What must be shared to be right asks ``shared_cache_available()`` first: the API's catalogue
version (an ETag computed from a per-process version could be wrong, so none is sent while
Redis is away). Keys written or deleted during an outage are deleted from Redis when it comes
back, so nothing stale written before the outage survives it (the catalogue version is then
started afresh).

Throttles (``web.throttles``) count through ``count_in_window``: on Redis, one atomic round trip
(``WINDOW_SCRIPT``); while Redis is away, or on a memory cache, the same counters in the
process's memory (throttles then count per process).
"""

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.commands.core import Script
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5  # after a failure, Redis is not asked again for this long
FALLBACK_MAX_SECONDS = 60  # nothing is kept longer in a process's own memory
FALLBACK_MAX_ENTRIES = 2000
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# A sliding-window rate check in one round trip: reads this window's and the previous window's
# counters, and counts the request (INCR, expiring after two windows) only when
#   previous × weight + current + 1 ≤ limit.
# KEYS: current, previous; ARGV: limit, ttl (seconds), weight (0..1). Returns
# {allowed (0/1), current, previous}.
WINDOW_SCRIPT = Script(
    None,
    b"""
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
if previous * tonumber(ARGV[3]) + current + 1 > tonumber(ARGV[1]) then
  return {0, current, previous}
end
current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return {1, current, previous}
""",
)
_memory_counters_lock = threading.Lock()


def count_in_window(cache, *, current_key, previous_key, limit, ttl, weight):
    """(allowed, current, previous) of one rate check; counts the request when allowed.

    On Redis: ``WINDOW_SCRIPT``, atomic across every process. Elsewhere (a memory cache, or
    Redis away): the same arithmetic under a lock of this process.
    """
    if isinstance(cache, FailOpenRedisCache):
        return cache.count_in_window(current_key, previous_key, limit, ttl, weight)
    if isinstance(cache, RedisCache):
        return _count_on_redis(cache, current_key, previous_key, limit, ttl, weight)
    return _count_in_memory(cache, current_key, previous_key, limit, ttl, weight)


def _count_on_redis(cache, current_key, previous_key, limit, ttl, weight):
    keys = [cache.make_key(current_key), cache.make_key(previous_key)]
    # Django builds a new client object at each call (costlier than the round trip itself):
    # the cache object (one per thread) keeps one, on the same connection pool.
    client = getattr(cache, "_throttle_client", None)
    if client is None:
        client = cache._throttle_client = cache._cache.get_client(keys[0], write=True)
    allowed, current, previous = WINDOW_SCRIPT(
        keys=keys, args=[limit, ttl, f"{weight:.6f}"], client=client
    )
    return bool(allowed), int(current), int(previous)


def _count_in_memory(cache, current_key, previous_key, limit, ttl, weight):
    with _memory_counters_lock:
        current = cache.get(current_key, 0)
        previous = cache.get(previous_key, 0)
        if previous * weight + current + 1 > limit:
            return False, current, previous
        cache.set(current_key, current + 1, ttl)
        return True, current + 1, previous


class _Outage:
    """What a process knows of its Redis (shared by its threads: Django makes one cache object
    per thread)."""

    def __init__(self):
        self.down_until = 0.0
        self.was_down = False
        self.touched: set[str] = set()  # keys written or deleted while Redis was away
        self.lock = threading.Lock()


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_of(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        location = str(server)
        # LocMemCache instances of one name share their memory: one fallback per process.
        self._fallback = LocMemCache(
            f"fail-open:{location}",
            {"TIMEOUT": FALLBACK_MAX_SECONDS, "OPTIONS": {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES}},
        )
        self._outage = _outage_of(location)

    # --- State -----------------------------------------------------------------------------

    def is_degraded(self) -> bool:
        return time.monotonic() < self._outage.down_until

    def _trip(self, operation: str, error: Exception) -> None:
        outage = self._outage
        with outage.lock:
            first = not outage.was_down
            outage.down_until = time.monotonic() + RETRY_SECONDS
            outage.was_down = True
        if first:
            logger.warning(
                "cache: Redis unreachable (%s on %s); falling back to process memory, "
                "throttles count per process",
                type(error).__name__,
                operation,
            )

    def _recovered(self) -> None:
        outage = self._outage
        with outage.lock:
            if not outage.was_down:
                return
            outage.was_down = False
            touched, outage.touched = outage.touched, set()
        if touched:
            try:
                self._cache.delete_many(list(touched))
            except UNREACHABLE as error:
                self._trip("delete_many", error)
                with outage.lock:
                    outage.touched |= touched
                return
        self._fallback.clear()
        logger.warning("cache: Redis is back; %d key(s) written meanwhile forgotten", len(touched))

    def _call(self, operation: str, writes: list | None, *args, **kwargs):
        """Redis's answer, or the fallback's while Redis is away. ``writes``: the keys the
        operation writes or deletes (to forget in Redis once it is back)."""
        if not self.is_degraded():
            try:
                result = getattr(super(), operation)(*args, **kwargs)
            except UNREACHABLE as error:
                self._trip(operation, error)
            else:
                if self._outage.was_down:
                    self._recovered()
                return result
        if writes:
            version = kwargs.get("version")
            with self._outage.lock:
                self._outage.touched.update(self.make_key(key, version=version) for key in writes)
        fallback_kwargs = dict(kwargs)
        if "timeout" in fallback_kwargs:
            fallback_kwargs["timeout"] = self._fallback_timeout(fallback_kwargs["timeout"])
        return getattr(self._fallback, operation)(*args, **fallback_kwargs)

    @staticmethod
    def _fallback_timeout(timeout):
        if timeout is DEFAULT_TIMEOUT or timeout is None:
            return FALLBACK_MAX_SECONDS
        return min(timeout, FALLBACK_MAX_SECONDS)

    # --- Django's cache API --------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", [key], key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", None, key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", [key], key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", [key], key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", [key], key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", None, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", None, key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", [key], key, delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._call("delete_many", keys, keys, version=version)

    def clear(self):
        return self._call("clear", None)

    # --- Throttles (web.throttles) -------------------------------------------------------

    def count_in_window(self, current_key, previous_key, limit, ttl, weight):
        """The rate check on Redis, else (Redis away) on this process's fallback memory, whose
        counters keep their window's length: a limit per hour still holds, per process."""
        if not self.is_degraded():
            try:
                result = _count_on_redis(self, current_key, previous_key, limit, ttl, weight)
            except UNREACHABLE as error:
                self._trip("throttle", error)
            else:
                if self._outage.was_down:
                    self._recovered()
                return result
        return _count_in_memory(self._fallback, current_key, previous_key, limit, ttl, weight)


def shared_cache_available() -> bool:
    """False while the shared cache (Redis) is away and this process uses its own memory."""
    backend = caches["default"]
    return not (isinstance(backend, FailOpenRedisCache) and backend.is_degraded())
