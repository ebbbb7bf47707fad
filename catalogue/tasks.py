"""Celery tasks of the catalogue: the retention of problem reports' e-mail addresses."""

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from catalogue.services import purge_problem_report_emails
from web.dates import months_before

logger = logging.getLogger(__name__)


@shared_task(name="catalogue.purge_problem_report_emails", time_limit=300, soft_time_limit=240)
def purge_old_problem_report_emails() -> int:
    """Erase the addresses left on problem reports older than
    RETENTION["PROBLEM_REPORT_EMAIL_MONTHS"]; each run is logged."""
    months = settings.RETENTION["PROBLEM_REPORT_EMAIL_MONTHS"]
    before = months_before(timezone.now(), months)
    erased = purge_problem_report_emails(before)
    logger.info(
        "retention: %d problem report e-mail address(es) older than %d months erased "
        "(reports before %s)",
        erased,
        months,
        before.isoformat(),
    )
    return erased
