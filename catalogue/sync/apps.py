from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    """Publishers' metadata feeds: fetch → parse → validate → upsert into the catalogue."""

    name = "catalogue.sync"
    label = "sync"
    verbose_name = _("Flux des éditeurs")

    def ready(self):
        # Receivers use the models: imported once the app registry is ready (Django's way).
        from catalogue.sync import receivers

        receivers.connect()
