"""The sync's part of `manage.py load_demo`: the demo publisher's feed.

The store serves the feed itself (/flux/exemple.json), so the demo syncs without any outside
server. Idempotent: an existing feed (same publisher and URL) is left alone.
"""

from django.conf import settings

from catalogue.sync.models import Feed, FeedFormat

# (publisher slug, feed name, path on this site, format).
FEEDS = [
    ("mission-locale-numerique", "Flux de démonstration", "/flux/exemple.json", FeedFormat.NATIVE),
]


def load_feeds(publishers: dict) -> dict[str, int]:
    """The demo feeds of these publishers (by slug): {"created": n, "unchanged": n}."""
    counts = {"created": 0, "unchanged": 0}
    for publisher_slug, name, path, feed_format in FEEDS:
        _feed, created = Feed.objects.get_or_create(
            publisher=publishers[publisher_slug],
            url=f"{settings.SITE_URL}{path}",
            defaults={"name": name, "format": feed_format},
        )
        counts["created" if created else "unchanged"] += 1
    return counts
