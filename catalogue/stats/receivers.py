"""Signal handlers of the statistics, connected once in StatsConfig.ready()."""

from django.db import transaction

from catalogue import signals
from catalogue.stats import counting
from catalogue.stats.models import Metric


def count_favourites(sender, app_ids, added, **kwargs):
    """Favourites added or removed, counted once the change is committed."""
    metric = Metric.FAVOURITE_ADDED if added else Metric.FAVOURITE_REMOVED

    def count():
        for app_id in app_ids:
            counting.count_event(app_id, metric)

    transaction.on_commit(count)


def connect():
    signals.favourites_changed.connect(count_favourites, dispatch_uid="stats.count_favourites")
