"""What the publisher sync keeps: feeds, their runs, the items they brought, category mappings.

Models of the ``sync`` app (catalogue.sync); their tables kept the names they had when they
belonged to the catalogue app (``catalogue_feed``…), so moving them wrote nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class FeedFormat(models.TextChoices):
    NATIVE = "native", _("Flux JSON de l'Emploi Store")
    APPSTREAM = "appstream", _("AppStream (XML MetaInfo ou catalogue)")
    ITUNES = "itunes", _("iTunes lookup (JSON)")
    FDROID = "fdroid", _("Dépôt F-Droid (index-v2)")


class Feed(models.Model):
    """A publisher's metadata feed, fetched on its own schedule."""

    publisher = models.ForeignKey(
        "catalogue.Publisher",
        verbose_name=_("éditeur"),
        on_delete=models.CASCADE,
        related_name="feeds",
    )
    name = models.CharField(_("nom"), max_length=120)
    url = models.URLField(_("adresse du flux"), max_length=1000)
    format = models.CharField(_("format"), max_length=10, choices=FeedFormat.choices)
    enabled = models.BooleanField(_("actif"), default=True)
    interval_hours = models.PositiveIntegerField(
        _("fréquence (heures)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
        help_text=_("Le flux est relu toutes les N heures."),
    )
    next_sync_at = models.DateTimeField(_("prochaine synchronisation"), null=True, blank=True)
    # Validators of the last 200 response, sent back for a conditional GET.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("publisher"),
        FieldPanel("name"),
        FieldPanel("url"),
        FieldPanel("format"),
        FieldPanel("enabled"),
        FieldPanel("interval_hours"),
        FieldPanel("next_sync_at"),
    ]

    class Meta:
        db_table = "catalogue_feed"
        verbose_name = _("flux de métadonnées")
        verbose_name_plural = _("flux de métadonnées")
        ordering = ["publisher__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["publisher", "url"], name="feed_url_once_per_publisher")
        ]

    def __str__(self):
        return f"{self.publisher} · {self.name}"

    def schedule_next(self, after=None) -> None:
        self.next_sync_at = (after or timezone.now()) + timedelta(hours=self.interval_hours)

    @property
    def last_run(self):
        return self.runs.order_by("-started_at").first()


class SyncRun(models.Model):
    """One fetch → parse → upsert of a feed (or a preview of it, with dry_run)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminée")
        DONE_WITH_ERRORS = "done_with_errors", _("Terminée avec des erreurs")
        FAILED = "failed", _("Échouée")
        # It would have archived too many of the feed's apps at once: nothing was archived
        # until an editor confirms (SYNC_ARCHIVE_MAX_SHARE).
        HELD = "held", _("Archivage suspendu")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Planifiée")
        MANUAL = "manual", _("Depuis l'administration")
        SHELL = "shell", _("En ligne de commande")

    COUNTERS = ("seen", "created", "updated", "unchanged", "archived", "failed")

    feed = models.ForeignKey(
        Feed, verbose_name=_("flux"), on_delete=models.CASCADE, related_name="runs"
    )
    trigger = models.CharField(
        _("déclenchement"), max_length=10, choices=Trigger.choices, default=Trigger.SCHEDULE
    )
    dry_run = models.BooleanField(_("aperçu (rien n'est écrit)"), default=False)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.RUNNING
    )
    started_at = models.DateTimeField(_("début"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(_("statut HTTP"), null=True, blank=True)
    not_modified = models.BooleanField(_("flux inchangé (304)"), default=False)
    seen = models.PositiveIntegerField(_("lues"), default=0)
    created = models.PositiveIntegerField(_("créées"), default=0)
    updated = models.PositiveIntegerField(_("mises à jour"), default=0)
    unchanged = models.PositiveIntegerField(_("inchangées"), default=0)
    archived = models.PositiveIntegerField(_("archivées"), default=0)
    failed = models.PositiveIntegerField(_("en échec"), default=0)
    message = models.TextField(_("message"), blank=True)
    errors = models.JSONField(_("erreurs par application"), default=list, blank=True)
    warnings = models.JSONField(_("avertissements"), default=list, blank=True)
    # What was (or, for a preview, would be) done to each item: [{"item", "action", "fields"}].
    changes = models.JSONField(_("changements"), default=list, blank=True)
    # A held run: the FeedItem ids it would have archived, until an editor confirms.
    held_items = models.JSONField(_("archivages en attente"), default=list, blank=True)
    archive_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("archivage confirmé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    archive_confirmed_at = models.DateTimeField(_("archivage confirmé le"), null=True, blank=True)

    class Meta:
        db_table = "catalogue_syncrun"
        verbose_name = _("synchronisation")
        verbose_name_plural = _("synchronisations")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.feed} · {self.started_at:%Y-%m-%d %H:%M} · {self.get_status_display()}"

    @property
    def duration(self) -> timedelta | None:
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at


class FeedItem(models.Model):
    """An app as its feed last described it: the hash that makes a rerun a no-op."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="items")
    external_id = models.CharField(max_length=200)
    app = models.ForeignKey(
        "catalogue.AppPage", null=True, on_delete=models.SET_NULL, related_name="feed_items"
    )
    content_hash = models.CharField(max_length=64)
    # Image URL → Wagtail image id, so an unchanged URL is not downloaded again.
    images = models.JSONField(default=dict, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    missing_since = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "catalogue_feeditem"
        verbose_name = _("application d'un flux")
        verbose_name_plural = _("applications d'un flux")
        constraints = [
            models.UniqueConstraint(fields=["feed", "external_id"], name="feed_item_once_per_feed")
        ]

    def __str__(self):
        return f"{self.feed_id}:{self.external_id}"


class CategoryMapping(models.Model):
    """An outside category (AppStream's, Apple's genres) → a category of the store."""

    class Source(models.TextChoices):
        APPSTREAM = "appstream", _("AppStream")
        ITUNES = "itunes", _("iTunes (genre)")
        FDROID = "fdroid", _("F-Droid")

    source = models.CharField(_("vocabulaire"), max_length=10, choices=Source.choices)
    term = models.CharField(
        _("catégorie externe"),
        max_length=100,
        help_text=_("Tel qu'écrit dans le flux, par exemple « Education » ou « Business »."),
    )
    category = models.ForeignKey(
        "catalogue.Category",
        verbose_name=_("catégorie du catalogue"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("source"), FieldPanel("term"), FieldPanel("category")]

    class Meta:
        db_table = "catalogue_categorymapping"
        verbose_name = _("correspondance de catégorie")
        verbose_name_plural = _("correspondances de catégories")
        ordering = ["source", "term"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "term"], name="category_mapping_once_per_term"
            )
        ]

    def __str__(self):
        return f"{self.get_source_display()} « {self.term} » → {self.category}"

    @classmethod
    def as_dict(cls, source: str) -> dict[str, str]:
        return dict(
            cls.objects.filter(source=source).values_list("term", "category__slug").order_by()
        )
