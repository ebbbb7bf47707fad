from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Catalogue search: the contract, its two backends and index maintenance."""

    name = "search"
    verbose_name = _("Recherche")

    def ready(self):
        # Receivers use the models: imported once the app registry is ready (Django's way).
        from search import receivers

        receivers.connect()
