"""Schedule index updates after the transaction commits; never fail the write that caused them.

If the broker or the engine is down, the update is logged and lost for now:
`manage.py search_index --reconcile` repairs whatever was missed.
"""

import logging

from django.db import transaction

from search import tasks

logger = logging.getLogger(__name__)


def schedule_index(app_ids) -> None:
    _schedule("index_apps", app_ids)


def schedule_removal(app_ids) -> None:
    _schedule("remove_apps", app_ids)


def _schedule(task_name: str, app_ids) -> None:
    app_ids = sorted({int(pk) for pk in app_ids})
    if app_ids:
        transaction.on_commit(lambda: _enqueue(task_name, app_ids), robust=True)


def _enqueue(task_name: str, app_ids: list[int]) -> None:
    try:
        getattr(tasks, task_name).delay(app_ids)
    except Exception:
        # Publishing must not fail because search is unavailable (eager mode runs the task
        # here, so an engine error lands here too).
        logger.exception("search: %s%s not done; search_index --reconcile", task_name, app_ids)
