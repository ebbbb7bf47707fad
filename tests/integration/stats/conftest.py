"""Fixtures of the statistics' tests: the default cache on the real Redis (a key prefix of the
test's own, so parallel runs never read each other's counters), or on a closed port."""

import os
import socket
import uuid

import pytest

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def redis_cache_settings(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "web.cache.FailOpenRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-stats-{uuid.uuid4().hex[:8]}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def redis_cache(settings):
    """The default cache on the test run's Redis (it must be there: never skipped)."""
    url = os.environ.get("REDIS_URL")
    assert url, "REDIS_URL is not set: the statistics' tests need the real Redis"
    settings.CACHES = redis_cache_settings(url)
    from django.core.cache import cache

    yield cache
    # Only this test's keys: clear() would empty the whole Redis database, which other
    # workers (and the Celery broker) share.
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(f"{settings.CACHES['default']['KEY_PREFIX']}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def closed_port():
    """A port nothing listens on (bound then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_stopped(settings, closed_port):
    settings.CACHES = redis_cache_settings(f"redis://127.0.0.1:{closed_port}/0")
    from django.core.cache import cache

    return cache


@pytest.fixture
def browser(client):
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    return client
