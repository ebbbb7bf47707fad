from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self):
        # Receivers use the models: imported once the app registry is ready (Django's way).
        from catalogue import receivers
        from catalogue.api import caching

        receivers.connect()
        caching.connect()
