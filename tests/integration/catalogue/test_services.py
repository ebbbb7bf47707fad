"""catalogue.services: the editorial structure and each publisher's space."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import (
    Collection as MediaCollection,
)
from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Revision,
    Site,
    Workflow,
    WorkflowPage,
)

from catalogue.models import Category, Publisher, PublisherPage
from catalogue.permissions import is_member
from catalogue.services import (
    EDITORS_GROUP,
    WORKFLOW_NAME,
    add_member,
    ensure_publisher_space,
    ensure_store_structure,
)
from cms.models import HomePage
from tests.factories import PublisherFactory, UserFactory

pytestmark = pytest.mark.django_db


def snapshot():
    """How many of each thing the services create."""
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "groups": Group.objects.count(),
        "page_permissions": GroupPagePermission.objects.count(),
        "collection_permissions": GroupCollectionPermission.objects.count(),
        "media_collections": MediaCollection.objects.count(),
        "categories": Category.objects.count(),
        "workflows": Workflow.objects.count(),
        "sites": Site.objects.count(),
    }


# --- the store structure -----------------------------------------------------------------


def test_structure_exists_after_migrate(catalogue):
    home = HomePage.objects.get()
    site = Site.objects.get(is_default_site=True)

    assert site.root_page_id == home.pk
    assert catalogue.get_parent().pk == home.pk
    assert catalogue.slug == "applications"
    assert catalogue.url_path == f"{home.url_path}applications/"
    assert Group.objects.filter(name=EDITORS_GROUP).exists()
    workflow = WorkflowPage.objects.get(page=catalogue).workflow
    assert workflow.name == WORKFLOW_NAME
    assert workflow.active


def test_ensure_store_structure_is_idempotent(catalogue):
    before = snapshot()

    assert ensure_store_structure() == catalogue
    assert ensure_store_structure() == catalogue

    assert snapshot() == before


def test_editors_may_publish_from_the_home_page_down(catalogue):
    editors = Group.objects.get(name=EDITORS_GROUP)
    codenames = set(
        GroupPagePermission.objects.filter(group=editors, page=HomePage.objects.get()).values_list(
            "permission__codename", flat=True
        )
    )

    assert {"add_page", "change_page", "publish_page"} <= codenames
    assert editors.permissions.filter(codename="access_admin").exists()


# --- a publisher's space -----------------------------------------------------------------


def test_creating_a_publisher_creates_its_page_under_the_catalogue(catalogue):
    publisher = Publisher.objects.create(name="France Travail", slug="france-travail")

    page = PublisherPage.objects.get(publisher=publisher)
    assert page.get_parent().pk == catalogue.pk
    assert page.title == "France Travail"
    assert page.slug == "france-travail"
    assert page.live
    assert page.latest_revision is not None


def test_creating_a_publisher_creates_its_group_with_admin_access(db):
    publisher = Publisher.objects.create(name="France Travail", slug="france-travail")
    publisher.refresh_from_db()

    assert publisher.group.name == "Éditeur : France Travail"
    assert publisher.group.permissions.filter(codename="access_admin").exists()


def test_publisher_group_may_add_and_change_but_not_publish_its_page(db):
    publisher = Publisher.objects.create(name="France Travail", slug="france-travail")
    publisher.refresh_from_db()

    permissions = GroupPagePermission.objects.filter(group=publisher.group)
    assert {p.page_id for p in permissions} == {publisher.page.pk}
    assert {p.permission.codename for p in permissions} == {"add_page", "change_page"}


def test_publisher_gets_its_own_media_collection(db):
    publisher = Publisher.objects.create(name="France Travail", slug="france-travail")
    publisher.refresh_from_db()

    collection = MediaCollection.objects.get(name="Éditeur : France Travail")
    assert collection.get_parent() == MediaCollection.get_first_root_node()
    codenames = set(
        GroupCollectionPermission.objects.filter(
            group=publisher.group, collection=collection
        ).values_list("permission__codename", flat=True)
    )
    assert codenames == {"add_image", "change_image", "choose_image"}
    # Nothing on the root collection: members only see their own folder.
    assert not GroupCollectionPermission.objects.filter(
        group=publisher.group, collection=MediaCollection.get_first_root_node()
    ).exists()


def test_ensure_publisher_space_is_idempotent(publisher_a):
    before = snapshot()

    page = ensure_publisher_space(publisher_a)
    ensure_publisher_space(publisher_a)

    assert page == publisher_a.page
    assert snapshot() == before


def test_saving_a_publisher_again_creates_nothing(publisher_a):
    before = snapshot()

    publisher_a.description = "Nouvelle présentation"
    publisher_a.save()

    assert snapshot() == before


def test_renaming_a_publisher_renames_its_group_and_page(publisher_a):
    group_pk = Publisher.objects.get(pk=publisher_a.pk).group_id
    page_pk = publisher_a.page.pk
    before = snapshot()

    publisher_a.name = "Éditeur Alpha Renommé"
    publisher_a.save()

    group = Group.objects.get(pk=group_pk)
    page = PublisherPage.objects.get(pk=page_pk)
    assert group.name == "Éditeur : Éditeur Alpha Renommé"
    assert page.title == page.draft_title == "Éditeur Alpha Renommé"
    assert page.slug == "editeur-alpha"  # URLs stay stable
    assert snapshot()["groups"] == before["groups"]
    assert snapshot()["pages"] == before["pages"]


def test_renaming_a_publisher_keeps_one_media_collection(publisher_a):
    group_pk = Publisher.objects.get(pk=publisher_a.pk).group_id
    before = snapshot()

    publisher_a.name = "Éditeur Alpha Renommé"
    publisher_a.save()

    assert snapshot()["media_collections"] == before["media_collections"]
    collections = MediaCollection.objects.filter(group_permissions__group_id=group_pk).distinct()
    assert [c.name for c in collections] == ["Éditeur : Éditeur Alpha Renommé"]


def test_publisher_page_slug_avoids_a_slug_already_taken(catalogue):
    first = PublisherFactory(name="Mission locale", slug="mission-locale")
    # A page already uses the slug the second publisher wants.
    catalogue.add_child(instance=Page(title="Squatteur", slug="mission-locale-paris"))
    second = PublisherFactory(name="Mission locale Paris", slug="mission-locale-paris")

    assert first.page.slug == "mission-locale"
    assert second.page.slug == "mission-locale-paris-2"


def test_add_member_puts_the_user_in_the_publisher_group(publisher_a):
    user = UserFactory()

    add_member(publisher_a, user)

    assert is_member(user, publisher_a.pk)
    assert list(publisher_a.members) == [user]


def test_members_of_one_publisher_are_not_members_of_another(member_a, publisher_b):
    assert not is_member(member_a, publisher_b.pk)
    assert member_a not in publisher_b.members
