from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = _("Identités et appareils")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connecting the receivers is why they are imported here (Django's documented place).
        from identity import receivers

        receivers.connect()
