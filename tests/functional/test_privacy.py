"""What a visitor's browser does on the public site: no request leaves for another origin (no
font, script, image or tracker from a third party) on any public page, signed out or in; and
the only cookies it ends up with are those the "Gestion des cookies" page lists."""

import re
from urllib.parse import urlsplit

import pytest

from cms import legal
from tests.functional.conftest import BROWSER_TEST, new_context, sign_in
from tests.public_pages import public_pages, signed_in_pages

pytestmark = BROWSER_TEST

NOT_NETWORK = ("data", "blob", "about")


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def walk(page, urls, requests) -> None:
    for url in urls:
        page.goto(url)
        # A minute, not the default 15 s: a busy machine may take that long to settle a page
        # (what is checked is where the requests go, not how fast).
        page.wait_for_load_state("networkidle", timeout=60_000)
    assert len(requests) >= len(urls)


# Signed out, then signed in (with the account's pages): two tests, so that two test
# processes walk them side by side.
@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_no_third_party_request_from_any_public_page(browser, live_url, store, signed_in):
    urls = public_pages() + (signed_in_pages() if signed_in else [])
    own = origin(live_url)
    requests = []  # the URL of every request the browser sent
    context = new_context(browser, live_url)
    try:
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        if signed_in:
            sign_in(page, store.visitor.username)
        walk(page, urls, requests)
    finally:
        context.close()

    origins = {}
    for url in requests:
        if urlsplit(url).scheme in NOT_NETWORK:
            continue
        origins.setdefault(origin(url), []).append(url)
    print(f"{len(requests)} requests from {len(urls)} pages, by origin:")
    for found, sent in sorted(origins.items()):
        print(f"  {found}: {len(sent)}")
    third_parties = {found: sent[:3] for found, sent in origins.items() if found != own}
    assert not third_parties, f"requests to other origins: {third_parties}"
    assert set(origins) == {own}


def test_the_browser_holds_only_the_cookies_the_page_lists(browser, live_url, store):
    context = new_context(browser, live_url)
    try:
        page = context.new_page()
        page.goto("/")
        page.goto(store.urls["formation"])
        # Sign in, favourite an app, switch the language, walk the account's pages.
        sign_in(page, store.visitor.username)
        page.goto(store.urls["formation"])
        page.locator("main form[action*='/favoris/application/'] button").first.click()
        page.wait_for_load_state()
        page.get_by_role("button", name=re.compile(r"English")).first.click()
        page.wait_for_load_state()
        for url in signed_in_pages():
            page.goto(url)
        names = {cookie["name"] for cookie in context.cookies()}
        origins = {cookie["domain"] for cookie in context.cookies()}
    finally:
        context.close()
    assert {"sessionid", "csrftoken", "django_language"} <= names
    assert names <= legal.cookie_names(), f"not listed: {names - legal.cookie_names()}"
    assert origins == {urlsplit(live_url).hostname}
