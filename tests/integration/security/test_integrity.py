"""Item 7 of issue 13: integrity held by the database, not by Python alone."""

import re
import threading
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from catalogue.models import AppPage, Publisher
from tests.factories import AppPageFactory, MemberFactory, PublisherFactory, subcategory

ROOT = Path(__file__).resolve().parents[3]


def new_app(slug):
    app = AppPage(title=f"Course {slug}", slug=slug, tagline="Deux éditeurs, un identifiant")
    app.description = "<p>Qui l'aura ?</p>"
    return app


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_threads_racing_for_one_slug_leave_one_app(publisher_a, publisher_b):
    """Two publishers create an app with the same slug at the same moment: both pass the
    Python check (neither is committed), the unique index decides; the loser gets a
    ValidationError on its slug, not a second app."""
    both_checked = threading.Barrier(2)
    results = {}

    def create(name, publisher):
        try:
            with transaction.atomic():
                app = new_app("meme-identifiant")
                app.full_clean(exclude=["path", "depth", "publisher", "content_type"])
                both_checked.wait(timeout=10)  # both saw the slug free
                publisher.page.add_child(instance=app)
            results[name] = "created"
        except ValidationError as error:
            results[name] = error.message_dict
        finally:
            connection.close()

    threads = [
        threading.Thread(target=create, args=("a", publisher_a)),
        threading.Thread(target=create, args=("b", publisher_b)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(value == "created" for value in results.values()) == [False, True]
    refusal = next(value for value in results.values() if value != "created")
    assert "slug" in refusal
    assert AppPage.objects.filter(slug="meme-identifiant").count() == 1
    assert AppPage.objects.filter(app_slug="meme-identifiant").count() == 1


@pytest.mark.django_db
def test_the_slug_column_follows_the_page_slug(publisher_a):
    app = AppPageFactory(publisher=publisher_a, slug="premier", categories=[subcategory()])
    assert app.app_slug == "premier"
    app.slug = "second"
    app.save_revision().publish()
    app.refresh_from_db()
    assert (app.slug, app.app_slug) == ("second", "second")


@pytest.mark.django_db
def test_a_new_publisher_never_inherits_an_old_group_by_name(db):
    """A publisher is deleted; its group (with a member) stays behind somehow; a new publisher
    of the same name must get a fresh group, without that member."""
    stray = Group.objects.create(name="Éditeur : Réemploi")
    intruder = MemberFactory(username="ancien-membre")
    intruder.groups.add(stray)

    publisher = PublisherFactory(name="Réemploi", slug="reemploi")
    publisher.refresh_from_db()

    assert publisher.group_id != stray.pk
    assert not publisher.members.filter(pk=intruder.pk).exists()
    assert publisher.group.name.startswith("Éditeur : Réemploi")


@pytest.mark.django_db
def test_deleting_a_publisher_takes_its_group_and_memberships(db):
    publisher = PublisherFactory(name="Éphémère", slug="ephemere")
    member = MemberFactory(username="membre-ephemere", publisher=publisher)
    group_id = Publisher.objects.get(pk=publisher.pk).group_id
    publisher.page.delete()
    Publisher.objects.filter(pk=publisher.pk).delete()

    assert not Group.objects.filter(pk=group_id).exists()
    assert not member.groups.exists()


def test_the_compose_file_has_no_default_secret():
    compose = (ROOT / "docker-compose.yml").read_text()
    for variable in ("SECRET_KEY", "POSTGRES_PASSWORD"):
        uses = re.findall(rf"\$\{{{variable}([^}}]*)\}}", compose)
        assert uses, variable
        assert all(use.startswith(":?") for use in uses), (variable, uses)
    assert "TRUSTED_PROXY_COUNT" in compose


@pytest.mark.django_db
def test_the_migration_tells_existing_duplicates_apart(app_a, app_b):
    """Two apps that share a slug from before the index (forced here, under the index): the
    first published keeps it; the other gets « -2 » in its page, URL path and revisions."""
    import importlib

    from django.apps import apps as registry
    from wagtail.models import Page

    migration = importlib.import_module("catalogue.migrations.0011_unique_app_slug")
    old_path = app_b.url_path
    Page.objects.filter(pk=app_b.pk).update(
        slug=app_a.slug, url_path=old_path.replace(app_b.slug, app_a.slug)
    )
    AppPage.objects.filter(pk=app_b.pk).update(app_slug="provisoire")
    revision = app_b.latest_revision
    revision.content["slug"] = app_a.slug
    revision.save(update_fields=["content"])

    migration.tell_duplicates_apart(registry, None)

    app_a.refresh_from_db()
    app_b.refresh_from_db()
    revision.refresh_from_db()
    assert (app_a.slug, app_a.app_slug) == ("alpha-emploi", "alpha-emploi")
    assert (app_b.slug, app_b.app_slug) == ("alpha-emploi-2", "alpha-emploi-2")
    assert app_b.url_path == old_path.rsplit("/", 2)[0] + "/alpha-emploi-2/"
    assert revision.content["slug"] == "alpha-emploi-2"
