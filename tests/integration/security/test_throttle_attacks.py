"""Item 1, 2 and 8 of issue 13: password guessing and mail bombing, as an attacker tries them.

Every attempt below is a wrong password or a reset request; each test asserts the attack is
refused (429, with when to retry) and that nothing changed: the password still works, no token
was issued, no mail beyond the budget left.
"""

import html
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from rest_framework.test import APIClient

from identity.models import DeviceToken
from tests.factories import PASSWORD, EditorFactory, UserFactory
from web.cache import FailOpenRedisCache, count_in_window

TOKEN_URL = "/api/v1/auth/token/"
WRONG = "not-the-password"

pytestmark = pytest.mark.django_db


def statuses(responses) -> list[int]:
    return [response.status_code for response in responses]


def assert_password_still_works(user):
    user = get_user_model().objects.get(pk=user.pk)
    assert user.check_password(PASSWORD)
    assert not DeviceToken.objects.filter(user=user).exists()


def test_rotating_x_forwarded_for_does_not_reset_the_token_budget(rates):
    """30 wrong passwords, each from a 'different' address written in X-Forwarded-For: the
    header is not trusted (no proxy configured), so the 21st is refused as from one address."""
    rates(auth="20/minute", auth_account="1000/hour")
    victim = UserFactory(username="victime")
    client = APIClient()
    answers = [
        client.post(
            TOKEN_URL,
            {"username": "victime", "password": WRONG},
            format="json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
        for n in range(30)
    ]
    assert statuses(answers) == [400] * 20 + [429] * 10
    assert 0 < int(answers[-1]["Retry-After"]) <= 90  # sliding window: 1.5 windows at most
    assert_password_still_works(victim)


def test_behind_our_proxy_a_forged_x_forwarded_for_entry_is_ignored(settings, rates):
    """One proxy of ours appends the real address: whatever the client put before it rotates
    for nothing."""
    settings.TRUSTED_PROXY_COUNT = 1
    rates(auth="20/minute", auth_account="1000/hour")
    UserFactory(username="victime")
    client = APIClient()
    answers = [
        client.post(
            TOKEN_URL,
            {"username": "victime", "password": WRONG},
            format="json",
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.66",
        )
        for n in range(30)
    ]
    assert statuses(answers) == [400] * 20 + [429] * 10
    # Another client behind the same proxy is not held by that attacker's budget.
    other = client.post(
        TOKEN_URL,
        {"username": "victime", "password": PASSWORD},
        format="json",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.67",
    )
    assert other.status_code == 200


def test_many_real_addresses_on_one_account_meet_the_account_budget(rates):
    """A botnet: each wrong password from a real, different socket address. The account's own
    budget refuses the 11th, whatever the address — and the right password too until then."""
    rates(auth="20/minute", auth_account="10/hour")
    victim = UserFactory(username="victime")
    client = APIClient()
    answers = [
        client.post(
            TOKEN_URL,
            {"username": "VICTIME ", "password": WRONG},  # case and spaces change nothing
            format="json",
            REMOTE_ADDR=f"203.0.113.{n}",
        )
        for n in range(15)
    ]
    assert statuses(answers) == [400] * 10 + [429] * 5
    assert int(answers[-1]["Retry-After"]) > 60  # the account's window: up to an hour
    assert_password_still_works(victim)


def test_the_site_and_the_api_share_the_account_budget(client, rates):
    rates(auth="100/minute", auth_account="10/hour")
    victim = UserFactory(username="victime")
    api = APIClient()
    for n in range(5):
        api.post(
            TOKEN_URL,
            {"username": "victime", "password": WRONG},
            format="json",
            REMOTE_ADDR=f"203.0.113.{n}",
        )
    answers = [
        client.post(
            "/compte/connexion/",
            {"username": "victime", "password": WRONG},
            REMOTE_ADDR=f"198.51.100.{n}",
        )
        for n in range(6)
    ]
    assert statuses(answers) == [200] * 5 + [429]
    assert "réessayez dans" in answers[-1].content.decode()
    assert "_auth_user_id" not in client.session
    assert_password_still_works(victim)


def test_thirty_wrong_admin_passwords_are_refused_after_the_budget(client, rates):
    """Wagtail's /admin/login/ is no free oracle: same budgets as the site's sign-in, even
    with a rotating X-Forwarded-For, and the right password is refused while it lasts."""
    rates(auth="20/minute", auth_account="10/hour")
    editor = EditorFactory(username="redaction")
    answers = [
        client.post(
            "/admin/login/",
            {"username": "redaction", "password": WRONG},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
        for n in range(30)
    ]
    assert statuses(answers) == [200] * 10 + [429] * 20
    assert "Trop d'envois en peu de temps" in html.unescape(answers[-1].content.decode())
    right = client.post("/admin/login/", {"username": "redaction", "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    assert_password_still_works(editor)


def test_the_admin_password_reset_is_no_mail_bomb(client, rates):
    """Reset links to one address, from rotating addresses: 3 mails, then refusals — and the
    same answers for an address no account uses."""
    rates(auth="100/minute", mail_address="3/hour")
    EditorFactory(username="redaction", email="redaction@example.org")
    known = [
        client.post(
            "/admin/password_reset/",
            {"email": "redaction@example.org"},
            REMOTE_ADDR=f"203.0.113.{n}",
        )
        for n in range(6)
    ]
    unknown = [
        client.post(
            "/admin/password_reset/",
            {"email": "personne@example.org"},
            REMOTE_ADDR=f"198.51.100.{n}",
        )
        for n in range(6)
    ]
    assert statuses(known) == statuses(unknown) == [302] * 3 + [429] * 3
    assert len(mail.outbox) == 3
    assert {message.to[0] for message in mail.outbox} == {"redaction@example.org"}


def test_the_site_password_reset_counts_per_recipient_too(client, rates):
    rates(auth="100/minute", mail_address="3/hour")
    UserFactory(username="autrice", email="autrice@example.org")
    answers = [
        client.post(
            "/compte/mot-de-passe/oublie/",
            {"email": "Autrice@Example.org"},
            REMOTE_ADDR=f"203.0.113.{n}",
        )
        for n in range(5)
    ]
    assert statuses(answers) == [302] * 3 + [429] * 2
    assert len(mail.outbox) == 3


# --- The counter on the real Redis -----------------------------------------------------------


@pytest.fixture
def redis_cache(settings):
    """A FailOpenRedisCache on the suite's Redis (a key prefix of its own, emptied after)."""
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL is not set: this test needs the real Redis server.")
    cache = FailOpenRedisCache(
        settings.REDIS_URL,
        {"KEY_PREFIX": f"throttle-test-{threading.get_ident()}", "OPTIONS": {}},
    )
    yield cache
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(f"{cache.key_prefix}*"):
        client.delete(key)


def test_the_redis_counter_is_atomic_under_concurrency(redis_cache):
    """Eight threads × ten checks on one budget of 25: exactly 25 allowed, never 26."""
    allowed = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def attack():
        start.wait()
        mine = 0
        for _ in range(10):
            ok, _current, _previous = count_in_window(
                redis_cache,
                current_key="rl:test:who:1",
                previous_key="rl:test:who:0",
                limit=25,
                ttl=120,
                weight=0.5,
            )
            mine += ok
        with lock:
            allowed.append(mine)

    threads = [threading.Thread(target=attack) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(allowed) == 25
    assert not redis_cache.is_degraded()
    client = redis_cache._cache.get_client(write=True)
    key = redis_cache.make_key("rl:test:who:1")
    assert int(client.get(key)) == 25  # refused checks were not counted
    assert 0 < client.ttl(key) <= 120


def test_the_previous_window_weighs_on_redis(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    client.set(redis_cache.make_key("rl:test:w:0"), 10)
    results = [
        count_in_window(
            redis_cache,
            current_key="rl:test:w:1",
            previous_key="rl:test:w:0",
            limit=10,
            ttl=120,
            weight=0.5,
        )[0]
        for _ in range(8)
    ]
    assert results == [True] * 5 + [False] * 3  # 10 × 0.5 + 5 = 10


def test_without_redis_the_throttle_counts_in_the_process_and_says_so(caplog):
    """Redis away (a closed port): the check answers from this process's memory, and the
    log says throttles now count per process."""
    cache = FailOpenRedisCache(
        "redis://127.0.0.1:1/0",
        {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    )
    with caplog.at_level("WARNING", logger="web.cache"):
        results = [
            count_in_window(
                cache,
                current_key="rl:test:down:1",
                previous_key="rl:test:down:0",
                limit=3,
                ttl=120,
                weight=0.0,
            )[0]
            for _ in range(5)
        ]
    assert results == [True] * 3 + [False] * 2
    assert cache.is_degraded()
    assert any("throttles count per process" in record.message for record in caplog.records)
