from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionsConfig(AppConfig):
    """Mediators' selections of apps, handed over by link, QR code or paper."""

    name = "selections"
    verbose_name = _("Sélections des médiateurs")

    def ready(self):
        # Receivers use the models: imported once the app registry is ready (Django's way).
        from selections import receivers

        receivers.connect()
