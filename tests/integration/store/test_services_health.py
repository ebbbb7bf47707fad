"""The real Redis server, store.health against the running services, and /healthz.

Redis tests FAIL (never skip) when REDIS_URL is unset or the server is down.
"""

import json
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from store.health import ServiceStatus, check_all, check_redis, readiness


@pytest.fixture
def redis_client():
    import redis

    if not settings.REDIS_URL:
        pytest.fail(
            "REDIS_URL is not set: the suite needs the Redis server "
            "(scripts/services.sh up, then REDIS_URL=redis://127.0.0.1:63799/0).",
            pytrace=False,
        )
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5)
    problem = None
    try:
        client.ping()
    except Exception as error:
        problem = f"{type(error).__name__}: {error}"
    if problem:  # failed outside the except block: one message, no chained traceback
        pytest.fail(
            f"Redis at {settings.REDIS_URL} (REDIS_URL) is unreachable: {problem}", pytrace=False
        )
    yield client
    client.close()


@pytest.mark.redis
def test_redis_ping_set_get(redis_client):
    key = f"emploistore:test:{uuid.uuid4().hex}"
    try:
        assert redis_client.ping() is True
        assert redis_client.set(key, "Trouver une formation", ex=60)
        assert redis_client.get(key) == b"Trouver une formation"
    finally:
        redis_client.delete(key)
    assert redis_client.get(key) is None


@pytest.mark.django_db
@pytest.mark.redis
@pytest.mark.elasticsearch
def test_check_all_reports_every_service_ok():
    statuses = check_all()

    assert [status.name for status in statuses] == ["database", "redis", "elasticsearch"]
    failing = [status.line() for status in statuses if not status.ok]
    assert not failing, failing
    by_name = {status.name: status for status in statuses}
    assert by_name["database"].detail == "postgresql"
    assert by_name["redis"].detail == "PONG"
    assert by_name["elasticsearch"].detail.startswith("version 8.")
    assert "REDIS_URL" in by_name["redis"].target
    assert "ELASTICSEARCH_URL" in by_name["elasticsearch"].target


@pytest.mark.django_db
@pytest.mark.redis
@pytest.mark.elasticsearch
def test_check_services_command_prints_one_ok_line_per_service(capsys):
    call_command("check_services")

    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["database", "ok"],
        ["redis", "ok"],
        ["elasticsearch", "ok"],
    ]


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_check_redis_reports_a_closed_port_without_raising():
    status = check_redis()

    assert status.ok is False
    assert status.name == "redis"
    assert "REDIS_URL" in status.target
    assert "\n" not in status.line()


@pytest.mark.django_db
def test_healthz_says_the_process_is_alive_without_asking_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "alive"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert len(queries) == 0


@pytest.mark.django_db
def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
@pytest.mark.redis
@pytest.mark.elasticsearch
def test_readyz_is_ready_when_every_service_answers(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ready"
    assert {name: state["ok"] for name, state in body["services"].items()} == {
        "database": True,
        "redis": True,
        "elasticsearch": True,
    }


@pytest.mark.django_db
def test_readyz_is_degraded_but_ready_without_redis_and_elasticsearch(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"

    response = client.get("/readyz")

    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "degraded"
    assert body["services"]["database"]["ok"] is True
    assert body["services"]["redis"]["ok"] is False
    assert body["services"]["elasticsearch"]["ok"] is False


def test_readiness_without_the_database_is_unavailable():
    statuses = [
        ServiceStatus("database", "x", False, "refused"),
        ServiceStatus("redis", "x", True, "PONG"),
        ServiceStatus("elasticsearch", "x", True, "version 8"),
    ]
    assert readiness(statuses) == "unavailable"
