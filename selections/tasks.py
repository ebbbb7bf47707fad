"""Celery tasks of the selections.

Links carry their own expiry (``Selection.expires_at``, checked on every read): nothing needs
to run for a link to stop working. What a task does is forget: the token of a link that
stopped working long ago is cleared, so nothing remains that could ever open it again.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from selections.models import Selection


# The mediator's list still says "expired" or "revoked" afterwards: only the token goes.
@shared_task(name="selections.forget_old_tokens", time_limit=120, soft_time_limit=100)
def forget_old_tokens() -> int:
    """Keep tokens RETENTION["SELECTION_LINK_DAYS"] after the link stopped working, then clear
    them (the "Données personnelles" page says so); returns how many."""
    cutoff = timezone.now() - timedelta(days=settings.RETENTION["SELECTION_LINK_DAYS"])
    stale = Selection.objects.filter(token__isnull=False).filter(
        expires_at__lt=cutoff
    ) | Selection.objects.filter(token__isnull=False, revoked_at__lt=cutoff)
    return Selection.objects.filter(pk__in=stale.values("pk")).update(token=None)
