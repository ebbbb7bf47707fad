"""Signal handlers of reviews, connected once in ReviewsConfig.ready()."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.db import transaction
from django.db.models.signals import post_migrate
from wagtail.signals import page_published


def grant_moderation_to_editors(sender, using="default", **kwargs):
    """Editors moderate reviews and tune the moderation policy."""
    from django.contrib.auth.models import Group, Permission

    from catalogue.services import EDITORS_GROUP

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


def refresh_ratings_after_publish(sender, instance, **kwargs):
    """Publishing saves the whole page from a revision: make its rating figures current again.

    (A review written between loading the revision and saving it would otherwise be lost.)
    """
    from catalogue.models import AppPage
    from reviews.services import lock_app, refresh_aggregates

    if isinstance(instance, AppPage):
        with transaction.atomic():
            lock_app(instance.pk)
            refresh_aggregates(instance.pk)


def connect():
    post_migrate.connect(
        grant_moderation_to_editors,
        sender=apps.get_app_config("reviews"),
        dispatch_uid="reviews.grant_moderation_to_editors",
    )
    page_published.connect(
        refresh_ratings_after_publish, dispatch_uid="reviews.refresh_ratings_after_publish"
    )
