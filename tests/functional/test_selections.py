"""The mediators' selections in a real browser: the journey (sign in → search → add three apps
→ share → a phone opens the link → its own platform's button first), the QR code read back by a
QR reader, the printout printed to PDF by Chromium (every app whole on one sheet), and axe on
the mediator's pages and the shared page in both modes."""

import io
import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from selections import services
from selections.models import Selection
from tests.factories import UserFactory
from tests.functional.conftest import BROWSER_TEST, assert_no_serious_violations, sign_in

pytestmark = BROWSER_TEST

RECOMMENDED = re.compile(r"Recommandé pour votre appareil")
MEDIATOR = "nadia"
LONG_NOTE = (
    "Commencez par créer votre compte avec votre adresse e-mail, puis remplissez votre profil : "
    "vos expériences, vos diplômes et le métier que vous cherchez. Revenez-y chaque semaine, "
    "notez vos questions pour notre prochain rendez-vous et gardez vos identifiants."
)


@pytest.fixture
def mediator(store):
    user = UserFactory(username=MEDIATOR)
    services.grant_mediator(user, "Mission locale de Lyon")
    return user


@pytest.fixture
def shared_selection(mediator, store):
    """Every app of the store, each with a long note: more than one printed sheet."""
    selection = services.create_selection(
        mediator,
        title="Pour reprendre votre recherche",
        message="Bonjour, voici les applications dont nous avons parlé.",
        items=[(app, LONG_NOTE) for app in store.apps.values()],
    )
    return services.share(selection, 30)


def add_from_search(page, words: str, title: str, new_title: str = "") -> None:
    page.goto("/apps/")
    main = page.locator("main")
    main.get_by_label("Mots-clés").fill(words)
    main.get_by_role("button", name=re.compile(r"^\s*Rechercher")).first.click()
    page.wait_for_load_state()
    main.get_by_role(
        "link", name=re.compile(rf"Ajouter à une sélection : {re.escape(title)}")
    ).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    if new_title:
        main.get_by_label("Sélection", exact=True).select_option("new")
        main.get_by_label(re.compile(r"^\s*Titre de la nouvelle sélection")).fill(new_title)
    main.get_by_role("button", name=re.compile(r"Ajouter à la sélection")).click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == "/apps/", page.url  # back to the results
    expect(page.locator("main")).to_contain_text("est ajoutée à")


def test_mediator_journey_to_a_phone(page, android_page, mediator, store):
    sign_in(page, MEDIATOR)
    add_from_search(page, "Formation", "Formation Express", new_title="Pour Léa")
    add_from_search(page, "Offres", "Offres Locales")
    add_from_search(page, "Entreprendre", "Entreprendre Pas à Pas")

    page.get_by_role("link", name="Mes sélections").first.click()
    page.wait_for_load_state()
    page.locator("main").get_by_role("link", name="Pour Léa").click()
    page.wait_for_load_state()
    main = page.locator("main")
    expect(main.locator(".selection-item")).to_have_count(3)
    main.get_by_label(re.compile(r"Note pour la personne sur Offres Locales")).fill(
        "Les offres de Lyon"
    )
    main.get_by_role("button", name="Enregistrer").first.click()
    page.wait_for_load_state()
    main.get_by_role("button", name=re.compile(r"^\s*Partager")).click()
    page.wait_for_load_state()
    link = main.locator("[data-selection-link]").get_attribute("href")
    assert re.search(r"/s/[A-Za-z0-9_-]{16}/$", link), link

    # An Android phone opens the link: in every app, its Android button first.
    android_page.goto(urlparse(link).path)
    expect(android_page.get_by_role("heading", level=1)).to_have_text("Pour Léa")
    apps = android_page.locator(".selection-app")
    expect(apps).to_have_count(3)
    for index in range(3):
        first = apps.nth(index).locator("li[data-platform]").first
        expect(first).to_have_attribute("data-platform", "android")
        expect(first.get_by_role("link")).to_have_accessible_description(RECOMMENDED)
    expect(android_page.locator("main")).to_contain_text("Les offres de Lyon")
    selection = Selection.objects.get(owner=mediator)
    assert selection.open_count == 1


def decode_qr(png: bytes) -> list[str]:
    import zxingcpp
    from PIL import Image

    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_the_qr_codes_decode_to_their_links(page, mediator, shared_selection, live_url, settings):
    settings.SITE_URL = live_url
    sign_in(page, MEDIATOR)
    page.goto(f"/mediation/selections/{shared_selection.pk}/")
    link = page.locator("[data-selection-link]").get_attribute("href")
    qr = page.locator(".selection-qr svg")
    assert decode_qr(qr.screenshot()) == [link]
    assert link == f"{live_url}/s/{shared_selection.token}/"

    # On the printout: the link's code, and each app's code leads to its page.
    page.goto(f"/mediation/selections/{shared_selection.pk}/imprimer/")
    assert decode_qr(page.locator(".selection-sheet__qr--link svg").screenshot()) == [link]
    first_app = page.locator(".selection-sheet__app").first.locator("svg")
    assert decode_qr(first_app.screenshot()) == [
        f"{live_url}{next(iter(shared_selection.items.order_by('sort_order'))).app.url}"
    ]


def test_the_printout_keeps_every_app_whole_on_one_sheet(page, mediator, shared_selection, store):
    from pypdf import PdfReader

    sign_in(page, MEDIATOR)
    page.goto(f"/mediation/selections/{shared_selection.pk}/imprimer/?appareil=android")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    pages = [" ".join((sheet.extract_text() or "").split()) for sheet in pdf.pages]
    assert len(pages) >= 2, "the test needs a printout of several sheets"
    assert "Appareil de la personne" not in " ".join(pages)  # the tools are not printed

    items = list(shared_selection.items.order_by("sort_order").select_related("app"))
    names = [f"{n}. {item.app.title}" for n, item in enumerate(items, start=1)]
    for position, item in enumerate(items):
        holding = [n for n, text in enumerate(pages) if names[position] in text]
        assert len(holding) == 1, f"{names[position]} is on sheets {holding}"
        text = pages[holding[0]]
        start = text.index(names[position])
        end = (
            text.index(names[position + 1])
            if position + 1 < len(items) and names[position + 1] in text
            else len(text)
        )
        block = text[start:end]
        labels = [
            "Ouvrir le service en ligne"
            if listing.platform == "web"
            else f"Installer sur {listing.get_platform_display()}"
            for listing in item.app.listings.all()
        ]
        for label in labels:
            assert label in block, f"{label!r} of {item.app.title} is not with its name"
        assert item.app.tagline in block
        assert "gardez vos identifiants" in block  # the end of its note
        assert "Sa page sur le site" in block  # its QR code's caption


# --- axe ---------------------------------------------------------------------------------


def test_axe_on_the_mediators_pages(page, mediator, shared_selection, store):
    draft = services.create_selection(
        mediator, title="Brouillon", items=[(store.apps["cv"], "Note"), (store.apps["offres"], "")]
    )
    sign_in(page, MEDIATOR)
    for path, label in [
        ("/mediation/", "the mediator's space"),
        ("/mediation/selections/nouvelle/", "the new selection form"),
        (f"/mediation/selections/{draft.pk}/", "a draft's edit page"),
        (f"/mediation/selections/{shared_selection.pk}/", "a shared selection's page"),
        (f"/mediation/selections/{shared_selection.pk}/imprimer/", "the printout"),
        (f"/mediation/ajouter/{store.apps['metiers'].pk}/", "the add-to-a-selection page"),
        (store.urls["metiers"], "an app page with the mediator's section"),
        ("/apps/?q=CV", "search results with the mediator's actions"),
    ]:
        page.goto(path)
        assert_no_serious_violations(page, label)

    # A form sent with errors: still accessible.
    page.goto(f"/mediation/selections/{draft.pk}/")
    page.locator("#id_title").fill("")
    page.locator("#id_title").evaluate("input => { input.form.noValidate = true; }")
    page.get_by_role("button", name="Enregistrer").first.click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Champ requis")
    assert_no_serious_violations(page, "a draft's edit page with errors")


def test_axe_on_the_shared_page_in_both_modes(android_page, page, shared_selection, store):
    path = f"/s/{shared_selection.token}/"
    for visitor in (android_page, page):
        visitor.goto(path)
        assert_no_serious_violations(visitor, "the shared page")
        visitor.get_by_role("link", name=re.compile("Version facile à lire")).click()
        visitor.wait_for_load_state()
        expect(visitor.locator(".selection-shared--facile")).to_have_count(1)
        assert_no_serious_violations(visitor, "the shared page, plain-language mode")
    page.goto("/s/AAAAAAAAAAAAAAAA/")
    assert_no_serious_violations(page, "an invalid link")


def test_axe_on_the_role_request_and_kept_selections(page, shared_selection, store):
    sign_in(page, "camille")
    page.goto("/mediation/")
    assert_no_serious_violations(page, "the role request page")
    page.goto(f"/s/{shared_selection.token}/")
    page.get_by_role("button", name="Garder dans mes favoris").click()
    page.wait_for_load_state()
    page.goto("/compte/selections/")
    expect(page.locator("main")).to_contain_text("Pour reprendre votre recherche")
    assert_no_serious_violations(page, "the kept selections")
