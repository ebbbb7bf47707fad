"""Signal handlers of reviews, connected once in ReviewsConfig.ready()."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_delete, post_migrate, pre_delete

from catalogue.permissions import EDITORS_GROUP
from reviews import services


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


TOUCHED = "_reviews_touched"


def lock_what_a_deleted_user_touched(sender, instance, **kwargs):
    """Before a user's reviews, votes and reports go with them (cascade): lock the apps whose
    figures they count in (app first, as every writer does), and note the reviews they voted
    on or reported."""
    setattr(instance, TOUCHED, services.touched_by(instance))


def recount_after_user_deleted(sender, instance, **kwargs):
    """Their reviews, votes and reports are gone: the figures follow, in the same transaction."""
    touched = getattr(instance, TOUCHED, None)
    if touched is not None:
        services.recount_touched(touched)


def connect():
    pre_delete.connect(
        lock_what_a_deleted_user_touched,
        sender=get_user_model(),
        dispatch_uid="reviews.lock_what_a_deleted_user_touched",
    )
    post_delete.connect(
        recount_after_user_deleted,
        sender=get_user_model(),
        dispatch_uid="reviews.recount_after_user_deleted",
    )
    post_migrate.connect(
        grant_moderation_to_editors,
        sender=apps.get_app_config("reviews"),
        dispatch_uid="reviews.grant_moderation_to_editors",
    )
