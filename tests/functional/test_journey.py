"""A visitor's journey in a real browser: browse → filter → open an app → install for their
phone → sign in → review → favourite → find it in their favourites."""

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from reviews.models import Review
from tests.functional.conftest import (
    BROWSER_TEST,
    apply_filters,
    facet_labels,
    result_count,
    sign_in,
)

pytestmark = BROWSER_TEST

RECOMMENDED = re.compile(r"Recommandé pour votre appareil")
REVIEW_TITLE = "Simple et efficace"
REVIEW_BODY = "J'ai trouvé une formation en alternance près de chez moi en deux jours."


def install_link(page, key, platform):
    """The install button of one listing, found by where it leads (the counted redirect to
    the listing's URL, /go/<app>/<platform>/)."""
    return page.locator("main").locator(f'a[href="/go/{key}/{platform}/"]')


def test_browse_filter_open_install_review_and_favourite(page, android_page, store):
    # Browse: every app, with the facet panel and its counts.
    page.goto("/apps/")
    assert result_count(page) == len(store.apps)
    facets_before = facet_labels(page)
    android = page.locator("main").get_by_role("checkbox", name=re.compile(r"^\s*Android\b"))
    expect(android).not_to_be_checked()

    # Tick Android: fewer results, other facets recounted, the state in the URL.
    android.click(force=True)  # DSFR draws the box on the label, above the input
    apply_filters(page, "platform=android")
    assert parse_qs(urlparse(page.url).query).get("platform") == ["android"]
    assert result_count(page) == 3  # Formation Express, Offres Locales, Entreprendre Pas à Pas
    expect(
        page.locator("main").get_by_role("checkbox", name=re.compile(r"^\s*Android\b"))
    ).to_be_checked()
    facets_after = facet_labels(page)
    assert facets_after != facets_before, "the facet counts did not follow the filter"
    results = page.locator("main")
    expect(results.get_by_role("link", name=re.compile("Offres Locales")).first).to_be_visible()
    expect(results.get_by_role("link", name=re.compile("CV Facile"))).to_have_count(0)

    # The URL alone gives the same page back (a shared or bookmarked link).
    filtered_url = page.url
    page.goto(filtered_url)
    assert result_count(page) == 3
    assert facet_labels(page) == facets_after

    # Open an app from the results.
    results.get_by_role("link", name=re.compile("Formation Express")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Formation Express"))
    app_path = urlparse(page.url).path

    # On an Android phone, the Android install button is the one recommended.
    android_page.goto(app_path)
    expect(install_link(android_page, "formation", "android")).to_have_accessible_description(
        RECOMMENDED
    )
    for other in ("ios", "web"):
        link = install_link(android_page, "formation", other)
        expect(link).to_be_visible()
        expect(link).not_to_have_accessible_description(RECOMMENDED)
    expect(android_page.locator("main").get_by_text(RECOMMENDED)).to_have_count(1)

    # Sign in, back to the app.
    sign_in(android_page, "camille", next_url=app_path)
    if urlparse(android_page.url).path != app_path:
        android_page.goto(app_path)

    # Write a review: it is published (a seasoned account, no link) and shown.
    main = android_page.locator("main")
    main.get_by_role("radio", name=re.compile(r"^\s*4 étoiles")).check(force=True)
    main.get_by_label(re.compile(r"^\s*Titre")).fill(REVIEW_TITLE)
    main.get_by_label(re.compile(r"^\s*Votre commentaire")).fill(REVIEW_BODY)
    main.get_by_role("button", name=re.compile(r"Publier mon avis")).click()
    android_page.wait_for_load_state()
    expect(main.get_by_text(REVIEW_BODY).first).to_be_visible()
    review = Review.objects.get(app=store.apps["formation"], author=store.visitor)
    assert (review.rating, review.title, review.status) == (4, REVIEW_TITLE, "published")

    # Favourite it: the button says so, and my favourites list it.
    main.get_by_role("button", name=re.compile(r"Ajouter (à|aux) (mes )?favoris")).click()
    android_page.wait_for_load_state()
    expect(
        main.get_by_role("button", name=re.compile(r"Retirer (de|des) (mes )?favoris"))
    ).to_be_visible()
    android_page.goto("/compte/favoris/")
    expect(
        android_page.locator("main").get_by_role("link", name=re.compile("Formation Express")).first
    ).to_be_visible()
    expect(
        android_page.locator("main").get_by_role("link", name=re.compile("Offres Locales"))
    ).to_have_count(0)


def test_a_review_held_for_moderation_shows_as_pending(page, store):
    """A review with a link waits for the editors: its author sees it with its status."""
    sign_in(page, "camille")
    page.goto(store.urls["metiers"])
    main = page.locator("main")
    main.get_by_role("radio", name=re.compile(r"^\s*3 étoiles")).check(force=True)
    main.get_by_label(re.compile(r"^\s*Votre commentaire")).fill(
        "Plus d'informations sur https://exemple.org/metiers"
    )
    main.get_by_role("button", name=re.compile(r"Publier mon avis")).click()
    page.wait_for_load_state()
    expect(main.get_by_text(re.compile(r"En attente", re.IGNORECASE)).first).to_be_visible()
    review = Review.objects.get(app=store.apps["metiers"], author=store.visitor)
    assert review.status == "pending"
