"""What happens to the catalogue: the events other apps follow (DESIGN §8, docs/architecture.md).

The catalogue sends them (its services, and catalogue.receivers, which translates Wagtail's and
Django's model signals); reviews sends ``app_counters_changed`` when ratings move; search sends
``apps_indexed``. Receivers run inside the sender's transaction: whatever they do outside the
database (a Celery task, a cache write) they do on commit.

Who listens: search (reindexes the apps, forgets its cached facet labels) and the API's
catalogue version (catalogue.api.caching), which moves on every one of them.
"""

from django.dispatch import Signal

# The public content of these apps changed: published, unpublished, moved, deleted, or their
# publisher or a category of theirs edited. Keyword argument: app_ids.
app_changed = Signal()

# Their rating figures or their popularity moved (reviews, favourites). Keyword: app_ids.
app_counters_changed = Signal()

# Something readers of the catalogue see changed besides an app's own content: a category,
# publisher, audience, language, collection, image or another page. The sender is its model.
catalogue_changed = Signal()

# A copy of the catalogue (the search index) now holds these apps as they are.
# Keyword: app_ids (None: every app, after a rebuild).
apps_indexed = Signal()

# Favourites were added (added=True) or removed (added=False) for these apps, one each.
# Keywords: app_ids, added. Sent with app_counters_changed by catalogue.services.
favourites_changed = Signal()
