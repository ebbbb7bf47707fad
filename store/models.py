"""The shell's own data: which e-mail address each account confirmed.

An account is verified while the address it confirmed (by the signed link of
store.verification) is still its address: changing the address asks for a new confirmation.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
