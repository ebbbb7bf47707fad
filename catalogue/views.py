"""The app page's context and the two forms it posts to: favourite toggle, problem report.

Like the reviews section, everything works without JavaScript: each action is a plain POST
form that redirects back to the app page (to the section it came from, with a message), or,
when the input is invalid, renders the app page again with the bound form and its errors.
The context is built in a number of queries that does not grow with the number of listings,
screenshots, categories, related apps or reviews (pinned by tests).
"""

import json
from decimal import Decimal
from urllib.parse import urljoin

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, F, OuterRef, Prefetch
from django.db.models.functions import Length, Substr
from django.shortcuts import get_object_or_404, redirect
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from catalogue.models import (
    PROBLEM_MESSAGE_MAX_LENGTH,
    AppPage,
    AppProblemReport,
    CatalogueIndexPage,
    Favourite,
)
from catalogue.platforms import ordered_listings, visitor_platform
from catalogue.services import add_favourite, remove_favourite
from search.indexing import schedule_index

LOGIN_URL = "account_login"
ICON_RENDITION = "fill-256x256"
SCREENSHOT_RENDITION = "max-360x640"
CARD_ICON_RENDITION = "fill-96x96"
RELATED_APPS = 6
# Anchors of the app page's sections the forms come back to (and show their message in).
FAVOURITE_ANCHOR = "favori"
REPORT_ANCHOR = "signaler"
# Where a re-rendered app page finds the bound problem report form of the POST that failed.
BOUND_REPORT_FORM = "_catalogue_problem_form"
REPORT_SCOPE = "app_problem_report"
DEFAULT_REPORT_RATE = "10/hour"

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


# --- The problem report form ---------------------------------------------------------------


class ProblemReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Quel est le problème ?"),
        choices=AppProblemReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choisissez le type de problème."),
            "invalid_choice": gettext_lazy("Choisissez le type de problème."),
        },
    )
    message = forms.CharField(
        label=gettext_lazy("Précisions"),
        max_length=PROBLEM_MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Obligatoire pour « Autre ». 1 000 caractères au plus ; pas de données personnelles."
        ),
    )
    email = forms.EmailField(
        label=gettext_lazy("Votre adresse e-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=gettext_lazy(
            "Facultative, pour que l'équipe éditoriale puisse vous répondre. Format attendu : "
            "nom@domaine.fr"
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, prefix="probleme", **kwargs)
        if user is not None and user.is_authenticated:
            # A signed-in visitor is known: no address to type.
            del self.fields["email"]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("reason") == AppProblemReport.Reason.OTHER
            and not cleaned.get("message", "").strip()
        ):
            self.add_error("message", _("Décrivez le problème."))
        return cleaned


class ProblemReportThrottle(SimpleRateThrottle):
    """The reviews forms' approach: a cache counter per user (per address when signed out)."""

    scope = REPORT_SCOPE

    def __init__(self):
        # Read now, not at import time, so that settings overridden in tests apply.
        self.THROTTLE_RATES = {
            REPORT_SCOPE: DEFAULT_REPORT_RATE,
            **api_settings.DEFAULT_THROTTLE_RATES,
        }
        super().__init__()

    def get_cache_key(self, request, view):
        user = request.user
        ident = user.pk if user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


# --- The app page's context ----------------------------------------------------------------


def label(item) -> str:
    """A category, audience or language in the visitor's language (French by default)."""
    if (get_language() or "fr").startswith("en") and getattr(item, "name_en", ""):
        return item.name_en
    return item.name


def app_page_context(request, app: AppPage) -> dict:
    """Everything the app page shows but the reviews section."""
    platform = visitor_platform(request)
    listings, recommended = ordered_listings(app.listings.all().order_by("sort_order"), platform)
    for listing in listings:
        listing.recommended = listing is recommended
    images = get_image_model().objects
    screenshots = list(
        app.screenshots.all()
        .prefetch_related(
            Prefetch("image", queryset=images.prefetch_renditions(SCREENSHOT_RENDITION))
        )
        .order_by("sort_order")
    )
    categories = list(app.categories.all().select_related("parent").order_by("sort_order", "name"))
    audiences = list(app.audiences.all())
    languages = list(app.languages.all())
    for item in (*categories, *audiences, *languages):
        item.label = label(item)

    catalogue_url, publisher_url = ancestor_urls(request, app)
    resolver = CatalogueIndexPage.get_resolver()
    for category in categories:
        category.url = (
            f"{catalogue_url}{resolver.reverse('category', slug=category.slug)}"
            if catalogue_url
            else None
        )

    icon = icon_rendition(app)
    canonical_url = absolute_url(request, app.get_url(request) or "")
    icon_url = urljoin(canonical_url, icon.url) if icon else None

    user = request.user
    is_favourite = bool(
        app.pk
        and user.is_authenticated
        and Favourite.objects.filter(user=user, app_id=app.pk).exists()
    )
    problem_form = getattr(request, BOUND_REPORT_FORM, None) or ProblemReportForm(user=user)

    return {
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
    }


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


def icon_rendition(app: AppPage):
    if not app.icon_id:
        return None
    try:
        return app.icon.get_rendition(ICON_RENDITION)
    except OSError:  # the file is missing or unreadable (SourceImageIOError)
        return None


def related_apps(app: AppPage, categories) -> list[AppPage]:
    """Up to six other live apps sharing one of its categories, most popular first."""
    if app.pk is None or not categories:
        return []
    through = AppPage.categories.through
    icons = get_image_model().objects.prefetch_renditions(CARD_ICON_RENDITION)
    # Not under a page with view restrictions (as .public(), in the same query).
    restricted = PageViewRestriction.objects.annotate(
        prefix=Substr(OuterRef("path"), 1, Length("page__path"))
    ).filter(page__path=F("prefix"))
    return list(
        AppPage.objects.live()
        .filter(~Exists(restricted))
        .filter(
            pk__in=through.objects.filter(
                category_id__in=[category.pk for category in categories]
            ).values("apppage_id")
        )
        .exclude(pk=app.pk)
        .select_related("publisher")
        .prefetch_related(Prefetch("icon", queryset=icons))
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
        "name": app.title,
        "description": app.tagline,
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


# --- The POST views ------------------------------------------------------------------------


def live_app(app_id: int) -> AppPage:
    return get_object_or_404(AppPage.objects.live().public(), pk=app_id)


def back_to(request, app: AppPage, anchor: str):
    return redirect(f"{app.get_url(request)}#{anchor}")


@require_POST
def toggle_favourite(request, app_id: int):
    """Add (favourite=1) or remove (favourite=0) the app: the API's rules, then back."""
    app = live_app(app_id)
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(f"{app.get_url(request)}#{FAVOURITE_ANCHOR}", LOGIN_URL)
    if request.POST.get("favourite") == "0":
        if remove_favourite(user, app.pk):
            schedule_index([app.pk])
        messages.success(
            request,
            _("« %(title)s » est retirée de vos favoris.") % {"title": app.title},
            extra_tags=FAVOURITE_ANCHOR,
        )
    else:
        if add_favourite(user, app):
            schedule_index([app.pk])
        messages.success(
            request,
            _("« %(title)s » est ajoutée à vos favoris.") % {"title": app.title},
            extra_tags=FAVOURITE_ANCHOR,
        )
    return back_to(request, app, FAVOURITE_ANCHOR)


@require_POST
def report_problem(request, app_id: int):
    app = live_app(app_id)
    user = request.user
    form = ProblemReportForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(
            request,
            _("Rien n'a été envoyé : corrigez les erreurs signalées."),
            extra_tags=REPORT_ANCHOR,
        )
        return render_app_page(request, app, form, status=400)
    if not ProblemReportThrottle().allow_request(request, None):
        messages.error(
            request,
            _("Trop de signalements en peu de temps : réessayez plus tard."),
            extra_tags=REPORT_ANCHOR,
        )
        return render_app_page(request, app, form, status=429)
    AppProblemReport.objects.create(
        app=app,
        reason=form.cleaned_data["reason"],
        message=form.cleaned_data["message"].strip(),
        email="" if user.is_authenticated else form.cleaned_data.get("email", ""),
        user=user if user.is_authenticated else None,
    )
    messages.success(
        request, _("Merci, l'équipe éditoriale va vérifier."), extra_tags=REPORT_ANCHOR
    )
    return back_to(request, app, REPORT_ANCHOR)


def render_app_page(request, app: AppPage, form: ProblemReportForm, *, status: int):
    """The app page again, with the bound form of this POST (its errors, the input kept)."""
    setattr(request, BOUND_REPORT_FORM, form)
    response = app.serve(request)
    response.status_code = status
    return response
