"""Fixtures of the sync integration tests: a feed server on 127.0.0.1, feeds, runs.

Every request a test makes goes to a server it started on 127.0.0.1 (ephemeral ports): host
names other than loopback do not resolve (see `no_outside_network`), so an image URL that a
real fixture points at some CDN fails fast as a warning instead of leaving the machine.
"""

import hashlib
import json
import re
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image as PillowImage
from wagtail.models import Revision, WorkflowState

from catalogue.models import AppPage
from catalogue.services import WORKFLOW_NAME
from catalogue.sync.models import Feed, SyncRun
from catalogue.sync.parsers.itunes import ICON_FIELDS, SCREENSHOT_FIELDS
from catalogue.sync.runner import run_feed
from tests.factories import PublisherFactory
from tests.loopback import Listener

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "publisher-metadata"
APPSTREAM = FIXTURES / "appstream"
ITUNES = FIXTURES / "itunes"
EXAMPLE_FEED = ROOT / "catalogue" / "sync" / "schema" / "example-feed.json"
PUBLISHER_NAME = "Mission locale numérique (exemple)"
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_IMAGE = re.compile(rb"(<image[^>]*>)(https?://[^<]+)(</image>)")


# --- the feed server -----------------------------------------------------------------------


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict = field(default_factory=dict)
    etag: str = ""  # honoured: If-None-Match with this value → 304
    last_modified: str = ""  # honoured: If-Modified-Since with this value → 304
    drip: float = 0.0  # seconds between bytes of the body (0: all at once)


@dataclass
class Request:
    path: str
    headers: dict


class FeedServer:
    """A threaded HTTP server whose routes (path → Route) each test sets; records requests."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.stop = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.feed_server = self
        self.port = self.httpd.server_address[1]
        # A short poll interval: shutdown() waits for it at every teardown.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, body: bytes | str, *, content_type="application/json", **route):
        """Serve `body` at `path` (Route options: status, headers, etag, last_modified, drip)."""
        if isinstance(body, str):
            body = body.encode()
        headers = {"Content-Type": content_type, **route.pop("headers", {})}
        self.routes[path] = Route(body=body, headers=headers, **route)
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        self.routes[path] = Route(status=status, headers={"Location": location})
        return self.url(path)

    def image(self, path: str, content: bytes | None = None, **options) -> str:
        """A PNG (made with Pillow, its colour drawn from the path: distinct bytes per path)."""
        return self.serve(
            path, content or png_bytes(seed=path, **options), content_type="image/png"
        )

    def hits(self, path: str) -> int:
        return sum(1 for request in self.requests if request.path == path)

    def close(self):
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        server = self.server.feed_server
        server.requests.append(Request(self.path, dict(self.headers)))
        route = server.routes.get(self.path)
        if route is None:
            self.respond(404, b"introuvable", {"Content-Type": "text/plain"})
            return
        validators = {}
        if route.etag:
            validators["ETag"] = route.etag
        if route.last_modified:
            validators["Last-Modified"] = route.last_modified
        if (route.etag and self.headers.get("If-None-Match") == route.etag) or (
            route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
        ):
            self.respond(304, b"", validators)
            return
        headers = {**route.headers, **validators}
        if route.drip:
            self.drip(route, headers)
        else:
            self.respond(route.status, route.body, headers)

    def respond(self, status, body, headers):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def drip(self, route, headers):
        """The whole length announced, then one byte every `route.drip` seconds."""
        server = self.server.feed_server
        self.send_response(route.status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        try:
            for byte in route.body:
                if server.stop.wait(route.drip):
                    break
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
        except OSError:
            pass  # the client hung up: what a timeout looks like from here
        self.close_connection = True

    def log_message(self, *args):
        pass


def png_bytes(seed: str = "", size=(16, 16), format="PNG") -> bytes:
    digest = hashlib.sha256(seed.encode()).digest()
    picture = PillowImage.new("RGB", size, color=tuple(digest[:3]))
    out = BytesIO()
    picture.save(out, format=format)
    return out.getvalue()


# --- feeds ---------------------------------------------------------------------------------


def app_spec(external_id: str, name: str | None = None, **overrides) -> dict:
    """One app of a native feed, valid and complete; `overrides` replace its fields."""
    spec = {
        "id": external_id,
        "name": name or f"Appli {external_id}",
        "tagline": f"L'accroche de {external_id}",
        "description": f"<p>{external_id} aide à trouver un emploi.</p>",
        "categories": ["cv-et-lettre"],
        "audiences": ["jobseekers"],
        "pricing": "free",
        "languages": ["fr"],
        "accessibility": "partial",
        "listings": [
            {"platform": "web", "url": f"https://example.org/{external_id}/", "version": "1.0"}
        ],
    }
    spec.update(overrides)
    return spec


def native_feed(*apps: dict, publisher: str = PUBLISHER_NAME) -> bytes:
    data = {"version": 1, "publisher": {"name": publisher}, "apps": list(apps)}
    return json.dumps(data, ensure_ascii=False).encode()


def example_feed(server: FeedServer) -> bytes:
    """The schema's example feed, its icons and screenshots served by `server`."""
    data = json.loads(EXAMPLE_FEED.read_text(encoding="utf-8"))
    for app in data["apps"]:
        if "icon" in app:
            app["icon"] = server.image(f"/images/{app['id']}/icone.png")
        for position, shot in enumerate(app.get("screenshots", []), start=1):
            shot["url"] = server.image(f"/images/{app['id']}/ecran-{position}.png")
    return json.dumps(data).encode()


def local_images(body: bytes, server, prefix: str) -> bytes:
    """An AppStream file with its <image> URLs served locally, every other byte as it was."""
    count = iter(range(1000))
    return _IMAGE.sub(
        lambda m: m.group(1) + server.image(f"{prefix}/{next(count)}.png").encode() + m.group(3),
        body,
    )


def itunes_with_local_images(name: str, server) -> bytes:
    data = json.loads((ITUNES / name).read_bytes())
    for position, result in enumerate(data["results"]):
        for key in ICON_FIELDS:
            if result.get(key):
                result[key] = server.image(f"/itunes/{position}/{key}.png")
        for key in SCREENSHOT_FIELDS:
            if result.get(key):
                result[key] = [
                    server.image(f"/itunes/{position}/{key}-{index}.png")
                    for index in range(len(result[key]))
                ]
    return json.dumps(data).encode()


# --- looking at the results ----------------------------------------------------------------


def app_of(feed: Feed, external_id: str) -> AppPage:
    return AppPage.objects.get(publisher=feed.publisher, external_id=external_id)


def in_review(app: AppPage) -> bool:
    """Is the app's latest revision before the editors (the editorial workflow in progress)?"""
    state = AppPage.objects.get(pk=app.pk).current_workflow_state
    return (
        state is not None
        and state.status == WorkflowState.STATUS_IN_PROGRESS
        and state.workflow.name == WORKFLOW_NAME
    )


def revision_count(app: AppPage | None = None) -> int:
    revisions = Revision.page_revisions
    return (revisions.filter(object_id=str(app.pk)) if app else revisions.all()).count()


_WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def written_tables(queries) -> list[str]:
    """The tables that INSERT / UPDATE / DELETE statements touched, in order."""
    return [match.group(2) for q in queries if (match := _WRITE.match(q["sql"]))]


def counters(run: SyncRun) -> dict:
    return {name: getattr(run, name) for name in SyncRun.COUNTERS}


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_outside_network(monkeypatch):
    """Names other than loopback do not resolve: nothing a test does leaves the machine."""
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host not in LOOPBACK:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.close()


@pytest.fixture
def listener():
    bare = Listener()
    yield bare
    bare.close()


@pytest.fixture
def publisher(db):
    return PublisherFactory(name=PUBLISHER_NAME, slug="mission-locale-numerique")


@pytest.fixture
def make_feed(publisher, feed_server):
    """make_feed(path, format=…): a feed of the publisher read from the local server."""

    def make(path: str = "/feed.json", format: str = "native", **fields) -> Feed:
        return Feed.objects.create(
            publisher=fields.pop("publisher", publisher),
            name=fields.pop("name", f"Flux {path}"),
            url=feed_server.url(path),
            format=format,
            **fields,
        )

    return make


@pytest.fixture
def sync():
    """sync(feed, **options): run the feed now, return its SyncRun as stored (checked)."""

    def run(feed: Feed, **options) -> SyncRun:
        options.setdefault("trigger", SyncRun.Trigger.MANUAL)
        done = run_feed(feed, **options)
        feed.refresh_from_db()
        stored = SyncRun.objects.get(pk=done.pk)
        if stored.status != SyncRun.Status.FAILED and not stored.not_modified:
            # Every item read is counted once, whatever became of it.
            assert stored.seen == sum(
                getattr(stored, name) for name in ("created", "updated", "unchanged", "failed")
            ), counters(stored)
        return stored

    return run
