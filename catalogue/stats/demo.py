"""Demo figures for `manage.py load_demo`: 90 days of views, install clicks, impressions,
favourites and reviews for each live app, the rating over time, and a few searches (that led to
apps, and that found nothing), so the publisher space and the editors' charts have something to
draw. Deterministic (seeded by the app's slug) and idempotent: an app with figures is left alone.
"""

import random
from datetime import timedelta

from django.utils import timezone

from catalogue.models import AppPage
from catalogue.stats.models import AppDayCount, AppDayRating, QueryDayCount

DAYS = 90
QUERIES = ["formation", "cv", "emploi", "alternance", "entretien", "métier"]
MISSED = [("chaudronnier", 14), ("permis poids lourd", 9), ("garde d'enfants", 6)]


def load_stats() -> dict:
    today = timezone.localdate()
    apps = list(
        AppPage.objects.live()
        .exclude(pk__in=AppDayCount.objects.values("app_id"))
        .prefetch_related("listings")
        .order_by("pk")
    )
    counts, ratings, queries = [], [], []
    for app in apps:
        rng = random.Random(app.slug)
        audience = rng.randint(5, 60)
        platforms = [listing.platform for listing in app.listings.all()] or ["web"]
        for ago in range(DAYS):
            day = today - timedelta(days=ago)
            views = max(0, int(rng.gauss(audience, audience / 3)))
            figures = {
                "view": views,
                "visitor": int(views * 0.7),
                "impression": views * rng.randint(2, 5),
                "favourite_added": rng.randint(0, 2),
                "favourite_removed": rng.randint(0, 1),
                "review": int(rng.random() < 0.1),
            }
            for platform in platforms:
                figures[f"install:{platform}"] = int(views * rng.uniform(0.05, 0.25))
            counts += [
                AppDayCount(app=app, day=day, metric=metric, value=value)
                for metric, value in figures.items()
                if value
            ]
            if app.rating_count and ago % 7 == 0:
                drift = rng.uniform(-0.3, 0.3) * ago / DAYS
                average = min(5, max(1, float(app.rating_average) + drift))
                ratings.append(
                    AppDayRating(
                        app=app,
                        day=day,
                        average=round(average, 2),
                        count=max(1, app.rating_count - ago // 10),
                    )
                )
            if ago % 3 == 0:
                query = rng.choice(QUERIES)
                queries.append(
                    QueryDayCount(
                        day=day, app=app, query=query, searches=rng.randint(2, 6), visitors=2
                    )
                )
    AppDayCount.objects.bulk_create(counts, batch_size=2000)
    AppDayRating.objects.bulk_create(ratings, batch_size=2000, ignore_conflicts=True)
    QueryDayCount.objects.bulk_create(queries, batch_size=2000, ignore_conflicts=True)
    QueryDayCount.objects.bulk_create(
        [
            QueryDayCount(
                day=today, app=None, query=query, searches=visitors + 3, visitors=visitors
            )
            for query, visitors in MISSED
        ],
        ignore_conflicts=True,
    )
    return {"created": len(apps)}
