"""Editors grant the mediator role and write ready-made paths in the admin; nobody else can."""

import pytest

from selections.models import Mediator, ReadyMadePath
from tests.integration.selections.conftest import signed_in, snapshot

pytestmark = pytest.mark.django_db

MEDIATORS = "/admin/snippets/selections/mediator/"
PATHS = "/admin/snippets/selections/readymadepath/"


def test_an_editor_grants_the_role(editor, person):
    response = signed_in(editor).post(
        f"{MEDIATORS}add/",
        {"user": person.pk, "organisation": "Mairie de Roubaix", "status": "active"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    role = Mediator.objects.get(user=person)
    assert (role.organisation, role.is_active) == ("Mairie de Roubaix", True)
    assert role.granted_at is not None
    assert signed_in(person).get("/mediation/").status_code == 200


def test_an_editor_writes_a_path_with_its_apps(editor, apps):
    response = signed_in(editor).post(
        f"{PATHS}add/",
        {
            "title": "Je me reconvertis",
            "title_en": "I am changing careers",
            "message": "Pour changer de métier.",
            "message_en": "",
            "is_published": "on",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "1",
            "items-MAX_NUM_FORMS": "20",
            "items-0-app": apps[2].pk,
            "items-0-note": "D'abord le CV",
            "items-0-note_en": "",
            "items-0-ORDER": "1",
            "items-0-id": "",
            "items-0-DELETE": "",
            "items-1-app": apps[0].pk,
            "items-1-note": "",
            "items-1-note_en": "",
            "items-1-ORDER": "2",
            "items-1-id": "",
            "items-1-DELETE": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    path = ReadyMadePath.objects.get()
    assert (path.kind, path.owner_id, path.is_published) == ("path", None, True)
    assert list(path.items.order_by("sort_order").values_list("app_id", flat=True)) == [
        apps[2].pk,
        apps[0].pk,
    ]


@pytest.mark.parametrize("who", ["mediator", "member_a", "person"])
def test_nobody_else_reaches_them(request, who, person):
    user = request.getfixturevalue(who)
    before = snapshot()
    client = signed_in(user)
    for url in (MEDIATORS, f"{MEDIATORS}add/", PATHS, f"{PATHS}add/"):
        assert client.get(url).status_code in (302, 403), url
    client.post(f"{MEDIATORS}add/", {"user": user.pk, "organisation": "X", "status": "active"})
    assert snapshot() == before
    assert not Mediator.objects.filter(user=user, organisation="X").exists()
