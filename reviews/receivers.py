"""Signal handlers of reviews, connected once in ReviewsConfig.ready()."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate, pre_delete

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


def forget_a_deleted_user(sender, instance, **kwargs):
    """A user deleted by other means than their own deletion (the Django admin, a script):
    their votes, reports and reviews go through reviews.services.forget_user first, figures
    recounted under each app's lock. Left to the cascade, the reviews might be deleted after
    the user (Review.author is nullable, so nothing orders them) and the figures would miss
    it. After store.personal_data.delete_account it finds nothing left to do."""
    services.forget_user(instance, keep_reviews=False)


def connect():
    pre_delete.connect(
        forget_a_deleted_user,
        sender=get_user_model(),
        dispatch_uid="reviews.forget_a_deleted_user",
    )
    post_migrate.connect(
        grant_moderation_to_editors,
        sender=apps.get_app_config("reviews"),
        dispatch_uid="reviews.grant_moderation_to_editors",
    )
