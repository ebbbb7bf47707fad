"""/sitemap.xml: every live public page (home, catalogue, publishers, apps, content pages), the
universe and category pages (routes of the catalogue page), the browse page and collections.

Addresses are absolute on SITE_URL, like the pages' canonical links, whatever the Wagtail
site's host name says.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from catalogue.models import CatalogueIndexPage, Category, Collection


def on_site(path: str) -> str:
    return settings.SITE_URL + path


class PageSitemap(WagtailSitemap):
    """Wagtail's sitemap (live, public pages, lastmod = last publication) on SITE_URL."""

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            parts = urlsplit(url["location"])
            url["location"] = on_site(parts.path + (f"?{parts.query}" if parts.query else ""))
        return urls


class PathSitemap(WagtailSitemap):
    """Items that are not pages: subclasses give each one's path (and lastmod when known)."""

    def items(self):
        return []

    def path(self, item) -> str:
        raise NotImplementedError

    def lastmod(self, item):
        return None

    def _urls(self, page, protocol, domain):
        return [
            {"item": item, "location": on_site(self.path(item)), "lastmod": self.lastmod(item)}
            for item in self.paginator.page(page).object_list
        ]


class CategorySitemap(PathSitemap):
    """Universe and sub-category pages: /applications/categorie/<slug>/."""

    def items(self):
        catalogue = CatalogueIndexPage.objects.live().public().first()
        if catalogue is None:
            return []
        self.catalogue_path = urlsplit(catalogue.get_url(self.request) or "").path
        if not self.catalogue_path:
            return []
        self.catalogue = catalogue
        return list(Category.objects.order_by("parent_id", "sort_order", "name", "pk"))

    def path(self, category) -> str:
        route = self.catalogue.reverse_subpage("category", kwargs={"slug": category.slug})
        return self.catalogue_path + route


class CollectionSitemap(PathSitemap):
    def items(self):
        return list(Collection.objects.order_by("sort_order", "name", "pk"))

    def path(self, collection) -> str:
        return reverse("collection", kwargs={"slug": collection.slug})


class BrowseSitemap(PathSitemap):
    def items(self):
        return ["search"]

    def path(self, name) -> str:
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "browse": BrowseSitemap,
    "categories": CategorySitemap,
    "collections": CollectionSitemap,
}
