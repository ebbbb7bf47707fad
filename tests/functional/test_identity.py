"""The FranceConnect journey in a real browser, against the test OpenID provider: sign in →
back on the store, signed in → write a review → sign out at both ends."""

import re

import pytest
from playwright.sync_api import expect

from identity.models import LinkedIdentity
from reviews.models import Review
from tests.functional.conftest import BROWSER_TEST, assert_no_serious_violations
from tests.oidc.provider import OidcProviders

pytestmark = BROWSER_TEST

PERSON = {"email": "camille.fc@example.org", "given_name": "Camille", "family_name": "Leroy"}
FRANCECONNECT_BUTTON = re.compile(r"S’identifier avec\s+FranceConnect")


@pytest.fixture
def providers(live_url, settings):
    running = OidcProviders([live_url]).start()
    running.add_account("franceconnect", "camille-fc", PERSON)
    settings.OIDC_PROVIDERS = running.settings()
    yield running
    running.stop()


def test_sign_in_with_franceconnect_review_and_sign_out_at_both_ends(
    page, store, providers, live_url
):
    app_path = store.apps["formation"].url
    page.goto(f"/compte/connexion/?next={app_path}")
    assert_no_serious_violations(page, "the sign-in page with FranceConnect")
    expect(page.get_by_role("link", name=re.compile("Qu’est-ce que FranceConnect"))).to_be_visible()

    # At the provider: its own sign-in page.
    page.get_by_role("button", name=FRANCECONNECT_BUTTON).click()
    assert page.url.startswith(providers.issuer("franceconnect"))
    page.get_by_label("Identifiant").fill("camille-fc")
    page.get_by_role("button", name="Continuer").click()

    # Back on the store, on the app, signed in with a new account.
    page.wait_for_url(re.compile(re.escape(app_path) + "$"))
    expect(page.get_by_text(re.compile("Votre compte est créé avec FranceConnect"))).to_be_visible()
    identity = LinkedIdentity.objects.select_related("user").get(subject="camille-fc")
    assert identity.user.email == PERSON["email"]

    main = page.locator("main")
    main.get_by_role("radio", name=re.compile(r"^\s*5 étoiles")).check(force=True)
    main.get_by_label(re.compile(r"^\s*Titre")).fill("Sans mot de passe")
    main.get_by_label(re.compile(r"^\s*Votre commentaire")).fill("Connecté avec FranceConnect.")
    main.get_by_role("button", name=re.compile(r"Publier mon avis")).click()
    page.wait_for_load_state()
    assert Review.objects.filter(author=identity.user, app=store.apps["formation"]).exists()

    # « Identités et appareils »: the identity, and a password to set (the account has none).
    page.goto("/compte/identites/")
    expect(page.get_by_role("heading", name="Définir un mot de passe")).to_be_visible()
    assert_no_serious_violations(page, "Identités et appareils")

    # Sign out: the store, then the provider (its confirmation), then back on the store.
    page.get_by_role("button", name=re.compile("Se déconnecter")).first.click()
    assert page.url.startswith(providers.issuer("franceconnect"))
    page.get_by_role("button", name=re.compile("Oui, me déconnecter")).click()
    page.wait_for_url(re.compile(re.escape(live_url) + r"/(\?state=[\w-]+)?$"))
    expect(page.get_by_role("link", name=re.compile("Se connecter")).first).to_be_visible()

    # Signed out at the provider too: FranceConnect asks who you are again.
    page.goto("/compte/connexion/")
    page.get_by_role("button", name=FRANCECONNECT_BUTTON).click()
    expect(page.get_by_label("Identifiant")).to_be_visible()
    page.goto("/")  # back on the store: the CSP check after the test reads its pages
