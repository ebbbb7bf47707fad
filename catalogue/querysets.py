"""Read paths of the catalogue, as QuerySet methods: one home for "which apps are shown" and
"what a card needs", with a number of queries that does not grow with the rows."""

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce, Length, Substr
from wagtail.models import PageViewRestriction
from wagtail.query import PageQuerySet

from catalogue import renditions


class AppPageQuerySet(PageQuerySet):
    def visible(self):
        """Live apps anyone may see: not under a page with view restrictions.

        As Wagtail's ``live().public()``, but the restrictions are read in the same query (a
        correlated NOT EXISTS) rather than by one more query each time the queryset is built.
        """
        restricted = PageViewRestriction.objects.annotate(
            prefix=Substr(OuterRef("path"), 1, Length("page__path"))
        ).filter(page__path=F("prefix"))
        return self.live().filter(~Exists(restricted))

    def for_listing(self):
        """Everything a card in a list shows, in a fixed number of queries."""
        categories = self.model._meta.get_field("categories").related_model
        listings = self.model._meta.get_field("listings").related_model
        return self.select_related("publisher", "icon").prefetch_related(
            Prefetch("categories", queryset=categories.objects.order_by("sort_order", "name")),
            Prefetch("listings", queryset=listings.objects.order_by("sort_order")),
        )

    def with_card_icons(self):
        """The icons' renditions the cards show (includes/app_card.html), in one query."""
        return self.prefetch_related(renditions.renditions_of("icon", renditions.CARD_ICON))

    def in_category(self, category):
        """Apps in the category; a universe also matches its sub-categories."""
        # A subquery rather than a join, so no DISTINCT is needed (and ordering stays free).
        through = self.model.categories.through
        matching = Q(category=category)
        if category.parent_id is None:
            matching |= Q(category__parent=category)
        return self.filter(pk__in=through.objects.filter(matching).values("apppage_id"))

    def of_publisher(self, publisher):
        return self.filter(publisher=publisher)


class CategoryQuerySet(models.QuerySet):
    def universes(self):
        return self.filter(parent=None).order_by("sort_order", "name")

    def app_counts(self, apps) -> dict[int, int]:
        """Apps of ``apps`` per category: {category id: count}, in one query."""
        return dict(
            self._links(apps)
            .values("category_id")
            .annotate(count=Count("apppage_id", distinct=True))
            .values_list("category_id", "count")
        )

    def universe_counts(self, apps) -> dict[int, int]:
        """Apps of ``apps`` per universe, sub-categories included, each app once per universe:
        {universe id: count}, in one query."""
        return dict(
            self._links(apps)
            .annotate(universe=Coalesce("category__parent_id", "category_id"))
            .values("universe")
            .annotate(count=Count("apppage_id", distinct=True))
            .values_list("universe", "count")
        )

    def _links(self, apps):
        through = self.model.apps.through
        return through.objects.filter(apppage_id__in=apps.values("pk")).order_by()
