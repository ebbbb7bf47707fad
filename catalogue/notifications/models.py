"""A person's notifications (the in-site list, and what their mails were made from) and their
choices of which to receive by e-mail. Both are part of their personal data: exported and
deleted with the account (catalogue.notifications.services.export_for, store.personal_data)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.notifications.kinds import KINDS

KIND_CHOICES = [(key, kind.label) for key, kind in KINDS.items()]


class Notification(models.Model):
    """Something to tell one person. ``params``: what the texts are made of (names, counts,
    a reason), plain JSON; they are escaped where they are shown."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("destinataire"),
    )
    kind = models.CharField(_("type"), max_length=32, choices=KIND_CHOICES)
    params = models.JSONField(_("détails"), default=dict, blank=True)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    # When a mail went out (alone or in a digest); empty: none yet, or none wanted.
    emailed_at = models.DateTimeField(_("envoyée par e-mail le"), null=True, blank=True)
    # Waiting for its digest (its kind's mails are grouped).
    digest_pending = models.BooleanField(_("en attente du résumé"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "read_at"], name="notif_user_unread"),
            models.Index(
                fields=["kind", "created_at"],
                name="notif_digest_pending",
                condition=models.Q(digest_pending=True),
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.user_id}"


class Preference(models.Model):
    """A person's choice for one kind (no row: the kind's default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("personne"),
    )
    kind = models.CharField(_("type"), max_length=32, choices=KIND_CHOICES)
    email = models.BooleanField(_("par e-mail"))
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notif_one_preference")
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.email}"
