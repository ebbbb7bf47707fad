"""Keep the search index in step with the catalogue's events (catalogue.signals).

Connected in SearchConfig.ready(). Index changes go to the outbox in the same transaction and
are drained by a Celery task after the commit (search.indexing); the cached facet labels are
forgotten when their names may have changed.
"""

from catalogue.models import Audience, Category, Language, Publisher
from catalogue.signals import app_changed, app_counters_changed, catalogue_changed
from search.facets import forget_labels
from search.indexing import schedule_index


def reindex_apps(sender, app_ids, **kwargs):
    # Live apps are (re)indexed, the others (unpublished, deleted) dropped from the index.
    schedule_index(app_ids)


def forget_facet_labels(sender, **kwargs):
    forget_labels()


def connect():
    app_changed.connect(reindex_apps, dispatch_uid="search.reindex_changed_apps")
    app_counters_changed.connect(reindex_apps, dispatch_uid="search.reindex_counted_apps")
    for model in (Category, Publisher, Language, Audience):
        catalogue_changed.connect(
            forget_facet_labels,
            sender=model,
            dispatch_uid=f"search.forget_labels.{model.__name__}",
        )
