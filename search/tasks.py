"""Index maintenance in Celery tasks: by primary key, JSON only, retried while search is down.

Once the index holds the apps, ``apps_indexed`` says so (the API's catalogue version moves:
the apps list and suggestions read the index).
"""

from celery import shared_task
from elastic_transport import ConnectionError as EngineConnectionError
from elastic_transport import ConnectionTimeout as EngineTimeout

from catalogue.signals import apps_indexed
from search.backends import get_backend

# The engine being down or slow is worth retrying; a bad document is not.
RETRY_ON = (EngineConnectionError, EngineTimeout, ConnectionError, TimeoutError)
RETRY_OPTIONS = {
    "autoretry_for": RETRY_ON,
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
    "time_limit": 120,
    "soft_time_limit": 100,
    "acks_late": True,
}


@shared_task(name="search.index_apps", **RETRY_OPTIONS)
def index_apps(app_ids: list[int]) -> None:
    """Index these apps if they are live, drop them from the index otherwise."""
    get_backend().index_apps(app_ids)
    apps_indexed.send(sender=index_apps, app_ids=app_ids)


@shared_task(name="search.remove_apps", **RETRY_OPTIONS)
def remove_apps(app_ids: list[int]) -> None:
    get_backend().remove_apps(app_ids)
    apps_indexed.send(sender=remove_apps, app_ids=app_ids)
