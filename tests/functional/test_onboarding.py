"""A publisher's whole journey in a real browser: sign up → apply → (editor) approve → invite a
colleague → the colleague signs up from the link and accepts → proposes an app → submits →
(editor) publishes in the admin → the app is live and found by the search. Then axe on the
new public pages (no serious or critical violation)."""

import re

from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from catalogue.models import AppPage
from onboarding.models import Application
from tests.factories import EditorFactory, LanguageFactory
from tests.functional.conftest import (
    BROWSER_TEST,
    assert_no_serious_violations,
    fill_sign_in_form,
    sign_in,
)

pytestmark = BROWSER_TEST

NEW_PASSWORD = "Un-mot-de-passe-solide-42"


def sign_up(page, username: str, email: str, next_url: str = "") -> None:
    if next_url:
        page.goto(next_url)
    else:
        page.goto("/compte/inscription/")
    main = page.locator("main")
    main.get_by_role("textbox", name=re.compile("^Identifiant")).fill(username)
    main.get_by_role("textbox", name=re.compile("^Adresse e-mail")).fill(email)
    main.get_by_label(re.compile("^Mot de passe")).first.fill(NEW_PASSWORD)
    main.get_by_label(re.compile("^Confirmation du mot de passe")).fill(NEW_PASSWORD)
    main.get_by_role("button", name=re.compile("Créer", re.IGNORECASE)).click()
    page.wait_for_load_state()


def confirm_address_and_sign_in(page, username: str) -> None:
    """After signing up: the confirmation link of the last mail, then the sign-in it leads to
    (which goes on where the sign-up was going)."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez vos e-mails")
    link = re.search(r"https?://\S+/compte/confirmation/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link[link.index("/compte/") :])
    page.locator("main").get_by_role("button", name="Confirmer mon adresse").click()
    page.wait_for_load_state()
    fill_sign_in_form(page, username, NEW_PASSWORD)


def sign_out(context) -> None:
    context.clear_cookies()


def test_from_nothing_to_a_live_app(page, context, store, live_url):
    EditorFactory(username="relectrice")
    LanguageFactory(code="fr")

    # 1. Sign up from « Publier une application », then apply.
    page.goto("/")
    page.locator("main").get_by_role("link", name="Publier une application").click()
    page.wait_for_load_state()
    page.locator("main").get_by_role("link", name="Créer un compte").click()
    page.wait_for_load_state()
    sign_up(page, "ines", "ines@emploi-facile.fr", next_url=page.url)
    confirm_address_and_sign_in(page, "ines")
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer mon organisation")
    main = page.locator("main")
    main.get_by_label(re.compile("^Nom de l'organisation")).fill("Emploi Facile")
    main.get_by_label(re.compile("^Type d'organisation")).select_option("company")
    main.get_by_label(re.compile("^SIREN ou SIRET")).fill("732 829 320")
    main.get_by_label(re.compile("^Site web de l'organisation")).fill("https://emploi-facile.fr")
    main.get_by_label(re.compile("^E-mail de contact")).fill("ines@emploi-facile.fr")
    main.get_by_label(re.compile("^Ce que vous prévoyez de publier")).fill("Une appli de stages.")
    main.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("En attente")
    application = Application.objects.get()

    # 2. The editor approves in the admin.
    sign_out(context)
    sign_in(page, "relectrice")
    page.goto(f"/admin/demandes-editeurs/{application.pk}/")
    page.get_by_role("button", name=re.compile("Accepter")).click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == "approved"
    publisher = application.publisher

    # 3. Inès invites a colleague.
    sign_out(context)
    sign_in(page, "ines", NEW_PASSWORD)
    page.goto("/publier/")
    page.locator("main").get_by_role("link", name="Gérer l'équipe").click()
    page.wait_for_load_state()
    main = page.locator("main")
    main.get_by_label(re.compile("^E-mail de la personne")).fill("hugo@emploi-facile.fr")
    main.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("hugo@emploi-facile.fr")
    link = re.search(r"https?://\S+/publier/invitation/\S+/", mail.outbox[-1].body).group(0)
    invitation_path = link[link.index("/publier/") :]

    # 4. The colleague signs up from the link and accepts.
    sign_out(context)
    page.goto(invitation_path)
    page.locator("main").get_by_role("link", name="Créer un compte").click()
    page.wait_for_load_state()
    sign_up(page, "hugo", "hugo@emploi-facile.fr", next_url=page.url)
    confirm_address_and_sign_in(page, "hugo")
    page.locator("main").get_by_role("button", name="Accepter l'invitation").click()
    page.wait_for_load_state()
    assert publisher.members.filter(username="hugo").exists()

    # 5. He proposes an app with the guided form, previews it, submits it.
    page.goto(f"/publier/editeurs/{publisher.pk}/applications/nouvelle/")
    main = page.locator("main")
    main.get_by_label(re.compile("^Nom de l'application")).fill("Stage Facile")
    main.get_by_label(re.compile("^Accroche")).fill("Trouvez un stage en trois clics")
    main.get_by_label(re.compile("^Description")).fill("Des stages près de chez vous.")
    main.locator("label[for=id_categories_0]").click()
    main.locator("label[for=id_audiences_0]").click()
    main.locator("label[for=id_languages_0]").click()
    main.get_by_label(re.compile("^Adresse du site web")).fill("https://stage.emploi-facile.fr")
    main.get_by_role("button", name="Prévisualiser").click()
    page.wait_for_load_state()
    expect(page.locator("#apercu")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Trouvez un stage en trois clics")
    page.locator("main").get_by_role("button", name="Soumettre à l'équipe éditoriale").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("En cours de validation")
    app = AppPage.objects.get(title="Stage Facile")
    assert not app.live

    # 6. The editor publishes it in the admin (Wagtail's workflow): on the app's edit page, the
    # « Approuver » action posts the workflow action as Wagtail's workflow-action.js does.
    sign_out(context)
    sign_in(page, "relectrice")
    task_state = app.current_workflow_state.current_task_state
    page.goto(f"/admin/pages/{app.pk}/edit/")
    expect(page.locator("[data-workflow-action-name=approve]").first).to_be_attached()
    status = page.evaluate(
        """async (url) => {
            const body = new FormData();
            body.append("csrfmiddlewaretoken",
                document.querySelector("input[name=csrfmiddlewaretoken]").value);
            const response = await fetch(url, {method: "POST", body, credentials: "same-origin"});
            return response.status;
        }""",
        reverse("wagtailadmin_pages:workflow_action", args=[app.pk, "approve", task_state.pk]),
    )
    assert status == 200, status
    app.refresh_from_db()
    assert app.live

    # 7. Live and searchable.
    sign_out(context)
    page.goto("/apps/?q=stage+facile")
    expect(page.locator("main")).to_contain_text("Stage Facile")


def test_the_new_public_pages_pass_axe(page, context, store):
    from onboarding import services
    from onboarding.models import Role
    from tests.factories import MemberFactory, UserFactory

    publisher = store.apps["cv"].publisher
    admin = MemberFactory(username="admin-sud", publisher=publisher)
    services.set_role(publisher, admin, Role.ADMIN)
    invitation = services.invite(publisher, "lea@example.org", Role.MEMBER, admin)
    UserFactory(username="candidate", email="candidate@example.org")

    page.goto("/publier/")
    assert_no_serious_violations(page, "publish home, signed out")
    from onboarding.invitations import make_token

    page.goto(f"/publier/invitation/{make_token(invitation)}/")
    assert_no_serious_violations(page, "invitation, signed out")

    sign_in(page, "admin-sud")
    for path, label in [
        ("/publier/", "publish home, signed in"),
        ("/publier/demande/", "apply to create"),
        ("/publier/demande/rejoindre/", "apply to join"),
        (f"/publier/editeurs/{publisher.pk}/equipe/", "team"),
        (f"/publier/editeurs/{publisher.pk}/applications/", "the publisher's apps"),
        (f"/publier/editeurs/{publisher.pk}/applications/nouvelle/", "guided form"),
        (f"/publier/editeurs/{publisher.pk}/flux/", "feeds"),
        ("/compte/demandes-editeur/", "my applications"),
    ]:
        page.goto(path)
        assert_no_serious_violations(page, label)

    # With errors shown.
    page.goto("/publier/demande/")
    page.locator("main").get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_load_state()
    assert_no_serious_violations(page, "apply to create, with errors")
    page.goto(f"/publier/editeurs/{publisher.pk}/applications/nouvelle/")
    page.locator("main").get_by_role("button", name="Prévisualiser").click()
    page.wait_for_load_state()
    assert_no_serious_violations(page, "guided form, with errors")
