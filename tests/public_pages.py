"""Every page of the public site a visitor can open by a link, for the tests that walk them all
(the footer's mandatory links, cookies, third-party requests).

``public_pages()`` reads the database: every live, public Wagtail page (home, catalogue,
publishers, apps, content and legal pages), every universe and category page, every collection,
and the site's own pages; ``SIGNED_IN_ROUTES`` are the account's pages (signed in).
Left out: /api/docs/ and /api/redoc/ (the API's documentation tools, not pages of the site)
and the routes that only answer a form (POST) or redirect.
"""

from django.urls import reverse
from wagtail.models import Page

from catalogue.models import CatalogueIndexPage, Category, Collection

ANONYMOUS_ROUTES = [
    "search",
    "account_login",
    "account_signup",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
]
SIGNED_IN_ROUTES = [
    "account_home",
    "account_profile",
    "account_email",
    "account_password",
    "account_data",
    "account_delete",
    "account_favourites",
    "account_reviews",
]


def public_pages() -> list[str]:
    urls = []
    for page in Page.objects.live().public().specific().order_by("path"):
        url = page.get_url()
        if url:
            urls.append(url)
    catalogue = CatalogueIndexPage.objects.live().first()
    if catalogue is not None:
        for category in Category.objects.order_by("pk"):
            urls.append(
                catalogue.get_url()
                + catalogue.reverse_subpage("category", kwargs={"slug": category.slug})
            )
    urls += [reverse("collection", kwargs={"slug": c.slug}) for c in Collection.objects.all()]
    urls += [reverse(name) for name in ANONYMOUS_ROUTES]
    urls.append(reverse("search") + "?q=emploi&platform=android")
    return list(dict.fromkeys(urls))


def signed_in_pages() -> list[str]:
    return [reverse(name) for name in SIGNED_IN_ROUTES]
