"""store.health: one readable line per service, whatever the error looks like."""

from store.health import ServiceStatus, first_line


def test_ok_line_names_service_target_and_detail():
    status = ServiceStatus("redis", "redis://cache:6379/0 (REDIS_URL)", True, "PONG")

    assert status.line().split() == ["redis", "ok", "redis://cache:6379/0", "(REDIS_URL)", "PONG"]


def test_failing_line_says_unreachable():
    status = ServiceStatus("elasticsearch", "http://es:9200 (ELASTICSEARCH_URL)", False, "boom")

    assert "UNREACHABLE" in status.line()
    assert status.line().endswith("boom")


def test_first_line_keeps_the_type_and_first_line_only():
    error = ConnectionError("connection refused\nretrying\nthird line")

    assert first_line(error) == "ConnectionError: connection refused"


def test_first_line_of_an_error_without_message_is_its_type():
    assert first_line(TimeoutError()) == "TimeoutError"
