from django.db.models import Prefetch, Q
from wagtail.query import PageQuerySet


class AppPageQuerySet(PageQuerySet):
    def for_listing(self):
        """Everything a card in a list shows, in a fixed number of queries."""
        from catalogue.models import AppListing, Category

        return self.select_related("publisher", "icon").prefetch_related(
            Prefetch("categories", queryset=Category.objects.order_by("sort_order", "name")),
            Prefetch("listings", queryset=AppListing.objects.order_by("sort_order")),
        )

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
