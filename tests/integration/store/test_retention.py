"""Retention: the nightly tasks purge what the "Données personnelles" page promises, on dated
data, and log each run; beat has them on its schedule."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalogue.models import AppProblemReport
from catalogue.services import add_member
from catalogue.sync.models import Feed, SyncRun
from catalogue.sync.tasks import purge_old_run_details
from catalogue.tasks import purge_old_problem_report_emails
from cms import legal
from store import verification
from store.models import AccountSettings
from store.tasks import purge_unverified_accounts
from tests.factories import EditorFactory, UserFactory
from web.dates import months_before

pytestmark = pytest.mark.django_db
User = get_user_model()
DAY = timedelta(days=1)


def test_months_before_keeps_the_day_or_takes_the_months_last():
    moment = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
    assert months_before(moment, 1) == datetime(2026, 2, 28, 12, 0, tzinfo=UTC)
    assert months_before(moment, 12) == datetime(2025, 3, 31, 12, 0, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 2) == datetime(2025, 11, 15, tzinfo=UTC)


def account(username, *, sent_days_ago=None, confirmed=False, **kwargs):
    user = UserFactory(username=username, verified=confirmed, **kwargs)
    if sent_days_ago is not None:
        AccountSettings.objects.update_or_create(
            user=user,
            defaults={
                "email_confirmation_sent_at": timezone.now() - sent_days_ago * DAY,
                "email_confirmed_at": timezone.now() if confirmed else None,
            },
        )
    return user


def test_unconfirmed_accounts_go_after_the_period(settings, caplog, publisher_a):
    settings.RETENTION = {**settings.RETENTION, "UNVERIFIED_ACCOUNT_DAYS": 30}
    old = account("ancien", sent_days_ago=31)
    account("recent", sent_days_ago=29)
    account("confirme", sent_days_ago=90, confirmed=True)
    account("jamais-demande")  # made before confirmation links: never purged
    # Confirmed at sign-up, then asked to change address and never followed that link: kept.
    changing = account("change-d-adresse", sent_days_ago=90)
    verification.mark_verified(changing)
    AccountSettings.objects.filter(user=changing).update(
        email_confirmation_sent_at=timezone.now() - 90 * DAY, email_confirmed_at=None
    )
    staff = account("equipe", sent_days_ago=90, is_staff=True)
    member = account("membre-non-confirme", sent_days_ago=90)
    add_member(publisher_a, member)
    editor = EditorFactory(username="editrice")
    AccountSettings.objects.update_or_create(
        user=editor, defaults={"email_confirmation_sent_at": timezone.now() - 90 * DAY}
    )

    with caplog.at_level(logging.INFO, logger="store.tasks"):
        assert purge_unverified_accounts() == 1

    assert not User.objects.filter(pk=old.pk).exists()
    assert set(User.objects.values_list("username", flat=True)) >= {
        "recent",
        "confirme",
        "jamais-demande",
        "change-d-adresse",
        staff.username,
        member.username,
        editor.username,
    }
    assert "1 unconfirmed account(s) deleted" in caplog.text
    # A second run finds nothing more, and says so.
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="store.tasks"):
        assert purge_unverified_accounts() == 0
    assert "0 unconfirmed account(s) deleted" in caplog.text


def test_problem_report_addresses_are_erased_after_the_period(settings, caplog, app_a):
    settings.RETENTION = {**settings.RETENTION, "PROBLEM_REPORT_EMAIL_MONTHS": 12}
    now = timezone.now()
    reports = {
        age: AppProblemReport.objects.create(
            app=app_a, reason="other", message=f"vieux de {age} jours", email=f"v{age}@example.org"
        )
        for age in (400, 360, 10)
    }
    for age, report in reports.items():
        AppProblemReport.objects.filter(pk=report.pk).update(created_at=now - age * DAY)

    with caplog.at_level(logging.INFO, logger="catalogue.tasks"):
        assert purge_old_problem_report_emails() == 1

    emails = {age: AppProblemReport.objects.get(pk=r.pk).email for age, r in reports.items()}
    assert emails == {400: "", 360: "v360@example.org", 10: "v10@example.org"}
    # The report itself stays, its message too.
    assert AppProblemReport.objects.get(pk=reports[400].pk).message == "vieux de 400 jours"
    assert "1 problem report e-mail address(es) older than 12 months erased" in caplog.text


def test_sync_run_details_are_erased_after_the_period(settings, caplog, publisher_a):
    settings.RETENTION = {**settings.RETENTION, "SYNC_RUN_DETAIL_MONTHS": 6}
    feed = Feed.objects.create(
        publisher=publisher_a, name="Flux", url="https://exemple.fr/flux.json", format="native"
    )
    now = timezone.now()
    details = {
        "message": "Terminé",
        "errors": [{"item": "a", "error": "x"}],
        "warnings": [{"item": "b", "warning": "y"}],
        "changes": [{"item": "c", "action": "created", "fields": []}],
    }
    old = SyncRun.objects.create(
        feed=feed, started_at=now - 200 * DAY, status="succeeded", seen=3, created=1, **details
    )
    recent = SyncRun.objects.create(
        feed=feed, started_at=now - 100 * DAY, status="succeeded", seen=2, **details
    )

    with caplog.at_level(logging.INFO, logger="catalogue.sync.tasks"):
        assert purge_old_run_details() == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.message, old.errors, old.warnings, old.changes) == ("", [], [], [])
    assert (old.status, old.seen, old.created) == ("succeeded", 3, 1)  # the summary stays
    assert recent.errors == details["errors"] and recent.message == "Terminé"
    assert "details of 1 sync run(s) older than 6 months erased" in caplog.text
    assert purge_old_run_details() == 0


def test_beat_runs_the_three_tasks_every_night():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "store.purge_unverified_accounts",
        "catalogue.purge_problem_report_emails",
        "catalogue.purge_sync_run_details",
    } <= tasks
    from store.celery import app

    app.loader.import_default_modules()
    assert {
        "store.purge_unverified_accounts",
        "catalogue.purge_problem_report_emails",
        "catalogue.purge_sync_run_details",
    } <= set(app.tasks)


def test_the_data_page_states_the_periods_the_tasks_use(client, settings):
    settings.RETENTION = {
        "UNVERIFIED_ACCOUNT_DAYS": 17,
        "PROBLEM_REPORT_EMAIL_MONTHS": 9,
        "SYNC_RUN_DETAIL_MONTHS": 4,
        "SELECTION_LINK_DAYS": 200,
    }
    html = client.get(legal.legal_page_url("personal_data")).content.decode()
    assert "17 jours après l&#x27;envoi du lien de confirmation" in html
    assert "9 mois après le signalement" in html
    assert "4 mois après la synchronisation" in html
    assert "200 jours après l&#x27;expiration ou le retrait du lien" in html
