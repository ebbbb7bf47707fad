from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    """Publishers onboard themselves: they apply, editors verify, administrators run their
    team, members submit apps."""

    name = "onboarding"
    verbose_name = _("Arrivée des éditeurs")
    default_auto_field = "django.db.models.BigAutoField"
