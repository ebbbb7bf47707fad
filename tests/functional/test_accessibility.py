"""RGAA / WCAG 2.1 AA: axe-core finds no serious or critical violation on the store's key
pages; the language of the page is declared; a skip link leads to the main content."""

import re

from playwright.sync_api import expect

from tests.functional.conftest import (
    BROWSER_TEST,
    assert_no_serious_violations,
    fill_sign_in_form,
    sign_in,
)

pytestmark = BROWSER_TEST


def test_home(page, store):
    page.goto("/")
    assert_no_serious_violations(page, "the home page")


def test_search_with_two_facets_selected(page, store):
    page.goto("/apps/?q=&platform=android&platform=web&audience=jobseekers")
    main = page.locator("main")
    expect(main.get_by_role("checkbox", name=re.compile(r"^\s*Android\b"))).to_be_checked()
    expect(main.get_by_role("checkbox", name=re.compile(r"^\s*Web\b"))).to_be_checked()
    assert_no_serious_violations(page, "the search page with facets selected")


def test_app_page(page, store):
    page.goto(store.urls["metiers"])  # with reviews, a rating summary and a verified publisher
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Métiers en Vue"))
    assert_no_serious_violations(page, "an app page")


def test_review_form_empty_and_with_errors(page, store):
    sign_in(page, "camille")
    page.goto(store.urls["formation"])
    main = page.locator("main")
    publish = main.get_by_role("button", name=re.compile(r"Publier mon avis"))
    expect(publish).to_be_visible()
    assert_no_serious_violations(page, "the review form")

    # Sent without a rating (as a browser without form validation would): the form comes back
    # with its error message.
    publish.evaluate("button => { button.form.noValidate = true; }")
    publish.click()
    page.wait_for_load_state()
    expect(main.get_by_text(re.compile(r"Choisissez une note")).first).to_be_visible()
    assert_no_serious_violations(page, "the review form with an error")


def test_sign_in_page(page, store):
    page.goto("/compte/connexion/")
    assert_no_serious_violations(page, "the sign-in page")

    # A failed attempt shows its error accessibly too.
    fill_sign_in_form(page, "camille", "pas le bon")
    assert "/compte/connexion/" in page.url
    assert_no_serious_violations(page, "the sign-in page with an error")


def test_publisher_dashboard(page, store):
    sign_in(page, store.member.username)
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("body")).to_contain_text("Atelier Nord")
    assert_no_serious_violations(page, "the publisher member's dashboard")


def test_pages_declare_their_language(page, store):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^fr\b"))
    page.goto("/apps/")
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^fr\b"))

    # The language switch in the header: the site in English, and it says so.
    page.get_by_role("button", name=re.compile(r"English")).first.click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^en\b"))
    page.goto(store.urls["formation"])
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^en\b"))


def test_a_skip_link_comes_first_and_moves_focus_to_main(page, store):
    for path in ("/", "/apps/", store.urls["formation"]):
        page.goto(path)
        page.keyboard.press("Tab")
        first = page.evaluate(
            """() => {
                const el = document.activeElement;
                const href = el.getAttribute('href') || '';
                const target = href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
                const main = document.querySelector('main');
                return {
                    tag: el.tagName, href, text: el.innerText.trim(),
                    targetsMain: !!(target && main && (target === main || main.contains(target))),
                };
            }"""
        )
        assert first["tag"] == "A" and first["targetsMain"], (
            f"on {path} the first focusable element is not a skip link to <main>: {first}"
        )
        page.keyboard.press("Enter")
        # Focus is now on <main> (or inside it): the next Tab lands in the content.
        in_main = "() => !!document.querySelector('main').contains(document.activeElement)"
        assert page.evaluate(in_main), f"on {path} the skip link did not move focus to <main>"
        page.keyboard.press("Tab")
        assert page.evaluate(in_main), f"on {path} Tab after the skip link left <main>"
