"""What a visitor's browser does on the public site: no request leaves for another origin (no
font, script, image or tracker from a third party) on any public page, signed out or in; and
the only cookies it ends up with are those the "Gestion des cookies" page lists."""

import re
from urllib.parse import urlsplit

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
        page.wait_for_load_state("networkidle")
    assert len(requests) >= len(urls)


def test_no_third_party_request_from_any_public_page(browser, live_url, store):
    urls = public_pages()
    account_urls = signed_in_pages()
    own = origin(live_url)
    requests = []  # (origin, url, page) of every request the browser sent
    contexts = [new_context(browser, live_url), new_context(browser, live_url)]
    try:
        for context in contexts:
            context.on("request", lambda request: requests.append(request.url))
        anonymous, signed_in = (context.new_page() for context in contexts)
        walk(anonymous, urls, requests)
        sign_in(signed_in, store.visitor.username)
        walk(signed_in, urls + account_urls, requests)
    finally:
        for context in contexts:
            context.close()

    origins = {}
    for url in requests:
        if urlsplit(url).scheme in NOT_NETWORK:
            continue
        origins.setdefault(origin(url), []).append(url)
    print(f"{len(requests)} requests from {len(urls) + len(account_urls)} pages, by origin:")
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
