"""The feed listing: its columns, filters, the link from the publishers, its query count."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from catalogue.sync.models import Feed, SyncRun
from tests.factories import PublisherFactory
from tests.integration.sync_admin.conftest import url

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]


def make_feeds(publisher, count, start=0):
    now = timezone.now()
    feeds = []
    for n in range(start, start + count):
        feed = Feed.objects.create(
            publisher=publisher,
            name=f"Flux {n}",
            url=f"https://flux.example.org/{n}.json",
            format="native" if n % 2 else "itunes",
        )
        SyncRun.objects.create(feed=feed, status="failed", started_at=now - timedelta(days=1))
        SyncRun.objects.create(feed=feed, status="done", started_at=now)
        feeds.append(feed)
    return feeds


def test_the_list_shows_the_last_run(client, editor, publisher_a):
    feed = make_feeds(publisher_a, 1)[0]
    never = Feed.objects.create(
        publisher=publisher_a, name="Flux neuf", url="https://n.example.org/f.json", format="native"
    )
    client.force_login(editor)

    content = client.get(url("index")).content.decode()

    assert url("runs", feed.pk) in content and url("runs", never.pk) in content
    assert "Terminée" in content  # the newest run, not the failed one before it
    assert "Échouée" not in content
    assert "Jamais" in content


def test_a_preview_is_not_the_last_sync(client, editor, publisher_a):
    feed = Feed.objects.create(
        publisher=publisher_a, name="Flux", url="https://f.example.org/f.json", format="native"
    )
    SyncRun.objects.create(feed=feed, status="failed")
    SyncRun.objects.create(feed=feed, status="done", dry_run=True)
    client.force_login(editor)

    content = client.get(url("index")).content.decode()

    assert "Échouée" in content
    assert "Terminée" not in content


def test_filters(client, editor, publisher_a, publisher_b):
    alpha = make_feeds(publisher_a, 2)
    beta = make_feeds(publisher_b, 2, start=10)
    beta[0].enabled = False
    beta[0].save()
    client.force_login(editor)

    def shown(**query):
        content = client.get(url("index"), query).content.decode()
        return {feed.name for feed in alpha + beta if url("runs", feed.pk) in content}

    assert shown(publisher=publisher_a.pk) == {"Flux 0", "Flux 1"}
    assert shown(format="itunes") == {"Flux 0", "Flux 10"}
    assert shown(enabled="false") == {"Flux 10"}


def test_a_members_publisher_filter_offers_its_own_publishers_only(client, member_a, publisher_b):
    client.force_login(member_a)

    content = client.get(url("index")).content.decode()

    assert "Éditeur Alpha" in content
    assert "Éditeur Bêta" not in content


def test_the_publishers_listing_links_to_their_feeds(client, editor, publisher_a):
    client.force_login(editor)

    content = client.get("/admin/snippets/catalogue/publisher/").content.decode()

    assert f"/admin/flux/?publisher={publisher_a.pk}" in content


def test_the_admin_menu_has_the_feeds_for_members_and_mappings_for_editors(
    client, member_a, editor
):
    client.force_login(member_a)
    member_home = client.get("/admin/").content.decode()
    client.force_login(editor)
    editor_home = client.get("/admin/").content.decode()

    assert "/admin/flux/" in member_home and "/admin/flux-categories/" not in member_home
    assert "/admin/flux/" in editor_home and "/admin/flux-categories/" in editor_home


@pytest.mark.parametrize("role", ["editor", "member"])
def test_the_list_query_count_does_not_grow_with_feeds(
    client, django_assert_num_queries, role, editor, member_a, publisher_a
):
    user = {"editor": editor, "member": member_a}[role]
    make_feeds(publisher_a, 2)
    client.force_login(user)
    client.get(url("index"))  # warm the caches every admin page fills once (site, menus)

    with django_assert_num_queries(QUERIES[role]):
        response = client.get(url("index"))
    assert response.status_code == 200

    make_feeds(PublisherFactory(), 3, start=10)
    make_feeds(publisher_a, 3, start=20)
    with django_assert_num_queries(QUERIES[role]):
        response = client.get(url("index"))
    assert response.status_code == 200
    assert response.content.decode().count('id="feed_') == (5 if role == "member" else 8)


# The whole admin page: session, user, permissions, menus (other apps' items included), the
# publisher filter, the count and the one listing query (last run by subquery, no N+1). A
# member's publishers and editor status are looked up once (catalogue.permissions): for an
# editor, onboarding's menu item (the applications queue) is what asks first.
QUERIES = {"editor": 14, "member": 14}


def test_the_link_of_a_publisher_without_feeds_lists_none(client, editor, publisher_a):
    make_feeds(publisher_a, 1)
    empty = PublisherFactory()
    client.force_login(editor)

    response = client.get(url("index"), {"publisher": empty.pk})

    assert response.status_code == 200
    assert 'id="feed_' not in response.content.decode()


def test_a_member_filtering_on_another_publisher_still_sees_only_its_own(
    client, member_a, publisher_a, publisher_b
):
    own = make_feeds(publisher_a, 1)[0]
    other = make_feeds(publisher_b, 1, start=5)[0]
    client.force_login(member_a)

    content = client.get(url("index"), {"publisher": publisher_b.pk}).content.decode()

    assert url("runs", other.pk) not in content
    assert url("runs", own.pk) in content


def test_the_next_sync_is_a_date_to_come(client, editor, publisher_a):
    from django.utils.formats import date_format

    soon = timezone.now() + timedelta(hours=3)
    Feed.objects.create(
        publisher=publisher_a,
        name="Flux",
        url="https://f.example.org/f.json",
        format="native",
        next_sync_at=soon,
    )
    client.force_login(editor)
    with translation.override("fr"):
        expected = date_format(timezone.localtime(soon), "SHORT_DATETIME_FORMAT")

    content = client.get(url("index")).content.decode()

    assert expected in content
