"""The real Redis server, store.health against the running services, and /healthz.

Redis tests FAIL (never skip) when REDIS_URL is unset or the server is down.
"""

import json
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from store.health import check_all, check_redis


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
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"database": True}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405
