"""Members register their own feeds; a feed is enabled only after a preview that did not
fail; runs still produce drafts in moderation as before (catalogue.sync's own tests)."""

import pytest

from catalogue.sync.models import Feed, SyncRun
from tests.integration.onboarding.conftest import client_for, signed_in
from tests.integration.sync.conftest import FeedServer, app_spec, native_feed

# The cast (tests/conftest.py) made once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_catalogue")]


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.close()


def feeds_url(publisher):
    return f"/publier/editeurs/{publisher.pk}/flux/"


def test_register_preview_then_enable(member, publisher_a, feed_server):
    feed_server.serve("/feed.json", native_feed(app_spec("cv"), publisher=publisher_a.name))
    client = signed_in(member)
    data = {"name": "Mon flux", "url": feed_server.url("/feed.json"), "format": "native"}
    assert client.post(feeds_url(publisher_a), data).status_code == 302
    feed = Feed.objects.get()
    assert feed.publisher == publisher_a and not feed.enabled

    # Not before a preview.
    client.post(f"{feeds_url(publisher_a)}{feed.pk}/activer/")
    feed.refresh_from_db()
    assert not feed.enabled

    response = client.post(f"{feeds_url(publisher_a)}{feed.pk}/apercu/")
    run = SyncRun.objects.get(feed=feed)
    assert run.dry_run and run.status != SyncRun.Status.FAILED
    assert response["Location"].endswith(f"/{run.pk}/") or str(run.pk) in response["Location"]

    client.post(f"{feeds_url(publisher_a)}{feed.pk}/activer/")
    feed.refresh_from_db()
    assert feed.enabled and feed.next_sync_at is not None
    assert "Actif" in client.get(feeds_url(publisher_a)).content.decode()


def test_a_failed_preview_does_not_unlock_the_feed(member, publisher_a, feed_server):
    feed_server.serve("/broken.json", b"{not json")
    client = signed_in(member)
    client.post(
        feeds_url(publisher_a),
        {"name": "Cassé", "url": feed_server.url("/broken.json"), "format": "native"},
    )
    feed = Feed.objects.get()
    client.post(f"{feeds_url(publisher_a)}{feed.pk}/apercu/")
    assert SyncRun.objects.get(feed=feed).status == SyncRun.Status.FAILED
    client.post(f"{feeds_url(publisher_a)}{feed.pk}/activer/")
    feed.refresh_from_db()
    assert not feed.enabled


def test_errors_are_shown(member, publisher_a):
    client = signed_in(member)
    response = client.post(feeds_url(publisher_a), {"name": "", "url": "ftp://x", "format": "?"})
    assert response.status_code == 400
    assert {"name", "url", "format"} <= set(response.context["form"].errors)
    assert not Feed.objects.exists()


@pytest.mark.parametrize(
    ("actor", "expected"), [("anonymous", 302), ("applicant", 403), ("other_member", 403)]
)
def test_others_cannot_touch_the_feeds(
    request, actor, expected, publisher_a, member, other_member, applicant
):
    feed = Feed.objects.create(
        publisher=publisher_a,
        name="F",
        url="https://f.example.org/f.json",
        format="native",
        enabled=False,
    )
    SyncRun.objects.create(feed=feed, dry_run=True, status=SyncRun.Status.DONE)
    client = client_for(actor, request)
    assert client.get(feeds_url(publisher_a)).status_code == expected
    data = {"name": "Pirate", "url": "https://evil.example.org/f.json", "format": "native"}
    assert client.post(feeds_url(publisher_a), data).status_code == expected
    for action in ("activer", "apercu", "desactiver"):
        assert client.post(f"{feeds_url(publisher_a)}{feed.pk}/{action}/").status_code == expected
    feed.refresh_from_db()
    assert not feed.enabled
    assert Feed.objects.count() == 1
    assert SyncRun.objects.count() == 1


def test_another_publishers_feed_is_a_404(member, publisher_a, publisher_b):
    feed = Feed.objects.create(
        publisher=publisher_b, name="B", url="https://b.example.org/f.json", format="native"
    )
    client = signed_in(member)
    assert client.post(f"{feeds_url(publisher_a)}{feed.pk}/desactiver/").status_code == 404
    assert client.post(f"{feeds_url(publisher_a)}{feed.pk}/voler/").status_code == 404
    feed.refresh_from_db()
    assert feed.enabled
