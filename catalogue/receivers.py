"""Signal handlers of the catalogue, connected once in CatalogueConfig.ready().

Besides keeping the site's structure and each publisher's space, they translate Wagtail's and
Django's model signals into the catalogue's own events (catalogue.signals), which search and
the API's caches follow.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group
from django.db.models import Case, F, When
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete
from wagtail.images import get_image_model
from wagtail.signals import page_published, page_unpublished, post_page_move

from catalogue import permissions, signals
from catalogue.models import (
    AppPage,
    Audience,
    Category,
    Collection,
    CollectionItem,
    Favourite,
    Language,
    Publisher,
    PublisherPage,
)
from catalogue.services import ensure_publisher_space, ensure_store_structure


def ensure_structure_after_migrate(sender, using="default", **kwargs):
    # Our receiver may run before auth's for this app: make the permissions exist first.
    create_permissions(apps.get_app_config("catalogue"), verbosity=0, using=using)
    ensure_store_structure()


def set_up_new_publisher(sender, instance, created, raw=False, **kwargs):
    if raw:  # loaddata: the fixture brings its own pages and groups
        return
    ensure_publisher_space(instance)


def follow_publisher_of_new_parent(sender, instance, parent_page_after, **kwargs):
    """An app moved under another publisher's page now belongs to that publisher."""
    new_parent = parent_page_after.specific_deferred
    if isinstance(new_parent, PublisherPage):
        AppPage.objects.filter(pk=instance.pk).update(publisher_id=new_parent.publisher_id)


def forget_memberships(sender, instance, action, reverse, **kwargs):
    """A user's groups changed: their cached publishers are stale (catalogue.permissions)."""
    if not reverse and action in ("post_add", "post_remove", "post_clear"):
        permissions.forget(instance)


def drop_group_of_deleted_publisher(sender, instance, **kwargs):
    """A deleted publisher's members lose their rights with it: its group goes too (a new
    publisher never inherits it, see catalogue.services.ensure_publisher_space)."""
    if instance.group_id:
        Group.objects.filter(pk=instance.group_id).delete()


# --- A user deleted: the counters their favourites fed ---------------------------------------

FAVOURITE_APPS = "_catalogue_favourite_app_ids"


def note_favourites_of_deleted_user(sender, instance, **kwargs):
    """Before the user's favourites go with them: which apps' popularity they fed."""
    setattr(
        instance,
        FAVOURITE_APPS,
        sorted(Favourite.objects.filter(user=instance).values_list("app_id", flat=True)),
    )


def recount_popularity_after_user_deleted(sender, instance, **kwargs):
    """One less for each app the user had kept, as removing the favourite would have done."""
    app_ids = getattr(instance, FAVOURITE_APPS, None)
    if not app_ids:
        return
    AppPage.objects.filter(pk__in=app_ids).update(
        popularity=Case(When(popularity__gt=0, then=F("popularity") - 1), default=0)
    )
    signals.app_counters_changed.send(sender=Favourite, app_ids=app_ids)


# --- The catalogue's events ----------------------------------------------------------------


def page_changed(sender, instance, **kwargs):
    """Published, unpublished, moved or deleted: an app, or another page readers see.

    (Wagtail names the page's specific class as the sender; the instance may be a plain Page.)
    """
    if isinstance(sender, type) and issubclass(sender, AppPage):
        signals.send_app_changed(AppPage, [instance.pk])
    else:
        signals.catalogue_changed.send(sender=sender)


def reference_changed(sender, instance, created=False, raw=False, **kwargs):
    """A publisher or category edited changes its apps' documents (names, facets)."""
    signals.catalogue_changed.send(sender=sender)
    if created or raw or kwargs.get("signal") is post_delete:
        return
    if sender is Publisher:
        app_ids = list(instance.apps.values_list("pk", flat=True))
    else:
        app_ids = list(AppPage.objects.in_category(instance).values_list("pk", flat=True))
    if app_ids:
        signals.app_changed.send(sender=AppPage, app_ids=app_ids)


def other_data_changed(sender, **kwargs):
    signals.catalogue_changed.send(sender=sender)


def connect():
    post_migrate.connect(
        ensure_structure_after_migrate,
        sender=apps.get_app_config("catalogue"),
        dispatch_uid="catalogue.ensure_structure_after_migrate",
    )
    post_save.connect(
        set_up_new_publisher, sender=Publisher, dispatch_uid="catalogue.set_up_new_publisher"
    )
    post_delete.connect(
        drop_group_of_deleted_publisher,
        sender=Publisher,
        dispatch_uid="catalogue.drop_group_of_deleted_publisher",
    )
    pre_delete.connect(
        note_favourites_of_deleted_user,
        sender=get_user_model(),
        dispatch_uid="catalogue.note_favourites_of_deleted_user",
    )
    post_delete.connect(
        recount_popularity_after_user_deleted,
        sender=get_user_model(),
        dispatch_uid="catalogue.recount_popularity_after_user_deleted",
    )
    post_page_move.connect(
        follow_publisher_of_new_parent, dispatch_uid="catalogue.follow_publisher_of_new_parent"
    )
    m2m_changed.connect(
        forget_memberships,
        sender=get_user_model().groups.through,
        dispatch_uid="catalogue.forget_memberships",
    )
    for name, signal in (
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("moved", post_page_move),
    ):
        signal.connect(page_changed, dispatch_uid=f"catalogue.page_{name}")
    post_delete.connect(page_changed, sender=AppPage, dispatch_uid="catalogue.app_deleted")
    for model in (Publisher, Category):
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                reference_changed,
                sender=model,
                dispatch_uid=f"catalogue.{model.__name__}_{name}",
            )
    for model in (Audience, Language, Collection, CollectionItem, get_image_model()):
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                other_data_changed,
                sender=model,
                dispatch_uid=f"catalogue.{model._meta.label_lower}_{name}",
            )
