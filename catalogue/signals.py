"""What happens to the catalogue: the events other apps follow (DESIGN §8, docs/architecture.md).

The catalogue sends them (its services, and catalogue.receivers, which translates Wagtail's and
Django's model signals); reviews sends ``app_counters_changed`` when ratings move; search sends
``apps_indexed``. Receivers run inside the sender's transaction: whatever they do outside the
database (a Celery task, a cache write) they do on commit.

Who listens: search (reindexes the apps, forgets its cached facet labels) and the API's
catalogue version (catalogue.api.caching), which moves on every one of them.
"""

import threading
from contextlib import contextmanager

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


# --- app_changed, once for many ------------------------------------------------------------

_collecting = threading.local()


def send_app_changed(sender, app_ids) -> None:
    """app_changed for these apps: now, or at the end of the collect_app_changes() block
    around it (a bulk publish sends one event for its batch, not one per app)."""
    stack = getattr(_collecting, "stack", None)
    if stack:
        stack[-1].append((sender, app_ids))
    else:
        app_changed.send(sender=sender, app_ids=list(app_ids))


def batch_memo() -> dict | None:
    """A dict that lasts as long as the collect_app_changes() block around the caller, for
    receivers to keep what each app of a batch would look up again; None outside one."""
    memos = getattr(_collecting, "memos", None)
    return memos[-1] if memos else None


@contextmanager
def collect_app_changes():
    """Within the block, app_changed events are gathered and sent once as it ends (still
    inside the caller's transaction, as every catalogue event); nothing is sent if it fails."""
    stack = _collecting.__dict__.setdefault("stack", [])
    memos = _collecting.__dict__.setdefault("memos", [])
    stack.append([])
    memos.append({})
    try:
        yield
    except BaseException:
        stack.pop()
        raise
    finally:
        memos.pop()
    sent = stack.pop()
    if sent:
        app_ids = list(dict.fromkeys(pk for _sender, ids in sent for pk in ids))
        send_app_changed(sent[0][0], app_ids)
