"""A live store whose dependencies can be made to fail: the fault tests and bench/faults.py.

- ``FaultServices``: a Redis and an Elasticsearch of their own, on other ports than the shared
  ones (``scripts/services.sh`` with ``SERVICES_INSTANCE=faults``), so that stopping, killing
  or freezing them disturbs nothing else. Their processes are signalled for real: SIGKILL
  (a crash), SIGSTOP / SIGCONT (a node that hangs, then comes back).
- ``Stack``: the store as production runs it — gunicorn (2 workers), a Celery worker and Celery
  beat — on a given database, against those services, with the Redis cache failing open and the
  search falling back on the database.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from elasticsearch import Elasticsearch

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "scripts" / "services.sh"
BASH = shutil.which("bash") or "/bin/bash"
INSTANCE = "faults"
RUN = ROOT / ".services" / "instances" / INSTANCE
REDIS_PORT = int(os.environ.get("FAULT_REDIS_PORT", "63899"))
ES_PORT = int(os.environ.get("FAULT_ES_PORT", "9291"))
PID_FILES = {
    "redis": RUN / "redis" / "redis.pid",
    "elasticsearch": RUN / "elasticsearch" / "elasticsearch.pid",
}
# A request must come back within this, whatever hangs behind it (a liveness bound, not a
# performance one: the search gives up on Elasticsearch after SEARCH_TIMEOUT_SECONDS).
REQUEST_TIMEOUT = 15


class FaultServices:
    redis_url = f"redis://127.0.0.1:{REDIS_PORT}/0"
    elasticsearch_url = f"http://127.0.0.1:{ES_PORT}"

    def env(self) -> dict:
        return {
            **os.environ,
            "SERVICES_INSTANCE": INSTANCE,
            "REDIS_PORT": str(REDIS_PORT),
            "ES_PORT": str(ES_PORT),
        }

    def up(self, *names: str) -> None:
        """Start them (if not running) and wait until they answer."""
        result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [BASH, str(SERVICES), "up", *(names or ("redis", "elasticsearch"))],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"fault services did not start:\n{result.stdout}{result.stderr}")

    def down(self) -> None:
        subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [BASH, str(SERVICES), "down", "redis", "elasticsearch"],
            env=self.env(),
            capture_output=True,
            timeout=120,
            check=False,
        )

    def pid(self, name: str) -> int:
        return int(PID_FILES[name].read_text().split()[0])

    def kill(self, name: str) -> None:
        """SIGKILL: the process dies at once, as in a crash (its pid file stays behind)."""
        pid = self.pid(name)
        os.kill(pid, signal.SIGKILL)
        wait_for(lambda: not alive(pid), 30, f"{name} to die")

    def freeze(self, name: str) -> None:
        os.kill(self.pid(name), signal.SIGSTOP)

    def thaw(self, name: str) -> None:
        os.kill(self.pid(name), signal.SIGCONT)


@dataclass
class Stack:
    """gunicorn, a Celery worker and beat, run as in production against the fault services."""

    database_url: str
    services: FaultServices
    index_prefix: str
    queue: str
    port: int
    media_root: str
    extra_env: dict | None = None

    def __post_init__(self):
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs = Path(self.media_root) / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict:
        return {
            **{key: value for key, value in os.environ.items() if not key.startswith("PYTEST")},
            "DJANGO_SETTINGS_MODULE": "store.settings",
            "DJANGO_ENV": "test",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.services.redis_url,
            "ELASTICSEARCH_URL": self.services.elasticsearch_url,
            "ELASTICSEARCH_INDEX_PREFIX": self.index_prefix,
            "CELERY_QUEUE": self.queue,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            # As in production: the cache on Redis (failing open), the search falling back.
            "CACHE_ON_REDIS": "true",
            "SEARCH_FALLBACK": "true",
            # Short periods, so that catching up after an outage takes seconds here.
            "SEARCH_DRAIN_SECONDS": "2",
            "SYNC_BEAT_SECONDS": "2",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.url,
            "MEDIA_ROOT": self.media_root,
            "PYTHONDONTWRITEBYTECODE": "1",
            **(self.extra_env or {}),
        }

    # --- processes ------------------------------------------------------------------------

    def start(self) -> None:
        self.start_web()
        self.start_worker()
        self.start_beat()

    def start_web(self) -> None:
        self._spawn(
            "web",
            [
                sys.executable, "-m", "gunicorn", "store.wsgi",
                "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "60",
            ],
        )  # fmt: skip
        wait_for(lambda: self.status("/healthz") == 200, 60, "gunicorn to answer")

    def start_worker(self) -> None:
        # solo: the task runs in this very process, so killing it kills the task.
        self._spawn(
            "worker",
            [
                sys.executable, "-m", "celery", "--app", "store", "worker", "--pool", "solo",
                "--queues", self.queue, "--hostname", f"{self.queue}@%h", "--loglevel", "INFO",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
        )  # fmt: skip

    def start_beat(self) -> None:
        self._spawn(
            "beat",
            [
                sys.executable, "-m", "celery", "--app", "store", "beat", "--loglevel", "INFO",
            ],
        )  # fmt: skip

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self) -> None:
        for name in list(self.processes):
            process = self.processes.pop(name)
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)

    def _spawn(self, name: str, command: list[str]) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            command, cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT
        )

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # --- the store, from outside ----------------------------------------------------------

    def manage(self, *arguments: str, timeout: float = 300) -> str:
        result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, str(ROOT / "manage.py"), *arguments],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(arguments)}:\n{result.stdout}{result.stderr}")
        return result.stdout

    def python(self, code: str) -> str:
        """Run code in a process of the store (as an editor's request would): its output."""
        return self.manage("shell", "--no-startup", "--command", code)

    def get(self, path: str, headers: dict | None = None) -> "Answer":
        request = urllib.request.Request(self.url + path, headers=headers or {})  # noqa: S310
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
                body = response.read()
                status, response_headers = response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            body, status, response_headers = error.read(), error.code, dict(error.headers)
        return Answer(status, response_headers, body, time.monotonic() - started)

    def publish_renamed(self, slugs: list[str], prefix: str) -> None:
        """Each app renamed « <prefix> <n> » and published, one transaction each, by a process
        of the store (as editors' requests would)."""
        self.python(
            "from catalogue.models import AppPage\n"
            f"for number, slug in enumerate({slugs!r}, start=1):\n"
            "    app = AppPage.objects.get(slug=slug)\n"
            f"    app.title = f'{prefix} {{number}}'\n"
            "    app.save_revision().publish()\n"
        )

    def indexed_titles(self, app_ids) -> dict[int, str]:
        """The name each of these apps has in the Elasticsearch index (absent: not indexed)."""
        client = Elasticsearch(self.services.elasticsearch_url, request_timeout=10)
        alias = f"{self.index_prefix}-apps"
        client.indices.refresh(index=alias)
        found = client.mget(index=alias, ids=[str(pk) for pk in app_ids])["docs"]
        return {int(doc["_id"]): doc["_source"]["name"] for doc in found if doc.get("found")}

    def status(self, path: str) -> int | None:
        with suppress(OSError):
            return self.get(path).status
        return None


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")

    def json(self):
        return json.loads(self.body)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (killed, not reaped by its parent) is gone for our purpose.
    with suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    return False


def wait_for(predicate, seconds: float, what: str, interval: float = 0.2):
    """Poll until predicate() is truthy (its value is returned) or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds}s waiting for {what}")
        time.sleep(interval)
