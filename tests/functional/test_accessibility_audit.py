"""The accessibility statement's results (cms/accessibility_audit.json): axe-core on every page
below, its WCAG 2.1 A/AA rules; no serious or critical violation anywhere, and the findings
must be those of the committed file, which the statement shows.

When pages or rules change, rewrite the file (and commit it):

    make accessibility-audit        # ACCESSIBILITY_AUDIT_WRITE=1 on this test
"""

import json
import os
from datetime import date

import pytest

from cms.accessibility import AUDIT_FILE
from tests.functional.conftest import (
    BLOCKING_IMPACTS,
    BROWSER_TEST,
    WCAG_TAGS,
    axe_script_path,
    new_context,
    sign_in,
)

pytestmark = BROWSER_TEST

# name, English name, path ("app:<key>" for an app of the test catalogue), who is signed in.
AUDITED = [
    ("Page d'accueil", "Home page", "/", None),
    (
        "Recherche avec des filtres",
        "Search with filters",
        "/apps/?q=&platform=android&platform=web&audience=jobseekers",
        None,
    ),
    ("Fiche d'une application", "An application's page", "app:metiers", None),
    ("Formulaire d'avis", "The review form", "app:formation", "visitor"),
    ("Connexion", "Sign in", "/compte/connexion/", None),
    ("Création de compte", "Sign up", "/compte/inscription/", None),
    ("Mot de passe oublié", "Forgotten password", "/compte/mot-de-passe/oublie/", None),
    ("Déclaration d'accessibilité", "Accessibility statement", "/accessibilite/", None),
    ("Mentions légales", "Legal notice", "/mentions-legales/", None),
    ("Données personnelles", "Personal data", "/donnees-personnelles/", None),
    ("Gestion des cookies", "Cookies", "/gestion-des-cookies/", None),
    ("Plan du site", "Site map", "/plan-du-site/", None),
    ("Mon compte", "My account", "/compte/", "visitor"),
    ("Mon profil", "My profile", "/compte/profil/", "visitor"),
    ("Changer d'adresse e-mail", "Change e-mail address", "/compte/adresse-e-mail/", "visitor"),
    ("Changer de mot de passe", "Change password", "/compte/mot-de-passe/", "visitor"),
    ("Mes données", "My data", "/compte/donnees/", "visitor"),
    ("Supprimer mon compte", "Delete my account", "/compte/supprimer/", "visitor"),
    ("Mes favoris", "My favourites", "/compte/favoris/", "visitor"),
    ("Mes avis", "My reviews", "/compte/avis/", "visitor"),
    ("Espace éditeur (administration)", "Publisher space (admin)", "/admin/", "member"),
]
# What the comparison with the committed file leaves out: when and with which build it ran.
VOLATILE = ("generated_on", "browser")


def audit_page(page) -> dict:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_script_path().read_text(encoding="utf-8"))
    results = page.evaluate(
        "async (options) => await axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}},
    )
    return {
        "version": results["testEngine"]["version"],
        "passed": sorted(rule["id"] for rule in results["passes"]),
        "violations": sorted(
            (
                {"id": rule["id"], "impact": rule["impact"], "nodes": len(rule["nodes"])}
                for rule in results["violations"]
            ),
            key=lambda violation: violation["id"],
        ),
        "incomplete": sorted(rule["id"] for rule in results["incomplete"]),
    }


def run_audit(browser, live_url, store) -> dict:
    contexts = {None: new_context(browser, live_url)}
    try:
        for who, username in (
            ("visitor", store.visitor.username),
            ("member", store.member.username),
        ):
            contexts[who] = new_context(browser, live_url)
            sign_in(contexts[who].new_page(), username)
        pages = {who: context.new_page() for who, context in contexts.items()}
        audited, version = [], None
        for name, name_en, path, who in AUDITED:
            url = store.urls[path[4:]] if path.startswith("app:") else path
            page = pages[who]
            page.goto(url)
            page.wait_for_load_state("networkidle")
            found = audit_page(page)
            version = found.pop("version")
            audited.append({"name": name, "name_en": name_en, "path": url, **found})
    finally:
        for context in contexts.values():
            context.close()
    return {
        "generated_on": date.today().isoformat(),
        "tool": {"name": "axe-core", "version": version},
        "browser": f"Chromium {browser.version}",
        "standard": WCAG_TAGS,
        "blocking_impacts": list(BLOCKING_IMPACTS),
        "pages": audited,
    }


def stable(audit: dict) -> dict:
    return {key: value for key, value in audit.items() if key not in VOLATILE}


def committed() -> dict | None:
    if not AUDIT_FILE.is_file():
        return None
    return json.loads(AUDIT_FILE.read_text(encoding="utf-8"))


def test_accessibility_audit(browser, live_url, store):
    audit = run_audit(browser, live_url, store)
    blocking = [
        f"{page['path']}: {violation['id']} ({violation['impact']})"
        for page in audit["pages"]
        for violation in page["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, "serious or critical WCAG 2.1 AA violations:\n" + "\n".join(blocking)

    if os.environ.get("ACCESSIBILITY_AUDIT_WRITE"):
        # The statement shows the file: once rewritten, its own page changes (its results
        # table), so audit again until the file describes the site as it is with it.
        for _attempt in range(3):
            previous = committed()
            if previous is not None and stable(previous) == stable(audit):
                return
            AUDIT_FILE.write_text(
                json.dumps(audit, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
            audit = run_audit(browser, live_url, store)
        pytest.fail("the audit does not settle: some page changes from one run to the next")

    previous = committed()
    if previous is None:
        pytest.fail(f"{AUDIT_FILE} is missing: run `make accessibility-audit`", pytrace=False)
    if stable(previous) != stable(audit):
        changed = [
            page["path"]
            for page, old in zip(audit["pages"], previous.get("pages", []), strict=False)
            if page != old
        ]
        pytest.fail(
            "the accessibility statement's results (cms/accessibility_audit.json) are not what "
            f"the suite finds now (pages: {changed or 'list changed'}; axe-core "
            f"{audit['tool']['version']} vs {previous.get('tool', {}).get('version')}): run "
            "`make accessibility-audit` and commit the file",
            pytrace=False,
        )
