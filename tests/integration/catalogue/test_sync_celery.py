"""The real path of a scheduled sync: Celery beat's tick → the Redis broker → a worker process
→ the feed fetched from a local server → a SyncRun recorded and the app created as a draft.

Beat, the worker and this test share the test database (committed rows: a transactional
test) and a queue of their own on the real Redis, so no other task reaches this worker.
"""

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from catalogue.models import AppPage
from catalogue.sync.models import Feed, SyncRun
from tests.factories import PublisherFactory

ROOT = Path(__file__).resolve().parents[3]
DEADLINE_SECONDS = 120

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FEED = {
    "version": 1,
    "publisher": {"name": "Éditeur planifié"},
    "apps": [
        {
            "id": "planifiee-1",
            "name": "Agenda des salons de l'emploi",
            "tagline": "Tous les salons de recrutement près de chez vous",
            "description": "<p>Les salons, forums et job datings de votre région.</p>",
            "categories": ["offres-emploi"],
            "audiences": ["jobseekers"],
            "pricing": "free",
            "languages": ["fr"],
            "listings": [{"platform": "web", "url": "https://salons.example.org/"}],
        }
    ],
}


@pytest.fixture
def feed_server():
    body = json.dumps(FEED).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/flux.json"
    server.shutdown()
    server.server_close()


def this_tests_database_url() -> str:
    """DATABASE_URL of the database this test runs in (pytest's test_… copy)."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start(arguments, env):
    return subprocess.Popen(  # noqa: S603 (celery, fixed arguments)
        [sys.executable, "-m", "celery", "--app", "store", *arguments],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(process) -> str:
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output or ""


def test_beat_schedules_a_due_feed_and_a_worker_syncs_it(feed_server, tmp_path):
    assert connection.vendor == "postgresql"
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL is not set: this test needs the real Redis broker.")
    publisher = PublisherFactory(slug="planifie", name="Éditeur planifié")
    feed = Feed.objects.create(
        publisher=publisher, name="Flux planifié", url=feed_server, format="native"
    )
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": this_tests_database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_QUEUE": f"test-sync-{uuid.uuid4().hex[:8]}",
        "SYNC_BEAT_SECONDS": "1",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    worker = start(
        [
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env,
    )
    beat = start(
        [
            "beat",
            "--loglevel",
            "INFO",
            "--pidfile",
            str(tmp_path / "beat.pid"),
            "--schedule",
            str(tmp_path / "beat-schedule"),
        ],
        env,
    )
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        run = None
        while time.monotonic() < deadline:
            run = SyncRun.objects.filter(feed=feed).exclude(status=SyncRun.Status.RUNNING).first()
            if run is not None:
                break
            for name, process in (("worker", worker), ("beat", beat)):
                if process.poll() is not None:
                    pytest.fail(f"the Celery {name} exited early:\n{process.stdout.read()}")
            time.sleep(0.5)
    finally:
        logs = {"beat": stop(beat), "worker": stop(worker)}
    assert run is not None, f"no SyncRun recorded; logs:\n{logs['beat']}\n{logs['worker']}"
    assert run.trigger == SyncRun.Trigger.SCHEDULE
    assert (run.status, run.http_status, run.seen, run.created) == ("done", 200, 1, 1)
    app = AppPage.objects.get(publisher=publisher, external_id="planifiee-1")
    assert not app.live  # a draft, waiting for the editors
    assert app.current_workflow_state is not None
    feed.refresh_from_db()
    assert feed.next_sync_at is not None  # beat's tick moved it forward
