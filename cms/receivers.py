"""Signal handlers of cms, connected once in CmsConfig.ready()."""

from django.apps import apps
from django.db.models.signals import post_migrate

from cms.services import ensure_home_page


def ensure_home_after_migrate(sender, **kwargs):
    ensure_home_page()


def connect():
    post_migrate.connect(
        ensure_home_after_migrate,
        sender=apps.get_app_config("cms"),
        dispatch_uid="cms.ensure_home_after_migrate",
    )
