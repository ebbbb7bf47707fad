"""The public accounts: sign up, password reset, my favourites, my reviews (DSFR forms).

Sign in and out are covered by tests/integration/reviews/test_site_accounts.py.
"""

import os
import re
import subprocess
import sys
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue.models import AppPage, Favourite
from reviews import services
from reviews.services import Decision
from tests.factories import PASSWORD, AppPageFactory, ImageFactory, UserFactory
from tests.integration.reviews.conftest import seasoned_user

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[3]
NEW_PASSWORD = "Une-phrase-de-passe-solide-42"
User = get_user_model()


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def input_tag(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    assert match, f"no input named {name}"
    return match.group(0)


def attribute(tag: str, name: str) -> str | None:
    match = re.search(rf'\b{name}="([^"]*)"', tag)
    return match.group(1) if match else None


def assert_labelled(html: str, name: str, autocomplete: str) -> str:
    """The input has a label, the given autocomplete, and describes itself with existing ids."""
    tag = input_tag(html, name)
    field_id = attribute(tag, "id")
    assert f'<label class="fr-label" for="{field_id}">' in html
    assert attribute(tag, "autocomplete") == autocomplete
    assert "fr-input" in attribute(tag, "class")
    for described_by in (attribute(tag, "aria-describedby") or "").split():
        assert f'id="{described_by}"' in html, described_by
    return tag


def sign_up_data(**overrides):
    data = {
        "username": "nouvelle",
        "email": "nouvelle@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def limit_auth(settings, rate="2/minute"):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth": rate}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


@pytest.fixture
def author(db):
    return seasoned_user(username="autrice", email="autrice@example.org")


@pytest.fixture
def other_user(db):
    return seasoned_user(username="visiteur")


def test_urls():
    assert reverse("account_signup") == "/compte/inscription/"
    assert reverse("account_favourites") == "/compte/favoris/"
    assert reverse("account_favourite_remove", args=[7]) == "/compte/favoris/7/retirer/"
    assert reverse("password_reset") == "/compte/mot-de-passe/oublie/"
    assert reverse("password_reset_done") == "/compte/mot-de-passe/oublie/envoye/"
    assert reverse("password_reset_complete") == "/compte/mot-de-passe/modifie/"
    assert reverse("password_reset_confirm", args=["MQ", "abc-def"]) == (
        "/compte/mot-de-passe/nouveau/MQ/abc-def/"
    )


# --- Sign up ----------------------------------------------------------------------------------


def test_sign_up_page_is_an_accessible_form(client):
    response = client.get("/compte/inscription/?next=/compte/favoris/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Créer un compte</h1>" in html
    assert 'class="fr-fieldset"' in html and "Tous les champs sont obligatoires." in html
    username = assert_labelled(html, "username", "username")
    email = assert_labelled(html, "email", "email")
    password1 = assert_labelled(html, "password1", "new-password")
    assert_labelled(html, "password2", "new-password")
    assert attribute(email, "type") == "email"
    assert attribute(password1, "type") == "password"
    assert "fr-password__input" in attribute(password1, "class")
    assert "autofocus" not in username
    # The password rules are listed, and the field points at them.
    assert attribute(password1, "aria-describedby") == "id_password1_helptext"
    assert "Votre mot de passe doit contenir au minimum 8 caractères." in text_of(response)
    assert '<input type="hidden" name="next" value="/compte/favoris/">' in html
    assert 'href="/compte/connexion/?next=/compte/favoris/"' in html


def test_sign_up_creates_an_unverified_account_and_mails_its_link(client, app_a):
    response = client.post(
        f"/compte/inscription/?next={app_a.url}",
        sign_up_data(email="Nouvelle@Example.ORG", next=f"{app_a.url}#avis"),
        follow=True,
    )

    # Nobody is signed in by a sign-up: the same answer must be given for an address that
    # already has an account (tests/integration/security/test_accounts_attacks.py).
    assert response.redirect_chain == [("/compte/inscription/envoyee/", 302)]
    user = User.objects.get(username="nouvelle")
    assert user.email == "Nouvelle@example.org"  # the domain is normalised, not the name
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_staff and not user.is_superuser
    assert "_auth_user_id" not in client.session
    assert "Un e-mail vient d'être envoyé à Nouvelle@example.org." in text_of(response)
    assert [message.to for message in mail.outbox] == [["Nouvelle@example.org"]]
    assert "/compte/confirmation/" in mail.outbox[0].body


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_sign_up_never_redirects_elsewhere(client, unsafe):
    response = client.post("/compte/inscription/", sign_up_data(next=unsafe))

    assert response.status_code == 302
    assert response["Location"] == "/compte/inscription/envoyee/"
    assert User.objects.filter(username="nouvelle").exists()


@pytest.mark.parametrize(
    "wanted, after_confirming",
    [
        ("/publier/demande/", "/compte/connexion/?next=%2Fpublier%2Fdemande%2F"),
        ("https://evil.example/", "/compte/connexion/"),
    ],
)
def test_confirming_the_address_leads_to_the_sign_in_then_where_the_sign_up_was_going(
    client, wanted, after_confirming
):
    client.post("/compte/inscription/", sign_up_data(next=wanted))
    link = re.search(r"/compte/confirmation/\S+/", mail.outbox[-1].body).group(0)

    response = client.post(link)

    assert response.status_code == 302 and response["Location"] == after_confirming
    # Once: the next confirmation (another link, another day) goes to the plain sign-in.
    assert "signed_up_next" not in client.session


def test_sign_up_with_an_email_in_use_in_another_case_creates_nothing_and_says_nothing(client):
    UserFactory(username="ancienne", email="camille.martin@example.org")

    response = client.post("/compte/inscription/", sign_up_data(email="Camille.MARTIN@example.org"))

    assert response.status_code == 302
    assert response["Location"] == "/compte/inscription/envoyee/"
    assert not User.objects.filter(username="nouvelle").exists()
    assert "_auth_user_id" not in client.session
    # The owner is told, at the address of the account.
    assert [message.to for message in mail.outbox] == [["camille.martin@example.org"]]
    assert "ancienne" in mail.outbox[0].body


def test_sign_up_refuses_a_username_in_use_in_another_case(client):
    UserFactory(username="Nouvelle")

    response = client.post("/compte/inscription/", sign_up_data())

    assert response.status_code == 200
    assert User.objects.filter(username__iexact="nouvelle").count() == 1
    assert attribute(input_tag(response.content.decode(), "username"), "aria-invalid") == "true"


def test_sign_up_refuses_a_weak_password_with_the_validators_message(client):
    response = client.post(
        "/compte/inscription/", sign_up_data(password1="motdepasse", password2="motdepasse")
    )

    assert response.status_code == 200
    assert not User.objects.filter(username="nouvelle").exists()
    assert "Ce mot de passe est trop courant." in text_of(response)
    password2 = input_tag(response.content.decode(), "password2")
    assert attribute(password2, "aria-invalid") == "true"
    assert "id_password2_error" in attribute(password2, "aria-describedby")


def test_sign_up_refuses_different_passwords(client):
    response = client.post("/compte/inscription/", sign_up_data(password2=NEW_PASSWORD + "!"))

    assert response.status_code == 200
    assert not User.objects.filter(username="nouvelle").exists()
    assert "Les deux mots de passe ne correspondent pas." in text_of(response)


def test_sign_up_is_rate_limited(settings, client):
    limit_auth(settings)
    for number in range(2):
        client.post("/compte/inscription/", sign_up_data(username=f"robot{number}", email=""))

    response = client.post("/compte/inscription/", sign_up_data())

    assert response.status_code == 429
    assert "Trop d'envois en peu de temps" in text_of(response)
    assert not User.objects.filter(username="nouvelle").exists()
    html = response.content.decode()
    assert attribute(input_tag(html, "email"), "value") == "nouvelle@example.org"
    assert NEW_PASSWORD not in html


def test_signed_in_user_visiting_sign_up_goes_home(client, author):
    client.force_login(author)

    assert client.get("/compte/inscription/")["Location"] == "/"


def test_sign_in_page_links_to_sign_up_and_password_reset(client):
    response = client.get("/compte/connexion/?next=/compte/favoris/")

    html = response.content.decode()
    assert_labelled(html, "username", "username")
    password = assert_labelled(html, "password", "current-password")
    assert "fr-password__input" in attribute(password, "class")
    assert 'href="/compte/inscription/?next=/compte/favoris/"' in html
    assert 'href="/compte/mot-de-passe/oublie/"' in html


# --- Password reset ---------------------------------------------------------------------------


def reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/compte/mot-de-passe/nouveau/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_form_is_an_accessible_form(client):
    html = client.get("/compte/mot-de-passe/oublie/").content.decode()

    assert "<h1>Mot de passe oublié</h1>" in html
    assert_labelled(html, "email", "email")


def test_password_reset_sends_a_french_email_with_a_working_link(client, author):
    response = client.post(
        "/compte/mot-de-passe/oublie/", {"email": "AUTRICE@example.org"}, follow=True
    )

    assert response.redirect_chain == [("/compte/mot-de-passe/oublie/envoye/", 302)]
    assert "Si un compte utilise cette adresse, un e-mail vient de lui être envoyé" in text_of(
        response
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["autrice@example.org"]
    assert message.subject == "Choisir un nouveau mot de passe sur Emploi Store"
    assert "Bonjour," in message.body
    assert "pour le compte « autrice » sur Emploi Store" in message.body
    assert "expire au bout de 3 jours" in message.body
    assert "&" not in message.body.split("/compte/")[0]  # plain text, nothing escaped

    # The link leads to the form (through Django's token-hiding redirect)...
    page = client.get(reset_link(message), follow=True)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Choisir un nouveau mot de passe</h1>" in html
    assert_labelled(html, "new_password1", "new-password")
    assert_labelled(html, "new_password2", "new-password")
    # ... which sets the password, and the user signs in with it.
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.redirect_chain == [("/compte/mot-de-passe/modifie/", 302)]
    assert "Votre nouveau mot de passe est enregistré" in text_of(done)
    signed_in = client.post("/compte/connexion/", {"username": "autrice", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert int(client.session["_auth_user_id"]) == author.pk
    client.logout()
    assert not client.login(username="autrice", password=PASSWORD)
    # The link served once: it is no longer valid.
    again = client.get(reset_link(message), follow=True)
    assert "Ce lien n'est plus valable" in text_of(again)
    assert "new_password1" not in again.content.decode()


def test_password_reset_does_not_tell_whether_the_address_exists(client, author):
    known = client.post("/compte/mot-de-passe/oublie/", {"email": "autrice@example.org"})
    mail.outbox.clear()
    unknown = client.post("/compte/mot-de-passe/oublie/", {"email": "personne@example.org"})

    assert len(mail.outbox) == 0
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/compte/mot-de-passe/oublie/envoye/"


def test_password_reset_refuses_a_weak_new_password(client, author):
    client.post("/compte/mot-de-passe/oublie/", {"email": "autrice@example.org"})
    page = client.get(reset_link(mail.outbox[0]), follow=True)

    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": "123456789", "new_password2": "123456789"}
    )

    assert response.status_code == 200
    assert "Ce mot de passe est entièrement numérique." in text_of(response)
    author.refresh_from_db()
    assert author.check_password(PASSWORD)


def test_password_reset_with_a_forged_link(client, author):
    response = client.get("/compte/mot-de-passe/nouveau/MQ/pas-un-jeton/")

    assert response.status_code == 200
    assert "Ce lien n'est plus valable" in text_of(response)
    assert 'href="/compte/mot-de-passe/oublie/"' in response.content.decode()


def test_password_reset_is_rate_limited(settings, client, author):
    limit_auth(settings)
    for _attempt in range(2):
        client.post("/compte/mot-de-passe/oublie/", {"email": "personne@example.org"})

    response = client.post("/compte/mot-de-passe/oublie/", {"email": "autrice@example.org"})

    assert response.status_code == 429
    assert "Trop d'envois en peu de temps" in text_of(response)
    assert len(mail.outbox) == 0


def email_backend(**env) -> str:
    """EMAIL_BACKEND as a fresh process with this environment reads it."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")}
    clean.update(DJANGO_ENV="development", **env)
    result = subprocess.run(
        [sys.executable, "-c", "import store.settings as s; print(s.EMAIL_BACKEND)"],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_the_demo_prints_emails_on_the_console_unless_smtp_is_configured():
    assert email_backend() == "django.core.mail.backends.console.EmailBackend"
    assert email_backend(EMAIL_HOST="smtp.example.org") == (
        "django.core.mail.backends.smtp.EmailBackend"
    )
    assert email_backend(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend") == (
        "django.core.mail.backends.locmem.EmailBackend"
    )


# --- My favourites ----------------------------------------------------------------------------


def favourite(user, app, days_ago: int) -> Favourite:
    row = Favourite.objects.create(user=user, app=app)
    Favourite.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return row


def test_favourites_need_signing_in(client):
    response = client.get("/compte/favoris/")

    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?next=/compte/favoris/"


def test_favourites_lists_live_favourites_newest_first(client, author, other_user, publisher_a):
    old = AppPageFactory(publisher=publisher_a, title="Ancienne favorite")
    new = AppPageFactory(publisher=publisher_a, title="Nouvelle favorite", tagline="Très utile")
    draft = AppPageFactory(publisher=publisher_a, title="Brouillon favori", live=False)
    theirs = AppPageFactory(publisher=publisher_a, title="La favorite d'un autre")
    favourite(author, old, days_ago=10)
    favourite(author, new, days_ago=1)
    favourite(author, draft, days_ago=0)
    favourite(other_user, theirs, days_ago=0)
    client.force_login(author)

    response = client.get("/compte/favoris/")

    assert response.status_code == 200
    text = text_of(response)
    assert "2 applications dans vos favoris" in text
    assert text.index("Nouvelle favorite") < text.index("Ancienne favorite")
    assert "Très utile" in text and publisher_a.name in text
    assert "Brouillon favori" not in text and "La favorite d'un autre" not in text
    html = response.content.decode()
    assert f'<h2 class="fr-card__title"><a href="{new.url}">Nouvelle favorite</a></h2>' in html
    assert f'action="/compte/favoris/{new.pk}/retirer/"' in html
    assert "Retirer « Nouvelle favorite » de mes favoris" in text


def test_favourites_empty_state(client, author):
    client.force_login(author)

    response = client.get("/compte/favoris/?page=zzz")

    assert response.status_code == 200
    assert "Vous n'avez encore aucune application favorite." in text_of(response)
    assert 'href="/apps/"' in response.content.decode()


def test_favourites_are_paginated(client, author, publisher_a):
    apps = [AppPageFactory(publisher=publisher_a, title=f"Favorite {n:02d}") for n in range(14)]
    for days_ago, app in enumerate(apps):
        favourite(author, app, days_ago=days_ago)
    client.force_login(author)

    first = text_of(client.get("/compte/favoris/"))
    second = client.get("/compte/favoris/?page=2")

    assert "Favorite 00" in first and "Favorite 11" in first and "Favorite 12" not in first
    assert "14 applications dans vos favoris" in first
    assert "Favorite 12" in text_of(second) and "Favorite 00" not in text_of(second)
    html = second.content.decode()
    assert 'class="fr-pagination' in html and 'aria-current="page"' in html
    assert 'href="?page=1"' in html


def test_remove_a_favourite(client, author, other_user, publisher_a):
    app = AppPageFactory(publisher=publisher_a, title="À retirer")
    AppPage.objects.filter(pk=app.pk).update(popularity=5)
    favourite(author, app, days_ago=0)
    favourite(other_user, app, days_ago=0)
    client.force_login(author)

    assert client.get(f"/compte/favoris/{app.pk}/retirer/").status_code == 405
    response = client.post(f"/compte/favoris/{app.pk}/retirer/", follow=True)

    assert response.redirect_chain == [("/compte/favoris/", 302)]
    assert "« À retirer » a été retiré de vos favoris." in text_of(response)
    assert not Favourite.objects.filter(user=author, app=app).exists()
    assert Favourite.objects.filter(user=other_user, app=app).exists()
    assert AppPage.objects.get(pk=app.pk).popularity == 4

    # Again: nothing left to remove, nothing changes.
    again = client.post(f"/compte/favoris/{app.pk}/retirer/", {"page": "3"})
    assert again["Location"] == "/compte/favoris/?page=3"
    assert AppPage.objects.get(pk=app.pk).popularity == 4


def test_removing_never_takes_popularity_below_zero(client, author, publisher_a):
    app = AppPageFactory(publisher=publisher_a)
    AppPage.objects.filter(pk=app.pk).update(popularity=0)
    favourite(author, app, days_ago=0)
    client.force_login(author)

    client.post(f"/compte/favoris/{app.pk}/retirer/")

    assert AppPage.objects.get(pk=app.pk).popularity == 0
    assert not Favourite.objects.filter(user=author).exists()


def test_removing_schedules_a_reindex(client, author, publisher_a, monkeypatch):
    app = AppPageFactory(publisher=publisher_a)
    favourite(author, app, days_ago=0)
    client.force_login(author)
    scheduled = []
    monkeypatch.setattr("search.receivers.schedule_index", scheduled.extend)

    client.post(f"/compte/favoris/{app.pk}/retirer/")
    client.post(f"/compte/favoris/{app.pk}/retirer/")  # no longer a favourite: nothing to do

    assert scheduled == [app.pk]


def test_anonymous_cannot_remove(client, author, publisher_a):
    app = AppPageFactory(publisher=publisher_a)
    favourite(author, app, days_ago=0)

    response = client.post(f"/compte/favoris/{app.pk}/retirer/")

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
    assert Favourite.objects.filter(user=author, app=app).exists()


def test_favourites_queries_do_not_grow_with_favourites(client, publisher_a):
    counts = []
    for size in (3, 12):
        user = UserFactory(username=f"collection-{size}")
        for number in range(size):
            app = AppPageFactory(
                publisher=publisher_a,
                icon=ImageFactory(),
                listings=["web", "android"],
                title=f"Appli {size}-{number}",
            )
            favourite(user, app, days_ago=number)
        client.force_login(user)
        client.get("/compte/favoris/")  # warm caches (site root paths)
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/compte/favoris/")
        assert response.status_code == 200
        assert text_of(response).count("Ajoutée le") == size
        assert response.content.decode().count('width="48"') == size
        counts.append(len(captured))

    assert counts[0] == counts[1], counts
    assert counts[1] <= 12, counts


# --- My reviews -------------------------------------------------------------------------------


def test_my_reviews_shows_statuses_as_badges_with_reasons(client, author, editor, publisher_a):
    apps = [AppPageFactory(publisher=publisher_a, title=f"Appli {n}") for n in range(4)]
    services.submit_review(apps[0], author, rating=5, title="Très bien")
    services.submit_review(apps[1], author, rating=4, title="Voir www.promo.com")
    rejected = services.submit_review(apps[2], author, rating=1, body="06 12 34 56 78")
    services.moderate([rejected.pk], decision=Decision.REJECT, editor=editor, reason="Numéro")
    removed = services.submit_review(apps[3], author, rating=2, title="Retiré")
    services.moderate([removed.pk], decision=Decision.REMOVE, editor=editor, reason="Injurieux")
    client.force_login(author)

    response = client.get("/compte/avis/")

    html = response.content.decode()
    for badge, label in (
        ("success", "Publié"),
        ("info", "En attente de modération"),
        ("error", "Refusé"),
        ("warning", "Retiré"),
    ):
        assert f'<span class="fr-badge fr-badge--sm fr-badge--{badge}">{label}</span>' in html
    text = text_of(response)
    assert "Motifs : contient un lien." in text
    assert "Motif de l'équipe éditoriale : Numéro" in text
    assert "Motif de l'équipe éditoriale : Injurieux" in text
    assert "Note : 5 sur 5" in text
