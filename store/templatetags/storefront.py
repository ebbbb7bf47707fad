"""Template helpers of the public storefront (base.html and the pages that extend it).

- ``{% main_navigation %}``: the DSFR main menu with the six universes, cached (a few rows that
  editors rarely change), so a page pays no query for it once the cache is warm.
- ``{% canonical_url %}``: SITE_URL + the request's path (never the query string).
- ``{% absolute_static "path" %}``: a static file's absolute URL (Open Graph images).
- ``{% pagination number num_pages %}``: DSFR pagination whose links keep every other GET
  parameter (the search page's state lives in its URL).
- ``{% legal_footer_links as links %}``: the DSFR footer's mandatory links (site plan,
  accessibility with its compliance status, legal notice, personal data, cookies), cached by
  cms.legal.
- ``{{ "2026-12-03T09:00:00+00:00"|from_iso|date:"j F Y" }}``: dates of the data export.
- ``{{ category|localized_name }}``: the English name of a category, audience or language when
  the page is in English and one exists, its French name otherwise.
"""

from datetime import datetime
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.core.cache import cache
from django.templatetags.static import static
from django.utils.translation import get_language

from catalogue import labels
from catalogue.models import CatalogueIndexPage, Category
from cms import legal

register = template.Library()

UNIVERSES_CACHE_TIMEOUT = 300  # seconds: a renamed universe shows up in the menu within this
UNIVERSES_CACHE_KEY = "storefront:universes:v1:{language}"


@register.filter
def localized_name(obj) -> str:
    """``name_en`` in English when filled in, ``name`` otherwise (Category, Audience, Language)."""
    return labels.localized_name(obj)


def navigation_universes() -> list[dict]:
    """The universes as plain dicts (slug, name, icon, url), cached per language."""
    key = UNIVERSES_CACHE_KEY.format(language=get_language() or settings.LANGUAGE_CODE)
    universes = cache.get(key)
    if universes is None:
        universes = load_universes()
        cache.set(key, universes, UNIVERSES_CACHE_TIMEOUT)
    return universes


def load_universes() -> list[dict]:
    catalogue = CatalogueIndexPage.objects.live().first()
    catalogue_url = catalogue.url if catalogue is not None else None
    universes = []
    for universe in Category.objects.universes():
        url = None
        if catalogue_url:
            url = catalogue_url + catalogue.reverse_subpage(
                "category", kwargs={"slug": universe.slug}
            )
        universes.append(
            {
                "slug": universe.slug,
                "name": localized_name(universe),
                "icon": universe.icon,
                "url": url,
            }
        )
    return universes


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_navigation(context):
    request = context.get("request")
    return {
        "universes": navigation_universes(),
        "current_path": request.path if request is not None else "",
    }


@register.filter
def from_iso(value):
    """An ISO 8601 date-time string (as the data export writes them) as a datetime, for the
    ``date`` filter; anything else unchanged."""
    if not isinstance(value, str):
        return value
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return value


@register.simple_tag
def legal_footer_links() -> list[dict]:
    return legal.footer_links()


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    request = context.get("request")
    return settings.SITE_URL + (request.path if request is not None else "/")


@register.simple_tag
def absolute_static(path: str) -> str:
    url = static(path)
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def url_with_page(request, number: int) -> str:
    """The query string with ``page`` replaced (the other parameters kept, in their order)."""
    params = [
        (key, value) for key, values in request.GET.lists() if key != "page" for value in values
    ]
    if number > 1:  # page 1 is the default: its URL is the page's own
        params.append(("page", number))
    return "?" + urlencode(params)


def page_window(number: int, num_pages: int, around: int = 2) -> list[int | None]:
    """Page numbers to show: first, last, and ``around`` on each side of the current; None is a
    gap (an ellipsis)."""
    shown = {1, num_pages, *range(number - around, number + around + 1)}
    pages: list[int | None] = []
    for page in sorted(p for p in shown if 1 <= p <= num_pages):
        if pages and page - (pages[-1] or 0) > 1:
            pages.append(None)
        pages.append(page)
    return pages


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, number, num_pages):
    request = context["request"]
    number, num_pages = int(number), int(num_pages)

    def link(page):
        return url_with_page(request, page)

    return {
        "number": number,
        "num_pages": num_pages,
        "first_url": link(1) if number > 1 else None,
        "previous_url": link(number - 1) if number > 1 else None,
        "next_url": link(number + 1) if number < num_pages else None,
        "last_url": link(num_pages) if number < num_pages else None,
        "pages": [
            {"number": page, "url": link(page), "current": page == number} if page else None
            for page in page_window(number, num_pages)
        ],
    }
