"""How publishers come in and run their team.

- **Application**: a signed-in person asks to *create* a publisher (its name, kind, SIREN or
  SIRET, website, contact e-mail, what they plan to publish), to *join* an existing one, or
  to *claim* one that has no administrator yet (made by the editors or by a feed). Editors
  approve or refuse it (with a reason the applicant sees); the applicant may withdraw it while
  it waits. What was checked when it was sent is kept with it (``identifier_valid``,
  ``domain_matches``): the evidence an editor reads before deciding, and before verifying.
- **PublisherRole**: a publisher's administrators (``ADMIN``) — who invite, set roles and
  remove people. Membership itself stays the publisher's group (catalogue.permissions); a
  member without a row here is a plain member.
- **Invitation**: an administrator invites a colleague by e-mail; the link is signed
  (onboarding.invitations), expires and works once.
- **Verification**: the editor's separate decision that the publisher is who it says,
  with the evidence (SIREN, domain check) it rests on.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Publisher

NAME_MAX_LENGTH = 120
TEXT_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 1000


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrateur")
    MEMBER = "member", _("Membre")


class ApplicationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Application.Status.PENDING)

    def of_applicant(self, user):
        return self.filter(applicant=user)


class Application(models.Model):
    class Kind(models.TextChoices):
        CREATE = "create", _("Créer un éditeur")
        JOIN = "join", _("Rejoindre un éditeur")
        CLAIM = "claim", _("Revendiquer un éditeur")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        APPROVED = "approved", _("Acceptée")
        REFUSED = "refused", _("Refusée")
        WITHDRAWN = "withdrawn", _("Retirée")

    kind = models.CharField(_("demande"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandeur"),
        on_delete=models.CASCADE,
        related_name="publisher_applications",
    )
    # Join / claim: the publisher asked for. Create: the publisher made on approval.
    publisher = models.ForeignKey(
        Publisher,
        verbose_name=_("éditeur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    name = models.CharField(_("nom de l'organisation"), max_length=NAME_MAX_LENGTH, blank=True)
    publisher_kind = models.CharField(
        _("type d'organisation"), max_length=20, choices=Publisher.Kind.choices, blank=True
    )
    identifier = models.CharField(_("SIREN ou SIRET"), max_length=14, blank=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, db_index=True)
    website = models.URLField(_("site web"), blank=True)
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    justification = models.TextField(_("justification"), max_length=TEXT_MAX_LENGTH, blank=True)
    plans = models.TextField(_("ce que vous prévoyez de publier"), max_length=TEXT_MAX_LENGTH)
    # Evidence computed when the application was sent.
    identifier_valid = models.BooleanField(_("SIREN / SIRET valide"), default=False)
    domain_matches = models.BooleanField(_("e-mail sur le domaine du site"), default=False)
    reason = models.TextField(_("motif de la décision"), max_length=REASON_MAX_LENGTH, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("demande d'éditeur")
        verbose_name_plural = _("demandes d'éditeur")
        constraints = [
            # One application waiting per person and publisher (join / claim).
            models.UniqueConstraint(
                fields=["applicant", "publisher"],
                condition=Q(status="pending"),
                name="onboarding_one_pending_per_publisher",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.display_name}"

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.CREATE or self.publisher is None:
            return self.name
        return self.publisher.name

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class PublisherRole(models.Model):
    publisher = models.ForeignKey(
        Publisher, verbose_name=_("éditeur"), on_delete=models.CASCADE, related_name="roles"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur"),
        on_delete=models.CASCADE,
        related_name="publisher_roles",
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.ADMIN)
    granted_at = models.DateTimeField(_("accordé le"), auto_now=True)

    class Meta:
        verbose_name = _("rôle dans un éditeur")
        verbose_name_plural = _("rôles dans les éditeurs")
        constraints = [
            models.UniqueConstraint(fields=["publisher", "user"], name="onboarding_one_role"),
        ]

    def __str__(self):
        return f"{self.user} — {self.publisher} ({self.get_role_display()})"


def default_expiry():
    return timezone.now() + timedelta(days=settings.ONBOARDING_INVITATION_DAYS)


class Invitation(models.Model):
    publisher = models.ForeignKey(
        Publisher, verbose_name=_("éditeur"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invité par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="publisher_invitations_sent",
    )
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"), default=default_expiry)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acceptée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publisher_invitations_accepted",
    )
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.publisher}"

    def is_open(self, now=None) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > (now or timezone.now())
        )


class Verification(models.Model):
    """The editor's decision that a publisher is who it says, and what it rests on."""

    publisher = models.OneToOneField(
        Publisher, verbose_name=_("éditeur"), on_delete=models.CASCADE, related_name="verification"
    )
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    identifier_valid = models.BooleanField(_("SIREN / SIRET valide"), default=False)
    domain = models.CharField(_("domaine vérifié"), max_length=255, blank=True)
    domain_matches = models.BooleanField(_("e-mail sur le domaine du site"), default=False)
    note = models.TextField(
        _("note de l'équipe éditoriale"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vérifié par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("vérifié le"), auto_now=True)

    class Meta:
        verbose_name = _("vérification d'éditeur")
        verbose_name_plural = _("vérifications d'éditeurs")

    def __str__(self):
        return str(self.publisher)
