"""Counting without tracking, end to end on the real Redis and PostgreSQL: what a page view, an
install click, a search and a favourite add to the day's figures once flushed; who is not
counted; that counting sets no cookie; that pages answer with Redis stopped."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from catalogue.models import AppPage
from catalogue.services import add_favourite, remove_favourite
from catalogue.stats import counting
from catalogue.stats.flush import flush
from catalogue.stats.models import AppDayCount, QueryDayCount
from search.backends import get_backend
from tests.factories import AppPageFactory, UserFactory
from tests.integration.stats.conftest import BROWSER


def figures(app) -> dict:
    return dict(
        AppDayCount.objects.filter(app=app, day=timezone.localdate()).values_list("metric", "value")
    )


@pytest.fixture
def app(publisher_a):
    return AppPageFactory(
        publisher=publisher_a,
        title="Alpha Emploi",
        slug="alpha-emploi",
        listings=["web", "android"],
    )


@pytest.mark.django_db
def test_a_view_and_an_install_are_counted_once_flushed_without_a_cookie(redis_cache, browser, app):
    page = browser.get(app.url)
    go = browser.get(f"/go/{app.slug}/android/")

    assert page.status_code == 200
    assert f'href="/go/{app.slug}/android/"' in page.content.decode()
    assert go.status_code == 302
    assert go["Location"] == app.listings.get(platform="android").url
    # Counting sets no cookie (the page's own CSRF cookie for its forms aside).
    assert not go.cookies and "Set-Cookie" not in go
    assert set(page.cookies) <= {"csrftoken"}
    assert figures(app) == {}  # nothing in the database before the flush

    report = flush()

    assert figures(app) == {"view": 1, "visitor": 1, "install:android": 1}
    assert report.increments == 2
    assert flush().increments == 0  # flushed once


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {
            "HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
        },
        {"HTTP_USER_AGENT": "Mozilla/5.0 (compatible; bingbot/2.0)"},
        {"HTTP_USER_AGENT": "facebookexternalhit/1.1"},
        {"HTTP_USER_AGENT": "python-requests/2.32"},
        {"HTTP_USER_AGENT": ""},
        {"HTTP_USER_AGENT": BROWSER, "HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_USER_AGENT": BROWSER, "HTTP_PURPOSE": "prefetch"},
        {"HTTP_USER_AGENT": BROWSER, "HTTP_DNT": "1"},
        {"HTTP_USER_AGENT": BROWSER, "HTTP_SEC_GPC": "1"},
    ],
    ids=[
        "googlebot",
        "bingbot",
        "preview",
        "library",
        "no-agent",
        "sec-purpose",
        "purpose",
        "dnt",
        "gpc",
    ],
)
def test_robots_prefetches_and_refusals_are_not_counted(redis_cache, client, app, headers):
    assert client.get(app.url, **headers).status_code == 200
    assert client.get(f"/go/{app.slug}/web/", **headers).status_code == 302

    flush()

    assert figures(app) == {}


@pytest.mark.django_db
def test_distinct_visitors_are_told_apart_by_address_and_agent_only(redis_cache, app):
    for address, agent in [
        ("10.0.0.1", BROWSER),
        ("10.0.0.1", BROWSER),
        ("10.0.0.2", BROWSER),
        ("10.0.0.1", BROWSER + " Other"),
    ]:
        Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent).get(app.url)

    flush()

    assert figures(app) == {"view": 4, "visitor": 3}
    # The salt lives only in the cache, under the day's key.
    assert redis_cache.get(f"stats:salt:{counting.day_key()}")


@pytest.mark.django_db
def test_install_redirect_is_never_open(redis_cache, browser, app, publisher_a):
    draft = AppPageFactory(publisher=publisher_a, slug="brouillon", live=False)
    for url in [
        f"/go/{app.slug}/ios/",  # no listing on that platform
        f"/go/{app.slug}/evil-example-com/",
        f"/go/{draft.slug}/web/",  # not published
        "/go/nothing-here/web/",
        f"/go/{app.slug}/web/?next=https://evil.example.com/",
    ][:4]:
        assert browser.get(url).status_code == 404, url
    crafted = browser.get(
        f"/go/{app.slug}/web/?next=https://evil.example.com/&url=//evil.example.com"
    )
    assert crafted["Location"] == app.listings.get(platform="web").url
    assert browser.post(f"/go/{app.slug}/web/").status_code == 405

    flush()

    assert figures(app) == {"install:web": 1}
    assert figures(draft) == {}


@pytest.mark.django_db
def test_search_impressions_the_query_that_led_to_an_app_and_searches_with_no_result(
    redis_cache, browser, app, settings
):
    settings.SEARCH_BACKEND = "database"
    get_backend().rebuild()
    results = browser.get("/apps/", {"q": "Alpha"})
    assert results.status_code == 200
    browser.get(app.url, HTTP_REFERER="http://testserver/apps/?q=Alpha+")
    browser.get(app.url, HTTP_REFERER="https://elsewhere.example.com/apps/?q=alpha")
    browser.get("/apps/", {"q": "zzz introuvable"})
    browser.get("/apps/", {"q": "Alpha", "page": "2"})  # not the first page: no impression

    flush()

    assert figures(app) == {"impression": 1, "view": 2, "visitor": 1}
    led = QueryDayCount.objects.get(app=app)
    assert (led.query, led.searches, led.visitors) == ("alpha", 1, 1)
    missed = QueryDayCount.objects.get(app=None)
    assert (missed.query, missed.searches, missed.visitors) == ("zzz introuvable", 1, 1)


@pytest.mark.django_db
def test_favourites_added_and_removed_are_counted_on_commit(
    redis_cache, app, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        add_favourite(user, app)
        remove_favourite(user, app.pk)
        remove_favourite(user, app.pk)  # nothing left to remove: not counted

    flush()

    assert figures(app) == {"favourite_added": 1, "favourite_removed": 1}


@pytest.mark.django_db
def test_pages_answer_with_redis_stopped_and_counts_stay_in_memory(
    redis_stopped, browser, app, settings
):
    settings.SEARCH_BACKEND = "database"
    get_backend().rebuild()
    assert browser.get(app.url).status_code == 200
    assert browser.get(f"/go/{app.slug}/web/").status_code == 302
    assert browser.get("/apps/", {"q": "Alpha"}).status_code == 200

    flush()

    assert figures(app) == {"view": 1, "visitor": 1, "install:web": 1, "impression": 1}


@pytest.mark.django_db
def test_a_failed_flush_loses_nothing_and_counts_nothing_twice(
    redis_cache, browser, app, monkeypatch
):
    browser.get(app.url)
    from catalogue.stats import flush as flush_module

    def fail(*args, **kwargs):
        raise RuntimeError("database away")

    monkeypatch.setattr(flush_module, "upsert_queries", fail)
    with pytest.raises(RuntimeError):
        flush()
    monkeypatch.undo()
    browser.get(app.url)  # arrives while the first batch waits

    flush()
    flush()

    assert figures(app)["view"] == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_counts_are_exact_under_concurrency(redis_cache, publisher_a):
    app = AppPageFactory(publisher=publisher_a, slug="concurrente", listings=["web"])
    url = AppPage.objects.get(pk=app.pk).url
    threads_count, rounds = 20, 2
    errors = []
    start = threading.Barrier(threads_count)

    def visit(number):
        client = Client(REMOTE_ADDR=f"10.1.0.{number}", HTTP_USER_AGENT=BROWSER)
        try:
            start.wait()
            for _ in range(rounds):
                if client.get(url).status_code != 200:
                    errors.append("page")
                if client.get(f"/go/{app.slug}/web/").status_code != 302:
                    errors.append("go")
        finally:
            connection.close()

    threads = [threading.Thread(target=visit, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    flush()

    assert errors == []
    total = threads_count * rounds
    assert figures(app) == {"view": total, "install:web": total, "visitor": threads_count}


@pytest.mark.django_db
def test_counts_kept_in_memory_during_an_outage_reach_redis_once_it_answers(
    redis_cache, browser, app
):
    day = counting.day_key()
    with counting.memory.lock:  # what a page counted while Redis was away, in this process
        counting.memory.counts[f"c|{day}|{app.pk}|view"] += 3
        counting.memory.sets[f"v|{day}|{app.pk}"].add("someone-earlier")

    browser.get(app.url)
    assert not counting.memory.counts  # sent along with this request's increments
    client = redis_cache._cache.get_client(write=True)
    assert client.hget(redis_cache.make_key(counting.COUNTS), f"c|{day}|{app.pk}|view") == b"4"

    flush()

    assert figures(app) == {"view": 4, "visitor": 2}
