"""Wagtail admin views in tests: POST data built like the browser sends it, and denials."""

from html import unescape

from django.contrib.messages import constants, get_messages
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from catalogue.models import AppListing, AppPage


def listing_form(listing: AppListing) -> dict:
    return {
        "id": str(listing.pk) if listing.pk else "",
        "platform": listing.platform,
        "url": listing.url,
        "store_id": listing.store_id,
        "version": listing.version,
        "min_os_version": listing.min_os_version,
        "updated_at": "",
    }


def release_form(release) -> dict:
    return {
        "id": str(release.pk),
        "platform": release.platform,
        "version": release.version,
        "released_at": release.released_at.strftime("%Y-%m-%d %H:%M")
        if release.released_at
        else "",
        "notes": release.notes,
    }


def app_form_data(app: AppPage, *, listings=None, **changes) -> dict:
    """Every field of the AppPage edit form (with its formsets), with ``changes`` applied.

    Multi-valued fields (categories, audiences, languages) are lists of primary keys.
    """
    if listings is None:
        listings = list(app.listings.order_by("sort_order")) if app.pk else []
    initial = sum(1 for listing in listings if listing.pk)
    releases = list(app.releases.order_by("sort_order", "pk")) if app.pk else []
    data = {
        "title": app.title,
        "slug": app.slug,
        "tagline": app.tagline,
        "icon": str(app.icon_id or ""),
        "description": rich_text(app.description),
        "listings": inline_formset(
            [listing_form(listing) for listing in listings], initial=initial, min=1, max=6
        ),
        # The release history as it is (an edit keeps it).
        "releases": inline_formset(
            [release_form(release) for release in releases], initial=len(releases)
        ),
        "screenshots": inline_formset([], max=10),
        "pricing": app.pricing,
        "accessibility": app.accessibility,
        "external_id": app.external_id,
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments": inline_formset([]),
    }
    multi_valued = {
        "categories": [c.pk for c in app.categories.all()],
        "audiences": [a.pk for a in app.audiences.all()],
        "languages": [lang.pk for lang in app.languages.all()],
    }
    for name in list(changes):
        if name in multi_valued:
            multi_valued[name] = changes.pop(name)
    if "description" in changes:
        changes["description"] = rich_text(changes["description"])
    data.update(changes)
    flat = nested_form_data(data)
    flat.update({name: [str(pk) for pk in pks] for name, pks in multi_valued.items()})
    return flat


def assert_permission_denied(response):
    """Wagtail's answer to PermissionDenied in its admin views (wagtail.admin.auth).

    Not a 403: a redirect to the dashboard with the error message
    "Sorry, you do not have permission to access this area." (in the user's language).
    """
    assert response.status_code == 302, f"expected Wagtail's denial, got {response.status_code}"
    assert response["Location"] == reverse("wagtailadmin_home")
    with translation.override("fr"):
        expected = translation.gettext("Sorry, you do not have permission to access this area.")
    # The newest message (earlier ones stay queued until a page displays them).
    messages = [(m.level, unescape(str(m)).strip()) for m in get_messages(response.wsgi_request)]
    assert messages, "no message explains the denial"
    assert messages[-1] == (constants.ERROR, expected)
