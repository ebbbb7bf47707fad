"""One notification through a real Celery worker: committed in this process, enqueued on the
real Redis broker (a queue of this test's own), sent by a worker process with Django's
file-based mail backend, read back from its file."""

import os
import uuid

import pytest
from django.conf import settings
from django.db import transaction

from catalogue.notifications.services import notify
from store.celery import app as celery_app
from tests.factories import UserFactory
from tests.integration.catalogue.test_sync_celery import start, stop, this_tests_database_url

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
DEADLINE_SECONDS = 90


def test_a_worker_sends_the_mail_once_the_transaction_commits(tmp_path):
    import time

    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL is not set: this test needs the real Redis broker.")
    mails = tmp_path / "mails"
    queue = f"test-notifications-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": this_tests_database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mails),
    }
    person = UserFactory(username="destinataire")
    previous = celery_app.conf.task_default_queue, celery_app.conf.task_always_eager
    celery_app.conf.task_default_queue, celery_app.conf.task_always_eager = queue, False
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
            "--queues",
            queue,
        ],
        env,
    )
    try:
        with transaction.atomic():
            notify([person], "draft_approved", params={"app": "Alpha Emploi"}, url="/apps/x/")
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline and not (mails.exists() and any(mails.iterdir())):
            if worker.poll() is not None:
                pytest.fail(f"the Celery worker exited early:\n{worker.stdout.read()}")
            time.sleep(0.5)
    finally:
        celery_app.conf.task_default_queue, celery_app.conf.task_always_eager = previous
        log = stop(worker)
    files = list(mails.iterdir()) if mails.exists() else []
    assert len(files) == 1, log
    sent = files[0].read_text()
    assert "To: destinataire@example.org" in sent
    assert "Brouillon valid" in sent
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in sent
