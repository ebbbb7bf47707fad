"""web.throttles' arithmetic and client identity, without a server."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from web.throttles import Rate, client_address, network_of, retry_after


@pytest.mark.parametrize(
    ("text", "limit", "window"),
    [
        ("20/minute", 20, 60),
        ("10/hour", 10, 3600),
        ("5/15minute", 5, 900),
        ("1000000/second", 1_000_000, 1),
        ("3/d", 3, 86400),
    ],
)
def test_rates_are_read_as_drf_writes_them_and_with_a_multiple(text, limit, window):
    assert Rate.parse(text) == Rate(limit, window)


@pytest.mark.parametrize("text", ["", "20", "0/minute", "ten/hour", "5/fortnight"])
def test_a_rate_not_understood_stops_the_program(text):
    with pytest.raises(ImproperlyConfigured):
        Rate.parse(text)


def test_a_full_window_waits_for_the_next_one_and_its_fading():
    # 10 per minute all spent 15 s into this window, nothing in the previous one: the next
    # window starts in 45 s, then this one's 10 weigh 9 (room for one) 6 s later.
    assert retry_after(Rate(10, 60), current=10, previous=0, elapsed=0.25) == 45 + 6


def test_the_previous_window_fading_frees_room_first():
    # 4 counted now, 12 in the previous minute, limit 10 at 30 s: room comes back once the
    # previous window's weight drops to 5/12, i.e. at 35 s.
    assert retry_after(Rate(10, 60), current=4, previous=12, elapsed=0.5) == 5


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        # No trusted proxy: whatever the client writes in X-Forwarded-For is ignored.
        (0, "1.2.3.4", "203.0.113.9", "203.0.113.9"),
        # One proxy: the entry it appended (the rightmost); the client's own entries before it.
        (1, "6.6.6.6, 198.51.100.7", "10.0.0.2", "198.51.100.7"),
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.3", "10.0.0.2", "198.51.100.7"),
        # Fewer entries than proxies (reached without them): the socket's address.
        (2, "198.51.100.7", "10.0.0.2", "10.0.0.2"),
        (1, "", "10.0.0.2", "10.0.0.2"),
        # Garbage is no identity of its own to rotate.
        (1, "not-an-address", "10.0.0.2", "unknown"),
    ],
)
def test_the_client_is_who_our_own_proxies_say(settings, proxies, forwarded, remote, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_an_ipv6_client_counts_as_its_network():
    assert network_of("2001:db8:1:2:aaaa::1") == network_of("2001:db8:1:2:ffff::9")
    assert network_of("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert network_of("2001:db8:1:3::1") != network_of("2001:db8:1:2::1")
    assert network_of("::ffff:192.0.2.5") == "192.0.2.5"


@pytest.mark.parametrize("start", [0.0, 13.5, 59.9])
def test_retrying_when_told_is_allowed_and_not_a_second_before(start):
    from django.core.cache import cache

    from web.throttles import hit

    cache.clear()
    rate = Rate(5, 60)
    now = 6_000_000 + start  # somewhere inside a window
    assert all(hit("t", "me", rate, now=now).allowed for _ in range(5))
    refused = hit("t", "me", rate, now=now)
    assert not refused.allowed
    assert not hit("t", "me", rate, now=now + refused.retry_after - 1).allowed
    assert hit("t", "me", rate, now=now + refused.retry_after).allowed
