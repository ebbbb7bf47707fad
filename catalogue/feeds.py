"""Atom feeds of new and updated apps, site-wide and per universe.

/flux/applications/nouvelles.atom, /flux/applications/mises-a-jour.atom, and the same under
/flux/univers/<slug>/… for one universe (its sub-categories included). Linked from the pages
with <link rel="alternate" type="application/atom+xml"> (base.html, the category pages).
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from catalogue.labels import localized_name
from catalogue.models import AppPage, Category

FEED_SIZE = 50


class AppsFeed(Feed):
    feed_type = Atom1Feed
    # "new": by first publication; "updated": by last publication.
    kind = "new"

    def get_object(self, request, slug=None):
        self.request = request
        if slug is None:
            return None
        return get_object_or_404(Category, slug=slug, parent=None)

    def title(self, universe):
        base = _("Nouvelles applications") if self.kind == "new" else _("Applications mises à jour")
        return f"{base} — {localized_name(universe)}" if universe else f"{base} — Emploi Store"

    def link(self, universe):
        return "/apps/" + (f"?category={universe.slug}" if universe else "")

    def subtitle(self, universe):
        return _("Le catalogue des services numériques pour l'emploi.")

    def items(self, universe):
        apps = AppPage.objects.visible().select_related("publisher")
        if universe is not None:
            apps = apps.in_category(universe)
        field = "first_published_at" if self.kind == "new" else "last_published_at"
        return apps.exclude(**{f"{field}__isnull": True}).order_by(f"-{field}", "-pk")[:FEED_SIZE]

    def item_title(self, app):
        return app.localized_title

    def item_description(self, app):
        return app.localized_tagline

    def item_link(self, app):
        return app.get_url(self.request) or "/"

    def item_guid(self, app):
        return self.request.build_absolute_uri(f"/apps/{app.slug}/")

    def item_author_name(self, app):
        return app.publisher.name

    def item_pubdate(self, app):
        return app.first_published_at

    def item_updateddate(self, app):
        return app.last_published_at or app.first_published_at


class NewAppsFeed(AppsFeed):
    kind = "new"


class UpdatedAppsFeed(AppsFeed):
    kind = "updated"
