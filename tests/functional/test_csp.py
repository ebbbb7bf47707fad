"""The Content-Security-Policy in a real browser, on the pages the other browser tests do not
walk: an editor's visit (Wagtail's user bar on public pages), the API's documentation, an
error page. Like every browser test, each ends by checking that no violation was reported
(tests/functional/conftest.py: the page fixture)."""

import re

from playwright.sync_api import expect

from tests.factories import EditorFactory
from tests.functional.conftest import BROWSER_TEST, sign_in

pytestmark = BROWSER_TEST


def test_an_editor_walks_the_public_site_with_the_user_bar(page, store):
    EditorFactory(username="redaction")
    sign_in(page, "redaction")
    for url in ("/", "/apps/?platform=android", store.urls["metiers"], "/compte/favoris/"):
        page.goto(url)
        expect(page.locator("main")).to_be_visible()


# Both render the whole OpenAPI schema in the browser: on a busy machine that takes a while.
RENDERED = 30_000  # ms


def test_the_api_documentation_renders(page, store):
    page.goto("/api/docs/")
    expect(page.locator("#swagger-ui")).to_contain_text("Emploi Store API", timeout=RENDERED)
    page.goto("/api/redoc/")
    expect(page.locator("body")).to_contain_text(re.compile("Emploi Store API"), timeout=RENDERED)


def test_an_error_page(page, store):
    response = page.goto("/cette-page-n-existe-pas/")
    assert response.status == 404
    expect(page.locator("h1")).to_be_visible()
