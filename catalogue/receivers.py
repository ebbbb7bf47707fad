"""Signal handlers of the catalogue, connected once in CatalogueConfig.ready()."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.db.models.signals import post_migrate, post_save
from wagtail.signals import post_page_move


def ensure_structure_after_migrate(sender, using="default", **kwargs):
    from catalogue.services import ensure_store_structure

    # Our receiver may run before auth's for this app: make the permissions exist first.
    create_permissions(apps.get_app_config("catalogue"), verbosity=0, using=using)
    ensure_store_structure()


def set_up_new_publisher(sender, instance, created, raw=False, **kwargs):
    if raw:  # loaddata: the fixture brings its own pages and groups
        return
    from catalogue.services import ensure_publisher_space

    ensure_publisher_space(instance)


def follow_publisher_of_new_parent(sender, instance, parent_page_after, **kwargs):
    """An app moved under another publisher's page now belongs to that publisher."""
    from catalogue.models import AppPage, PublisherPage

    new_parent = parent_page_after.specific_deferred
    if isinstance(new_parent, PublisherPage):
        AppPage.objects.filter(pk=instance.pk).update(publisher_id=new_parent.publisher_id)


def connect():
    from catalogue.models import Publisher

    post_migrate.connect(
        ensure_structure_after_migrate,
        sender=apps.get_app_config("catalogue"),
        dispatch_uid="catalogue.ensure_structure_after_migrate",
    )
    post_save.connect(
        set_up_new_publisher, sender=Publisher, dispatch_uid="catalogue.set_up_new_publisher"
    )
    post_page_move.connect(
        follow_publisher_of_new_parent, dispatch_uid="catalogue.follow_publisher_of_new_parent"
    )
