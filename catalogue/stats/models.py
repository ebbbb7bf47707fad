"""Daily figures, per app: what the periodic flush (catalogue.stats.flush) writes from the
counters aggregated in Redis. Nothing here says who: no address, no hash, no account."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.models import AppPage


class Metric(models.TextChoices):
    VIEW = "view", _("vues")
    VISITOR = "visitor", _("visiteurs distincts")
    FAVOURITE_ADDED = "favourite_added", _("favoris ajoutés")
    FAVOURITE_REMOVED = "favourite_removed", _("favoris retirés")
    REVIEW = "review", _("avis")
    IMPRESSION = "impression", _("apparitions dans les résultats")
    # Install clicks are "install:<platform>" (catalogue.platforms' values).


INSTALL_PREFIX = "install:"


class AppDayCount(models.Model):
    """One figure of one app on one day (a long table: a new metric needs no migration)."""

    app = models.ForeignKey(AppPage, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("jour"))
    metric = models.CharField(_("mesure"), max_length=32)
    value = models.PositiveIntegerField(_("valeur"), default=0)

    class Meta:
        verbose_name = _("chiffre du jour")
        verbose_name_plural = _("chiffres du jour")
        constraints = [
            models.UniqueConstraint(fields=["app", "day", "metric"], name="stats_one_per_day")
        ]
        indexes = [models.Index(fields=["day", "metric"], name="stats_day_metric")]

    def __str__(self):
        return f"{self.app_id} {self.day} {self.metric}: {self.value}"


class AppDayRating(models.Model):
    """An app's rating as it stood at the end of a day (the rating over time)."""

    app = models.ForeignKey(AppPage, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("jour"))
    average = models.DecimalField(_("note moyenne"), max_digits=3, decimal_places=2)
    count = models.PositiveIntegerField(_("nombre de notes"))

    class Meta:
        verbose_name = _("note du jour")
        verbose_name_plural = _("notes du jour")
        constraints = [models.UniqueConstraint(fields=["app", "day"], name="stats_rating_per_day")]

    def __str__(self):
        return f"{self.app_id} {self.day}: {self.average} ({self.count})"


class QueryDayCount(models.Model):
    """A search query typed on a day: one that led to an app (``app`` set: the visitor opened
    the app from its results) or one that found nothing (``app`` empty).

    ``visitors`` counts distinct visitors of that day; a query is shown only once its visitors
    over the period reach ``STATS_MIN_QUERY_VISITORS`` (nobody's rare query is singled out).
    """

    day = models.DateField(_("jour"))
    query = models.CharField(_("recherche"), max_length=100)
    app = models.ForeignKey(
        AppPage, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    searches = models.PositiveIntegerField(_("recherches"), default=0)
    visitors = models.PositiveIntegerField(_("visiteurs distincts"), default=0)

    class Meta:
        verbose_name = _("recherche du jour")
        verbose_name_plural = _("recherches du jour")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "app", "query"],
                name="stats_query_per_app_day",
                condition=models.Q(app__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["day", "query"],
                name="stats_missed_query_per_day",
                condition=models.Q(app__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.query!r} → {self.app_id}: {self.searches}"
