"""Signal handlers of the selections, connected once in SelectionsConfig.ready()."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate, post_save

from catalogue.permissions import EDITORS_GROUP
from selections.models import MEDIATORS_GROUP, Mediator
from selections.services import sync_mediators_group

EDITOR_PERMISSIONS = [
    # The role: editors grant it, change the organisation, withdraw it.
    "add_mediator",
    "change_mediator",
    "delete_mediator",
    "view_mediator",
    # Ready-made paths (the proxy model of the admin).
    "add_readymadepath",
    "change_readymadepath",
    "delete_readymadepath",
    "view_readymadepath",
]


def ensure_groups(sender, using="default", **kwargs):
    """The mediators' group holds the mediator space's permission; editors manage the role
    and the ready-made paths."""
    create_permissions(apps.get_app_config("selections"), verbosity=0, using=using)
    mediators, _created = Group.objects.get_or_create(name=MEDIATORS_GROUP)
    mediators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="selections", codename="use_mediator_space"
        )
    )
    editors = Group.objects.filter(name=EDITORS_GROUP).first()
    if editors is not None:
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="selections", codename__in=EDITOR_PERMISSIONS
            )
        )


def follow_role(sender, instance: Mediator, **kwargs):
    """Granted, withdrawn or asked for (in the admin or by a service): the group follows."""
    sync_mediators_group(instance)


def connect():
    post_migrate.connect(
        ensure_groups,
        sender=apps.get_app_config("selections"),
        dispatch_uid="selections.ensure_groups",
    )
    post_save.connect(follow_role, sender=Mediator, dispatch_uid="selections.follow_role")
