"""Signal handlers of cms, connected once in CmsConfig.ready()."""

from django.apps import apps
from django.db.models.signals import post_delete, post_migrate
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms import legal
from cms.models import LegalPage
from cms.services import ensure_home_page


def ensure_home_after_migrate(sender, **kwargs):
    ensure_home_page()


def forget_footer_links(sender, **kwargs):
    """A page published, unpublished, moved or deleted may be a legal page (or its parent)."""
    legal.forget_footer_links()


def connect():
    post_migrate.connect(
        ensure_home_after_migrate,
        sender=apps.get_app_config("cms"),
        dispatch_uid="cms.ensure_home_after_migrate",
    )
    for signal, name in (
        (page_published, "published"),
        (page_unpublished, "unpublished"),
        (post_page_move, "moved"),
    ):
        signal.connect(forget_footer_links, dispatch_uid=f"cms.forget_footer_links.{name}")
    post_delete.connect(
        forget_footer_links, sender=LegalPage, dispatch_uid="cms.forget_footer_links.deleted"
    )
