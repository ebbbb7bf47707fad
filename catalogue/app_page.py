"""What the app page shows: the catalogue's own part of its context.

``AppPage.get_context`` runs the ``APP_PAGE_CONTEXT_HOOK`` hook: this module's builder
(registered in catalogue/wagtail_hooks.py) adds everything but the other apps' sections,
which they add themselves (reviews: the ratings and reviews). Each builder receives the
bound forms of a POST that failed, so the page comes back with their errors and input.
The context costs a number of queries that does not grow with the number of listings,
screenshots, categories or related apps (pinned by tests).
"""

import json
from decimal import Decimal
from urllib.parse import urljoin

from django.conf import settings
from django.db.models import Prefetch
from django.utils.safestring import mark_safe

from catalogue import renditions
from catalogue.forms import ProblemReportForm
from catalogue.labels import localized_name
from catalogue.models import AppPage, CatalogueIndexPage, Favourite
from catalogue.platforms import ordered_listings, visitor_platform

RELATED_APPS = 6

# schema.org's applicationCategory by universe (slug); any other: BusinessApplication.
SCHEMA_CATEGORIES = {"se-former": "EducationalApplication"}
SCHEMA_OPERATING_SYSTEMS = {
    "web": "Web",
    "ios": "iOS",
    "android": "Android",
    "windows": "Windows",
    "macos": "macOS",
    "linux": "Linux",
}
FREE_PRICINGS = {AppPage.Pricing.FREE, AppPage.Pricing.FREEMIUM}
# What json_script escapes: the JSON can never close the <script> element it is written in.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def add_app_page_context(request, app: AppPage, context: dict, bound_forms: dict) -> None:
    """Everything the app page shows but the other apps' sections."""
    platform = visitor_platform(request)
    listings, recommended = ordered_listings(app.listings.all().order_by("sort_order"), platform)
    for listing in listings:
        listing.recommended = listing is recommended
    screenshots = list(
        app.screenshots.all()
        .prefetch_related(
            Prefetch("image", queryset=renditions.images_with(renditions.PAGE_SCREENSHOT))
        )
        .order_by("sort_order")
    )
    categories = list(app.categories.all().select_related("parent").order_by("sort_order", "name"))
    audiences = list(app.audiences.all())
    languages = list(app.languages.all())
    for item in (*categories, *audiences, *languages):
        item.label = localized_name(item)

    catalogue_url, publisher_url = ancestor_urls(request, app)
    resolver = CatalogueIndexPage.get_resolver()
    for category in categories:
        category.url = (
            f"{catalogue_url}{resolver.reverse('category', slug=category.slug)}"
            if catalogue_url
            else None
        )

    icon = renditions.rendition_or_none(app.icon, renditions.PAGE_ICON) if app.icon_id else None
    canonical_url = absolute_url(request, app.get_url(request) or "")
    icon_url = urljoin(canonical_url, icon.url) if icon else None

    user = request.user
    is_favourite = bool(
        app.pk
        and user.is_authenticated
        and Favourite.objects.filter(user=user, app_id=app.pk).exists()
    )
    problem_form = bound_forms.get("problem_form") or ProblemReportForm(user=user)

    context.update(
        {
            "visitor_platform": platform,
            "listings": listings,
            "recommended_listing": recommended,
            "screenshots": screenshots,
            "categories": categories,
            "audiences": audiences,
            "languages": languages,
            "catalogue_url": catalogue_url,
            "publisher_url": publisher_url,
            "icon": icon,
            "canonical_url": canonical_url,
            "og_image_url": icon_url,
            "json_ld": json_ld_script(
                app_json_ld(
                    app,
                    url=canonical_url,
                    image_url=icon_url,
                    listings=listings,
                    categories=categories,
                )
            ),
            "is_favourite": is_favourite,
            "problem_form": problem_form,
            "related_apps": related_apps(app, categories),
            "releases": list(app.releases.all().order_by("sort_order", "pk")),
            "store_rating": store_rating(app),
        }
    )


def store_rating(app: AppPage) -> dict | None:
    """The store's own rating from its feed (iTunes), when it is complete; kept apart from ours."""
    rating = app.store_rating
    if isinstance(rating, dict) and {"average", "count"} <= set(rating):
        return rating
    return None


def absolute_url(request, path: str) -> str:
    """On the site's public address (SITE_URL) when set, as the base template's canonical."""
    if path.startswith(("http://", "https://")):
        return path
    site_url = getattr(settings, "SITE_URL", "")
    return f"{site_url.rstrip('/')}{path}" if site_url else request.build_absolute_uri(path)


def ancestor_urls(request, app: AppPage) -> tuple[str | None, str | None]:
    """The catalogue's and the publisher page's URLs, without a query.

    Page URLs follow the tree (catalogue/publisher/app/), so the app's URL minus its last one
    or two segments is its publisher page's, then the catalogue's.
    """
    url = app.get_url(request) or ""
    if not url.endswith("/") or url.count("/") < 4:
        return None, None
    publisher_url = url[: url.rstrip("/").rindex("/") + 1]
    catalogue_url = publisher_url[: publisher_url.rstrip("/").rindex("/") + 1]
    return catalogue_url, publisher_url


def related_apps(app: AppPage, categories) -> list[AppPage]:
    """Up to six other visible apps sharing one of its categories, most popular first."""
    if app.pk is None or not categories:
        return []
    through = AppPage.categories.through
    sharing = through.objects.filter(category_id__in=[category.pk for category in categories])
    return list(
        AppPage.objects.visible()
        .filter(pk__in=sharing.values("apppage_id"))
        .exclude(pk=app.pk)
        .select_related("publisher")
        .prefetch_related(Prefetch("icon", queryset=renditions.images_with(renditions.CARD_ICON)))
        .order_by("-popularity", "title", "pk")[:RELATED_APPS]
    )


def app_json_ld(app: AppPage, *, url: str, image_url: str | None, listings, categories) -> dict:
    """schema.org SoftwareApplication, with AggregateRating only when the app has ratings."""
    universe_slugs = [
        category.parent.slug if category.parent_id else category.slug for category in categories
    ]
    application_category = next(
        (SCHEMA_CATEGORIES[slug] for slug in universe_slugs if slug in SCHEMA_CATEGORIES),
        "BusinessApplication",
    )
    publisher = app.publisher
    data = {
        "@context": "https://schema.org",
        "@type": "SoftwareApplication",
        "name": app.localized_title,
        "description": app.localized_tagline,
        "url": url,
        "applicationCategory": application_category,
        "operatingSystem": ", ".join(
            SCHEMA_OPERATING_SYSTEMS.get(listing.platform, listing.platform) for listing in listings
        ),
        "publisher": {
            "@type": "Organization",
            "name": publisher.name,
            **({"url": publisher.website} if publisher.website else {}),
        },
    }
    if image_url:
        data["image"] = image_url
    if app.pricing in FREE_PRICINGS:
        data["offers"] = {"@type": "Offer", "price": "0", "priceCurrency": "EUR"}
    if app.rating_count > 0:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": float(Decimal(app.rating_average).quantize(Decimal("0.01"))),
            "ratingCount": app.rating_count,
            "bestRating": 5,
            "worstRating": 1,
        }
    return data


def json_ld_script(data: dict) -> str:
    """The JSON, safe inside <script type="application/ld+json">…</script>.

    As Django's json_script: with <, > and & escaped as JSON \\u escapes, no text in it can
    close the element or open a comment, and it still parses as the same JSON.
    """
    escaped = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(escaped)  # noqa: S308 (escaped above, like json_script)
