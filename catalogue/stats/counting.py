"""Counting without tracking: what a request adds to the day's counters, and nothing about who.

- **What is not counted**: a visitor who asks not to be (``DNT: 1`` or ``Sec-GPC: 1``), known
  robots (``BOT_PATTERN``, and requests without a User-Agent), prefetches (``Sec-Purpose`` or
  ``Purpose: prefetch``) and anything but GET.
- **Distinct visitors** are told apart by a hash of the day's salt, the address and the
  User-Agent. The salt is random, kept only in the cache under the day's key with a 24-hour
  expiry, and never written anywhere else: once it is gone, nobody (us included) can tell whose
  hash it was. No cookie is read or set. When Redis restarts (or is away), a new salt is drawn
  and the day's visitor sets start again: a visitor may then be counted twice that day, and
  the day's distinct visitors are the larger of the counts before and after (``flush``).
- **Where the counts go**: increments are aggregated in Redis (a hash of counters, one
  ``HINCRBY`` per figure, and a set of hashes per app and day for distinct visitors), sent in
  one pipeline through the default cache's own client (web.cache.FailOpenRedisCache); the
  periodic task ``stats.flush_counters`` writes them to the database in batches
  (catalogue.stats.flush). Without Redis (the demo), or while it does not answer, they are
  kept in this process's memory, and sent along with the first request counted once Redis
  answers again (or flushed by the task when it runs in this process): counts may be lost
  (a process that stops meanwhile), the page always answers.
"""

import hashlib
import logging
import re
import secrets
import threading
from collections import Counter, defaultdict
from urllib.parse import parse_qs, urlsplit

from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from web.cache import UNREACHABLE, FailOpenRedisCache

logger = logging.getLogger(__name__)

# Robots, crawlers, link previews, monitors and HTTP libraries (matched anywhere in the
# User-Agent, case-insensitive). A small set on purpose: the words robots put in their names
# ("bot", "crawl", "spider"), the few big ones that do not, and the usual HTTP clients.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scrap|archiver|headless|lighthouse|pagespeed|pingdom|"
    r"uptime|monitor|preview|facebookexternalhit|embedly|validator|curl/|wget/|python|"
    r"httpclient|http-client|go-http|java/|libwww|okhttp|axios|node-fetch|postman|insomnia",
    re.IGNORECASE,
)
QUERY_MAX_LENGTH = 100
SET_SECONDS = 2 * 86_400  # a day's visitor sets outlive the day by the last flush of it
SALT_SECONDS = 86_400

# Keys (made with the cache's own prefix and version). The counters' hash fields:
# "c|<day>|<app id>|<metric>" (a figure of an app) and "q|<day>|<app id or 0>|<query>" (a
# query that led to an app, or that found nothing); the sets of visitor hashes are
# "set:v|<day>|<app id>" and "set:q|<day>|<app id or 0>|<query>", listed in the index.
COUNTS = "stats:counts"
FLUSHING = "stats:counts:flushing"
SET_INDEX = "stats:sets"
SET_PREFIX = "stats:set:"


def day_key(day=None) -> str:
    return (day or timezone.localdate()).isoformat()


# --- Who is not counted ----------------------------------------------------------------------


def countable(request) -> bool:
    """Whether this request may be counted at all."""
    meta = request.META
    if request.method != "GET":
        return False
    if meta.get("HTTP_DNT") == "1" or meta.get("HTTP_SEC_GPC") == "1":
        return False
    purpose = f"{meta.get('HTTP_SEC_PURPOSE', '')} {meta.get('HTTP_PURPOSE', '')}".lower()
    if "prefetch" in purpose or "prerender" in purpose:
        return False
    user_agent = meta.get("HTTP_USER_AGENT", "")
    return bool(user_agent.strip()) and not BOT_PATTERN.search(user_agent)


def normalise_query(query: str) -> str:
    return " ".join(query.lower().split())[:QUERY_MAX_LENGTH]


def visitor_hash(request, day: str) -> str:
    """The visitor of the day, as a hash nobody can trace back once the day's salt is gone."""
    address = request.META.get("REMOTE_ADDR", "")
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    material = f"{daily_salt(day)}|{address}|{user_agent}".encode()
    return hashlib.sha256(material).hexdigest()[:20]


def daily_salt(day: str) -> str:
    cache = caches["default"]
    key = f"stats:salt:{day}"
    cache.add(key, secrets.token_hex(16), SALT_SECONDS)
    salt = cache.get(key)
    return salt or secrets.token_hex(16)  # the cache lost it in between: this request only


# --- What a request counts -------------------------------------------------------------------


def count_view(request, app_id: int) -> None:
    """An app page seen: a view, a distinct visitor, and the search that led there (when the
    visitor came from the store's search page)."""
    if not countable(request):
        return
    day = day_key()
    visitor = visitor_hash(request, day)
    buffer = Buffer()
    buffer.increment(f"c|{day}|{app_id}|view")
    buffer.add_to_set(f"v|{day}|{app_id}", visitor)
    query = search_query_of_referer(request)
    if query:
        buffer.increment(f"q|{day}|{app_id}|{query}")
        buffer.add_to_set(f"q|{day}|{app_id}|{query}", visitor)
    buffer.send()


def count_install(request, app_id: int, platform: str) -> None:
    if not countable(request):
        return
    buffer = Buffer()
    buffer.increment(f"c|{day_key()}|{app_id}|install:{platform}")
    buffer.send()


def count_search(request, query: str, first_page_app_ids, total: int) -> None:
    """A search page shown: an impression for each app of its first page; a query that found
    nothing is remembered (with its distinct visitors), for the editors."""
    if not countable(request):
        return
    day = day_key()
    buffer = Buffer()
    for app_id in first_page_app_ids:
        buffer.increment(f"c|{day}|{app_id}|impression")
    query = normalise_query(query)
    if total == 0 and query:
        buffer.increment(f"q|{day}|0|{query}")
        buffer.add_to_set(f"q|{day}|0|{query}", visitor_hash(request, day))
    buffer.send()


def count_event(app_id: int, metric: str, amount: int = 1) -> None:
    """Something that happened to the app, counted by the server (a favourite, a review)."""
    buffer = Buffer()
    buffer.increment(f"c|{day_key()}|{app_id}|{metric}", amount)
    buffer.send()


def search_query_of_referer(request) -> str:
    """The query of the store's search page the visitor came from, or ""."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return ""
    parts = urlsplit(referer)
    if parts.netloc != request.get_host() or parts.path != reverse("search"):
        return ""
    return normalise_query(parse_qs(parts.query).get("q", [""])[0])


# --- Where the increments go ----------------------------------------------------------------


class _Memory:
    """The counters of this process while there is no Redis to share them."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts: Counter = Counter()
        self.sets: defaultdict = defaultdict(set)

    def take(self) -> tuple[Counter, dict]:
        with self.lock:
            counts, sets = self.counts, self.sets
            self.counts, self.sets = Counter(), defaultdict(set)
        return counts, sets


memory = _Memory()


def redis_of(cache):
    """The default cache's Redis client, or None when there is no Redis or it is away."""
    if not isinstance(cache, FailOpenRedisCache) or cache.is_degraded():
        return None
    return cache._cache.get_client(write=True)


class Buffer:
    """The increments of one request, sent at once (one Redis round trip)."""

    def __init__(self):
        self.increments: list[tuple[str, int]] = []
        self.members: list[tuple[str, str]] = []

    def increment(self, field: str, amount: int = 1) -> None:
        self.increments.append((field, amount))

    def add_to_set(self, name: str, member: str) -> None:
        self.members.append((name, member))

    def send(self) -> None:
        cache = caches["default"]
        client = redis_of(cache)
        if client is not None:
            if memory.counts or memory.sets:
                self.take_memory()  # kept here while Redis was away: sent along now
            try:
                pipe = client.pipeline(transaction=False)
                counts = cache.make_key(COUNTS)
                for field, amount in self.increments:
                    pipe.hincrby(counts, field, amount)
                if self.members:
                    index = cache.make_key(SET_INDEX)
                    for name, member in self.members:
                        key = cache.make_key(SET_PREFIX + name)
                        pipe.sadd(key, member)
                        pipe.expire(key, SET_SECONDS)
                        pipe.sadd(index, name)
                pipe.execute()
                return
            except UNREACHABLE as error:
                cache._trip("stats", error)  # the cache's breaker: Redis is left alone a while
        with memory.lock:
            for field, amount in self.increments:
                memory.counts[field] += amount
            for name, member in self.members:
                memory.sets[name].add(member)

    def take_memory(self) -> None:
        counts, sets = memory.take()
        self.increments += list(counts.items())
        self.members += [(name, member) for name, members in sets.items() for member in members]
