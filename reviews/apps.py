from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """Ratings and reviews (models arrive with the reviews issue)."""

    name = "reviews"
    verbose_name = _("Avis")
