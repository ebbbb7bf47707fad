"""Signing in and out of the public site, and the "Mes avis" page."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from reviews import services
from reviews.services import Decision
from tests.factories import PASSWORD, AppPageFactory
from tests.integration.reviews.conftest import seasoned_user

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_urls():
    assert reverse("account_login") == "/compte/connexion/"
    assert reverse("account_logout") == "/compte/deconnexion/"
    assert reverse("account_reviews") == "/compte/avis/"


def test_sign_in_page_renders(client):
    response = client.get("/compte/connexion/?next=/applications/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Se connecter</h1>" in html
    assert '<label class="fr-label" for="id_username">' in html
    assert '<label class="fr-label" for="id_password">' in html
    assert '<input type="hidden" name="next" value="/applications/">' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_sign_in_then_back_where_you_were(client, author, app_a):
    response = client.post(
        "/compte/connexion/",
        {"username": author.username, "password": PASSWORD, "next": f"{app_a.url}#avis"},
        follow=True,
    )

    assert response.redirect_chain == [(f"{app_a.url}#avis", 302)]
    assert response.context["user"] == author
    text = text_of(response)
    assert "Connexion réussie." in text
    assert "Se déconnecter" in text and "Mes avis" in text
    assert "Connectez-vous pour donner votre avis" not in text


def test_sign_in_without_next_goes_home_and_never_off_site(client, author):
    response = client.post(
        "/compte/connexion/",
        {"username": author.username, "password": PASSWORD, "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_wrong_password_is_refused(client, author):
    response = client.post(
        "/compte/connexion/", {"username": author.username, "password": "pas-le-bon"}
    )

    assert response.status_code == 200
    assert "un mot de passe valides" in text_of(response)
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_is_rate_limited(settings, client, author):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth": "2/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    for _attempt in range(2):
        client.post("/compte/connexion/", {"username": author.username, "password": "faux"})

    # Even the right password waits: guessing gets no more tries.
    response = client.post(
        "/compte/connexion/", {"username": author.username, "password": PASSWORD}
    )

    assert response.status_code == 429
    assert "Trop d'envois en peu de temps" in unescape(response.content.decode())
    assert f'value="{author.username}"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signed_in_user_visiting_sign_in_goes_home(client, author):
    client.force_login(author)

    assert client.get("/compte/connexion/")["Location"] == "/"


def test_sign_out(client, author):
    client.force_login(author)

    assert client.get("/compte/deconnexion/").status_code == 405  # a link cannot sign you out
    response = client.post("/compte/deconnexion/", follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert "_auth_user_id" not in client.session
    assert "Déconnexion réussie." in text_of(response)
    assert "Se connecter" in text_of(response)


def test_sign_out_needs_the_csrf_token(author):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)

    assert client.post("/compte/deconnexion/").status_code == 403
    assert "_auth_user_id" in client.session


def test_header_links(client, author, member_a, app_a):
    anonymous = client.get(app_a.url).content.decode()
    assert f'href="/compte/connexion/?next={app_a.url}"' in anonymous
    assert "Mes avis" not in anonymous

    client.force_login(author)
    user_page = client.get(app_a.url).content.decode()
    assert 'href="/compte/avis/">Mes avis</a>' in user_page
    assert 'action="/compte/deconnexion/"' in user_page
    assert "Administration" not in user_page  # no admin access, no admin link

    client.force_login(member_a)
    assert "Administration" in client.get(app_a.url).content.decode()


def test_sign_in_page_does_not_point_back_to_itself(client):
    html = client.get("/compte/connexion/").content.decode()

    assert 'href="/compte/connexion/"' in html
    assert "next=/compte/connexion" not in html


def test_admin_keeps_its_own_sign_in(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


# --- Mes avis ---------------------------------------------------------------------------------


def test_my_reviews_needs_signing_in(client):
    response = client.get("/compte/avis/")

    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?next=/compte/avis/"


def test_my_reviews_lists_every_status_with_its_reason(
    client, author, other_user, editor, member_a, publisher_a
):
    apps = [AppPageFactory(publisher=publisher_a, title=f"Appli {n}") for n in range(4)]
    published = services.submit_review(apps[0], author, rating=5, title="Publié !")
    services.save_reply(published, member_a, "Merci beaucoup")
    services.submit_review(apps[1], author, rating=4, title="Voir www.promo.com")
    rejected = services.submit_review(apps[2], author, rating=1, body="06 12 34 56 78")
    services.moderate([rejected.pk], decision=Decision.REJECT, editor=editor, reason="Numéro")
    removed = services.submit_review(apps[3], author, rating=2, title="Retiré")
    services.moderate([removed.pk], decision=Decision.REMOVE, editor=editor, reason="Injurieux")
    services.submit_review(apps[0], other_user, rating=3, title="Pas le mien")
    client.force_login(author)

    response = client.get("/compte/avis/")

    assert response.status_code == 200
    text = text_of(response)
    assert "Vous avez donné 4 avis." in text
    assert "Publié !" in text and "Statut : Publié" in text
    assert "Merci beaucoup" in text
    assert "Statut : En attente de modération" in text
    assert "Motifs : contient un lien." in text
    assert "Statut : Refusé" in text and "Motif de l'équipe éditoriale : Numéro" in text
    assert "Statut : Retiré" in text and "Motif de l'équipe éditoriale : Injurieux" in text
    assert "Pas le mien" not in text
    html = response.content.decode()
    assert f'href="{apps[0].url}#avis"' in html


def test_my_reviews_when_there_are_none(client):
    client.force_login(seasoned_user(username="novice"))

    response = client.get("/compte/avis/?page=abc")

    assert response.status_code == 200
    assert "Vous n'avez encore donné aucun avis." in text_of(response)
