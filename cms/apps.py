from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Pages éditoriales")

    def ready(self):
        # Receivers use the models: imported once the app registry is ready (Django's way).
        from cms import receivers

        receivers.connect()
