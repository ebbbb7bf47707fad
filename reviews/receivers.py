"""Signal handlers of reviews, connected once in ReviewsConfig.ready()."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate

from catalogue.permissions import EDITORS_GROUP


def grant_moderation_to_editors(sender, using="default", **kwargs):
    """Editors moderate reviews and tune the moderation policy."""
    create_permissions(apps.get_app_config("reviews"), verbosity=0, using=using)
    editors = Group.objects.filter(name=EDITORS_GROUP).first()
    if editors is None:
        return
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="reviews",
            codename__in=[
                "moderate_review",
                "view_review",
                "change_review",
                "view_reviewreport",
                "change_moderationpolicy",
            ],
        )
    )


def connect():
    post_migrate.connect(
        grant_moderation_to_editors,
        sender=apps.get_app_config("reviews"),
        dispatch_uid="reviews.grant_moderation_to_editors",
    )
