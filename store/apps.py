from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoreConfig(AppConfig):
    name = "store"
    verbose_name = _("Emploi Store")

    def ready(self):
        from store import receivers

        receivers.connect()
