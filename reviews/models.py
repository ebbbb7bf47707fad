"""Ratings and reviews: one per user per app, moderated, answered by the publisher.

Every write goes through ``reviews.services``: it applies the moderation policy and keeps the
app's rating aggregates (published reviews only) in the same transaction.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from catalogue.models import AppPage, Publisher

TITLE_MAX_LENGTH = 100
BODY_MAX_LENGTH = 2000
REPLY_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 500


def author_name(user) -> str:
    """How an author signs a review: « Camille M. » (first name, initial), else the username.

    Never the e-mail address: a name or username that looks like one is not shown. A review
    kept after its author deleted their account has no author: « Utilisateur supprimé ».
    """
    if user is None:
        return str(_("Utilisateur supprimé"))
    first, last = user.first_name.strip(), user.last_name.strip()
    name = user.get_username()
    if first:
        name = f"{first} {last[0]}." if last else first
    if not name or "@" in name:
        return str(_("Un utilisateur"))
    return name


class ReviewQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Review.Status.PUBLISHED)

    def visible_to(self, user):
        """Published reviews, plus the user's own whatever its status."""
        if user is not None and user.is_authenticated:
            return self.filter(Q(status=Review.Status.PUBLISHED) | Q(author=user))
        return self.published()

    def sorted_by(self, sort: str):
        return self.order_by(*Review.SORTS[sort])

    def for_display(self):
        return self.select_related("author", "reply", "reply__author")


class Review(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de modération")
        PUBLISHED = "published", _("Publié")
        REJECTED = "rejected", _("Refusé")
        REMOVED = "removed", _("Retiré")

    class HeldBecause(models.TextChoices):
        """Why the moderation policy held a review back (empty when it did not)."""

        LINK = "link", _("contient un lien")
        EMAIL = "email", _("contient une adresse e-mail")
        PHONE = "phone", _("contient un numéro de téléphone")
        NEW_ACCOUNT = "new_account", _("compte trop récent")
        TOO_MANY = "too_many", _("trop d'avis en une heure")
        BLOCKED_WORD = "blocked_word", _("contient un mot interdit")
        REPORTED = "reported", _("signalé par plusieurs personnes")
        RESUBMITTED = "resubmitted", _("modifié après un refus")

    SORTS = {
        "recent": ("-created_at", "-pk"),
        "helpful": ("-helpful_count", "-created_at", "-pk"),
        "rating_high": ("-rating", "-created_at", "-pk"),
        "rating_low": ("rating", "-created_at", "-pk"),
    }

    # PROTECT: deleting an app must never wipe its reviews (and their replies, votes, reports)
    # — an app leaves the site by being unpublished; catalogue's before_delete_page hook says so.
    app = models.ForeignKey(
        AppPage, verbose_name=_("application"), on_delete=models.PROTECT, related_name="reviews"
    )
    # Empty once the author deleted their account and chose to leave their reviews, anonymous.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
    )
    rating = models.PositiveSmallIntegerField(
        _("note"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    title = models.CharField(_("titre"), max_length=TITLE_MAX_LENGTH, blank=True)
    body = models.TextField(_("avis"), max_length=BODY_MAX_LENGTH, blank=True)
    language = models.CharField(_("langue"), max_length=10, default="fr")
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    held_because = models.JSONField(
        _("motifs de mise en attente"), default=list, blank=True, editable=False
    )
    moderation_reason = models.TextField(
        _("motif de la décision"),
        blank=True,
        help_text=_("Montré à l'auteur quand son avis est refusé ou retiré."),
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modéré par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    moderated_at = models.DateTimeField(_("modéré le"), null=True, blank=True, editable=False)
    helpful_count = models.PositiveIntegerField(_("votes « utile »"), default=0, editable=False)
    report_count = models.PositiveIntegerField(_("signalements"), default=0, editable=False)
    created_at = models.DateTimeField(_("publié le"), auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(_("modifié le"), null=True, blank=True, editable=False)

    objects = ReviewQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("rating", read_only=True), FieldPanel("title", read_only=True)],
            heading=_("Avis"),
        ),
        FieldPanel("body", read_only=True),
        FieldPanel("status"),
        FieldPanel("moderation_reason"),
    ]

    class Meta:
        verbose_name = _("avis")
        verbose_name_plural = _("avis")
        ordering = ["-created_at", "-pk"]
        permissions = [("moderate_review", _("Peut modérer les avis"))]
        constraints = [
            models.UniqueConstraint(
                fields=["app", "author"],
                name="review_once_per_user_per_app",
                violation_error_message=_("Vous avez déjà donné votre avis sur cette application."),
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="review_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), BODY_MAX_LENGTH),
                name="review_body_max_length",
            ),
        ]
        indexes = [models.Index(fields=["app", "status", "-created_at"], name="review_app_list")]

    def __str__(self):
        return f"{self.author} · {self.app} · {self.rating}/5"

    @property
    def held_because_labels(self) -> list[str]:
        labels = dict(self.HeldBecause.choices)
        return [str(labels.get(code, code)) for code in self.held_because]


class ReviewReply(models.Model):
    """The publisher's one answer to a review, written by a member of the app's publisher."""

    review = models.OneToOneField(
        Review, verbose_name=_("avis"), on_delete=models.CASCADE, related_name="reply"
    )
    publisher = models.ForeignKey(
        Publisher, verbose_name=_("éditeur"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    body = models.TextField(_("réponse"), max_length=REPLY_MAX_LENGTH)
    created_at = models.DateTimeField(_("publiée le"), auto_now_add=True)
    edited_at = models.DateTimeField(_("modifiée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("réponse de l'éditeur")
        verbose_name_plural = _("réponses de l'éditeur")

    def __str__(self):
        return f"{self.publisher} → {self.review_id}"


class HelpfulVote(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="helpful_votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Recorded at once, counted in helpful_count from counts_from on (a new account, or one
    # beyond its daily budget, waits: reviews.services.counts_from).
    counts_from = models.DateTimeField(_("compte à partir du"), default=timezone.now)
    counted = models.BooleanField(_("compté"), default=True)

    class Meta:
        verbose_name = _("vote « utile »")
        verbose_name_plural = _("votes « utile »")
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="helpful_vote_once_per_user")
        ]

    def __str__(self):
        return f"{self.user} 👍 {self.review_id}"


class ReviewReport(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam ou publicité")
        OFFENSIVE = "offensive", _("Propos injurieux ou haineux")
        OFF_TOPIC = "off_topic", _("Hors sujet")
        OTHER = "other", _("Autre")

    review = models.ForeignKey(
        Review, verbose_name=_("avis"), on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signalé par"),
        on_delete=models.CASCADE,
        related_name="review_reports",
    )
    reason = models.CharField(_("motif"), max_length=10, choices=Reason.choices)
    comment = models.TextField(_("commentaire"), max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    # Set when an editor decides on the review: the report no longer counts towards hiding it.
    resolved_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    # Recorded at once, counted towards hiding the review from counts_from on (see HelpfulVote).
    counts_from = models.DateTimeField(_("compte à partir du"), default=timezone.now)
    counted = models.BooleanField(_("compté"), default=True)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "reporter"], name="report_once_per_user_per_review"
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} · {self.review_id}"


@register_setting(icon="comment")
class ModerationPolicy(BaseGenericSetting):
    """The review moderation rules editors may tune; defaults come from settings.REVIEWS."""

    min_account_age_hours = models.PositiveIntegerField(
        _("âge minimum du compte (heures)"),
        null=True,
        blank=True,
        help_text=_("Vide : la valeur par défaut de la configuration."),
    )
    max_reviews_per_hour = models.PositiveIntegerField(
        _("avis par heure au-delà desquels on retient"), null=True, blank=True
    )
    reports_to_hide = models.PositiveIntegerField(
        _("signalements distincts qui masquent un avis"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    blocked_words = models.TextField(
        _("mots interdits"),
        blank=True,
        help_text=_("Un mot ou une expression par ligne ; casse et accents ignorés."),
    )
    votes_per_day = models.PositiveIntegerField(
        _("votes « utile » comptés par personne et par jour"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Au-delà, et tant que le compte n'a pas l'âge minimum, les votes sont enregistrés "
            "mais ne comptent que plus tard."
        ),
    )
    reports_per_day = models.PositiveIntegerField(
        _("signalements comptés par personne et par jour"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Au-delà, et tant que le compte n'a pas l'âge minimum, les signalements sont "
            "enregistrés mais ne comptent que plus tard."
        ),
    )

    panels = [
        FieldPanel("min_account_age_hours"),
        FieldPanel("max_reviews_per_hour"),
        FieldPanel("reports_to_hide"),
        FieldPanel("blocked_words"),
        FieldPanel("votes_per_day"),
        FieldPanel("reports_per_day"),
    ]

    class Meta:
        verbose_name = _("modération des avis")
