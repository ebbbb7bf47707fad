"""Fixtures of the sync admin's tests: a loopback feed server, feeds, every kind of user."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from catalogue.sync.models import Feed, SyncRun
from tests.factories import UserFactory

FEED_BODY = {
    "version": 1,
    "publisher": {"name": "Éditeur Alpha"},
    "apps": [
        {
            "id": "alpha-cv",
            "name": "Alpha CV",
            "tagline": "Un CV clair en dix minutes",
            "description": "<p>Alpha CV guide la rédaction d'un CV.</p>",
            "categories": ["offres-emploi"],
            "audiences": ["jobseekers"],
            "pricing": "free",
            "languages": ["fr"],
            "listings": [{"platform": "web", "url": "https://alpha-cv.example.org/"}],
        }
    ],
}


class FeedServer:
    """A native feed on 127.0.0.1; ``hits`` counts the requests it received."""

    def __init__(self, body: bytes):
        self.hits = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.hits += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/flux.json"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server():
    server = FeedServer(json.dumps(FEED_BODY).encode())
    yield server
    server.close()


@pytest.fixture
def eager_tasks():
    """Sync now runs its task inline, as in the demo (tests otherwise have a Redis broker)."""
    from store.celery import app as celery_app

    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def feed_a(publisher_a, feed_server):
    return Feed.objects.create(
        publisher=publisher_a, name="Flux Alpha", url=feed_server.url, format="native"
    )


@pytest.fixture
def feed_b(publisher_b):
    # Never fetched: nobody in these tests may sync it but editors, who do not.
    return Feed.objects.create(
        publisher=publisher_b,
        name="Flux Bêta",
        url="http://127.0.0.1:9/beta.json",
        format="appstream",
    )


@pytest.fixture
def run_a(feed_a):
    return SyncRun.objects.create(
        feed=feed_a, trigger=SyncRun.Trigger.SCHEDULE, status=SyncRun.Status.DONE, seen=1
    )


@pytest.fixture
def plain_user(db):
    return UserFactory(username="plain")


@pytest.fixture
def superuser(db):
    user = UserFactory(username="root")
    user.is_superuser = True
    user.is_staff = True
    user.save(update_fields=["is_superuser", "is_staff"])
    return user


@pytest.fixture
def users(plain_user, member_a, member_b, editor, superuser):
    """Every role of the permission matrix, by name ("anonymous" is no user)."""
    return {
        "anonymous": None,
        "plain": plain_user,
        "member": member_a,
        "other_member": member_b,
        "editor": editor,
        "superuser": superuser,
    }


def url(name, *args):
    return reverse(f"sync_feeds:{name}", args=args)


def login_as(client, users, role):
    if users[role] is not None:
        client.force_login(users[role])
    return client


def assert_login_redirect(response):
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
