"""Celery tasks of the notifications: the mails of one-by-one kinds (asked for on commit by
``services.notify``), the digests (beat: hourly, daily), the publishers' weekly figures."""

import logging
from collections import defaultdict

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Publisher
from catalogue.notifications import mail, recipients
from catalogue.notifications.choices import email_choices
from catalogue.notifications.kinds import KINDS
from catalogue.notifications.models import Notification
from catalogue.stats import reports

logger = logging.getLogger(__name__)


@shared_task(name="notifications.send_mails", time_limit=120, soft_time_limit=100, acks_late=True)
def send_mails(notification_ids: list[int]) -> int:
    """Mail each of these notifications that was not mailed yet, to whoever wants its kind."""
    sent = 0
    rows = Notification.objects.filter(
        pk__in=notification_ids, emailed_at=None, digest_pending=False
    )
    for notification in rows.select_related("user").order_by("pk"):
        user = notification.user
        if not (user.is_active and user.email):
            continue
        choices = recipients.account_choices(user)
        if not email_choices(user, choices)[notification.kind]:
            continue
        # Claimed before sending: a retried task never mails twice.
        if not Notification.objects.filter(pk=notification.pk, emailed_at=None).update(
            emailed_at=timezone.now()
        ):
            continue
        mail.send(user, notification.kind, [notification], choices)
        sent += 1
    return sent


@shared_task(name="notifications.send_digests", time_limit=300, soft_time_limit=240, acks_late=True)
def send_digests(delivery: str) -> int:
    """One mail per person and kind for the notifications of kinds delivered ``delivery``
    (hourly, daily) that wait for their digest."""
    kinds = [key for key, kind in KINDS.items() if kind.delivery == delivery]
    sent = 0
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(digest_pending=True, kind__in=kinds)
            .select_related("user")
            .order_by("user_id", "kind", "created_at", "pk")
        )
        Notification.objects.filter(pk__in=[row.pk for row in waiting]).update(digest_pending=False)
    groups = defaultdict(list)
    for notification in waiting:
        groups[(notification.user_id, notification.kind)].append(notification)
    for (_user_id, kind), notifications in groups.items():
        user = notifications[0].user
        if not (user.is_active and user.email):
            continue
        choices = recipients.account_choices(user)
        if email_choices(user, choices)[kind]:
            mail.send(user, kind, notifications, choices)
            Notification.objects.filter(pk__in=[row.pk for row in notifications]).update(
                emailed_at=timezone.now()
            )
            sent += 1
    return sent


@shared_task(
    name="notifications.send_weekly_figures", time_limit=600, soft_time_limit=540, acks_late=True
)
def send_weekly_figures() -> int:
    """Each publisher's figures of the last 7 days, to each of its members (beat: Mondays)."""
    period = reports.Period.last(7)
    ids = []
    for publisher in Publisher.objects.filter(group__user__is_active=True).distinct():
        found = reports.figures(
            reports.apps_of_publisher(publisher.pk).values_list("pk", flat=True), period
        )
        totals = found.totals
        members = recipients.members_of(publisher.pk)
        rows = Notification.objects.bulk_create(
            Notification(
                user=member,
                kind="weekly_figures",
                params={
                    "publisher": publisher.name,
                    "views": totals["view"],
                    "installs": totals["install"],
                    "visitors": round(totals["visitor"] / 7),
                },
                url=reverse("stats_admin:publisher", args=[publisher.slug]),
            )
            for member in members
        )
        ids += [row.pk for row in rows]
    return send_mails(ids)
