"""Signal handlers of the publisher sync, connected once in SyncConfig.ready()."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_migrate

from catalogue.permissions import EDITORS_GROUP
from catalogue.sync.models import CategoryMapping, Feed, SyncRun


def grant_feeds_to_editors(sender, using="default", **kwargs):
    """Editors manage feeds and category mappings, and read the runs."""
    create_permissions(apps.get_app_config("sync"), verbosity=0, using=using)
    editors = Group.objects.filter(name=EDITORS_GROUP).first()
    if editors is None:  # catalogue's receiver (which runs first) creates it
        return
    content_types = ContentType.objects.get_for_models(Feed, SyncRun, CategoryMapping).values()
    editors.permissions.add(*Permission.objects.filter(content_type__in=content_types))


def connect():
    post_migrate.connect(
        grant_feeds_to_editors,
        sender=apps.get_app_config("sync"),
        dispatch_uid="sync.grant_feeds_to_editors",
    )
