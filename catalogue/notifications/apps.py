from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """What the store tells people: e-mails (after commit, by Celery) and the in-site list,
    with each person's preferences and one-click unsubscribe links. Domain layer: reviews,
    selections and the sync call ``services.notify``; it imports no sibling."""

    name = "catalogue.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Receivers use the models: imported once the app registry is ready (Django's way).
        from catalogue.notifications import receivers

        receivers.connect()
