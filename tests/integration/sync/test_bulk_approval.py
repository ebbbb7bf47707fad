"""Editors approve the drafts a feed brought, N at once; nobody else can."""

import pytest
from django.urls import reverse

from catalogue.models import AppPage
from tests.factories import EditorFactory, MemberFactory
from tests.integration.sync.conftest import app_spec, native_feed

pytestmark = pytest.mark.django_db
URL = "/admin/catalogue/validation/"


@pytest.fixture
def drafts(feed_server, make_feed, sync):
    feed_server.serve(
        "/feed.json", native_feed(*(app_spec(f"app-{n}", f"Appli {n}") for n in range(5)))
    )
    feed = make_feed()
    assert sync(feed).created == 5
    return feed


def live_count(feed) -> int:
    return AppPage.objects.filter(publisher=feed.publisher, live=True).count()


def test_an_editor_approves_the_chosen_ones_then_all(client, drafts):
    client.force_login(EditorFactory())
    page = client.get(URL)
    assert page.status_code == 200
    assert "5 applications attendent la validation" in page.content.decode()
    chosen = list(
        AppPage.objects.filter(publisher=drafts.publisher)
        .order_by("pk")
        .values_list("pk", flat=True)
    )[:2]

    client.post(URL, {"app": chosen})
    assert live_count(drafts) == 2
    published = AppPage.objects.get(pk=chosen[0])
    assert published.live and not published.has_unpublished_changes
    assert published.current_workflow_state is None  # the workflow is over

    client.post(URL, {"all": "1", "publisher": drafts.publisher.slug})
    assert live_count(drafts) == 5


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_others_are_refused_and_nothing_changes(client, drafts, who):
    if who == "member":
        client.force_login(MemberFactory(publisher=drafts.publisher))
    get = client.get(URL)
    post = client.post(URL, {"all": "1"})

    # Signed out: the admin's sign-in; a member: no entry (403, or the admin's redirect).
    assert get.status_code in (302, 403) and post.status_code in (302, 403)
    assert live_count(drafts) == 0


def test_the_dashboard_queue_leads_here(client, drafts):
    client.force_login(EditorFactory())
    assert reverse("catalogue_approval") == URL
