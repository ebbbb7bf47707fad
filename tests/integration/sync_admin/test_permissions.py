"""Who may see and do what in the sync admin, view by view, with the effects checked.

Roles: anonymous, a plain user (no admin access), a member of the feed's publisher, a member
of another publisher, an editor, a superuser. Wagtail answers a PermissionDenied with a
redirect to the dashboard (tests.admin_forms.assert_permission_denied), not a 403.
"""

import pytest
from django.urls import reverse

from catalogue.models import AppPage
from catalogue.sync.models import Feed, FeedItem, SyncRun
from tests.admin_forms import assert_permission_denied
from tests.integration.sync_admin.conftest import assert_login_redirect, login_as, url

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]

NO_ADMIN = ("anonymous", "plain")
SEES_FEED_A = ("member", "editor", "superuser")


# --- Reading -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["anonymous", "plain", "member", "other_member", "editor", "superuser"]
)
def test_feed_list(client, users, role, feed_a, feed_b):
    response = login_as(client, users, role).get(url("index"))

    if role in NO_ADMIN:
        assert_login_redirect(response)
        return
    assert response.status_code == 200
    content = response.content.decode()
    shown = {feed.name for feed in (feed_a, feed_b) if url("runs", feed.pk) in content}
    expected = {
        "member": {"Flux Alpha"},
        "other_member": {"Flux Bêta"},
        "editor": {"Flux Alpha", "Flux Bêta"},
        "superuser": {"Flux Alpha", "Flux Bêta"},
    }[role]
    assert shown == expected


@pytest.mark.parametrize(
    "role", ["anonymous", "plain", "member", "other_member", "editor", "superuser"]
)
def test_feed_runs_page(client, users, role, run_a):
    response = login_as(client, users, role).get(url("runs", run_a.feed_id))

    if role in NO_ADMIN:
        assert_login_redirect(response)
    elif role == "other_member":
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert url("run", run_a.pk) in response.content.decode()


@pytest.mark.parametrize(
    "role", ["anonymous", "plain", "member", "other_member", "editor", "superuser"]
)
def test_run_detail_page(client, users, role, run_a):
    response = login_as(client, users, role).get(url("run", run_a.pk))

    if role in NO_ADMIN:
        assert_login_redirect(response)
    elif role == "other_member":
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert "Flux Alpha" in response.content.decode()


# --- Sync now and Preview --------------------------------------------------------------------


@pytest.mark.parametrize("action", ["sync", "preview"])
@pytest.mark.parametrize(
    "role", ["anonymous", "plain", "member", "other_member", "editor", "superuser"]
)
def test_sync_and_preview(client, users, role, action, feed_a, feed_server, eager_tasks):
    response = login_as(client, users, role).post(url(action, feed_a.pk))

    runs = SyncRun.objects.filter(feed=feed_a)
    if role in NO_ADMIN or role == "other_member":
        if role == "other_member":
            assert response.status_code == 404
        else:
            assert_login_redirect(response)
        assert not runs.exists()
        assert feed_server.hits == 0
        return
    run = runs.get()
    assert (run.trigger, run.dry_run) == (SyncRun.Trigger.MANUAL, action == "preview")
    assert feed_server.hits == 1
    expected = url("runs", feed_a.pk) if action == "sync" else url("run", run.pk)
    assert (response.status_code, response["Location"]) == (302, expected)


@pytest.mark.parametrize("action", ["sync", "preview"])
def test_sync_and_preview_refuse_get(client, member_a, feed_a, feed_server, action):
    client.force_login(member_a)

    response = client.get(url(action, feed_a.pk))

    assert response.status_code == 405
    assert not SyncRun.objects.exists()
    assert feed_server.hits == 0


@pytest.mark.parametrize("action", ["sync", "preview"])
def test_sync_and_preview_need_the_csrf_token(member_a, feed_a, feed_server, action):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member_a)

    response = client.post(url(action, feed_a.pk))

    assert response.status_code == 403
    assert not SyncRun.objects.exists()
    assert feed_server.hits == 0


def test_a_member_sees_no_button_on_another_publishers_feed_and_cannot_guess_it(
    client, member_b, feed_a, run_a, feed_server
):
    client.force_login(member_b)

    for path in (url("runs", feed_a.pk), url("run", run_a.pk)):
        assert client.get(path).status_code == 404
    for path in (url("sync", feed_a.pk), url("preview", feed_a.pk)):
        assert client.post(path).status_code == 404
    assert SyncRun.objects.filter(feed=feed_a).count() == 1
    assert feed_server.hits == 0


# --- Editing feeds: editors only -------------------------------------------------------------


def feed_form(feed_publisher, **changes):
    data = {
        "publisher": feed_publisher.pk,
        "name": "Nouveau flux",
        "url": "https://flux.example.org/apps.json",
        "format": "native",
        "enabled": "on",
        "interval_hours": "24",
        "next_sync_at": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ["member", "other_member", "editor", "superuser"])
def test_only_editors_open_the_feed_forms(client, users, role, feed_a):
    login_as(client, users, role)

    responses = [client.get(url("add")), client.get(url("edit", feed_a.pk))]

    for response in responses:
        if role in ("editor", "superuser"):
            assert response.status_code == 200
        else:
            assert_permission_denied(response)


def test_a_member_cannot_add_a_feed_for_any_publisher(client, member_a, publisher_a, publisher_b):
    client.force_login(member_a)

    for publisher in (publisher_a, publisher_b):
        assert_permission_denied(client.post(url("add"), feed_form(publisher)))

    assert not Feed.objects.exists()


def test_a_member_cannot_edit_or_delete_its_feed(client, member_a, feed_a):
    client.force_login(member_a)

    assert_permission_denied(client.post(url("edit", feed_a.pk), feed_form(feed_a.publisher)))
    assert_permission_denied(client.post(url("delete", feed_a.pk)))

    feed_a.refresh_from_db()
    assert feed_a.name == "Flux Alpha"


def test_an_editor_adds_a_feed(client, editor, publisher_b):
    client.force_login(editor)

    response = client.post(url("add"), feed_form(publisher_b))

    assert response.status_code == 302
    feed = Feed.objects.get()
    assert (feed.publisher, feed.name, feed.format) == (publisher_b, "Nouveau flux", "native")


def test_the_editors_group_holds_the_sync_permissions(editor):
    for permission in (
        "sync.add_feed",
        "sync.change_feed",
        "sync.delete_feed",
        "sync.view_syncrun",
        "sync.add_categorymapping",
        "sync.change_categorymapping",
    ):
        assert editor.has_perm(permission), permission


# --- Category mappings: editors only ---------------------------------------------------------


MAPPINGS = "sync_category_mappings:index"


@pytest.mark.parametrize("role", ["anonymous", "plain", "member", "editor", "superuser"])
def test_category_mappings_list(client, users, role):
    response = login_as(client, users, role).get(reverse(MAPPINGS))

    if role in NO_ADMIN:
        assert_login_redirect(response)
    elif role == "member":
        assert_permission_denied(response)
    else:
        assert response.status_code == 200


def test_category_mappings_filter_by_source_and_search_by_term(client, editor):
    client.force_login(editor)

    response = client.get(reverse(MAPPINGS), {"source": "itunes", "q": "Business"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Business" in content
    assert "Productivity" not in content  # another iTunes term
    assert "WordProcessor" not in content  # an AppStream term


def test_an_editor_adds_a_category_mapping(client, editor):
    from catalogue.models import Category
    from catalogue.sync.models import CategoryMapping

    client.force_login(editor)
    category = Category.objects.get(slug="offres-emploi")

    response = client.post(
        reverse("sync_category_mappings:add"),
        {"source": "appstream", "term": "JobSearch", "category": category.pk},
    )

    assert response.status_code == 302
    assert CategoryMapping.objects.get(source="appstream", term="JobSearch").category == category


def test_a_member_cannot_add_a_category_mapping(client, member_a):
    from catalogue.models import Category
    from catalogue.sync.models import CategoryMapping

    client.force_login(member_a)
    category = Category.objects.get(slug="offres-emploi")

    response = client.post(
        reverse("sync_category_mappings:add"),
        {"source": "appstream", "term": "JobSearch", "category": category.pk},
    )

    assert_permission_denied(response)
    assert not CategoryMapping.objects.filter(term="JobSearch").exists()


# --- Nothing written by refused requests -----------------------------------------------------


def test_refused_requests_write_no_page(client, member_b, feed_a, feed_server, eager_tasks):
    client.force_login(member_b)
    apps_before = AppPage.objects.count()

    client.post(url("sync", feed_a.pk))
    client.post(url("preview", feed_a.pk))

    assert AppPage.objects.count() == apps_before
    assert not FeedItem.objects.exists()


@pytest.mark.parametrize("view", ["history", "usage"])
def test_a_member_opens_no_other_generic_view_of_its_feed(client, member_a, feed_a, view):
    client.force_login(member_a)

    assert_permission_denied(client.get(url(view, feed_a.pk)))
