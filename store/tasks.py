import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from store.personal_data import delete_account

logger = logging.getLogger(__name__)


@shared_task(name="store.ping", time_limit=10, soft_time_limit=8, ignore_result=False)
def ping(payload: str = "pong") -> str:
    """A no-op round trip through the broker: tells a worker is alive and consuming."""
    return payload


def unverified_accounts(before):
    """Accounts sent a confirmation link before ``before`` that never followed one: never staff,
    in no group (editors, publishers' members). An account nobody asked to confirm (every
    account made before confirmation links existed) is never one of them."""
    return get_user_model().objects.filter(
        account_settings__email_confirmation_sent_at__lt=before,
        account_settings__email_confirmed_at__isnull=True,
        verified_email__isnull=True,  # confirmed once (an address change not followed is not)
        is_staff=False,
        is_superuser=False,
        groups__isnull=True,  # not an editor, not a publisher's member
    )


@shared_task(name="store.purge_unverified_accounts", time_limit=300, soft_time_limit=240)
def purge_unverified_accounts() -> int:
    """Delete the accounts whose address was not confirmed within
    RETENTION["UNVERIFIED_ACCOUNT_DAYS"] of the link's sending; each run is logged."""
    days = settings.RETENTION["UNVERIFIED_ACCOUNT_DAYS"]
    before = timezone.now() - timedelta(days=days)
    # The same deletion as a person's own (figures recomputed), without the mail.
    deleted = 0
    for user in unverified_accounts(before).distinct().order_by("pk"):
        delete_account(user, keep_reviews=False, notify=False)
        deleted += 1
    logger.info(
        "retention: %d unconfirmed account(s) deleted (confirmation link sent before %s, %d days)",
        deleted,
        before.isoformat(),
        days,
    )
    return deleted
