"""Sign in with FranceConnect and ProConnect on the site, against a real OpenID provider
(panva's oidc-provider on loopback, tests/oidc/), and every tampering refused with nothing
created."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalogue.permissions import is_verified
from identity.models import LinkedIdentity
from identity.services import suggested_siret
from tests.factories import PASSWORD, UserFactory
from tests.integration.identity.conftest import FC_PERSON, counts

pytestmark = pytest.mark.django_db
User = get_user_model()


def start(client, provider="franceconnect", next_url=""):
    response = client.post(reverse("identity_start", args=[provider]), {"next": next_url})
    assert response.status_code == 302, response.content
    return response["Location"]


def back_on_the_store(client, callback_url: str):
    parts = urlsplit(callback_url)
    assert f"{parts.scheme}://{parts.netloc}" == "http://testserver", callback_url
    return client.get(f"{parts.path}?{parts.query}")


def sign_in(client, oidc, provider="franceconnect", login="camille", next_url=""):
    callback = oidc.sign_in(start(client, provider, next_url), login)
    return back_on_the_store(client, callback), callback


def signed_in_user(client):
    return User.objects.filter(pk=client.session.get("_auth_user_id")).first()


# --- Configuration ------------------------------------------------------------------------------


def test_without_providers_no_button_and_no_route(client, settings):
    settings.OIDC_PROVIDERS = {}
    for name in ("account_login", "account_signup"):
        page = client.get(reverse(name)).content.decode()
        assert "fr-connect" not in page and "FranceConnect" not in page
    response = client.post(reverse("identity_start", args=["franceconnect"]))
    assert response.status_code == 404


def test_the_official_buttons_appear_on_sign_in_and_sign_up(client, oidc):
    for name in ("account_login", "account_signup"):
        page = client.get(reverse(name)).content.decode()
        assert 'class="fr-connect"' in page and "Qu’est-ce que FranceConnect" in page
        assert "ProConnect" in page and "Qu’est-ce que ProConnect" in page
        assert "style=" not in page.split("<main", 1)[1] and "<script>" not in page


def form_action(response) -> list[str]:
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    return directives["form-action"].split()


def test_forms_may_go_on_to_the_configured_providers_and_nowhere_else(client, oidc, settings):
    """Browsers check form-action along the redirect to the provider (sign-in and sign-out)."""
    page = client.get(reverse("account_login"))
    issuers = {oidc.issuer("franceconnect"), oidc.issuer("proconnect")}
    assert set(form_action(page)) == {"'self'", *issuers}
    assert set(form_action(client.get("/admin/login/"))) == {"'self'", *issuers}

    settings.OIDC_PROVIDERS = {}
    assert form_action(client.get(reverse("account_login"))) == ["'self'"]


def test_the_authorization_request_carries_state_nonce_and_pkce(client, oidc, settings):
    settings.OIDC_PROVIDERS = oidc.settings(acr_values="eidas1")
    query = parse_qs(urlsplit(start(client)).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["acr_values"] == ["eidas1"]
    assert query["scope"] == ["openid given_name family_name email"]


# --- FranceConnect ------------------------------------------------------------------------------


def test_a_first_franceconnect_sign_in_creates_an_account_without_password(client, oidc):
    response, _callback = sign_in(client, oidc, next_url="/apps/")
    assert response.status_code == 302 and response["Location"] == "/apps/"
    user = signed_in_user(client)
    assert user is not None and not user.has_usable_password()
    assert (user.first_name, user.last_name, user.email) == (
        "Camille",
        "Martin",
        FC_PERSON["email"],
    )
    identity = LinkedIdentity.objects.get(user=user)
    assert identity.provider == "franceconnect" and identity.subject == "camille"
    # FranceConnect vouched for the address: no link of ours to follow before reviewing.
    assert is_verified(User.objects.get(pk=user.pk))

    # Signing in again finds the same account.
    client.logout()
    sign_in(client, oidc)
    assert signed_in_user(client) == user and User.objects.count() == 1


def test_an_identity_below_the_level_asked_for_is_refused_with_nothing_created(
    client, oidc, settings
):
    """FranceConnect's eIDAS level: asked for eidas2, an identity proven at eidas1 is refused;
    one at eidas2 signs in."""
    settings.OIDC_PROVIDERS = oidc.settings(acr_values="eidas2")
    oidc.add_account("franceconnect", "niveau-bas", {**FC_PERSON, "acr": "eidas1"})
    oidc.add_account(
        "franceconnect", "niveau-haut", {**FC_PERSON, "email": "haut@example.org", "acr": "eidas2"}
    )
    before = counts()
    response, _callback = sign_in(client, oidc, login="niveau-bas")
    assert response.status_code == 400 and signed_in_user(client) is None
    assert counts() == before

    response, _callback = sign_in(client, oidc, login="niveau-haut")
    assert response.status_code == 302 and signed_in_user(client).email == "haut@example.org"


def test_too_many_sign_ins_from_one_address_are_refused_before_the_provider(client, oidc, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "oidc_sign_in": "2/minute",
        },
    }
    start(client)
    start(client)
    refused = client.post(reverse("identity_start", args=["franceconnect"]))
    assert refused.status_code == 429 and "réessayez dans" in refused.content.decode()
    assert client.get(reverse("identity_callback", args=["franceconnect"])).status_code == 429


def test_an_address_the_provider_says_is_unverified_waits_for_the_stores_link(client, oidc):
    oidc.add_account(
        "franceconnect",
        "non-verifiee",
        {**FC_PERSON, "email": "a-confirmer@example.org", "email_verified": False},
    )
    response, _callback = sign_in(client, oidc, login="non-verifiee")
    user = signed_in_user(client)
    assert response.status_code == 302 and user.email == "a-confirmer@example.org"
    assert not is_verified(user)


def test_an_account_with_the_same_email_is_linked_only_after_its_password(client, oidc):
    owner = UserFactory(username="camille-m", email="Camille.Martin@example.org")
    before = counts()
    response, _callback = sign_in(client, oidc)
    # Never silently: not signed in, nothing linked, asked for the password.
    assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/")
    assert signed_in_user(client) is None and counts() == before

    client.post(reverse("account_login"), {"username": "camille-m", "password": PASSWORD})
    assert signed_in_user(client) == owner
    assert LinkedIdentity.objects.get().user == owner

    client.logout()
    sign_in(client, oidc)
    assert signed_in_user(client) == owner


def test_a_pending_link_goes_to_no_one_but_the_account_proven(client, oidc):
    UserFactory(username="camille-m", email="camille.martin@example.org")
    sign_in(client, oidc)
    # The person gives up and signs in with the identity of someone else's account: the
    # pending link is not theirs to take… it links to the account whose password was typed.
    other = UserFactory(username="dominique")
    client.post(reverse("account_login"), {"username": "dominique", "password": PASSWORD})
    assert signed_in_user(client) == other
    # Proof of *an* account is what the rule asks; the identity now signs in to that one only.
    assert LinkedIdentity.objects.get().user == other


def test_unlinking_needs_a_password_when_it_is_the_only_way_in(client, oidc):
    sign_in(client, oidc)
    user = signed_in_user(client)
    identity = LinkedIdentity.objects.get()

    refused = client.post(reverse("identity_unlink", args=[identity.pk]), follow=True)
    assert LinkedIdentity.objects.filter(pk=identity.pk).exists()
    assert "définissez d'abord un mot de passe" in refused.content.decode()

    new_password = "Un mot de passe tout neuf 42"
    response = client.post(
        reverse("identity_set_password"),
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert signed_in_user(client) == user  # still signed in after setting it

    client.post(reverse("identity_unlink", args=[identity.pk]))
    assert not LinkedIdentity.objects.exists()


def test_nobody_unlinks_someone_elses_identity(client, oidc):
    sign_in(client, oidc)
    identity = LinkedIdentity.objects.get()
    other = UserFactory(username="dominique")
    client.force_login(other)
    client.post(reverse("identity_unlink", args=[identity.pk]))
    assert LinkedIdentity.objects.filter(pk=identity.pk).exists()


def test_the_account_page_lists_identities(client, oidc):
    sign_in(client, oidc)
    page = client.get(reverse("identity_account"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "FranceConnect" in html and FC_PERSON["email"] in html
    assert "Définir un mot de passe" in html


def test_sign_out_continues_at_the_provider_with_the_id_token(client, oidc):
    sign_in(client, oidc)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}" == oidc.issuer("franceconnect")
    query = parse_qs(target.query)
    assert query["id_token_hint"][0].count(".") == 2
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert signed_in_user(client) is None


def test_a_password_sign_out_stays_on_the_store(client, oidc):
    UserFactory(username="dominique")
    client.post(reverse("account_login"), {"username": "dominique", "password": PASSWORD})
    response = client.post(reverse("account_logout"))
    assert response["Location"] == "/"


# --- ProConnect ---------------------------------------------------------------------------------


def test_proconnect_signs_in_and_its_siret_is_only_a_suggestion(client, oidc):
    response, _callback = sign_in(client, oidc, provider="proconnect", login="alex")
    assert response.status_code == 302
    agent = signed_in_user(client)
    assert (agent.first_name, agent.last_name) == ("Alex", "Agent")
    assert suggested_siret(agent) == "13002526500013"
    # The application form offers it, pre-filled and said to be a suggestion.
    page = client.get(reverse("publisher_apply")).content.decode()
    assert 'value="13002526500013"' in page and "organisation ProConnect est proposé" in page
    # A suggestion only: no publisher membership, no admin right.
    assert not agent.groups.exists() and not agent.is_staff


def test_an_editor_links_proconnect_then_reaches_the_admin_with_it(client, oidc):
    from tests.factories import EditorFactory

    editor = EditorFactory(username="edith", email="alex.agent@travail.gouv.fr")
    sign_in(client, oidc, provider="proconnect", login="alex", next_url="/admin/")
    client.post(
        reverse("account_login"), {"username": "edith", "password": PASSWORD, "next": "/admin/"}
    )
    client.logout()
    response, _callback = sign_in(
        client, oidc, provider="proconnect", login="alex", next_url="/admin/"
    )
    assert response["Location"] == "/admin/"
    assert signed_in_user(client) == editor
    assert client.get("/admin/").status_code == 200


def test_the_admin_sign_in_page_offers_proconnect(client, oidc):
    page = client.get("/admin/login/").content.decode()
    assert "ProConnect" in page and "/compte/connexion/proconnect/" in page
    assert 'name="next" value="/admin/"' in page


# --- Tampering: each refused, nothing created ---------------------------------------------------


def refused(response):
    assert response.status_code == 400, response.status_code
    assert "Connexion refusée" in response.content.decode()


def test_a_wrong_state_is_refused(client, oidc):
    before = counts()
    callback = oidc.sign_in(start(client), "camille")
    parts = urlsplit(callback)
    query = parse_qs(parts.query)
    forged = client.get(parts.path, {"code": query["code"][0], "state": "forged-state"})
    refused(forged)
    assert counts() == before and signed_in_user(client) is None


def test_a_code_from_another_issuer_is_refused(client, oidc):
    """The mix-up attack (RFC 9207): the answer names another provider than the flow's."""
    callback = oidc.sign_in(start(client), "camille")
    parts = urlsplit(callback)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert query["iss"] == oidc.issuer("franceconnect")
    before = counts()
    refused(client.get(parts.path, {**query, "iss": oidc.issuer("proconnect")}))
    assert counts() == before and signed_in_user(client) is None


def test_a_callback_with_no_flow_started_is_refused(client, oidc):
    """Login CSRF: a code for someone else's identity, pushed into this browser."""
    other_browser = client.__class__()
    callback = oidc.sign_in(start(other_browser), "camille")
    before = counts()
    refused(back_on_the_store(client, callback))
    assert counts() == before and signed_in_user(client) is None


def test_a_replayed_code_is_refused(client, oidc):
    response, callback = sign_in(client, oidc)
    assert response.status_code == 302
    client.logout()
    before = counts()
    refused(back_on_the_store(client, callback))
    assert counts() == before and signed_in_user(client) is None


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("nonce", "invalid_id_token"),
        ("aud", "invalid_id_token"),
        ("exp", "invalid_id_token"),
        ("signature", "bad_signature"),
        ("unknown_key", "unknown_key"),
    ],
)
def test_a_forged_id_token_is_refused(client, oidc, mode, reason, caplog):
    """Wrong nonce, wrong audience, expired, bad signature, a key the provider does not have."""
    oidc.tamper("franceconnect", mode)
    before = counts()
    with caplog.at_level("WARNING", logger="identity.views"):
        response, _callback = sign_in(client, oidc)
    refused(response)
    assert counts() == before and signed_in_user(client) is None
    refusals = [r.getMessage() for r in caplog.records if r.name == "identity.views"]
    assert refusals == [f"OpenID sign-in refused: {reason}"]


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://testserver.evil.example/",
        "/\\evil.example",
    ],
)
def test_a_next_pointing_off_site_is_not_followed(client, oidc, next_url):
    response, _callback = sign_in(client, oidc, next_url=next_url)
    assert response.status_code == 302 and response["Location"] == "/"


def test_an_unknown_provider_is_a_404(client, oidc):
    assert client.post(reverse("identity_start", args=["google"])).status_code == 404
    assert client.get(reverse("identity_callback", args=["google"])).status_code == 404


def test_a_provider_that_does_not_answer_is_a_503_page(client, oidc, settings):
    from tests.loopback import Listener

    silent = Listener()
    try:
        settings.OIDC_PROVIDERS = {
            "franceconnect": {"issuer": f"http://127.0.0.1:{silent.port}", "client_id": "x"}
        }
        settings.OIDC_HTTP_TIMEOUT_SECONDS = 0.5
        response = client.post(reverse("identity_start", args=["franceconnect"]))
        assert response.status_code == 503
    finally:
        silent.close()


@pytest.mark.parametrize(
    ("provider", "login", "verified"), [("franceconnect", "camille", 2), ("proconnect", "alex", 1)]
)
def test_userinfo_as_signed_jwt_or_json(client, oidc, monkeypatch, provider, login, verified):
    """FranceConnect-like answers its userinfo as a signed JWT, verified like the ID token;
    ProConnect-like as JSON."""
    from identity import oidc as relying_party

    decoded = []
    real_decode = relying_party._decode

    def spy(provider_conf, token):
        decoded.append(token)
        return real_decode(provider_conf, token)

    monkeypatch.setattr(relying_party, "_decode", spy)
    response, _callback = sign_in(client, oidc, provider=provider, login=login)
    assert response.status_code == 302 and signed_in_user(client) is not None
    assert len(decoded) == verified


def test_a_mediator_links_proconnect_then_reaches_the_mediators_space_with_it(client, oidc):
    from tests.integration.selections.conftest import make_mediator

    mediator = make_mediator("nadia")
    mediator.email = "alex.agent@travail.gouv.fr"
    mediator.save(update_fields=["email"])
    sign_in(client, oidc, provider="proconnect", login="alex", next_url="/mediation/")
    client.post(
        reverse("account_login"),
        {"username": "nadia", "password": PASSWORD, "next": "/mediation/"},
    )
    client.logout()
    response, _callback = sign_in(
        client, oidc, provider="proconnect", login="alex", next_url="/mediation/"
    )
    assert response["Location"] == "/mediation/" and signed_in_user(client) == mediator
    assert client.get("/mediation/").status_code == 200
    # The organisation's SIRET stays a suggestion: the mediator's own organisation is unchanged.
    assert suggested_siret(mediator) == "13002526500013"
