"""The reviews' parts of the admin dashboard (registered in reviews/wagtail_hooks.py; cms
assembles them):

- in each publisher's space, the reviews awaiting the publisher's reply (``ReviewsSection``),
  and how many await one on each app (a column of the catalogue's table of apps);
- for editors, the queues of reviews to moderate and of reported reviews, and the chart of
  reviews published per week.
"""

from datetime import datetime, timedelta

from django.db.models import Count, F, OuterRef, Q
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber, TruncWeek
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext

from reviews.models import Review, author_name
from web.charts import Chart, build_chart, listing
from web.dashboard import AppColumn, PublisherSection, Queue, count_of

REVIEWS_SHOWN = 5  # awaiting a reply, per publisher, newest first
WEEKS = 12  # reviews per week: this week and the eleven before it


def awaiting_reply_reviews():
    return Review.objects.published().filter(reply__isnull=True)


def with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


class ReviewsSection(PublisherSection):
    """The newest reviews awaiting a reply, per publisher, in one query."""

    template_name = "reviews/admin/publisher_reviews.html"

    def publisher_annotations(self) -> dict:
        return {
            "awaiting_reply": count_of(
                awaiting_reply_reviews().filter(app__publisher=OuterRef("pk")), "app__publisher"
            )
        }

    def app_columns(self) -> list[AppColumn]:
        return [
            AppColumn(
                name="awaiting_reply",
                header=gettext("Avis sans réponse"),
                expression=count_of(awaiting_reply_reviews().filter(app=OuterRef("pk")), "app"),
            )
        ]

    def load(self, publishers, app_columns) -> None:
        self.reviews = {publisher.pk: [] for publisher in publishers}
        reviews = (
            awaiting_reply_reviews()
            .filter(app__publisher_id__in=self.reviews)
            .annotate(
                publisher_id=F("app__publisher_id"),
                position=Window(
                    RowNumber(),
                    partition_by=F("app__publisher_id"),
                    order_by=[F("created_at").desc(), F("pk").desc()],
                ),
            )
            .filter(position__lte=REVIEWS_SHOWN)
            .select_related("app", "author")
            .order_by("publisher_id", "position")
        )
        home = reverse("wagtailadmin_home")
        for review in reviews:
            review.reply_url = with_next(reverse("reviews_publisher:reply", args=[review.pk]), home)
            review.author_name = (
                review.author.get_full_name().strip() or review.author.get_username()
                if review.author is not None
                else author_name(None)
            )
            self.reviews[review.publisher_id].append(review)

    def context(self, publisher) -> dict:
        count = publisher.awaiting_reply
        return {
            "reviews": self.reviews[publisher.pk],
            "reviews_index_url": reverse("reviews_publisher:index"),
            "awaiting_reply_text": ngettext(
                "%(count)d avis sans réponse", "%(count)d avis sans réponse", count
            )
            % {"count": count},
        }


# --- Editors' queues and chart -------------------------------------------------------------


def moderation_queues(request) -> list[Queue]:
    """Reviews to moderate and reported reviews, counted in one query."""
    reviews = Review.objects.aggregate(
        pending=Count("pk", filter=Q(status=Review.Status.PENDING)),
        reported=Count("pk", filter=Q(report_count__gt=0)),
    )
    moderation = reverse("reviews_moderation:index")
    return [
        Queue(
            name="reviews-pending",
            text=ngettext(
                "%(count)d avis en attente de modération",
                "%(count)d avis en attente de modération",
                reviews["pending"],
            )
            % {"count": reviews["pending"]},
            url=moderation,
            count=reviews["pending"],
            count_attribute="data-reviews-count",
        ),
        Queue(
            name="reviews-reported",
            text=ngettext("%(count)d avis signalé", "%(count)d avis signalés", reviews["reported"])
            % {"count": reviews["reported"]},
            url=f"{moderation}?{urlencode({'status': 'all', 'reported': 'true'})}",
            count=reviews["reported"],
        ),
    ]


def week_start(moment: datetime) -> datetime:
    local = timezone.localtime(moment)
    monday = local - timedelta(days=local.weekday())
    return monday.replace(hour=0, minute=0, second=0, microsecond=0)


def reviews_per_week_chart(request) -> Chart:
    """Published reviews by the week they were written, this week and the eleven before."""
    first = week_start(timezone.now()) - timedelta(weeks=WEEKS - 1)
    counts = {
        timezone.localtime(week).date(): n
        for week, n in Review.objects.published()
        .filter(created_at__gte=first)
        .annotate(week=TruncWeek("created_at"))
        .order_by()
        .values("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
    }
    rows = []
    for offset in range(WEEKS):
        monday = (first + timedelta(weeks=offset)).date()
        label = gettext("Semaine du %(date)s") % {"date": date_format(monday, "j F Y")}
        rows.append((label, [counts.get(monday, 0)]))

    def unit(count):
        return ngettext("%(count)d avis", "%(count)d avis", count) % {"count": count}

    return build_chart(
        "chart-reviews-per-week",
        gettext("Avis publiés par semaine (12 dernières semaines)"),
        rows,
        label_header=gettext("Semaine"),
        columns=[gettext("Avis publiés")],
        describe=lambda rows: listing(rows, unit),
    )
