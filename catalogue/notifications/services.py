"""Notifying people, and what they chose.

``notify`` records one notification per recipient inside the caller's transaction; the mails
go out once it commits (``transaction.on_commit`` → the ``notifications.send_mails`` task), so
a rolled-back change mails nobody. Kinds delivered in digests wait for their periodic task.
"""

import threading
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from catalogue.notifications import tasks
from catalogue.notifications.choices import email_choices
from catalogue.notifications.kinds import IMMEDIATE, KINDS
from catalogue.notifications.models import Notification, Preference

UNREAD_CACHE_SECONDS = 300
_silence = threading.local()


@contextmanager
def silenced():
    """Notifications recorded in the block go to the in-site list only, never by mail (the
    demo's loading: its reviews and replies would otherwise mail the demo's accounts)."""
    previous = getattr(_silence, "on", False)
    _silence.on = True
    try:
        yield
    finally:
        _silence.on = previous


def notify(users, kind: str, *, params: dict | None = None, url: str = "") -> list[Notification]:
    """Tell each of ``users`` (active ones) about something of ``kind``."""
    immediate = KINDS[kind].delivery == IMMEDIATE
    quiet = getattr(_silence, "on", False)
    rows = Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                kind=kind,
                params=params or {},
                url=url,
                digest_pending=not (immediate or quiet),
            )
            for user in {user.pk: user for user in users if user and user.is_active}.values()
        ]
    )
    if rows:
        ids, user_ids = [row.pk for row in rows], [row.user_id for row in rows]

        def after_commit():
            forget_unread(user_ids)
            if immediate and not quiet:
                tasks.send_mails.delay(ids)

        transaction.on_commit(after_commit)
    return rows


# --- The in-site list -------------------------------------------------------------------------


def unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user) -> int:
    """Unread notifications (cached: the header shows it on every page)."""
    count = cache.get(unread_key(user.pk))
    if count is None:
        count = Notification.objects.filter(user=user, read_at=None).count()
        cache.set(unread_key(user.pk), count, UNREAD_CACHE_SECONDS)
    return count


def forget_unread(user_ids) -> None:
    cache.delete_many([unread_key(user_id) for user_id in set(user_ids)])


def mark_read(user, notification_ids=None) -> int:
    unread = Notification.objects.filter(user=user, read_at=None)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    changed = unread.update(read_at=timezone.now())
    if changed:
        transaction.on_commit(lambda: forget_unread([user.pk]))
    return changed


# --- Personal data (store.personal_data calls these) ---------------------------------------


def export_for(user) -> dict:
    def iso(moment):
        return moment.isoformat() if moment else None

    return {
        "email_choices": dict(sorted(email_choices(user).items())),
        "notifications": [
            {
                "kind": row.kind,
                "params": row.params,
                "url": row.url,
                "created_at": iso(row.created_at),
                "read_at": iso(row.read_at),
                "emailed_at": iso(row.emailed_at),
            }
            for row in Notification.objects.filter(user=user).order_by("created_at", "pk")
        ],
    }


def delete_for(user) -> None:
    Notification.objects.filter(user=user).delete()
    Preference.objects.filter(user=user).delete()
    transaction.on_commit(lambda: forget_unread([user.pk]))
