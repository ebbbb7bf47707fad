from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """Ratings and reviews: moderation, publisher replies, helpful votes, reports."""

    name = "reviews"
    verbose_name = _("Avis")

    def ready(self):
        # Receivers use the models: imported once the app registry is ready (Django's way).
        from reviews import receivers

        receivers.connect()
