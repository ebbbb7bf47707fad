"""Celery tasks of the statistics: the periodic flush of the counters, the ratings' snapshot."""

from celery import shared_task

from catalogue.stats import flush


@shared_task(name="stats.flush_counters", time_limit=300, soft_time_limit=240, acks_late=True)
def flush_counters() -> dict:
    report = flush.flush()
    return {"increments": report.increments, "rows": report.rows, "busy": report.busy}


@shared_task(name="stats.snapshot_ratings", time_limit=300, soft_time_limit=240, acks_late=True)
def snapshot_ratings() -> int:
    return flush.snapshot_ratings()
