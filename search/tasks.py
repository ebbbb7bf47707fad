"""Index maintenance in Celery tasks: the outbox drain, and the periodic reconcile.

- ``drain_index_changes`` (asked for after each commit that changed apps, and run by beat every
  SEARCH_DRAIN_SECONDS): brings each maintained backend's index up to date with the apps of its
  pending ``IndexChange`` rows, in batches in the order they were written, and deletes the rows
  only once the backend has them. An engine that cannot take them leaves the rows for the next
  drain. Rows being drained are locked (skip locked): two drains never do the same work.
- ``reconcile_index`` (beat, every SEARCH_RECONCILE_SECONDS): compares each index with the live
  apps and repairs any drift, logged — the safety net behind the outbox.

Once an index holds apps, ``apps_indexed`` says so (the API's catalogue version moves: the apps
list and suggestions read the index).
"""

import logging

from celery import shared_task
from django.db import transaction
from elastic_transport import TransportError
from elasticsearch import ApiError

from catalogue.signals import apps_indexed
from search.backends import maintained_backends
from search.models import IndexChange

logger = logging.getLogger(__name__)

DRAIN_BATCH = 500
# What an engine that is down, slow or refusing raises: the rows wait for the next drain.
ENGINE_ERRORS = (TransportError, ApiError, ConnectionError, TimeoutError)


@shared_task(name="search.drain_index_changes", time_limit=600, soft_time_limit=540)
def drain_index_changes() -> int:
    """Drain every maintained backend's outbox; returns how many rows were done."""
    return sum(drain_backend(backend) for backend in maintained_backends())


def drain_backend(backend) -> int:
    done = 0
    while True:
        try:
            with transaction.atomic():
                changes = list(
                    IndexChange.objects.select_for_update(skip_locked=True)
                    .filter(backend=backend.name)
                    .order_by("pk")[:DRAIN_BATCH]
                )
                if not changes:
                    return done
                app_ids = sorted({change.app_id for change in changes})
                backend.index_apps(app_ids)
                IndexChange.objects.filter(pk__in=[change.pk for change in changes]).delete()
        except ENGINE_ERRORS as error:
            logger.warning(
                "search: %s index not updated (%s); %s change(s) wait for the next drain",
                backend.name,
                type(error).__name__,
                IndexChange.objects.filter(backend=backend.name).count(),
            )
            return done
        apps_indexed.send(sender=drain_index_changes, app_ids=app_ids)
        done += len(changes)


@shared_task(name="search.reconcile_index", time_limit=1800, soft_time_limit=1740)
def reconcile_index() -> dict[str, int]:
    """Repair whatever drifted between each index and the live apps; the drift per backend."""
    drifts = {}
    for backend in maintained_backends():
        try:
            drift = backend.reconcile()
        except ENGINE_ERRORS as error:
            logger.warning("search: %s not reconciled (%s)", backend.name, type(error).__name__)
            continue
        changed = [*drift.missing, *drift.stale, *drift.extra]
        drifts[backend.name] = len(changed)
        if changed:
            logger.warning(
                "search: %s index repaired: %d missing, %d stale, %d extra",
                backend.name,
                len(drift.missing),
                len(drift.stale),
                len(drift.extra),
            )
            apps_indexed.send(sender=reconcile_index, app_ids=changed)
    return drifts
