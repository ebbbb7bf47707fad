"""A real Celery worker consumes tasks from the real Redis broker."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from store.tasks import ping

ROOT = Path(__file__).resolve().parents[3]
WORKER_READY_SECONDS = 60


@pytest.fixture
def queue():
    # A queue of its own: tasks other tests sent to the default one must not delay this one.
    return f"test-ping-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def celery_worker_process(queue):
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL is not set: the Celery tests need the real Redis broker.")
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "0", "CELERY_QUEUE": queue}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "--app",
            "store",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_a_real_worker_runs_a_task_sent_through_redis(celery_worker_process, queue):
    # With REDIS_URL set, tasks go through the broker rather than running in process.
    assert ping.app.conf.task_always_eager is False

    result = ping.apply_async(args=["bonjour"], queue=queue)
    deadline = time.monotonic() + WORKER_READY_SECONDS
    while not result.ready() and time.monotonic() < deadline:
        if celery_worker_process.poll() is not None:
            output = celery_worker_process.stdout.read()
            pytest.fail(f"the Celery worker exited early:\n{output}")
        time.sleep(0.2)
    assert result.get(timeout=1) == "bonjour"
