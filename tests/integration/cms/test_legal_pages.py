"""The legal pages: created by the data migration, in French and English, editable by editors,
linked from the DSFR footer of every public page; what they say about the site is generated
from it (compliance status, automated accessibility results, retention, cookies, site plan)."""

import json
import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.models import Page

from catalogue.services import add_favourite
from cms import accessibility, legal
from cms.models import LegalPage
from tests.factories import PASSWORD, CollectionFactory, UserFactory
from tests.public_pages import public_pages, signed_in_pages

pytestmark = pytest.mark.django_db

KINDS = ["sitemap", "accessibility", "legal_notice", "personal_data", "cookies"]
FOOTER = re.compile(r'<footer class="fr-footer".*?</footer>', re.DOTALL)
LINK = re.compile(r'<a class="fr-footer__bottom-link" href="([^"]+)"[^>]*>([^<]+)</a>')


def footer_links(response) -> dict[str, str]:
    footer = FOOTER.search(response.content.decode())
    assert footer, f"no DSFR footer on {response.request['PATH_INFO']}"
    return {unescape(label).strip(): href for href, label in LINK.findall(footer.group(0))}


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_the_migration_made_the_five_pages_under_the_home_page():
    pages = {page.kind: page for page in LegalPage.objects.live()}
    assert set(pages) == set(KINDS)
    home = Page.objects.get(depth=2)
    for page in pages.values():
        assert page.get_parent().pk == home.pk
        assert page.title and page.title_en and page.body and page.body_en
    assert pages["accessibility"].compliance == "none"
    assert pages["accessibility"].url == "/accessibilite/"


def test_the_footer_of_every_public_page_has_the_mandatory_links(client, app_a, app_b):
    """One walk over every public page (and the account's pages, signed in): the five links are
    in the footer, in the DSFR order, and each one leads to its page."""
    CollectionFactory(name="Pour démarrer", slug="pour-demarrer")
    expected = {link["label"]: link["url"] for link in legal.footer_links()}
    assert list(expected) == [
        "Plan du site",
        "Accessibilité : non conforme",
        "Mentions légales",
        "Données personnelles",
        "Gestion des cookies",
    ]
    walked = []
    for url in public_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        links = footer_links(response)
        assert {label: links.get(label) for label in expected} == expected, url
        walked.append(url)
    client.force_login(UserFactory(username="promeneur"))
    for url in signed_in_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        assert {label: footer_links(response).get(label) for label in expected} == expected, url
        walked.append(url)
    assert len(walked) > 30  # home, catalogue, publishers, apps, categories, legal, account…
    for url in expected.values():
        assert client.get(url).status_code == 200


def test_english_visitors_read_the_english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/mentions-legales/")
    html = response.content.decode()
    assert "<h1>Legal notice</h1>" in html
    assert '<div class="fr-col-12 fr-col-lg-10 store-legal" lang="en">' in html
    links = footer_links(response)
    assert links["Legal notice"] == "/mentions-legales/"
    assert links["Accessibility: not compliant"] == "/accessibilite/"
    assert "Personal data" in links and "Cookies" in links and "Site map" in links


def test_a_page_without_english_is_shown_in_french_marked_so(client):
    page = LegalPage.objects.get(kind="legal_notice")
    page.body_en = []
    page.save_revision().publish()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(page.url).content.decode()
    assert "<h1>Mentions légales</h1>" in html
    assert 'store-legal" lang="fr"' in html


def test_editors_edit_them_and_the_footer_follows_the_compliance_status(client, editor):
    client.force_login(editor)
    page = LegalPage.objects.get(kind="accessibility")
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    client.logout()
    assert "Accessibilité : non conforme" in footer_links(client.get("/"))

    page.compliance = LegalPage.Compliance.PARTIAL
    page.save_revision().publish()

    links = footer_links(client.get("/"))
    assert links["Accessibilité : partiellement conforme"] == "/accessibilite/"
    statement = text_of(client.get("/accessibilite/"))
    assert "Emploi Store est partiellement conforme avec le référentiel général" in statement


def test_an_unpublished_legal_page_leaves_the_footer(client):
    page = LegalPage.objects.get(kind="cookies")
    page.unpublish()
    assert "Gestion des cookies" not in footer_links(client.get("/"))


def test_the_statement_follows_the_official_template(client):
    text = text_of(client.get("/accessibilite/"))
    for heading in (
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Non-conformités",
        "Dérogations pour charge disproportionnée",
        "Contenus non soumis à l'obligation d'accessibilité",
        "Établissement de cette déclaration d'accessibilité",
        "Technologies utilisées pour la réalisation du site",
        "Environnement de test",
        "Outils pour évaluer l'accessibilité",
        "Pages du site ayant fait l'objet de la vérification",
        "Retour d'information et contact",
        "Voies de recours",
        "Défenseur des droits",
        "article 47 de la loi n° 2005-102",
    ):
        assert heading in text, heading
    assert "non conforme avec le référentiel général d'amélioration de l'accessibilité" in text


def test_the_results_come_from_the_audit_file(client, tmp_path, monkeypatch):
    audit = {
        "generated_on": "2026-12-01",
        "tool": {"name": "axe-core", "version": "4.99.0"},
        "browser": "Chromium 999",
        "standard": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
        "blocking_impacts": ["serious", "critical"],
        "pages": [
            {
                "name": "Page d'accueil",
                "name_en": "Home page",
                "path": "/",
                "passed": ["image-alt", "label"],
                "violations": [{"id": "region", "impact": "moderate", "nodes": 2}],
                "incomplete": ["color-contrast"],
            },
            {
                "name": "Plan du site",
                "name_en": "Site map",
                "path": "/plan-du-site/",
                "passed": ["image-alt", "list"],
                "violations": [],
                "incomplete": [],
            },
        ],
    }
    path = tmp_path / "audit.json"
    path.write_text(json.dumps(audit), encoding="utf-8")
    monkeypatch.setattr(accessibility, "AUDIT_FILE", path)
    text = text_of(client.get("/accessibilite/"))
    assert "axe-core 4.99.0" in text
    assert "sur 2 pages : 5 règles y ont été vérifiées" in text
    assert "0 non-conformités graves ou critiques" in text
    assert "1 non-conformité modérée" in text
    assert "region (moderate)" in text
    assert "Chromium 999" in text
    assert "Plan du site — /plan-du-site/" in text

    monkeypatch.setattr(accessibility, "AUDIT_FILE", tmp_path / "absent.json")
    assert "ne sont pas disponibles" in text_of(client.get("/accessibilite/"))


def test_the_committed_audit_is_clean_and_covers_the_new_pages():
    """The file the statement shows (written by the browser suite): no serious or critical
    violation, and the legal and account pages among the pages checked."""
    audit = accessibility.load_audit()
    assert audit is not None, f"{accessibility.AUDIT_FILE} is missing: make accessibility-audit"
    assert audit["blocking_violations"] == 0
    paths = {page["path"] for page in audit["pages"]}
    assert {
        "/",
        "/accessibilite/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/gestion-des-cookies/",
        "/plan-du-site/",
        "/compte/",
        "/compte/profil/",
        "/compte/donnees/",
        "/compte/supprimer/",
    } <= paths


def test_the_site_plan_lists_the_site(client, app_a):
    CollectionFactory(name="Pour démarrer", slug="pour-demarrer")
    text = text_of(client.get("/plan-du-site/"))
    for words in (
        "Toutes les applications",
        "Se former",
        "Trouver une formation",
        "Pour démarrer",
        "Mon compte",
        "Mes données",
        "Mentions légales",
        "Accessibilité : non conforme",
        "API du catalogue",
    ):
        assert words in text, words


def test_the_cookie_page_lists_what_the_site_really_sets(client, app_a):
    """Sign up, sign in, switch language, add a favourite, post a form, see messages: the
    browser ends up with no cookie the "Gestion des cookies" page does not list."""
    text = text_of(client.get("/gestion-des-cookies/"))
    for name in legal.cookie_names():
        assert name in text
    assert legal.cookie_names() == {"sessionid", "csrftoken", "django_language"}

    seen = set()

    def keep(response):
        seen.update(response.cookies.keys())
        return response

    for url in public_pages():
        keep(client.get(url))
    keep(client.post(reverse("set_language"), {"language": "en", "next": "/"}))
    keep(client.post(reverse("account_login"), {"username": "nobody", "password": "x"}))
    user = UserFactory(username="gourmand")
    keep(client.post(reverse("account_login"), {"username": "gourmand", "password": PASSWORD}))
    keep(client.post(reverse("app_favourite_toggle", args=[app_a.pk])))
    for url in signed_in_pages():
        keep(client.get(url))
    add_favourite(user, app_a)
    keep(client.post(reverse("account_logout")))
    assert seen, "no cookie at all: the walk did not sign in"
    assert seen <= legal.cookie_names(), (
        f"cookies not listed on the page: {seen - legal.cookie_names()}"
    )
    assert {"sessionid", "csrftoken", "django_language"} <= seen
