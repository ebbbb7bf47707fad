"""Reachability checks for the services the store depends on, one line each, and the
readiness verdict that /readyz and `manage.py check_services` share.

The database is required: without it the store is *unavailable*. Redis (cache and broker) and
Elasticsearch only cost speed or freshness when they are away (web.cache, search.service):
the store is then *degraded*, still ready to serve.
"""

from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import connections
from elasticsearch import Elasticsearch

from store.env import redact_url

TIMEOUT_SECONDS = 3
READY, DEGRADED, UNAVAILABLE = "ready", "degraded", "unavailable"


@dataclass(frozen=True)
class ServiceStatus:
    name: str
    target: str
    ok: bool
    detail: str

    def line(self) -> str:
        mark = "ok" if self.ok else "UNREACHABLE"
        return f"{self.name:<14} {mark:<12} {self.target}  {self.detail}".rstrip()


def describe_database() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite at {db['NAME']}, from DATABASE_URL"
    host, port = db.get("HOST") or "localhost", db.get("PORT") or 5432
    return f"{db['ENGINE'].rsplit('.', 1)[-1]} at {host}:{port}/{db['NAME']}, from DATABASE_URL"


def check_database() -> ServiceStatus:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        return ServiceStatus("database", describe_database(), True, connections["default"].vendor)
    except Exception as error:
        return ServiceStatus("database", describe_database(), False, first_line(error))


def check_redis(timeout: float = TIMEOUT_SECONDS) -> ServiceStatus:
    if not settings.REDIS_URL:
        return ServiceStatus("redis", "(REDIS_URL unset)", True, "Celery runs tasks eagerly")

    target = f"{redact_url(settings.REDIS_URL)} (REDIS_URL)"
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        client.ping()
        return ServiceStatus("redis", target, True, "PONG")
    except Exception as error:
        return ServiceStatus("redis", target, False, first_line(error))


def check_elasticsearch(timeout: float = TIMEOUT_SECONDS) -> ServiceStatus:
    if not settings.ELASTICSEARCH_URL:
        return ServiceStatus("elasticsearch", "(ELASTICSEARCH_URL unset)", True, "database search")

    target = f"{redact_url(settings.ELASTICSEARCH_URL)} (ELASTICSEARCH_URL)"
    try:
        client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=timeout, max_retries=0)
        info = client.info()
        return ServiceStatus("elasticsearch", target, True, f"version {info['version']['number']}")
    except Exception as error:
        return ServiceStatus("elasticsearch", target, False, first_line(error))


def check_all(timeout: float = TIMEOUT_SECONDS) -> list[ServiceStatus]:
    return [check_database(), check_redis(timeout), check_elasticsearch(timeout)]


def readiness(statuses: list[ServiceStatus]) -> str:
    """ready (all answer), degraded (the database answers, not all the others), unavailable."""
    by_name = {status.name: status for status in statuses}
    if not by_name["database"].ok:
        return UNAVAILABLE
    return READY if all(status.ok for status in statuses) else DEGRADED


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0] if text else ''}".rstrip(": ")
