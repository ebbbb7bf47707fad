"""Celery tasks of the publisher sync, and the retention of its runs' details.

Beat calls ``enqueue_due_feeds`` on a short tick; each enabled feed whose time has come gets
one ``sync_feed`` task. A network failure is retried with a growing delay; a feed that is
simply wrong (parse error, refused address, 404) is not.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from catalogue.sync.models import Feed, SyncRun
from catalogue.sync.runner import SyncAlreadyRunning, close_interrupted_runs, run_feed
from web.dates import months_before

logger = logging.getLogger(__name__)

RETRY_DELAYS = (60, 300, 1800)  # seconds before the 1st, 2nd and 3rd new try


@shared_task(name="catalogue.enqueue_due_feeds", time_limit=60, soft_time_limit=50, acks_late=True)
def enqueue_due_feeds() -> list[int]:
    """Send one sync task per enabled feed that is due; returns their ids.

    First, runs left "running" by a worker that died are closed as failed (their feed's lock
    went with the process), so nothing stays stuck and the next run applies the feed again."""
    close_interrupted_runs()
    now = timezone.now()
    due = []
    with transaction.atomic():
        feeds = (
            Feed.objects.select_for_update(skip_locked=True)
            .filter(enabled=True)
            .filter(Q(next_sync_at__isnull=True) | Q(next_sync_at__lte=now))
            .order_by("pk")
        )
        for feed in feeds:
            feed.schedule_next(now)
            feed.save(update_fields=["next_sync_at"])
            due.append(feed.pk)
    for feed_id in due:
        sync_feed.delay(feed_id, SyncRun.Trigger.SCHEDULE)
    return due


@shared_task(
    name="catalogue.sync_feed",
    bind=True,
    acks_late=True,
    max_retries=len(RETRY_DELAYS),
    time_limit=30 * 60,
    soft_time_limit=29 * 60,
)
def sync_feed(self, feed_id: int, trigger: str = SyncRun.Trigger.SCHEDULE) -> int | None:
    """Run one feed; returns the SyncRun id (None if the feed is gone or already running)."""
    feed = Feed.objects.select_related("publisher").filter(pk=feed_id).first()
    if feed is None:
        return None
    try:
        run = run_feed(feed, trigger=trigger)
    except SyncAlreadyRunning as busy:
        logger.info("sync: %s", busy)
        return None
    attempt = self.request.retries
    # In process (the demo's eager mode) there is no one to try again later.
    will_retry = not self.request.is_eager and attempt < len(RETRY_DELAYS)
    if run.status == SyncRun.Status.FAILED and run.retryable and will_retry:
        delay = RETRY_DELAYS[attempt]
        SyncRun.objects.filter(pk=run.pk).update(
            message=f"{run.message} Nouvel essai dans {delay // 60} min."
        )
        raise self.retry(countdown=delay)
    return run.pk


# --- Retention -------------------------------------------------------------------------------


def purge_run_details(before) -> int:
    """Empty the message, per-item errors, warnings and changes of the runs started before
    ``before``; their date, status, trigger and counters stay (the dashboards' history)."""
    old = SyncRun.objects.filter(started_at__lt=before).exclude(
        message="", errors=[], warnings=[], changes=[]
    )
    return old.update(message="", errors=[], warnings=[], changes=[])


@shared_task(name="catalogue.purge_sync_run_details", time_limit=300, soft_time_limit=240)
def purge_old_run_details() -> int:
    """Runs older than RETENTION["SYNC_RUN_DETAIL_MONTHS"] lose their details; logged."""
    months = settings.RETENTION["SYNC_RUN_DETAIL_MONTHS"]
    before = months_before(timezone.now(), months)
    purged = purge_run_details(before)
    logger.info(
        "retention: details of %d sync run(s) older than %d months erased (runs before %s)",
        purged,
        months,
        before.isoformat(),
    )
    return purged
