from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """Counting without tracking (page views, install clicks, search impressions…) and the
    figures publishers and editors read from it. Domain layer: search, reviews and the
    catalogue's events feed it; it imports no sibling."""

    name = "catalogue.stats"
    label = "stats"
    verbose_name = _("Statistiques")

    def ready(self):
        # Receivers use the models: imported once the app registry is ready (Django's way).
        from catalogue.stats import receivers

        receivers.connect()
