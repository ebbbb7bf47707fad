"""Who may do what with a selection, proven by attack: each refusal changes nothing and says
nothing about the selection (not even its title); a guessed, expired or revoked link is one and
the same answer."""

import re
from urllib.parse import quote, unquote

import pytest
from django.test import Client
from django.utils.html import escape
from rest_framework.test import APIClient

from selections import services
from tests.integration.selections.conftest import expire, signed_in, snapshot

pytestmark = pytest.mark.django_db

ACTORS = ["other_mediator", "editor", "person", "anonymous"]
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def client_for(actor, request) -> Client:
    if actor == "anonymous":
        return Client()
    return signed_in(request.getfixturevalue(actor))


def api_client_for(actor, request) -> APIClient:
    client = APIClient()
    if actor != "anonymous":
        client.force_authenticate(request.getfixturevalue(actor))
    return client


# (method, path template, data, which selection): every route of the mediators' space that
# names a selection.
SITE_ACTIONS = [
    ("get", "/mediation/selections/{pk}/", None, "draft"),
    ("post", "/mediation/selections/{pk}/", {"title": "Piraté", "message": ""}, "draft"),
    ("post", "/mediation/selections/{pk}/partager/", {"days": "30"}, "draft"),
    ("post", "/mediation/selections/{pk}/supprimer/", {}, "draft"),
    ("post", "/mediation/selections/{pk}/dupliquer/", {}, "draft"),
    ("post", "/mediation/selections/{pk}/retirer-le-lien/", {}, "shared"),
    ("get", "/mediation/selections/{pk}/imprimer/", None, "shared"),
    ("get", "/mediation/selections/{pk}/qr-code.svg", None, "shared"),
]
# What the owner gets for each, in the same order.
OWNER_STATUSES = [200, 302, 302, 302, 302, 302, 200, 200]
# What each other actor gets: someone else's selection is a 404, the space is for mediators
# (403 page), signed out goes to the sign-in page.
REFUSED = {"other_mediator": 404, "editor": 403, "person": 403, "anonymous": 302}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("method", "path", "data", "which"), SITE_ACTIONS)
def test_site_refusals_change_nothing_and_leak_nothing(
    request, actor, method, path, data, which, draft, shared, other_mediator, editor, person
):
    selection = {"draft": draft, "shared": shared}[which]
    before = snapshot()
    client = client_for(actor, request)

    response = getattr(client, method)(path.format(pk=selection.pk), data or {})

    assert response.status_code == REFUSED[actor]
    if actor == "anonymous":
        assert response["Location"].startswith("/compte/connexion/")
    body = response.content.decode()
    assert selection.title not in body
    assert (selection.token or "no-token") not in body
    assert snapshot() == before


@pytest.mark.parametrize(
    ("action", "expected"), list(zip(SITE_ACTIONS, OWNER_STATUSES, strict=True))
)
def test_the_owner_may_do_each(action, expected, mediator, draft, shared):
    method, path, data, which = action
    selection = {"draft": draft, "shared": shared}[which]
    response = getattr(signed_in(mediator), method)(path.format(pk=selection.pk), data or {})
    assert response.status_code == expected


def test_a_huge_or_unknown_id_is_a_404(mediator, draft):
    client = signed_in(mediator)
    assert client.get(f"/mediation/selections/{2**70}/").status_code == 404
    assert client.get(f"/mediation/selections/{draft.pk + 1000}/").status_code == 404
    assert client.post(f"/mediation/ajouter/{2**70}/").status_code == 404
    assert client.post(f"/mediation/parcours/{draft.pk}/copier/").status_code == 404  # not a path


def test_a_suspended_mediator_is_refused(mediator, draft):
    from selections.models import Mediator

    role = Mediator.objects.get(user=mediator)
    role.status = Mediator.Status.SUSPENDED
    role.save()
    before = snapshot()

    response = signed_in(mediator).post(f"/mediation/selections/{draft.pk}/", {"title": "X"})

    assert response.status_code == 403
    assert snapshot() == before
    assert not mediator.groups.filter(name="Mediators").exists()


def test_a_requested_role_is_not_a_role(person, draft):
    services.request_mediator_role(person, "Association Lire et Écrire")
    response = signed_in(person).get("/mediation/")
    assert response.status_code == 403
    assert "en attente" in response.content.decode()


# --- The link --------------------------------------------------------------------------------


def invalid_link_bodies(client, shared, revoked, expired):
    paths = {
        "guessed": "/s/AAAAAAAAAAAAAAAA/",
        "malformed": "/s/%3Cscript%3E/",
        "expired": f"/s/{expired.token}/",
        "revoked": f"/s/{revoked.token}/",
    }
    answers = {name: (path, client.get(path)) for name, path in paths.items()}
    return {
        name: (response.status_code, without_own_address(response, path))
        for name, (path, response) in answers.items()
    }


def without_own_address(response, path: str) -> str:
    """The body, less what echoes the address asked for (canonical, language switch, sign-in
    link) and the per-response CSRF value: what is left must not tell the links apart."""
    body = CSRF_VALUE.sub("", response.content.decode())
    for form in (path, quote(path, safe=""), quote(path), escape(unquote(path)), unquote(path)):
        body = body.replace(form, "PATH")
    return body


@pytest.mark.parametrize("actor", ["owner", "other_mediator", "editor", "person", "anonymous"])
def test_a_guessed_expired_or_revoked_link_is_one_and_the_same_404(
    request, actor, mediator, apps, shared, other_mediator, editor, person
):
    revoked = services.revoke(
        services.share(services.create_selection(mediator, title="Retirée", items=[(apps[0], "")]))
    )
    expired = expire(
        services.share(services.create_selection(mediator, title="Expirée", items=[(apps[1], "")]))
    )
    before = snapshot()
    client = signed_in(mediator) if actor == "owner" else client_for(actor, request)

    answers = invalid_link_bodies(client, shared, revoked, expired)

    assert {status for status, _body in answers.values()} == {404}
    assert len({body for _status, body in answers.values()}) == 1, "the answers differ"
    body = answers["revoked"][1]
    for secret in ("Retirée", "Expirée", "Mission locale", revoked.token, expired.token):
        assert secret not in body
    assert snapshot() == before  # no open counted either


def test_an_open_link_shows_the_selection_to_anyone(client, shared):
    response = client.get(f"/s/{shared.token}/")
    assert response.status_code == 200
    assert "Pour Sami" in response.content.decode()


def test_keeping_an_invalid_link_changes_nothing(person, mediator, apps, shared):
    revoked = services.revoke(shared)
    before = snapshot()
    response = signed_in(person).post(f"/s/{revoked.token}/garder/", {"keep": "1"})
    assert response.status_code == 404
    assert snapshot() == before


def test_keeping_needs_an_account(client, shared):
    before = snapshot()
    response = client.post(f"/s/{shared.token}/garder/", {"keep": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
    assert snapshot() == before


# --- The API ---------------------------------------------------------------------------------

API_ACTIONS = [
    ("get", "/api/v1/selections/{pk}/", None, "draft", 200),
    ("patch", "/api/v1/selections/{pk}/", {"title": "Piraté"}, "draft", 200),
    ("delete", "/api/v1/selections/{pk}/", None, "draft", 204),
    ("post", "/api/v1/selections/{pk}/share/", {"days": 7}, "draft", 200),
    ("post", "/api/v1/selections/{pk}/duplicate/", None, "draft", 201),
    ("post", "/api/v1/selections/{pk}/revoke/", None, "shared", 200),
]
API_REFUSED = {"other_mediator": 404, "editor": 403, "person": 403, "anonymous": 401}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("method", "path", "data", "which", "_ok"), API_ACTIONS)
def test_api_refusals_change_nothing_and_leak_nothing(
    request, actor, method, path, data, which, _ok, draft, shared, other_mediator, editor, person
):
    selection = {"draft": draft, "shared": shared}[which]
    before = snapshot()
    client = api_client_for(actor, request)

    response = getattr(client, method)(path.format(pk=selection.pk), data, format="json")

    assert response.status_code == API_REFUSED[actor]
    assert response.json()["status"] == API_REFUSED[actor]
    assert selection.title not in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(("method", "path", "data", "which", "ok"), API_ACTIONS)
def test_api_owner_may_do_each(method, path, data, which, ok, mediator, draft, shared):
    client = APIClient()
    client.force_authenticate(mediator)
    selection = {"draft": draft, "shared": shared}[which]
    response = getattr(client, method)(path.format(pk=selection.pk), data, format="json")
    assert response.status_code == ok, response.content


@pytest.mark.parametrize("actor", ACTORS)
def test_api_list_and_create_are_for_mediators(
    request, actor, apps, draft, other_mediator, editor, person
):
    client = api_client_for(actor, request)
    before = snapshot()
    listed = client.get("/api/v1/selections/")
    created = client.post(
        "/api/v1/selections/", {"title": "X", "items": [{"app": apps[0].slug}]}, format="json"
    )
    if actor == "other_mediator":
        assert listed.status_code == 200
        assert listed.json()["count"] == 0  # the other mediator's list holds only their own
        assert created.status_code == 201
    else:
        assert listed.status_code == created.status_code == API_REFUSED[actor]
        assert snapshot() == before


def test_api_public_read_of_guessed_expired_revoked_is_one_404(mediator, apps, shared):
    revoked = services.revoke(
        services.share(services.create_selection(mediator, title="Retirée", items=[(apps[0], "")]))
    )
    expired = expire(
        services.share(services.create_selection(mediator, title="Expirée", items=[(apps[1], "")]))
    )
    client = APIClient()
    answers = [
        client.get(f"/api/v1/shared-selections/{token}/")
        for token in ("AAAAAAAAAAAAAAAA", "x", revoked.token, expired.token)
    ]
    assert {r.status_code for r in answers} == {404}
    assert len({r.content for r in answers}) == 1
    assert client.get(f"/api/v1/shared-selections/{shared.token}/").status_code == 200
