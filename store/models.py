"""The shell's own data about an account, beside Django's user: its settings (language,
notification preferences, when a confirmation link was sent and followed) and the address it
confirmed.

An account is verified while the address it confirmed (by the signed link of
store.verification) is still its address: changing the address asks for a new confirmation.
Nothing sends notifications yet: the preferences are stored (and exported, and shown on
"Mon compte") so that the mails to come can honour them from their first day.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="account_settings",
    )
    language = models.CharField(
        _("langue"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Celle du site et des e-mails ; vide : celle choisie dans le navigateur."),
    )
    notify_review_reply = models.BooleanField(
        _("quand un éditeur répond à l'un de mes avis"), default=False
    )
    notify_review_moderation = models.BooleanField(
        _("quand l'équipe éditoriale refuse ou retire l'un de mes avis"), default=False
    )
    # When a link to confirm the address was last sent, and when one was followed: an account
    # whose link was sent long ago and never followed is purged (store.tasks).
    email_confirmation_sent_at = models.DateTimeField(
        _("lien de confirmation envoyé le"), null=True, blank=True, editable=False
    )
    email_confirmed_at = models.DateTimeField(
        _("adresse confirmée le"), null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("réglages du compte")
        verbose_name_plural = _("réglages des comptes")

    def __str__(self):
        return str(self.user)

    @classmethod
    def of(cls, user) -> "AccountSettings":
        """The user's settings, created with the defaults on first use."""
        found, _created = cls.objects.get_or_create(user=user)
        return found


class VerifiedEmail(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="verified_email",
    )
    email = models.EmailField(_("adresse confirmée"), max_length=254)
    verified_at = models.DateTimeField(_("confirmée le"))

    class Meta:
        verbose_name = _("adresse e-mail confirmée")
        verbose_name_plural = _("adresses e-mail confirmées")

    def __str__(self):
        return f"{self.user_id} · {self.email}"
