"""/api/v1/selections/ for mediators and the public read of a shared selection by its token;
what the app holds about a user (export_for); the editors' insight; the token's end."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from selections import services
from selections.models import Selection
from selections.tasks import forget_old_tokens
from tests.integration.selections.conftest import signed_in

pytestmark = pytest.mark.django_db

ANDROID_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 Chrome/126 Mobile"


@pytest.fixture
def api(mediator):
    client = APIClient()
    client.force_authenticate(mediator)
    return client


def test_create_edit_share_revoke_duplicate(api, apps):
    created = api.post(
        "/api/v1/selections/",
        {
            "title": "Pour Léa",
            "message": "Bonjour",
            "items": [{"app": "beta-formation", "note": "B"}, {"app": "alpha-emploi"}],
        },
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["link_state"], body["link"]) == ("draft", None)
    assert [(i["position"], i["app"]["slug"], i["note"]) for i in body["items"]] == [
        (1, "beta-formation", "B"),
        (2, "alpha-emploi", ""),
    ]
    pk = body["id"]

    edited = api.patch(f"/api/v1/selections/{pk}/", {"items": [{"app": "gamma-cv"}]}, format="json")
    assert [i["app"]["slug"] for i in edited.json()["items"]] == ["gamma-cv"]
    assert edited.json()["title"] == "Pour Léa"

    shared = api.post(f"/api/v1/selections/{pk}/share/", {"days": 7}, format="json").json()
    assert shared["link_state"] == "open"
    assert shared["link"].endswith(f"/s/{shared['token']}/")

    assert api.patch(f"/api/v1/selections/{pk}/", {"title": "X"}, format="json").status_code == 409
    assert api.post(f"/api/v1/selections/{pk}/share/").status_code == 409
    assert api.delete(f"/api/v1/selections/{pk}/").status_code == 409

    public = APIClient(HTTP_USER_AGENT=ANDROID_UA).get(
        f"/api/v1/shared-selections/{shared['token']}/"
    )
    assert public.status_code == 200
    assert public.json()["organisation"] == "Mission locale de Lyon"
    assert public.json()["items"][0]["app"]["install"] == [
        {
            "platform": "web",
            "url": "https://gamma.example.org/web/",
            "label": "Ouvrir le service en ligne",
            "recommended": True,
        }
    ]

    revoked = api.post(f"/api/v1/selections/{pk}/revoke/").json()
    assert (revoked["link_state"], revoked["link"], revoked["token"]) == ("revoked", None, None)
    assert api.post(f"/api/v1/selections/{pk}/revoke/").status_code == 409
    assert APIClient().get(f"/api/v1/shared-selections/{shared['token']}/").status_code == 404

    copy = api.post(f"/api/v1/selections/{pk}/duplicate/")
    assert copy.status_code == 201 and copy.json()["copied_from"] == pk

    listed = api.get("/api/v1/selections/", {"page_size": 1}).json()
    assert listed["count"] == 2 and len(listed["results"]) == 1 and listed["next"]


def test_public_read_puts_the_device_first(shared):
    body = APIClient(HTTP_USER_AGENT=ANDROID_UA).get(f"/api/v1/shared-selections/{shared.token}/")
    firsts = [item["app"]["install"][0] for item in body.json()["items"]]
    assert [(i["platform"], i["recommended"]) for i in firsts] == [
        ("android", True),
        ("android", True),
        ("web", True),
    ]
    assert body.json()["items"][0]["app"]["install"][1]["label"] == "Ouvrir le service en ligne"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"title": "T", "items": [{"app": "nope"}]}, "items.0.app"),
        ({"title": "T", "items": [{"app": "alpha-emploi", "note": "n" * 281}]}, "items.0.note"),
        ({"title": "T", "items": [{"app": "alpha-emploi"}, {"app": "alpha-emploi"}]}, "items"),
        ({"title": "T", "items": "alpha-emploi"}, "items"),
        ({"title": "T", "items": [{"app": "alpha-emploi"}] * 21}, "items"),
    ],
)
def test_invalid_input_is_a_400_per_field(api, apps, payload, field):
    response = api.post("/api/v1/selections/", payload, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    # A list's own errors (too long, not a list) are under "items.non_field_errors".
    assert field in errors or f"{field}.non_field_errors" in errors, errors
    assert not Selection.objects.exists()


def test_share_refuses_an_empty_selection_or_an_odd_duration(api, mediator):
    empty = services.create_selection(mediator, title="Vide")
    assert api.post(f"/api/v1/selections/{empty.pk}/share/").status_code == 400
    assert (
        api.post(f"/api/v1/selections/{empty.pk}/share/", {"days": 0}, format="json").status_code
        == 400
    )
    assert (
        api.post(
            f"/api/v1/selections/{empty.pk}/share/", {"days": 10_000}, format="json"
        ).status_code
        == 400
    )


def test_a_drafts_or_unpublished_apps_are_not_accepted(api, apps, publisher_a):
    from tests.factories import AppPageFactory

    AppPageFactory(publisher=publisher_a, slug="brouillon", live=False)
    response = api.post(
        "/api/v1/selections/", {"title": "T", "items": [{"app": "brouillon"}]}, format="json"
    )
    assert response.status_code == 400


def test_the_list_costs_a_fixed_number_of_queries(api, mediator, apps, django_assert_num_queries):
    for n in range(5):
        services.create_selection(mediator, title=f"S{n}", items=[(app, "") for app in apps])
    api.get("/api/v1/selections/")
    # The role, the count, the page, its items with their apps (the user is forced).
    with django_assert_num_queries(4):
        assert api.get("/api/v1/selections/").status_code == 200


def test_the_operations_are_in_the_schema(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/selections/"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/selections/{id}/"])
    for action in ("share", "revoke", "duplicate"):
        assert "post" in paths[f"/api/v1/selections/{{id}}/{action}/"]
    assert "get" in paths["/api/v1/shared-selections/{token}/"]


# --- What the app holds about a user ------------------------------------------------------


def test_export_for_a_mediator_and_a_person(mediator, person, shared, draft):
    services.keep(person, shared)
    mine = services.export_for(mediator)
    assert mine["mediator"]["organisation"] == "Mission locale de Lyon"
    assert [s["title"] for s in mine["selections"]] == ["Pour Sami", "Pour Léa"]
    assert mine["selections"][0]["apps"][0] == {
        "app": "alpha-emploi",
        "name": "Alpha Emploi",
        "note": "Note A",
    }
    theirs = services.export_for(person)
    assert theirs["mediator"] is None and theirs["selections"] == []
    assert [s["title"] for s in theirs["saved_selections"]] == ["Pour Sami"]


# --- The token's end -----------------------------------------------------------------------


def test_tokens_are_forgotten_a_year_after_the_link_stopped(mediator, apps, shared):
    old = services.share(
        services.create_selection(mediator, title="Vieille", items=[(apps[0], "")])
    )
    Selection.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=400))
    assert forget_old_tokens() == 1
    old.refresh_from_db()
    shared.refresh_from_db()
    assert old.token is None and old.link_state == "expired"
    assert shared.token is not None


# --- The editors' insight ------------------------------------------------------------------


def test_editors_see_requests_recommended_apps_and_copied_paths(editor, person, shared, apps):
    from selections.models import ReadyMadePath, SelectionItem

    services.request_mediator_role(person, "Association")
    path = ReadyMadePath.objects.create(title="Je crée mon entreprise", is_published=True)
    SelectionItem.objects.create(selection=path, app=apps[2], sort_order=0)
    services.duplicate(path, shared.owner)
    page = signed_in(editor).get("/admin/").content.decode()
    assert 'data-queue="mediator-requests"' in page
    assert "Applications les plus recommandées par les médiateurs" in page
    assert "Alpha Emploi : 1 sélection" in page
    assert "Je crée mon entreprise : 1 copie" in page
    assert "Pour Sami" not in page  # counts, never a mediator's selection
