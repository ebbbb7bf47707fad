"""The mediators' space, the shared page and the printout on the site, without JavaScript."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from selections import services
from selections.models import Mediator, SavedSelection, Selection, SelectionItem
from tests.factories import AppPageFactory
from tests.integration.selections.conftest import signed_in

pytestmark = pytest.mark.django_db

ANDROID_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 Chrome/126 Mobile"
IPHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15"


def platforms_in_order(html: str, section: str) -> list[str]:
    return re.findall(r'data-platform="(\w+)"', section or html)


# --- Creating and filling a selection ------------------------------------------------------


def test_create_then_add_from_the_app_page(mediator, apps):
    client = signed_in(mediator)
    response = client.post("/mediation/selections/nouvelle/", {"title": "Pour Léa", "message": ""})
    selection = Selection.objects.get(owner=mediator)
    assert response["Location"] == f"/mediation/selections/{selection.pk}/"

    page = client.get(apps[0].url).content.decode()
    assert 'id="selection"' in page and "Ajouter à une sélection" in page
    response = client.post(
        f"/mediation/ajouter/{apps[0].pk}/",
        {"selection": str(selection.pk), "note": "Pour les offres", "next": apps[0].url},
    )
    assert response.status_code == 302 and response["Location"] == apps[0].url
    item = SelectionItem.objects.get(selection=selection)
    assert (item.app_id, item.note) == (apps[0].pk, "Pour les offres")
    # Back on the app page, the section says so.
    assert "est ajoutée à « Pour Léa »" in client.get(apps[0].url).content.decode()


def test_add_to_a_new_selection_needs_its_title(mediator, apps):
    client = signed_in(mediator)
    response = client.post(f"/mediation/ajouter/{apps[1].pk}/", {"selection": "new"})
    assert response.status_code == 400
    assert "Donnez un titre à la nouvelle sélection." in response.content.decode()
    assert not Selection.objects.exists()

    client.post(f"/mediation/ajouter/{apps[1].pk}/", {"selection": "new", "new_title": "Pour Sami"})
    assert Selection.objects.get().items.get().app_id == apps[1].pk


def test_add_to_someone_elses_selection_is_refused(mediator, other_mediator, apps, draft):
    response = signed_in(other_mediator).post(
        f"/mediation/ajouter/{apps[2].pk}/", {"selection": str(draft.pk)}
    )
    assert response.status_code == 400  # not one of their choices
    assert draft.items.count() == 2


def test_the_app_page_section_is_for_mediators_only(client, person, editor, apps):
    for visitor in (client, signed_in(person), signed_in(editor)):
        assert "Ajouter à une sélection" not in visitor.get(apps[0].url).content.decode()


def test_search_results_offer_the_action_to_mediators_only(
    client, mediator, person, apps, settings
):
    settings.SEARCH_BACKEND = "database"
    from search.backends import get_backend

    get_backend().rebuild()
    link = f'href="/mediation/ajouter/{apps[0].pk}/?next='
    assert link in signed_in(mediator).get("/apps/", {"q": "alpha"}).content.decode()
    for visitor in (client, signed_in(person)):
        assert link not in visitor.get("/apps/", {"q": "alpha"}).content.decode()
    # The link leads to a page that adds the app, then back to the results.
    page = signed_in(mediator).get(f"/mediation/ajouter/{apps[0].pk}/?next=/apps/%3Fq%3Dalpha")
    assert page.status_code == 200
    assert 'name="next" value="/apps/?q=alpha"' in page.content.decode()


def test_next_never_leads_off_the_site(mediator, apps, draft):
    response = signed_in(mediator).post(
        f"/mediation/ajouter/{apps[2].pk}/",
        {"selection": str(draft.pk), "next": "https://evil.example/"},
    )
    assert response["Location"] == apps[2].url


# --- Editing until shared ------------------------------------------------------------------


def test_edit_notes_order_and_removal(mediator, apps, draft):
    client = signed_in(mediator)
    first, second = draft.items.order_by("sort_order")
    response = client.post(
        f"/mediation/selections/{draft.pk}/",
        {
            "title": "Pour Léa B.",
            "message": "Nouveau message",
            f"note-{first.pk}": "Note changée",
            f"note-{second.pk}": "Autre",
            "move": f"{second.pk}:up",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.message) == ("Pour Léa B.", "Nouveau message")
    assert list(draft.items.order_by("sort_order").values_list("app_id", "note")) == [
        (apps[1].pk, "Autre"),
        (apps[0].pk, "Note changée"),
    ]
    client.post(
        f"/mediation/selections/{draft.pk}/", {"title": "Pour Léa B.", f"remove-{first.pk}": "1"}
    )
    assert list(draft.items.values_list("app_id", flat=True)) == [apps[1].pk]


def test_errors_come_back_with_what_was_typed(mediator, draft):
    item = draft.items.first()
    response = signed_in(mediator).post(
        f"/mediation/selections/{draft.pk}/",
        {"title": "  ", f"note-{item.pk}": "x" * 300, "message": "<b>gardé</b>"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Champ requis." in body
    assert "280 caractères au plus (300 saisis)." in body
    assert "&lt;b&gt;gardé&lt;/b&gt;" in body  # kept, and escaped
    draft.refresh_from_db()
    assert draft.title == "Pour Léa"


def test_user_text_is_escaped_everywhere(mediator, apps):
    selection = services.create_selection(
        mediator,
        title="<script>alert(1)</script>",
        message="<img src=x onerror=alert(1)>",
        items=[(apps[0], "<b>note</b>")],
    )
    services.share(selection)
    client = signed_in(mediator)
    for path in (
        "/mediation/",
        f"/mediation/selections/{selection.pk}/",
        f"/mediation/selections/{selection.pk}/imprimer/",
        f"/s/{selection.token}/",
    ):
        body = client.get(path).content.decode()
        assert "<script>alert(1)</script>" not in body, path
        assert "<img src=x" not in body and "<b>note</b>" not in body, path


def test_a_shared_selection_no_longer_changes(mediator, apps, shared):
    client = signed_in(mediator)
    before = list(shared.items.values_list("app_id", "note"))
    client.post(f"/mediation/selections/{shared.pk}/", {"title": "Autre"})
    client.post(f"/mediation/ajouter/{apps[2].pk}/", {"selection": str(shared.pk)})
    client.post(f"/mediation/selections/{shared.pk}/supprimer/")
    shared.refresh_from_db()
    assert shared.title == "Pour Sami"
    assert list(shared.items.values_list("app_id", "note")) == before


def test_share_revoke_duplicate(mediator, draft):
    client = signed_in(mediator)
    client.post(f"/mediation/selections/{draft.pk}/partager/", {"days": "7"})
    draft.refresh_from_db()
    assert draft.status == "shared" and re.fullmatch(r"[A-Za-z0-9_-]{16}", draft.token)
    assert timedelta(days=6, hours=23) < draft.expires_at - timezone.now() <= timedelta(days=7)
    page = client.get(f"/mediation/selections/{draft.pk}/").content.decode()
    assert f"/s/{draft.token}/" in page and "<svg" in page

    client.post(f"/mediation/selections/{draft.pk}/retirer-le-lien/")
    draft.refresh_from_db()
    assert draft.status == "revoked"
    assert Client().get(f"/s/{draft.token}/").status_code == 404

    client.post(f"/mediation/selections/{draft.pk}/dupliquer/")
    copy = Selection.objects.exclude(pk=draft.pk).get()
    assert copy.is_draft and copy.copied_from_id == draft.pk and copy.token is None
    assert list(copy.items.order_by("sort_order").values_list("app_id", "note")) == list(
        draft.items.order_by("sort_order").values_list("app_id", "note")
    )


def test_share_refuses_an_empty_selection_and_odd_durations(mediator):
    selection = services.create_selection(mediator, title="Vide")
    client = signed_in(mediator)
    client.post(f"/mediation/selections/{selection.pk}/partager/", {"days": "30"})
    client.post(f"/mediation/selections/{selection.pk}/partager/", {"days": "9999"})
    selection.refresh_from_db()
    assert selection.is_draft and selection.token is None


def test_delete_a_draft(mediator, draft):
    signed_in(mediator).post(f"/mediation/selections/{draft.pk}/supprimer/")
    assert not Selection.objects.filter(pk=draft.pk).exists()


# --- Ready-made paths ----------------------------------------------------------------------


def make_path(apps, published=True):
    from selections.models import ReadyMadePath

    path = ReadyMadePath.objects.create(
        title="Je cherche mon premier emploi",
        title_en="I am looking for my first job",
        message="Trois étapes.",
        is_published=published,
    )
    for position, app in enumerate(apps):
        SelectionItem.objects.create(
            selection=path,
            app=app,
            note=f"Étape {position + 1}",
            note_en=f"Step {position + 1}",
            sort_order=position,
        )
    return path


def test_mediators_copy_published_paths_only(mediator, apps):
    published = make_path(apps[:2])
    hidden = make_path(apps[2:], published=False)
    client = signed_in(mediator)
    space = client.get("/mediation/").content.decode()
    assert "Je cherche mon premier emploi" in space
    assert client.post(f"/mediation/parcours/{hidden.pk}/copier/").status_code == 404

    response = client.post(f"/mediation/parcours/{published.pk}/copier/")
    copy = Selection.objects.of_mediator(mediator).get()
    assert response["Location"] == f"/mediation/selections/{copy.pk}/"
    assert copy.copied_from_id == published.pk and copy.title == published.title
    assert list(copy.items.values_list("note", flat=True)) == ["Étape 1", "Étape 2"]


def test_a_path_copied_in_english_takes_its_english_text(mediator, apps):
    path = make_path(apps[:1])
    client = signed_in(mediator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post(f"/mediation/parcours/{path.pk}/copier/")
    copy = Selection.objects.of_mediator(mediator).get()
    assert (copy.title, copy.items.get().note) == ("I am looking for my first job", "Step 1")


# --- The person's page ---------------------------------------------------------------------


def test_the_shared_page_puts_the_device_first(shared):
    android = Client(HTTP_USER_AGENT=ANDROID_UA).get(f"/s/{shared.token}/").content.decode()
    iphone = Client(HTTP_USER_AGENT=IPHONE_UA).get(f"/s/{shared.token}/").content.decode()
    blocks = lambda html: html.split('class="selection-app"')[1:]  # noqa: E731
    assert [platforms_in_order(html, b)[0] for html in [android] for b in blocks(html)] == [
        "android",
        "android",
        "web",
    ]
    assert [platforms_in_order(iphone, b)[0] for b in blocks(iphone)] == ["ios", "web", "web"]
    assert android.count("Recommandé pour votre appareil") == 3
    for note in ("Note A", "Note B", "Note C"):
        assert note in android


def test_the_plain_language_mode(shared):
    body = Client().get(f"/s/{shared.token}/", {"mode": "facile"}).content.decode()
    assert "selection-shared--facile" in body
    assert "Votre conseiller a choisi ces applications pour vous." in body
    assert "À quoi ça sert :" in body
    assert "selection-picto" in body  # the platforms' pictograms
    assert "fr-btn--lg" in body
    assert "Revenir à la version habituelle" in body


def test_the_shared_page_keeps_its_token_to_itself(shared):
    response = Client().get(f"/s/{shared.token}/")
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]
    assert "private" in response["Cache-Control"]
    # No cookie but the language switch's CSRF one that every page sets: no session, no id.
    assert set(response.cookies) <= {"csrftoken"}


def test_opens_are_counted_without_cookies_nor_the_owners_visits(mediator, shared):
    Client().get(f"/s/{shared.token}/")
    Client(HTTP_SEC_FETCH_SITE="cross-site").get(f"/s/{shared.token}/")
    Client(HTTP_SEC_FETCH_SITE="same-origin").get(f"/s/{shared.token}/?mode=facile")
    signed_in(mediator).get(f"/s/{shared.token}/")
    shared.refresh_from_db()
    assert shared.open_count == 2
    assert shared.last_opened_on == timezone.localdate()
    space = signed_in(mediator).get("/mediation/").content.decode()
    assert 'data-open-count="2"' in space


def test_keep_in_favourites_then_find_it(person, shared):
    client = signed_in(person)
    assert "Garder dans mes favoris" in client.get(f"/s/{shared.token}/").content.decode()
    client.post(f"/s/{shared.token}/garder/", {"keep": "1"})
    client.post(f"/s/{shared.token}/garder/", {"keep": "1"})  # twice: still once
    assert SavedSelection.objects.filter(user=person).count() == 1
    assert "Retirer de mes favoris" in client.get(f"/s/{shared.token}/").content.decode()
    saved = client.get("/compte/selections/").content.decode()
    assert "Pour Sami" in saved and f"/s/{shared.token}/" in saved
    assert "Mission locale de Lyon" in saved

    services.revoke(shared)
    saved = client.get("/compte/selections/").content.decode()
    assert "Lien plus valable" in saved and f"/s/{shared.token}/" not in saved
    client.post(f"/compte/selections/{shared.pk}/retirer/")
    assert not SavedSelection.objects.exists()


def test_an_unpublished_app_leaves_the_shared_page(shared, apps):
    apps[1].unpublish()
    body = Client().get(f"/s/{shared.token}/").content.decode()
    assert "Alpha Emploi" in body and "Bêta Formation" not in body


# --- Printout and QR code ------------------------------------------------------------------


def test_the_printout(mediator, shared):
    client = signed_in(mediator)
    body = client.get(f"/mediation/selections/{shared.pk}/imprimer/?appareil=android").content
    body = body.decode()
    assert "selections/print.css" in body and "<style" not in body
    for app, install in (
        ("Alpha Emploi", "Installer sur Android"),
        ("Bêta Formation", "Installer sur Android"),
        ("Gamma CV", "Ouvrir le service en ligne"),
    ):
        assert app in body and install in body
    assert body.count("<svg") == 4  # the link's QR code, and one per app
    assert f"/s/{shared.token}/" in body
    assert "pour votre appareil" in body
    # An unknown device is "every device".
    assert (
        client.get(f"/mediation/selections/{shared.pk}/imprimer/?appareil=amiga").status_code == 200
    )


def test_a_draft_cannot_be_printed_yet(mediator, draft):
    response = signed_in(mediator).get(f"/mediation/selections/{draft.pk}/imprimer/")
    assert response.status_code == 302


def test_qr_code_download(mediator, shared, settings):
    response = signed_in(mediator).get(f"/mediation/selections/{shared.pk}/qr-code.svg")
    assert response["Content-Type"] == "image/svg+xml"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"<?xml")


# --- The role ------------------------------------------------------------------------------


def test_request_the_role_then_an_editor_grants_it(person):
    client = signed_in(person)
    page = client.get("/mediation/")
    assert page.status_code == 403 and "Demander l'accès" in page.content.decode()
    assert client.post("/mediation/demande/", {"organisation": " "}).status_code == 400
    client.post("/mediation/demande/", {"organisation": "Association Lire et Écrire"})
    role = Mediator.objects.get(user=person)
    assert (role.status, role.source) == ("requested", "site")
    assert client.get("/mediation/").status_code == 403

    role.status = Mediator.Status.ACTIVE
    role.save()  # what the editor's form in the admin does
    assert client.get("/mediation/").status_code == 200
    assert person.groups.filter(name="Mediators").exists()


def test_the_header_links_mediators_to_their_space(mediator, person):
    assert 'href="/mediation/"' in signed_in(mediator).get("/compte/favoris/").content.decode()
    assert 'href="/mediation/"' not in signed_in(person).get("/compte/favoris/").content.decode()


# --- Queries -------------------------------------------------------------------------------


def many_apps(publisher, count):
    return [AppPageFactory(publisher=publisher, listings=["web", "android"]) for _ in range(count)]


@pytest.mark.parametrize("size", [2, 8])
def test_the_shared_page_costs_a_fixed_number_of_queries(
    size, mediator, publisher_a, django_assert_num_queries
):
    selection = services.share(
        services.create_selection(
            mediator, title="T", items=[(app, "n") for app in many_apps(publisher_a, size)]
        )
    )
    client = Client(HTTP_USER_AGENT=ANDROID_UA)
    client.get(f"/s/{selection.token}/")  # warm the site's root paths
    # The selection, its items with apps, listings, icons' renditions; the open counted.
    with django_assert_num_queries(5):
        assert client.get(f"/s/{selection.token}/").status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_the_space_costs_a_fixed_number_of_queries(
    size, mediator, publisher_a, django_assert_num_queries
):
    apps = many_apps(publisher_a, 2)
    for n in range(size):
        services.create_selection(mediator, title=f"S{n}", items=[(apps[0], "")])
        make_path(apps)
    client = signed_in(mediator)
    client.get("/mediation/")
    # Session, user, permissions (2), the role, the selections, the paths and their apps.
    with django_assert_num_queries(8):
        assert client.get("/mediation/").status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_the_edit_page_and_printout_cost_a_fixed_number_of_queries(
    size, mediator, publisher_a, django_assert_num_queries
):
    selection = services.create_selection(
        mediator, title="T", items=[(app, "n") for app in many_apps(publisher_a, size)]
    )
    client = signed_in(mediator)
    client.get(f"/mediation/selections/{selection.pk}/")
    # Session, user, permissions (2), the role, the selection, its items with their apps,
    # listings, icons' renditions.
    with django_assert_num_queries(8):
        assert client.get(f"/mediation/selections/{selection.pk}/").status_code == 200
    services.share(selection)
    client.get(f"/mediation/selections/{selection.pk}/imprimer/")
    # One more than the edit page, whatever the number of apps.
    with django_assert_num_queries(9):
        assert client.get(f"/mediation/selections/{selection.pk}/imprimer/").status_code == 200
