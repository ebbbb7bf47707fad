"""Index changes go through a transactional outbox: nothing is lost, nothing fails a write.

``schedule_index(app_ids)`` records one ``IndexChange`` row per app and maintained backend in
the transaction of the change that causes it (the catalogue's events, search.receivers), and
asks for a drain once it commits. The drain (search.tasks.drain_index_changes) brings each
backend's index up to date and deletes the rows it did; if the broker or the engine is down,
the rows wait for the next drain (beat runs one every SEARCH_DRAIN_SECONDS), so an outage of
any length ends with the index converged and no manual step.
"""

import logging

from django.db import transaction

from search import tasks
from search.backends import maintained_backends
from search.models import IndexChange

logger = logging.getLogger(__name__)


def schedule_index(app_ids) -> None:
    """(Re)index these apps once the transaction commits: live ones are indexed, the others
    (unpublished, deleted) dropped from the index."""
    app_ids = sorted({int(pk) for pk in app_ids})
    if not app_ids:
        return
    IndexChange.objects.bulk_create(
        IndexChange(backend=backend.name, app_id=pk)
        for backend in maintained_backends()
        for pk in app_ids
    )
    # (A transaction that changes several apps asks more than once: a drain finds the rows
    # of another one done or locked, and returns.)
    transaction.on_commit(request_drain, robust=True)


def request_drain() -> None:
    try:
        tasks.drain_index_changes.delay()
    except Exception:
        # The broker is down (or, in eager mode, the engine): the rows wait for beat's drain.
        logger.warning(
            "search: drain not requested now; the outbox keeps the changes", exc_info=True
        )
