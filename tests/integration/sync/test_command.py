"""`manage.py sync_feed --feed ID [--dry-run]`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalogue.models import AppPage
from catalogue.sync.models import SyncRun
from tests.integration.sync.conftest import example_feed

pytestmark = pytest.mark.django_db


def sync_feed(*args) -> str:
    out = StringIO()
    call_command("sync_feed", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_sync_feed_runs_the_feed_and_prints_its_counters(feed_server, make_feed):
    feed_server.serve("/feed.json", example_feed(feed_server))
    feed = make_feed()

    output = sync_feed("--feed", str(feed.pk))

    assert f"Synchronisation du flux « {feed} » : Terminée" in output
    assert "3 lues, 3 créées, 0 mises à jour, 0 inchangées, 0 archivées, 0 en échec" in output
    assert "HTTP 200" in output
    run = SyncRun.objects.get()
    assert (run.trigger, run.dry_run, run.created) == (SyncRun.Trigger.SHELL, False, 3)
    assert AppPage.objects.filter(publisher=feed.publisher).count() == 3


def test_sync_feed_dry_run_writes_nothing(feed_server, make_feed):
    feed_server.serve("/feed.json", example_feed(feed_server))
    feed = make_feed()

    output = sync_feed("--feed", str(feed.pk), "--dry-run")

    assert "Aperçu (rien n'a été écrit)" in output
    assert "3 lues, 3 créées" in output
    assert "create    cv-express" in output
    assert SyncRun.objects.get().dry_run
    assert not AppPage.objects.filter(publisher=feed.publisher).exists()


def test_an_unknown_feed_lists_the_feeds(make_feed):
    feed = make_feed()

    with pytest.raises(CommandError) as error:
        sync_feed("--feed", str(feed.pk + 1000))

    message = str(error.value)
    assert f"Aucun flux n° {feed.pk + 1000}" in message
    assert f"{feed.pk} ({feed})" in message


def test_a_failed_run_is_a_command_error(feed_server, make_feed):
    feed_server.serve("/feed.json", b"{pas du json")
    feed = make_feed()

    with pytest.raises(CommandError, match="Échec : JSON mal formé"):
        sync_feed("--feed", str(feed.pk))
    assert SyncRun.objects.get().status == SyncRun.Status.FAILED
