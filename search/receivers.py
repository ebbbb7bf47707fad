"""Keep the search index in step with the catalogue. Connected in SearchConfig.ready()."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from search.indexing import schedule_index, schedule_removal


def app_published(sender, instance, **kwargs):
    schedule_index([instance.pk])


def app_unpublished(sender, instance, **kwargs):
    schedule_removal([instance.pk])


def app_deleted(sender, instance, **kwargs):
    schedule_removal([instance.pk])


def app_moved(sender, instance, **kwargs):
    # Its publisher (and so its facets) follows the new parent.
    schedule_index([instance.pk])


def publisher_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        schedule_index(instance.apps.values_list("pk", flat=True))


def category_saved(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return
    from catalogue.models import AppPage

    schedule_index(AppPage.objects.in_category(instance).values_list("pk", flat=True))


def connect():
    from catalogue.models import AppPage, Audience, Category, Language, Publisher
    from search.facets import forget_labels

    page_published.connect(app_published, sender=AppPage, dispatch_uid="search.app_published")
    page_unpublished.connect(app_unpublished, sender=AppPage, dispatch_uid="search.app_unpublished")
    post_delete.connect(app_deleted, sender=AppPage, dispatch_uid="search.app_deleted")
    post_page_move.connect(app_moved, sender=AppPage, dispatch_uid="search.app_moved")
    post_save.connect(publisher_saved, sender=Publisher, dispatch_uid="search.publisher_saved")
    post_save.connect(category_saved, sender=Category, dispatch_uid="search.category_saved")
    for model in (Category, Publisher, Language, Audience):
        for signal in (post_save, post_delete):
            signal.connect(
                forget_labels, sender=model, dispatch_uid=f"search.forget_labels.{model.__name__}"
            )
