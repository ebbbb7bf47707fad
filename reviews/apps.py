from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """Ratings and reviews: moderation, publisher replies, helpful votes, reports."""

    name = "reviews"
    verbose_name = _("Avis")

    def ready(self):
        from reviews import receivers

        receivers.connect()
