"""Celery tasks of reviews (beat's schedule is in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from reviews import services


@shared_task(name="reviews.qualify_signals", time_limit=120, soft_time_limit=100)
def qualify_signals() -> int:
    """Count the helpful votes and reports held back (new accounts, over budget) once due."""
    return services.qualify_signals()
