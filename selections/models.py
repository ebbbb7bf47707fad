"""Mediators and their selections of apps, handed over to a person by link, QR code or paper.

- **Mediator**: the role an editor grants (employment counsellors, digital mediators, town-hall
  and association staff), with the organisation they work for. A signed-in person may ask for
  it (``Status.REQUESTED``); only an editor makes it ``ACTIVE``.
- **Selection**: a mediator's list of apps for one person (``Kind.SELECTION``): a title, a
  message, apps in order each with a personal note. A draft until it is shared; sharing gives
  it a short unguessable token (its link ``/s/<token>/``) that works until ``expires_at`` or
  until the mediator revokes it. Editors' **ready-made paths** (``Kind.PATH``, edited in the
  admin through the ``ReadyMadePath`` proxy) are selections without an owner that mediators
  copy; they have English fields (``title_en``…), as the catalogue's translated content.
- **SavedSelection**: a signed-in person keeps a shared selection in their favourites.

How many times a shared link was opened is a bare counter on the selection: no cookie, no
address, nothing about who opened it.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from catalogue.labels import is_english

TITLE_MAX_LENGTH = 120
MESSAGE_MAX_LENGTH = 1000
NOTE_MAX_LENGTH = 280
ORGANISATION_MAX_LENGTH = 200
MAX_ITEMS = 20
# secrets.token_urlsafe(12): 16 URL-safe characters, 96 random bits.
TOKEN_BYTES = 12
TOKEN_LENGTH = 16
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16}$")
MEDIATORS_GROUP = "Mediators"
# The permission of the mediators' group: the header shows "Mes sélections" with it, read from
# the permission cache that every signed-in page fills anyway.
MEDIATOR_PERMISSION = "selections.use_mediator_space"


class Mediator(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Demande en attente")
        ACTIVE = "active", _("Médiateur")
        SUSPENDED = "suspended", _("Rôle retiré")

    class Source(models.TextChoices):
        EDITOR = "editor", _("Accordé par l'équipe éditoriale")
        SITE = "site", _("Demandé sur le site")
        PROCONNECT = "proconnect", _("Demandé avec ProConnect")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur"),
        on_delete=models.CASCADE,
        related_name="mediator",
    )
    organisation = models.CharField(
        _("organisme"),
        max_length=ORGANISATION_MAX_LENGTH,
        help_text=_("La structure pour laquelle la personne accompagne (ex. Mission locale)."),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    source = models.CharField(
        _("origine"), max_length=12, choices=Source.choices, default=Source.EDITOR
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    granted_at = models.DateTimeField(_("accordé le"), null=True, blank=True, editable=False)

    panels = [FieldPanel("user"), FieldPanel("organisation"), FieldPanel("status")]

    class Meta:
        ordering = ["organisation", "pk"]
        verbose_name = _("médiateur")
        verbose_name_plural = _("médiateurs")

    def __str__(self):
        return f"{self.user} — {self.organisation}"

    def save(self, *args, **kwargs):
        if self.status == self.Status.ACTIVE and self.granted_at is None:
            self.granted_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "granted_at"}
        return super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class SelectionQuerySet(models.QuerySet):
    def of_mediator(self, user):
        return self.filter(kind=Selection.Kind.SELECTION, owner=user)

    def paths(self):
        return self.filter(kind=Selection.Kind.PATH)

    def published_paths(self):
        return self.paths().filter(is_published=True)

    def open_links(self, now=None):
        """Shared, not revoked, not expired: what a link may show."""
        return self.filter(
            kind=Selection.Kind.SELECTION,
            status=Selection.Status.SHARED,
            expires_at__gt=now or timezone.now(),
        )


class Selection(ClusterableModel):
    class Kind(models.TextChoices):
        SELECTION = "selection", _("Sélection d'un médiateur")
        PATH = "path", _("Parcours tout prêt")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SHARED = "shared", _("Partagée")
        REVOKED = "revoked", _("Lien retiré")

    kind = models.CharField(
        _("type"), max_length=10, choices=Kind.choices, default=Kind.SELECTION, editable=False
    )
    # The mediator's; ready-made paths are the editorial team's and have none.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("médiateur"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="selections",
        editable=False,
    )
    title = models.CharField(_("titre"), max_length=TITLE_MAX_LENGTH)
    title_en = models.CharField(_("titre (anglais)"), max_length=TITLE_MAX_LENGTH, blank=True)
    message = models.TextField(
        _("message pour la personne"), max_length=MESSAGE_MAX_LENGTH, blank=True
    )
    message_en = models.TextField(_("message (anglais)"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    token = models.CharField(
        _("jeton du lien"), max_length=32, unique=True, null=True, blank=True, editable=False
    )
    shared_at = models.DateTimeField(_("partagée le"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("lien valable jusqu'au"), null=True, editable=False)
    revoked_at = models.DateTimeField(_("lien retiré le"), null=True, blank=True, editable=False)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copiée de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        editable=False,
    )
    is_published = models.BooleanField(
        _("proposé aux médiateurs"),
        default=False,
        help_text=_("Les médiateurs voient le parcours et peuvent le copier."),
    )
    open_count = models.PositiveIntegerField(_("ouvertures"), default=0, editable=False)
    last_opened_on = models.DateField(_("dernière ouverture"), null=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = SelectionQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("sélection")
        verbose_name_plural = _("sélections")
        permissions = [("use_mediator_space", _("Utiliser l'espace médiateur"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="path") | Q(owner__isnull=False),
                name="selection_has_an_owner",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(expires_at__isnull=False),
                name="shared_selection_has_an_expiry",
            ),
        ]
        indexes = [models.Index(fields=["owner", "-updated_at"], name="selection_by_owner")]

    def __str__(self):
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_path(self) -> bool:
        return self.kind == self.Kind.PATH

    def link_is_open(self, now=None) -> bool:
        return (
            self.status == self.Status.SHARED
            and self.expires_at is not None
            and self.expires_at > (now or timezone.now())
        )

    @property
    def link_state(self) -> str:
        """draft, open, expired or revoked: what the mediator's pages say of the link."""
        if self.status == self.Status.DRAFT:
            return "draft"
        if self.status == self.Status.REVOKED:
            return "revoked"
        return "open" if self.link_is_open() else "expired"

    @property
    def localized_title(self) -> str:
        return (self.title_en if is_english() else "") or self.title

    @property
    def localized_message(self) -> str:
        return (self.message_en if is_english() else "") or self.message


class ReadyMadePathManager(models.Manager.from_queryset(SelectionQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Selection.Kind.PATH)


class ReadyMadePath(Selection):
    """Editors' ready-made paths in the admin: selections of the editorial team to copy."""

    objects = ReadyMadePathManager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("title"), FieldPanel("title_en")], heading=_("Titre du parcours")
        ),
        FieldPanel("message"),
        FieldPanel("message_en"),
        FieldPanel("is_published"),
        InlinePanel("items", label=_("Applications"), min_num=1, max_num=MAX_ITEMS),
    ]

    class Meta:
        proxy = True
        verbose_name = _("parcours tout prêt")
        verbose_name_plural = _("parcours tout prêts")

    def save(self, *args, **kwargs):
        self.kind = Selection.Kind.PATH
        self.owner = None
        return super().save(*args, **kwargs)


class SelectionItem(Orderable):
    """An app of a selection, in order, with the mediator's note for the person."""

    selection = ParentalKey(Selection, on_delete=models.CASCADE, related_name="items")
    app = models.ForeignKey(
        "catalogue.AppPage",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="selection_items",
    )
    note = models.CharField(_("note personnelle"), max_length=NOTE_MAX_LENGTH, blank=True)
    note_en = models.CharField(_("note (anglais)"), max_length=NOTE_MAX_LENGTH, blank=True)

    panels = [FieldPanel("app"), FieldPanel("note"), FieldPanel("note_en")]

    class Meta(Orderable.Meta):
        verbose_name = _("application de la sélection")
        verbose_name_plural = _("applications de la sélection")
        constraints = [
            models.UniqueConstraint(
                fields=["selection", "app"],
                name="app_once_per_selection",
                violation_error_message=_("Cette application est déjà dans la sélection."),
            )
        ]

    def __str__(self):
        return f"{self.selection_id} · {self.app_id}"

    @property
    def localized_note(self) -> str:
        return (self.note_en if is_english() else "") or self.note


class SavedSelection(models.Model):
    """A shared selection a signed-in person keeps in their favourites."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur"),
        on_delete=models.CASCADE,
        related_name="saved_selections",
    )
    selection = models.ForeignKey(
        Selection,
        verbose_name=_("sélection"),
        on_delete=models.CASCADE,
        related_name="saved_by",
    )
    created_at = models.DateTimeField(_("gardée le"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("sélection gardée")
        verbose_name_plural = _("sélections gardées")
        constraints = [
            models.UniqueConstraint(fields=["user", "selection"], name="selection_saved_once")
        ]

    def __str__(self):
        return f"{self.user} ♥ {self.selection}"
