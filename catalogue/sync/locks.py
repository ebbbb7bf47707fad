"""One run at a time per feed, whatever the processes — and no lock outlives its holder.

On PostgreSQL, a session-level advisory lock held by the run's database connection: when the
process dies (a worker SIGKILLed mid-sync), its connection closes and the lock is released
with it, so the next run is never blocked by a ghost. Elsewhere (SQLite: the demo, a single
process), a lock of this process.

``is_locked(feed_id)`` tells whether some process runs the feed now: a run still marked
"running" while its feed is not locked was left behind by a process that died.
"""

import threading
from contextlib import contextmanager

from django.db import connection

# The first key of our advisory locks (the second is the feed's id): "EmploiSt".
NAMESPACE = 0x456D706C
_local_locks: set[int] = set()
_local_guard = threading.Lock()


def _advisory() -> bool:
    return connection.vendor == "postgresql"


def acquire(feed_id: int) -> bool:
    if _advisory():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [NAMESPACE, feed_id])
            return bool(cursor.fetchone()[0])
    with _local_guard:
        if feed_id in _local_locks:
            return False
        _local_locks.add(feed_id)
        return True


def release(feed_id: int) -> None:
    if _advisory():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [NAMESPACE, feed_id])
        return
    with _local_guard:
        _local_locks.discard(feed_id)


def is_locked(feed_id: int) -> bool:
    """Whether a run of the feed holds the lock now (in any process)."""
    if not acquire(feed_id):
        return True
    release(feed_id)
    return False


@contextmanager
def feed_lock(feed_id: int):
    """Yields True when this process now runs the feed, False when another one does."""
    held = acquire(feed_id)
    try:
        yield held
    finally:
        if held:
            release(feed_id)
