"""Who a person is elsewhere (their OpenID identities) and which devices hold an API token."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LinkedIdentity(models.Model):
    """An identity at an OpenID provider (FranceConnect, ProConnect) that signs in to an account.

    ``subject`` is the provider's stable identifier of the person (``sub``); e-mail and names
    are as the provider last gave them. ``siret`` (ProConnect) is only ever a suggestion.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="linked_identities"
    )
    provider = models.CharField(_("fournisseur"), max_length=40)
    subject = models.CharField(_("identifiant chez le fournisseur"), max_length=255)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    siret = models.CharField(_("SIRET de l'organisation"), max_length=14, blank=True)
    linked_at = models.DateTimeField(_("liée le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière connexion"), null=True, blank=True)

    class Meta:
        verbose_name = _("identité liée")
        verbose_name_plural = _("identités liées")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="identity_unique_subject")
        ]
        ordering = ["provider", "linked_at"]

    def __str__(self):
        return f"{self.provider}:{self.subject}"


class DeviceToken(models.Model):
    """One API token per device and sign-in, stored as the SHA-256 of its secret.

    The secret is shown once, when it is issued; ``last_used_at`` is written at most once a
    minute; a token unused for ``API_TOKEN_INACTIVITY_DAYS`` stops working.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_tokens"
    )
    name = models.CharField(_("appareil"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"))
    last_used_at = models.DateTimeField(_("dernière utilisation"))

    class Meta:
        verbose_name = _("appareil connecté")
        verbose_name_plural = _("appareils connectés")
        ordering = ["-last_used_at", "-pk"]

    def __str__(self):
        return self.name
